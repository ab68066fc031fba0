"""What each kind of mailbox message does: the agent's observation duty.

A chat turn or an approval runs the supervisor on its thread; a finished run, a new applicant, the daily
refresh, a candidate's reply and a learning proposal each wake the part of the agent they concern and leave the
recruiter a notification. Every handler may run again after a crash: what it writes is keyed so that it lands once.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from app.runtime.engine import MAIL_KINDS, SERVICES_LOCK
from app.runtime.engine import current_settings as engine_settings
from app.runtime.notify import publish
from app.settings import Settings
from graphs import background
from graphs.background import WorkServices
from tools.records.models import Message, MessageStatus, Profile
from tools.records.runs import RunStore
from tools.records.session import org_scope


class UnknownMessage(ValueError):
    pass


def _notify(store: RunStore, recruiter_id: int, kind: str, title: str, body: str = "", *, key: str,
            project_id: int | None = None, run_id: int | None = None) -> None:
    note = store.notify(recruiter_id, kind, title, body, dedupe_key=key, project_id=project_id, run_id=run_id)
    if note is not None:
        publish(recruiter_id, {"event": "notification", "recruiter_id": recruiter_id, "notification": note})


def _title(svc: WorkServices, organisation_id: int, project_id: int) -> str:
    project = svc.store(organisation_id).get_project(project_id)
    return project["title"] if project else f"project {project_id}"


def run_finished(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    store = RunStore(svc.engine, organisation_id)
    run = store.get_run(int(message["payload"]["run_id"]))
    if run is None:
        return
    title = _title(svc, organisation_id, run["project_id"])
    if run["kind"] == "refresh":
        headline = f"{run['matched']:,} new matches for {title}"
        body = f"The daily refresh judged {run['done']:,} new or updated profiles."
    else:
        headline = f"Background run finished for {title}: {run['matched']:,} meet every must-have"
        body = f"Evaluated {run['done']:,} of {run['total']:,} candidates qualification by qualification."
    _notify(store, run["recruiter_id"], "run_finished", headline, body, key=f"run-finished-{run['id']}",
            project_id=run["project_id"], run_id=run["id"])


def new_applicant(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    payload = message["payload"]
    project_id, profile_id = int(payload["project_id"]), int(payload["profile_id"])
    _req, _version, quals = background.approved(svc.store(organisation_id), project_id)
    background.store_sourced(svc, organisation_id, project_id, [profile_id], {profile_id: "applied"})
    judged, matched = background.judge(svc, organisation_id, project_id, quals, [profile_id],
                                       llm_cutoff=settings.run_llm_cutoff)
    if not judged:
        raise LookupError(f"Applicant profile {profile_id} is not in this organisation's talent store.")
    background.rank_pipeline(svc, organisation_id, project_id)
    with org_scope(svc.engine, organisation_id) as session:
        profile = session.get(Profile, profile_id)
        name = ((profile.full_name or (f"{profile.current_title} (profile {profile_id})" if profile.current_title
                                       else None)) if profile else None) or f"profile {profile_id}"
    title = _title(svc, organisation_id, project_id)
    verdict = "meets every must-have" if matched else "does not meet every must-have"
    store = RunStore(svc.engine, organisation_id)
    _notify(store, message["recruiter_id"], "new_applicant", f"New applicant for {title}: {name} {verdict}",
            "Evaluated qualification by qualification as the application arrived.",
            key=f"applicant-{project_id}-{profile_id}", project_id=project_id)
    if matched:
        publish(message["recruiter_id"], {"event": "shortlist.new", "recruiter_id": message["recruiter_id"],
                                          "project_id": project_id, "profile_id": profile_id, "name": name})


def daily_refresh(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    from app.runtime.api import start_run

    payload = message["payload"]
    project_id = int(payload["project_id"])
    last = RunStore(svc.engine, organisation_id).last_finished_run(project_id)
    since = last["started_at"] if last else None
    start_run(settings, organisation_id, message["recruiter_id"], project_id, kind="refresh", since=since,
              workflow_id=f"refresh-{project_id}-{payload['day']}")


def candidate_reply(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    payload = message["payload"]
    key = f"reply-{message['id']}"
    with org_scope(svc.engine, organisation_id) as session:
        from sqlalchemy import select

        if session.scalar(select(Message.id).where(Message.idempotency_key == key)) is None:
            session.add(Message(organisation_id=organisation_id, project_id=payload.get("project_id"),
                                profile_id=int(payload["profile_id"]), recruiter_id=message["recruiter_id"],
                                direction="inbound", channel=payload.get("channel", "email"),
                                subject=payload.get("subject", ""), body=str(payload.get("body", "")),
                                status=MessageStatus.RECEIVED.value, idempotency_key=key))
    store = RunStore(svc.engine, organisation_id)
    _notify(store, message["recruiter_id"], "candidate_reply", "A candidate replied",
            str(payload.get("body", ""))[:500], key=f"reply-{message['id']}", project_id=payload.get("project_id"))


def learning_proposal(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    payload = message["payload"]
    store = RunStore(svc.engine, organisation_id)
    _notify(store, message["recruiter_id"], "learning_proposal", str(payload.get("title") or "A suggestion"),
            str(payload.get("body", "")), key=f"proposal-{message['id']}", project_id=payload.get("project_id"))


def _agent_services(settings: Settings) -> Any:
    """The agent's own services (its brain, the talent search), built once per process under a lock."""
    with SERVICES_LOCK:
        return _built(settings.db_url)


@cache
def _built(_db_url: str) -> Any:
    from app.services import build_services

    return build_services(engine_settings())


def conversation(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    """A chat turn or an approval posted to the mailbox: the supervisor runs on the message's thread."""
    asyncio.run(_converse(svc, settings, organisation_id, message))


async def _converse(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    from app.agent import AgentRuntime

    payload = message["payload"]
    thread = str(payload["thread_id"])
    async with AgentRuntime(settings, services=_agent_services(settings)) as rt:
        ctx = rt.context(organisation_id, message["recruiter_id"], payload.get("project_id"))
        events = (rt.send(thread, str(payload["text"]), ctx) if message["kind"] == "chat_turn"
                  else rt.resume(thread, payload.get("value"), ctx))
        async for event in events:
            if event.get("event") in ("message", "interrupt", "error"):
                publish(message["recruiter_id"], {"event": f"chat.{event['event']}", "thread_id": thread,
                                                  "recruiter_id": message["recruiter_id"], "data": event})
            if event.get("event") == "interrupt":  # the agent waits for the recruiter: it needs their attention
                kind = str((event.get("value") or {}).get("type") or "answer").replace("_", " ")
                _notify(RunStore(svc.engine, organisation_id), message["recruiter_id"], "approval_needed",
                        f"The assistant waits for you ({kind}) in chat {thread}",
                        "Open the chat to answer; nothing goes further without you.",
                        key=f"interrupt-{event.get('id')}", project_id=payload.get("project_id"))
            if event.get("event") == "error":
                raise RuntimeError(str(event.get("text")))


HANDLERS = {"chat_turn": conversation, "approval": conversation, "run_finished": run_finished,
            "new_applicant": new_applicant, "daily_refresh": daily_refresh, "candidate_reply": candidate_reply,
            "learning_proposal": learning_proposal}


def handle(svc: WorkServices, settings: Settings, organisation_id: int, message: dict[str, Any]) -> None:
    handler = HANDLERS.get(message["kind"])
    if handler is None:
        raise UnknownMessage(f"No handler for mailbox messages of kind “{message['kind']}”; "
                             f"known: {', '.join(MAIL_KINDS)}.")
    handler(svc, settings, organisation_id, message)
