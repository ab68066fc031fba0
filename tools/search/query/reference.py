"""The reference: whether a document matches a parsed query, by the rules every backend is held to."""

from __future__ import annotations

from tools.search.query.columns import FIELD_COLUMNS, FTS5_COLUMNS, ProfileDoc, fts5_row
from tools.search.query.grammar import ParsedQuery
from tools.search.query.probes import Probe, term_probes
from tools.search.query.tree import And, Node, Not, Term


def document_columns(doc: ProfileDoc) -> dict[str, list[str]]:
    """The document's tokens per column (FTS5 names), as every backend indexes them."""
    return {name: value.split() for name, value in zip(FTS5_COLUMNS, fts5_row(doc), strict=True)}


def probe_columns(probe: Probe, columns: dict[str, list[str]]) -> list[str]:
    """The columns (FTS5 names) where the probe's tokens occur consecutively."""
    column = FIELD_COLUMNS[probe.field]  # None for any field
    names = FTS5_COLUMNS if column is None else (column,)
    return [name for name in names if _occurs(probe, columns[name])]


def _occurs(probe: Probe, tokens: list[str]) -> bool:
    *head, last = probe.tokens
    n = len(probe.tokens)
    for i in range(len(tokens) - n + 1):
        tail = tokens[i + n - 1]
        if tokens[i:i + n - 1] == head and (tail.startswith(last) if probe.prefix else tail == last):
            return True
    return False


def _holds(node: Node, columns: dict[str, list[str]]) -> bool:
    if isinstance(node, Term):
        return any(probe_columns(p, columns) for p in term_probes(node))
    if isinstance(node, Not):
        return not _holds(node.child, columns)
    if isinstance(node, And):
        return all(_holds(c, columns) for c in node.children)
    return any(_holds(c, columns) for c in node.children)


def evaluate(q: ParsedQuery, doc: ProfileDoc) -> bool:
    """Whether the document matches the boolean query (facets are not checked here)."""
    return q.root is None or _holds(q.root, document_columns(doc))
