"""The agent runtime: the supervisor compiled with its checkpointer, run per recruiter thread, streamed as events.

Every front end (``hire demo``, ``hire chat``, the Chainlit UI) drives the graph through :class:`AgentRuntime`
and reads the same event dicts:

* ``{"event": "plan", "goal", "steps"}`` and ``{"event": "step", "index", "agent", "status", ...}``: the plan as
  a task list that updates as steps run;
* ``{"event": "progress", "agent", "text", "done", "total"}``: background progress ("Evaluated 120 of 500"); a
  node's event with a ``tally`` counts one more of that kind, and the stream turns it into the running count;
* ``{"event": "message", "agent", "text", "id"}``: what a sub-agent tells the recruiter;
* ``{"event": "token", "text", "node"}``: LLM tokens as they arrive;
* ``{"event": "insights", ...}``: talent insights with Plotly figures;
* ``{"event": "interrupt", "value", "id"}``: the graph waits for the recruiter (approval, ratings, a question);
* ``{"event": "error", "text", "resumable"}``: the run stopped; the thread keeps everything done so far.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from langgraph.types import Command

from app.services import build_services
from app.settings import Settings, get_settings
from graphs.context import Context, Services
from graphs.llm import ModelUnavailable
from graphs.state import checkpoint_types


def checkpoint_url(settings: Settings) -> str:
    if settings.checkpoint_url:
        return settings.checkpoint_url
    if settings.db_url.startswith("postgresql"):
        return settings.db_url
    return f"sqlite:///{settings.data_dir / 'checkpoints.db'}"


SUBGRAPH_NODES = frozenset({"intake", "sourcing", "evaluation"})
# nodes whose model output is prose for the recruiter; the others ask for JSON, which is not streamed
TEXT_NODES = frozenset({"explain", "answer"})


def _message_events(update: Any, seen: set[str], top_level: bool) -> list[dict[str, Any]]:
    """Messages a node wrote. A subgraph's messages stream from inside it, so its summary update at the top
    level (which repeats them, possibly after a resume in another call) is skipped."""
    events: list[dict[str, Any]] = []
    if not isinstance(update, dict):
        return events
    for node, node_update in update.items():
        if top_level and node in SUBGRAPH_NODES:
            continue
        if not isinstance(node_update, dict):
            continue
        messages = node_update.get("messages") or []
        if not isinstance(messages, list):
            messages = [messages]
        for m in messages:
            if isinstance(m, AIMessage) and m.id and m.id not in seen and m.content:
                seen.add(m.id)
                events.append({"event": "message", "agent": m.name or "assistant", "text": m.content, "id": m.id})
    return events


class AgentRuntime:
    """The supervisor with a durable checkpointer; use ``async with AgentRuntime(settings) as rt``."""

    def __init__(self, settings: Settings | None = None, services: Services | None = None) -> None:
        self.settings = settings or get_settings()
        self._services = services
        self._stack = AsyncExitStack()
        self.graph: Any = None

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = build_services(self.settings)
        return self._services

    async def __aenter__(self) -> AgentRuntime:
        from graphs.supervisor import builder
        from memory.checkpoints import open_checkpointer

        saver = await self._stack.enter_async_context(
            open_checkpointer(checkpoint_url(self.settings), allowed=checkpoint_types()))
        self.graph = builder.compile(checkpointer=saver)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    def context(self, organisation_id: int, recruiter_id: int, project_id: int | None = None,
                **overrides: Any) -> Context:
        s = self.settings
        values: dict[str, Any] = {"top_k": s.agent_top_k, "calibration_size": s.agent_calibration_size}
        values.update(overrides)
        return Context(organisation_id=organisation_id, recruiter_id=recruiter_id, project_id=project_id,
                       services=self.services, **values)

    def config(self, thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}, "max_concurrency": self.settings.agent_concurrency,
                "recursion_limit": 100}

    async def send(self, thread_id: str, text: str, context: Context) -> AsyncIterator[dict[str, Any]]:
        """A recruiter's message on a thread."""
        async for event in self._stream({"messages": [HumanMessage(content=text)]}, thread_id, context):
            yield event

    async def resume(self, thread_id: str, value: Any, context: Context) -> AsyncIterator[dict[str, Any]]:
        """The recruiter's answer to the interrupt the thread waits on."""
        async for event in self._stream(Command(resume=value), thread_id, context):
            yield event

    async def retry(self, thread_id: str, context: Context) -> AsyncIterator[dict[str, Any]]:
        """Continue a run that stopped on an error, from its last checkpoint."""
        async for event in self._stream(None, thread_id, context):
            yield event

    async def pending(self, thread_id: str) -> dict[str, Any] | None:
        """The interrupt the thread waits on, if any."""
        snapshot = await self.graph.aget_state(self.config(thread_id), subgraphs=True)
        for intr in _interrupts(snapshot):
            return {"event": "interrupt", "value": intr.value, "id": intr.id}
        return None

    async def values(self, thread_id: str) -> dict[str, Any]:
        snapshot = await self.graph.aget_state(self.config(thread_id))
        return dict(snapshot.values)

    async def _stream(self, payload: Any, thread_id: str, context: Context) -> AsyncIterator[dict[str, Any]]:
        seen: set[str] = set()
        tallies: dict[tuple[str, ...], int] = {}
        config = self.config(thread_id)
        try:
            async for namespace, mode, chunk in self.graph.astream(
                    payload, config, context=context, stream_mode=["updates", "messages", "custom"], subgraphs=True):
                if mode == "custom" and isinstance(chunk, dict):
                    yield _counted(chunk, namespace, tallies)
                elif mode == "messages":
                    message, meta = chunk
                    if (isinstance(message, AIMessageChunk) and isinstance(message.content, str) and message.content
                            and meta.get("langgraph_node") in TEXT_NODES):
                        yield {"event": "token", "text": message.content, "node": meta.get("langgraph_node"),
                               "namespace": list(namespace)}
                elif mode == "updates" and isinstance(chunk, dict):
                    if "__interrupt__" in chunk:
                        for intr in chunk["__interrupt__"]:
                            if intr.id not in seen:  # a subgraph's interrupt streams again from its parent
                                seen.add(intr.id)
                                yield {"event": "interrupt", "value": intr.value, "id": intr.id}
                        continue
                    for event in _message_events(chunk, seen, top_level=not namespace):
                        yield event
        except ModelUnavailable as exc:
            yield {"event": "error", "text": str(exc), "resumable": True}


def _counted(event: dict[str, Any], namespace: tuple[str, ...], tallies: dict[tuple[str, ...], int]) -> dict[str, Any]:
    """A progress event with a ``tally`` as the running count ("Evaluated 3 of 25"), counted per run of the
    subgraph that sent it (the first part of its namespace) and per kind; any other event as it is."""
    kind = event.get("tally")
    if event.get("event") != "progress" or not kind:
        return event
    key = (*namespace[:1], str(event.get("agent")), str(kind))
    done = tallies[key] = tallies.get(key, 0) + 1
    total = event.get("total")
    text = f"{event.get('text', '')} {done} of {total}" if total else f"{event.get('text', '')} {done}"
    counted = {name: value for name, value in event.items() if name != "tally"}
    return counted | {"text": text, "done": done}


def _interrupts(snapshot: Any) -> list[Any]:
    found = list(getattr(snapshot, "interrupts", ()) or ())
    for task in getattr(snapshot, "tasks", ()) or ():
        found += list(getattr(task, "interrupts", ()) or ())
        if getattr(task, "state", None) is not None:
            found += _interrupts(task.state)
    unique: dict[str, Any] = {}
    for intr in found:
        unique.setdefault(intr.id, intr)
    return list(unique.values())
