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
from typing import Literal, Protocol

import numpy as np
from sqlalchemy import DateTime, Engine, bindparam, text

from memory.embeddings import Embedder, profile_document, profile_phrases
from tools.search.vectors import FacetColumns, facet_columns_of

EmbedMode = Literal["auto", "full", "composed"]


class Upsertable(Protocol):
    def upsert(self, ids: np.ndarray, vectors: np.ndarray, facets: FacetColumns) -> None: ...


@dataclass(slots=True)
class IndexStats:
    embedded: int = 0
    full: int = 0
    composed: int = 0
    seconds: float = 0.0


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM profiles p LEFT JOIN profile_vector_state v ON v.profile_id = p.id "
            "WHERE v.profile_id IS NULL OR v.embedded_at < p.updated_at"
        )).scalar() or 0)


def embed_pending(engine: Engine, store: Upsertable, embedder: Embedder, *, mode: EmbedMode = "auto",
                  batch: int = 2000, model_name: str = "all-MiniLM-L6-v2",
                  progress: Callable[[int], None] | None = None) -> IndexStats:
    """Embed every profile the vector store lacks or holds stale, in resumable batches."""
    stats = IndexStats()
    started = time.perf_counter()
    after = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT p.id, p.source, p.headline, p.summary, p.current_title, p.country, p.metro_code, "
                "p.years_experience, p.seniority, p.open_to_work, p.updated_at, p.organisation_id "
                "FROM profiles p LEFT JOIN profile_vector_state v ON v.profile_id = p.id "
                "WHERE p.id > :after AND (v.profile_id IS NULL OR v.embedded_at < p.updated_at) "
                "ORDER BY p.id LIMIT :limit"
            ), {"after": after, "limit": batch}).all()
            if not rows:
                break
            ids = [r.id for r in rows]
            titles: dict[int, list[str]] = {i: [] for i in ids}
            skills: dict[int, list[str]] = {i: [] for i in ids}
            q = text("SELECT profile_id, title FROM profile_experiences WHERE profile_id IN :ids "
                     "ORDER BY profile_id, position").bindparams(bindparam("ids", expanding=True))
            for pid, title in conn.execute(q, {"ids": ids}):
                titles[pid].append(title)
            q = text("SELECT ps.profile_id, s.name FROM profile_skills ps JOIN skills s ON s.id = ps.skill_id "
                     "WHERE ps.profile_id IN :ids ORDER BY ps.profile_id, s.id").bindparams(
                         bindparam("ids", expanding=True))
            for pid, name in conn.execute(q, {"ids": ids}):
                skills[pid].append(name)
        vectors = np.zeros((len(rows), embedder.dim), dtype=np.float32)
        use_full = [mode == "full" or (mode == "auto" and (r.source or "").startswith("import:")) for r in rows]
        full_idx = [i for i, f in enumerate(use_full) if f]
        comp_idx = [i for i, f in enumerate(use_full) if not f]
        if full_idx:
            vectors[full_idx] = embedder.encode([
                profile_document(rows[i].headline, rows[i].summary, [rows[i].current_title or "",
                                                                      *titles[rows[i].id]], skills[rows[i].id])
                for i in full_idx
            ])
        if comp_idx:
            # titles and skills only: headlines such as "Nurse at Cedar Health" are near unique per profile
            items = [profile_phrases(rows[i].current_title, titles[rows[i].id], skills[rows[i].id])
                     for i in comp_idx]
            vectors[comp_idx] = embedder.compose(items)
        facets = facet_columns_of(rows)
        store.upsert(np.asarray(ids, dtype=np.int64), vectors, facets)
        now = dt.datetime.now(dt.UTC)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM profile_vector_state WHERE profile_id IN :ids").bindparams(
                bindparam("ids", expanding=True)), {"ids": ids})
            conn.execute(
                text("INSERT INTO profile_vector_state (profile_id, mode, model, embedded_at) "
                     "VALUES (:pid, :mode, :model, :at)").bindparams(bindparam("at", type_=DateTime(timezone=True))),
                [{"pid": r.id, "mode": "full" if f else "composed", "model": model_name, "at": now}
                 for r, f in zip(rows, use_full, strict=True)],
            )
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
        conn.execute(text("DELETE FROM profile_vector_state"))
