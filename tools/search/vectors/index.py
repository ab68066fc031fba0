"""The vector index: its segments and manifest on disk, writes with tombstones and merges, and search (brute
force, or the IVF's nearest lists under a facet mask)."""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from tools.search.types import Facets
from tools.search.vectors.ann import assign, calibrate, sample_vectors, train_centroids
from tools.search.vectors.facets import FacetColumns, MaskFn, facet_filter
from tools.search.vectors.segments import CHUNK_ROWS, DIM, Segment, normalise, top_k, write_npy

FORMAT = 1


class VectorIndex:
    """Cosine-similarity search over profile vectors with facet masks; see :mod:`tools.search.vectors`."""

    ann_min_rows = 50_000  # below this, search is always brute force
    exact_masked_rows = 5_000  # a mask matching at most this many rows (or fewer than a probe scans) is exact
    max_segments = 8  # more segments than this triggers a compaction
    sample_rows = 8192  # rows of the fixed sample a mask's selectivity is estimated on

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.segments: list[Segment] = []
        self.generation = 0
        self.centroids: np.ndarray | None = None
        self.ivf: dict[str, Any] | None = None
        self.nprobe = 1
        self.mask_gamma = 0.5  # probe nprobe * selectivity ** -gamma lists under a mask
        self._sample: list[tuple[FacetColumns, np.ndarray | None]] | None = None

    # -- persistence -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: Path) -> VectorIndex:
        """The index in ``folder``; an empty one if the folder is new or empty."""
        index = cls(Path(folder))
        manifest = index.folder / "manifest.json"
        if manifest.exists():
            index._load(json.loads(manifest.read_text()))
        return index

    def _load(self, manifest: dict[str, Any]) -> None:
        if manifest.get("format") != FORMAT or manifest.get("dim") != DIM:
            raise ValueError(f"{self.folder} holds a vector index of another format: {manifest.get('format')}, "
                             f"dim {manifest.get('dim')}")
        self.generation = int(manifest["generation"])
        self.segments = [Segment(self.folder / s["name"], s["name"], s.get("alive"), self.folder)
                         for s in manifest["segments"]]
        self.ivf = manifest.get("ivf")
        if self.ivf:
            self.centroids = np.load(self.folder / self.ivf["centroids"])
            self.nprobe = int(self.ivf["nprobe"])
            self.mask_gamma = float(self.ivf.get("mask_gamma", 0.5))
        self._sample = None

    def _next_name(self, prefix: str, suffix: str = "") -> str:
        self.generation += 1
        return f"{prefix}-{self.generation:06d}{suffix}"

    def _commit(self, dirty: list[Segment] = ()) -> None:  # type: ignore[assignment]
        """Write new tombstone files for ``dirty`` segments, then the manifest (atomically), then drop files
        no longer referenced."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for seg in dirty:
            if seg.alive is not None:
                seg.alive_file = self._next_name("alive", ".npy")
                write_npy(self.folder / seg.alive_file, seg.alive)
        manifest = {
            "format": FORMAT, "dim": DIM, "generation": self.generation,
            "segments": [{"name": s.name, "rows": len(s), "alive": s.alive_file} for s in self.segments],
            "ivf": self.ivf,
        }
        tmp = self.folder / f"manifest.json.tmp{os.getpid()}"
        tmp.write_text(json.dumps(manifest, indent=1))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / "manifest.json")
        self._sample = None
        self._collect_garbage()

    def _collect_garbage(self) -> None:
        keep = {"manifest.json"} | {s.name for s in self.segments} | {s.alive_file for s in self.segments}
        if self.ivf:
            keep.add(self.ivf["centroids"])
        for entry in self.folder.iterdir():
            if entry.name in keep or entry.name.startswith("manifest.json.tmp"):
                continue
            if entry.name.startswith(("seg-", "alive-", "ivf-", "tmp-seg-")):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink(missing_ok=True)

    def _write_segment(self, ids: np.ndarray, vectors: np.ndarray, facets: FacetColumns,
                       lists: np.ndarray | None = None) -> Segment:
        name = self._next_name("seg")
        folder = self.folder / name
        tmp = self.folder / f"tmp-{name}"
        tmp.mkdir(parents=True)
        write_npy(tmp / "vectors.npy", vectors.astype(np.float32, copy=False))
        write_npy(tmp / "ids.npy", ids.astype(np.int64, copy=False))
        for col, values in facets.columns():
            write_npy(tmp / f"{col}.npy", values)
        if lists is not None:
            write_npy(tmp / "lists.npy", lists)
        os.replace(tmp, folder)
        return Segment(folder, name, None, self.folder)

    # -- writes ------------------------------------------------------------------------------------------
    def upsert(self, ids: np.ndarray, vectors: np.ndarray, facets: FacetColumns) -> None:
        """Add or replace these ids (the last occurrence wins within a batch); persisted on return."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape != (len(ids), DIM):
            raise ValueError(f"vectors must be ({len(ids)}, {DIM}), got {vectors.shape}")
        if not np.isfinite(vectors).all():
            raise ValueError("vectors hold nan or inf")
        facets = facets.coerced(len(ids))
        if not len(ids):
            return
        _, last = np.unique(ids[::-1], return_index=True)
        keep = np.sort(len(ids) - 1 - last)
        if len(keep) != len(ids):
            ids, vectors, facets = ids[keep], vectors[keep], facets.take(keep)
        self.folder.mkdir(parents=True, exist_ok=True)
        dirty = [seg for seg in self.segments if seg.kill(seg.rows_of(ids))]
        self.segments.append(self._sorted_segment(ids, normalise(vectors), facets))
        self._commit(dirty)
        self._maybe_compact()

    def _sorted_segment(self, ids: np.ndarray, vectors: np.ndarray, facets: FacetColumns,
                        assignment: np.ndarray | None = None) -> Segment:
        """A new segment; sorted by IVF list (with its list offsets) when an IVF is trained."""
        if self.centroids is None:
            return self._write_segment(ids, vectors, facets)
        assignment = assign(vectors, self.centroids) if assignment is None else assignment
        order = np.argsort(assignment, kind="stable")
        lists = np.zeros(len(self.centroids) + 1, dtype=np.int64)
        lists[1:] = np.cumsum(np.bincount(assignment, minlength=len(self.centroids)))
        return self._write_segment(ids[order], vectors[order], facets.take(order), lists)

    def delete(self, ids: np.ndarray) -> None:
        """Remove these ids (unknown ids are ignored); persisted on return."""
        ids = np.unique(np.asarray(ids, dtype=np.int64).reshape(-1))
        dirty = [seg for seg in self.segments if seg.kill(seg.rows_of(ids))]
        if dirty:
            self._commit(dirty)
            self._maybe_compact()

    def __len__(self) -> int:
        return sum(seg.alive_count for seg in self.segments)

    @property
    def ids(self) -> np.ndarray:
        """Ids of every vector, in the index's internal order (aligned with :attr:`facets` and masks)."""
        return np.concatenate([np.asarray(s.ids)[s.alive] if s.alive is not None else np.asarray(s.ids)
                               for s in self.segments]) if self.segments else np.empty(0, dtype=np.int64)

    @property
    def facets(self) -> FacetColumns:
        return FacetColumns.concat([s.facets.take(s.alive) if s.alive is not None else s.facets.take(slice(None))
                                    for s in self.segments])

    def vectors_of(self, ids: np.ndarray) -> np.ndarray:
        """Stored (normalised) vectors of these distinct ids, in the given order; KeyError for an unknown id."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        out = np.empty((len(ids), DIM), dtype=np.float32)
        found = np.zeros(len(ids), dtype=bool)
        sorter = np.argsort(ids, kind="stable")
        for seg in self.segments:
            rows = seg.alive_rows_of(ids)
            if len(rows):
                where = sorter[np.searchsorted(ids[sorter], np.asarray(seg.ids[rows]))]
                out[where] = seg.vectors[rows]
                found[where] = True
        if not found.all():
            raise KeyError(f"unknown ids {ids[~found][:10].tolist()}")
        return out

    def _maybe_compact(self) -> None:
        """Keep the segment count bounded with size-tiered merges (each row is rewritten O(log n) times), drop
        dead rows once they are a quarter of the index, and retrain the IVF once the index has doubled."""
        if self.ivf and len(self) > 2 * int(self.ivf.get("trained_rows", 0)) and len(self) >= self.ann_min_rows:
            self.build_ann()  # lists and nprobe are stale
            return
        total = sum(len(s) for s in self.segments)
        if total and (total - len(self)) > 0.25 * total and (total - len(self)) > 1000:
            self.compact()
        elif len(self.segments) > self.max_segments:
            by_size = sorted(self.segments, key=len)
            small = by_size[:len(self.segments) - self.max_segments // 2]
            self.compact(None if 2 * sum(len(s) for s in small) > len(by_size[-1]) else small)

    def compact(self, segments: list[Segment] | None = None) -> None:
        """Rewrite the alive rows of ``segments`` (default: all) into one segment, sorted by IVF list when an
        IVF is trained."""
        chosen = self.segments if segments is None else segments
        if not chosen:
            return
        parts_ids, parts_vec, parts_fac, parts_list = [], [], [], []
        for seg in chosen:
            rows = np.flatnonzero(seg.alive) if seg.alive is not None else np.arange(len(seg))
            parts_ids.append(np.asarray(seg.ids)[rows])
            parts_vec.append(np.asarray(seg.vectors[rows]) if seg.alive is not None else np.asarray(seg.vectors))
            parts_fac.append(seg.facets.take(rows))
            if self.centroids is not None:
                if seg.lists is not None:
                    parts_list.append(np.repeat(np.arange(len(seg.lists) - 1), np.diff(seg.lists))[rows])
                else:
                    parts_list.append(assign(parts_vec[-1], self.centroids))
        rest = [s for s in self.segments if all(s is not c for c in chosen)]
        ids = np.concatenate(parts_ids)
        if not len(ids):
            self.segments = rest
            self._commit()
            return
        vectors = np.concatenate(parts_vec) if len(parts_vec) > 1 else parts_vec[0]
        assignment = np.concatenate(parts_list) if parts_list else None
        merged = self._sorted_segment(ids, vectors, FacetColumns.concat(parts_fac), assignment)
        self.segments = [*rest, merged]
        self._commit()

    # -- IVF ---------------------------------------------------------------------------------------------
    def build_ann(self, nlist: int | None = None, *, seed: int = 0, iterations: int = 10,
                  sample: int | None = None) -> dict[str, float]:
        """Train an IVF (spherical k-means in numpy, seeded) over the vectors, rewrite the index sorted by list
        and calibrate ``nprobe`` (and the widening under a mask) for recall@10 >= ``RECALL_TARGET``.

        ``nlist`` defaults to 2 * sqrt(n) (2,000 lists at a million vectors); k-means trains on a sample of
        ``max(64 * nlist, 50_000)`` vectors. Returns the timings and the chosen parameters.
        """
        started = time.perf_counter()
        n = len(self)
        if n < 2:
            raise ValueError("an IVF needs at least two vectors")
        nlist = min(n, int(nlist or max(1, min(4096, round(2 * math.sqrt(n))))))
        rng = np.random.default_rng(seed)
        train = sample_vectors(self.segments, min(n, sample or max(64 * nlist, 50_000)), rng)
        centroids = train_centroids(train, nlist, rng, iterations)
        trained = time.perf_counter()
        self.centroids = centroids
        cname = self._next_name("ivf", ".npy")
        self.folder.mkdir(parents=True, exist_ok=True)
        write_npy(self.folder / cname, centroids)
        self.ivf = {"centroids": cname, "nlist": nlist, "nprobe": self.nprobe, "mask_gamma": self.mask_gamma,
                    "trained_rows": n}
        for seg in self.segments:  # every row is reassigned to the new centroids
            seg.lists = None
        self.compact()
        assigned = time.perf_counter()
        self.nprobe, self.mask_gamma = calibrate(self.segments[0], centroids, rng)
        self.ivf.update(nprobe=self.nprobe, mask_gamma=self.mask_gamma)
        self._commit()
        done = time.perf_counter()
        return {"train_s": trained - started, "assign_s": assigned - trained, "calibrate_s": done - assigned,
                "total_s": done - started, "nlist": nlist, "nprobe": self.nprobe, "mask_gamma": self.mask_gamma}

    # -- search ------------------------------------------------------------------------------------------
    def facet_mask(self, facets: Facets, organisation_id: int | None) -> np.ndarray:
        """Bool mask over :attr:`ids` for these facets and tenancy (network members and that organisation's
        applicants; ``facets.pool`` narrows)."""
        return facet_filter(facets, organisation_id)(self.facets)

    def search_facets(self, query: np.ndarray, k: int, facets: Facets | None, organisation_id: int | None,
                      allowed_ids: np.ndarray | None = None, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`search` with the mask of these facets and tenancy (the engine's ``VectorStore`` protocol)."""
        return self.search(query, k, mask=facet_filter(facets, organisation_id), allowed_ids=allowed_ids,
                           exact=exact)

    def search(self, query: np.ndarray, k: int, *, mask: MaskFn | None = None, allowed_ids: np.ndarray | None = None,
               exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` ids nearest the query by cosine similarity and their scores, best first.

        Only alive rows for which ``mask`` is true and whose id is in ``allowed_ids`` are returned, and ``k`` of
        them whenever at least ``k`` exist.
        """
        q = normalise(np.asarray(query, dtype=np.float32).reshape(-1))
        if q.shape != (DIM,):
            raise ValueError(f"query must have {DIM} dimensions, got {q.shape}")
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
        if k <= 0 or not self.segments:
            return empty
        found: list[tuple[np.ndarray, np.ndarray]] = []  # (ids, scores) candidates from each segment
        if allowed_ids is not None:
            allowed = np.unique(np.asarray(allowed_ids, dtype=np.int64))
            for seg in self.segments:
                found.append(self._exact_rows(seg, q, seg.alive_rows_of(allowed), mask, k))
        else:
            use_ann = not exact and self.centroids is not None and len(self) >= self.ann_min_rows
            selectivity = self._selectivity(mask) if (mask is not None and use_ann) else 1.0
            # exact over the mask's rows when they are fewer than the rows the widened probe would scan anyway
            selective = selectivity * len(self) <= max(self.exact_masked_rows, self._probe_rows(selectivity))
            for seg in self.segments:
                if use_ann and seg.lists is not None and not selective:
                    found.append(self._ivf(seg, q, k, mask, selectivity))
                elif mask is not None:  # rows the mask passes: gathered if few, else a masked scan
                    found.append(self._exact_rows(seg, q, np.flatnonzero(self._seg_mask(seg, mask)), None, k))
                else:
                    found.append(self._brute(seg, q, k, seg.alive))
        found = [f for f in found if len(f[0])]
        if not found:
            return empty
        ids = np.concatenate([f[0] for f in found])
        scores = np.concatenate([f[1] for f in found])
        top = top_k(scores, k)
        return ids[top], scores[top]

    def _probes(self, nlist: int, k: int, selectivity: float | None) -> int:
        """Lists to probe first: ``nprobe``, widened under a mask (by its selectivity) and for k above 10."""
        widen = max(selectivity, 1e-4) ** -self.mask_gamma if selectivity is not None else 1.0
        return min(nlist, math.ceil(self.nprobe * widen * max(1.0, k / 10) ** 0.5))

    def _probe_rows(self, selectivity: float) -> float:
        ivf = [s for s in self.segments if s.lists is not None]
        if not ivf or self.centroids is None:
            return 0.0
        rows = sum(len(s) for s in ivf)
        return rows * self._probes(len(self.centroids), 10, selectivity) / len(self.centroids)

    def _seg_mask(self, seg: Segment, mask: MaskFn | None) -> np.ndarray:
        m = np.ones(len(seg), dtype=bool) if mask is None else np.array(mask(seg.facets), dtype=bool)
        if seg.alive is not None:
            m &= seg.alive
        return m

    def _selectivity(self, mask: MaskFn) -> float:
        """Share of alive rows passing the mask, counted on a fixed random sample of rows."""
        if self._sample is None:
            rng = np.random.default_rng(12345)
            total = sum(len(s) for s in self.segments)
            self._sample = []
            for seg in self.segments:
                take = min(len(seg), max(1, round(self.sample_rows * len(seg) / max(total, 1))))
                rows = np.sort(rng.choice(len(seg), take, replace=False))
                self._sample.append((seg.facets.take(rows), seg.alive[rows] if seg.alive is not None else None))
        hit = size = 0
        for cols, alive in self._sample:
            m = np.array(mask(cols), dtype=bool)
            if alive is not None:
                m &= alive
            hit += int(m.sum())
            size += len(cols) if alive is None else int(alive.sum())
        return hit / size if size else 0.0

    @staticmethod
    def _brute(seg: Segment, q: np.ndarray, k: int, m: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Chunked scan of a whole segment; ``m`` (bool per row) keeps rows."""
        best_ids, best_scores = [], []
        for start in range(0, len(seg), CHUNK_ROWS):
            scores = seg.vectors[start:start + CHUNK_ROWS] @ q
            if m is not None:
                rows = np.flatnonzero(m[start:start + CHUNK_ROWS])
                scores = scores[rows]
                top = top_k(scores, k)
                best_ids.append(np.asarray(seg.ids[start + rows[top]]))
            else:
                top = top_k(scores, k)
                best_ids.append(np.asarray(seg.ids[start + top]))
            best_scores.append(scores[top])
        if not best_ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        return np.concatenate(best_ids), np.concatenate(best_scores)

    def _exact_rows(self, seg: Segment, q: np.ndarray, rows: np.ndarray, mask: MaskFn | None,
                    k: int) -> tuple[np.ndarray, np.ndarray]:
        """Brute force over the given (alive, ascending) rows only, further filtered by ``mask``."""
        if mask is not None and len(rows):
            rows = rows[np.asarray(mask(seg.facets.take(rows)), dtype=bool)]
        if not len(rows):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        if len(rows) > len(seg) // 4:  # a large share: a contiguous masked scan beats a gather
            m = np.zeros(len(seg), dtype=bool)
            m[rows] = True
            return self._brute(seg, q, k, m)
        scores = np.concatenate([seg.vectors[rows[i:i + CHUNK_ROWS]] @ q for i in range(0, len(rows), CHUNK_ROWS)])
        top = top_k(scores, k)
        return np.asarray(seg.ids[rows[top]]), scores[top]

    def _ivf(self, seg: Segment, q: np.ndarray, k: int, mask: MaskFn | None,
             selectivity: float) -> tuple[np.ndarray, np.ndarray]:
        """Probe the query's nearest lists of an IVF-sorted segment: more lists under a mask (by its estimated
        selectivity) or for a large k, and on until k rows pass the mask and the tombstones."""
        lists = seg.lists
        assert lists is not None and self.centroids is not None  # only IVF-sorted segments are probed
        nlist = len(lists) - 1
        order = np.argsort(-(self.centroids @ q))
        probe = self._probes(nlist, k, selectivity if mask is not None else None)
        all_rows, all_scores = [], []
        hits = done = 0
        while done < nlist:
            batch = order[done:probe]
            spans = [(s, e) for s, e in zip(lists[batch].tolist(), lists[batch + 1].tolist(), strict=True) if e > s]
            done = probe
            if spans:
                sc = np.concatenate([seg.vectors[s:e] @ q for s, e in spans])
                rows = np.concatenate([np.arange(s, e) for s, e in spans])
                keep = np.asarray(mask(seg.facets.take(rows)), dtype=bool) if mask is not None else None
                if seg.alive is not None:
                    keep = seg.alive[rows] if keep is None else keep & seg.alive[rows]
                if keep is not None:
                    rows, sc = rows[keep], sc[keep]
                all_rows.append(rows)
                all_scores.append(sc)
                hits += len(rows)
            if hits >= k:
                break
            probe = min(nlist, probe * 2)
        if not hits:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        rows = np.concatenate(all_rows)
        sc = np.concatenate(all_scores)
        top = top_k(sc, k)
        return np.asarray(seg.ids[rows[top]]), sc[top]
