"""Sorted row sets (ascending int32 row numbers): membership, intersection, difference and union."""

from __future__ import annotations

import numpy as np

EMPTY_ROWS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _dense_pays(needles: np.ndarray, haystack: np.ndarray) -> bool:
    """Whether a table over the value range beats bisection: many needles against the haystack, and values
    (row numbers) in a range not much wider than the arrays (codes such as ``row << 32 | position`` are not)."""
    if len(needles) * 16 <= len(haystack) or not len(needles) or not len(haystack):
        return False
    return int(max(haystack[-1], needles[-1])) <= 8 * (len(needles) + len(haystack)) + 65_536


def locate(haystack: np.ndarray, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def intersect(small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """Rows in both sorted unique arrays."""
    return small[locate(large, small)[1]] if len(small) and len(large) else EMPTY_ROWS


def difference(rows: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """Rows of a sorted unique array not in another."""
    return rows[~locate(drop, rows)[1]] if len(rows) and len(drop) else rows


def union(parts: list[np.ndarray], n_rows: int) -> np.ndarray:
    """Sorted union: a dense bitmap when the parts are large, else sort and deduplicate."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return EMPTY_ROWS
    if len(parts) == 1:
        return parts[0]
    size = sum(len(p) for p in parts)
    if size * 32 > n_rows:
        dense = np.zeros(n_rows, dtype=bool)
        for p in parts:
            dense[p] = True
        return np.flatnonzero(dense).astype(np.int32, copy=False)
    return np.unique(np.concatenate(parts))


def max_per_row(rows: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Deduplicate rows (several keys of one prefix), keeping each row's highest weight."""
    order = np.lexsort((-weights, rows))
    rows, weights = rows[order], weights[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    return rows[first], weights[first]
