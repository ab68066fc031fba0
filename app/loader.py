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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from tools import generator
from tools.records import ProfileRecord
from tools.records.models import (
    Organisation,
    Profile,
    ProfileEducation,
    ProfileExperience,
    ProfileKind,
    ProfileSkill,
    Skill,
)
from tools.search.documents import doc_from_record
from tools.search.keyword import keyword_index_for
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
        rows: list[dict[str, Any]] = [
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


_PROFILE_COLUMNS = (
    "id", "organisation_id", "kind", "dedupe_scope", "content_hash", "source", "external_id", "full_name",
    "headline", "summary", "current_title", "current_company", "occupation_code", "seniority", "years_experience",
    "location", "metro_code", "country", "open_to_work", "raw_text", "ground_truth", "withheld", "created_at",
    "updated_at",
)
_EXPERIENCE_COLUMNS = ("profile_id", "position", "title", "company", "start_date", "end_date", "is_current",
                       "description", "occupation_code")
_EDUCATION_COLUMNS = ("profile_id", "position", "school", "degree", "field_of_study", "end_year")
_SKILL_COLUMNS = ("profile_id", "skill_id", "source")


def write_profiles(conn: Connection, records: list[ProfileRecord], skill_ids: dict[str, int],
                   organisation_id: int | None = None) -> LoadStats:
    """Insert records not already stored in the same scope; duplicates (by content hash) are counted."""
    stats = LoadStats()
    scope = organisation_id or 0
    seen = _existing_hashes(conn, scope, [r.content_hash for r in records])
    fresh: list[ProfileRecord] = []
    for record in records:
        if record.content_hash in seen:
            stats.duplicates += 1
            continue
        seen.add(record.content_hash)
        fresh.append(record)
    if not fresh:
        return stats
    ids = _reserve_ids(conn, len(fresh))
    now = dt.datetime.now(dt.UTC)
    kind = ProfileKind.APPLICANT.value if organisation_id else ProfileKind.MEMBER.value
    profiles, experiences, educations, skills = [], [], [], []
    for pid, r in zip(ids, fresh, strict=True):
        profiles.append((
            pid, organisation_id, kind, scope, r.content_hash, r.source, r.external_id, r.full_name,
            r.headline[:500], r.summary, r.current_title, r.current_company, r.occupation_code, r.seniority,
            r.years_experience, r.location, r.metro_code, r.country, r.open_to_work, r.raw_text, r.ground_truth,
            r.withheld, now, r.updated_at or now,
        ))
        experiences += [
            (pid, pos, (e.title or "")[:300], e.company, e.start_date, e.end_date, e.is_current, e.description,
             e.occupation_code)
            for pos, e in enumerate(r.experiences)
        ]
        educations += [(pid, pos, e.school, e.degree, e.field_of_study, e.end_year)
                       for pos, e in enumerate(r.educations)]
        done: set[int] = set()
        for name, source in r.skills:
            sid = skill_ids.get(name)
            if sid is not None and sid not in done:
                done.add(sid)
                skills.append((pid, sid, source))
    # declarative models map a Table, which SQLAlchemy types as the more general FromClause
    _bulk_insert(conn, cast(Table, Profile.__table__), _PROFILE_COLUMNS, profiles)
    _bulk_insert(conn, cast(Table, ProfileExperience.__table__), _EXPERIENCE_COLUMNS, experiences)
    _bulk_insert(conn, cast(Table, ProfileEducation.__table__), _EDUCATION_COLUMNS, educations)
    _bulk_insert(conn, cast(Table, ProfileSkill.__table__), _SKILL_COLUMNS, skills)
    # the keyword index is written in the same transaction: a stored profile is always searchable
    keyword_index_for(conn).upsert(conn, [(pid, doc_from_record(r)) for pid, r in zip(ids, fresh, strict=True)])
    stats.inserted = len(fresh)
    stats.profile_ids = ids
    return stats


def _bulk_insert(conn: Connection, table: Table, names: tuple[str, ...], rows: list[tuple]) -> None:
    """``executemany`` straight on the driver; values go through their column type's bind processor.

    Stores what ``conn.execute(insert(table), rows)`` would, with a fraction of the Python overhead for the
    millions of rows a large seed writes.
    """
    if not rows:
        return
    dialect = conn.dialect
    processors = [(i, proc) for i, name in enumerate(names)
                  if (proc := table.c[name].type._cached_bind_processor(dialect)) is not None]
    if processors:
        converted = []
        for row in rows:
            values = list(row)
            for i, proc in processors:
                if values[i] is not None:
                    values[i] = proc(values[i])
            converted.append(tuple(values))
        rows = converted
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
                         rows)


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
    window = 2 * workers  # chunks in flight: bounds memory when generating outpaces writing
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        for job in jobs:
            pending.append(pool.apply_async(_chunk_worker, (job,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


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
            key = conn.execute(
                insert(Organisation).values(slug=slug, name=name or slug, created_at=dt.datetime.now(dt.UTC))
            ).inserted_primary_key
            assert key is not None  # a single-row insert always reports its key
            org_id = key[0]
        return int(org_id)
