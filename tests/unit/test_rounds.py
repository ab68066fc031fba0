"""Sourcing rounds: queries broaden while the pool is too small, narrow when their precision is low, stop at the
budget; the pool is ranked by classical score and each candidate keeps the query that found it first."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tools.hiring import HiringRequirements, QualificationSpec
from tools.search.types import SearchError
from tools.sourcing import PROMISING, Rounds, SourcingQuery, classical_queries, role_terms, run_rounds

REQ = HiringRequirements(title="Backend Engineer", location="Berlin, Germany", country="DE",
                         must_skills=["Python", "Go"])
QUALS = [QualificationSpec(text="Python", skills=["Python"]), QualificationSpec(text="Go", skills=["Go"]),
         QualificationSpec(text="Backend engineer in Berlin", titles=["Backend Engineer"], location="Berlin, Germany"),
         QualificationSpec(text="5 years of experience", years_min=5)]
QUERIES = {q.label: q for q in classical_queries(REQ, QUALS)}
ANCHOR = role_terms(REQ, QUALS).anchor_query  # title:(...) over the role's occupation family


class World:
    """A search that finds more people the wider a query is, and a scorer that records what it is asked."""

    def __init__(self, found: Callable[[SourcingQuery], list[int]], score: Callable[[int], float]) -> None:
        self.found = found
        self.score_of = score
        self.searched: list[str] = []
        self.scored: list[list[int]] = []
        self.progress: list[tuple[int, int, int, str]] = []

    def search(self, q: SourcingQuery) -> list[int]:
        self.searched.append(q.label)
        return self.found(q)

    def score(self, ids: list[int]) -> dict[int, float]:
        self.scored.append(list(ids))
        return {pid: self.score_of(pid) for pid in ids}

    def run(self, queries: list[SourcingQuery], *, budget: int = 4, target: int = 10, limit: int = 500) -> Rounds:
        return run_rounds(queries, REQ, QUALS, search=self.search, score=self.score, budget=budget, target=target,
                          min_precision=0.3, limit=limit,
                          progress=lambda r, n, total, q: self.progress.append((r, n, total, q.label)))


def test_a_small_pool_broadens_until_the_target_is_met() -> None:
    world = World(lambda q: list(range(1, 1 + 3 * 2 ** q.level)), lambda pid: 0.9)

    found = world.run([QUERIES["must-haves"]])

    assert found.rounds == 3
    report = [(r.label, r.found, r.new, r.precision, r.error) for r in found.report]
    assert report == [("must-haves", 3, 3, 1.0, None), ("must-haves (broadened 1)", 6, 3, 1.0, None),
                      ("must-haves (broadened 2)", 12, 6, 1.0, None)]
    assert found.pool == list(range(1, 13))
    assert found.found_by[1] == f"must-haves: {QUERIES['must-haves'].query}"
    # broadening relaxed the skills (any of them) and kept the title anchor
    assert found.found_by[12] == f"must-haves (broadened 2): {ANCHOR} AND skill:(Python OR Go) AND location:Berlin"
    # each profile is scored once
    assert world.scored == [[1, 2, 3], [4, 5, 6], list(range(7, 13))]
    assert world.progress == [(1, 1, 1, "must-haves"), (2, 1, 1, "must-haves (broadened 1)"),
                              (3, 1, 1, "must-haves (broadened 2)")]


def test_the_budget_bounds_the_rounds() -> None:
    world = World(lambda q: list(range(1, 1 + 3 * 2 ** q.level)), lambda pid: 0.9)

    found = world.run([QUERIES["must-haves"]], budget=1, target=1000)

    assert found.rounds == 2
    assert world.searched == ["must-haves", "must-haves (broadened 1)"]


def test_low_precision_narrows_a_query_once() -> None:
    # the semantic query finds 30 people: 3 of its top 20 are promising, and 10 more below them
    def found(q: SourcingQuery) -> list[int]:
        return [1, 2, 3] if q.level < 0 else list(range(1, 31))

    world = World(found, lambda pid: 0.9 if pid <= 3 or pid > 20 else 0.2)

    result = world.run([QUERIES["semantic"]])

    assert [(r.label, r.precision) for r in result.report] == [
        ("semantic", 0.15), ("semantic (narrowed)", 1.0)]
    assert result.report[1].query == f"({ANCHOR} AND location:Berlin) AND skill:Python AND skill:Go"
    assert result.rounds == 2
    # best classical score first, then by id
    assert result.pool[:13] == [1, 2, 3, *range(21, 31)]
    assert sum(result.scores[pid] >= PROMISING for pid in result.pool) == 13


def test_a_query_the_search_refuses_is_reported_and_not_retried() -> None:
    def found(q: SourcingQuery) -> list[int]:
        if q.label.startswith("hybrid"):
            raise SearchError("unknown field 'skil'")
        return list(range(1, 1 + 3 * 2 ** q.level))

    world = World(found, lambda pid: 0.9)

    result = world.run([QUERIES["hybrid"], QUERIES["must-haves"]], budget=2, target=1000)

    assert world.searched == ["hybrid", "must-haves", "must-haves (broadened 1)", "must-haves (broadened 2)"]
    refused = result.report[0]
    assert (refused.label, refused.found, refused.error) == ("hybrid", 0, "unknown field 'skil'")
    assert world.progress[:2] == [(1, 1, 2, "hybrid"), (1, 2, 2, "must-haves")]


def test_the_pool_is_capped_best_first_and_keeps_the_first_query() -> None:
    scores = {1: 0.1, 2: 0.7, 3: 0.7, 4: 0.95, 5: 0.3}

    def found(q: SourcingQuery) -> list[int]:
        return [1, 2, 3] if q.label == "must-haves" else [3, 4, 5]

    world = World(found, scores.__getitem__)

    result = world.run([QUERIES["must-haves"], QUERIES["skills"]], budget=0, limit=3)

    assert result.pool == [4, 2, 3]
    assert result.found_by[3].startswith("must-haves: ")
    assert result.found_by[4].startswith("skills: ")
    assert [(r.found, r.new) for r in result.report] == [(3, 3), (3, 2)]
    assert world.scored == [[1, 2, 3], [4, 5]]


@pytest.mark.parametrize("budget", [0, 3])
def test_nothing_found_is_an_empty_pool(budget: int) -> None:
    world = World(lambda q: [], lambda pid: 0.9)

    result = world.run(list(QUERIES.values()), budget=budget)

    assert result.pool == [] and result.found_by == {}
    assert all(r.found == 0 and r.precision is None for r in result.report)


# ---- the query builder: the title anchor and the country ---------------------------------------------------
ACCOUNTANT = HiringRequirements(title="Junior Accountant", occupation_code="13-2011.00",
                                occupation="Accountants and Auditors", location="Chicago-Naperville-Elgin, IL-IN, "
                                "United States", country="US", metro_code="0016980",
                                must_skills=["Intuit QuickBooks", "Microsoft Excel"])
ACCOUNTANT_QUALS = [
    QualificationSpec(text="Has worked as an Accountant", titles=["Accountant", "Staff Accountant"]),
    QualificationSpec(text="QuickBooks", skills=["Intuit QuickBooks"]),
    QualificationSpec(text="Excel", skills=["Microsoft Excel"]),
    QualificationSpec(text="Based in Chicago", location="Chicago-Naperville-Elgin, IL-IN, United States"),
]
REMOTE = HiringRequirements(title="Python Developer", occupation_code="15-1252.00", occupation="Software Developers",
                            country="US", remote="remote", must_skills=["Python"])
REMOTE_QUALS = [QualificationSpec(text="Has worked as a Python Developer", titles=["Python Developer"]),
                QualificationSpec(text="Python", skills=["Python"]),
                QualificationSpec(text="Must be legally able to work in the US", review=True, skills=["Go"])]


def _chain(q: SourcingQuery, req: HiringRequirements, quals: list[QualificationSpec]) -> list[SourcingQuery]:
    """The query and every broadening of it, in order."""
    from tools.sourcing import broaden

    chain = [q]
    while (wider := broaden(chain[-1], req, quals)) is not None:
        chain.append(wider)
    return chain


def test_every_query_is_anchored_on_the_occupations_titles() -> None:
    queries = classical_queries(ACCOUNTANT, ACCOUNTANT_QUALS)
    anchor = role_terms(ACCOUNTANT, ACCOUNTANT_QUALS).anchor_query

    assert [q.label for q in queries] == ["must-haves", "skills", "semantic", "hybrid"]
    assert queries[0].query == ('title:(Accountant OR "Staff Accountant") AND skill:"Intuit QuickBooks" AND '
                                'skill:"Microsoft Excel"')
    # the skills query asks for the skills under the family's titles, not instead of them
    assert queries[1].query == f'{anchor} AND skill:"Intuit QuickBooks" AND skill:"Microsoft Excel"'
    # the semantic query ranks within the titles (the keyword conditions filter the semantic side)
    assert (queries[2].query, queries[2].mode) == (anchor, "hybrid")
    assert queries[3].query == f'{anchor} AND skill:("Intuit QuickBooks" OR "Microsoft Excel")'
    assert anchor.startswith("title:(Accountant OR ") and "Auditor" in anchor and "Nurse" not in anchor
    assert all(q.country == ["US"] and q.metro == ["0016980"] for q in queries)


def test_broadening_relaxes_skills_and_place_but_never_the_title_anchor() -> None:
    anchor = role_terms(ACCOUNTANT, ACCOUNTANT_QUALS).anchor_query
    for q in classical_queries(ACCOUNTANT, ACCOUNTANT_QUALS):
        chain = _chain(q, ACCOUNTANT, ACCOUNTANT_QUALS)
        assert len(chain) > 1
        assert all(w.query.startswith(anchor) or w.query.startswith("title:(") for w in chain), q.label
        # the place goes last: the metro first, then (an on-site role) the country
        assert chain[-1].query == anchor and chain[-1].metro is None and chain[-1].country is None
    must_haves = _chain(classical_queries(ACCOUNTANT, ACCOUNTANT_QUALS)[0], ACCOUNTANT, ACCOUNTANT_QUALS)
    assert [w.query for w in must_haves[1:3]] == [
        f'{anchor} AND skill:"Intuit QuickBooks" AND skill:"Microsoft Excel"',
        f'{anchor} AND skill:("Intuit QuickBooks" OR "Microsoft Excel")']


def test_a_remote_role_within_a_country_keeps_the_country_on_every_query() -> None:
    queries = classical_queries(REMOTE, REMOTE_QUALS)

    assert queries and all(q.country == ["US"] for q in queries)
    for q in queries:
        assert all(w.country == ["US"] and "title:" in w.query for w in _chain(q, REMOTE, REMOTE_QUALS))


def test_a_qualification_only_the_recruiter_can_review_is_no_query_term() -> None:
    queries = classical_queries(REMOTE, REMOTE_QUALS)
    skill_terms = {w for q in queries for clause in re.findall(r'skill:(\([^)]*\)|"[^"]*"|\S+)', q.query)
                   for w in re.findall(r"[\w+#.]+", clause)}

    assert skill_terms == {"Python", "OR"} or skill_terms == {"Python"}
    assert "Go" not in (queries[1].semantic_text or "")


def test_a_models_skills_only_query_gets_the_title_anchor_and_the_country() -> None:
    from tools.sourcing import anchored

    anchor = role_terms(REMOTE, REMOTE_QUALS).anchor_query
    written = [SourcingQuery(label="llm: skills", query="skill:Python AND skill:Django", mode="keyword"),
               SourcingQuery(label="llm: words", semantic_text="A Python web developer", mode="semantic"),
               SourcingQuery(label="llm: titled", query='title:"Backend Developer" AND skill:Python', mode="keyword")]

    out = anchored(written, REMOTE, REMOTE_QUALS)

    assert out[0].query == f"{anchor} AND (skill:Python AND skill:Django)" and out[0].mode == "keyword"
    assert (out[1].query, out[1].mode, out[1].semantic_text) == (anchor, "hybrid", "A Python web developer")
    assert out[2].query == 'title:"Backend Developer" AND skill:Python'
    assert all(q.country == ["US"] for q in out)


def test_searching_beyond_the_occupation_is_a_stated_step_the_recruiter_asks_for() -> None:
    queries = [q for q in classical_queries(REMOTE, REMOTE_QUALS) if q.label == "must-haves"]
    world_ids = iter(range(1, 10_000))

    def run(widen: bool) -> Rounds:
        return run_rounds(queries, REMOTE, REMOTE_QUALS, search=lambda q: [next(world_ids)],
                          score=lambda ids: {pid: 0.9 for pid in ids}, budget=8, target=1000, min_precision=0.3,
                          limit=500, widen_beyond_occupation=widen)

    kept = run(False)
    assert all("title:" in r.query for r in kept.report)
    assert not any("beyond the occupation" in r.label for r in kept.report)

    widened = run(True)
    beyond = [r for r in widened.report if "beyond the occupation" in r.label]
    assert len(beyond) == 1 and beyond[0].label == "must-haves (beyond the occupation)"
    assert beyond[0].query == "skill:(Python)"
    # everything before it kept the anchor
    assert all("title:" in r.query for r in widened.report[:widened.report.index(beyond[0])])


@pytest.mark.parametrize(("text", "asks"), [
    ("Find more candidates, any title is fine", True),
    ("Source more from other occupations too", True),
    ("Look outside the profession", True),
    ("Find more candidates", False),
    ("Broaden the search", False),
    ("Other skills matter less", False),
    (None, False),
])
def test_only_explicit_words_widen_beyond_the_occupation(text: str | None, asks: bool) -> None:
    from tools.sourcing import asks_beyond_occupation

    assert asks_beyond_occupation(text) is asks
