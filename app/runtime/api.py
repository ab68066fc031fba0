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
STOPPED = ["CANCELLED", "ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"]


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


def cancel_run(settings: Settings, organisation_id: int, run_id: int) -> dict[str, Any]:
    """Stop a run: batches not yet started are cancelled; what was judged stays judged."""
    run = get_run(settings, organisation_id, run_id)
    if not run["active"]:
        return run
    run = _store(settings, organisation_id).update_run(run_id, status=RunStatus.CANCELLED.value)
    engine.client(settings).cancel_workflow(run_workflow_id(run), cancel_children=True)
    _announce(run, "run.cancelled")
    return run


def _announce(run: dict[str, Any], event: str) -> None:
    publish(run["recruiter_id"], {"event": event, "recruiter_id": run["recruiter_id"],
                                  "project_id": run["project_id"], "run_id": run["id"], "status": run["status"],
                                  "done": run["done"], "total": run["total"], "matched": run["matched"]})


def resume_run(settings: Settings, organisation_id: int, run_id: int) -> dict[str, Any]:
    """Continue a cancelled or failed run where it stopped (finished batches are not judged again)."""
    run = get_run(settings, organisation_id, run_id)
    if run["status"] == RunStatus.FINISHED.value:
        return run
    status = RunStatus.EVALUATING.value if run["total"] else RunStatus.QUEUED.value
    run = _store(settings, organisation_id).update_run(run_id, status=status, error=None)
    client = engine.client(settings)
    parent = run_workflow_id(run)
    workflow_ids = [w.workflow_id for w in client.list_workflows(workflow_id_prefix=parent, load_input=False,
                                                                 load_output=False)]
    if parent not in workflow_ids:  # recorded but never enqueued (the poster stopped in between)
        _enqueue(settings, RUN_WORKFLOW, engine.RUNS_QUEUE, parent, organisation_id, run_id)
        return run
    stopped = [w.workflow_id for w in client.list_workflows(workflow_id_prefix=parent, status=STOPPED,
                                                            load_input=False, load_output=False)]
    for workflow_id in stopped:
        client.resume_workflow(workflow_id)
    _announce(run, "run.progress")
    return run


def applicant_arrived(settings: Settings, organisation_id: int, recruiter_id: int, project_id: int,
                      profile_id: int) -> dict[str, Any]:
    """A new applicant for a project: a mailbox message that gets them evaluated without a chat turn."""
    return post(settings, organisation_id, recruiter_id, "new_applicant",
                {"project_id": project_id, "profile_id": profile_id},
                dedupe_key=f"applicant-{project_id}-{profile_id}")

