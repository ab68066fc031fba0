"""The sparse index: its memory-mapped posting lists, the vocabulary, a probe's postings, and searching."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from tools.search.query import FTS5_WEIGHTS, ParsedQuery, Probe, ProfileDoc
from tools.search.sparse.build import FILES, FORMAT, K1, NCOLS, B, Statistics, build_arrays
from tools.search.sparse.rowsets import EMPTY_ROWS, EMPTY_WEIGHTS, intersect, locate, max_per_row
from tools.search.sparse.run import QueryRun, SparseResult, top_k


class SparseKeywordIndex:
    """Boolean retrieval and BM25 ranking over memory-mappable posting lists (see :mod:`tools.search.sparse`)."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict) -> None:
        # plain ndarray views of the memory maps: np.memmap's Python-level slicing costs more than the lookups
        arrays = {name: a.view(np.ndarray) if isinstance(a, np.memmap) else a for name, a in arrays.items()}
        self._token_bytes = arrays["tokens"].tobytes()  # the vocabulary is small: read into memory
        self.token_offsets = np.array(arrays["token_offsets"])
        self.tokens = arrays["tokens"]
        self.unigram_keys = arrays["unigram_keys"]
        self.unigram_cols = np.array(arrays["unigram_cols"])
        self.bigram_keys = arrays["bigram_keys"]
        self.bigram_cols = np.array(arrays["bigram_cols"])
        self.postings_offsets = arrays["postings_offsets"]
        self.rows = arrays["rows"]
        self.weights = arrays["weights"]
        self.tfs = arrays["tfs"]
        self.ids = arrays["ids"]
        self.positions = arrays["positions"]
        self.position_offsets = arrays["position_offsets"]
        self.token_df = arrays["token_df"]
        self.pairs = arrays["pairs"]
        self.pair_df = arrays["pair_df"]
        self.lengths = arrays["lengths"]
        self.meta = meta
        self.n_rows = int(meta["rows"])
        self._n_unigrams = int(self.unigram_cols[-1])
        self._ranks: dict[str, int | None] = {}  # token -> rank, for tokens looked up before

    # ---- building ---------------------------------------------------------------------------------------

    @classmethod
    def build(cls, docs: Iterable[tuple[int, ProfileDoc]], path: Path | None = None,
              reference: Statistics | None = None) -> SparseKeywordIndex:
        """Index documents (row i is the i-th document); written to ``path`` as .npy files when given.

        With a ``reference``, BM25 statistics are those of the reference and these documents together."""
        arrays, meta = build_arrays(docs, reference)
        if path is not None:
            path = Path(path)
            path.mkdir(parents=True, exist_ok=True)
            for name, values in arrays.items():
                np.save(path / f"{name}.npy", values)
            (path / "meta.json").write_text(json.dumps(meta))
        return cls(arrays, meta)

    @classmethod
    def open(cls, path: Path) -> SparseKeywordIndex:
        """Memory-map an index written by :meth:`build`."""
        path = Path(path)
        meta = json.loads((path / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"sparse index format {meta.get('format')} in {path}; expected {FORMAT}")
        arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r") for name in FILES}
        return cls(arrays, meta)

    def __len__(self) -> int:
        return self.n_rows

    def nbytes(self) -> int:
        return sum(int(getattr(self, name).nbytes) for name in FILES)

    # ---- statistics: one segment of a larger collection ------------------------------------------------------

    @property
    def collection_rows(self) -> int:
        """Rows of the collection whose statistics the weights use (this index's own unless restat)."""
        return int(self.meta.get("collection_rows", self.n_rows))

    def token_strings(self) -> list[str]:
        return [self._token(r).decode() for r in range(len(self.token_offsets) - 1)]

    def restat(self, collection_rows: int, avg_lengths: np.ndarray, token_df: np.ndarray, pair_df: np.ndarray,
               path: Path | None = None, block: int = 4_000_000) -> None:
        """Recompute every weight with a collection's statistics: its row count, mean column lengths, and the
        rows holding each of this index's tokens (by rank) and token pairs (aligned with ``pairs``). Written to
        ``path`` (the folder the index was built in) when given; done in blocks of postings to bound memory."""
        avg = np.maximum(np.asarray(avg_lengths, dtype=np.float64), 1e-9)
        token_df = np.asarray(token_df, dtype=np.float64)
        pair_df = np.asarray(pair_df, dtype=np.float64)
        n_keys = len(self.postings_offsets) - 1
        key_idf = np.empty(n_keys, dtype=np.float64)
        key_idf[:self._n_unigrams] = np.log1p((collection_rows - token_df + 0.5) / (token_df + 0.5))[
            np.asarray(self.unigram_keys)]
        if n_keys > self._n_unigrams:
            at = np.searchsorted(np.asarray(self.pairs), np.asarray(self.bigram_keys))
            key_idf[self._n_unigrams:] = np.log1p((collection_rows - pair_df[at] + 0.5) / (pair_df[at] + 0.5))
        key_col = np.concatenate([np.repeat(np.arange(NCOLS, dtype=np.int8), np.diff(self.unigram_cols)),
                                  np.repeat(np.arange(NCOLS, dtype=np.int8), np.diff(self.bigram_cols))])
        column_weights = np.asarray(FTS5_WEIGHTS, dtype=np.float64)
        offsets = np.asarray(self.postings_offsets)
        lengths = np.asarray(self.lengths)
        weights = np.empty(len(self.rows), dtype=np.float32)
        for lo in range(0, len(weights), block):
            hi = min(len(weights), lo + block)
            key = np.searchsorted(offsets, np.arange(lo, hi), side="right") - 1
            c = key_col[key]
            tf = np.asarray(self.tfs[lo:hi], dtype=np.float64)
            norm = K1 * (1 - B + B * lengths[c, np.asarray(self.rows[lo:hi])] / avg[c])
            weights[lo:hi] = column_weights[c] * key_idf[key] * tf * (K1 + 1) / (tf + norm)
        self.weights = weights
        self.meta = {**self.meta, "collection_rows": int(collection_rows), "avg_lengths": [float(a) for a in avg]}
        if path is not None:
            path = Path(path)
            tmp = path / "weights.tmp.npy"
            np.save(tmp, weights)
            os.replace(tmp, path / "weights.npy")  # readers of the old file keep their memory map
            (path / "meta.json").write_text(json.dumps(self.meta))

    # ---- statistics for an index built against this one ---------------------------------------------------

    def _ranks_of(self, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray:
        """This index's rank of each token of another vocabulary (-1 where this index lacks it)."""
        blob = token_blob.tobytes()
        out = np.full(len(token_offsets) - 1, -1, dtype=np.int64)
        for i in range(len(out)):
            key = blob[token_offsets[i]:token_offsets[i + 1]]
            at = self._lower_bound(key)
            if at < len(self.token_offsets) - 1 and self._token(at) == key:
                out[i] = at
        return out

    def token_frequencies(self, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray:
        """Rows of this index holding each token of another (sorted) vocabulary."""
        if not len(self.token_df):  # a segment built from an empty store (`hire init` before any profile)
            return np.zeros(len(token_offsets) - 1, dtype=np.float64)
        ranks = self._ranks_of(token_offsets, token_blob)
        return np.where(ranks >= 0, np.asarray(self.token_df)[np.maximum(ranks, 0)], 0).astype(np.float64)

    def pair_frequencies(self, pairs: np.ndarray, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray:
        """Rows of this index holding each token pair of another vocabulary (pairs in its ranks)."""
        if not len(pairs) or not len(self.pairs):
            return np.zeros(len(pairs), dtype=np.float64)
        ranks = self._ranks_of(token_offsets, token_blob)
        first, second = ranks[pairs >> 32], ranks[pairs & 0xFFFFFFFF]
        known = (first >= 0) & (second >= 0)
        codes = (np.maximum(first, 0) << 32) | np.maximum(second, 0)
        own = np.asarray(self.pairs)
        at = np.minimum(np.searchsorted(own, codes), len(own) - 1)
        found = known & (own[at] == codes)
        return np.where(found, np.asarray(self.pair_df)[at], 0).astype(np.float64)

    # ---- the vocabulary -----------------------------------------------------------------------------------

    def _token(self, rank: int) -> bytes:
        return self._token_bytes[self.token_offsets[rank]:self.token_offsets[rank + 1]]

    def _lower_bound(self, key: bytes) -> int:
        lo, hi = 0, len(self.token_offsets) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self._token(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _rank(self, token: str) -> int | None:
        if token not in self._ranks:
            if len(self._ranks) > 100_000:
                self._ranks.clear()
            key = token.encode()
            at = self._lower_bound(key)
            self._ranks[token] = at if at < len(self.token_offsets) - 1 and self._token(at) == key else None
        return self._ranks[token]

    def _rank_range(self, prefix: str) -> tuple[int, int]:
        """Ranks [lo, hi) of the tokens starting with prefix."""
        key = prefix.encode()
        return self._lower_bound(key), self._lower_bound(key + b"\xff")  # no UTF-8 byte is 0xff

    def _postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = int(self.postings_offsets[key]), int(self.postings_offsets[key + 1])
        return self.rows[lo:hi], self.weights[lo:hi]

    def _postings_range(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Postings of keys first..last-1, merged: sorted unique rows, each with its best weight."""
        if first >= last:
            return EMPTY_ROWS, EMPTY_WEIGHTS
        if last - first == 1:
            return self._postings(first)
        lo, hi = int(self.postings_offsets[first]), int(self.postings_offsets[last])
        return max_per_row(np.asarray(self.rows[lo:hi]), np.asarray(self.weights[lo:hi]))

    def _unigram(self, c: int, token: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.unigram_cols[c]), int(self.unigram_cols[c + 1])
        keys = self.unigram_keys[start:end]
        if prefix:
            r_lo, r_hi = self._rank_range(token)
            return self._postings_range(start + int(np.searchsorted(keys, r_lo)),
                                        start + int(np.searchsorted(keys, r_hi)))
        rank = self._rank(token)
        if rank is None:
            return EMPTY_ROWS, EMPTY_WEIGHTS
        at = int(np.searchsorted(keys, rank))
        if at == len(keys) or keys[at] != rank:
            return EMPTY_ROWS, EMPTY_WEIGHTS
        return self._postings(start + at)

    def _bigram(self, c: int, first: str, second: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.bigram_cols[c]), int(self.bigram_cols[c + 1])
        keys = self.bigram_keys[start:end]
        base = self._n_unigrams + start
        r1 = self._rank(first)
        if r1 is None:
            return EMPTY_ROWS, EMPTY_WEIGHTS
        if prefix:
            r_lo, r_hi = self._rank_range(second)
            return self._postings_range(base + int(np.searchsorted(keys, (r1 << 32) | r_lo)),
                                        base + int(np.searchsorted(keys, (r1 << 32) | r_hi)))
        r2 = self._rank(second)
        if r2 is None:
            return EMPTY_ROWS, EMPTY_WEIGHTS
        code = (r1 << 32) | r2
        at = int(np.searchsorted(keys, code))
        if at == len(keys) or keys[at] != code:
            return EMPTY_ROWS, EMPTY_WEIGHTS
        return self._postings(base + at)

    def probe_column(self, probe: Probe, c: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows where the probe's tokens occur consecutively in column c, with the probe's weight there.

        One token: its unigram postings. Two: their bigram's postings (exact). Longer phrases: the AND of their
        consecutive bigrams' postings gives candidates (every pair adjacent somewhere in the column, not
        necessarily in one run), which are then checked with the bigrams' stored positions. The weight of a
        phrase is the mean of its bigrams' weights.
        """
        tokens = probe.tokens
        if len(tokens) == 1:
            return self._unigram(c, tokens[0], probe.prefix)
        parts = [self._bigram(c, a, b, probe.prefix and i == len(tokens) - 2)
                 for i, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False))]
        if len(parts) == 1:
            return parts[0]
        parts.sort(key=lambda p: len(p[0]))
        rows = parts[0][0]
        for other, _ in parts[1:]:
            rows = intersect(rows, other)
        rows = self._verify(c, rows, tokens, probe.prefix)
        total = np.zeros(len(rows), dtype=np.float32)
        for part_rows, part_weights in parts:
            total += part_weights[locate(part_rows, rows)[0]]
        return rows, total / len(parts)

    def _tf_at(self, key: int, rows: np.ndarray) -> np.ndarray:
        """Term frequencies of a key in rows that all hold it."""
        lo, hi = int(self.postings_offsets[key]), int(self.postings_offsets[key + 1])
        return self.tfs[lo:hi][locate(self.rows[lo:hi], rows)[0]].astype(np.int64)

    def _unigram_key(self, c: int, token: str) -> int:
        start, end = int(self.unigram_cols[c]), int(self.unigram_cols[c + 1])
        rank = self._rank(token)
        assert rank is not None  # only asked for tokens the candidate rows hold
        return start + int(np.searchsorted(self.unigram_keys[start:end], rank))

    def _bigram_key(self, c: int, first: str, second: str) -> int:
        start, end = int(self.bigram_cols[c]), int(self.bigram_cols[c + 1])
        code = (self._rank(first) << 32) | self._rank(second)  # type: ignore[operator]
        return self._n_unigrams + start + int(np.searchsorted(self.bigram_keys[start:end], code))

    def _verify(self, c: int, rows: np.ndarray, tokens: tuple[str, ...], prefix: bool) -> np.ndarray:
        """The candidate rows whose column c holds the tokens in one consecutive run.

        A candidate holds every consecutive pair. When every occurrence of each inner token follows its
        predecessor in the phrase (tf of the pair = tf of the token), the run ends at any occurrence of the last
        pair, chained backwards; likewise when every inner token is followed by its successor. Only the other
        rows are checked: pair i must occur at position p + i for some start p.
        """
        if not len(rows):
            return rows
        preceded = np.ones(len(rows), dtype=bool)
        followed = np.zeros(len(rows), dtype=bool) if prefix else np.ones(len(rows), dtype=bool)
        for i in range(1, len(tokens) - 1):
            tf = self._tf_at(self._unigram_key(c, tokens[i]), rows)
            saturated = tf >= 65535
            preceded &= (self._tf_at(self._bigram_key(c, tokens[i - 1], tokens[i]), rows) == tf) & ~saturated
            if not prefix:
                followed &= (self._tf_at(self._bigram_key(c, tokens[i], tokens[i + 1]), rows) == tf) & ~saturated
        ambiguous = ~(preceded | followed)
        if not ambiguous.any():
            return rows
        check = rows[ambiguous]
        starts: np.ndarray | None = None  # (row << 32 | phrase start) of runs holding the pairs so far
        for i in range(len(tokens) - 1):
            if prefix and i == len(tokens) - 2:
                lo_hi = self._rank_range(tokens[-1])
                r1 = self._rank(tokens[i]) or 0
                start, end = int(self.bigram_cols[c]), int(self.bigram_cols[c + 1])
                keys = self.bigram_keys[start:end]
                base = self._n_unigrams + start
                key_range = range(base + int(np.searchsorted(keys, (r1 << 32) | lo_hi[0])),
                                  base + int(np.searchsorted(keys, (r1 << 32) | lo_hi[1])))
            else:
                key = self._bigram_key(c, tokens[i], tokens[i + 1])
                key_range = range(key, key + 1)
            found = [self._occurrences(key, check, i) for key in key_range]
            runs = np.unique(np.concatenate(found)) if len(found) > 1 else found[0]
            starts = runs if starts is None else intersect(starts, runs)
        assert starts is not None
        verified = starts >> 32  # sorted: keep the first of each row
        if len(verified):
            verified = verified[np.concatenate(([True], verified[1:] != verified[:-1]))]
        keep = ~ambiguous
        keep[np.flatnonzero(ambiguous)[np.searchsorted(check, verified)]] = True
        return rows[keep]

    def _occurrences(self, key: int, rows: np.ndarray, shift: int) -> np.ndarray:
        """(row << 32 | position - shift) of every occurrence of a bigram key in the rows, sorted."""
        lo, hi = int(self.postings_offsets[key]), int(self.postings_offsets[key + 1])
        key_rows, tfs = self.rows[lo:hi], self.tfs[lo:hi].astype(np.int64)
        at, held = locate(key_rows, rows)
        at, held_rows = at[held], rows[held]
        first = np.cumsum(tfs) - tfs  # where each posting's positions start in the key's block
        counts = tfs[at]
        block = int(self.position_offsets[key - self._n_unigrams])
        offsets = np.cumsum(counts) - counts
        index = np.repeat(block + first[at] - offsets, counts) + np.arange(int(counts.sum()))
        position = self.positions[index].astype(np.int64) - shift
        return (np.repeat(held_rows.astype(np.int64), counts) << 32) | position

    # ---- searching ------------------------------------------------------------------------------------------

    def search(self, query: ParsedQuery, allowed_rows_mask: np.ndarray | None = None,
               k: int = 10, with_matches: bool = False) -> SparseResult:
        """The top ``k`` profiles matching the boolean query (and the mask, a bool per row), ties by profile id;
        with ``with_matches``, every matching id as well (one evaluation for ranking and filtering).

        A query without terms matches every allowed row, all scored 0.
        """
        run = QueryRun(self, allowed_rows_mask)
        if query.root is None:
            matched = run.universe()
        else:
            matched = run.rows(query.root)
            if allowed_rows_mask is not None and len(matched):
                matched = matched[np.asarray(allowed_rows_mask)[matched]]
        if not len(matched):
            none = np.zeros(0, dtype=np.int64)
            return SparseResult(none, EMPTY_WEIGHTS, 0, none if with_matches else None)
        scores = run.scores(query, matched)
        ids = np.asarray(self.ids)[matched] if len(matched) < self.n_rows else np.asarray(self.ids)
        top = top_k(scores, ids, k)
        return SparseResult(ids[top], scores[top], len(matched), ids if with_matches else None)

    def matching_ids(self, query: ParsedQuery, allowed_rows_mask: np.ndarray | None = None) -> np.ndarray:
        """Every profile id the boolean query (and the mask) matches, in row order."""
        run = QueryRun(self, allowed_rows_mask)
        if query.root is None:
            return np.asarray(self.ids)[run.universe()]
        matched = run.rows(query.root)
        if allowed_rows_mask is not None and len(matched):
            matched = matched[np.asarray(allowed_rows_mask)[matched]]
        return np.asarray(self.ids)[matched]
