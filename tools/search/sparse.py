"""An in-process sparse keyword index: the boolean query language evaluated over posting lists, ranked by BM25.

It searches the token streams every other backend searches (:func:`tools.search.query.fts5_row`, columns
``FTS5_COLUMNS``) and follows the same match rules (:func:`tools.search.query._probes`), so the set of rows a
query matches is the one :func:`tools.search.query.evaluate` accepts.

Layout (CSC style: one column of the row-by-key matrix per vocabulary key)::

    tokens.npy           uint8: the distinct tokens, UTF-8, sorted (byte order = code point order), concatenated
    token_offsets.npy    int64 (T + 1): token r is tokens[token_offsets[r]:token_offsets[r + 1]]
    unigram_keys.npy     int32 token ranks; column c's keys are unigram_keys[unigram_cols[c]:unigram_cols[c + 1]]
    unigram_cols.npy     int64 (7)
    bigram_keys.npy      int64 (rank1 << 32 | rank2), sorted per column; bigram_cols.npy int64 (7)
    postings_offsets.npy int64 (K + 1): key j (unigram keys first, then bigram keys) owns rows/weights[o[j]:o[j+1]]
    rows.npy             int32 row numbers, sorted within a key
    weights.npy          float32 BM25 weight of the key in that row (column weight included)
    tfs.npy              uint16 occurrences of the key in that row's column (capped at 65535)
    positions.npy        uint32 (bigram postings only) where each occurrence starts, ascending per posting
    position_offsets.npy int64 per bigram key: where its postings' positions start in positions.npy
    ids.npy              int64 profile id per row
    token_df.npy         int32 per token rank: rows holding the token in any column
    pairs.npy            int64 sorted distinct token pairs (rank1 << 32 | rank2); pair_df.npy int32 their rows
    lengths.npy          uint16 (6, rows): tokens per column and row (capped at 65535)
    meta.json            format, row count, BM25 parameters, mean column lengths

Keys are (column, token) and (column, token pair) for phrases. The sorted key arrays are the vocabulary: a
token's rank is found by bisection over the sorted tokens, a key by ``searchsorted``; a prefix is a range of
ranks, so its keys are a contiguous range of each column's keys. A phrase of two tokens is its bigram's posting
list; a longer one is the AND of its consecutive bigrams, then, where a repeated inner token leaves it open,
checked with the bigrams' positions, so phrases match exactly as :func:`~tools.search.query.evaluate` does.

BM25 per posting: ``w_c * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len_c / avglen_c))`` with k1 = 1.2,
b = 0.75, the column weights of the SQLite FTS5 ranking (``FTS5_WEIGHTS``), length normalisation per column,
and ``idf = ln(1 + (N - n + 0.5) / (n + 0.5))`` where ``n`` counts the rows holding the token (or token pair)
in any column. A row's score is the sum, over the distinct probes of the query's positive terms and the single
words of their phrases, of the weights of those postings in the row.

An index can be one segment of a larger collection: :meth:`SparseKeywordIndex.restat` recomputes its weights
with the collection's row count, mean column lengths and document frequencies, so the segments' scores add up
to one BM25 (a million profiles are built as segments of a bounded size, which bounds the build's memory).
A small index can also be built against a collection (``reference``): its weights then use the collection's
statistics plus its own, so a delta of changed profiles is searched beside the base segments
(:mod:`tools.search.sparse_store`).
"""

from __future__ import annotations

import array
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tools.search.keyword import FTS5_WEIGHTS
from tools.search.query import (
    _FTS5_COLUMN,
    FTS5_COLUMNS,
    Node,
    Not,
    Or,
    ParsedQuery,
    ProfileDoc,
    Term,
    _Probe,
    _probes,
    fts5_row,
)

FORMAT = 2
K1 = 1.2
B = 0.75
_NCOLS = len(FTS5_COLUMNS)
_COLUMN_INDEX = {name: i for i, name in enumerate(FTS5_COLUMNS)}
_FILES = ("tokens", "token_offsets", "unigram_keys", "unigram_cols", "bigram_keys", "bigram_cols",
          "postings_offsets", "rows", "weights", "tfs", "ids", "positions", "position_offsets", "token_df", "pairs",
          "pair_df", "lengths")
_EMPTY_ROWS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


class Statistics(Protocol):
    """What an index built against a collection (``reference``) needs of it."""

    meta: dict

    @property
    def collection_rows(self) -> int: ...

    def token_frequencies(self, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray: ...

    def pair_frequencies(self, pairs: np.ndarray, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class SparseResult:
    ids: np.ndarray  # int64 profile ids, best first
    scores: np.ndarray  # float32, higher is better
    total: int  # rows matching the query (and the mask)
    matched: np.ndarray | None = None  # every matching profile id, in row order (when asked for)

    def __iter__(self) -> Iterator[Any]:  # ids, scores, total = index.search(...)
        return iter((self.ids, self.scores, self.total))


# ---- sorted-row-set algebra -----------------------------------------------------------------------------


def _dense_pays(needles: np.ndarray, haystack: np.ndarray) -> bool:
    """Whether a table over the value range beats bisection: many needles against the haystack, and values
    (row numbers) in a range not much wider than the arrays (codes such as ``row << 32 | position`` are not)."""
    if len(needles) * 16 <= len(haystack) or not len(needles) or not len(haystack):
        return False
    return int(max(haystack[-1], needles[-1])) <= 8 * (len(needles) + len(haystack)) + 65_536


def _locate(haystack: np.ndarray, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each needle (sorted rows), its index in the sorted unique haystack and whether it is there.

    Bisection for few needles, O(k log n); a table over the row range for many, O(n + k) (a phrase's
    candidates checked against the posting list of a common word are hundreds of thousands of rows)."""
    if not len(haystack) or not len(needles):
        return np.zeros(len(needles), dtype=np.int64), np.zeros(len(needles), dtype=bool)
    if _dense_pays(needles, haystack):
        table = np.full(int(max(haystack[-1], needles[-1])) + 1, -1, dtype=np.int64)
        table[haystack] = np.arange(len(haystack))
        at = table[needles]
        found = at >= 0
        at[~found] = 0
        return at, found
    at = np.searchsorted(haystack, needles)
    at[at == len(haystack)] = 0
    return at, haystack[at] == needles


def _intersect(small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """Rows in both sorted unique arrays."""
    return small[_locate(large, small)[1]] if len(small) and len(large) else _EMPTY_ROWS


def _difference(rows: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """Rows of a sorted unique array not in another."""
    return rows[~_locate(drop, rows)[1]] if len(rows) and len(drop) else rows


def _union(parts: list[np.ndarray], n_rows: int) -> np.ndarray:
    """Sorted union: a dense bitmap when the parts are large, else sort and deduplicate."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _EMPTY_ROWS
    if len(parts) == 1:
        return parts[0]
    size = sum(len(p) for p in parts)
    if size * 32 > n_rows:
        dense = np.zeros(n_rows, dtype=bool)
        for p in parts:
            dense[p] = True
        return np.flatnonzero(dense).astype(np.int32, copy=False)
    return np.unique(np.concatenate(parts))


def _max_per_row(rows: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Deduplicate rows (several keys of one prefix), keeping each row's highest weight."""
    order = np.lexsort((-weights, rows))
    rows, weights = rows[order], weights[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    return rows[first], weights[first]


# ---- the index ----------------------------------------------------------------------------------------------


class SparseKeywordIndex:
    """Boolean retrieval and BM25 ranking over memory-mappable posting lists (see the module docstring)."""

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
        vocab: dict[str, int] = {}
        ids = array.array("q")
        occ_rows = [array.array("i") for _ in range(_NCOLS)]  # one entry per token occurrence
        occ_tokens = [array.array("i") for _ in range(_NCOLS)]
        for row, (pid, doc) in enumerate(docs):
            ids.append(pid)
            for c, value in enumerate(fts5_row(doc)):
                if not value:
                    continue
                tokens = value.split()
                occ_tokens[c].extend([vocab.setdefault(t, len(vocab)) for t in tokens])
                occ_rows[c].extend([row] * len(tokens))
        n = len(ids)
        words = sorted(vocab)
        rank_of = np.empty(len(vocab), dtype=np.int64)
        rank_of[np.fromiter((vocab[w] for w in words), dtype=np.int64, count=len(words))] = np.arange(len(words))
        encoded = [w.encode() for w in words]
        token_offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=token_offsets[1:])
        token_blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
        del vocab, words, encoded

        # per column: unigram (rank, row) -> tf, and bigram (pair, row) -> tf
        uni: list[tuple[np.ndarray, np.ndarray]] = []  # (code = rank * n + row, tf)
        bi_pairs: list[np.ndarray] = []  # per occurrence: rank1 << 32 | rank2
        bi_rows: list[np.ndarray] = []
        lengths = np.zeros((_NCOLS, max(n, 1)), dtype=np.float32)
        bi_positions: list[np.ndarray] = []  # per bigram occurrence: the position of its first token
        for c in range(_NCOLS):
            rows = np.frombuffer(occ_rows[c], dtype=np.int32).astype(np.int64)
            ranks = rank_of[np.frombuffer(occ_tokens[c], dtype=np.int32)]
            occ_rows[c] = occ_tokens[c] = array.array("i")
            lengths[c, :n] = np.bincount(rows, minlength=n)[:n]
            row_start = np.cumsum(lengths[c, :n].astype(np.int64)) - lengths[c, :n].astype(np.int64)
            position = np.arange(len(rows)) - row_start[rows] if n else rows
            code, tf = np.unique(ranks * max(n, 1) + rows, return_counts=True)
            uni.append((code, tf))
            same = rows[1:] == rows[:-1]  # consecutive tokens of one row's column stream
            bi_pairs.append((ranks[:-1][same] << 32) | ranks[1:][same])
            bi_rows.append(rows[:-1][same])
            bi_positions.append(position[:-1][same].astype(np.uint32))
        avg = np.maximum(lengths[:, :n].mean(axis=1), 1e-9) if n else np.ones(_NCOLS, dtype=np.float32)
        n_stats = n
        if reference is not None:  # the statistics of both: weighted mean lengths, summed row counts
            ref_n = reference.collection_rows
            ref_avg = np.asarray(reference.meta["avg_lengths"], dtype=np.float64)
            avg = np.maximum((ref_avg * ref_n + lengths[:, :n].sum(axis=1)) / max(ref_n + n, 1), 1e-9)
            n_stats = ref_n + n

        def idf(df: np.ndarray) -> np.ndarray:
            return np.log1p((n_stats - df + 0.5) / (df + 0.5))

        def bm25(c: int, rows: np.ndarray, tf: np.ndarray, idf_values: np.ndarray) -> np.ndarray:
            norm = K1 * (1 - B + B * lengths[c, rows] / avg[c])
            return (FTS5_WEIGHTS[c] * idf_values * tf * (K1 + 1) / (tf + norm)).astype(np.float32)

        # unigram document frequency: rows holding the token in any column
        both = np.unique(np.concatenate([code for code, _ in uni])) if n else np.zeros(0, dtype=np.int64)
        uni_df = np.bincount(both // max(n, 1), minlength=len(rank_of)).astype(np.float64)
        del both
        token_df = uni_df.astype(np.int32)
        if reference is not None:
            uni_df = uni_df + reference.token_frequencies(token_offsets, token_blob)
        key_parts: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        row_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        tf_parts: list[np.ndarray] = []
        unigram_cols = np.zeros(_NCOLS + 1, dtype=np.int64)
        for c, (code, tf) in enumerate(uni):
            rank, rows = np.divmod(code, max(n, 1))
            keys, per_key = np.unique(rank, return_counts=True)
            key_parts.append(keys.astype(np.int32))
            counts.append(per_key)
            row_parts.append(rows.astype(np.int32))
            weight_parts.append(bm25(c, rows, tf, idf(uni_df[rank])))
            tf_parts.append(np.minimum(tf, 65535).astype(np.uint16))
            unigram_cols[c + 1] = unigram_cols[c] + len(keys)
        del uni
        unigram_keys = np.concatenate(key_parts) if key_parts else np.zeros(0, dtype=np.int32)

        # bigrams: a dense id per distinct pair over all columns, then (id, row) -> tf
        all_pairs = np.concatenate(bi_pairs) if bi_pairs else np.zeros(0, dtype=np.int64)
        pairs, inverse = np.unique(all_pairs, return_inverse=True)
        del all_pairs
        pair_ids, start = [], 0
        for p in bi_pairs:
            pair_ids.append(inverse[start:start + len(p)])
            start += len(p)
        del inverse, bi_pairs
        bi: list[tuple[np.ndarray, np.ndarray]] = []
        for c in range(_NCOLS):
            code = pair_ids[c] * max(n, 1) + bi_rows[c]
            order = np.argsort(code, kind="stable")  # occurrences come in position order: stable keeps it
            bi_positions[c] = bi_positions[c][order]
            code, tf = np.unique(code[order], return_counts=True)
            bi.append((code, tf))
        del pair_ids, bi_rows
        both = np.unique(np.concatenate([code for code, _ in bi])) if n else np.zeros(0, dtype=np.int64)
        bi_df = np.bincount(both // max(n, 1), minlength=len(pairs)).astype(np.float64)
        del both
        pair_df = bi_df.astype(np.int32)
        if reference is not None:
            bi_df = bi_df + reference.pair_frequencies(pairs, token_offsets, token_blob)
        bigram_parts: list[np.ndarray] = []
        bigram_cols = np.zeros(_NCOLS + 1, dtype=np.int64)
        occurrences: list[np.ndarray] = []  # per bigram key, its number of occurrences
        for c, (code, tf) in enumerate(bi):
            pid_, rows = np.divmod(code, max(n, 1))
            keys, first_of_key, per_key = np.unique(pid_, return_index=True, return_counts=True)
            occurrences.append(np.add.reduceat(tf, first_of_key) if len(tf) else tf)
            bigram_parts.append(pairs[keys])
            counts.append(per_key)
            row_parts.append(rows.astype(np.int32))
            weight_parts.append(bm25(c, rows, tf, idf(bi_df[pid_])))
            tf_parts.append(np.minimum(tf, 65535).astype(np.uint16))
            bigram_cols[c + 1] = bigram_cols[c] + len(keys)
        del bi
        postings_offsets = np.zeros(sum(len(x) for x in counts) + 1, dtype=np.int64)
        if counts:
            np.cumsum(np.concatenate(counts), out=postings_offsets[1:])
        arrays: dict[str, np.ndarray] = {
            "tokens": token_blob, "token_offsets": token_offsets, "unigram_keys": unigram_keys,
            "unigram_cols": unigram_cols,
            "bigram_keys": np.concatenate(bigram_parts) if bigram_parts else np.zeros(0, dtype=np.int64),
            "bigram_cols": bigram_cols, "postings_offsets": postings_offsets,
            "rows": np.concatenate(row_parts) if row_parts else _EMPTY_ROWS,
            "weights": np.concatenate(weight_parts) if weight_parts else _EMPTY_WEIGHTS,
            "tfs": np.concatenate(tf_parts) if tf_parts else np.zeros(0, dtype=np.uint16),
            "ids": np.frombuffer(ids, dtype=np.int64).copy(),
            "positions": np.concatenate(bi_positions) if bi_positions else np.zeros(0, dtype=np.uint32),
            "position_offsets": np.concatenate([[0], np.cumsum(np.concatenate(occurrences))]).astype(np.int64)
            if occurrences else np.zeros(1, dtype=np.int64),
            "token_df": token_df, "pairs": pairs.astype(np.int64), "pair_df": pair_df,
            "lengths": np.minimum(lengths[:, :n], 65535).astype(np.uint16),
        }
        meta = {"format": FORMAT, "rows": n, "k1": K1, "b": B, "column_weights": list(FTS5_WEIGHTS),
                "avg_lengths": [float(a) for a in avg]}
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
        arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r") for name in _FILES}
        return cls(arrays, meta)

    def __len__(self) -> int:
        return self.n_rows

    def nbytes(self) -> int:
        return sum(int(getattr(self, name).nbytes) for name in _FILES)

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
        key_col = np.concatenate([np.repeat(np.arange(_NCOLS, dtype=np.int8), np.diff(self.unigram_cols)),
                                  np.repeat(np.arange(_NCOLS, dtype=np.int8), np.diff(self.bigram_cols))])
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
            return _EMPTY_ROWS, _EMPTY_WEIGHTS
        if last - first == 1:
            return self._postings(first)
        lo, hi = int(self.postings_offsets[first]), int(self.postings_offsets[last])
        return _max_per_row(np.asarray(self.rows[lo:hi]), np.asarray(self.weights[lo:hi]))

    def _unigram(self, c: int, token: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.unigram_cols[c]), int(self.unigram_cols[c + 1])
        keys = self.unigram_keys[start:end]
        if prefix:
            r_lo, r_hi = self._rank_range(token)
            return self._postings_range(start + int(np.searchsorted(keys, r_lo)),
                                        start + int(np.searchsorted(keys, r_hi)))
        rank = self._rank(token)
        if rank is None:
            return _EMPTY_ROWS, _EMPTY_WEIGHTS
        at = int(np.searchsorted(keys, rank))
        if at == len(keys) or keys[at] != rank:
            return _EMPTY_ROWS, _EMPTY_WEIGHTS
        return self._postings(start + at)

    def _bigram(self, c: int, first: str, second: str, prefix: bool) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.bigram_cols[c]), int(self.bigram_cols[c + 1])
        keys = self.bigram_keys[start:end]
        base = self._n_unigrams + start
        r1 = self._rank(first)
        if r1 is None:
            return _EMPTY_ROWS, _EMPTY_WEIGHTS
        if prefix:
            r_lo, r_hi = self._rank_range(second)
            return self._postings_range(base + int(np.searchsorted(keys, (r1 << 32) | r_lo)),
                                        base + int(np.searchsorted(keys, (r1 << 32) | r_hi)))
        r2 = self._rank(second)
        if r2 is None:
            return _EMPTY_ROWS, _EMPTY_WEIGHTS
        code = (r1 << 32) | r2
        at = int(np.searchsorted(keys, code))
        if at == len(keys) or keys[at] != code:
            return _EMPTY_ROWS, _EMPTY_WEIGHTS
        return self._postings(base + at)

    def _probe_column(self, probe: _Probe, c: int) -> tuple[np.ndarray, np.ndarray]:
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
            rows = _intersect(rows, other)
        rows = self._verify(c, rows, tokens, probe.prefix)
        total = np.zeros(len(rows), dtype=np.float32)
        for part_rows, part_weights in parts:
            total += part_weights[_locate(part_rows, rows)[0]]
        return rows, total / len(parts)

    def _tf_at(self, key: int, rows: np.ndarray) -> np.ndarray:
        """Term frequencies of a key in rows that all hold it."""
        lo, hi = int(self.postings_offsets[key]), int(self.postings_offsets[key + 1])
        return self.tfs[lo:hi][_locate(self.rows[lo:hi], rows)[0]].astype(np.int64)

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
            starts = runs if starts is None else _intersect(starts, runs)
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
        at, held = _locate(key_rows, rows)
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
        run = _Run(self, allowed_rows_mask)
        if query.root is None:
            matched = run.universe()
        else:
            matched = run.rows(query.root)
            if allowed_rows_mask is not None and len(matched):
                matched = matched[np.asarray(allowed_rows_mask)[matched]]
        if not len(matched):
            none = np.zeros(0, dtype=np.int64)
            return SparseResult(none, _EMPTY_WEIGHTS, 0, none if with_matches else None)
        scores = run.scores(query, matched)
        ids = np.asarray(self.ids)[matched] if len(matched) < self.n_rows else np.asarray(self.ids)
        top = _top_k(scores, ids, k)
        return SparseResult(ids[top], scores[top], len(matched), ids if with_matches else None)

    def matching_ids(self, query: ParsedQuery, allowed_rows_mask: np.ndarray | None = None) -> np.ndarray:
        """Every profile id the boolean query (and the mask) matches, in row order."""
        run = _Run(self, allowed_rows_mask)
        if query.root is None:
            return np.asarray(self.ids)[run.universe()]
        matched = run.rows(query.root)
        if allowed_rows_mask is not None and len(matched):
            matched = matched[np.asarray(allowed_rows_mask)[matched]]
        return np.asarray(self.ids)[matched]


def _top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores, ties broken by the smaller profile id."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(scores) > k:
        threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.arange(len(scores))
    order = np.lexsort((ids[candidates], -scores[candidates]))
    return candidates[order[:k]]


class _Run:
    """One query's evaluation: term results are computed once and shared by matching and scoring."""

    def __init__(self, index: SparseKeywordIndex, mask: np.ndarray | None) -> None:
        self.index = index
        self.mask = mask
        self._universe: np.ndarray | None = None
        self._probe_cache: dict[tuple[str | None, tuple[str, ...], bool], list[tuple[np.ndarray, np.ndarray]]] = {}

    def universe(self) -> np.ndarray:
        if self._universe is None:
            if self.mask is None:
                self._universe = np.arange(self.index.n_rows, dtype=np.int32)
            else:
                self._universe = np.flatnonzero(np.asarray(self.mask)).astype(np.int32)
        return self._universe

    def probe(self, probe: _Probe) -> list[tuple[np.ndarray, np.ndarray]]:
        """(rows, weights) of the probe in each column it may match in."""
        key = (probe.field, probe.tokens, probe.prefix)
        if key not in self._probe_cache:
            column = _FTS5_COLUMN[probe.field]
            columns = range(_NCOLS) if column is None else (_COLUMN_INDEX[column],)
            self._probe_cache[key] = [self.index._probe_column(probe, c) for c in columns]
        return self._probe_cache[key]

    def term(self, term: Term) -> np.ndarray:
        return _union([rows for p in _probes(term) for rows, _ in self.probe(p)], self.index.n_rows)

    def rows(self, node: Node) -> np.ndarray:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Not):
            return _difference(self.universe(), self.rows(node.child))
        if isinstance(node, Or):
            return _union([self.rows(c) for c in node.children], self.index.n_rows)
        positives = [c for c in node.children if not isinstance(c, Not)]
        negatives = [c.child for c in node.children if isinstance(c, Not)]
        if positives:
            sets = sorted((self.rows(c) for c in positives), key=len)
            rows = sets[0]
            for other in sets[1:]:
                if not len(rows):
                    break
                rows = _intersect(rows, other)
        else:
            rows = self.universe()
        for child in negatives:
            if not len(rows):
                break
            rows = _difference(rows, self.rows(child))
        return rows

    def scores(self, query: ParsedQuery, matched: np.ndarray) -> np.ndarray:
        """BM25 of the matched rows: the weights of every distinct positive probe's postings, summed.

        A phrase also scores its words one by one (bag of words, like a plain BM25 over the text): a phrase
        decides whether a row matches, but a row that holds the words of an unmatched alternative
        (``title:"Janitors and Cleaners"`` against the title "Janitor") still ranks above one that lacks them.
        """
        probes: dict[tuple, _Probe] = {}
        for term in query.positive_terms():
            for p in _probes(term):
                probes.setdefault((p.field, p.tokens, p.prefix), p)
                if len(p.tokens) > 1:
                    for i, token in enumerate(p.tokens):
                        prefix = p.prefix and i == len(p.tokens) - 1
                        probes.setdefault((p.field, (token,), prefix), _Probe(p.field, (token,), prefix, token))
        out = np.zeros(len(matched), dtype=np.float32)
        dense: np.ndarray | None = None
        for p in probes.values():
            for rows, weights in self.probe(p):
                if not len(rows):
                    continue
                if len(matched) * 8 < len(rows):  # few matched rows: look them up in the postings
                    at = np.searchsorted(rows, matched)
                    at[at == len(rows)] = 0
                    hit = rows[at] == matched
                    out[hit] += weights[at[hit]]
                else:  # scatter the postings (rows are unique within a list)
                    if dense is None:
                        dense = np.zeros(self.index.n_rows, dtype=np.float32)
                    dense[rows] += weights
        if dense is not None:
            out += dense[matched]
        return out


class Collection:
    """Segments searched as one collection: the statistics an index built against them needs (``reference``)."""

    def __init__(self, segments: list[SparseKeywordIndex]) -> None:
        self.segments = segments
        rows = sum(s.n_rows for s in segments)
        # restat segments share the collection's mean lengths; otherwise weigh each segment's by its rows
        avg = (sum(np.asarray(s.meta["avg_lengths"], dtype=np.float64) * s.n_rows for s in segments) / rows
               if rows else np.ones(_NCOLS))
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
