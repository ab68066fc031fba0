"""The at-scale vector store: a Chroma collection (HNSW, cosine) with the facet columns as metadata.

Same ``upsert`` / ``delete`` / ``search`` / ``search_facets`` signatures as the embedded
:class:`tools.search.vectors.VectorIndex`. A mask must be a :class:`tools.search.vectors.FacetFilter` (what
``facet_filter`` returns): it is translated into a Chroma ``where`` filter (country ``$in``, years
``$gte``/``$lte``, seniority ``$in``, open_to_work, updated_day ``$gte``, organisation ``$in [0, org]``), since
an arbitrary Python function cannot run inside the server. Unknown years are left out of a record's metadata,
so a years filter never matches them (as nan never passes the numpy mask). Chroma ids are the profile ids as
strings. Vectors are always passed explicitly; the collection's embedding function is the project's
(:class:`memory.embeddings.ProjectEmbeddingFunction`) so Chroma never reaches for its downloading default.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from tools.search.types import Facets
from tools.search.vectors import DIM, FacetColumns, FacetFilter, day_number, facet_filter
from tools.taxonomy import SENIORITY_LEVELS

COLLECTION = "profiles"
_IMPOSSIBLE = object()  # a filter no record can pass (applicants of no organisation)


def where_for(facets: Facets | None, organisation_id: int | None) -> dict[str, Any] | None | object:
    """The Chroma ``where`` filter of these facets and tenancy; ``_IMPOSSIBLE`` when nothing can match."""
    facets = facets or Facets()
    org = organisation_id or None
    clauses: list[dict[str, Any]] = []
    if facets.pool == "network" or (org is None and facets.pool == "all"):
        clauses.append({"organisation": 0})
    elif facets.pool == "applicants":
        if org is None:
            return _IMPOSSIBLE
        clauses.append({"organisation": int(org)})
    else:
        assert org is not None  # pool "all" without an organisation is the first branch
        clauses.append({"organisation": {"$in": [0, int(org)]}})
    if facets.country:
        clauses.append({"country": {"$in": list(facets.country)}})
    if facets.metro:
        clauses.append({"metro": {"$in": list(facets.metro)}})
    if facets.years_min is not None:
        clauses.append({"years": {"$gte": float(facets.years_min)}})
    if facets.years_max is not None:
        clauses.append({"years": {"$lte": float(facets.years_max)}})
    if facets.seniority:
        clauses.append({"seniority": {"$in": [SENIORITY_LEVELS.index(s) for s in facets.seniority]}})
    if facets.open_to_work is not None:
        clauses.append({"open_to_work": bool(facets.open_to_work)})
    if facets.updated_since is not None:
        clauses.append({"updated_day": {"$gte": day_number(facets.updated_since)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def metadatas(facets: FacetColumns) -> list[dict[str, Any]]:
    """One Chroma metadata dict per row."""
    rows = zip(facets.country.tolist(), facets.metro.tolist(), facets.years.tolist(), facets.seniority.tolist(),
               facets.open_to_work.tolist(), facets.updated_day.tolist(), facets.organisation.tolist(), strict=True)
    out = []
    for country, metro, years, seniority, open_, day, org in rows:
        meta: dict[str, Any] = {"country": country, "metro": metro, "seniority": int(seniority),
                                "open_to_work": bool(open_), "updated_day": int(day), "organisation": int(org)}
        if years == years:  # not nan
            meta["years"] = float(years)
        out.append(meta)
    return out


class ChromaVectorStore:
    """Profile vectors in a Chroma collection of ``client``; see the module docstring."""

    def __init__(self, client: Any, name: str = COLLECTION, *, embedding_function: Any = None,
                 hnsw: dict[str, Any] | None = None) -> None:
        if embedding_function is None:
            from memory.embeddings import ProjectEmbeddingFunction

            embedding_function = ProjectEmbeddingFunction()  # lazy: the model loads only if Chroma embeds text
        self.client = client
        self.collection = client.get_or_create_collection(
            name, embedding_function=embedding_function,
            configuration={"hnsw": {"space": "cosine", **(hnsw or {})}},
        )
        self.batch_size = min(5000, int(client.get_max_batch_size()))

    @classmethod
    def connect(cls, *, url: str = "", path: str | Path | None = None, name: str = COLLECTION,
                embedding_function: Any = None, hnsw: dict[str, Any] | None = None) -> ChromaVectorStore:
        """A server's collection (``url``: http://host:port) or an embedded persistent one (``path``)."""
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url)
            client = chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                         ssl=parsed.scheme == "https", settings=settings)
        elif path is not None:
            client = chromadb.PersistentClient(path=str(path), settings=settings)
        else:
            raise ValueError("ChromaVectorStore.connect needs a url or a path")
        return cls(client, name, embedding_function=embedding_function, hnsw=hnsw)

    def upsert(self, ids: np.ndarray, vectors: np.ndarray, facets: FacetColumns) -> None:
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), DIM):
            raise ValueError(f"vectors must be ({len(ids)}, {DIM}), got {vectors.shape}")
        facets = facets.coerced(len(ids))
        _, last = np.unique(ids[::-1], return_index=True)  # the last occurrence of an id wins, as in VectorIndex
        keep = np.sort(len(ids) - 1 - last)
        ids, vectors, facets = ids[keep], vectors[keep], facets.take(keep)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.maximum(norms, 1e-12)
        metas = metadatas(facets)
        for start in range(0, len(ids), self.batch_size):
            end = start + self.batch_size
            self.collection.upsert(ids=[str(i) for i in ids[start:end].tolist()], embeddings=vectors[start:end],
                                   metadatas=metas[start:end])

    def delete(self, ids: np.ndarray) -> None:
        keys = [str(i) for i in np.unique(np.asarray(ids, dtype=np.int64)).tolist()]
        for start in range(0, len(keys), self.batch_size):
            self.collection.delete(ids=keys[start:start + self.batch_size])

    def __len__(self) -> int:
        return int(self.collection.count())

    def search(self, query: np.ndarray, k: int, *, mask: Callable[[FacetColumns], np.ndarray] | None = None,
               allowed_ids: np.ndarray | None = None, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest ids and cosine scores, best first. ``mask`` must be a :class:`FacetFilter`;
        ``exact`` is accepted for the shared signature, but Chroma always answers from its HNSW graph."""
        if mask is not None and not isinstance(mask, FacetFilter):
            raise TypeError("the Chroma store filters by facets only: pass facet_filter(facets, organisation_id)")
        where = where_for(mask.facets, mask.organisation_id) if mask is not None else None
        return self._query(query, k, where, allowed_ids)

    def search_facets(self, query: np.ndarray, k: int, facets: Facets | None, organisation_id: int | None,
                      allowed_ids: np.ndarray | None = None, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        return self.search(query, k, mask=facet_filter(facets, organisation_id), allowed_ids=allowed_ids)

    def _query(self, query: np.ndarray, k: int, where: Any, allowed_ids: np.ndarray | None) -> tuple[np.ndarray,
                                                                                                      np.ndarray]:
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
        if k <= 0 or where is _IMPOSSIBLE:
            return empty
        kwargs: dict[str, Any] = {}
        if allowed_ids is not None:
            allowed = np.unique(np.asarray(allowed_ids, dtype=np.int64))
            if not len(allowed):
                return empty
            # Chroma fails a query naming an id it does not hold ("Error finding id"): keep the ones it has
            known = self.collection.get(ids=[str(i) for i in allowed.tolist()], include=[])["ids"]
            if not known:
                return empty
            kwargs["ids"] = known
        q = np.asarray(query, dtype=np.float32).reshape(1, -1)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        result = self.collection.query(query_embeddings=q, n_results=k, where=where, include=["distances"],
                                       **kwargs)
        ids = np.array([int(i) for i in result["ids"][0]], dtype=np.int64)
        scores = 1.0 - np.array(result["distances"][0], dtype=np.float32)
        order = np.lexsort((ids, -scores))  # best first, ties by id
        return ids[order], scores[order]


ChromaStore = ChromaVectorStore
