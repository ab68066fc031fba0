"""Segments as one collection: the statistics a delta is built against, and segments built apart given the
statistics of all of them together (so that their scores add up to one BM25)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tools.search.sparse.build import NCOLS
from tools.search.sparse.index import SparseKeywordIndex


class Collection:
    """Segments searched as one collection: the statistics an index built against them needs (``reference``)."""

    def __init__(self, segments: list[SparseKeywordIndex]) -> None:
        self.segments = segments
        rows = sum(s.n_rows for s in segments)
        # restat segments share the collection's mean lengths; otherwise weigh each segment's by its rows
        avg = (sum(np.asarray(s.meta["avg_lengths"], dtype=np.float64) * s.n_rows for s in segments) / rows
               if rows else np.ones(NCOLS))
        self.meta = {"avg_lengths": [float(a) for a in np.atleast_1d(avg)]}
        self._rows = rows

    @property
    def collection_rows(self) -> int:
        return self._rows

    def token_frequencies(self, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray:
        total = np.zeros(len(token_offsets) - 1, dtype=np.float64)
        for s in self.segments:
            total += s.token_frequencies(token_offsets, token_blob)
        return total

    def pair_frequencies(self, pairs: np.ndarray, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray:
        total = np.zeros(len(pairs), dtype=np.float64)
        for s in self.segments:
            total += s.pair_frequencies(pairs, token_offsets, token_blob)
        return total


def restat_segments(folders: list[Path]) -> None:
    """Give segments built apart (each with its own statistics) the statistics of all of them together: row
    count, mean column lengths, and each token's and token pair's rows summed over the segments."""
    segments = [SparseKeywordIndex.open(f) for f in folders]
    if len(segments) < 2:
        return
    rows = sum(s.n_rows for s in segments)
    avg = np.asarray(sum(np.asarray(s.meta["avg_lengths"], dtype=np.float64) * s.n_rows for s in segments)
                     / max(rows, 1), dtype=np.float64)
    ids: dict[str, int] = {}  # token -> an id over all segments
    gids = []
    for s in segments:
        tokens = s.token_strings()
        gids.append(np.fromiter((ids.setdefault(t, len(ids)) for t in tokens), dtype=np.int64, count=len(tokens)))
    n_tokens = len(ids)
    del ids
    df = np.zeros(n_tokens, dtype=np.float64)
    for s, g in zip(segments, gids, strict=True):
        df[g] += np.asarray(s.token_df)  # a token has one rank per segment: no repeated index
    rank_in: list[np.ndarray] = []
    for g in gids:
        r = np.full(n_tokens, -1, dtype=np.int64)
        r[g] = np.arange(len(g))
        rank_in.append(r)
    for i, s in enumerate(segments):
        pairs = np.asarray(s.pairs)
        g1, g2 = gids[i][pairs >> 32], gids[i][pairs & 0xFFFFFFFF]
        pair_df = np.asarray(s.pair_df).astype(np.float64)
        for j, other in enumerate(segments):
            own = np.asarray(other.pairs)
            if j == i or not len(own) or not len(pairs):
                continue
            t1, t2 = rank_in[j][g1], rank_in[j][g2]
            codes = (np.maximum(t1, 0) << 32) | np.maximum(t2, 0)
            at = np.minimum(np.searchsorted(own, codes), len(own) - 1)
            found = (t1 >= 0) & (t2 >= 0) & (own[at] == codes)
            pair_df += np.where(found, np.asarray(other.pair_df)[at], 0)
        s.restat(rows, avg, df[gids[i]], pair_df, folders[i])
