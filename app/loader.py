"""Batched loading of profile records into the system of record (generated pools and imported resumes).

Generation runs in worker processes (one chunk of :data:`tools.generator.CHUNK` profiles each); this
process turns records into rows and writes them in large transactions with Core ``executemany``. Ids are
reserved per batch (SQLite: under the write lock; PostgreSQL: from the sequence), so a batch of profiles
and its experiences, education and skills go in with one statement per table.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, insert, select, text

from app.db.models import Organisation, Profile, ProfileEducation, ProfileExperience, ProfileKind, ProfileSkill, Skill
from tools import generator
from tools.records import ProfileRecord
from tools.taxonomy import load as load_taxonomy

Progress = Callable[[int], None]


@dataclass(slots=True)
class LoadStats:
    inserted: int = 0
    duplicates: int = 0
    profile_ids: list[int] = field(default_factory=list)


def ensure_skills(conn: Connection) -> dict[str, int]:
    """Fill the skill vocabulary from the taxonomy (once) and return name → id."""
    taxonomy = load_taxonomy()
    existing = dict(conn.execute(select(Skill.name, Skill.id)).all())
    missing = sorted(set(taxonomy.skills) - set(existing))
    if missing:
        start = (conn.scalar(select(func.max(Skill.id))) or 0) + 1
        rows = [
            {"id": start + i, "name": name, "kind": taxonomy.skills[name], "hot": name in taxonomy.hot_skills}
            for i, name in enumerate(missing)
        ]
        conn.execute(insert(Skill), rows)
        existing.update({r["name"]: r["id"] for r in rows})
    return existing


def _reserve_ids(conn: Connection, n: int) -> list[int]:
    """``n`` fresh profile ids: from the sequence on PostgreSQL (safe with concurrent loaders), after the
    largest id on SQLite (whose single writer holds the lock for the transaction)."""
    if conn.dialect.name == "postgresql":
        return list(conn.scalars(
            text("SELECT nextval(pg_get_serial_sequence('profiles', 'id')) FROM generate_series(1, :n)"), {"n": n}
        ))
    first = int(conn.scalar(select(func.coalesce(func.max(Profile.id), 0))) or 0) + 1
    return list(range(first, first + n))


def _existing_hashes(conn: Connection, scope: int, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 900):
        part = hashes[i:i + 900]
        found.update(conn.scalars(
            select(Profile.content_hash).where(Profile.dedupe_scope == scope, Profile.content_hash.in_(part))
        ))
    return found


def write_profiles(conn: Connection, records: list[ProfileRecord], skill_ids: dict[str, int],
                   organisation_id: int | None = None) -> LoadStats:
    """Insert records not already stored in the same scope; duplicates (by content hash) are counted."""
    stats = LoadStats()
    scope = organisation_id or 0
    hashes = [r.content_hash for r in records]
    seen = _existing_hashes(conn, scope, hashes)
    fresh: list[tuple[ProfileRecord, str]] = []
    for record, digest in zip(records, hashes, strict=True):
        if digest in seen:
            stats.duplicates += 1
            continue
        seen.add(digest)
        fresh.append((record, digest))
    if not fresh:
        return stats
    ids = _reserve_ids(conn, len(fresh))
    now = dt.datetime.now(dt.UTC)
    kind = ProfileKind.APPLICANT.value if organisation_id else ProfileKind.MEMBER.value
    profiles, experiences, educations, skills = [], [], [], []
    for pid, (r, digest) in zip(ids, fresh, strict=True):
        stats.profile_ids.append(pid)
        profiles.append({
            "id": pid, "organisation_id": organisation_id, "kind": kind, "dedupe_scope": scope,
            "content_hash": digest, "source": r.source, "external_id": r.external_id, "full_name": r.full_name,
            "headline": r.headline[:500], "summary": r.summary, "current_title": r.current_title,
            "current_company": r.current_company, "occupation_code": r.occupation_code, "seniority": r.seniority,
            "years_experience": r.years_experience, "location": r.location, "metro_code": r.metro_code,
            "country": r.country, "open_to_work": r.open_to_work, "raw_text": r.raw_text,
            "ground_truth": r.ground_truth, "created_at": now, "updated_at": r.updated_at or now,
        })
        for pos, e in enumerate(r.experiences):
            experiences.append({
                "profile_id": pid, "position": pos, "title": (e.title or "")[:300], "company": e.company,
                "start_date": e.start_date, "end_date": e.end_date, "is_current": e.is_current,
                "description": e.description, "occupation_code": e.occupation_code,
            })
        for pos, ed in enumerate(r.educations):
            educations.append({
                "profile_id": pid, "position": pos, "school": ed.school, "degree": ed.degree,
                "field_of_study": ed.field_of_study, "end_year": ed.end_year,
            })
        done: set[int] = set()
        for name, source in r.skills:
            sid = skill_ids.get(name)
            if sid is not None and sid not in done:
                done.add(sid)
                skills.append({"profile_id": pid, "skill_id": sid, "source": source})
    conn.execute(insert(Profile), profiles)
    if experiences:
        conn.execute(insert(ProfileExperience), experiences)
    if educations:
        conn.execute(insert(ProfileEducation), educations)
    if skills:
        conn.execute(insert(ProfileSkill), skills)
    stats.inserted = len(fresh)
    return stats


def _bulk_pragmas(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB page cache for the load
        conn.exec_driver_sql("PRAGMA temp_store=MEMORY")


def _chunk_worker(args: tuple[int, int, int, tuple[str, ...]]) -> list[ProfileRecord]:
    seed, chunk, size, occupations = args
    return generator.generate_chunk(seed, chunk, size, occupations)


def _chunks(n: int, seed: int, occupations: tuple[str, ...], workers: int) -> Iterator[list[ProfileRecord]]:
    jobs = [(seed, i, size, occupations) for i, size in enumerate(generator.chunk_sizes(n))]
    if workers <= 1 or len(jobs) < 4:
        for job in jobs:
            yield _chunk_worker(job)
        return
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(workers) as pool:
        yield from pool.imap(_chunk_worker, jobs, chunksize=1)


def seed_profiles(engine: Engine, n: int, seed: int, *, occupations: tuple[str, ...] = (),
                  workers: int | None = None, batch_chunks: int = 5, progress: Progress | None = None) -> LoadStats:
    """Generate ``n`` network-member profiles with ``seed`` and load them; returns counts."""
    workers = workers if workers is not None else max(1, min(2, (os.cpu_count() or 1)))
    total = LoadStats()
    with engine.begin() as conn:
        skill_ids = ensure_skills(conn)
    pending: list[ProfileRecord] = []

    def flush() -> None:
        with engine.begin() as conn:
            _bulk_pragmas(conn)
            stats = write_profiles(conn, pending, skill_ids)
        total.inserted += stats.inserted
        total.duplicates += stats.duplicates
        if progress:
            progress(len(pending))
        pending.clear()

    for records in _chunks(n, seed, occupations, workers):
        pending.extend(records)
        if len(pending) >= batch_chunks * generator.CHUNK:
            flush()
    if pending:
        flush()
    return total


def load_records(engine: Engine, records: Iterable[ProfileRecord], organisation_id: int | None) -> LoadStats:
    """Store a few records (an import) in one transaction."""
    with engine.begin() as conn:
        skill_ids = ensure_skills(conn)
        return write_profiles(conn, list(records), skill_ids, organisation_id)


def ensure_organisation(engine: Engine, slug: str, name: str | None = None) -> int:
    with engine.begin() as conn:
        org_id = conn.scalar(select(Organisation.id).where(Organisation.slug == slug))
        if org_id is None:
            org_id = conn.execute(
                insert(Organisation).values(slug=slug, name=name or slug, created_at=dt.datetime.now(dt.UTC))
            ).inserted_primary_key[0]
        return int(org_id)
