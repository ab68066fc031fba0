"""The stream-to-UI mapping, driven by a scripted graph through the real runtime's event stream."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Send, interrupt

from app.agent import AgentRuntime
from app.settings import Settings
from app.ui_events import TurnView, highlight, progress_line, verdict_markdown
from graphs.common import emit, progress, say
from graphs.context import Context
from graphs.state import ShortlistRow


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        async def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args if not kwargs else (*args, kwargs)))
        return record

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]


class S(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    answer: Any


async def plan(state: S) -> dict:
    emit("plan", goal="Source a role.", steps=[{"agent": "sourcing", "instruction": "find people"},
                                                {"agent": "evaluation", "instruction": "rank them"}])
    emit("step", index=0, agent="sourcing", status="running", instruction="find people")
    for i in (1, 2, 3):
        progress("sourcing", "Searching", done=i, total=3)
    return {"messages": [say("Found 3 candidates.", "sourcing")]}


async def ask(state: S) -> dict:
    emit("step", index=0, agent="sourcing", status="done", summary="3 found")
    emit("step", index=1, agent="evaluation", status="running", instruction="rank them")
    answer = interrupt({"type": "approve_qualifications", "qualifications": []})
    return {"answer": answer, "messages": [say(f"Thanks: {answer['action']}.", "evaluation")]}


async def finish(state: S) -> dict:
    emit("step", index=1, agent="evaluation", status="done", summary="ranked")
    return {}


def scripted() -> Any:
    builder = StateGraph(S)
    builder.add_node(plan)
    builder.add_node(ask)
    builder.add_node(finish)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "ask")
    builder.add_edge("ask", "finish")
    builder.add_edge("finish", END)
    return builder.compile(checkpointer=InMemorySaver())


async def _run(events: Any, view: TurnView) -> None:
    async for event in events:
        await view.handle(event)
    await view.finish()


async def test_plan_steps_progress_messages_and_interrupt_map_to_the_page(tmp_path) -> None:
    rt = AgentRuntime(Settings(data_dir=tmp_path), services=object())  # type: ignore[arg-type]
    rt.graph = scripted()
    ctx = Context()
    surface = Recorder()
    view = TurnView(surface)  # type: ignore[arg-type]
    await _run(rt.send("t1", "find me people", ctx), view)

    names = surface.names()
    assert names[:3] == ["plan", "task_status", "open_step"]
    assert surface.calls[0][1][0] == "Source a role." and len(surface.calls[0][1][1]) == 2
    assert [c[1][0] for c in surface.calls if c[0] == "progress"] == [
        "sourcing: Searching (1 of 3)", "sourcing: Searching (2 of 3)", "sourcing: Searching (3 of 3)"]
    assert ("message", ("sourcing", "Found 3 candidates.")) in surface.calls
    # the sourcing step closes with what the sub-agent said; its task is marked done
    close = next(c for c in surface.calls if c[0] == "close_step")
    assert close[1][0] == 0 and close[1][1] == "Found 3 candidates." and close[1][2] == {"failed": False}
    assert ("task_status", (0, "done")) in surface.calls
    # exactly one approval widget, and the evaluation step stays open while the graph waits
    asks = [c for c in surface.calls if c[0] == "ask"]
    assert len(asks) == 1 and asks[0][1][0]["type"] == "approve_qualifications"
    assert view.waiting is not None
    assert ("task_status", (1, "done")) not in surface.calls

    # the recruiter answers: the run resumes in a new turn and finishes
    surface2 = Recorder()
    await _run(rt.resume("t1", {"action": "approve"}, ctx), TurnView(surface2))  # type: ignore[arg-type]
    assert ("message", ("evaluation", "Thanks: approve.")) in surface2.calls
    assert ("task_status", (1, "done")) in surface2.calls
    assert "ask" not in surface2.names()


class Pool(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    runs: int


def judged(state: dict[str, Any]) -> dict:
    progress("evaluation", "Evaluated", total=3, tally="judged")
    return {}


def counted_twice() -> Any:
    """A pool judged by three parallel tasks, twice over; each task only says that it judged one."""
    sub = StateGraph(Pool)
    sub.add_node("judge", judged)
    sub.add_conditional_edges(START, lambda state: [Send("judge", {}) for _ in range(3)], ["judge"])
    sub.add_edge("judge", END)
    builder = StateGraph(Pool)
    builder.add_node("evaluation", sub.compile())
    builder.add_node("again", lambda state: {"runs": state.get("runs", 0) + 1})
    builder.add_edge(START, "evaluation")
    builder.add_edge("evaluation", "again")
    builder.add_conditional_edges("again", lambda state: "evaluation" if state["runs"] < 2 else END)
    return builder.compile(checkpointer=InMemorySaver())


async def test_the_stream_counts_what_parallel_tasks_tally(tmp_path) -> None:
    rt = AgentRuntime(Settings(data_dir=tmp_path), services=object())  # type: ignore[arg-type]
    rt.graph = counted_twice()
    surface = Recorder()
    await _run(rt.send("t1", "evaluate", Context()), TurnView(surface))  # type: ignore[arg-type]

    # counted per run of the subgraph: the second run starts again from one
    assert [c[1][0] for c in surface.calls if c[0] == "progress"] == 2 * [
        "evaluation: Evaluated 1 of 3 (1 of 3)", "evaluation: Evaluated 2 of 3 (2 of 3)",
        "evaluation: Evaluated 3 of 3 (3 of 3)"]


async def test_errors_and_tokens() -> None:
    surface = Recorder()
    view = TurnView(surface)  # type: ignore[arg-type]
    await view.handle({"event": "token", "text": "Hel"})
    await view.handle({"event": "token", "text": "lo"})
    await view.handle({"event": "error", "text": "The planner is not answering.", "resumable": True})
    assert surface.calls == [("token", ("Hel",)), ("token", ("lo",)), ("error", ("The planner is not answering.",))]
    assert view.failed
    assert progress_line({"agent": "evaluation", "text": "Evaluated", "done": 120, "total": 500}) == (
        "evaluation: Evaluated (120 of 500)")


def test_shortlist_markdown_and_highlighting() -> None:
    row = ShortlistRow(profile_id=7, rank=1, name="Ana Souza", title="Backend Engineer", location="Berlin",
                       musts_met=2, musts_total=2, score=0.9, recommendation="strong", query="skills: skill:Go",
                       verdicts=[{"text": "Go", "kind": "must", "verdict": "meets", "reason": "Go in experience",
                                  "evidence": [{"source": "profile", "start": 0, "end": 9, "quote": "Go *today*"}]}])
    text = verdict_markdown(row)
    assert "**1. Ana Souza**" in text and "2/2 must-haves" in text and "found by skills" in text
    assert "“Go \\*today\\*”" in text
    marked = highlight("Built Go services; 5 years.", [(6, 8), (19, 26), (20, 22)])
    assert marked == "Built **Go** services; **5 years**."
