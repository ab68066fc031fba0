"""The IVF behind approximate search: spherical k-means over a sample of the vectors, each vector's nearest
list, and the calibration of the probe count (and its widening under a mask) for a recall target."""

from __future__ import annotations

import math

import numpy as np

from tools.search.vectors.segments import CHUNK_ROWS, Segment, normalise, top_k

RECALL_TARGET = 0.97  # calibration target; the contract is >= 0.95, the margin covers queries unlike the sample
# Text queries sit farther from profile vectors than profiles from one another (measured at 100k composed
# profiles: recall@10 0.90 for text queries at the nprobe that gave stored vectors 0.97), so probe this many
# times the lists the leave-one-out calibration asks for.
QUERY_PROBE_FACTOR = 2.0


def assign(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Nearest centroid of each vector (chunked)."""
    out = np.empty(len(vectors), dtype=np.int64)
    for start in range(0, len(vectors), CHUNK_ROWS):
        out[start:start + CHUNK_ROWS] = np.argmax(vectors[start:start + CHUNK_ROWS] @ centroids.T, axis=1)
    return out


def sample_vectors(segments: list[Segment], count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` alive vectors drawn at random (without replacement) across segments."""
    alive = [np.flatnonzero(s.alive) if s.alive is not None else np.arange(len(s)) for s in segments]
    sizes = np.array([len(a) for a in alive])
    picks = np.sort(rng.choice(int(sizes.sum()), count, replace=False))
    bounds = np.r_[0, np.cumsum(sizes)]
    out = []
    for seg, rows, lo, hi in zip(segments, alive, bounds[:-1], bounds[1:], strict=True):
        mine = picks[(picks >= lo) & (picks < hi)] - lo
        if len(mine):
            out.append(np.asarray(seg.vectors[rows[mine]]))
    return np.concatenate(out)


def train_centroids(train: np.ndarray, nlist: int, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """``nlist`` unit centroids by spherical k-means over the training vectors, seeded from ``rng``."""
    centroids = train[rng.choice(len(train), nlist, replace=False)].copy()
    for _ in range(iterations):
        assigned = assign(train, centroids)
        sums = np.zeros_like(centroids)
        order = np.argsort(assigned, kind="stable")
        sorted_assign = assigned[order]
        starts = np.flatnonzero(np.r_[True, sorted_assign[1:] != sorted_assign[:-1]])
        sums[sorted_assign[starts]] = np.add.reduceat(train[order], starts, axis=0)
        empty = np.flatnonzero(np.bincount(assigned, minlength=nlist) == 0)
        if len(empty):  # reseed empty lists with random training vectors
            sums[empty] = train[rng.choice(len(train), len(empty), replace=False)]
        centroids = normalise(sums)
    return centroids


def calibrate(seg: Segment, centroids: np.ndarray, rng: np.random.Generator, queries: int = 200, k: int = 10,
              share: float = 0.1) -> tuple[int, float]:
    """(nprobe, mask_gamma): the smallest nprobe with leave-one-out recall@k >= RECALL_TARGET on an IVF-sorted
    segment, and the widening exponent for masks.

    A stored vector is the query and is left out of its own results, so it stands for a new profile of
    the same pool. The recall of p probes is exact arithmetic: a true neighbour is found iff its list is
    among the query's p nearest lists. The mask exponent comes from the same with a random ``share`` mask.
    """
    assert seg.lists is not None  # the segment is sorted into the centroids' lists
    n, nlist = len(seg), len(centroids)
    list_of_row = np.repeat(np.arange(nlist), np.diff(seg.lists))
    qrows = rng.choice(n, min(queries, n), replace=False)
    masked = rng.random(n) < share
    ranks_all, ranks_masked = [], []
    for b in range(0, len(qrows), 25):
        rows = qrows[b:b + 25]
        q = np.asarray(seg.vectors[rows])
        scores = np.empty((len(rows), n), dtype=np.float32)
        for start in range(0, n, CHUNK_ROWS):
            scores[:, start:start + CHUNK_ROWS] = q @ seg.vectors[start:start + CHUNK_ROWS].T
        scores[np.arange(len(rows)), rows] = -np.inf  # leave the query out
        list_rank = np.empty((len(rows), nlist), dtype=np.int64)
        list_rank[np.arange(len(rows))[:, None], np.argsort(-(q @ centroids.T), axis=1)] = np.arange(nlist)
        for i in range(len(rows)):
            ranks_all.append(list_rank[i, list_of_row[top_k(scores[i], k)]])
            mrows = np.flatnonzero(masked)
            ranks_masked.append(list_rank[i, list_of_row[mrows[top_k(scores[i, mrows], k)]]])

    def probes_needed(ranks: list[np.ndarray]) -> int:
        flat = np.sort(np.concatenate(ranks))
        return int(flat[max(0, math.ceil(RECALL_TARGET * len(flat)) - 1)]) + 1

    nprobe = min(nlist, math.ceil(probes_needed(ranks_all) * QUERY_PROBE_FACTOR))
    p_masked = min(nlist, math.ceil(probes_needed(ranks_masked) * QUERY_PROBE_FACTOR))
    return nprobe, max(0.0, math.log(p_masked / nprobe) / math.log(1 / share))
