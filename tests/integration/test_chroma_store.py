"""The Chroma vector store against a real Chroma server (``chroma run`` on a free loopback port).

Its answers must equal the embedded index's exact answers on the same vectors, facets and tenancy.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from eval.bench_vectors import synthetic
from tools.search.chroma_store import ChromaVectorStore, where_for
from tools.search.types import Facets
from tools.search.vectors import FacetColumns, VectorIndex, facet_filter

N = 200


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, FacetColumns, np.ndarray]:
    vectors, facets = synthetic(N + 5, seed=9)
    facets = facets.take(slice(0, N))
    facets.organisation[:N:10] = 3  # a few applicants of organisations 3 and 4 among network members
    facets.organisation[5:N:17] = 4
    return np.arange(1, N + 1) * 7, vectors[:N], facets, vectors[N:]


@pytest.fixture(scope="module")
def stores(chroma_url: str, tmp_path_factory: pytest.TempPathFactory, data) -> tuple[ChromaVectorStore, VectorIndex]:
    ids, vectors, facets, _ = data
    store = ChromaVectorStore.connect(url=chroma_url, name="profiles-test")
    store.upsert(ids, vectors, facets)
    index = VectorIndex.open(tmp_path_factory.mktemp("index") / "vectors")
    index.upsert(ids, vectors, facets)
    return store, index


CASES = [
    (Facets(), None),
    (Facets(), 3),
    (Facets(pool="applicants"), 3),
    (Facets(pool="network"), 4),
    (Facets(country=["US", "DE"], years_min=3, years_max=25), 3),
    (Facets(seniority=["senior", "lead", "mid"], open_to_work=True), 4),
    (Facets(metro=["0012420"], updated_since=dt.date(2024, 1, 1)), None),
    (Facets(pool="applicants"), None),  # applicants of no organisation: nothing
]


def test_counts_and_where_translation(stores) -> None:
    store, index = stores
    assert len(store) == len(index) == N
    assert where_for(Facets(), None) == {"organisation": 0}
    assert where_for(Facets(country=["DE"]), 3) == {"$and": [{"organisation": {"$in": [0, 3]}},
                                                             {"country": {"$in": ["DE"]}}]}


@pytest.mark.parametrize(("facets", "org"), CASES)
def test_search_equals_the_exact_embedded_index(stores, data, facets: Facets, org: int | None) -> None:
    store, index = stores
    _, _, _, queries = data
    for q in queries:
        ids, scores = store.search_facets(q, 10, facets, org)
        want_ids, want_scores = index.search_facets(q, 10, facets, org, exact=True)
        np.testing.assert_array_equal(ids, want_ids)
        np.testing.assert_allclose(scores, want_scores, atol=1e-4)


def test_allowed_ids_upsert_and_delete(stores, data) -> None:
    store, index = stores
    ids, vectors, facets, queries = data
    allowed = np.concatenate([ids[:30:3], np.array([1, 2])])  # 1 and 2 are not stored
    for q in queries[:2]:
        got, _ = store.search(q, 5, allowed_ids=allowed)
        want, _ = index.search(q, 5, allowed_ids=allowed, exact=True)
        np.testing.assert_array_equal(got, want)
    assert store.search(queries[0], 5, allowed_ids=np.array([1, 2]))[0].size == 0

    moved = facets.take(slice(0, 3))
    moved.country[:] = "JP"
    store.upsert(ids[:3], queries[:3], moved)
    index.upsert(ids[:3], queries[:3], moved)
    store.delete(ids[3:6])
    index.delete(ids[3:6])
    assert len(store) == len(index) == N - 3
    japan = facet_filter(Facets(country=["JP"]), 4)
    for q in queries[:3]:
        np.testing.assert_array_equal(store.search(q, 10, mask=japan)[0], index.search(q, 10, mask=japan)[0])
        np.testing.assert_array_equal(store.search(q, 10)[0], index.search(q, 10, exact=True)[0])
    with pytest.raises(TypeError):
        store.search(queries[0], 5, mask=lambda cols: cols.open_to_work)
