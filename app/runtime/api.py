"""What the front ends ask of the runtime: start, cancel and resume background runs; post to a mailbox.

Every call records its intent in the system of record first (the run row, the mailbox message), then enqueues
the durable workflow under an id derived from that row, through a DBOS client: any process may call these,
whether or not it runs workers itself, and calling twice enqueues once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from dbos import EnqueueOptions

from app.runtime import engine
from app.runtime.notify import publish
from app.settings import Settings
from graphs import background
from tools.records.models import MailboxStatus, RunStatus
from tools.records.runs import RunStore
from tools.records.store import NotFound, ProjectStore

RUN_WORKFLOW = "hire.run"
MAIL_WORKFLOW = "hire.mail"


def _store(settings: Settings, organisation_id: int) -> RunStore:
    from app.services import engine_for

    return RunStore(engine_for(settings.db_url), organisation_id)


def _enqueue(settings: Settings, workflow: str, queue: str, workflow_id: str, *args: Any,
             partition: str | None = None) -> None:
    options: EnqueueOptions = {"workflow_name": workflow, "queue_name": queue, "workflow_id": workflow_id,
                               "app_version": engine.app_version()}
    if partition is not None:
        options["queue_partition_key"] = partition
    engine.client(settings).enqueue(options, *args)


def mail_workflow_id(message: dict[str, Any]) -> str:
    """Zero-padded, so messages posted in the same instant keep their order; stamped with the row's creation
    time, so a database restored or reset never meets the workflow of an older row with the same id."""
    return f"mail-{message['id']:012d}.{message['created_at']:%Y%m%d%H%M%S%f}"


def run_workflow_id(run: dict[str, Any]) -> str:
    """The durable workflow of a run: its key (unique per run, e.g. one refresh per project and day) and the
    row's creation time."""
    return f"{run['workflow_id']}.{run['created_at']:%Y%m%d%H%M%S%f}"


def post(settings: Settings, organisation_id: int, recruiter_id: int, kind: str, payload: dict[str, Any], *,
         dedupe_key: str | None = None) -> dict[str, Any]:
    """Put a typed message in the recruiter's mailbox; the recruiter's agent handles it in order."""
    if kind not in engine.MAIL_KINDS:
        raise ValueError(f"Unknown mailbox message kind “{kind}”; known: {', '.join(engine.MAIL_KINDS)}.")
    store = _store(settings, organisation_id)
    store.agent(recruiter_id)  # the recruiter's agent instance, created on its first message
    message, _created = store.post_message(recruiter_id, kind, payload, dedupe_key=dedupe_key)
    if message["status"] == MailboxStatus.PENDING.value:
        _enqueue(settings, MAIL_WORKFLOW, engine.MAILBOX_QUEUE, mail_workflow_id(message), organisation_id,
                 message["id"], partition=str(recruiter_id))
    return message


def start_run(settings: Settings, organisation_id: int, recruiter_id: int, project_id: int, *,
              depth: int | None = None, thread_id: str | None = None, kind: str = "full",
              since: dt.datetime | None = None, workflow_id: str | None = None) -> dict[str, Any]:
    """A background run of the project: checks that its qualifications are approved, records the run, enqueues it.
    Raises :class:`graphs.background.NothingApproved` (with what to do) when there is nothing to judge against."""
    from app.services import engine_for

    store = _store(settings, organisation_id)
    if workflow_id is not None and (existing := store.run_by_workflow(workflow_id)) is not None:
        _enqueue(settings, RUN_WORKFLOW, engine.RUNS_QUEUE, run_workflow_id(existing), organisation_id, existing["id"])
        return existing  # already recorded: enqueueing again attaches to its workflow
    _req, version, _quals = background.approved(ProjectStore(engine_for(settings.db_url), organisation_id),
                                                project_id)
    run, _created = store.create_run(recruiter_id, project_id, workflow_id=workflow_id or f"run-{uuid.uuid4().hex}",
                                     kind=kind, depth=depth or settings.run_depth or None, since=since,
                                     thread_id=thread_id, qualification_version=version)
    _enqueue(settings, RUN_WORKFLOW, engine.RUNS_QUEUE, run_workflow_id(run), organisation_id, run["id"])
    return run


def get_run(settings: Settings, organisation_id: int, run_id: int) -> dict[str, Any]:
    run = _store(settings, organisation_id).get_run(run_id)
    if run is None:
        raise NotFound(f"There is no background run {run_id} in this organisation.")
    return run


def current_workflow(run: dict[str, Any]) -> str:
    """The workflow now carrying the run: its own, or the fork that resumed it."""
    return str(run["details"].get("workflow") or run_workflow_id(run))


def cancel_run(settings: Settings, organisation_id: int, run_id: int) -> dict[str, Any]:
    """Stop a run: batches not yet started are cancelled; what was judged stays judged."""
    run = get_run(settings, organisation_id, run_id)
    if not run["active"]:
        return run
    run = _store(settings, organisation_id).update_run(run_id, status=RunStatus.CANCELLED.value)
    engine.client(settings).cancel_workflow(current_workflow(run), cancel_children=True)
    _announce(run, "run.cancelled")
    return run


def _announce(run: dict[str, Any], event: str) -> None:
    publish(run["recruiter_id"], {"event": event, "recruiter_id": run["recruiter_id"],
                                  "project_id": run["project_id"], "run_id": run["id"], "status": run["status"],
                                  "done": run["done"], "total": run["total"], "matched": run["matched"]})


def resume_run(settings: Settings, organisation_id: int, run_id: int) -> dict[str, Any]:
    """Continue a cancelled or failed run where it stopped: its sourcing is kept, its batches are enqueued
    again, and those already judged and counted are skipped (``run_batches``)."""
    run = get_run(settings, organisation_id, run_id)
    if run["status"] == RunStatus.FINISHED.value or run["active"] and run["status"] != RunStatus.QUEUED.value:
        return run
    store = _store(settings, organisation_id)
    run = store.update_run(run_id, status=RunStatus.EVALUATING.value if run["total"] else RunStatus.QUEUED.value,
                           error=None, finished_at=None)
    client = engine.client(settings)
    current = current_workflow(run)
    found = client.list_workflows(workflow_ids=[current], load_input=False, load_output=False)
    if not found:  # recorded but never enqueued (the poster stopped in between)
        _enqueue(settings, RUN_WORKFLOW, engine.RUNS_QUEUE, current, organisation_id, run_id)
    elif found[0].status not in ("PENDING", "ENQUEUED"):
        steps = client.list_workflow_steps(current, load_output=False)
        if not steps:  # stopped before its first step
            client.resume_workflow(current)
        else:
            # a fork re-runs the workflow from its first batch (or from sourcing, if it never got that far), with
            # the steps before it copied: a cancelled or failed batch's recorded outcome is not replayed
            batches = [s["function_id"] for s in steps if s["function_name"] == "hire.run.batch"]
            sourcing = [s["function_id"] for s in steps if s["function_name"] == "hire.run.source"]
            start = min(batches) if batches else min(sourcing or [s["function_id"] for s in steps])
            fork = client.fork_workflow(current, start, queue_name=engine.RUNS_QUEUE,
                                        application_version=engine.app_version())
            run = store.update_run(run_id, details={**run["details"], "workflow": fork.workflow_id})
    _announce(run, "run.progress")
    return run


def applicant_arrived(settings: Settings, organisation_id: int, recruiter_id: int, project_id: int,
                      profile_id: int) -> dict[str, Any]:
    """A new applicant for a project: a mailbox message that gets them evaluated without a chat turn."""
    return post(settings, organisation_id, recruiter_id, "new_applicant",
                {"project_id": project_id, "profile_id": profile_id},
                dedupe_key=f"applicant-{project_id}-{profile_id}")

