"""The embedded keyword backend's fast path: a built sparse BM25 segment plus a delta of changed profiles.

SQLite FTS5 is written in the same transaction as every profile, so it is always current, but it scores
every match of a broad query (a third of a million profiles for an Office-suite skill) and is slow at scale.
``hire index`` therefore also writes :class:`~tools.search.sparse.SparseKeywordIndex` segments of every
profile (the *base*, :data:`SEGMENT_ROWS` profiles a segment, which bounds the build's memory, then given the
statistics of all of them so that their scores are one BM25), with the facet columns beside them, into a new
generation folder, and switches ``CURRENT`` to it atomically::

    DATA_DIR/keyword/CURRENT                 the name of the generation in use
    DATA_DIR/keyword/g000003/snapshot.json   what the build saw (highest id, start time) and its segments
    DATA_DIR/keyword/g000003/s000/           a segment's .npy files and facets/*.npy

Profiles added or changed after a build (an id above the base's highest, or ``updated_at`` after the build
started, less a few seconds for a writer whose clock reading preceded it) form the *delta*: they are masked out of
the base and searched in a small index built against the base's statistics, so scores stay comparable. The
delta is rebuilt when it changes; when it outgrows :data:`DELTA_LIMIT`, searches go to FTS5 (always correct,
slower) until the next ``hire index`` rebuilds the base. A query of facets alone goes to SQL as before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Engine, Table, func, select

from tools.records.models import Profile
from tools.search.documents import docs_from_db
from tools.search.query import ParsedQuery, ProfileDoc
from tools.search.sparse import Collection, SparseKeywordIndex, restat_segments
from tools.search.types import Facets, KeywordResult
from tools.search.vectors import FacetColumns, facet_columns_of, facet_filter

SEGMENT_ROWS = 200_000  # profiles a base segment: about 3 GB of peak memory to build one
DELTA_LIMIT = 5_000  # profiles changed since the build beyond which searches use FTS5
REBUILD_SHARE = 0.01  # `hire index` rebuilds when the delta is over this share of the base (or DELTA_LIMIT / 2)
THREADS = min(4, os.cpu_count() or 1)  # segments searched at once
MARGIN = dt.timedelta(seconds=5)  # SQLite writers are serialised and brief: a clock reading precedes its commit by less
_FACET_COLUMNS = ("country", "metro", "years", "seniority", "open_to_work", "updated_day", "organisation")
profiles = cast(Table, Profile.__table__)
_FACET_ROWS = select(profiles.c.id, profiles.c.country, profiles.c.metro_code, profiles.c.years_experience,
                     profiles.c.seniority, profiles.c.open_to_work, profiles.c.updated_at, profiles.c.organisation_id)


@dataclass(slots=True)
class BuildStats:
    profiles: int
    seconds: float
    bytes: int
    generation: str
    segments: int = 1


def _facets_of(conn: Connection, ids: list[int]) -> FacetColumns:
    query = _FACET_ROWS.where(profiles.c.id.in_(ids)).order_by(profiles.c.id)
    return facet_columns_of(conn.execute(query).all() if ids else [])


def _chunks(engine: Engine, max_id: int, chunk: int, progress: Callable[[int], None] | None
            ) -> Iterator[tuple[list[int], dict[int, ProfileDoc], FacetColumns]]:
    """Profiles up to ``max_id`` in id order, ``chunk`` at a time: ids, search documents, facet columns."""
    after = 0
    while True:
        with engine.connect() as conn:
            ids = list(conn.execute(select(profiles.c.id).where(profiles.c.id > after, profiles.c.id <= max_id)
                                    .order_by(profiles.c.id).limit(chunk)).scalars())
            if not ids:
                return
            docs = docs_from_db(conn, ids)
            facets = _facets_of(conn, ids)
        if len(docs) != len(ids) or len(facets) != len(ids):  # removed between the queries: read again
            continue
        yield ids, docs, facets
        if progress:
            progress(len(ids))
        after = ids[-1]


def _concat(parts: list[FacetColumns]) -> FacetColumns:
    return FacetColumns(**{name: np.concatenate([getattr(p, name) for p in parts]) for name, _ in parts[0].columns()})


@dataclass(slots=True)
class SparseSegment:
    """One searchable segment: its sparse index, the facet columns of its rows, and their profile ids."""

    index: SparseKeywordIndex
    facets: FacetColumns
    ids: np.ndarray  # int64, ascending (rows are built in id order)


@dataclass(slots=True)
class SparseView:
    """What a search reads at one moment: the built base segments, the rows of each that changed since the build
    (left out), and the delta segment that holds those profiles as they are now (None when nothing changed).

    :meth:`SparseKeywordStore.view` gives the current one; pass it to :meth:`SparseKeywordStore.search` and
    :meth:`SparseKeywordStore.matching_ids`."""

    base: list[SparseSegment]
    stale: list[np.ndarray]  # per base segment, bool per row: changed since the build (served by the delta)
    delta: SparseSegment | None

    def parts(self) -> list[tuple[SparseSegment, np.ndarray | None]]:
        """Every segment to search, with the rows to leave out (None: none)."""
        out: list[tuple[SparseSegment, np.ndarray | None]] = [
            (seg, stale if stale.any() else None) for seg, stale in zip(self.base, self.stale, strict=True)]
        if self.delta is not None:
            out.append((self.delta, None))
        return out


class SparseKeywordStore:
    """Builds, opens and searches the base and delta segments under one folder (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._base: list[SparseSegment] | None = None
        self._snapshot: dict = {}
        self._delta_key: tuple | None = None
        self._view: SparseView | None = None
        self._pool: ThreadPoolExecutor | None = None

    # ---- building -----------------------------------------------------------------------------------------

    def build(self, engine: Engine, progress: Callable[[int], None] | None = None, chunk: int = 5_000) -> BuildStats:
        """Index every profile into a new generation, switch to it, and remove the older ones."""
        started = time.perf_counter()
        since = dt.datetime.now(dt.UTC) - MARGIN
        with engine.connect() as conn:
            max_id = int(conn.execute(select(func.coalesce(func.max(profiles.c.id), 0))).scalar() or 0)
        self.folder.mkdir(parents=True, exist_ok=True)
        existing = sorted(p.name for p in self.folder.glob("g[0-9]*") if p.is_dir())
        generation = f"g{(int(existing[-1][1:]) + 1) if existing else 1:06d}"
        target = self.folder / generation
        chunks = _chunks(engine, max_id, max(1, min(chunk, SEGMENT_ROWS)), progress)
        pending = next(chunks, None)
        folders: list[Path] = []
        rows = 0
        try:
            while pending is not None or not folders:  # an empty pool still gets one (empty) segment
                facet_parts: list[FacetColumns] = []

                def segment_docs(parts: list[FacetColumns] = facet_parts) -> Iterator[tuple[int, ProfileDoc]]:
                    nonlocal pending
                    count = 0
                    while pending is not None and count < SEGMENT_ROWS:
                        ids, docs, facets = pending
                        parts.append(facets)
                        count += len(ids)
                        yield from ((i, docs[i]) for i in ids)
                        pending = next(chunks, None)

                folder = target / f"s{len(folders):03d}"
                rows += len(SparseKeywordIndex.build(segment_docs(), folder))
                facets = _concat(facet_parts) if facet_parts else facet_columns_of([])
                (folder / "facets").mkdir(exist_ok=True)
                for name, column in facets.columns():
                    np.save(folder / "facets" / f"{name}.npy", column)
                folders.append(folder)
            restat_segments(folders)
            snapshot = {"max_id": max_id, "since": since.isoformat(), "profiles": rows,
                        "segments": [f.name for f in folders], "built_at": dt.datetime.now(dt.UTC).isoformat(),
                        "seconds": round(time.perf_counter() - started, 1)}
            (target / "snapshot.json").write_text(json.dumps(snapshot))
            tmp = self.folder / f"CURRENT.tmp{os.getpid()}"
            tmp.write_text(generation)
            os.replace(tmp, self.folder / "CURRENT")
        except BaseException:  # a full disk or an interrupt: the generation in use stays, the partial one goes
            shutil.rmtree(target, ignore_errors=True)
            raise
        for old in existing:  # readers that opened an old generation keep their memory maps
            shutil.rmtree(self.folder / old, ignore_errors=True)
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        return BuildStats(rows, time.perf_counter() - started, size, generation, len(folders))

    def clear(self) -> None:
        """Remove every generation: searches use FTS5 until the next build."""
        with self._lock:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._generation, self._base, self._view, self._delta_key = None, None, None, None

    # ---- the current view ---------------------------------------------------------------------------------

    def _open_base(self) -> list[SparseSegment] | None:
        current = self.folder / "CURRENT"
        try:
            generation = current.read_text().strip()
        except FileNotFoundError:
            self._generation, self._base = None, None
            return None
        if generation != self._generation:
            root = self.folder / generation
            snapshot = json.loads((root / "snapshot.json").read_text())
            segments = []
            for name in snapshot["segments"]:
                folder = root / name
                index = SparseKeywordIndex.open(folder)
                facets = FacetColumns(**{column: np.load(folder / "facets" / f"{column}.npy", mmap_mode="r")
                                         for column in _FACET_COLUMNS})
                segments.append(SparseSegment(index, facets, np.asarray(index.ids)))
            self._snapshot, self._base, self._generation = snapshot, segments, generation
            self._delta_key, self._view = None, None
        return self._base

    def changed_ids(self, conn: Connection, limit: int | None = None) -> list[tuple[int, object]]:
        """(id, updated_at) of the profiles the base does not hold as they are now (up to ``limit``), by id.

        Two indexed range reads (a UNION of them makes SQLite scan the table: 0.6 s at a million profiles)."""
        since = dt.datetime.fromisoformat(self._snapshot["since"])
        newer = select(profiles.c.id, profiles.c.updated_at).where(profiles.c.id > self._snapshot["max_id"])
        updated = select(profiles.c.id, profiles.c.updated_at).where(profiles.c.updated_at > since)
        if limit is not None:
            newer, updated = newer.limit(limit), updated.limit(limit)
        added = conn.execute(newer.order_by(profiles.c.id)).all()
        changed = conn.execute(updated).all()
        merged = sorted({int(r[0]): r[1] for r in [*added, *changed]}.items())
        return merged if limit is None else merged[:limit]

    def view(self, conn: Connection) -> SparseView | None:
        """The base and the current delta, or None when there is no base or the delta is too large."""
        with self._lock:
            base = self._open_base()
            if base is None:
                return None
            changed = self.changed_ids(conn, DELTA_LIMIT + 1)
            if len(changed) > DELTA_LIMIT:
                return None
            key = tuple(changed)
            if key != self._delta_key or self._view is None:
                wanted = np.asarray([int(pid) for pid, _ in changed], dtype=np.int64)
                stale = []
                for seg in base:
                    rows = np.zeros(len(seg.ids), dtype=bool)
                    if len(wanted) and len(seg.ids):
                        at = np.searchsorted(seg.ids, wanted)
                        inside = at < len(seg.ids)
                        hit = at[inside][seg.ids[at[inside]] == wanted[inside]]
                        rows[hit] = True
                    stale.append(rows)
                delta = None
                if len(wanted):
                    docs = docs_from_db(conn, wanted.tolist())
                    present = [int(i) for i in wanted if int(i) in docs]
                    index = SparseKeywordIndex.build(((i, docs[i]) for i in present),
                                                     reference=Collection([seg.index for seg in base]))
                    delta = SparseSegment(index, _facets_of(conn, present), np.asarray(present, dtype=np.int64))
                self._view, self._delta_key = SparseView(base, stale, delta), key
            return self._view

    def pending(self, conn: Connection) -> tuple[int, int] | None:
        """(profiles in the base, profiles changed since) or None without a base."""
        with self._lock:
            base = self._open_base()
        if base is None:
            return None
        return sum(len(seg.ids) for seg in base), len(self.changed_ids(conn))

    def needs_rebuild(self, conn: Connection) -> bool:
        state = self.pending(conn)
        if state is None:
            return True
        size, changed = state
        return changed > min(DELTA_LIMIT // 2, max(1, int(size * REBUILD_SHARE)))

    # ---- searching ----------------------------------------------------------------------------------------

    @staticmethod
    def _parts(view: SparseView, facets: Facets,
               organisation_id: int | None) -> list[tuple[SparseSegment, np.ndarray]]:
        """Each segment with its mask: the facets and tenancy, less the rows the delta holds now."""
        rule = facet_filter(facets, organisation_id)
        out = []
        for seg, stale in view.parts():
            mask = rule(seg.facets)
            if stale is not None:
                mask &= ~stale
            out.append((seg, mask))
        return out

    def search(self, view: SparseView, query: ParsedQuery, facets: Facets, organisation_id: int | None,
               limit: int, with_matches: bool = False) -> KeywordResult:
        found = list(self._map(lambda part: part[0].index.search(query, part[1], k=limit, with_matches=with_matches),
                               self._parts(view, facets, organisation_id)))
        ids = np.concatenate([f.ids for f in found])
        scores = np.concatenate([f.scores for f in found])
        order = np.lexsort((ids, -scores))[:limit]  # best first, ties by profile id
        matched = np.concatenate([f.matched for f in found if f.matched is not None]) if with_matches else None
        return KeywordResult(ids[order].tolist(), scores[order].tolist(), sum(f.total for f in found),
                             matched.tolist() if matched is not None else None)

    def matching_ids(self, view: SparseView, query: ParsedQuery, facets: Facets,
                     organisation_id: int | None) -> list[int]:
        found: list[int] = []
        for ids in self._map(lambda part: part[0].index.matching_ids(query, part[1]),
                             self._parts(view, facets, organisation_id)):
            found += ids.tolist()
        return found

    def _map(self, fn: Callable[[tuple[SparseSegment, np.ndarray]], Any], parts: list[tuple[SparseSegment, np.ndarray]]
             ) -> Iterator[Any]:
        """``fn`` over the segments, on a thread per core (numpy releases the GIL in the heavy steps)."""
        if len(parts) < 2 or THREADS < 2:
            return map(fn, parts)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="sparse-search")
        return self._pool.map(fn, parts)
