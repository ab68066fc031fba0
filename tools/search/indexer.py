"""Keeping the search indexes in step with the system of record.

The keyword index is written in the same transaction as the profile (see ``app.loader``). Embedding is
slower, so it runs in batches: each batch's vectors go into the vector store, then the batch's rows in
``profile_vector_state`` are committed. A crash loses at most the batch in flight, and the next run picks up
every profile with no state row or with ``updated_at`` newer than its ``embedded_at`` (upserts are
idempotent, so re-embedding a batch is harmless).

Two ways to embed a profile, both with all-MiniLM-L6-v2: ``full`` encodes the profile text (resumes);
``composed`` averages cached embeddings of its phrases (titles and skills), which costs per distinct phrase
rather than per profile and makes a million generated profiles feasible on two cores. ``auto`` uses full for
imported resumes and composed for generated profiles.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, cast

import numpy as np
from sqlalchemy import ColumnElement, Engine, Table, delete, func, insert, or_, select

from memory.embeddings import Embedder, profile_document, profile_phrases
from tools.records.models import Profile, ProfileExperience, ProfileSkill, ProfileVectorState, Skill
from tools.search.vectors import FacetColumns, facet_columns_of

EmbedMode = Literal["auto", "full", "composed"]

profiles = cast(Table, Profile.__table__)
experiences = cast(Table, ProfileExperience.__table__)
profile_skills = cast(Table, ProfileSkill.__table__)
skills = cast(Table, Skill.__table__)
vector_state = cast(Table, ProfileVectorState.__table__)


class Upsertable(Protocol):
    def upsert(self, ids: np.ndarray, vectors: np.ndarray, facets: FacetColumns) -> None: ...


@dataclass(slots=True)
class IndexStats:
    embedded: int = 0
    full: int = 0
    composed: int = 0
    seconds: float = 0.0


def _stale(p: Table, v: Table) -> ColumnElement[bool]:
    """Profiles the vector store lacks (no state row) or holds from before their last update."""
    return or_(v.c.profile_id.is_(None), v.c.embedded_at < p.c.updated_at)


def pending_count(engine: Engine) -> int:
    p, v = profiles, vector_state
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(p.outerjoin(v, v.c.profile_id == p.c.id))
                                .where(_stale(p, v))).scalar() or 0)


def embed_pending(engine: Engine, store: Upsertable, embedder: Embedder, *, mode: EmbedMode = "auto",
                  batch: int = 2000, model_name: str = "all-MiniLM-L6-v2",
                  progress: Callable[[int], None] | None = None) -> IndexStats:
    """Embed every profile the vector store lacks or holds stale, in resumable batches."""
    stats = IndexStats()
    started = time.perf_counter()
    after = 0
    p, v, e, ps, s = profiles, vector_state, experiences, profile_skills, skills
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(p.c.id, p.c.source, p.c.headline, p.c.summary, p.c.current_title, p.c.country, p.c.metro_code,
                       p.c.years_experience, p.c.seniority, p.c.open_to_work, p.c.updated_at, p.c.organisation_id)
                .select_from(p.outerjoin(v, v.c.profile_id == p.c.id))
                .where(p.c.id > after, _stale(p, v)).order_by(p.c.id).limit(batch)
            ).all()
            if not rows:
                break
            ids = [r.id for r in rows]
            titles: dict[int, list[str]] = {i: [] for i in ids}
            skill_names: dict[int, list[str]] = {i: [] for i in ids}
            for pid, title in conn.execute(select(e.c.profile_id, e.c.title).where(e.c.profile_id.in_(ids))
                                           .order_by(e.c.profile_id, e.c.position)):
                titles[pid].append(title)
            for pid, name in conn.execute(select(ps.c.profile_id, s.c.name).join(s, s.c.id == ps.c.skill_id)
                                          .where(ps.c.profile_id.in_(ids)).order_by(ps.c.profile_id, s.c.id)):
                skill_names[pid].append(name)
        vectors = np.zeros((len(rows), embedder.dim), dtype=np.float32)
        use_full = [mode == "full" or (mode == "auto" and (r.source or "").startswith("import:")) for r in rows]
        full_idx = [i for i, f in enumerate(use_full) if f]
        comp_idx = [i for i, f in enumerate(use_full) if not f]
        if full_idx:
            vectors[full_idx] = embedder.encode([
                profile_document(rows[i].headline, rows[i].summary, [rows[i].current_title or "",
                                                                      *titles[rows[i].id]], skill_names[rows[i].id])
                for i in full_idx
            ])
        if comp_idx:
            # titles and skills only: headlines such as "Nurse at Cedar Health" are near unique per profile
            items = [profile_phrases(rows[i].current_title, titles[rows[i].id], skill_names[rows[i].id])
                     for i in comp_idx]
            vectors[comp_idx] = embedder.compose(items)
        facets = facet_columns_of(rows)
        store.upsert(np.asarray(ids, dtype=np.int64), vectors, facets)
        now = dt.datetime.now(dt.UTC)
        with engine.begin() as conn:
            conn.execute(delete(v).where(v.c.profile_id.in_(ids)))
            conn.execute(insert(v), [{"profile_id": r.id, "mode": "full" if f else "composed", "model": model_name,
                                      "embedded_at": now} for r, f in zip(rows, use_full, strict=True)])
        stats.embedded += len(rows)
        stats.full += len(full_idx)
        stats.composed += len(comp_idx)
        after = ids[-1]
        if progress:
            progress(len(rows))
    stats.seconds = time.perf_counter() - started
    return stats


def reset_vector_state(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(vector_state))
