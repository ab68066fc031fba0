"""The recruiter's browser workspace (Chainlit): sign-in, the conversation with the agent, approvals, shortlist.

Run with ``chainlit run app/ui.py`` (``make run`` does it). Each Chainlit thread is one project: its id is the
LangGraph thread id, so resuming a past chat from the sidebar continues the agent where it stopped. The
mapping from the agent's events to the page lives in :mod:`app.ui_events`; background runs, notifications
and the projects dashboard in :mod:`app.ui_runs`; this module holds the Chainlit callbacks.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import TYPE_CHECKING, Any

import chainlit as cl
from chainlit.types import ThreadDict

from app.agent import AgentRuntime
from app.runtime.intents import wants_background_run
from app.settings import get_settings
from app.ui_events import TurnView, highlight, verdict_markdown
from app.ui_runs import RunWatcher, start_action, stored_shortlist, watcher

if TYPE_CHECKING:
    from starlette.datastructures import Headers

RUNTIME: dict[str, AgentRuntime] = {}
TASK_STATUS = {"ready": cl.TaskStatus.READY, "running": cl.TaskStatus.RUNNING, "done": cl.TaskStatus.DONE,
               "failed": cl.TaskStatus.FAILED}
CANDIDATE_ACTIONS = (("shortlist", "Shortlist", "star"), ("hide", "Hide", "eye-off"), ("reject", "Reject", "x"),
                     ("open", "Open profile", "file-text"))


# ---- accounts ---------------------------------------------------------------------------------------
def _user(identity: Any) -> cl.User:
    return cl.User(identifier=identity.email, display_name=identity.name,
                   metadata={"recruiter_id": identity.recruiter_id, "organisation_id": identity.organisation_id,
                             "organisation": identity.org_slug, "name": identity.name})


def _engine() -> Any:
    from app.services import engine_for

    return engine_for(get_settings().db_url)


if get_settings().auth_header:
    @cl.header_auth_callback
    async def header_login(headers: Headers) -> cl.User | None:
        from app.auth import identity_for_email

        email = headers.get(get_settings().auth_header.lower()) or headers.get(get_settings().auth_header)
        identity = await asyncio.to_thread(identity_for_email, _engine(), email) if email else None
        return _user(identity) if identity else None
else:
    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> cl.User | None:
        from app.auth import authenticate

        identity = await asyncio.to_thread(authenticate, _engine(), username, password)
        return _user(identity) if identity else None


@cl.data_layer
def history() -> Any:
    from app.chat_store import chat_history

    return chat_history(get_settings())


# ---- the agent runtime and the background runtime, opened once per process ---------------------------------
@cl.on_app_startup
async def open_runtime() -> None:
    from app.runtime.process import launch_runtime

    rt = AgentRuntime(get_settings())
    await rt.__aenter__()
    RUNTIME["rt"] = rt
    await asyncio.to_thread(_warm, rt)
    if get_settings().in_process_workers:  # else `hire worker` processes do the background work
        await asyncio.to_thread(launch_runtime, get_settings())


def _warm(rt: AgentRuntime) -> None:
    """Load the embedding model now, not on the first search."""
    embedder = getattr(rt.services.talent_search, "embedder", None)
    if embedder is not None:
        embedder.encode_query("warm up")


@cl.on_app_shutdown
async def close_runtime() -> None:
    from app.runtime.process import shutdown_runtime

    await asyncio.to_thread(shutdown_runtime)
    rt = RUNTIME.pop("rt", None)
    if rt is not None:
        await rt.__aexit__(None, None, None)


def _runtime() -> AgentRuntime:
    return RUNTIME["rt"]


def _context() -> Any:
    user = cl.user_session.get("user")
    meta = user.metadata if user else {}
    return _runtime().context(int(meta["organisation_id"]), int(meta["recruiter_id"]))


def _thread() -> str:
    return cl.context.session.thread_id


# ---- the page --------------------------------------------------------------------------------------------
class ChainlitSurface:
    """The Chainlit side of :class:`app.ui_events.Surface`."""

    def __init__(self) -> None:
        # the plan's task list lives as long as the chat: a resumed run (after an approval) updates it
        saved: tuple[cl.TaskList | None, list[cl.Task]] = cl.user_session.get("plan_tasks") or (None, [])
        self.tasks: cl.TaskList | None = saved[0]
        self.task_items: list[cl.Task] = saved[1]
        self.steps: dict[int, cl.Step] = {}
        self.status: cl.Message | None = None
        self.stream: cl.Message | None = None
        self.first_visible: float | None = None

    async def started(self, text: str = "Working on it…") -> None:
        self.status = cl.Message(content=text, author="progress")
        await self.status.send()
        self.first_visible = time.perf_counter()

    async def plan(self, goal: str, steps: list[dict[str, Any]], revised: bool) -> None:
        self.tasks = cl.TaskList(status="Running")
        self.task_items = []
        for step in steps:
            task = cl.Task(title=f"{step['agent']}: {step.get('instruction', '')[:80]}")
            self.task_items.append(task)
            await self.tasks.add_task(task)
        await self.tasks.send()
        cl.user_session.set("plan_tasks", (self.tasks, self.task_items))
        await cl.Message(content=f"**{'Revised plan' if revised else 'Plan'}:** {goal}", author="planner").send()

    async def task_status(self, index: int, status: str) -> None:
        if self.tasks is None or index >= len(self.task_items):
            return
        self.task_items[index].status = TASK_STATUS.get(status, cl.TaskStatus.DONE)
        self.tasks.status = "Running" if any(t.status == cl.TaskStatus.RUNNING for t in self.task_items) else "Done"
        await self.tasks.send()

    async def open_step(self, index: int, agent: str, instruction: str) -> None:
        step = cl.Step(name=agent, type="tool", default_open=False)
        step.input = instruction
        await step.send()
        self.steps[index] = step

    async def close_step(self, index: int, output: str, failed: bool) -> None:
        step = self.steps.pop(index, None)
        if step is None:
            return
        step.output = output or ("failed" if failed else "done")
        step.is_error = failed
        await step.update()

    async def progress(self, text: str) -> None:
        if self.status is None:
            await self.started(text)
            return
        self.status.content = text
        await self.status.update()

    async def message(self, agent: str, text: str) -> None:
        if self.stream is not None:  # the model's tokens were streamed: that message is the answer
            streamed, self.stream.author = self.stream.content, agent
            await self.stream.update()
            self.stream = None
            if streamed.strip() == text.strip():
                return
        await cl.Message(content=text, author=agent).send()

    async def token(self, text: str) -> None:
        if self.stream is None:
            self.stream = cl.Message(content="", author="assistant")
        await self.stream.stream_token(text)

    async def insights(self, data: dict[str, Any], figures: dict[str, str]) -> None:
        import plotly.io as pio

        elements = [cl.Plotly(name=name, figure=pio.from_json(fig), display="inline") for name, fig in figures.items()]
        await cl.Message(content=f"Talent insights: {data.get('size', 0):,} people in the pool.", author="insights",
                         elements=elements).send()

    async def ask(self, value: dict[str, Any]) -> None:
        kind = value.get("type")
        if kind == "approve_qualifications":
            props = {"qualifications": value["qualifications"], "questions": value.get("questions") or [],
                     "changes": value.get("changes") or []}
            editor = cl.CustomElement(name="QualificationEditor", props=props, display="inline")
            actions = [cl.Action(name="approve_qualifications", payload={"action": "approve"}, label="Approve as is"),
                       cl.Action(name="approve_qualifications", payload={"action": "cancel"}, label="Cancel")]
            blocked = [q for q in value["qualifications"] if q["policy"]["status"] == "blocked"]
            note = f" {len(blocked)} blocked by the policy check will not be used." if blocked else ""
            await cl.Message(content="Review the qualifications: edit, remove, add, then approve. Nothing is "
                             "sourced before you approve." + note, elements=[editor], actions=actions,
                             author="intake").send()
        elif kind == "calibrate":
            batch = cl.CustomElement(name="CalibrationBatch", props={"candidates": value["candidates"]},
                                     display="inline")
            skip = cl.Action(name="rate_calibration", payload={"ratings": {}}, label="Skip calibration")
            await cl.Message(content="Rate these candidates so the search learns what you want.", elements=[batch],
                             actions=[skip], author="sourcing").send()
        elif kind == "clarify":
            questions = "\n".join(f"- {q}" for q in value.get("questions") or [])
            await cl.Message(content=f"A few questions first:\n{questions}\n\nAnswer in the chat.",
                             author="intake").send()

    async def error(self, text: str) -> None:
        await cl.Message(content=f"⚠️ {text}", author="error",
                         actions=[cl.Action(name="retry", payload={}, label="Retry")]).send()


async def _drive(events: Any, surface: ChainlitSurface | None = None) -> TurnView:
    surface = surface or ChainlitSurface()
    if surface.status is None:
        await surface.started()
    view = TurnView(surface)
    agents_done: set[str] = set()
    async for event in events:
        await view.handle(event)
        if event.get("event") == "step" and event.get("status") == "done":
            agents_done.add(event["agent"])
    await view.finish()
    if surface.status is not None:
        if view.waiting or view.failed:
            surface.status.content = "Waiting for you." if view.waiting else "Stopped."
            await surface.status.update()
        else:
            await surface.status.remove()  # the run finished: its messages speak for themselves
    if "evaluation" in agents_done and not view.waiting:
        await show_shortlist()
    return view


async def show_shortlist(limit: int = 10, rows: list[Any] | None = None) -> None:
    """The chat's shortlist (or ``rows``, a background run's), with the button that runs the role in the
    background."""
    values = await _runtime().values(_thread())
    rows = values.get("shortlist") or [] if rows is None else rows
    if not rows:
        return
    project_id = values.get("project_id")
    await cl.Message(content=f"## Shortlist\nTop {min(limit, len(rows))} of {len(rows)}, must-haves first.",
                     actions=[start_action(project_id)] if project_id else [], author="evaluation").send()
    for row in rows[:limit]:
        actions = [cl.Action(name="candidate_action", label=label, icon=icon,
                             payload={"profile_id": row.profile_id, "action": action, "name": row.name})
                   for action, label, icon in CANDIDATE_ACTIONS]
        await cl.Message(content=verdict_markdown(row), actions=actions, author="evaluation").send()


# ---- callbacks -------------------------------------------------------------------------------------------
@cl.set_starters
async def starters(user: cl.User | None = None, language: str | None = None) -> list[cl.Starter]:
    return [
        cl.Starter(label="Senior backend engineer in Berlin",
                   message="Senior backend engineer in Berlin, Go and Kubernetes, 5+ years"),
        cl.Starter(label="Registered nurse in Austin", message="Registered nurse in Austin, 3 years ICU experience"),
        cl.Starter(label="Talent pool in Austin", message="Show me the talent pool for software developers in Austin"),
        cl.Starter(label="Projects dashboard", message="/dashboard"),
    ]


def _watch() -> RunWatcher:
    """This chat session's subscription to the recruiter's events (runs, notifications), started once."""
    found = watcher()
    if found is None:
        ctx = _context()
        found = RunWatcher(get_settings(), _runtime().services.engine, ctx.organisation_id, ctx.recruiter_id)
        cl.user_session.set("run_watcher", found)
        found.start()
    return found


@cl.on_chat_start
async def start() -> None:
    cl.user_session.set("context", None)
    await _watch().show_notifications(unread_only=True)


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    """A past chat reopened: the agent's thread has the same id. After the page has drawn the history (it
    replaces whatever is sent before), show what the agent waits for, the runs this chat started, and the
    unread notifications."""
    shown = "\n".join(str(step.get("output") or "") for step in thread.get("steps") or [])
    asyncio.create_task(_after_resume(_watch(), shown))


async def _after_resume(runs: RunWatcher, shown: str) -> None:
    await asyncio.sleep(1.0)  # the history is drawn by the "resume_thread" event sent after on_chat_resume
    rt, thread = _runtime(), _thread()
    pending = await rt.pending(thread)
    if pending:
        await ChainlitSurface().ask(pending["value"])
    await runs.show_thread_runs(thread, shown)
    project_id = (await rt.values(thread)).get("project_id")
    if project_id and not pending and not runs.progress:
        await runs.offer_run(int(project_id))
    await runs.show_notifications(unread_only=True)


@cl.on_chat_end
async def end() -> None:
    found = watcher()
    if found is not None:
        cl.user_session.set("run_watcher", None)
        await found.stop()


async def _commands(text: str) -> bool:
    """Chat commands and the request to run in the background, handled before the agent; True when handled."""
    command = text.strip().lower()
    if command in ("/dashboard", "dashboard", "projects dashboard"):
        await _watch().show_dashboard()
    elif command in ("/notifications", "notifications"):
        await _watch().show_notifications(unread_only=False)
    elif wants_background_run(text):
        await _start_run()
    else:
        return False
    return True


async def _start_run(project_id: int | None = None) -> None:
    runs, thread = _watch(), _thread()
    project_id = project_id or (await _runtime().values(thread)).get("project_id")
    if not project_id or not await runs.has_approved(int(project_id)):
        await cl.Message(content="A background run needs a project with approved qualifications: describe the "
                         "role in this chat and approve its qualifications first.", author="background run").send()
        return
    await runs.start_run(int(project_id), thread)


@cl.on_message
async def on_message(message: cl.Message) -> None:
    files = [(el.name, el.path) for el in message.elements or [] if isinstance(el, cl.File) and el.path]
    if files:
        project_id = (await _runtime().values(_thread())).get("project_id")
        await _watch().add_applicants(files, int(project_id) if project_id else None)
        if not message.content.strip():
            return
    if await _commands(message.content):
        return
    rt, ctx, thread = _runtime(), _context(), _thread()
    surface = ChainlitSurface()
    await surface.started()
    pending = await rt.pending(thread)
    if pending:
        kind = pending["value"].get("type")
        text = message.content.strip()
        if kind == "clarify":
            await _drive(rt.resume(thread, text, ctx), surface)
            return
        if kind == "approve_qualifications" and text.lower() in ("approve", "yes", "ok", "approved"):
            await _drive(rt.resume(thread, {"action": "approve"}, ctx), surface)
            return
        if kind == "calibrate" and text.lower() in ("skip", "no"):
            await _drive(rt.resume(thread, {"ratings": {}}, ctx), surface)
            return
        assert surface.status is not None  # set by started()
        surface.status.content = "The assistant is waiting for your answer above (approve, edit or cancel)."
        await surface.status.update()
        return
    await _drive(rt.send(thread, message.content, ctx), surface)


@cl.action_callback("approve_qualifications")
async def approve(action: cl.Action) -> None:
    await _resume_with(action.payload)


@cl.action_callback("rate_calibration")
async def rate(action: cl.Action) -> None:
    await _resume_with({"ratings": action.payload.get("ratings") or {}})


async def _resume_with(value: dict[str, Any]) -> None:
    rt, thread = _runtime(), _thread()
    if await rt.pending(thread) is None:
        await cl.Message(content="That was already answered.", author="assistant").send()
        return
    await _drive(rt.resume(thread, value, _context()))


@cl.action_callback("start_background_run")
async def start_background_run(action: cl.Action) -> None:
    await _start_run(int(action.payload.get("project_id") or 0) or None)


@cl.action_callback("cancel_background_run")
async def cancel_background_run(action: cl.Action) -> None:
    await _watch().control(int(action.payload["run_id"]), "cancel")


@cl.action_callback("resume_background_run")
async def resume_background_run(action: cl.Action) -> None:
    await _watch().control(int(action.payload["run_id"]), "resume")


@cl.action_callback("show_shortlist")
async def shortlist_of_run(action: cl.Action) -> None:
    ctx = _context()
    rows = await stored_shortlist(_runtime().services.engine, ctx.organisation_id, int(action.payload["project_id"]))
    if not rows:
        await cl.Message(content="The run ranked nobody yet.", author="evaluation").send()
        return
    await show_shortlist(rows=rows)


@cl.action_callback("mark_notifications_read")
async def mark_notifications_read(action: cl.Action) -> None:
    await _watch().mark_all_read()


@cl.action_callback("show_dashboard")
async def dashboard(action: cl.Action) -> None:
    await _watch().show_dashboard()


@cl.action_callback("retry")
async def retry(action: cl.Action) -> None:
    await _drive(_runtime().retry(_thread(), _context()))


@cl.action_callback("candidate_action")
async def candidate_action(action: cl.Action) -> None:
    from tools.records.store import ProjectStore

    rt, ctx = _runtime(), _context()
    values = await rt.values(_thread())
    project_id = values.get("project_id")
    assert project_id is not None, "candidate actions come from a shortlist, which only a project has"
    profile_id = int(action.payload["profile_id"])
    kind = action.payload["action"]
    await asyncio.to_thread(ProjectStore(rt.services.engine, ctx.organisation_id).record_action, ctx.recruiter_id,
                            project_id, profile_id, kind, {"via": "ui"})
    name = action.payload.get("name") or f"#{profile_id}"
    if kind != "open":
        await cl.Message(content=f"Recorded: {kind} {name}.", author="assistant").send()
        return
    await _open_profile(profile_id, name, values)


async def _open_profile(profile_id: int, name: str, values: dict[str, Any]) -> None:
    from sqlalchemy import select

    from tools.records.models import Profile
    from tools.records.session import org_scope

    ctx = _context()

    def load() -> tuple[str, list | None] | None:
        with org_scope(_runtime().services.engine, ctx.organisation_id) as session:
            row = session.execute(select(Profile.raw_text, Profile.withheld).where(Profile.id == profile_id)).first()
            return (row[0], row[1]) if row is not None else None

    found = await asyncio.to_thread(load)
    if found is None:
        await cl.Message(content=f"Profile #{profile_id} is not visible to your organisation.").send()
        return
    text, withheld = found
    row = next((r for r in values.get("shortlist") or [] if r.profile_id == profile_id), None)
    spans = [(e.start, e.end) for v in (row.verdicts if row else []) for e in v.evidence if e.source == "profile"]
    elements = [cl.Text(name=f"Profile of {name}", content=highlight(text, spans), display="inline")]
    kept_out = [w for w in withheld or [] if isinstance(w, dict) and w.get("text")]
    if kept_out:  # hidden or injected passages: shown as plain text, never parsed or matched
        listed = "\n".join(f"- {w.get('label')}: {w.get('text')}" for w in kept_out)
        elements.append(cl.Text(name="Withheld on import (not read, not matched)", content=listed,
                                display="inline", language="text"))
    await cl.Message(content=f"**{name}** (#{profile_id}) — evidence in bold.", elements=elements).send()


if os.environ.get("HIRE_UI_DEBUG"):
    cl.logger.setLevel("DEBUG")
