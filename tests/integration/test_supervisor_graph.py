"""The supervisor graph driven by scripted fake chat models: plans are followed, failures replanned, and the
intake's approval interrupt keeps the policy check and the state across a resume.

The planner is a ``GenericFakeChatModel`` whose structured output is scripted object by object; the system
of record is a real migrated SQLite file with ``tools.records.store`` as the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from fakes.chat_models import ScriptedChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from sqlalchemy import Engine

from graphs.brain import Brain
from graphs.context import Context, Services
from graphs.llm import QualificationDraft
from graphs.state import AGENT_HELP, Plan, PlanStep, ReplanDecision
from graphs.supervisor import builder
from tools.hiring import HiringRequirements, PolicyCheck, QualificationSpec
from tools.records import store as pipeline
from tools.records.store import ProjectStore
from tools.search.types import SearchHit, SearchPage


class FixedSearch:
    """Talent search that answers every request with the same profiles (not the system under test here)."""

    def __init__(self, ids: Sequence[int] = ()) -> None:
        self.ids = list(ids)
        self.requests: list[Any] = []

    def search(self, request: Any, organisation_id: int | None = None) -> SearchPage:
        self.requests.append(request)
        hits = [SearchHit(profile_id=pid, rank=i, score=1.0 / i, full_name=None, headline="", current_title=None,
                          location=None, years_experience=None, kind="member")
                for i, pid in enumerate(self.ids, 1)] if request.page == 1 else []
        return SearchPage(hits=hits, total=len(hits), page=request.page, page_size=request.page_size,
                          mode=request.mode, normalized_query=request.query, fusion="fixed")


@pytest.fixture
def recruiter(sqlite_engine: Engine) -> tuple[int, int]:
    return pipeline.ensure_demo_recruiter(sqlite_engine, "acme", "ada@acme.test", "Ada")


def make_graph(engine: Engine, planner: ScriptedChatModel, org_rec: tuple[int, int]) -> tuple[Any, Context]:
    services = Services(engine=engine, talent_search=FixedSearch(), brain=Brain(planner=planner))
    org, rec = org_rec
    return builder.compile(checkpointer=InMemorySaver()), Context(organisation_id=org, recruiter_id=rec,
                                                                  services=services)


async def run(graph: Any, payload: Any, thread: str, ctx: Context) -> tuple[list[dict], list[Any]]:
    """(custom events, interrupts) of one call on a thread; a subgraph's interrupt also streams from its parent."""
    events: list[dict] = []
    interrupts: dict[str, Any] = {}
    config = {"configurable": {"thread_id": thread}}
    async for _ns, mode, chunk in graph.astream(payload, config, context=ctx, stream_mode=["custom", "updates"],
                                                subgraphs=True):
        if mode == "custom":
            events.append(chunk)
        elif isinstance(chunk, dict) and "__interrupt__" in chunk:
            interrupts.update({i.id: i for i in chunk["__interrupt__"]})
    return events, list(interrupts.values())


async def values(graph: Any, thread: str) -> dict[str, Any]:
    return dict((await graph.aget_state({"configurable": {"thread_id": thread}})).values)


def said(state: dict[str, Any]) -> list[str]:
    return [str(m.content) for m in state.get("messages") or [] if isinstance(m, AIMessage)]


def ask(text: str) -> dict[str, Any]:
    return {"messages": [HumanMessage(content=text)]}


async def test_the_planners_plan_is_followed(sqlite_engine: Engine, recruiter: tuple[int, int]) -> None:
    planner = ScriptedChatModel(script=[
        Plan(goal="Say what the assistant can do.", steps=[PlanStep(agent="answer", instruction="help")]),
        ReplanDecision(action="continue"),
    ])
    graph, ctx = make_graph(sqlite_engine, planner, recruiter)

    # words the classical planner would send to intake: the scripted plan decides, not the rules
    events, interrupts = await run(graph, ask("Find me a senior backend engineer in Berlin"), "t1", ctx)

    assert interrupts == [] and planner.script == []
    assert [e for e in events if e["event"] == "plan"] == [{
        "event": "plan", "goal": "Say what the assistant can do.",
        "steps": [{"agent": "answer", "instruction": "help", "target": None}]}]
    state = await values(graph, "t1")
    (reply,) = said(state)
    assert reply.startswith("I can help with these, in plain words:")
    assert all(f"• {name}: {text}" in reply for name, text in AGENT_HELP.items() if name != "answer")
    assert [(r.agent, r.ok) for r in state["results"]] == [("answer", True)]
    assert state.get("requirements") is None and state.get("project_id") is None
    assert [name for name, _messages in planner.prompts] == ["Plan", "ReplanDecision"]
    assert "Find me a senior backend engineer in Berlin" in str(planner.prompts[0][1][-1].content)


async def test_a_failed_step_is_replanned(sqlite_engine: Engine, recruiter: tuple[int, int]) -> None:
    planner = ScriptedChatModel(script=[
        Plan(goal="Explain a ranking.", steps=[PlanStep(agent="explain", instruction="Why is Zed Quill low?",
                                                        target="Zed Quill")]),
        ReplanDecision(action="revise", steps=[PlanStep(agent="answer", instruction="Say what you can do.")],
                       message="There is no shortlist yet, so here is what I can do."),
        ReplanDecision(action="finish"),
    ])
    graph, ctx = make_graph(sqlite_engine, planner, recruiter)

    events, interrupts = await run(graph, ask("Why is Zed Quill ranked low?"), "t2", ctx)

    assert interrupts == [] and planner.script == []
    plans = [e for e in events if e["event"] == "plan"]
    assert [[s["agent"] for s in p["steps"]] for p in plans] == [["explain"], ["explain", "answer"]]
    assert plans[1]["revised"] is True and "revised" not in plans[0]
    steps = [(e["agent"], e["status"]) for e in events if e["event"] == "step"]
    assert steps == [("explain", "running"), ("explain", "failed"), ("answer", "running"), ("answer", "done")]

    # the replanner saw the failure it was asked to repair
    _name, messages = next(p for p in planner.prompts if p[0] == "ReplanDecision")
    prompt = str(messages[-1].content)
    assert '<last_step agent="explain" ok="no">' in prompt and "unknown candidate" in prompt

    state = await values(graph, "t2")
    missing, note, help_text = said(state)
    assert missing == "I could not find “Zed Quill” in the shortlist. Candidates: none yet."
    assert note == "There is no shortlist yet, so here is what I can do."
    assert help_text.startswith("I can help with these")
    assert [(r.agent, r.ok) for r in state["results"]] == [("explain", False), ("answer", True)]
    assert [s.agent for s in state["plan"].steps] == ["explain", "answer"]


REQUIREMENTS = HiringRequirements(title="Senior Backend Engineer", seniority="senior", years_min=5,
                                  location="Berlin, Germany", country="DE", must_skills=["Python", "Kubernetes"])
DRAFT = QualificationDraft(qualifications=[
    QualificationSpec(text="5+ years of professional Python development", skills=["Python"], years_min=5),
    # the model claims the policy check passed; the program checks again
    QualificationSpec(text="Candidates under 35", policy=PolicyCheck(status="ok")),
    QualificationSpec(text="Runs Kubernetes in production", kind="nice", weight=0.5, skills=["Kubernetes"]),
])


async def test_intake_by_the_llm_brain_waits_for_approval_and_keeps_policy(
        sqlite_engine: Engine, recruiter: tuple[int, int]) -> None:
    planner = ScriptedChatModel(script=[
        Plan(goal="Capture the role.", steps=[PlanStep(agent="intake", instruction="Capture the role.")]),
        REQUIREMENTS, DRAFT,
    ])
    graph, ctx = make_graph(sqlite_engine, planner, recruiter)
    thread = f"intake-{uuid.uuid4().hex[:6]}"
    request = "Senior backend engineer in Berlin, Python and Kubernetes, 5+ years, under 35"

    events, interrupts = await run(graph, ask(request), thread, ctx)

    assert planner.script == []
    assert [name for name, _m in planner.prompts] == ["Plan", "HiringRequirements", "QualificationDraft"]
    (pending,) = interrupts
    value = pending.value
    assert value["type"] == "approve_qualifications"
    assert value["requirements"]["title"] == "Senior Backend Engineer"
    # market facts the model left out come from the taxonomy
    assert value["requirements"]["occupation_code"] == "15-1252.00"
    listed = {q["text"]: q["policy"] for q in value["qualifications"]}
    assert list(listed) == [q.text for q in DRAFT.qualifications]
    assert listed["Candidates under 35"]["status"] == "blocked"
    assert listed["Candidates under 35"]["category"] == "age"
    assert "age limit" in listed["Candidates under 35"]["explanation"]
    assert listed["5+ years of professional Python development"]["status"] == "ok"
    assert any(e["event"] == "progress" and e["text"] == "Drafting qualifications" for e in events)

    # waiting: nothing stored yet, the thread remembers the request
    assert ProjectStore(sqlite_engine, recruiter[0]).list_projects(recruiter[1]) == []
    waiting = await values(graph, thread)
    assert waiting["request"] == request and waiting.get("approved") is not True
    assert [str(m.content) for m in waiting["messages"] if isinstance(m, HumanMessage)] == [request]

    planner.script.append(ReplanDecision(action="continue"))
    events, interrupts = await run(graph, Command(resume={"action": "approve"}), thread, ctx)

    assert interrupts == [] and planner.script == []
    # the resume re-ran the review only: no second extraction or draft
    assert [name for name, _m in planner.prompts] == ["Plan", "HiringRequirements", "QualificationDraft",
                                                      "ReplanDecision"]
    state = await values(graph, thread)
    assert state["approved"] is True and state["qualification_version"] == 1
    assert state["requirements"].title == "Senior Backend Engineer"
    kept = [q.text for q in state["qualifications"]]
    assert kept == ["5+ years of professional Python development", "Runs Kubernetes in production"]
    assert all(q.id is not None for q in state["qualifications"])
    messages = said(state)
    assert "Proposed 3 qualifications (1 blocked by the policy check and not used). Please review them." in \
        messages[0]
    assert messages[-1] == "Approved 2 qualifications (1 must-haves), version 1."
    assert [(r.agent, r.ok) for r in state["results"]] == [("intake", True)]

    (project,) = ProjectStore(sqlite_engine, recruiter[0]).list_projects(recruiter[1])
    assert project["id"] == state["project_id"] and project["title"] == "Senior Backend Engineer"
    assert project["requirements"].must_skills == ["Python", "Kubernetes"]
    version, stored = ProjectStore(sqlite_engine, recruiter[0]).current_qualifications(project["id"])
    assert version == 1
    assert [(q.text, q.kind, q.policy.status) for q in stored] == [
        ("5+ years of professional Python development", "must", "ok"),
        ("Runs Kubernetes in production", "nice", "ok"),
    ]


async def test_sourcing_waits_for_approved_qualifications(sqlite_engine: Engine,
                                                         recruiter: tuple[int, int]) -> None:
    planner = ScriptedChatModel(script=[
        Plan(goal="Source.", steps=[PlanStep(agent="sourcing", instruction="Search the pool."),
                                    PlanStep(agent="evaluation", instruction="Rank them.")]),
        ReplanDecision(action="finish", message="Describe the role first."),
    ])
    graph, ctx = make_graph(sqlite_engine, planner, recruiter)

    _events, interrupts = await run(graph, ask("Source more candidates"), "t4", ctx)

    assert interrupts == [] and planner.script == []
    state = await values(graph, "t4")
    assert said(state) == ["There are no approved qualifications yet: describe the role first.",
                           "Describe the role first."]
    assert [(r.agent, r.ok, r.error) for r in state["results"]] == [
        ("sourcing", False, "approve qualifications first")]
    assert ctx.services is not None and ctx.services.talent_search.requests == []
