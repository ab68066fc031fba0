"""Hybrid talent search: boolean keyword retrieval and semantic retrieval, fused by reciprocal rank.

Ranks are combined, not scores: a profile's fused score is ``w / (60 + keyword rank) + (1 - w) /
(60 + semantic rank)``, so BM25 values and cosine similarities never need a common scale. Facets filter
both retrievers; in hybrid mode the boolean query also filters the semantic side (keyword conditions act
as hard filters on top of semantic matching) unless ``keyword_filter`` is off. Both retrievers rank a fixed
depth of candidates, so page 2 continues page 1 exactly.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, cast

import numpy as np
from sqlalchemy import Engine, Table, select

from tools.records.models import Profile
from tools.search.documents import docs_from_db
from tools.search.keyword import keyword_index_for
from tools.search.query import ParsedQuery, match_terms, parse
from tools.search.sparse_store import SparseKeywordStore
from tools.search.types import RRF_K, Facets, SearchError, SearchHit, SearchPage, SearchRequest

DEPTH = 1000  # candidates each retriever ranks; pages beyond DEPTH // page_size are refused
HYBRID_SEMANTIC_DEPTH = 250  # candidates the semantic side ranks in hybrid mode

profiles = cast(Table, Profile.__table__)


class Searcher(Protocol):
    """Talent search as its callers (the graphs, the agent's tools) use it; :class:`TalentSearch` is the real one."""

    def search(self, request: SearchRequest, organisation_id: int | None) -> SearchPage:
        """One page of ranked hits for a request, within what the organisation may see."""
        ...

    def matching_ids(self, query: ParsedQuery, facets: Facets, organisation_id: int | None) -> list[int]:
        """Every profile id that matches the boolean query and the facets."""
        ...


class VectorStore(Protocol):
    def search_facets(self, query: np.ndarray, k: int, facets: Facets, organisation_id: int | None,
                      allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]: ...


class QueryEmbedder(Protocol):
    def encode_query(self, text: str) -> np.ndarray: ...


def fuse(keyword: list[int], semantic: list[int], keyword_weight: float) -> list[tuple[int, float, int | None,
                                                                                       int | None]]:
    """(id, fused score, keyword rank, semantic rank), best first; ties broken by id for stable pages."""
    kw_rank = {pid: i + 1 for i, pid in enumerate(keyword)}
    sem_rank = {pid: i + 1 for i, pid in enumerate(semantic)}
    fused = []
    for pid in kw_rank.keys() | sem_rank.keys():
        kr, sr = kw_rank.get(pid), sem_rank.get(pid)
        score = (keyword_weight / (RRF_K + kr) if kr else 0.0) + ((1 - keyword_weight) / (RRF_K + sr) if sr else 0.0)
        fused.append((pid, score, kr, sr))
    fused.sort(key=lambda t: (-t[1], t[0]))
    return fused


def fusion_text(mode: str, keyword_weight: float) -> str:
    if mode == "keyword":
        return "keyword ranking only (BM25 over title, skills, company, school, location and text)"
    if mode == "semantic":
        return "semantic ranking only (cosine similarity of all-MiniLM-L6-v2 embeddings)"
    return (f"ranks are combined, not scores: {keyword_weight:g}/(60 + keyword rank) + "
            f"{1 - keyword_weight:g}/(60 + semantic rank)")


class TalentSearch:
    """The search tool the agents and the recruiter drive; one instance per process and backend."""

    def __init__(self, engine: Engine, vectors: VectorStore | None, embedder: QueryEmbedder | None,
                 sparse: SparseKeywordStore | None = None) -> None:
        self.engine = engine
        self.vectors = vectors
        self.embedder = embedder
        self.sparse = sparse  # the embedded backend's sparse BM25 segments, where `hire index` built them

    def matching_ids(self, query: ParsedQuery, facets: Facets, organisation_id: int | None) -> list[int]:
        """Every profile id the boolean query and facets match, within the organisation's scope (for insights)."""
        with self.engine.connect() as conn:
            return keyword_index_for(conn, self.sparse).matching_ids(conn, query, facets, organisation_id)

    def search(self, request: SearchRequest, organisation_id: int | None) -> SearchPage:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        if request.page * request.page_size > DEPTH:
            raise SearchError(f"results are ranked to a depth of {DEPTH}: page {request.page} of size "
                              f"{request.page_size} is beyond it; narrow the query instead")
        parsed: ParsedQuery = parse(request.query)
        if parsed.root is not None and not parsed.positive_terms():
            raise SearchError("the query only excludes terms: add at least one term to look for "
                              "(e.g. 'engineer NOT manager'), or use facets alone to list profiles")
        facets = parsed.facets.merged(request.facets)
        semantic_text = (request.semantic_text or parsed.semantic_text()).strip()
        mode = request.mode
        if mode != "keyword" and (not semantic_text or self.vectors is None or self.embedder is None):
            if mode == "semantic" and not semantic_text:
                raise SearchError("a semantic search needs some text to match: write what you are looking for")
            if mode == "semantic":
                raise SearchError("semantic search is not available: the vector index is not set up (run `hire index`)")
            mode = "keyword"
        keyword_ids: list[int] = []
        semantic_ids: list[int] = []
        kw_scores: dict[int, float] = {}
        sem_scores: dict[int, float] = {}
        total: int | None = None
        with self.engine.connect() as conn:
            index = keyword_index_for(conn, self.sparse)
            allowed = None
            if mode in ("keyword", "hybrid"):
                t = time.perf_counter()
                if mode == "hybrid" and request.keyword_filter and parsed.root is not None:
                    # keyword conditions filter the semantic side: the ranking and the matching set at once
                    result, matching = index.search_matching(conn, parsed, facets, organisation_id, DEPTH)
                    allowed = np.asarray(matching, dtype=np.int64)
                else:
                    result = index.search(conn, parsed, facets, organisation_id, DEPTH)
                keyword_ids = result.ids
                total = result.total
                kw_scores = dict(zip(result.ids, result.scores, strict=True))
                timings["keyword"] = (time.perf_counter() - t) * 1000
            if mode in ("semantic", "hybrid"):
                assert self.embedder is not None and self.vectors is not None  # else mode fell back to keyword
                t = time.perf_counter()
                qvec = self.embedder.encode_query(semantic_text)
                timings["embed_query"] = (time.perf_counter() - t) * 1000
                t = time.perf_counter()
                # hybrid: the semantic side only reorders and adds to the keyword ranking, and a rank past
                # HYBRID_SEMANTIC_DEPTH adds under 1/(60 + 250) to a fused score: ranking deeper costs more than
                # it changes at a million profiles (the lists an approximate search probes grow with depth)
                depth = DEPTH if mode == "semantic" else HYBRID_SEMANTIC_DEPTH
                if allowed is not None and allowed.size == 0:
                    ids, scores = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
                else:
                    ids, scores = self.vectors.search_facets(qvec, depth, facets, organisation_id, allowed)
                semantic_ids = [int(i) for i in ids]
                sem_scores = dict(zip(semantic_ids, (float(s) for s in scores), strict=True))
                timings["semantic"] = (time.perf_counter() - t) * 1000
            weight = {"keyword": 1.0, "semantic": 0.0}.get(mode, request.keyword_weight)
            fused = fuse(keyword_ids, semantic_ids, weight)
            start = (request.page - 1) * request.page_size
            window = fused[start:start + request.page_size]
            hits = self._hits(conn, parsed, window, start, kw_scores, sem_scores)
        timings["total"] = (time.perf_counter() - started) * 1000
        return SearchPage(hits=hits, total=total, page=request.page, page_size=request.page_size, mode=mode,
                          normalized_query=parsed.normalized() if parsed.root is not None else "",
                          fusion=fusion_text(mode, weight), timings_ms={k: round(v, 2) for k, v in timings.items()})

    def _hits(self, conn: Any, parsed: ParsedQuery, window: list, start: int, kw_scores: dict[int, float],
              sem_scores: dict[int, float]) -> list[SearchHit]:
        ids = [pid for pid, *_ in window]
        if not ids:
            return []
        p = profiles
        rows = {r.id: r for r in conn.execute(select(
            p.c.id, p.c.full_name, p.c.headline, p.c.current_title, p.c.location, p.c.years_experience, p.c.kind
        ).where(p.c.id.in_(ids)))}
        docs = docs_from_db(conn, ids) if parsed.root is not None else {}
        hits = []
        for offset, (pid, score, kr, sr) in enumerate(window):
            row = rows.get(pid)
            if row is None:  # removed since the index was built
                continue
            hits.append(SearchHit(
                profile_id=pid, rank=start + offset + 1, score=round(score, 6), full_name=row.full_name,
                headline=row.headline, current_title=row.current_title, location=row.location,
                years_experience=row.years_experience, kind=row.kind, keyword_rank=kr,
                keyword_score=round(kw_scores[pid], 4) if pid in kw_scores else None, semantic_rank=sr,
                semantic_score=round(sem_scores[pid], 4) if pid in sem_scores else None,
                matched=match_terms(parsed, docs[pid]) if pid in docs else [],
            ))
        return hits
