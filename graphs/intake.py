"""Intake: the recruiter's words or a pasted job description → requirements → approved qualifications.

understand → (clarify ↺) → draft → review (interrupt: approve / edit / cancel) → save. Nothing is sourced
before the recruiter approves; every qualification, drafted or edited, passes the policy check, and blocked
ones are never stored as approved.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict, cast

from langchain_core.messages import AnyMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from graphs.common import off_loop, progress, say
from graphs.context import Context, services
from graphs.state import StepResult
from tools.hiring import HiringRequirements, QualificationSpec
from tools.policy import check_all
from tools.requirements import describe, extract_requirements

MAX_CLARIFY = 2


class IntakeState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    request: str
    project_id: int | None
    requirements: HiringRequirements | None
    qualifications: list[QualificationSpec]
    approved: bool
    qualification_version: int
    clarifications: int
    last_result: StepResult | None


def structure(text: str, kind: str = "must") -> QualificationSpec:
    """A qualification the recruiter typed, with the skills, years and languages it names filled in."""
    req = extract_requirements(text)
    return QualificationSpec(text=text.strip(), kind="nice" if kind == "nice" else "must",
                             weight=0.5 if kind == "nice" else 1.0,
                             skills=list(dict.fromkeys(req.must_skills + req.nice_skills)),
                             years_min=req.years_min if req.years_min and "year" in text.lower() else None,
                             languages=req.languages)


def apply_edits(current: list[QualificationSpec], edits: list[Any]) -> list[QualificationSpec]:
    """The recruiter's edited list: full qualification dicts (kept as given), or text (structured here)."""
    result = []
    by_text = {q.text: q for q in current}
    for item in edits:
        if isinstance(item, QualificationSpec):
            result.append(item)
        elif isinstance(item, str):
            result.append(by_text.get(item) or structure(item))
        elif isinstance(item, dict):
            if set(item) <= {"text", "kind"}:  # only the words changed: map them again
                known = by_text.get(item.get("text", ""))
                kind = item.get("kind", known.kind) if known else item.get("kind", "must")
                q = known.model_copy(update={"kind": kind, "weight": known.weight if kind == known.kind else (
                    0.5 if kind == "nice" else 1.0)}) if known else structure(item.get("text", ""), kind)
                result.append(q)
            else:
                q = QualificationSpec.model_validate({k: v for k, v in item.items() if k != "policy"})
                before = by_text.get(q.text)
                if before is not None and before.kind != q.kind and q.weight == before.weight:
                    q = q.model_copy(update={"weight": 0.5 if q.kind == "nice" else 1.0})  # the kind's usual weight
                result.append(q)
    return [q for q in result if q.text.strip()]


async def understand(state: IntakeState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    progress("intake", "Reading the role description")
    req = await svc.brain.extract_requirements(state["request"])
    return {"requirements": req, "clarifications": state.get("clarifications", 0)}


def needs_clarity(state: IntakeState) -> Literal["clarify", "draft"]:
    req = state["requirements"]
    vague = req is not None and req.occupation_code is None and not req.must_skills
    return "clarify" if vague and state.get("clarifications", 0) < MAX_CLARIFY else "draft"


async def clarify(state: IntakeState) -> dict:
    req = state["requirements"]
    questions = (req.questions if req else []) or ["What is the role, and which skills matter most?"]
    answer = interrupt({"type": "clarify", "questions": questions})
    text = f"{state['request']}\n{answer}".strip() if isinstance(answer, str) and answer.strip() else state["request"]
    return {"request": text, "clarifications": state.get("clarifications", 0) + 1}


async def draft(state: IntakeState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    req = state["requirements"]
    assert req is not None  # understand() always sets it
    progress("intake", "Drafting qualifications")
    quals = await svc.brain.draft_qualifications(req)
    blocked = [q for q in quals if q.policy.status == "blocked"]
    text = describe(req) + f"\n\nProposed {len(quals)} qualifications"
    if blocked:
        text += f" ({len(blocked)} blocked by the policy check and not used)"
    return {"qualifications": quals, "messages": [say(text + ". Please review them.", "intake")]}


async def review(state: IntakeState) -> Command[Literal["save", "review", "__end__"]]:
    quals = state["qualifications"]
    req = state["requirements"]
    answer = interrupt({
        "type": "approve_qualifications",
        "qualifications": [q.model_dump(mode="json") for q in quals],
        "requirements": req.model_dump(mode="json") if req else None,
        "questions": req.questions if req else [],
    })
    action = answer.get("action", "approve") if isinstance(answer, dict) else ("approve" if answer else "cancel")
    if action == "cancel":
        return Command(goto=cast(Literal["__end__"], END), update={  # langgraph types END as a plain str
            "approved": False, "messages": [say("Understood: nothing will be sourced for this role.", "intake")],
            "last_result": StepResult(agent="intake", ok=False, summary="qualifications not approved")})
    if isinstance(answer, dict) and answer.get("qualifications") is not None:
        try:
            edited = check_all(apply_edits(quals, answer["qualifications"]))
        except ValidationError as exc:
            return Command(goto="review", update={"messages": [say(f"That edit is not valid: {exc}", "intake")]})
        newly_blocked = [q for q in edited if q.policy.status == "blocked" and q.text not in {p.text for p in quals}]
        if newly_blocked:
            notes = "; ".join(f"“{q.text}”: {q.policy.explanation}" for q in newly_blocked)
            return Command(goto="review", update={"qualifications": edited,
                                                  "messages": [say(f"Blocked by the policy check: {notes}", "intake")]})
        quals = edited
    usable = [q for q in quals if q.policy.status != "blocked"]
    if not usable:
        return Command(goto="review", update={"messages": [say("At least one qualification is needed.", "intake")]})
    return Command(goto="save", update={"qualifications": usable, "approved": True})


async def save(state: IntakeState, runtime: Runtime[Context]) -> dict:
    svc = services(runtime)
    ctx = runtime.context or Context()
    req = state["requirements"]
    assert req is not None  # understand() always sets it
    project_id = state.get("project_id") or ctx.project_id
    if project_id is None:
        project_id = await off_loop(svc.store(ctx.organisation_id).create_project, ctx.recruiter_id,
                                    req.title, req)
    else:
        await off_loop(svc.store(ctx.organisation_id).save_requirements, project_id, req)
    version, stored = await off_loop(svc.store(ctx.organisation_id).save_qualifications, project_id,
                                     state["qualifications"], status="approved", approved_by=ctx.recruiter_id)
    musts = sum(q.kind == "must" and not q.review for q in stored)
    review = sum(q.review for q in stored)
    text = (f"Approved {len(stored)} qualifications ({musts} must-haves"
            f"{f', {review} for your review' if review else ''}), version {version}.")
    return {"project_id": project_id, "qualifications": stored, "qualification_version": version,
            "messages": [say(text, "intake")],
            "last_result": StepResult(agent="intake", summary=text)}


builder = StateGraph(IntakeState, context_schema=Context)
builder.add_node(understand)
builder.add_node(clarify)
builder.add_node(draft)
builder.add_node(review, destinations=("save", "review", END))
builder.add_node(save)
builder.add_edge(START, "understand")
builder.add_conditional_edges("understand", needs_clarity)
builder.add_edge("clarify", "understand")
builder.add_edge("draft", "review")
builder.add_edge("save", END)
graph = builder.compile()
