"""The durable workflows: background runs and their batches, the recruiters' mailboxes, the daily refresh.

Each database effect is a DBOS step, checkpointed when it returns, so a worker killed at any point resumes at the
step it was in. The effects themselves are idempotent (upserted pipeline entries, replaced evaluations, one
``run_batches`` row per batch, notifications and mailbox messages keyed by ``dedupe_key``), so a step that ran
but was not yet checkpointed can run again without doing anything twice. Workflow ids are derived from the run
or message they serve: starting the same thing twice attaches to the first.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from dbos import DBOS, SetWorkflowID, StepOptions

from app.runtime import engine
from app.runtime.notify import publish
from app.settings import Settings
from graphs import background
from graphs.background import WorkServices
from tools.background import broadened
from tools.records.models import MailboxStatus, Organisation, RunStatus, utcnow
from tools.records.runs import RunStore
from tools.sourcing import SourcingQuery


def settings() -> Settings:
    return engine.current_settings()


@cache
def _services(db_url: str) -> WorkServices:
    from app.services import build_services, engine_for, talent_search

    current = settings()
    if any(current.role_endpoint(role)[0] for role in ("planner", "evaluator", "writer")):
        return build_services(current)
    return background.Work(engine=engine_for(db_url), talent_search=talent_search(current),
                           concurrency=current.agent_concurrency)


def services() -> WorkServices:
    """The live objects the work uses, built once per process (the vector store must not be opened by two
    worker threads at once). Without an LLM endpoint only the database and the talent search: the worker then
    never loads the agent's graphs and model clients."""
    with engine.SERVICES_LOCK:
        return _services(settings().db_url)


def runs(organisation_id: int) -> RunStore:
    return RunStore(services().engine, organisation_id)


def _progress(run: dict[str, Any], event: str = "run.progress") -> None:
    text = f"Evaluated {run['done']:,} of {run['total']:,}; {run['matched']:,} meet every must-have"
    publish(run["recruiter_id"], {"event": event, "recruiter_id": run["recruiter_id"], "project_id": run["project_id"],
                                  "run_id": run["id"], "status": run["status"], "done": run["done"],
                                  "total": run["total"], "matched": run["matched"], "text": text})


# ---- background runs ---------------------------------------------------------------------------------------
@DBOS.step(name="hire.run.source", retries_allowed=True, max_attempts=3, interval_seconds=2.0)
def source_step(organisation_id: int, run_id: int) -> dict[str, Any]:
    store = runs(organisation_id)
    run = store.get_run(run_id)
    if run is None or run["status"] == RunStatus.CANCELLED.value:
        return {"stop": True}
    run = store.update_run(run_id, status=RunStatus.SOURCING.value, started_at=run["started_at"] or utcnow())
    _progress(run, "run.started")
    planned = background.plan(services(), organisation_id, run["project_id"], depth=run["depth"], since=run["since"])
    size = settings().run_batch_size
    batches = [planned.ids[at:at + size] for at in range(0, len(planned.ids), size)]
    run = store.update_run(run_id, status=RunStatus.EVALUATING.value, total=len(planned.ids), batches=len(batches),
                           qualification_version=planned.version,
                           details={**run["details"], "queries": planned.per_query})
    _progress(run)
    return {"batches": batches, "queries": [q.model_dump() for q in planned.queries]}


@DBOS.step(name="hire.run.broaden", retries_allowed=True, max_attempts=3, interval_seconds=2.0)
def broaden_step(organisation_id: int, run_id: int, queries: list[dict[str, Any]]) -> dict[str, Any]:
    """Another round: the queries whose judged candidates met every must-have often enough, broadened; the
    candidates they add are judged too."""
    store = runs(organisation_id)
    run = store.get_run(run_id)
    if run is None or run["status"] == RunStatus.CANCELLED.value:
        return {"batches": [], "queries": []}
    svc = services()
    req, _version, quals = background.approved(svc.store(organisation_id), run["project_id"])
    precision = background.query_precision(svc, organisation_id, run["project_id"])
    current = [SourcingQuery.model_validate(q) for q in queries]
    keep = [q for q in current if precision.get(q.label, 0.0) >= background.MIN_PRECISION]
    wider = broadened(keep, req, quals)
    seen = background.pipeline_ids(svc, organisation_id, run["project_id"])
    ids, found_by, report = background.source(svc, organisation_id, wider, seen=seen, since=run["since"])
    if run["depth"]:
        ids = ids[:max(0, run["depth"] - run["total"])]
    background.store_sourced(svc, organisation_id, run["project_id"], ids, found_by)
    size = settings().run_batch_size
    batches = [ids[at:at + size] for at in range(0, len(ids), size)]
    details = dict(run["details"])
    details.setdefault("rounds", []).append({"precision": precision, "broadened": report})
    run = store.update_run(run_id, total=run["total"] + len(ids), batches=run["batches"] + len(batches),
                           details=details)
    _progress(run)
    return {"batches": batches, "queries": [q.model_dump() for q in wider]}


@DBOS.step(name="hire.run.judge", retries_allowed=True, max_attempts=3, interval_seconds=1.0)
def judge_step(organisation_id: int, run_id: int, batch_no: int, ids: list[int]) -> dict[str, Any]:
    store = runs(organisation_id)
    run = store.get_run(run_id)
    if run is None or run["status"] == RunStatus.CANCELLED.value:
        return {"judged": 0, "skipped": True}
    if batch_no in store.finished_batches(run_id):  # judged before a crash, counted: nothing left to do
        return {"judged": 0, "repeat": True}
    svc = services()
    _req, _version, quals = background.approved(svc.store(organisation_id), run["project_id"])
    judged, matched = background.judge(svc, organisation_id, run["project_id"], quals, ids,
                                       llm_cutoff=settings().run_llm_cutoff)
    if store.finish_batch(run_id, batch_no, judged, matched):
        current = store.get_run(run_id)
        if current is not None:
            _progress(current)
    return {"judged": judged, "matched": matched}


@DBOS.workflow(name="hire.run.batch")
def judge_batch(organisation_id: int, run_id: int, batch_no: int, ids: list[int]) -> dict[str, Any]:
    return judge_step(organisation_id, run_id, batch_no, ids)


def _judge_all(organisation_id: int, run_id: int, batches: list[list[int]], first: int) -> None:
    parent = DBOS.workflow_id
    handles = []
    for n, ids in enumerate(batches, start=first):
        with SetWorkflowID(f"{parent}-b{n}"):
            handles.append(DBOS.enqueue_workflow(engine.BATCH_QUEUE, judge_batch, organisation_id, run_id, n, ids))
    for handle in handles:
        handle.get_result()


@DBOS.step(name="hire.run.finish")
def finish_step(organisation_id: int, run_id: int) -> dict[str, Any]:
    from app.runtime.api import post

    store = runs(organisation_id)
    run = store.get_run(run_id)
    if run is None:
        return {}
    if run["status"] == RunStatus.CANCELLED.value:
        return run
    background.rank_pipeline(services(), organisation_id, run["project_id"])
    if run["status"] != RunStatus.FINISHED.value:
        run = store.update_run(run_id, status=RunStatus.FINISHED.value, finished_at=utcnow())
    _progress(run, "run.finished")
    post(settings(), organisation_id, run["recruiter_id"], "run_finished", {"run_id": run_id},
         dedupe_key=f"run-finished-{run_id}")
    return run


@DBOS.workflow(name="hire.run")
def background_run(organisation_id: int, run_id: int) -> dict[str, Any]:
    """Source every match, judge it in checkpointed batches, broaden the queries that work, report. A run that
    fails after its steps' retries is marked failed with the error, the recruiter is told, and the workflow ends
    in error: ``hire run resume`` continues it from its last checkpoint."""
    try:
        return _run(organisation_id, run_id)
    except Exception as exc:
        fail_step(organisation_id, run_id, f"{type(exc).__name__}: {exc}")
        raise


@DBOS.step(name="hire.run.fail")
def fail_step(organisation_id: int, run_id: int, error: str) -> None:
    store = runs(organisation_id)
    run = store.get_run(run_id)
    if run is None or run["status"] == RunStatus.CANCELLED.value:
        return
    run = store.update_run(run_id, status=RunStatus.FAILED.value, error=error[:2000], finished_at=utcnow())
    _progress(run, "run.failed")
    note = store.notify(run["recruiter_id"], "run_failed", f"Background run {run_id} stopped on an error",
                        f"{error[:500]} — `hire run resume {run_id}` or the workspace continues it where it stopped.",
                        dedupe_key=f"run-failed-{run_id}-{run['done']}", project_id=run["project_id"], run_id=run_id)
    if note is not None:
        publish(run["recruiter_id"], {"event": "notification", "recruiter_id": run["recruiter_id"],
                                      "notification": note})


def _run(organisation_id: int, run_id: int) -> dict[str, Any]:
    planned = source_step(organisation_id, run_id)
    if planned.get("stop"):
        return {"run_id": run_id, "status": "cancelled"}
    batches: list[list[int]] = planned["batches"]
    _judge_all(organisation_id, run_id, batches, 0)
    first, queries = len(batches), planned["queries"]
    for _round in range(settings().run_rounds):
        more = broaden_step(organisation_id, run_id, queries)
        if not more["batches"]:
            break
        _judge_all(organisation_id, run_id, more["batches"], first)
        first, queries = first + len(more["batches"]), more["queries"]
    run = finish_step(organisation_id, run_id)
    return {"run_id": run_id, "status": run.get("status"), "done": run.get("done"), "matched": run.get("matched")}


# ---- the mailbox -------------------------------------------------------------------------------------------
def _handle(organisation_id: int, message_id: int) -> str:
    from app.runtime.handlers import handle

    store = runs(organisation_id)
    message = store.message(message_id)
    if message is None:
        return "missing"
    if message["status"] in (MailboxStatus.DONE.value, MailboxStatus.FAILED.value):
        return message["status"]
    store.mark_message(message_id, MailboxStatus.CLAIMED, attempts=message["attempts"] + 1,
                       claimed_by=engine.worker_name(settings()))
    handle(services(), settings(), organisation_id, message)
    store.mark_message(message_id, MailboxStatus.DONE, attempts=message["attempts"] + 1)
    return "done"


@DBOS.step(name="hire.mail.park")
def park_step(organisation_id: int, message_id: int, error: str) -> None:
    store = runs(organisation_id)
    message = store.message(message_id)
    if message is None:
        return
    store.mark_message(message_id, MailboxStatus.FAILED, error=error, attempts=settings().mailbox_attempts)
    note = store.notify(message["recruiter_id"], "message_parked", f"A “{message['kind']}” message could not be "
                        f"handled after {settings().mailbox_attempts} tries", error,
                        dedupe_key=f"parked-{message_id}", project_id=message["payload"].get("project_id"))
    publish(message["recruiter_id"], {"event": "message.parked", "recruiter_id": message["recruiter_id"],
                                      "message_id": message_id, "kind": message["kind"], "error": error})
    if note is not None:
        publish(message["recruiter_id"], {"event": "notification", "recruiter_id": message["recruiter_id"],
                                          "notification": note})


@DBOS.workflow(name="hire.mail")
def handle_mail(organisation_id: int, message_id: int) -> str:
    """One mailbox message, retried with backoff; one that keeps failing is parked and the recruiter told."""
    options: StepOptions = {"name": "hire.mail.handle", "retries_allowed": True, "interval_seconds": 0.5,
                            "backoff_rate": 2.0, "max_attempts": settings().mailbox_attempts}
    try:
        return DBOS.run_step(options, _handle, organisation_id, message_id)
    except Exception as exc:  # noqa: BLE001 - whatever the handler raised, the message is parked with it
        errors = getattr(exc, "errors", None) or [exc.__cause__ or exc]  # the last try's error, after retries
        cause = errors[-1]
        park_step(organisation_id, message_id, f"{type(cause).__name__}: {cause}")
        return "parked"


# ---- the daily refresh -------------------------------------------------------------------------------------
@DBOS.step(name="hire.refresh.post")
def refresh_step(day: str) -> int:
    from sqlalchemy import select

    from app.runtime.api import post

    with services().engine.connect() as conn:
        orgs = list(conn.scalars(select(Organisation.id).order_by(Organisation.id)))
    posted = 0
    for org_id in orgs:
        for project in runs(org_id).refreshable_projects():
            post(settings(), org_id, project["recruiter_id"], "daily_refresh", {"project_id": project["id"],
                                                                                "day": day},
                 dedupe_key=f"refresh-{project['id']}-{day}")
            posted += 1
    return posted


@DBOS.workflow(name="hire.refresh")
def daily_refresh(scheduled_at: dt.datetime, context: Any = None) -> None:
    """Every open project with a finished run gets a refresh message for the day (once, whoever fires it)."""
    refresh_step(scheduled_at.date().isoformat())
