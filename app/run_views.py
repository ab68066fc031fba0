"""Background runs, notifications and the projects dashboard as the recruiter reads them: plain text and
Markdown made from the runtime's events and records, kept apart from Chainlit (:mod:`app.ui_runs` shows them).

A run is either an event of the bus (``{"event": "run.progress", "run_id", "done", "total", "matched", ...}``)
or a row of :class:`~tools.records.runs.RunStore` (``{"id", "status", "done", "total", "matched", ...}``); both
read the same here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

RUN_EVENTS = frozenset({"run.started", "run.progress", "run.finished", "run.failed", "run.cancelled"})
ENDED = {"run.finished": "finished", "run.failed": "failed", "run.cancelled": "cancelled"}
ENDED_STATUSES = frozenset(ENDED.values())
STAGE_ORDER = ("sourced", "evaluated", "shortlisted", "contacted", "interviewing", "offered", "hired", "rejected")


def run_id(run: dict[str, Any]) -> int:
    return int(run["run_id"] if "run_id" in run else run["id"])


def run_status(run: dict[str, Any]) -> str:
    """queued, sourcing, evaluating, finished, failed or cancelled, for an event or a row."""
    kind = run.get("event")
    if kind in ENDED:
        return ENDED[kind]
    if kind is not None and "status" not in run:
        return "evaluating" if run.get("total") else "sourcing"
    return str(run.get("status") or "queued")


def _n(value: Any) -> str:
    return f"{int(value or 0):,}"


def counts_text(run: dict[str, Any]) -> str:
    """``evaluated 1,200 of 8,000 · 312 meet every must-have``."""
    done, total = int(run.get("done") or 0), int(run.get("total") or 0)
    of = f" of {_n(total)}" if total else ""
    return f"evaluated {_n(done)}{of} · {_n(run.get('matched'))} meet every must-have"


def progress_text(run: dict[str, Any]) -> str:
    """The line of the run's live progress message."""
    status = run_status(run)
    head = f"Background run #{run_id(run)}"
    if status == "queued":
        return f"{head}: queued, starting soon…"
    if status == "sourcing" and not run.get("total"):
        return f"{head}: sourcing every match of the approved qualifications…"
    if status == "failed":
        return f"{head} stopped: {run.get('error') or run.get('text') or 'it failed'} ({counts_text(run)})"
    if status == "cancelled":
        return f"{head} was cancelled: {counts_text(run)}"
    if status == "finished":
        return f"{head} finished: {counts_text(run)}"
    return f"{head}: {counts_text(run)}"


def finished_marker(run: dict[str, Any]) -> str:
    """The words that open a run's result message: a reopened chat looks for them before showing it again."""
    return f"Background run #{run_id(run)} {run_status(run)}"


def finished_text(run: dict[str, Any], title: str | None = None) -> str:
    """The message when a run ends, with its counts."""
    status = run_status(run)
    project = f" for **{title}**" if title else ""
    lines = [f"**{finished_marker(run)}**{project}."]
    if status == "finished":
        lines.append(f"It {counts_text(run)}.")
        details = run.get("details") or {}
        if details.get("sourced"):
            lines.append(f"Sourced {_n(details['sourced'])} candidates.")
    elif status == "failed":
        lines.append(f"It stopped: {run.get('error') or run.get('text') or 'an error'}. So far it {counts_text(run)}.")
    else:
        lines.append(f"Before it was cancelled it {counts_text(run)}.")
    return "  \n".join(lines)


def _when(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d %b %H:%M")
    return ""


def notification_line(note: dict[str, Any]) -> str:
    body = f" — {note['body']}" if note.get("body") else ""
    when = _when(note.get("created_at"))
    return f"**{note.get('title', '')}**{body}" + (f" _({when})_" if when else "")


def notifications_markdown(notes: list[dict[str, Any]], *, unread_only: bool) -> str:
    """The notifications list: unread ones marked, newest first."""
    if not notes:
        return "No notifications." if not unread_only else "Nothing needs your attention."
    unread = sum(1 for n in notes if not n.get("read"))
    head = (f"**Needs your attention** ({unread} unread)" if unread_only
            else f"**Notifications** ({unread} unread of {len(notes)})")
    lines = [head]
    for note in notes:
        mark = "_new_ · " if not note.get("read") else ""
        lines.append(f"- {mark}{notification_line(note)}")
    return "\n".join(lines)


def stages_text(stages: dict[str, int]) -> str:
    if not stages:
        return "empty"
    ordered = sorted(stages, key=lambda s: (STAGE_ORDER.index(s) if s in STAGE_ORDER else len(STAGE_ORDER), s))
    return " · ".join(f"{stage} {_n(stages[stage])}" for stage in ordered)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dashboard_markdown(projects: list[dict[str, Any]]) -> str:
    """The projects dashboard (:meth:`RunStore.dashboard`) as a Markdown table."""
    if not projects:
        return "## Projects dashboard\nNo projects yet: describe a role in the chat to start one."
    lines = ["## Projects dashboard", "",
             "| Project | Pipeline | Background run | Last run | Awaiting approval |",
             "|---|---|---|---|---|"]
    for p in projects:
        active = p.get("active_run")
        last = p.get("last_run")
        now = f"{run_status(active)}: {counts_text(active)}" if active else "—"
        before = (f"#{last['id']} {run_status(last)} {_when(last.get('finished_at'))}: {counts_text(last)}"
                  if last else "never")
        waiting = p.get("awaiting_approval") or 0
        approval = f"{waiting} qualification{'s' if waiting != 1 else ''}" if waiting else "—"
        title = f"{p.get('title') or 'Untitled'} (#{p['id']}, {p.get('status', 'open')})"
        lines.append(f"| {_cell(title)} | {_cell(stages_text(p.get('stages') or {}))} | {_cell(now)} | "
                     f"{_cell(before)} | {approval} |")
    return "\n".join(lines)
