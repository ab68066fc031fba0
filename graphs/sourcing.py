"""Sourcing: approved qualifications → several queries → a de-duplicated pool, each candidate with its query.

calibrate (interrupt: the recruiter rates about ten candidates, varied within the role's occupation family) →
search, every query anchored on the role's titles (``tools.sourcing.anchored``), in rounds within a budget
(``tools.sourcing.run_rounds``): every query runs, per-query yield and precision (the share of its top
candidates the classical matcher finds promising) decide whether a query is broadened (the pool is too small)
or narrowed (precision is low) → the pool is stored as pipeline entries.
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from graphs.background import scorer
from graphs.common import candidates, off_loop, progress, progress_from_thread, say
from graphs.context import Context, Services, services
from graphs.state import CandidateRef, StepResult
from tools.hiring import HiringRequirements, QualificationSpec
from tools.matching import Candidate, Matcher, load_candidates
from tools.occupations import OccupationFamily, family_membership, occupation_family, person_occupations
from tools.search.types import SearchError
from tools.sourcing import (
    BEYOND_OCCUPATION,
    PROMISING,
    SourcingQuery,
    anchored,
    asks_beyond_occupation,
    broaden,
    learn_from_ratings,
    run_rounds,
)


class SourcingState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    project_id: int | None
    requirements: HiringRequirements | None
    qualifications: list[QualificationSpec]
    calibration: dict[int, str]
    pool: list[CandidateRef]
    queries: list[dict[str, Any]]
    sourcing_rounds: int
    beyond_occupation: bool  # the recruiter asked to search beyond the role's occupation once nothing else widens
    last_result: StepResult | None


def _run(svc: Services, q: SourcingQuery, ctx: Context, limit: int) -> list[int]:
    ids: list[int] = []
    page = 1
    while len(ids) < limit:
        result = svc.talent_search.search(q.request(page_size=100, page=page), organisation_id=ctx.organisation_id)
        ids += [h.profile_id for h in result.hits]
        if len(result.hits) < 100:
            break
        page += 1
    return ids[:limit]


def _varied(candidates: list[Candidate], n: int, members: dict[int, bool | None] | None = None) -> list[Candidate]:
    """Up to n candidates spread over titles and places: round-robin over (title, location) groups.

    Variety stays within the role's occupation family (``tools.occupations``: the SOC broad occupation of the
    role's O*NET occupation, e.g. every registered-nurse speciality for an ICU nurse, and the occupations of the
    approved titles): when ``members`` is given, only candidates it marks as in the family are picked, so the
    recruiter rates different nurses, never a nurse beside a software engineer.
    """
    groups: dict[tuple, list[Candidate]] = {}
    for c in candidates:
        if members is not None and not members.get(c.profile_id):
            continue
        groups.setdefault(((c.current_title or "").lower(), (c.location or "").split(",")[0]), []).append(c)
    picked: list[Candidate] = []
    while len(picked) < n and any(groups.values()):
        for key in list(groups):
            if groups[key] and len(picked) < n:
                picked.append(groups[key].pop(0))
    return picked


def _members(svc: Services, family: OccupationFamily, ids: list[int]) -> dict[int, bool | None]:
    """Whether each profile is in the role's occupation family (None: nothing recorded names an occupation)."""
    with svc.engine.connect() as conn:
        return family_membership(family, person_occupations(conn, ids), ids)


def _calibration_batch(svc: Services, ctx: Context, queries: list[SourcingQuery], req: HiringRequirements,
                       quals: list[QualificationSpec], family: OccupationFamily | None) -> list[Candidate]:
    """A varied batch to rate: the queries' first hits, then, while the family gives fewer than three candidates per
    place in the batch, the same queries broadened (place and skills relaxed, the title anchor kept)."""
    seen: dict[int, None] = {}
    members: dict[int, bool | None] = {}
    wanted = 3 * ctx.calibration_size
    for q in [*queries, *(_widest(q, req, quals) for q in queries)]:
        if (sum(1 for v in members.values() if v) if family is not None else len(seen)) >= wanted:
            break
        try:
            new = [pid for pid in _run(svc, q, ctx, 30) if pid not in seen]
        except SearchError:
            continue
        seen.update(dict.fromkeys(new))
        if family is not None:
            members.update(_members(svc, family, new))
    with svc.engine.connect() as conn:
        pool = load_candidates(conn, list(seen)[:120 if family is None else None])
    return _varied(pool, ctx.calibration_size, members if family is not None else None)


def _widest(q: SourcingQuery, req: HiringRequirements, quals: list[QualificationSpec]) -> SourcingQuery:
    """The query broadened as far as broadening goes within its country (it never drops the title anchor)."""
    while (wider := broaden(q, req, quals)) is not None and not (q.country and not wider.country):
        q = wider
    return q


def _card(c: Candidate) -> dict[str, Any]:
    return {"profile_id": c.profile_id, "name": c.full_name, "title": c.current_title, "location": c.location,
            "years": c.years_experience, "skills": list(c.skills[:8])}


async def calibrate(state: SourcingState, runtime: Runtime[Context]) -> dict:
    ctx = runtime.context or Context()
    if ctx.calibration_size <= 0 or state.get("calibration"):
        return {}
    svc = services(runtime)
    req = state["requirements"]
    assert req is not None  # sourcing runs only after intake approved qualifications for the requirements
    quals = state["qualifications"]
    queries = anchored(await svc.brain.write_queries(req, quals, None), req, quals)
    progress("sourcing", "Picking a calibration batch")
    family = occupation_family(req, quals)
    batch = await off_loop(_calibration_batch, svc, ctx, queries, req, quals, family)
    if not batch:
        return {}
    answer = interrupt({"type": "calibrate", "candidates": [_card(c) for c in batch]})
    ratings: dict[int, str] = {}
    if isinstance(answer, dict):
        for key, value in (answer.get("ratings") or {}).items():
            if str(value) in ("good", "bad"):
                ratings[int(key)] = str(value)
    rated = {pid: r for pid, r in ratings.items() if pid in {c.profile_id for c in batch}}
    text = (f"Thanks: {sum(r == 'good' for r in rated.values())} good and {sum(r == 'bad' for r in rated.values())}"
            " not a fit. The queries will follow that." if rated else "No ratings: sourcing with the qualifications.")
    return {"calibration": rated or {0: "skipped"}, "messages": [say(text, "sourcing")]}


def _last_request(state: SourcingState) -> str | None:
    """The recruiter's latest message, if any."""
    for message in reversed(state.get("messages") or []):
        if isinstance(message, HumanMessage):
            return str(message.text)
    return None


async def search(state: SourcingState, runtime: Runtime[Context]) -> dict:
    ctx = runtime.context or Context()
    svc = services(runtime)
    req, quals = state["requirements"], state["qualifications"]
    assert req is not None  # sourcing runs only after intake approved qualifications for the requirements
    ratings = {pid: r for pid, r in (state.get("calibration") or {}).items() if pid}
    calibration = None
    if ratings:
        rated = await candidates(svc, list(ratings))
        known = [s for q in quals for s in q.skills]
        calibration = learn_from_ratings([(c.current_title or "", c.skills, ratings[c.profile_id]) for c in rated],
                                         known)
    queries = anchored(await svc.brain.write_queries(req, quals, calibration), req, quals)
    beyond = bool(state.get("beyond_occupation")) or asks_beyond_occupation(_last_request(state))
    report_progress = progress_from_thread("sourcing")
    found = await off_loop(
        run_rounds, queries, req, quals, search=lambda q: _run(svc, q, ctx, ctx.pool_limit),
        score=scorer(svc, Matcher(quals)), budget=ctx.sourcing_rounds, target=ctx.pool_target,
        min_precision=ctx.min_precision, limit=ctx.pool_limit,
        progress=lambda r, n, total, q: report_progress(f"Round {r}: query “{q.label}”", n, total),
        widen_beyond_occupation=beyond)
    report = [r.model_dump(exclude_none=True) for r in found.report]
    # each candidate keeps the query that found them first, in this run or an earlier one
    previous = {ref.profile_id: ref.query for ref in state.get("pool") or []}
    refs = [CandidateRef(profile_id=pid, query=previous.get(pid) or found.found_by[pid],
                         score=round(found.scores.get(pid, 0), 3)) for pid in found.pool]
    refs += [ref for ref in state.get("pool") or [] if ref.profile_id not in found.found_by]
    project_id = state.get("project_id") or ctx.project_id
    if project_id is not None and refs:
        await off_loop(svc.store(ctx.organisation_id).upsert_pipeline, project_id,
                       [(r.profile_id, r.query, None) for r in refs])
    await off_loop(svc.store(ctx.organisation_id).record_decision, "sourcing", "sourcing.pool",
                   project_id, {"pool": len(refs), "rounds": found.rounds, "queries": report})
    lines = [f"• {r.label}: {r.found} found, {r.new} new"
             + (f", precision {r.precision:.0%}" if r.precision is not None else "")
             + (f" (error: {r.error})" if r.error else "") for r in found.report]
    promising = sum(r.score >= PROMISING for r in refs)
    text = (f"Sourced {len(refs)} candidates ({promising} promising) with {len(found.report)} queries in "
            f"{found.rounds} round(s):\n" + "\n".join(lines))
    family = occupation_family(req, quals)
    if any(BEYOND_OCCUPATION in r.label for r in found.report):
        text += ("\nAs you asked, the last round looked beyond the role's occupation: it searched without the "
                 "title anchor, so some candidates hold other titles.")
    elif family is not None:
        text += f"\nEvery query kept to the titles of {family.describe()}."
    ok = bool(refs)
    return {"pool": refs, "queries": report, "sourcing_rounds": state.get("sourcing_rounds", 0) + found.rounds,
            "messages": [say(text, "sourcing")],
            "last_result": StepResult(agent="sourcing", ok=ok, summary=text,
                                      error=None if ok else "no candidates found")}


builder = StateGraph(SourcingState, context_schema=Context)
builder.add_node(calibrate)
builder.add_node(search)
builder.add_edge(START, "calibrate")
builder.add_edge("calibrate", "search")
builder.add_edge("search", END)
graph = builder.compile()
