"""The browser workspace's side of the background runtime (Chainlit): starting a run, its live progress, the
notifications that need the recruiter's attention and the projects dashboard.

Each chat session has one :class:`RunWatcher`: a task subscribed to the recruiter's channel of the event bus
(:func:`app.runtime.events.event_bus`) that keeps one message per run up to date in place, posts the result
when a run ends, shows new notifications as they arrive and refreshes the dashboard shown in the chat. Every
chat session of the recruiter, in any browser, has its own watcher, so all of them see the same runs. The
words come from :mod:`app.run_views`; the callbacks that call this module live in :mod:`app.ui`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import chainlit as cl

from app.run_views import (
    ENDED_STATUSES,
    RUN_EVENTS,
    dashboard_markdown,
    finished_marker,
    finished_text,
    notification_line,
    notifications_markdown,
    progress_text,
    run_id,
    run_status,
)
from app.runtime.events import EventBusUnavailable, event_bus
from app.settings import Settings
from graphs.state import ShortlistRow, ShortlistVerdict
from tools.records.runs import RunStore
from tools.records.store import ProjectStore

log = logging.getLogger(__name__)
RETRY_S = 5.0  # wait before subscribing again when the bus is down
DASHBOARD_DEBOUNCE_S = 0.3


def start_action(project_id: int) -> cl.Action:
    return cl.Action(name="start_background_run", payload={"project_id": project_id}, label="Run in the background",
                     icon="moon", tooltip="Source and evaluate every match of the approved qualifications, "
                     "in the background; progress shows here")


def shortlist_action(run: dict[str, Any]) -> cl.Action:
    return cl.Action(name="show_shortlist", payload={"project_id": run["project_id"], "run_id": run_id(run)},
                     label="Show shortlist", icon="star")


def control_action(run: dict[str, Any], verb: str) -> cl.Action:
    """"cancel" a run in progress, or "resume" one that was cancelled or failed."""
    return cl.Action(name=f"{verb}_background_run", payload={"run_id": run_id(run)}, label=verb.capitalize(),
                     icon="square" if verb == "cancel" else "play")


def mark_read_action() -> cl.Action:
    return cl.Action(name="mark_notifications_read", payload={}, label="Mark all read", icon="check")


def dashboard_action() -> cl.Action:
    return cl.Action(name="show_dashboard", payload={}, label="Projects dashboard", icon="layout-dashboard")


class RunWatcher:
    """One chat session's subscription to its recruiter's events; :meth:`start` it, :meth:`stop` it on chat end."""

    def __init__(self, settings: Settings, engine: Any, organisation_id: int, recruiter_id: int) -> None:
        self.settings = settings
        self.runs = RunStore(engine, organisation_id)
        self.projects = ProjectStore(engine, organisation_id)
        self.recruiter_id = recruiter_id
        self.progress: dict[int, cl.Message] = {}  # run id -> its live message in this chat
        self.ended: set[int] = set()  # runs whose result this chat has shown
        self.notified: set[int] = set()  # notifications this chat has shown
        self.dashboard: cl.Message | None = None
        self.subscribed = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._refresh: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Subscribe in a task of this chat session (it inherits the session's Chainlit context)."""
        if self._task is None:
            self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        for task in (self._task, self._refresh):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._task = self._refresh = None

    async def _listen(self) -> None:
        bus = event_bus(self.settings)
        while True:
            try:
                async with bus.subscribe(self.recruiter_id) as events:
                    self.subscribed.set()
                    async for event in events:
                        try:
                            await self.handle(event)
                        except Exception:  # one event the page could not show must not end the subscription
                            log.exception("could not show event %s", event.get("event"))
            except EventBusUnavailable as exc:
                self.subscribed.clear()
                log.warning("live updates paused: %s", exc)
                await asyncio.sleep(RETRY_S)

    async def handle(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind in RUN_EVENTS:
            await self.show_run(event)
            self._refresh_dashboard()
        elif kind == "notification" and isinstance(event.get("notification"), dict):
            await self.notify(event["notification"])
        elif kind == "shortlist.new":
            self._refresh_dashboard()

    # ---- runs -----------------------------------------------------------------------------------------
    async def show_run(self, run: dict[str, Any]) -> None:
        """Create or update the run's progress message; post its result once when it has ended."""
        rid = run_id(run)
        async with self._lock:
            message = self.progress.get(rid)
            text = progress_text(run)
            if message is None:
                message = self.progress[rid] = cl.Message(content=text, author="background run",
                                                          actions=[control_action(run, "cancel")])
                await message.send()
            elif message.content != text:
                message.content = text
                await message.update()
            if run_status(run) not in ENDED_STATUSES or rid in self.ended:
                return
            self.ended.add(rid)
        row = await asyncio.to_thread(self.runs.get_run, rid)  # the stored counts, with the details
        await self.show_result(row or run)

    async def show_result(self, run: dict[str, Any]) -> None:
        self.ended.add(run_id(run))
        project = await asyncio.to_thread(self.projects.get_project, int(run["project_id"]))
        actions = [shortlist_action(run)] if run_status(run) == "finished" else [control_action(run, "resume")]
        actions.append(dashboard_action())
        await cl.Message(content=finished_text(run, project["title"] if project else None), actions=actions,
                         author="background run").send()

    async def start_run(self, project_id: int, thread_id: str) -> dict[str, Any] | None:
        """Start a background run of the project from this chat; its progress message follows."""
        from app.runtime.api import start_run

        with contextlib.suppress(TimeoutError):  # subscribed first, so that no event of the new run is missed
            await asyncio.wait_for(self.subscribed.wait(), timeout=RETRY_S)
        try:
            run = await asyncio.to_thread(start_run, self.settings, self.runs.organisation_id, self.recruiter_id,
                                          project_id, thread_id=thread_id)
        except (LookupError, ValueError) as exc:
            await cl.Message(content=f"⚠️ The background run could not start: {exc}", author="background run").send()
            return None
        await self.show_run(run)
        return run

    async def add_applicants(self, files: list[tuple[str, str]], project_id: int | None) -> None:
        """Resumes attached in the chat, ``(name, path)``: imported as the organisation's applicants and, when the
        chat's project has approved qualifications, each evaluated against it in the background."""
        from pathlib import Path

        from app.importer import import_file
        from app.runtime.api import applicant_arrived

        added: list[int] = []
        lines: list[str] = []
        for name, path in files:
            report = await asyncio.to_thread(import_file, self.runs.engine, Path(path), self.runs.organisation_id,
                                             int(self.settings.max_upload_mb * 1024 * 1024))
            added += report.profile_ids
            reasons = [reason for _source, reason in report.skipped] + ([report.error] if report.error else [])
            state = (f"imported {report.imported}" + (f", {report.duplicates} already here" if report.duplicates
                                                       else "")) if report.ok and report.imported + report.duplicates \
                else "not imported: " + ("; ".join(reasons) or "no resume found in it")
            lines.append(f"• {name}: {state}" + "".join(f"\n  ⚠️ {w}" for _s, w in report.warnings))
        text = "\n".join(lines)
        if added and project_id and await self.has_approved(project_id):
            for pid in added:
                await asyncio.to_thread(applicant_arrived, self.settings, self.runs.organisation_id,
                                        self.recruiter_id, project_id, pid)
            text += (f"\n\n{len(added)} applicant(s) are being evaluated against this chat's role in the "
                     "background; a notification follows for each.")
        elif added:
            text += ("\n\nThey are your organisation's applicants now. Approve a role's qualifications in this chat "
                     "to have applicants evaluated against it as they arrive.")
        await cl.Message(content=text, author="applicants").send()

    async def control(self, rid: int, verb: str) -> None:
        """Cancel or resume a run from the workspace; what it judged stays judged."""
        from app.runtime.api import cancel_run, resume_run

        act = cancel_run if verb == "cancel" else resume_run
        try:
            run = await asyncio.to_thread(act, self.settings, self.runs.organisation_id, rid)
        except LookupError as exc:
            await cl.Message(content=f"⚠️ {exc}", author="background run").send()
            return
        if verb == "resume":
            self.ended.discard(rid)
        await cl.Message(content=f"Background run {rid} is {run['status']}: {run['done']:,} of {run['total']:,} "
                         "evaluated so far.", author="background run").send()

    # ---- notifications ----------------------------------------------------------------------------------
    async def notify(self, note: dict[str, Any]) -> None:
        """A new notification while the chat is open: a toast and a message."""
        if note.get("id") in self.notified:
            return
        self.notified.add(int(note["id"]))
        with contextlib.suppress(Exception):  # a toast is a nicety; the message is what stays
            await cl.context.emitter.send_toast(str(note.get("title") or "Needs your attention"), "info")
        await cl.Message(content=f"Needs your attention: {notification_line(note)}", actions=[mark_read_action()],
                         author="notifications").send()

    async def show_notifications(self, *, unread_only: bool) -> int:
        """List the recruiter's notifications (only the unread ones: nothing is shown when there are none)."""
        notes = await asyncio.to_thread(self.runs.notifications, self.recruiter_id, unread_only=unread_only)
        if unread_only and not notes:
            return 0
        self.notified.update(int(n["id"]) for n in notes)
        unread = any(not n.get("read") for n in notes)
        await cl.Message(content=notifications_markdown(notes, unread_only=unread_only),
                         actions=[mark_read_action()] if unread else [], author="notifications").send()
        return len(notes)

    async def mark_all_read(self) -> None:
        count = await asyncio.to_thread(self.runs.mark_read, self.recruiter_id)
        await cl.Message(content=f"Marked {count} notification{'s' if count != 1 else ''} read.",
                         author="notifications").send()

    # ---- the dashboard ----------------------------------------------------------------------------------
    async def show_dashboard(self) -> None:
        rows = await asyncio.to_thread(self.runs.dashboard, self.recruiter_id)
        self.dashboard = cl.Message(content=dashboard_markdown(rows), author="dashboard")
        await self.dashboard.send()

    def _refresh_dashboard(self) -> None:
        if self.dashboard is not None and (self._refresh is None or self._refresh.done()):
            self._refresh = asyncio.create_task(self._update_dashboard())

    async def _update_dashboard(self) -> None:
        await asyncio.sleep(DASHBOARD_DEBOUNCE_S)  # one refresh for a burst of events
        if self.dashboard is None:
            return
        rows = await asyncio.to_thread(self.runs.dashboard, self.recruiter_id)
        text = dashboard_markdown(rows)
        if text != self.dashboard.content:
            self.dashboard.content = text
            await self.dashboard.update()

    # ---- a reopened chat ------------------------------------------------------------------------------
    async def show_thread_runs(self, thread_id: str, shown: str) -> None:
        """The runs this chat started: the live message of an active one, the result of an ended one unless
        the chat's history (``shown``, its messages' text) has it already."""
        runs = await asyncio.to_thread(self.runs.list_runs, recruiter_id=self.recruiter_id, limit=100)
        for run in reversed([r for r in runs if r.get("thread_id") == thread_id]):
            if run["status"] not in ENDED_STATUSES:
                await self.show_run(run)
            elif finished_marker(run) not in shown:
                await self.show_result(run)
            else:
                self.ended.add(run["id"])

    async def has_approved(self, project_id: int) -> bool:
        version, _quals = await asyncio.to_thread(self.projects.current_qualifications, project_id)
        return version > 0

    async def offer_run(self, project_id: int) -> None:
        """On a reopened chat whose project has approved qualifications and no active run: the start button."""
        if not await self.has_approved(project_id):
            return
        active = await asyncio.to_thread(self.runs.list_runs, project_id=project_id, active_only=True)
        if not active:
            await cl.Message(content="This project's qualifications are approved: you can source and evaluate "
                             "every match in the background.", actions=[start_action(project_id)],
                             author="background run").send()


async def stored_shortlist(engine: Any, organisation_id: int, project_id: int, limit: int = 10) -> list[ShortlistRow]:
    """The project's ranked shortlist as stored (a background run's result), as the chat shows it."""
    rows = await asyncio.to_thread(ProjectStore(engine, organisation_id).shortlist, project_id, limit)
    return [ShortlistRow(profile_id=r["profile_id"], rank=r["rank"], name=r["name"], title=r["title"],
                         location=r["location"], musts_met=r["musts_met"], musts_total=r["musts_total"],
                         score=float(r["score"] or 0.0), recommendation=r["recommendation"] or "",
                         query=r["source_query"], verdicts=[ShortlistVerdict.model_validate(v) for v in r["verdicts"]])
            for r in rows]


def watcher() -> RunWatcher | None:
    found = cl.user_session.get("run_watcher")
    return found if isinstance(found, RunWatcher) else None
