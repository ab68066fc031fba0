"""Talent search: the boolean query language, the keyword (FTS5, sparse BM25, PostgreSQL) and vector indexes,
and hybrid ranking."""
