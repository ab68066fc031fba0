"""An in-process sparse keyword index: the boolean query language evaluated over posting lists, ranked by BM25.

It searches the token streams every other backend searches (:func:`tools.search.query.fts5_row`, columns
``FTS5_COLUMNS``) and follows the same match rules (:func:`tools.search.query.probes.term_probes`), so the set of rows a
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

Modules: :mod:`~tools.search.sparse.build` (building an index), :mod:`~tools.search.sparse.index` (the index,
its vocabulary and postings), :mod:`~tools.search.sparse.run` (evaluating and scoring a query),
:mod:`~tools.search.sparse.rowsets` (sorted row sets) and :mod:`~tools.search.sparse.restat` (segments as one
collection).
"""

from tools.search.sparse.build import FORMAT, K1, B, Statistics
from tools.search.sparse.index import SparseKeywordIndex
from tools.search.sparse.restat import Collection, restat_segments
from tools.search.sparse.run import SparseResult

__all__ = ["B", "FORMAT", "K1", "Collection", "SparseKeywordIndex", "SparseResult", "Statistics", "restat_segments"]
