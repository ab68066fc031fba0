"""One immutable, memory-mapped segment of the vector index, and the array helpers the index is built of."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tools.search.vectors.facets import COLUMN_DTYPES, FacetColumns

DIM = 384
CHUNK_ROWS = 65_536  # rows per matrix-vector product in brute force


def normalise(vectors: np.ndarray) -> np.ndarray:
    """The vectors scaled to unit length (float32), so that a dot product is the cosine."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    return (vectors / norms).astype(np.float32, copy=False)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest scores, best first (ties: lower position first)."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def write_npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as fh:
        np.save(fh, np.ascontiguousarray(array))
        fh.flush()
        os.fsync(fh.fileno())


class Segment:
    """One immutable segment, memory-mapped, with its (mutable, in-memory) alive mask."""

    def __init__(self, folder: Path, name: str, alive_file: str | None, root: Path) -> None:
        self.name = name
        self.folder = folder
        self.vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        self.ids = np.load(folder / "ids.npy", mmap_mode="r")
        self.facets = FacetColumns(**{c: np.load(folder / f"{c}.npy", mmap_mode="r") for c in COLUMN_DTYPES})
        lists = folder / "lists.npy"
        self.lists: np.ndarray | None = np.load(lists) if lists.exists() else None
        self.alive_file = alive_file
        self.alive: np.ndarray | None = np.load(root / alive_file) if alive_file else None
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def alive_count(self) -> int:
        return len(self.ids) if self.alive is None else int(self.alive.sum())

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Rows (alive or not) holding these ids."""
        if self._sorted is None:
            order = np.argsort(self.ids, kind="stable")
            self._sorted = (order, np.asarray(self.ids)[order])
        order, sorted_ids = self._sorted
        if not len(sorted_ids) or not len(ids):
            return np.empty(0, dtype=np.int64)
        pos = np.searchsorted(sorted_ids, ids)
        pos = np.minimum(pos, len(sorted_ids) - 1)
        return np.sort(order[pos[sorted_ids[pos] == ids]])

    def alive_rows_of(self, ids: np.ndarray) -> np.ndarray:
        rows = self.rows_of(ids)
        return rows if self.alive is None else rows[self.alive[rows]]

    def kill(self, rows: np.ndarray) -> bool:
        if not len(rows):
            return False
        if self.alive is None:
            self.alive = np.ones(len(self.ids), dtype=bool)
        changed = bool(self.alive[rows].any())
        self.alive[rows] = False
        return changed

