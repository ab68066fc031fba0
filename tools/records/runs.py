"""The runtime's records: each recruiter's agent instance, background runs and their finished batches, the
mailbox, notifications and the projects dashboard.

:class:`RunStore` is bound to an engine and an organisation like :class:`~tools.records.store.ProjectStore`.
Everything a crashed worker may repeat is idempotent here: a run is created once per workflow id, a batch
advances its run's counters once (``run_batches`` is unique per run and batch), a notification appears once
per ``dedupe_key`` and a mailbox message once per ``dedupe_key``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tools.records.models import (
    AgentInstance,
    ApprovalState,
    BackgroundRun,
    MailboxMessage,
    MailboxStatus,
    Notification,
    PipelineEntry,
    Project,
    Qualification,
    Recruiter,
    RunBatch,
    RunStatus,
    utcnow,
)
from tools.records.session import org_scope
from tools.records.store import NotFound

ACTIVE_RUN_STATUSES: frozenset[str] = frozenset({RunStatus.QUEUED.value, RunStatus.SOURCING.value,
                                                 RunStatus.EVALUATING.value})
AGENT_FIELDS: frozenset[str] = frozenset({"name", "autonomy", "time_zone", "work_start", "work_end", "work_days",
                                          "active"})
RUN_FIELDS: frozenset[str] = frozenset({"status", "total", "batches", "details", "error", "started_at",
                                        "finished_at", "qualification_version", "since"})


def run_dict(run: BackgroundRun) -> dict[str, Any]:
    return {"id": run.id, "recruiter_id": run.recruiter_id, "project_id": run.project_id, "kind": run.kind,
            "status": run.status, "qualification_version": run.qualification_version, "depth": run.depth,
            "since": run.since, "thread_id": run.thread_id, "workflow_id": run.workflow_id, "total": run.total,
            "done": run.done, "matched": run.matched, "batches": run.batches, "details": dict(run.details or {}),
            "error": run.error, "created_at": run.created_at, "started_at": run.started_at,
            "finished_at": run.finished_at, "active": run.status in ACTIVE_RUN_STATUSES}


def _agent_dict(agent: AgentInstance) -> dict[str, Any]:
    return {"id": agent.id, "recruiter_id": agent.recruiter_id, "name": agent.name, "autonomy": agent.autonomy,
            "time_zone": agent.time_zone, "work_start": agent.work_start, "work_end": agent.work_end,
            "work_days": agent.work_days, "active": agent.active}


def _notification_dict(n: Notification) -> dict[str, Any]:
    return {"id": n.id, "recruiter_id": n.recruiter_id, "kind": n.kind, "title": n.title, "body": n.body,
            "project_id": n.project_id, "run_id": n.run_id, "read": n.read_at is not None,
            "created_at": n.created_at, "dedupe_key": n.dedupe_key}


def _message_dict(m: MailboxMessage) -> dict[str, Any]:
    return {"id": m.id, "recruiter_id": m.recruiter_id, "kind": m.kind, "payload": dict(m.payload or {}),
            "status": m.status, "attempts": m.attempts, "error": m.error, "dedupe_key": m.dedupe_key,
            "created_at": m.created_at, "finished_at": m.finished_at}


class RunStore:
    """Agent instances, background runs, the mailbox and notifications of one organisation."""

    def __init__(self, engine: Engine, organisation_id: int) -> None:
        self.engine = engine
        self.organisation_id = organisation_id

    def _session(self) -> AbstractContextManager[Session]:
        return org_scope(self.engine, self.organisation_id)

    # ---- agent instances ------------------------------------------------------------------------------
    def agent(self, recruiter_id: int) -> dict[str, Any]:
        """The recruiter's agent instance, created with the defaults the first time it is asked for."""
        with self._session() as session:
            found = session.scalar(select(AgentInstance).where(AgentInstance.recruiter_id == recruiter_id))
            if found is not None:
                return _agent_dict(found)
            recruiter = session.get(Recruiter, recruiter_id)
            if recruiter is None:
                raise NotFound(f"There is no recruiter {recruiter_id} in this organisation.")
        try:
            with self._session() as session:
                agent = AgentInstance(organisation_id=self.organisation_id, recruiter_id=recruiter_id,
                                      autonomy=recruiter.autonomy)
                session.add(agent)
                session.flush()
                return _agent_dict(agent)
        except IntegrityError:  # created meanwhile by another process
            return self.agent(recruiter_id)

    def update_agent(self, recruiter_id: int, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - AGENT_FIELDS
        if unknown:
            raise ValueError(f"Unknown agent setting(s): {', '.join(sorted(unknown))}.")
        self.agent(recruiter_id)
        with self._session() as session:
            agent = session.scalars(select(AgentInstance).where(AgentInstance.recruiter_id == recruiter_id)).one()
            for name, value in fields.items():
                setattr(agent, name, value)
            session.flush()
            return _agent_dict(agent)

    # ---- background runs ------------------------------------------------------------------------------
    def create_run(self, recruiter_id: int, project_id: int, *, workflow_id: str, kind: str = "full",
                   depth: int | None = None, since: dt.datetime | None = None, thread_id: str | None = None,
                   qualification_version: int = 1) -> tuple[dict[str, Any], bool]:
        """The run with this workflow id, created if new; returns ``(run, created)``."""
        existing = self.run_by_workflow(workflow_id)
        if existing is not None:
            return existing, False
        try:
            with self._session() as session:
                if session.get(Project, project_id) is None:
                    raise NotFound(f"There is no project {project_id} in this organisation.")
                run = BackgroundRun(organisation_id=self.organisation_id, recruiter_id=recruiter_id,
                                    project_id=project_id, kind=kind, depth=depth, since=since, thread_id=thread_id,
                                    workflow_id=workflow_id, qualification_version=qualification_version)
                session.add(run)
                session.flush()
                return run_dict(run), True
        except IntegrityError:
            found = self.run_by_workflow(workflow_id)
            if found is None:
                raise
            return found, False

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        with self._session() as session:
            run = session.get(BackgroundRun, run_id)
            return run_dict(run) if run is not None else None

    def run_by_workflow(self, workflow_id: str) -> dict[str, Any] | None:
        with self._session() as session:
            run = session.scalar(select(BackgroundRun).where(BackgroundRun.workflow_id == workflow_id))
            return run_dict(run) if run is not None else None

    def list_runs(self, *, recruiter_id: int | None = None, project_id: int | None = None,
                  active_only: bool = False, limit: int = 20) -> list[dict[str, Any]]:
        """Runs, newest first."""
        query = select(BackgroundRun).order_by(BackgroundRun.id.desc()).limit(limit)
        if recruiter_id is not None:
            query = query.where(BackgroundRun.recruiter_id == recruiter_id)
        if project_id is not None:
            query = query.where(BackgroundRun.project_id == project_id)
        if active_only:
            query = query.where(BackgroundRun.status.in_(ACTIVE_RUN_STATUSES))
        with self._session() as session:
            return [run_dict(r) for r in session.scalars(query)]

    def update_run(self, run_id: int, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - RUN_FIELDS
        if unknown:
            raise ValueError(f"Unknown run field(s): {', '.join(sorted(unknown))}.")
        with self._session() as session:
            run = session.get(BackgroundRun, run_id)
            if run is None:
                raise NotFound(f"There is no background run {run_id} in this organisation.")
            for name, value in fields.items():
                setattr(run, name, value)
            session.flush()
            return run_dict(run)

    def finish_batch(self, run_id: int, batch_no: int, judged: int, matched: int) -> bool:
        """Count a finished batch into its run, once: False when this batch was already counted."""
        try:
            with self._session() as session:
                session.add(RunBatch(organisation_id=self.organisation_id, run_id=run_id, batch_no=batch_no,
                                     judged=judged, matched=matched))
                session.flush()
                session.execute(update(BackgroundRun).where(BackgroundRun.id == run_id).values(
                    done=BackgroundRun.done + judged, matched=BackgroundRun.matched + matched,
                    updated_at=utcnow()))
                return True
        except IntegrityError:
            return False

    def finished_batches(self, run_id: int) -> set[int]:
        with self._session() as session:
            return set(session.scalars(select(RunBatch.batch_no).where(RunBatch.run_id == run_id)))

    def last_finished_run(self, project_id: int) -> dict[str, Any] | None:
        """The project's latest finished run: a refresh looks at what changed since it started."""
        with self._session() as session:
            run = session.scalar(select(BackgroundRun).where(
                BackgroundRun.project_id == project_id, BackgroundRun.status == RunStatus.FINISHED.value,
            ).order_by(BackgroundRun.id.desc()).limit(1))
            return run_dict(run) if run is not None else None

    def refreshable_projects(self) -> list[dict[str, Any]]:
        """Open projects with approved qualifications and a finished run, of recruiters whose agent is not paused:
        what the daily refresh visits."""
        with self._session() as session:
            finished = select(BackgroundRun.project_id).where(BackgroundRun.status == RunStatus.FINISHED.value)
            approved = select(Qualification.project_id).where(Qualification.status == ApprovalState.APPROVED.value)
            paused = select(AgentInstance.recruiter_id).where(AgentInstance.active.is_(False))
            rows = session.execute(select(Project.id, Project.recruiter_id, Project.title).where(
                Project.status == "open", Project.id.in_(finished), Project.id.in_(approved),
                Project.recruiter_id.not_in(paused)).order_by(Project.id))
            return [{"id": r.id, "recruiter_id": r.recruiter_id, "title": r.title} for r in rows]

    # ---- the mailbox ----------------------------------------------------------------------------------
    def post_message(self, recruiter_id: int, kind: str, payload: dict[str, Any], *,
                     dedupe_key: str | None = None) -> tuple[dict[str, Any], bool]:
        """Put a message in the recruiter's mailbox; returns ``(message, created)``: a message with a
        ``dedupe_key`` already posted is returned as it is."""
        if dedupe_key is not None:
            found = self._message_by_key(dedupe_key)
            if found is not None:
                return found, False
        try:
            with self._session() as session:
                if session.get(Recruiter, recruiter_id) is None:
                    raise NotFound(f"There is no recruiter {recruiter_id} in this organisation.")
                message = MailboxMessage(organisation_id=self.organisation_id, recruiter_id=recruiter_id, kind=kind,
                                         payload=payload, dedupe_key=dedupe_key)
                session.add(message)
                session.flush()
                return _message_dict(message), True
        except IntegrityError:
            found = self._message_by_key(dedupe_key or "")
            if found is None:
                raise
            return found, False

    def _message_by_key(self, key: str) -> dict[str, Any] | None:
        with self._session() as session:
            found = session.scalar(select(MailboxMessage).where(MailboxMessage.dedupe_key == key))
            return _message_dict(found) if found is not None else None

    def message(self, message_id: int) -> dict[str, Any] | None:
        with self._session() as session:
            found = session.get(MailboxMessage, message_id)
            return _message_dict(found) if found is not None else None

    def mark_message(self, message_id: int, status: MailboxStatus, *, error: str | None = None,
                     attempts: int | None = None, claimed_by: str | None = None) -> None:
        with self._session() as session:
            message = session.get(MailboxMessage, message_id)
            if message is None:
                raise NotFound(f"There is no mailbox message {message_id} in this organisation.")
            message.status = status.value
            message.error = error
            if attempts is not None:
                message.attempts = attempts
            if status == MailboxStatus.CLAIMED:
                message.claimed_at, message.claimed_by = utcnow(), claimed_by
            if status in (MailboxStatus.DONE, MailboxStatus.FAILED):
                message.finished_at = utcnow()

    def messages(self, recruiter_id: int, *, status: MailboxStatus | None = None,
                 limit: int = 100) -> list[dict[str, Any]]:
        """The recruiter's mailbox, oldest first."""
        query = select(MailboxMessage).where(MailboxMessage.recruiter_id == recruiter_id)
        if status is not None:
            query = query.where(MailboxMessage.status == status.value)
        with self._session() as session:
            return [_message_dict(m) for m in session.scalars(query.order_by(MailboxMessage.id).limit(limit))]

    # ---- notifications --------------------------------------------------------------------------------
    def notify(self, recruiter_id: int, kind: str, title: str, body: str = "", *, dedupe_key: str,
               project_id: int | None = None, run_id: int | None = None) -> dict[str, Any] | None:
        """A notification for the recruiter; None when one with this ``dedupe_key`` already exists."""
        try:
            with self._session() as session:
                note = Notification(organisation_id=self.organisation_id, recruiter_id=recruiter_id, kind=kind,
                                    title=title[:300], body=body, project_id=project_id, run_id=run_id,
                                    dedupe_key=dedupe_key[:160])
                session.add(note)
                session.flush()
                return _notification_dict(note)
        except IntegrityError:
            return None

    def notifications(self, recruiter_id: int, *, unread_only: bool = False,
                      limit: int = 50) -> list[dict[str, Any]]:
        """The recruiter's notifications, newest first."""
        query = select(Notification).where(Notification.recruiter_id == recruiter_id)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        with self._session() as session:
            return [_notification_dict(n) for n in
                    session.scalars(query.order_by(Notification.id.desc()).limit(limit))]

    def mark_read(self, recruiter_id: int, ids: list[int] | None = None) -> int:
        """Mark the recruiter's notifications read (all unread ones when ``ids`` is None); returns how many."""
        query = update(Notification).where(Notification.recruiter_id == recruiter_id,
                                           Notification.read_at.is_(None))
        if ids is not None:
            query = query.where(Notification.id.in_(ids))
        with self._session() as session:
            return int(session.execute(query.values(read_at=utcnow())).rowcount or 0)  # type: ignore[attr-defined]

    # ---- the projects dashboard -------------------------------------------------------------------------
    def dashboard(self, recruiter_id: int) -> list[dict[str, Any]]:
        """Each of the recruiter's projects with its pipeline counts by stage, its active and last runs and
        how many qualifications await approval; newest project first."""
        with self._session() as session:
            projects = list(session.execute(select(Project.id, Project.title, Project.status).where(
                Project.recruiter_id == recruiter_id).order_by(Project.id.desc())))
            ids = [p.id for p in projects]
            stages: dict[int, dict[str, int]] = {}
            for project_id, stage, n in session.execute(
                    select(PipelineEntry.project_id, PipelineEntry.stage, func.count()).where(
                        PipelineEntry.project_id.in_(ids)).group_by(PipelineEntry.project_id, PipelineEntry.stage)):
                stages.setdefault(project_id, {})[stage] = n
            proposed = dict(session.execute(select(Qualification.project_id, func.count()).where(
                Qualification.project_id.in_(ids), Qualification.status == ApprovalState.PROPOSED.value,
            ).group_by(Qualification.project_id)).all())
            runs: dict[int, list[BackgroundRun]] = {}
            for run in session.scalars(select(BackgroundRun).where(BackgroundRun.project_id.in_(ids))
                                       .order_by(BackgroundRun.id.desc())):
                runs.setdefault(run.project_id, []).append(run)
            out = []
            for p in projects:
                project_runs = runs.get(p.id, [])
                active = next((r for r in project_runs if r.status in ACTIVE_RUN_STATUSES), None)
                last = next((r for r in project_runs if r.status not in ACTIVE_RUN_STATUSES), None)
                out.append({"id": p.id, "title": p.title, "status": p.status, "stages": stages.get(p.id, {}),
                            "awaiting_approval": int(proposed.get(p.id, 0)),
                            "active_run": run_dict(active) if active else None,
                            "last_run": run_dict(last) if last else None})
            return out
