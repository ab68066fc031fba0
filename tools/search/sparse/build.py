"""Building a sparse index: the documents' token streams counted into posting lists with BM25 weights."""

from __future__ import annotations

import array
from collections.abc import Iterable
from typing import Protocol

import numpy as np

from tools.search.query import FTS5_COLUMNS, FTS5_WEIGHTS, ProfileDoc, fts5_row
from tools.search.sparse.rowsets import EMPTY_ROWS, EMPTY_WEIGHTS

FORMAT = 2
K1 = 1.2
B = 0.75
NCOLS = len(FTS5_COLUMNS)
FILES = ("tokens", "token_offsets", "unigram_keys", "unigram_cols", "bigram_keys", "bigram_cols",
         "postings_offsets", "rows", "weights", "tfs", "ids", "positions", "position_offsets", "token_df", "pairs",
         "pair_df", "lengths")


class Statistics(Protocol):
    """What an index built against a collection (``reference``) needs of it."""

    meta: dict

    @property
    def collection_rows(self) -> int: ...

    def token_frequencies(self, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray: ...

    def pair_frequencies(self, pairs: np.ndarray, token_offsets: np.ndarray, token_blob: np.ndarray) -> np.ndarray: ...


def build_arrays(docs: Iterable[tuple[int, ProfileDoc]], reference: Statistics | None = None
                 ) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays (:data:`FILES`) and meta of an index of these documents (row i is the i-th document).

    With a ``reference``, BM25 statistics are those of the reference and these documents together."""
    vocab: dict[str, int] = {}
    ids = array.array("q")
    occ_rows = [array.array("i") for _ in range(NCOLS)]  # one entry per token occurrence
    occ_tokens = [array.array("i") for _ in range(NCOLS)]
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
    lengths = np.zeros((NCOLS, max(n, 1)), dtype=np.float32)
    bi_positions: list[np.ndarray] = []  # per bigram occurrence: the position of its first token
    for c in range(NCOLS):
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
    avg = np.maximum(lengths[:, :n].mean(axis=1), 1e-9) if n else np.ones(NCOLS, dtype=np.float32)
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
    unigram_cols = np.zeros(NCOLS + 1, dtype=np.int64)
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
    for c in range(NCOLS):
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
    bigram_cols = np.zeros(NCOLS + 1, dtype=np.int64)
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
        "rows": np.concatenate(row_parts) if row_parts else EMPTY_ROWS,
        "weights": np.concatenate(weight_parts) if weight_parts else EMPTY_WEIGHTS,
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
    return arrays, meta
