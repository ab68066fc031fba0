"""``hire run``, ``hire worker`` and ``hire notifications``: background runs, the processes that do the work,
and what needs the recruiter's attention."""

from __future__ import annotations

import signal
import threading
import time
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, select

from app.cli_base import console, err, open_database, organisation_id
from app.settings import Settings, get_settings

run_app = typer.Typer(help="Background runs: source and evaluate a whole project while you do something else.",
                      no_args_is_help=True)

OrgOption = Annotated[str, typer.Option(help="Organisation (slug).")]
WaitOption = Annotated[bool, typer.Option("--wait/--no-wait", help="Do the work in this process and show its "
                                          "progress until the run ends (no worker needed).")]


def _project_owner(engine: Engine, org_id: int, project_id: int) -> int:
    from tools.records.store import ProjectStore

    project = ProjectStore(engine, org_id).get_project(project_id)
    if project is None:
        err.print(f"[red]There is no project {project_id} in this organisation; `hire run status` lists runs and "
                  "the workspace's dashboard lists projects.[/red]")
        raise typer.Exit(2)
    return int(project["recruiter_id"])


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


def _row(run: dict[str, Any]) -> list[str]:
    share = f" ({run['done'] / run['total']:.0%})" if run["total"] else ""
    return [str(run["id"]), str(run["project_id"]), run["kind"], run["status"],
            f"{run['done']:,} of {run['total']:,}{share}", f"{run['matched']:,}", _when(run["started_at"]),
            _when(run["finished_at"])]


def _follow(settings: Settings, org_id: int, run_id: int) -> dict[str, Any]:
    """Work on the run in this process, with a progress bar, until it is finished, failed or cancelled."""
    from app.runtime.api import get_run
    from app.runtime.process import launch_runtime, shutdown_runtime

    launch_runtime(settings, executor_id=f"{settings.worker_id or 'cli'}-{run_id}")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("Sourcing", total=None)
            while True:
                run = get_run(settings, org_id, run_id)
                label = "Sourcing" if run["status"] in ("queued", "sourcing") else "Evaluated"
                bar.update(task, description=f"{label} · {run['matched']:,} meet every must-have",
                           completed=run["done"], total=run["total"] or None)
                if not run["active"]:
                    return run
                time.sleep(0.5)
    finally:
        shutdown_runtime()


def _report(run: dict[str, Any]) -> None:
    table = Table("run", "project", "kind", "status", "evaluated", "meet every must", "started", "finished",
                  title="Background run")
    table.add_row(*_row(run))
    console.print(table)
    for q in run["details"].get("queries", []):
        line = f"  • {q['label']}: {q.get('found', 0):,} found, {q.get('new', 0):,} new"
        console.print(line + (f" (error: {q['error']})" if q.get("error") else ""))
    if run["error"]:
        err.print(f"[red]{run['error']}[/red]")


@run_app.command("start")
def run_start(
    project: Annotated[int, typer.Argument(help="The project (its qualifications must be approved).")],
    depth: Annotated[int | None, typer.Option(min=1, help="Judge at most this many candidates (default: every "
                                              "match in the talent store).")] = None,
    org: OrgOption = "demo",
    wait: WaitOption = False,
) -> None:
    """Start a background run: every query of the project to the depth set, every candidate judged."""
    from app.runtime.api import start_run
    from graphs.background import NothingApproved

    settings = get_settings()
    engine = open_database(settings)
    org_id = organisation_id(engine, org)
    try:
        run = start_run(settings, org_id, _project_owner(engine, org_id, project), project, depth=depth)
    except NothingApproved as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Background run {run['id']} of project {project} is queued.")
    if not wait:
        console.print("The web app's workers or `hire worker` do the work; follow it with "
                      f"`hire run status {run['id']}` or in the workspace.")
        return
    _report(_follow(settings, org_id, run["id"]))


@run_app.command("status")
def run_status(
    run: Annotated[int | None, typer.Argument(help="One run in detail; without it, the latest runs.")] = None,
    project: Annotated[int | None, typer.Option(help="Only this project's runs.")] = None,
    org: OrgOption = "demo",
) -> None:
    """Where background runs stand: evaluated so far, matches, when they started and finished."""
    from app.runtime.api import get_run
    from tools.records.runs import RunStore
    from tools.records.store import NotFound

    settings = get_settings()
    engine = open_database(settings)
    org_id = organisation_id(engine, org)
    if run is not None:
        try:
            _report(get_run(settings, org_id, run))
        except NotFound as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        return
    runs = RunStore(engine, org_id).list_runs(project_id=project)
    table = Table("run", "project", "kind", "status", "evaluated", "meet every must", "started", "finished",
                  title="Background runs")
    for r in runs:
        table.add_row(*_row(r))
    console.print(table if runs else "No background runs yet: `hire run start PROJECT`.")


@run_app.command("cancel")
def run_cancel(run: Annotated[int, typer.Argument(help="The run to stop.")], org: OrgOption = "demo") -> None:
    """Stop a run; what it judged stays judged, and `hire run resume` continues it."""
    from app.runtime.api import cancel_run
    from tools.records.store import NotFound

    settings = get_settings()
    engine = open_database(settings)
    try:
        result = cancel_run(settings, organisation_id(engine, org), run)
    except NotFound as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Run {run} is {result['status']} ({result['done']:,} of {result['total']:,} evaluated).")


@run_app.command("resume")
def run_resume(run: Annotated[int, typer.Argument(help="The run to continue.")], org: OrgOption = "demo",
               wait: WaitOption = False) -> None:
    """Continue a cancelled or failed run where it stopped; finished batches are not judged again."""
    from app.runtime.api import resume_run
    from tools.records.store import NotFound

    settings = get_settings()
    engine = open_database(settings)
    org_id = organisation_id(engine, org)
    try:
        result = resume_run(settings, org_id, run)
    except NotFound as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Run {run} is {result['status']} ({result['done']:,} of {result['total']:,} evaluated).")
    if wait and result["active"]:
        _report(_follow(settings, org_id, run))


def worker(
    concurrency: Annotated[int | None, typer.Option(min=1, max=64, help="Batches judged at once by this process "
                                                    "(default WORKER_CONCURRENCY).")] = None,
    name: Annotated[str | None, typer.Option("--id", help="This worker's name: a worker restarted with the same "
                                             "name resumes the work it held (default WORKER_ID or the host name).")]
    = None,
) -> None:
    """Run background work (runs, batches, mailboxes, the daily refresh) until stopped with Ctrl-C."""
    from app.runtime.engine import runtime_url, worker_name
    from app.runtime.process import launch_runtime, shutdown_runtime

    settings = get_settings()
    open_database(settings)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    executor = name or worker_name(settings)
    launch_runtime(settings, executor_id=executor, concurrency=concurrency)
    url = runtime_url(settings)
    console.print(f"Worker {executor} is running ({concurrency or settings.worker_concurrency} batch(es) at once; "
                  f"runtime database {url.split('@')[-1]}). Ctrl-C stops it; work in progress resumes on restart.",
                  highlight=False)
    stop.wait()
    shutdown_runtime()
    console.print(f"Worker {executor} stopped.")


def notifications(
    recruiter: Annotated[str, typer.Option(help="The recruiter's email.")] = "demo@hiring.local",
    all_: Annotated[bool, typer.Option("--all", help="Read ones too, not only what needs attention.")] = False,
    mark_read: Annotated[bool, typer.Option("--mark-read", help="Mark the listed ones read.")] = False,
) -> None:
    """What needs the recruiter's attention: finished runs, new matches and applicants, parked messages."""
    from tools.records.models import Recruiter
    from tools.records.runs import RunStore

    engine = open_database(get_settings())
    with engine.connect() as conn:
        found = conn.execute(select(Recruiter.id, Recruiter.organisation_id).where(
            Recruiter.email == recruiter.strip().lower())).first()
    if found is None:
        err.print(f"[red]No recruiter {recruiter!r}; `hire user list` shows them.[/red]")
        raise typer.Exit(2)
    store = RunStore(engine, found.organisation_id)
    notes = store.notifications(found.id, unread_only=not all_)
    table = Table("", "when", "what", "details", title="Needs your attention" if not all_ else "Notifications")
    for n in notes:
        table.add_row("" if n["read"] else "●", _when(n["created_at"]), n["title"], n["body"])
    console.print(table if notes else "Nothing needs your attention.")
    if mark_read and notes:
        store.mark_read(found.id, [n["id"] for n in notes])


def applicants_arrived(settings: Settings, engine: Engine, org_id: int, project_id: int,
                       profile_ids: list[int]) -> None:
    """Each imported applicant of a project becomes a mailbox message: evaluated in the background."""
    from app.runtime.api import applicant_arrived
    from graphs.background import NothingApproved, approved
    from tools.records.store import ProjectStore

    owner = _project_owner(engine, org_id, project_id)
    try:
        approved(ProjectStore(engine, org_id), project_id)
    except NothingApproved as exc:
        err.print(f"[red]The applicants were imported but not evaluated: {exc}[/red]")
        raise typer.Exit(2) from exc
    for pid in profile_ids:
        applicant_arrived(settings, org_id, owner, project_id, pid)
    console.print(f"{len(profile_ids)} applicant(s) of project {project_id} are queued for evaluation; "
                  "`hire notifications` shows the results.")


def agent(
    recruiter: Annotated[str, typer.Option(help="The recruiter's email.")] = "demo@hiring.local",
    name: Annotated[str | None, typer.Option(help="The agent's name as the recruiter sees it.")] = None,
    active: Annotated[bool | None, typer.Option("--active/--paused", help="A paused agent's projects get no "
                                                "daily refresh.")] = None,
    time_zone: Annotated[str | None, typer.Option(help="IANA time zone, e.g. Europe/Berlin.")] = None,
    hours: Annotated[str | None, typer.Option(help="Working hours, e.g. 09:00-17:30.")] = None,
    days: Annotated[str | None, typer.Option(help="Working days as ISO weekday digits, e.g. 12345.")] = None,
) -> None:
    """The recruiter's agent instance: its name, autonomy, working hours and time zone, whether it is active."""
    import re
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from tools.records.models import Recruiter
    from tools.records.runs import RunStore

    engine = open_database(get_settings())
    with engine.connect() as conn:
        found = conn.execute(select(Recruiter.id, Recruiter.organisation_id).where(
            Recruiter.email == recruiter.strip().lower())).first()
    if found is None:
        err.print(f"[red]No recruiter {recruiter!r}; `hire user list` shows them.[/red]")
        raise typer.Exit(2)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()[:100] or "Hiring Assistant"
    if active is not None:
        changes["active"] = active
    if time_zone is not None:
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            err.print(f"[red]Unknown time zone {time_zone!r}: write it as Europe/Berlin or America/New_York.[/red]")
            raise typer.Exit(2) from exc
        changes["time_zone"] = time_zone
    if hours is not None:
        match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)", hours.strip())
        if match is None or hours.strip()[:5] >= hours.strip()[6:]:
            err.print(f"[red]Working hours are written 09:00-17:30 (start before end), not {hours!r}.[/red]")
            raise typer.Exit(2)
        changes["work_start"], changes["work_end"] = hours.strip()[:5], hours.strip()[6:]
    if days is not None:
        if not days or not set(days) <= set("1234567"):
            err.print(f"[red]Working days are ISO weekday digits (Monday = 1), e.g. 12345, not {days!r}.[/red]")
            raise typer.Exit(2)
        changes["work_days"] = "".join(sorted(set(days)))
    store = RunStore(engine, found.organisation_id)
    instance = store.update_agent(found.id, **changes) if changes else store.agent(found.id)
    table = Table("setting", "value", title=f"Agent of {recruiter}")
    for key in ("name", "autonomy", "time_zone", "work_start", "work_end", "work_days", "active"):
        table.add_row(key, str(instance[key]))
    console.print(table)
