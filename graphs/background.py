"""Background runs, the work itself: source every match of a project's approved qualifications, then judge
candidates in batches with the classical brain (and the LLM evaluator above a cut-off, where one is set).

The runtime (``app.runtime.workflows``) checkpoints each call here as a durable step; everything here is safe
to repeat after a crash: pipeline entries are upserted and a candidate's evaluations of a qualification version
are replaced, so each candidate ends with exactly one evaluation per qualification.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from graphs.context import Services
from tools.hiring import CandidateJudgement, HiringRequirements, QualificationSpec
from tools.matching import Matcher, load_candidates
from tools.records.models import PipelineEntry, Profile
from tools.records.store import ProjectStore
from tools.search.query import parse
from tools.search.types import SearchError
from tools.sourcing import SourcingQuery, anchored, broaden

SEMANTIC_PAGES = 10  # pages of 100 a semantic-only query contributes


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


def _matches(svc: Services, organisation_id: int, q: SourcingQuery) -> list[int]:
    """Every profile the query matches: the boolean query with its facets, or for a query that is only words
    of meaning, its best semantic pages."""
    request = q.request()
    if q.query.strip():
        parsed = parse(q.query)
        return svc.talent_search.matching_ids(parsed, parsed.facets.merged(request.facets), organisation_id)
    ids: list[int] = []
    for page in range(1, SEMANTIC_PAGES + 1):
        result = svc.talent_search.search(q.request(page_size=100, page=page), organisation_id=organisation_id)
        ids += [h.profile_id for h in result.hits]
        if len(result.hits) < 100:
            break
    return ids


def source(svc: Services, organisation_id: int, queries: list[SourcingQuery], *, seen: set[int] | None = None,
           since: dt.datetime | None = None) -> tuple[list[int], dict[int, str], list[dict[str, Any]]]:
    """Run each query to its full depth; returns ``(new ids in the order found, who found each, per query
    counts)``. With ``since``, only profiles added or updated after it count (a refresh)."""
    seen = set(seen or ())
    order: list[int] = []
    found_by: dict[int, str] = {}
    report: list[dict[str, Any]] = []
    for q in queries:
        try:
            ids = _matches(svc, organisation_id, q)
        except SearchError as exc:
            report.append({"label": q.label, "query": q.query, "error": str(exc), "found": 0, "new": 0})
            continue
        if since is not None:
            ids = _changed_since(svc, ids, since)
        new = [pid for pid in dict.fromkeys(ids) if pid not in seen]
        seen.update(new)
        order += new
        for pid in new:
            found_by[pid] = f"{q.label}: {q.query or q.semantic_text}"
        report.append({"label": q.label, "query": q.query, "found": len(ids), "new": len(new)})
    return order, found_by, report


def _changed_since(svc: Services, ids: list[int], since: dt.datetime) -> list[int]:
    keep: set[int] = set()
    with svc.engine.connect() as conn:
        for at in range(0, len(ids), 900):
            chunk = ids[at:at + 900]
            keep.update(conn.scalars(select(Profile.id).where(Profile.id.in_(chunk), Profile.updated_at > since)))
    return [pid for pid in ids if pid in keep]


def plan(svc: Services, organisation_id: int, project_id: int, *, depth: int | None = None,
         since: dt.datetime | None = None) -> RunPlan:
    """The run's candidates: every match of every query (anchored on the role's titles), de-duplicated, capped
    at ``depth`` (the best classical scores kept), stored as pipeline entries with the query that found them."""
    req, version, quals = approved(svc.store(organisation_id), project_id)
    queries = anchored(asyncio.run(svc.brain.write_queries(req, quals, None)), req, quals)
    ids, found_by, report = source(svc, organisation_id, queries, since=since)
    if depth and len(ids) > depth:
        ids = best(svc, quals, ids, depth)
    store_sourced(svc, organisation_id, project_id, ids, found_by)
    return RunPlan(version=version, qualifications=quals, queries=queries, ids=ids, found_by=found_by,
                   per_query=report)


def broadened(queries: list[SourcingQuery], req: HiringRequirements,
              quals: list[QualificationSpec]) -> list[SourcingQuery]:
    """The next round: each query broadened one step, where it can be."""
    out = []
    for q in queries:
        wider = broaden(q, req, quals)
        if wider is not None and wider.query != q.query:
            out.append(wider)
    return out


def best(svc: Services, quals: list[QualificationSpec], ids: list[int], n: int) -> list[int]:
    matcher = Matcher(quals)
    scored: list[tuple[float, int]] = []
    for at in range(0, len(ids), 1000):
        with svc.engine.connect() as conn:
            scored += [(matcher.score(c), c.profile_id) for c in load_candidates(conn, ids[at:at + 1000])]
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [pid for _s, pid in scored[:n]]


def store_sourced(svc: Services, organisation_id: int, project_id: int, ids: list[int],
                  found_by: dict[int, str]) -> None:
    store = svc.store(organisation_id)
    for at in range(0, len(ids), 5000):
        store.upsert_pipeline(project_id, [(pid, found_by.get(pid), None) for pid in ids[at:at + 5000]])


def meets_every_must(judgement: CandidateJudgement) -> bool:
    return judgement.recommendation == "strong"


def judge(svc: Services, organisation_id: int, project_id: int, quals: list[QualificationSpec],
          ids: list[int], *, llm_cutoff: float = 1.0) -> tuple[int, int]:
    """Judge ``ids`` qualification by qualification and store the verdicts; returns ``(judged, matched)``.
    With an LLM evaluator, candidates whose classical score reaches ``llm_cutoff`` are judged by it instead."""
    matcher = Matcher(quals)
    with svc.engine.connect() as conn:
        found = load_candidates(conn, ids)
    judgements = [matcher.judge(c) for c in found]
    if svc.brain.evaluator is not None:
        high = [c for c in found if matcher.score(c) >= llm_cutoff]
        if high:
            by_llm = asyncio.run(_judge_llm(svc, quals, matcher, high))
            judgements = [by_llm.get(j.profile_id, j) for j in judgements]
    if judgements:
        svc.store(organisation_id).save_judgements(project_id, [q.id for q in quals if q.id is not None],
                                                   judgements)
    return len(judgements), sum(meets_every_must(j) for j in judgements)


async def _judge_llm(svc: Services, quals: list[QualificationSpec], matcher: Matcher,
                     cands: list[Any]) -> dict[int, CandidateJudgement]:
    slots = asyncio.Semaphore(svc.concurrency)

    async def one(c: Any) -> CandidateJudgement:
        async with slots:
            return await svc.brain.judge(c, quals, matcher)

    done = await asyncio.gather(*(one(c) for c in cands))
    return {j.profile_id: j for j in done}



MIN_PRECISION = 0.3  # a query is broadened in the next round when this share of its candidates meets every must-have
SHORTLIST_DEPTH = 200  # pipeline entries ranked at the end of a run, best scores first


def query_precision(svc: Services, organisation_id: int, project_id: int) -> dict[str, float]:
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


def pipeline_ids(svc: Services, organisation_id: int, project_id: int) -> set[int]:
    with svc.engine.connect() as conn:
        return set(conn.scalars(select(PipelineEntry.profile_id).where(
            PipelineEntry.organisation_id == organisation_id, PipelineEntry.project_id == project_id)))


def rank_pipeline(svc: Services, organisation_id: int, project_id: int, depth: int = SHORTLIST_DEPTH) -> list[int]:
    """Rank the project's best judged candidates (the score the shortlist is shown and ranked by) 1..depth."""
    with svc.engine.connect() as conn:
        ids = list(conn.scalars(select(PipelineEntry.profile_id).where(
            PipelineEntry.organisation_id == organisation_id, PipelineEntry.project_id == project_id,
            PipelineEntry.score.is_not(None)).order_by(PipelineEntry.score.desc(), PipelineEntry.profile_id)
            .limit(depth)))
    svc.store(organisation_id).set_ranks(project_id, ids)
    return ids
