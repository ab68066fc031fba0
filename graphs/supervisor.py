"""The supervisor: plan and execute, with the sub-agents as subgraphs and tools.

planner writes a typed ``Plan`` for the recruiter's message → executor runs its steps one at a time (each a
sub-agent: intake, sourcing, evaluation, insights, explain, revise, answer, lookup) → replanner looks at what the step
reported and continues, revises the remaining steps, or finishes. One checkpointed thread per recruiter and
project keeps the requirements, qualifications, pool and shortlist between messages.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from langchain_core.messages import HumanMessage
from langgraph.func import task
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from graphs import evaluation, intake, sourcing
from graphs.brain import Brain
from graphs.common import emit, off_loop, progress, say
from graphs.context import Context, services
from graphs.lookup import lookup
from graphs.state import (
    AGENT_HELP,
    Plan,
    PlanStep,
    Situation,
    StepResult,
    SupervisorInput,
    SupervisorState,
)
from tools.hiring import QualificationSpec
from tools.policy import check_all
from tools.revision import NoSuchQualification, Revision

AGENTS = ("intake", "sourcing", "evaluation", "insights", "explain", "revise", "answer", "lookup")


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return " ".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def situation(state: SupervisorState, request: str) -> Situation:
    last = state.get("last_result")
    return Situation(
        request=request, has_requirements=state.get("requirements") is not None,
        qualifications=[f"[{q.kind}] {q.text}" for q in state.get("qualifications") or []] if state.get("approved")
        else [], pool_size=len(state.get("pool") or []),
        shortlist=[f"{r.profile_id}: {r.name}" for r in (state.get("shortlist") or [])[:10]],
        last_step=last.agent if last else None, last_outcome=last.summary if last else None,
        failed=bool(last and not last.ok))


async def planner(state: SupervisorState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    humans = [m for m in state.get("messages") or [] if isinstance(m, HumanMessage)]
    request = _text(humans[-1]) if humans else ""
    plan = await svc.brain.plan(request, situation(state, request))
    emit("plan", goal=plan.goal, steps=[s.model_dump() for s in plan.steps])
    ctx = runtime.context or Context()
    await off_loop(svc.store(ctx.organisation_id).record_decision, "planner", "agent.plan",
                   state.get("project_id") or ctx.project_id,
                   {"request": request[:500], "plan": plan.model_dump(mode="json")})
    return {"request": request, "plan": plan, "step_index": 0, "last_result": None}


def executor(state: SupervisorState) -> Command[Literal[*AGENTS, "__end__"]]:  # type: ignore[valid-type]
    plan = state.get("plan")
    index = state.get("step_index", 0)
    if plan is None or index >= len(plan.steps):
        return Command(goto=END)
    step = plan.steps[index]
    emit("step", index=index, agent=step.agent, status="running", instruction=step.instruction)
    if step.agent in ("sourcing", "evaluation") and not state.get("approved"):
        result = StepResult(agent=step.agent, ok=False, summary="no approved qualifications yet",
                            error="approve qualifications first")
        return Command(goto="replanner", update={"last_result": result, "messages": [
            say("There are no approved qualifications yet: describe the role first.", step.agent)]})
    return Command(goto=step.agent, update={"step_index": index + 1, "last_result": None})


async def replanner(state: SupervisorState, runtime: Runtime[Context]) -> Command[Literal["executor", "__end__"]]:
    svc = services(runtime)
    plan = state["plan"]
    assert plan is not None  # the replanner only follows a step of the plan
    index = state.get("step_index", 0)
    last = state.get("last_result") or StepResult(agent=plan.steps[max(index - 1, 0)].agent)
    emit("step", index=index - 1, agent=last.agent, status="done" if last.ok else "failed", summary=last.summary)
    decision = await svc.brain.replan(situation(state, state.get("request", "")), plan, last)
    update: dict[str, Any] = {"results": [last]}
    if decision.message:
        update["messages"] = [say(decision.message, "supervisor")]
    if decision.action == "finish":
        return Command(goto=cast(Literal["__end__"], END), update=update)  # langgraph types END as a plain str
    if decision.action == "revise" and decision.steps:
        done = plan.steps[:index]
        new_plan = Plan(goal=plan.goal, steps=[*done, *decision.steps])
        emit("plan", goal=new_plan.goal, steps=[s.model_dump() for s in new_plan.steps], revised=True)
        update["plan"] = new_plan
    return Command(goto="executor", update=update)


def _step(state: SupervisorState) -> PlanStep:
    plan = state["plan"]
    assert plan is not None  # a step node only runs as a step of the plan
    return plan.steps[state.get("step_index", 1) - 1]


async def insights(state: SupervisorState, runtime: Runtime[Context]) -> dict:
    ctx = runtime.context or Context()
    svc = services(runtime)
    step = _step(state)
    from tools.insights import TalentInsights, insight_figures, talent_insights
    from tools.search.query import parse

    pool = await svc.brain.insights_query(step.instruction, step.target, state.get("requirements"))
    query, place = pool.query, pool.place
    progress("insights", f"Counting the pool for {query or 'everyone'}" + (f" in {place}" if place else ""))
    parsed = parse(query)

    def count() -> TalentInsights:
        ids = svc.talent_search.matching_ids(parsed, parsed.facets.merged(pool.facets), ctx.organisation_id)
        return talent_insights(svc.engine, ids, organisation_id=ctx.organisation_id)

    result = await off_loop(count)
    figures = {name: fig.to_json() for name, fig in insight_figures(result).items()}
    text = _insight_text(result, query, place)
    emit("insights", insights=result.model_dump(mode="json"), figures=figures)
    return {"insights": result.model_dump(mode="json"), "messages": [say(text, "insights")],
            "last_result": StepResult(agent="insights", summary=text.splitlines()[0])}


def _insight_text(result: Any, query: str, place: str | None) -> str:
    data = result.model_dump()
    where = f" in {place}" if place else ""
    lines = [f"Talent pool{where} for {query or 'all profiles'}: {data.get('size', 0)} people."]
    for key, label in (("top_locations", "Top locations"), ("top_titles", "Top titles"),
                       ("top_skills", "Top skills")):
        items = data.get(key) or []
        if items:
            lines.append(f"{label}: " + ", ".join(f"{i['label']} ({i['count']})" for i in items[:5]))
    if data.get("median_years") is not None:
        lines.append(f"Median experience: {data['median_years']:g} years")
    if data.get("open_to_work_share") is not None:
        lines.append(f"Open to work: {data['open_to_work_share']:.0%}")
    for band in (data.get("salary") or [])[:2]:
        if band.get("median"):
            low, high = band.get("p25"), band.get("p75")
            span = f"${low:,} – ${high:,}, " if low and high else ""
            lines.append(f"Salary band ({band['occupation']}, {band['area']}): {span}median ${band['median']:,}")
    for w in (data.get("widen") or [])[:3]:
        lines.append(f"Widen with {w['kind']} {w['label']}: +{w['extra_profiles']} profiles")
    return "\n".join(lines)


def _find_candidate(state: SupervisorState, target: str | None) -> Any:
    rows = state.get("shortlist") or []
    if not target:
        return None
    if target.isdigit():
        number = int(target)
        return next((r for r in rows if r.profile_id == number), None) or next(
            (r for r in rows if r.rank == number), None)
    words = target.lower().split()
    return next((r for r in rows if r.name and all(w in r.name.lower() for w in words)), None)


async def explain(state: SupervisorState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    step = _step(state)
    row = _find_candidate(state, step.target)
    if row is None:
        known = ", ".join(f"{r.name} (#{r.profile_id})" for r in (state.get("shortlist") or [])[:8]) or "none yet"
        text = f"I could not find “{step.target or 'that candidate'}” in the shortlist. Candidates: {known}."
        return {"messages": [say(text, "explain")],
                "last_result": StepResult(agent="explain", ok=False, summary=text, error="unknown candidate")}
    lines = [f"{row.name} (#{row.profile_id}) is ranked {row.rank} of {len(state.get('shortlist') or [])}: "
             f"meets {row.musts_met} of {row.musts_total} must-haves, recommendation {row.recommendation}."]
    for v in row.verdicts:
        quote = f" — “{v.evidence[0].quote}”" if v.evidence else ""
        lines.append(f"• [{v.kind}] {v.text}: {v.verdict.replace('_', ' ')}. {v.reason}{quote}")
    missing = [v.text for v in row.verdicts if v.kind == "must" and v.verdict != "meets"]
    if missing:
        lines.append("Ranked lower because of: " + "; ".join(missing) + ".")
    text = await svc.brain.explain(step.instruction, "\n".join(lines))
    return {"messages": [say(text, "explain")], "last_result": StepResult(agent="explain", summary=lines[0])}


@task
async def propose_revision(brain: Brain, quals: list[QualificationSpec], instruction: str,
                           target: str | None) -> Revision | NoSuchQualification:
    """The brain's revision as a task: its answer is checkpointed, so resuming after the approval does not ask
    the brain again (an LLM could answer differently)."""
    return await brain.revise(quals, instruction, target)


async def revise(state: SupervisorState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    ctx = runtime.context or Context()
    step = _step(state)
    revision = await propose_revision(svc.brain, list(state.get("qualifications") or []), step.instruction,
                                      step.target)
    if isinstance(revision, NoSuchQualification):
        text = revision.message
        return {"messages": [say(text, "revise")],
                "last_result": StepResult(agent="revise", ok=False, summary=text, error="no such qualification")}
    proposal, changes = revision.qualifications, revision.changes
    answer = interrupt({"type": "approve_qualifications", "changes": changes,
                        "qualifications": [q.model_dump(mode="json") for q in proposal]})
    if isinstance(answer, dict) and answer.get("action") == "cancel":
        text = "Kept the qualifications as they were."
        return {"messages": [say(text, "revise")],
                "last_result": StepResult(agent="revise", ok=False, summary=text, error="change not approved")}
    if isinstance(answer, dict) and answer.get("qualifications") is not None:
        proposal = check_all(intake.apply_edits(proposal, answer["qualifications"]))
    proposal = [q for q in proposal if q.policy.status != "blocked"]
    project_id = state.get("project_id") or ctx.project_id
    version, stored = await off_loop(svc.store(ctx.organisation_id).save_qualifications, project_id,
                                     proposal, status="approved", approved_by=ctx.recruiter_id)
    text = "Changed: " + "; ".join(changes) + f" (version {version})."
    return {"qualifications": stored, "qualification_version": version, "messages": [say(text, "revise")],
            "last_result": StepResult(agent="revise", summary=text)}


async def answer(state: SupervisorState) -> dict:
    lines = ["I can help with these, in plain words:"]
    lines += [f"• {name}: {text}" for name, text in AGENT_HELP.items() if name != "answer"]
    lines.append("Try: “Senior backend engineer in Berlin, Go and Kubernetes, 5+ years”.")
    return {"messages": [say("\n".join(lines), "supervisor")],
            "last_result": StepResult(agent="answer", summary="help")}


builder = StateGraph(SupervisorState, context_schema=Context, input_schema=SupervisorInput)
builder.add_node(planner)
builder.add_node(executor, destinations=(*AGENTS, "replanner", END))
builder.add_node("intake", intake.builder.compile())
builder.add_node("sourcing", sourcing.builder.compile())
builder.add_node("evaluation", evaluation.builder.compile())
builder.add_node(insights)
builder.add_node(explain)
builder.add_node(revise)
builder.add_node(answer)
builder.add_node(lookup)
builder.add_node(replanner, destinations=("executor", END))
builder.add_edge(START, "planner")
builder.add_edge("planner", "executor")
for _agent in AGENTS:
    builder.add_edge(_agent, "replanner")
graph = builder.compile()
