"""Background runs, the work itself: source every match of a project's approved qualifications, then judge
candidates in batches with the classical brain (and the LLM evaluator above a cut-off, where one is set).

The runtime (``app.runtime.workflows``) checkpoints each call here as a durable step; everything here is safe
to repeat after a crash: pipeline entries are upserted and a candidate's evaluations of a qualification version
are replaced, so each candidate ends with exactly one evaluation per qualification.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Engine, select

from tools.background import judge_and_store, meets_every_must, source_all
from tools.hiring import CandidateJudgement, HiringRequirements, QualificationSpec
from tools.matching import Matcher, load_candidates
from tools.records.models import PipelineEntry, Profile
from tools.records.store import ProjectStore
from tools.search.engine import Searcher
from tools.sourcing import SourcingQuery, anchored, classical_queries


class WorkServices(Protocol):
    """What background work uses: :class:`graphs.context.Services`, or :class:`Work` where no LLM is configured
    (a worker then never imports the agent's graphs and model clients, and starts in a third of the time)."""

    engine: Engine
    talent_search: Searcher
    brain: Any
    concurrency: int

    def store(self, organisation_id: int) -> ProjectStore: ...


@dataclass(slots=True)
class Work:
    """The classical brain's services: the database and the talent search."""

    engine: Engine
    talent_search: Searcher
    brain: Any = None
    concurrency: int = 8

    def store(self, organisation_id: int) -> ProjectStore:
        return ProjectStore(self.engine, organisation_id)


class NothingApproved(LookupError):
    """The project has no approved qualifications: a background run has nothing to judge against."""


@dataclass(slots=True)
class RunPlan:
    """What a run judges: the approved version, its queries, and the candidates in the order they were found."""

    version: int
    qualifications: list[QualificationSpec]
    queries: list[SourcingQuery]
    ids: list[int] = field(default_factory=list)
    found_by: dict[int, str] = field(default_factory=dict)
    per_query: list[dict[str, Any]] = field(default_factory=list)


def approved(store: ProjectStore, project_id: int) -> tuple[HiringRequirements, int, list[QualificationSpec]]:
    """The project's requirements and its latest approved qualification version."""
    project = store.get_project(project_id)
    if project is None:
        raise LookupError(f"There is no project {project_id} in this organisation.")
    version, quals = store.current_qualifications(project_id)
    if not quals:
        raise NothingApproved(f"Project {project_id} ({project['title']}) has no approved qualifications yet: "
                              "approve them in the chat first.")
    req = HiringRequirements.model_validate(project["requirements"] or {})
    return req, version, quals


def source(svc: WorkServices, organisation_id: int, queries: list[SourcingQuery], *, seen: set[int] | None = None,
           since: dt.datetime | None = None, depth: int | None = None,
           quals: list[QualificationSpec] | None = None) -> tuple[list[int], dict[int, str], list[dict[str, Any]]]:
    """Every match of every query (:func:`tools.background.source_all`); returns ``(new ids in the order found,
    who found each, per query counts)``. ``seen`` ids are left out; with ``since`` only profiles added or updated
    after it count (a refresh); ``depth`` keeps the best classical scores."""
    score = scorer(svc, Matcher(quals)) if quals else None
    pool = source_all(svc.talent_search, organisation_id, queries, depth=depth, score=score)
    ids = [pid for pid in pool.ids if pid not in (seen or set())]
    if since is not None:
        ids = _changed_since(svc, ids, since)
    report = [{"label": q.label, "query": q.query, "found": pool.per_query.get(q.label, 0),
               **({"error": pool.errors[q.label]} if q.label in pool.errors else {})} for q in queries]
    return ids, {pid: pool.found_by[pid] for pid in ids}, report


def _changed_since(svc: WorkServices, ids: list[int], since: dt.datetime) -> list[int]:
    keep: set[int] = set()
    with svc.engine.connect() as conn:
        for at in range(0, len(ids), 900):
            chunk = ids[at:at + 900]
            keep.update(conn.scalars(select(Profile.id).where(Profile.id.in_(chunk), Profile.updated_at > since)))
    return [pid for pid in ids if pid in keep]


def plan(svc: WorkServices, organisation_id: int, project_id: int, *, depth: int | None = None,
         since: dt.datetime | None = None) -> RunPlan:
    """The run's candidates: every match of every query (anchored on the role's titles), de-duplicated, capped
    at ``depth`` (the best classical scores kept), stored as pipeline entries with the query that found them."""
    req, version, quals = approved(svc.store(organisation_id), project_id)
    written = (asyncio.run(svc.brain.write_queries(req, quals, None)) if svc.brain is not None
               else classical_queries(req, quals, None))
    queries = anchored(written, req, quals)
    ids, found_by, report = source(svc, organisation_id, queries, since=since, depth=depth, quals=quals)
    store_sourced(svc, organisation_id, project_id, ids, found_by)
    return RunPlan(version=version, qualifications=quals, queries=queries, ids=ids, found_by=found_by,
                   per_query=report)


def scorer(svc: WorkServices, matcher: Matcher) -> Callable[[list[int]], dict[int, float]]:
    """The classical score of each profile id it is handed, loaded 500 at a time (sourcing ranks by it)."""
    def score(ids: list[int]) -> dict[int, float]:
        scores: dict[int, float] = {}
        for at in range(0, len(ids), 500):
            with svc.engine.connect() as conn:
                scores.update((c.profile_id, matcher.score(c)) for c in load_candidates(conn, ids[at:at + 500]))
        return scores

    return score


def store_sourced(svc: WorkServices, organisation_id: int, project_id: int, ids: list[int],
                  found_by: dict[int, str]) -> None:
    store = svc.store(organisation_id)
    for at in range(0, len(ids), 5000):
        store.upsert_pipeline(project_id, [(pid, found_by.get(pid), None) for pid in ids[at:at + 5000]])


def judge(svc: WorkServices, organisation_id: int, project_id: int, quals: list[QualificationSpec],
          ids: list[int], *, llm_cutoff: float = 1.0) -> tuple[int, int]:
    """Judge ``ids`` qualification by qualification and store the verdicts; returns ``(judged, matched)``.
    With an LLM evaluator, candidates whose classical score reaches ``llm_cutoff`` are judged by it instead."""
    matcher = Matcher(quals)
    result = judge_and_store(svc.engine, organisation_id, project_id, quals, ids, matcher=matcher)
    if svc.brain is None or svc.brain.evaluator is None:
        return result.judged, result.matched
    with svc.engine.connect() as conn:
        high = [c for c in load_candidates(conn, ids) if matcher.score(c) >= llm_cutoff]
    if not high:
        return result.judged, result.matched
    by_llm = asyncio.run(_judge_llm(svc, quals, matcher, high))
    svc.store(organisation_id).save_judgements(project_id, [q.id for q in quals if q.id is not None],
                                               list(by_llm.values()))
    changed = sum(meets_every_must(j, quals) for j in by_llm.values()) - sum(pid in by_llm
                                                                           for pid in result.matched_ids)
    return result.judged, result.matched + changed


async def _judge_llm(svc: WorkServices, quals: list[QualificationSpec], matcher: Matcher,
                     cands: list[Any]) -> dict[int, CandidateJudgement]:
    slots = asyncio.Semaphore(svc.concurrency)

    async def one(c: Any) -> CandidateJudgement:
        async with slots:
            return await svc.brain.judge(c, quals, matcher)

    done = await asyncio.gather(*(one(c) for c in cands))
    return {j.profile_id: j for j in done}



MIN_PRECISION = 0.3  # a query is broadened in the next round when this share of its candidates meets every must-have
SHORTLIST_DEPTH = 200  # pipeline entries ranked at the end of a run, best scores first


def query_precision(svc: WorkServices, organisation_id: int, project_id: int) -> dict[str, float]:
    """Per query label: the share of the candidates it found (and that were judged) meeting every must-have."""
    totals: dict[str, list[int]] = {}
    with svc.engine.connect() as conn:
        rows = conn.execute(select(PipelineEntry.source_query, PipelineEntry.recommendation).where(
            PipelineEntry.organisation_id == organisation_id, PipelineEntry.project_id == project_id,
            PipelineEntry.recommendation.is_not(None)))
        for source_query, recommendation in rows:
            label = (source_query or "").split(": ", 1)[0]
            counts = totals.setdefault(label, [0, 0])
            counts[0] += 1
            counts[1] += recommendation == "strong"
    return {label: strong / n for label, (n, strong) in totals.items() if n}


def pipeline_ids(svc: WorkServices, organisation_id: int, project_id: int) -> set[int]:
    with svc.engine.connect() as conn:
        return set(conn.scalars(select(PipelineEntry.profile_id).where(
            PipelineEntry.organisation_id == organisation_id, PipelineEntry.project_id == project_id)))


def rank_pipeline(svc: WorkServices, organisation_id: int, project_id: int, depth: int = SHORTLIST_DEPTH) -> list[int]:
    """Rank the project's best judged candidates (the score the shortlist is shown and ranked by) 1..depth."""
    with svc.engine.connect() as conn:
        ids = list(conn.scalars(select(PipelineEntry.profile_id).where(
            PipelineEntry.organisation_id == organisation_id, PipelineEntry.project_id == project_id,
            PipelineEntry.score.is_not(None)).order_by(PipelineEntry.score.desc(), PipelineEntry.profile_id)
            .limit(depth)))
    svc.store(organisation_id).set_ranks(project_id, ids)
    return ids
