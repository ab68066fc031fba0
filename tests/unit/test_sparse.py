"""The sparse keyword index matches exactly what the reference evaluation matches, and ranks by BM25."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tools.generator import generate
from tools.search.documents import doc_from_record
from tools.search.query import ParsedQuery, ProfileDoc, evaluate, parse
from tools.search.sparse import SparseKeywordIndex

# tests/integration/test_search_contract.py QUERIES (copied: that module needs the database fixtures)
CONTRACT_QUERIES = [
    '("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager',
    "k8s", "Kubernetes", "golang", "title:engineer AND skill:Go", "C++", "C#", ".NET", "zurich", "Zürich",
    '"payments platform"', "kube*", 'title:(nurse OR developer)', "Москва", "佐藤健", "python NOT title:scientist",
    "company:nova AND location:berlin",
]
# more shapes: negation alone and inside OR, prefixes of one and two tokens, field scopes, skill prefixes
EXTRA_QUERIES = [
    "NOT python", "python OR NOT java", "-engineer -manager", "(python OR java) AND NOT (sql OR title:manager)",
    "eng*", "title:eng*", "skill:java*", "site-rel*", '"software engineer"', 'title:"registered nurse"',
    "school:university AND NOT location:london", "python AND (docker OR kubernetes) AND title:engineer",
    "nurse OR teacher OR accountant", "company:(bank OR health)", "a*", "x", "unseenword", "title:unseenword*",
]
# phrases of three or more tokens: candidates by consecutive bigrams, checked against the stored token sequences
LONG_PHRASES = ['"senior software engineer"', '"machine learning engineer"', 'title:"senior data scientist"',
                '"years of experience"', 'title:"customer service representative"', '"software engineer at"',
                "senior-soft*", 'title:"senior data sci*"', '"microsoft office software"']


@pytest.fixture(scope="module")
def corpus() -> list[tuple[int, ProfileDoc]]:
    return [(1000 + i, doc_from_record(r)) for i, r in enumerate(generate(2000, seed=11))]


@pytest.fixture(scope="module")
def index(corpus, tmp_path_factory) -> SparseKeywordIndex:
    folder: Path = tmp_path_factory.mktemp("sparse")
    SparseKeywordIndex.build(corpus, folder)
    return SparseKeywordIndex.open(folder)


def _expected(parsed: ParsedQuery, corpus) -> set[int]:
    return {pid for pid, doc in corpus if evaluate(parsed, doc)}


@pytest.mark.parametrize("query", CONTRACT_QUERIES + EXTRA_QUERIES + LONG_PHRASES)
def test_matches_equal_the_reference_evaluation(index, corpus, query: str) -> None:
    parsed = parse(query)
    expected = _expected(parsed, corpus)
    assert set(index.matching_ids(parsed).tolist()) == expected
    ids, scores, total = index.search(parsed, None, k=50)
    assert total == len(expected)
    assert set(ids.tolist()) <= expected and len(ids) == min(50, len(expected))
    assert np.all(np.diff(scores) <= 0)


def test_generated_corpus_exercises_the_queries(index, corpus) -> None:
    hits = sum(bool(_expected(parse(q), corpus)) for q in CONTRACT_QUERIES + EXTRA_QUERIES)
    assert hits >= 20  # most queries match something, so the agreement above is not vacuous


def test_long_phrases_are_checked_beyond_their_bigrams(index, corpus) -> None:
    # titles are stored one after another: "senior data analyst" + "data scientist" holds both bigrams of
    # "senior data scientist" without the phrase
    parsed = parse('title:"senior data scientist"')
    bigrams = parse('title:"senior data" AND title:"data scientist"')
    assert set(index.matching_ids(bigrams).tolist()) > set(index.matching_ids(parsed).tolist())


def test_mask_restricts_matches_and_negation(index, corpus) -> None:
    rng = np.random.default_rng(0)
    mask = rng.random(len(index)) < 0.3
    allowed = {pid for (pid, _), ok in zip(corpus, mask, strict=True) if ok}
    for query in ("python", "NOT python", "python OR NOT java"):
        parsed = parse(query)
        expected = _expected(parsed, corpus) & allowed
        assert set(index.matching_ids(parsed, mask).tolist()) == expected
        assert index.search(parsed, mask, k=10).total == len(expected)


def test_build_in_memory_equals_opened(corpus, index) -> None:
    memory = SparseKeywordIndex.build(corpus[:500], None)
    parsed = parse("(python OR java) AND title:engineer")
    a, b = memory.search(parsed, None, 20), index.search(parsed, np.arange(len(index)) < 500, 20)
    assert a.ids.tolist() == b.ids.tolist() and a.total == b.total


def _doc(title: str, body: str, skills: list[str] | None = None) -> ProfileDoc:
    return ProfileDoc(title=title, skills=skills or [], company="Acme", school="", location="Berlin", body=body,
                      raw_text=body)


def test_a_title_match_outranks_a_body_mention() -> None:
    filler = [(i, _doc("Accountant", f"Finance work item {i} with ledgers and audits")) for i in range(10, 60)]
    docs = [(1, _doc("Office Manager", "Worked with a nurse on rota planning and supplies")),
            (2, _doc("Registered Nurse", "Worked on rota planning and supplies")), *filler]
    index = SparseKeywordIndex.build(docs)
    ids, scores, total = index.search(parse("nurse"), None, k=10)
    assert total == 2 and ids.tolist() == [2, 1] and scores[0] > scores[1] > 0


def test_ties_break_by_profile_id_and_empty_query_lists_all() -> None:
    docs = [(pid, _doc("Nurse", "Same text")) for pid in (7, 3, 5)]
    index = SparseKeywordIndex.build(docs)
    ids, scores, total = index.search(parse("nurse"), None, k=2)
    assert ids.tolist() == [3, 5] and total == 3 and scores[0] == scores[1]
    assert index.search(parse(""), None, k=10).total == 3


def test_segments_restat_together_score_as_one_index(corpus, index, tmp_path: Path) -> None:
    """Three segments built apart, given the statistics of all three, rank and score as the single index does."""
    from tools.search.sparse import Collection, restat_segments

    folders = [tmp_path / f"s{i}" for i in range(3)]
    for folder, part in zip(folders, (corpus[:700], corpus[700:1400], corpus[1400:]), strict=True):
        SparseKeywordIndex.build(part, folder)
    restat_segments(folders)
    segments = [SparseKeywordIndex.open(f) for f in folders]
    assert all(s.collection_rows == len(corpus) for s in segments)
    for query in [*CONTRACT_QUERIES[:6], '"software engineer"', "eng*", "nurse OR teacher OR accountant"]:
        parsed = parse(query)
        whole = index.search(parsed, k=50)
        parts = [s.search(parsed, k=50) for s in segments]
        ids = np.concatenate([p.ids for p in parts])
        scores = np.concatenate([p.scores for p in parts])
        order = np.lexsort((ids, -scores))[:50]
        assert sum(p.total for p in parts) == whole.total, query
        np.testing.assert_allclose(scores[order], whole.scores, rtol=1e-5, err_msg=query)
        assert set(ids[order][scores[order] > whole.scores[-1] * (1 + 1e-5)]) <= set(whole.ids), query
    # a delta built against the collection scores as if it were a fourth part of it
    delta = SparseKeywordIndex.build(corpus[:5], reference=Collection(segments))
    alone = SparseKeywordIndex.build(corpus[:5])
    parsed = parse("engineer")
    assert delta.search(parsed, k=5).total == alone.search(parsed, k=5).total
    assert Collection(segments).collection_rows == len(corpus)
