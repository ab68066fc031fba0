"""The parsed query as SQL: an SQLite FTS5 MATCH expression, or PostgreSQL tsquery tests over tsvector columns."""

from __future__ import annotations

from tools.search.query.columns import FIELD_COLUMNS, FTS5_COLUMNS, ProfileDoc, fts5_row
from tools.search.query.grammar import ParsedQuery
from tools.search.query.probes import Probe, term_probes
from tools.search.query.tree import And, Node, Not, Or, Term
from tools.search.types import SearchError


def _fts5_phrase(probe: Probe) -> str:
    quoted = '"' + " ".join(probe.tokens).replace('"', '""') + '"' + (" *" if probe.prefix else "")
    column = FIELD_COLUMNS[probe.field]
    return f"{column} : {quoted}" if column else quoted


def _fts5(node: Node) -> str:
    if isinstance(node, Term):
        phrases = [_fts5_phrase(p) for p in term_probes(node)]
        return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"
    if isinstance(node, Or):
        if any(isinstance(c, Not) for c in node.children):
            raise SearchError("SQLite keyword search cannot run NOT inside OR (like 'a OR NOT b'); "
                              "rewrite it without the negated alternative, e.g. '(x AND a) OR (x NOT b)'")
        return "(" + " OR ".join(_fts5(c) for c in node.children) + ")"
    if isinstance(node, Not):
        raise SearchError("SQLite keyword search cannot run a query of only excluded terms (NOT …); "
                          "add at least one term to look for")
    positives = [c for c in node.children if not isinstance(c, Not)]
    negatives = [c.child for c in node.children if isinstance(c, Not)]
    if not positives:
        raise SearchError("SQLite keyword search cannot run a group of only excluded terms (NOT … NOT …); "
                          "add at least one term to look for")
    text = " AND ".join(_fts5(c) for c in positives)
    if negatives:  # FTS5's NOT is binary: (P1 AND P2) NOT (N1 OR N2)
        text = f"({text}) NOT ({' OR '.join(_fts5(c) for c in negatives)})"
    return f"({text})"


def to_fts5(q: ParsedQuery) -> str | None:
    """An FTS5 MATCH expression over FTS5_COLUMNS; None when the query has no terms."""
    return None if q.root is None else _fts5(q.root)


PG_COLUMNS = {"title": "title_tsv", "skill": "skills_tsv", "company": "company_tsv", "school": "school_tsv",
              "location": "location_tsv", None: "doc_tsv"}
# Appended to every pg_row value: a lexeme ('/column/break', a PostgreSQL "file" token) that no query can
# produce, so however the columns are concatenated into doc_tsv, a phrase cannot run from one into the next.
PG_COLUMN_BREAK = "/column/break"


def pg_row(doc: ProfileDoc) -> dict[str, str]:
    """Folded token text per tsvector source (title, skills, company, school, location, body).

    Index each with ``to_tsvector('simple', value)``, and doc_tsv with all six, as one text or as tsvectors
    concatenated with ``||`` (each value ends with PG_COLUMN_BREAK, so phrases stay inside their column); keep
    the tsvector columns NOT NULL. (PostgreSQL caps positions at 16383: phrases deep inside very long bodies
    may be missed.)
    """
    values = dict(zip(FTS5_COLUMNS, fts5_row(doc), strict=True))
    return {name: f"{value} {PG_COLUMN_BREAK}".lstrip() for name, value in values.items()}


def to_pg_sql(q: ParsedQuery) -> tuple[str, str, dict[str, str]]:
    """(where_sql, rank_tsquery_sql, params) over tsvector columns of a table aliased ``s``."""
    params: dict[str, str] = {}
    queries: dict[tuple, str] = {}  # one bound parameter per distinct tsquery

    def tsquery(probe: Probe) -> str:
        key = (probe.tokens, probe.prefix)
        if key not in queries:
            name = f"p{len(params) + 1}"
            if probe.prefix:
                params[name] = " <-> ".join(probe.tokens)
                queries[key] = f"to_tsquery('simple', :{name} || ':*')"
            else:
                params[name] = " ".join(probe.tokens)
                queries[key] = f"phraseto_tsquery('simple', :{name})"
        return queries[key]

    def sql(node: Node) -> str:
        if isinstance(node, Term):
            tests = [f"s.{PG_COLUMNS[p.field]} @@ {tsquery(p)}" for p in term_probes(node)]
            return "(" + " OR ".join(tests) + ")"
        if isinstance(node, Not):
            return f"(NOT {sql(node.child)})"
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(sql(c) for c in node.children) + ")"

    if q.root is None:
        return "TRUE", "''::tsquery", {}
    where = sql(q.root)
    ranked = list(dict.fromkeys(tsquery(p) for t in q.positive_terms() for p in term_probes(t)))
    rank = "(" + " || ".join(ranked) + ")" if ranked else "''::tsquery"
    return where, rank, params
