"""Evaluation: a classical score over the whole pool, then per-qualification verdicts for the top K.

screen_pool scores every pooled candidate with the classical matcher (fast, deterministic) and keeps the top
K; each is judged qualification by qualification in parallel (``Send``, bounded by ``Services.judge_slots``);
rank orders the shortlist by must-haves met first (``tools.hiring.rank_key``), keeps nobody outside the role's
occupation family above someone in it without a reason shown with the candidate
(``tools.occupations.family_order``), stores evaluations with their verbatim evidence, and reports. Each
judgement emits a progress event that counts one (``tally``); the runtime's event stream adds them up into
"Evaluated 12 of 25".
"""

from __future__ import annotations

import operator
import time
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.runtime import Runtime
from langgraph.types import Overwrite, Send

from graphs.common import candidates, off_loop, progress, say
from graphs.context import Context, Services, services
from graphs.state import CandidateRef, ShortlistRow, ShortlistVerdict, StepResult
from tools.hiring import CandidateJudgement, HiringRequirements, QualificationSpec, rank_key
from tools.matching import Matcher
from tools.occupations import OccupationFamily, family_membership, family_order, occupation_family, person_occupations


class EvaluationState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    project_id: int | None
    requirements: HiringRequirements | None
    qualifications: list[QualificationSpec]
    pool: list[CandidateRef]
    judging: list[int]
    judgements: Annotated[list[CandidateJudgement], operator.add]
    shortlist: list[ShortlistRow]
    last_result: StepResult | None


class JudgeInput(TypedDict):
    profile_id: int
    qualifications: list[QualificationSpec]
    total: int


async def screen_pool(state: EvaluationState, runtime: Runtime[Context]) -> dict:
    ctx = runtime.context or Context()
    svc = services(runtime)
    quals = state["qualifications"]
    ids = [r.profile_id for r in state.get("pool") or []]
    if not ids:
        return {"judging": [], "judgements": Overwrite([])}
    matcher = Matcher(quals)
    started = time.perf_counter()
    scored: list[tuple[float, int]] = []
    chunk = 500
    for at in range(0, len(ids), chunk):
        batch = await candidates(svc, ids[at:at + chunk])
        scored += await off_loop(lambda b=batch: [(matcher.score(c), c.profile_id) for c in b])
        progress("evaluation", f"Scored {min(at + chunk, len(ids))} of {len(ids)}", done=min(at + chunk, len(ids)),
                 total=len(ids))
    elapsed = time.perf_counter() - started
    scored.sort(key=lambda t: (-t[0], t[1]))
    project_id = state.get("project_id") or ctx.project_id
    if project_id is not None:
        by_id = {r.profile_id: r.query for r in state.get("pool") or []}
        await off_loop(svc.store(ctx.organisation_id).upsert_pipeline, project_id,
                       [(pid, by_id.get(pid), round(score, 4)) for score, pid in scored])
    top = [pid for _score, pid in scored[:ctx.top_k]]
    progress("evaluation", f"Classical score over {len(ids)} candidates in {elapsed:.2f} s; judging the top {len(top)}",
             done=0, total=len(top))
    return {"judging": top, "judgements": Overwrite([])}


def fan_out(state: EvaluationState) -> list[Send] | str:
    top = state.get("judging") or []
    if not top:
        return "rank"
    return [Send("judge_candidate", JudgeInput(profile_id=pid, qualifications=state["qualifications"],
                                               total=len(top))) for pid in top]


async def judge_candidate(state: JudgeInput, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    quals = state["qualifications"]
    found = await candidates(svc, [state["profile_id"]])
    if not found:
        return {"judgements": []}
    async with svc.judge_slots:
        judgement = await svc.brain.judge(found[0], quals, Matcher(quals))
    progress("evaluation", "Evaluated", total=state["total"], tally="judged")
    return {"judgements": [judgement]}


def _row(entry: dict[str, Any], warnings: list[str]) -> ShortlistRow:
    """A stored shortlist entry (``ProjectStore.shortlist``) as the graph's typed row."""
    verdicts = [ShortlistVerdict.model_validate(v) for v in entry["verdicts"]]
    musts = [v for v in verdicts if v.kind == "must" and not v.review]
    return ShortlistRow(
        profile_id=entry["profile_id"], rank=entry["rank"], name=entry.get("name"), title=entry.get("title"),
        location=entry.get("location"), musts_met=sum(v.verdict == "meets" for v in musts),
        musts_total=len(musts), score=round(entry.get("score") or 0.0, 3),
        recommendation=entry.get("recommendation") or "", query=entry.get("source_query"),
        verdicts=verdicts, warnings=warnings)


def _family_order(svc: Services, family: OccupationFamily, judgements: list[CandidateJudgement],
                  quals: list[QualificationSpec]) -> list[CandidateJudgement]:
    """The score order with nobody outside the role's occupation family above someone in it without a reason
    (``tools.occupations.family_order``)."""
    ids = [j.profile_id for j in judgements]
    with svc.engine.connect() as conn:
        members = family_membership(family, person_occupations(conn, ids), ids)
    return family_order(judgements, members, quals, family)


async def rank(state: EvaluationState, runtime: Runtime[Context]) -> dict:
    ctx = runtime.context or Context()
    svc = services(runtime)
    quals = state["qualifications"]
    judgements = sorted(state.get("judgements") or [], key=lambda j: rank_key(j, quals))
    req = state.get("requirements")
    family = occupation_family(req, quals) if req is not None else None
    if family is not None and judgements:
        judgements = await off_loop(_family_order, svc, family, judgements, quals)
    project_id = state.get("project_id") or ctx.project_id
    rows: list[ShortlistRow] = []
    if project_id is not None and judgements:
        await off_loop(svc.store(ctx.organisation_id).save_judgements, project_id, [q.id for q in quals],
                       judgements)
        await off_loop(svc.store(ctx.organisation_id).set_ranks, project_id,
                       [j.profile_id for j in judgements])
        warnings = {j.profile_id: j.warnings for j in judgements}
        stored = await off_loop(svc.store(ctx.organisation_id).shortlist, project_id,
                                limit=len(judgements))
        rows = [_row(e, warnings.get(e["profile_id"], [])) for e in stored]
    if judgements:
        await off_loop(svc.store(ctx.organisation_id).record_decision, "evaluation",
                       "evaluation.shortlist", project_id,
                       {"model": svc.brain.evaluator_id, "ranked": [j.profile_id for j in judgements],
                        "recommendations": [j.recommendation for j in judgements]})
    strong = sum(j.recommendation == "strong" for j in judgements)
    text = (f"Evaluated {len(judgements)} candidates qualification by qualification "
            f"({svc.brain.evaluator_id}); {strong} meet every must-have.")
    if not judgements:
        text = "There is no one to evaluate yet: source candidates first."
    return {"shortlist": rows, "messages": [say(text, "evaluation")],
            "last_result": StepResult(agent="evaluation", ok=bool(judgements), summary=text,
                                      error=None if judgements else "empty pool")}


builder = StateGraph(EvaluationState, context_schema=Context)
builder.add_node(screen_pool)
builder.add_node(judge_candidate, input_schema=JudgeInput)
builder.add_node(rank, defer=True)
builder.add_edge(START, "screen_pool")
builder.add_conditional_edges("screen_pool", fan_out, ["judge_candidate", "rank"])
builder.add_edge("judge_candidate", "rank")
builder.add_edge("rank", END)
graph = builder.compile()
