"""Keyword retrieval: the boolean query and facets as SQL, ranked by BM25 (SQLite FTS5) or by
``ts_rank_cd`` over weighted tsvectors (PostgreSQL, GIN indexes). One class per engine, one contract."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, Table, func, select, text

from tools.records.models import Profile
from tools.records.session import on_profiles_changed
from tools.search.query import FTS5_WEIGHTS, ParsedQuery, ProfileDoc, fts5_row, pg_row, to_fts5, to_pg_sql
from tools.search.types import Facets, KeywordResult

if TYPE_CHECKING:
    from tools.search.sparse_store import SparseKeywordStore, SparseView

# The profiles table, named by its model: Core statements select from it, and the FTS5 and tsvector statements
# (over tables no model maps) join it by name.
profiles = cast(Table, Profile.__table__)
PROFILES = Profile.__tablename__


def facet_sql(facets: Facets, organisation_id: int | None, alias: str = "p") -> tuple[str, dict]:
    """WHERE clauses on the profiles table aliased ``alias``, for facets and tenancy: network members plus the
    organisation's applicants."""
    clauses: list[str] = []
    params: dict = {}
    if organisation_id is None:
        clauses.append(f"{alias}.organisation_id IS NULL")
    else:
        clauses.append(f"({alias}.organisation_id IS NULL OR {alias}.organisation_id = :org)")
        params["org"] = organisation_id
    if facets.pool == "network":
        clauses.append(f"{alias}.organisation_id IS NULL")
    elif facets.pool == "applicants":
        clauses.append(f"{alias}.organisation_id IS NOT NULL")

    def in_list(column: str, values: list[str], key: str) -> None:
        names = [f":{key}{i}" for i in range(len(values))]
        clauses.append(f"{alias}.{column} IN ({', '.join(names)})")
        params.update({f"{key}{i}": v for i, v in enumerate(values)})

    if facets.country:
        in_list("country", facets.country, "country")
    if facets.metro:
        in_list("metro_code", facets.metro, "metro")
    if facets.seniority:
        in_list("seniority", facets.seniority, "seniority")
    if facets.years_min is not None:
        clauses.append(f"{alias}.years_experience >= :years_min")
        params["years_min"] = facets.years_min
    if facets.years_max is not None:
        clauses.append(f"{alias}.years_experience <= :years_max")
        params["years_max"] = facets.years_max
    if facets.open_to_work is not None:
        clauses.append(f"{alias}.open_to_work = :open")
        params["open"] = facets.open_to_work
    if facets.updated_since is not None:
        clauses.append(f"{alias}.updated_at >= :updated")
        params["updated"] = facets.updated_since.isoformat()
    return " AND ".join(clauses), params


def _search_then_match(index: SqliteKeywordIndex | PostgresKeywordIndex, conn: Connection, query: ParsedQuery,
                       facets: Facets, organisation_id: int | None, limit: int) -> tuple[KeywordResult, list[int]]:
    """The ranking and every matching id, by two SQL queries (the matching set gives the count)."""
    matched = index.matching_ids(conn, query, facets, organisation_id)
    result = index.search(conn, query, facets, organisation_id, limit, count=False)
    return KeywordResult(result.ids, result.scores, len(matched)), matched


_FTS_FROM = f"FROM profile_fts CROSS JOIN {PROFILES} p ON p.id = profile_fts.rowid WHERE profile_fts MATCH :match"
_PG_FROM = f"FROM profile_search s JOIN {PROFILES} p ON p.id = s.profile_id"


def _facets_only(conn: Connection, where: str, params: dict, limit: int) -> KeywordResult:
    """A query of facets alone lists matching profiles, most recently updated first."""
    p = profiles.alias("p")
    rows = conn.execute(select(p.c.id).where(text(where)).order_by(p.c.updated_at.desc(), p.c.id).limit(limit),
                        params).scalars().all()
    total = conn.execute(select(func.count()).select_from(p).where(text(where)), params).scalar()
    return KeywordResult(list(rows), [0.0] * len(rows), int(total or 0))


def _facet_ids(conn: Connection, where: str, params: dict) -> list[int]:
    """Every profile id the facets alone match."""
    p = profiles.alias("p")
    return list(conn.execute(select(p.c.id).where(text(where)), params).scalars())


class SqliteKeywordIndex:
    """SQLite FTS5 with BM25 (``profile_fts``, rowid = profile id), kept in the profile's own transaction.

    With a built sparse store (``hire index``), boolean queries are answered by it instead (see
    :mod:`tools.search.sparse_store`); FTS5 answers when there is none or its delta is too large."""
    # Joins are CROSS JOINs so that SQLite runs the MATCH once and joins profiles to its rows: left to itself,
    # the planner may scan profiles by a facet index and run the MATCH once per row.

    def __init__(self, sparse: SparseKeywordStore | None = None) -> None:
        self.sparse = sparse

    def _view(self, conn: Connection, query: ParsedQuery) -> SparseView | None:
        """The sparse segments' current view, or None: FTS5 answers (no store, no build, or a facets-only query)."""
        return self.sparse.view(conn) if self.sparse is not None and query.root is not None else None

    def upsert(self, conn: Connection, docs: Sequence[tuple[int, ProfileDoc]]) -> None:
        if not docs:
            return
        ids = [(pid,) for pid, _ in docs]
        conn.exec_driver_sql("DELETE FROM profile_fts WHERE rowid = ?", ids)
        conn.exec_driver_sql(
            "INSERT INTO profile_fts (rowid, title, skills, company, school, location, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(pid, *fts5_row(doc)) for pid, doc in docs],
        )

    def clear(self, conn: Connection) -> None:
        conn.exec_driver_sql("DELETE FROM profile_fts")

    def search(self, conn: Connection, query: ParsedQuery, facets: Facets, organisation_id: int | None,
               limit: int, count: bool = True) -> KeywordResult:
        view = self._view(conn, query)
        if view is not None and self.sparse is not None:
            return self.sparse.search(view, query, facets, organisation_id, limit)
        where, params = facet_sql(facets, organisation_id)
        match = to_fts5(query)
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        if match is None:
            return _facets_only(conn, where, params, limit)
        params = {**params, "match": match, "limit": limit}
        rows = conn.execute(text(
            f"SELECT p.id, bm25(profile_fts, {weights}) AS rank {_FTS_FROM} AND {where} "
            "ORDER BY rank, p.id LIMIT :limit"
        ), params).all()
        total = conn.execute(text(f"SELECT count(*) {_FTS_FROM} AND {where}"), params).scalar() if count else None
        return KeywordResult([r[0] for r in rows], [-float(r[1]) for r in rows], total)

    def search_matching(self, conn: Connection, query: ParsedQuery, facets: Facets, organisation_id: int | None,
                        limit: int) -> tuple[KeywordResult, list[int]]:
        """:meth:`search` and :meth:`matching_ids` together (hybrid search with keyword conditions as a filter);
        the sparse segments evaluate the query once for both."""
        view = self._view(conn, query)
        if view is not None and self.sparse is not None:
            found = self.sparse.search(view, query, facets, organisation_id, limit, with_matches=True)
            assert found.matched is not None
            return found, found.matched
        return _search_then_match(self, conn, query, facets, organisation_id, limit)

    def matching_ids(self, conn: Connection, query: ParsedQuery, facets: Facets,
                     organisation_id: int | None) -> list[int]:
        """Every profile id satisfying the boolean query and facets (for keyword-as-filter)."""
        view = self._view(conn, query)
        if view is not None and self.sparse is not None:
            return self.sparse.matching_ids(view, query, facets, organisation_id)
        where, params = facet_sql(facets, organisation_id)
        match = to_fts5(query)
        if match is None:
            return _facet_ids(conn, where, params)
        return list(conn.execute(text(f"SELECT p.id {_FTS_FROM} AND {where}"), {**params, "match": match}).scalars())


_PG_SOURCES = {  # tsvector column -> (pg_row key, weight)
    "title_tsv": ("title", "A"), "skills_tsv": ("skills", "A"), "company_tsv": ("company", "B"),
    "school_tsv": ("school", "C"), "location_tsv": ("location", "C"),
}


class PostgresKeywordIndex:
    """PostgreSQL full text: per-field tsvectors and a weighted document tsvector, all GIN-indexed."""

    def upsert(self, conn: Connection, docs: Sequence[tuple[int, ProfileDoc]]) -> None:
        if not docs:
            return
        fields = ", ".join("to_tsvector('simple', %s)" for _ in _PG_SOURCES)
        doc_tsv = " || ".join(
            [f"setweight(to_tsvector('simple', %s), '{weight}')" for _key, weight in _PG_SOURCES.values()]
            + ["setweight(to_tsvector('simple', %s), 'D')"]
        )
        rows = []
        for pid, doc in docs:
            values = pg_row(doc)
            per_field = [values[key] for key, _w in _PG_SOURCES.values()]
            rows.append((pid, *per_field, *per_field, values["body"]))
        conn.exec_driver_sql(
            f"INSERT INTO profile_search (profile_id, {', '.join(_PG_SOURCES)}, doc_tsv) "
            f"VALUES (%s, {fields}, {doc_tsv}) ON CONFLICT (profile_id) DO UPDATE SET "
            + ", ".join(f"{c} = EXCLUDED.{c}" for c in [*_PG_SOURCES, "doc_tsv"]),
            rows,
        )

    def clear(self, conn: Connection) -> None:
        conn.exec_driver_sql("DELETE FROM profile_search")

    def search(self, conn: Connection, query: ParsedQuery, facets: Facets, organisation_id: int | None,
               limit: int, count: bool = True) -> KeywordResult:
        where, params = facet_sql(facets, organisation_id)
        if query.root is None:
            return _facets_only(conn, where, params, limit)
        match_sql, rank_sql, match_params = to_pg_sql(query)
        params = {**params, **match_params, "limit": limit}
        base = f"{_PG_FROM} WHERE ({match_sql}) AND {where}"
        rows = conn.execute(text(
            f"SELECT p.id, ts_rank_cd(s.doc_tsv, {rank_sql}, 1) AS rank {base} ORDER BY rank DESC, p.id LIMIT :limit"
        ), params).all()
        total = conn.execute(text(f"SELECT count(*) {base}"), params).scalar() if count else None
        return KeywordResult([r[0] for r in rows], [float(r[1]) for r in rows], total)

    def search_matching(self, conn: Connection, query: ParsedQuery, facets: Facets, organisation_id: int | None,
                        limit: int) -> tuple[KeywordResult, list[int]]:
        return _search_then_match(self, conn, query, facets, organisation_id, limit)

    def matching_ids(self, conn: Connection, query: ParsedQuery, facets: Facets,
                     organisation_id: int | None) -> list[int]:
        where, params = facet_sql(facets, organisation_id)
        if query.root is None:
            return _facet_ids(conn, where, params)
        match_sql, _rank, match_params = to_pg_sql(query)
        return list(conn.execute(text(f"SELECT p.id {_PG_FROM} WHERE ({match_sql}) AND {where}"),
                                 {**params, **match_params}).scalars())


def keyword_index_for(conn: Connection, sparse: SparseKeywordStore | None = None
                      ) -> SqliteKeywordIndex | PostgresKeywordIndex:
    """The keyword index of the connection's engine; on SQLite, answered by ``sparse`` where it is built."""
    return PostgresKeywordIndex() if conn.dialect.name == "postgresql" else SqliteKeywordIndex(sparse)


@on_profiles_changed
def reindex_profiles(conn: Connection, profile_ids: list[int]) -> None:
    """Profiles written through the ORM are re-indexed for keyword search in the same transaction."""
    from tools.search.documents import docs_from_db

    keyword_index_for(conn).upsert(conn, sorted(docs_from_db(conn, profile_ids).items()))
