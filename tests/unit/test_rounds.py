"""Sourcing rounds: queries broaden while the pool is too small, narrow when their precision is low, stop at the
budget; the pool is ranked by classical score and each candidate keeps the query that found it first."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tools.hiring import HiringRequirements, QualificationSpec
from tools.search.types import SearchError
from tools.sourcing import PROMISING, Rounds, SourcingQuery, classical_queries, run_rounds

REQ = HiringRequirements(title="Backend Engineer", location="Berlin, Germany", country="DE",
                         must_skills=["Python", "Go"])
QUALS = [QualificationSpec(text="Python", skills=["Python"]), QualificationSpec(text="Go", skills=["Go"]),
         QualificationSpec(text="Backend engineer in Berlin", titles=["Backend Engineer"], location="Berlin, Germany"),
         QualificationSpec(text="5 years of experience", years_min=5)]
QUERIES = {q.label: q for q in classical_queries(REQ, QUALS)}


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
    assert found.found_by[12] == "must-haves (broadened 2): skill:Python AND skill:Go"
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
    assert result.report[1].query == "(location:Berlin) AND skill:Python AND skill:Go"
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
