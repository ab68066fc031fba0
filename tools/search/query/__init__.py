"""The recruiter's boolean query language: parsing, and its translation to SQLite FTS5 and PostgreSQL.

``("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager country:DE years:5+``

* terms: words (``C++``, ``.NET``, ``Zürich``, ``郝宁``), quoted phrases, prefixes (``kube*``);
* operators ``AND`` / ``&&``, ``OR`` / ``||``, ``NOT`` / ``-term``, parentheses, implicit AND between
  adjacent terms; precedence NOT > AND > OR;
* field scopes ``title:``, ``skill:``, ``company:``, ``school:``, ``location:`` on a term or a group;
* facets (``country:DE,NL``, ``metro:0012420``, ``years:5-10``, ``seniority:senior``, ``open:yes``,
  ``updated:2025-01-01``, ``pool:network``) written in the top-level AND chain, returned as :class:`Facets`.

Every backend searches the same token streams: text is folded (:func:`fold`) and split into runs of letters
and digits exactly as SQLite's ``unicode61`` tokenizer splits them, skills are indexed as one-token slugs
(:func:`skill_slug`, because ``C++`` as text is just the token ``c``). :func:`fts5_row` and :func:`pg_row`
store those token streams, :func:`to_fts5` and :func:`to_pg_sql` search them, and :func:`evaluate` is the
reference the contract tests hold both backends to.

Modules: :mod:`~tools.search.query.grammar` (the grammar, :func:`parse`, :class:`ParsedQuery` and its rendering),
:mod:`~tools.search.query.tree` (the tree of terms), :mod:`~tools.search.query.facets` (facets written in a
query), :mod:`~tools.search.query.tokens` (the token streams), :mod:`~tools.search.query.probes` (what a term
looks for), :mod:`~tools.search.query.columns` (the indexed document), :mod:`~tools.search.query.sql` (FTS5 and
PostgreSQL), :mod:`~tools.search.query.reference` (the reference evaluator) and :mod:`~tools.search.query.highlight`
(matched terms and highlighting).
"""

from tools.search.query.columns import FIELD_COLUMNS, FTS5_COLUMNS, FTS5_WEIGHTS, ProfileDoc, fts5_row
from tools.search.query.grammar import GRAMMAR, ParsedQuery, parse
from tools.search.query.highlight import highlight_spans, match_terms
from tools.search.query.probes import Probe, term_probes
from tools.search.query.reference import evaluate
from tools.search.query.sql import PG_COLUMN_BREAK, PG_COLUMNS, pg_row, to_fts5, to_pg_sql
from tools.search.query.tokens import skill_slug, tokenize
from tools.search.query.tree import And, Node, Not, Or, Term
from tools.text import fold

__all__ = [
    "FIELD_COLUMNS", "FTS5_COLUMNS", "FTS5_WEIGHTS", "GRAMMAR", "PG_COLUMNS", "PG_COLUMN_BREAK", "And", "Node", "Not",
    "Or", "ParsedQuery", "Probe", "ProfileDoc", "Term", "evaluate", "fold", "fts5_row", "highlight_spans",
    "match_terms", "parse", "pg_row", "skill_slug", "term_probes", "to_fts5", "to_pg_sql", "tokenize",
]
