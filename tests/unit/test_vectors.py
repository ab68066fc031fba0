"""The embedded vector index: writes, persistence, IVF recall, facet and tenancy masks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from eval.bench_vectors import synthetic
from tools.search.types import Facets
from tools.search.vectors import DIM, FacetColumns, VectorIndex, day_number, facet_filter
from tools.taxonomy import SENIORITY_LEVELS


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def facets_for(n: int, org: int = 0, country: str = "US") -> FacetColumns:
    cols = FacetColumns.empty(n)
    cols.country[:] = country
    cols.organisation[:] = org
    return cols


def brute(vectors: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int, keep: np.ndarray | None = None):
    s = vectors @ (q / np.linalg.norm(q))
    if keep is not None:
        s = np.where(keep, s, -np.inf)
    top = np.argsort(-s, kind="stable")[:k]
    top = top[np.isfinite(s[top])]
    return ids[top], s[top]


@pytest.fixture(scope="module")
def clustered() -> tuple[np.ndarray, FacetColumns, np.ndarray]:
    vectors, facets = synthetic(20_050, seed=3)
    return vectors[:20_000], facets.take(slice(0, 20_000)), vectors[20_000:]


@pytest.fixture(scope="module")
def ann_index(tmp_path_factory: pytest.TempPathFactory, clustered) -> VectorIndex:
    vectors, facets, _ = clustered
    index = VectorIndex.open(tmp_path_factory.mktemp("ann") / "vectors")
    index.upsert(np.arange(1, 20_001), vectors, facets)
    index.build_ann()
    index.ann_min_rows = 0  # exercise the IVF below the brute-force threshold
    return index


def test_upsert_replace_delete_persist_and_reopen(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    folder = tmp_path / "vectors"
    index = VectorIndex.open(folder)
    assert len(index) == 0 and index.search(unit(rng, 1)[0], 5)[0].size == 0
    v = unit(rng, 100)
    index.upsert(np.arange(1, 101), v, facets_for(100))
    assert len(index) == 100
    ids, scores = index.search(v[41], 3)
    assert ids[0] == 42 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.diff(scores) <= 0)

    new42 = unit(rng, 1)
    index.upsert(np.array([42, 101]), np.vstack([new42, v[0] * 3]), facets_for(2, country="DE"))  # any norm
    assert len(index) == 101
    assert index.search(v[41], 1)[0][0] != 42
    assert index.search(new42[0], 1)[0][0] == 42
    np.testing.assert_allclose(index.vectors_of(np.array([101, 42])), np.vstack([v[0], new42]), atol=1e-6)

    index.delete(np.array([1, 7, 999]))
    assert len(index) == 99
    ids, _ = index.search(v[0], 100)
    assert 1 not in ids and 7 not in ids and 101 in ids and len(ids) == 99

    reopened = VectorIndex.open(folder)
    assert len(reopened) == 99
    assert sorted(reopened.ids.tolist()) == sorted(set(range(1, 102)) - {1, 7})
    for q in (v[5], new42[0], v[0]):
        np.testing.assert_array_equal(reopened.search(q, 10)[0], index.search(q, 10)[0])
    assert reopened.facets.country[reopened.ids == 42][0] == "DE"


def test_last_duplicate_in_a_batch_wins_and_bad_input_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    index = VectorIndex.open(tmp_path / "v")
    v = unit(rng, 3)
    index.upsert(np.array([5, 6, 5]), v, facets_for(3))
    assert len(index) == 2
    assert index.search(v[2], 1)[0][0] == 5 and index.search(v[0], 1)[1][0] < 0.99
    with pytest.raises(ValueError):
        index.upsert(np.array([1]), np.ones((1, 10), dtype=np.float32), facets_for(1))
    with pytest.raises(ValueError):
        index.upsert(np.array([1, 2]), unit(rng, 2), facets_for(3))
    with pytest.raises(ValueError):
        index.upsert(np.array([1]), np.full((1, DIM), np.nan, dtype=np.float32), facets_for(1))


def test_compaction_keeps_every_live_row(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    index = VectorIndex.open(tmp_path / "v")
    index.max_segments = 3
    vectors = {}
    for batch in range(8):  # overlapping batches: replacements and many segments
        ids = np.arange(batch * 50, batch * 50 + 80)
        v = unit(rng, len(ids))
        index.upsert(ids, v, facets_for(len(ids)))
        vectors.update(zip(ids.tolist(), v, strict=True))
        assert len(index.segments) <= 4
    index.delete(np.arange(0, 30))
    for i in range(30):
        vectors.pop(i)
    assert len(index) == len(vectors)
    reopened = VectorIndex.open(tmp_path / "v")
    ids = np.array(sorted(vectors))
    matrix = np.array([vectors[i] for i in ids])
    for q in unit(rng, 5):
        np.testing.assert_array_equal(reopened.search(q, 10)[0], brute(matrix, ids, q, 10)[0])
    on_disk = {p.name for p in (tmp_path / "v").iterdir()}
    manifest = json.loads((tmp_path / "v" / "manifest.json").read_text())
    assert {s["name"] for s in manifest["segments"]} <= on_disk and len(on_disk) <= 2 * len(manifest["segments"]) + 2


def test_ivf_recall_at_10_on_clustered_vectors(ann_index: VectorIndex, clustered) -> None:
    _, _, queries = clustered
    assert ann_index.centroids is not None and ann_index.nprobe < len(ann_index.centroids)
    recalls, masked_recalls = [], []
    mask = facet_filter(Facets(country=["DE"]), None)  # about 9% of rows
    for q in queries:
        exact = ann_index.search(q, 10, exact=True)[0]
        approx = ann_index.search(q, 10)[0]
        recalls.append(len(set(exact) & set(approx)) / 10)
        exact_m = ann_index.search(q, 10, mask=mask, exact=True)[0]
        approx_m = ann_index.search(q, 10, mask=mask)[0]
        assert len(approx_m) == 10
        masked_recalls.append(len(set(exact_m) & set(approx_m)) / 10)
    assert np.mean(recalls) >= 0.95
    assert np.mean(masked_recalls) >= 0.95


def test_ann_index_persists_and_takes_new_rows(tmp_path: Path, clustered) -> None:
    vectors, facets, queries = clustered
    index = VectorIndex.open(tmp_path / "v")
    index.upsert(np.arange(1, 5001), vectors[:5000], facets.take(slice(0, 5000)))
    index.build_ann(nlist=50)
    index.upsert(np.array([9_999]), queries[:1], facets.take(slice(0, 1)))  # a delta segment, searched exactly
    reopened = VectorIndex.open(tmp_path / "v")
    reopened.ann_min_rows = 0
    assert reopened.nprobe == index.nprobe and reopened.centroids.shape == (50, DIM)
    assert reopened.search(queries[0], 1)[0][0] == 9_999
    assert len(reopened.segments) == 2 and reopened.segments[-1].lists is not None  # new rows: sorted by list
    reopened.max_segments = 2
    for i in range(6):  # small batches after training: tiered merges, every segment stays list-sorted
        rows = slice(5000 + 10 * i, 5010 + 10 * i)
        reopened.upsert(np.arange(20_000 + 10 * i, 20_010 + 10 * i), vectors[rows], facets.take(rows))
        assert len(reopened.segments) <= 3 and all(seg.lists is not None for seg in reopened.segments)
    assert len(reopened) == 5061
    mask = facet_filter(Facets(pool="all"), 1)
    recall = [len(set(reopened.search(q, 10, mask=mask)[0]) & set(reopened.search(q, 10, mask=mask, exact=True)[0]))
              / 10 for q in queries[:20]]
    assert np.mean(recall) >= 0.9
    reopened.compact()  # one segment again
    assert len(reopened.segments) == 1 and reopened.segments[0].lists[-1] == 5061
    assert reopened.search(queries[0], 1)[0][0] == 9_999


def _random_facets(n: int, rng: np.random.Generator) -> FacetColumns:
    return FacetColumns(
        country=np.array(["US", "DE", "GB", ""], dtype="<U2")[rng.integers(0, 4, n)],
        metro=np.array(["0012420", "0035620", ""], dtype="<U7")[rng.integers(0, 3, n)],
        years=np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 30, n)).astype(np.float32),
        seniority=rng.integers(-1, len(SENIORITY_LEVELS), n).astype(np.int8),
        open_to_work=rng.random(n) < 0.3,
        updated_day=rng.integers(19_000, 20_000, n).astype(np.int32),
        organisation=np.where(rng.random(n) < 0.7, 0, rng.integers(1, 4, n)).astype(np.int64),
    )


def _expected(cols: FacetColumns, i: int, facets: Facets, org: int | None) -> bool:
    o = int(cols.organisation[i])
    if facets.pool == "network" and o != 0:
        return False
    if facets.pool == "applicants" and (org is None or o != org):
        return False
    if o not in (0, org):
        return False
    y = float(cols.years[i])
    checks = [
        not facets.country or cols.country[i] in facets.country,
        not facets.metro or cols.metro[i] in facets.metro,
        facets.years_min is None or (y == y and y >= facets.years_min),
        facets.years_max is None or (y == y and y <= facets.years_max),
        not facets.seniority or (cols.seniority[i] >= 0
                                 and SENIORITY_LEVELS[cols.seniority[i]] in facets.seniority),
        facets.open_to_work is None or bool(cols.open_to_work[i]) == facets.open_to_work,
        facets.updated_since is None or cols.updated_day[i] >= day_number(facets.updated_since),
    ]
    return all(checks)


FACET_CASES = [
    Facets(),
    Facets(pool="network"),
    Facets(pool="applicants"),
    Facets(country=["DE", "gb"]),
    Facets(metro=["0012420"], open_to_work=True),
    Facets(years_min=5, years_max=10),
    Facets(years_min=20),
    Facets(seniority=["senior", "lead"], open_to_work=False),
    Facets(updated_since=dt.date(2023, 6, 1), country=["US"], pool="applicants"),
]


@pytest.mark.parametrize("facets", FACET_CASES, ids=lambda f: json.dumps(f.model_dump(exclude_defaults=True),
                                                                         default=str))
def test_facet_masks_match_the_rules(tmp_path: Path, facets: Facets) -> None:
    rng = np.random.default_rng(4)
    n = 600
    cols = _random_facets(n, rng)
    index = VectorIndex.open(tmp_path / "v")
    index.upsert(np.arange(n), unit(rng, n), cols)
    stored = index.facets
    for org in (None, 1, 2):
        mask = index.facet_mask(facets, org)
        expected = np.array([_expected(stored, i, facets, org) for i in range(n)])
        np.testing.assert_array_equal(mask, expected)
        q = unit(rng, 1)[0]
        ids, _ = index.search_facets(q, 50, facets, org)
        assert set(ids.tolist()) <= set(index.ids[expected].tolist())
        assert len(ids) == min(50, int(expected.sum()))  # k hits whenever k exist


def test_masks_never_leak_another_organisations_applicants(ann_index: VectorIndex, clustered) -> None:
    _, facets, queries = clustered
    orgs = ann_index.facets.organisation
    ids = ann_index.ids
    for org in (None, 1, 7):
        for pool in ("all", "network", "applicants"):
            allowed = {0, org} if pool == "all" else ({0} if pool == "network" else {org})
            for q in queries[:10]:
                for exact in (False, True):
                    found, _ = ann_index.search_facets(q, 200, Facets(pool=pool), org, exact=exact)
                    found_orgs = set(orgs[np.isin(ids, found)].tolist())
                    assert found_orgs <= allowed, (org, pool, found_orgs)
                    expected = int(np.isin(orgs, list(allowed - {None})).sum())
                    assert len(found) == min(200, expected)


def test_selective_mask_and_allowed_ids_are_exact(ann_index: VectorIndex, clustered) -> None:
    _, _, queries = clustered
    ids = ann_index.ids
    orgs = ann_index.facets.organisation
    own = ids[orgs == 5]  # one organisation's applicants: a few hundred rows out of 20,000
    for q in queries[:5]:
        found, scores = ann_index.search_facets(q, 10_000, Facets(pool="applicants"), 5)
        assert sorted(found.tolist()) == sorted(own.tolist())  # every one of them, best first
        assert np.all(np.diff(scores) <= 0)
        allowed = np.concatenate([own[:7], np.array([10**9])])  # an unknown id is ignored
        found, _ = ann_index.search(q, 5, allowed_ids=allowed)
        exact_ids, _ = ann_index.search(q, 5, allowed_ids=allowed, exact=True)
        np.testing.assert_array_equal(found, exact_ids)
        assert set(found.tolist()) <= set(own[:7].tolist()) and len(found) == 5
        found, _ = ann_index.search_facets(q, 5, Facets(), None, allowed_ids=allowed)  # network only: none
        assert len(found) == 0


def test_deleted_rows_never_come_back_from_the_ivf(tmp_path: Path, clustered) -> None:
    vectors, facets, _ = clustered
    index = VectorIndex.open(tmp_path / "v")
    index.upsert(np.arange(1, 3001), vectors[:3000], facets.take(slice(0, 3000)))
    index.build_ann(nlist=30)
    index.ann_min_rows = 0
    index.delete(np.arange(1, 1501))
    for q in vectors[:20]:
        found, _ = index.search(q, 20)
        assert len(found) == 20 and found.min() > 1500
