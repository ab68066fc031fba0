"""Evaluating a parsed query over a sparse index: the matching rows of its boolean tree, and their BM25 scores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from tools.search.query import FIELD_COLUMNS, FTS5_COLUMNS, Node, Not, Or, ParsedQuery, Probe, Term, term_probes
from tools.search.sparse.build import NCOLS
from tools.search.sparse.rowsets import difference, intersect, union

_COLUMN_INDEX = {name: i for i, name in enumerate(FTS5_COLUMNS)}


@dataclass(frozen=True, slots=True)
class SparseResult:
    ids: np.ndarray  # int64 profile ids, best first
    scores: np.ndarray  # float32, higher is better
    total: int  # rows matching the query (and the mask)
    matched: np.ndarray | None = None  # every matching profile id, in row order (when asked for)

    def __iter__(self) -> Iterator[Any]:  # ids, scores, total = index.search(...)
        return iter((self.ids, self.scores, self.total))


class Postings(Protocol):
    """What a query run reads of an index: its rows, their profile ids, and a probe's postings per column."""

    n_rows: int
    ids: np.ndarray

    def probe_column(self, probe: Probe, c: int) -> tuple[np.ndarray, np.ndarray]: ...


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
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


class QueryRun:
    """One query's evaluation: term results are computed once and shared by matching and scoring."""

    def __init__(self, index: Postings, mask: np.ndarray | None) -> None:
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

    def probe(self, probe: Probe) -> list[tuple[np.ndarray, np.ndarray]]:
        """(rows, weights) of the probe in each column it may match in."""
        key = (probe.field, probe.tokens, probe.prefix)
        if key not in self._probe_cache:
            column = FIELD_COLUMNS[probe.field]
            columns = range(NCOLS) if column is None else (_COLUMN_INDEX[column],)
            self._probe_cache[key] = [self.index.probe_column(probe, c) for c in columns]
        return self._probe_cache[key]

    def term(self, term: Term) -> np.ndarray:
        return union([rows for p in term_probes(term) for rows, _ in self.probe(p)], self.index.n_rows)

    def rows(self, node: Node) -> np.ndarray:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Not):
            return difference(self.universe(), self.rows(node.child))
        if isinstance(node, Or):
            return union([self.rows(c) for c in node.children], self.index.n_rows)
        positives = [c for c in node.children if not isinstance(c, Not)]
        negatives = [c.child for c in node.children if isinstance(c, Not)]
        if positives:
            sets = sorted((self.rows(c) for c in positives), key=len)
            rows = sets[0]
            for other in sets[1:]:
                if not len(rows):
                    break
                rows = intersect(rows, other)
        else:
            rows = self.universe()
        for child in negatives:
            if not len(rows):
                break
            rows = difference(rows, self.rows(child))
        return rows

    def scores(self, query: ParsedQuery, matched: np.ndarray) -> np.ndarray:
        """BM25 of the matched rows: the weights of every distinct positive probe's postings, summed.

        A phrase also scores its words one by one (bag of words, like a plain BM25 over the text): a phrase
        decides whether a row matches, but a row that holds the words of an unmatched alternative
        (``title:"Janitors and Cleaners"`` against the title "Janitor") still ranks above one that lacks them.
        """
        probes: dict[tuple, Probe] = {}
        for term in query.positive_terms():
            for p in term_probes(term):
                probes.setdefault((p.field, p.tokens, p.prefix), p)
                if len(p.tokens) > 1:
                    for i, token in enumerate(p.tokens):
                        prefix = p.prefix and i == len(p.tokens) - 1
                        probes.setdefault((p.field, (token,), prefix), Probe(p.field, (token,), prefix, token))
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
