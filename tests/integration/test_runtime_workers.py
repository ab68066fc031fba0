"""The runtime with real worker processes: two workers on PostgreSQL share the queues with nothing handled twice,
each recruiter's mailbox is handled in order under load, a message that keeps failing is parked for the recruiter,
two schedulers make one refresh, and an applicant imported for a project is evaluated without a chat turn."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from runtime_world import REPO, World, evaluation_counts, make_world, run_side_effects, start_worker, stop, wait_for
from sqlalchemy import Engine, select

from app.runtime import engine as runtime
from app.runtime.api import post, run_workflow_id, start_run
from tools.records.models import BackgroundRun, Evaluation, MailboxMessage, Recruiter
from tools.records.runs import RunStore


def _recruiters(world: World, n: int) -> list[int]:
    ids = []
    with world.engine.begin() as conn:
        for i in range(n):
            ids.append(conn.execute(Recruiter.__table__.insert().values(
                organisation_id=world.organisation_id, email=f"r{i}@acme.test", name=f"R{i}", autonomy="review_all",
                created_at=dt.datetime.now(dt.UTC)).returning(Recruiter.id)).scalar_one())
    return ids


def test_two_workers_share_the_queues_with_nothing_done_twice(pg_engine: Engine, tmp_path: Path) -> None:
    world = make_world(pg_engine, tmp_path / "data", profiles=1000, HIRE_RUN_BATCH_SIZE="40",
                       HIRE_REFRESH_CRON="*/2 * * * * *")
    settings = world.settings()
    runs = RunStore(pg_engine, world.organisation_id)
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    workers = [start_worker(world, "w-one", logs[0]), start_worker(world, "w-two", logs[1])]
    try:
        run = start_run(settings, world.organisation_id, world.recruiter_id, world.project_id)
        recruiters = _recruiters(world, 4)
        posted = {r: [post(settings, world.organisation_id, r, "learning_proposal",
                           {"title": f"proposal {k}", "project_id": world.project_id})["id"] for k in range(12)]
                  for r in recruiters}
        poison = post(settings, world.organisation_id, recruiters[0], "new_applicant",
                      {"project_id": world.project_id, "profile_id": 987654321})
        after_poison = post(settings, world.organisation_id, recruiters[0], "learning_proposal",
                            {"title": "after the parked one"})
        done = wait_for(lambda: (r := runs.get_run(run["id"])) and not r["active"] and r, 240, "the run", logs[0])
        wait_for(lambda: all(m["status"] in ("done", "failed") for r in recruiters for m in runs.messages(r)), 120,
                 "every mailbox message", logs[1])

        # the batches were shared between the two workers, and each was judged and counted once
        batches = [w for w in runtime.client(settings).list_workflows(
            workflow_id_prefix=run_workflow_id(done) + "-b", load_input=False, load_output=False)]
        assert len(batches) == done["batches"] >= 5
        assert {w.executor_id for w in batches} == {"w-one", "w-two"}
        assert run_side_effects(pg_engine, run["id"]) == {"batches": done["batches"], "notifications": 1}
        counts = evaluation_counts(pg_engine, world.project_id)
        assert counts["repeated"] == 0 and counts["judged"] == done["total"] == done["done"]

        # every message handled once, each recruiter's in the order they were posted
        for r in recruiters:
            messages = {m["id"]: m for m in runs.messages(r)}
            notes = sorted(runs.notifications(r, limit=100), key=lambda n: n["id"])
            proposals = [n for n in notes if n["kind"] == "learning_proposal"]
            expected = [f"proposal {k}" for k in range(12)] + (["after the parked one"] if r == recruiters[0] else [])
            assert [n["title"] for n in proposals] == expected
            assert all(messages[m]["status"] == "done" and messages[m]["attempts"] == 1 for m in posted[r])
        # the message that kept failing is parked with its error, and the recruiter is told; the next went on
        parked = runs.message(poison["id"])
        assert parked is not None and parked["status"] == "failed" and parked["attempts"] == settings.mailbox_attempts
        assert "987654321" in (parked["error"] or "")
        assert [n["kind"] for n in runs.notifications(recruiters[0]) if n["kind"] == "message_parked"] == \
            ["message_parked"]
        assert (runs.message(after_poison["id"]) or {})["status"] == "done"

        # both workers run the daily refresh schedule (every 2 s here): one refresh message and run per day
        day = dt.datetime.now(dt.UTC).date().isoformat()
        wait_for(lambda: runs.list_runs(project_id=world.project_id, active_only=False)[0]["kind"] == "refresh"
                 and not runs.list_runs(project_id=world.project_id)[0]["active"], 90, "the refresh run", logs[0])
        import time
        time.sleep(5)  # several more firings of both schedulers
    finally:
        for w in workers:
            stop(w)
    with pg_engine.connect() as conn:
        refreshes = conn.execute(select(BackgroundRun.workflow_id, BackgroundRun.status).where(
            BackgroundRun.kind == "refresh")).all()
        refresh_messages = conn.execute(select(MailboxMessage.dedupe_key).where(
            MailboxMessage.kind == "daily_refresh")).all()
    assert [tuple(r) for r in refreshes] == [(f"refresh-{world.project_id}-{day}", "finished")]
    assert [m.dedupe_key for m in refresh_messages] == [f"refresh-{world.project_id}-{day}"]


def test_an_imported_applicant_is_evaluated_without_a_chat_turn(sqlite_engine: Engine, tmp_path: Path) -> None:
    world = make_world(sqlite_engine, tmp_path / "data", profiles=150)
    resume = tmp_path / "applicant.txt"
    resume.write_text("Ada Quell\nada.quell@example.com\nBerlin, Germany\n\nExperience\n"
                      "Senior Software Developer, Acme GmbH, Berlin (2016 - Present)\n"
                      "Built services in Python and Go on Kubernetes.\n\nSkills\nPython, Go, Kubernetes, SQL\n")
    log = tmp_path / "worker.log"
    worker = start_worker(world, "w-applicants", log)
    try:
        env = {**os.environ, **world.env, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
        imported = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", "import", str(resume),
                                   "--project", str(world.project_id)], env=env, cwd=REPO, capture_output=True,
                                  text=True, timeout=300)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert "queued for evaluation" in imported.stdout
        runs = RunStore(sqlite_engine, world.organisation_id)
        notes = wait_for(lambda: [n for n in runs.notifications(world.recruiter_id) if n["kind"] == "new_applicant"],
                         60, "the applicant's evaluation", log)
    finally:
        stop(worker)
    assert notes[0]["title"].startswith("New applicant for Software developer: ")
    assert "Senior Software Developer" in notes[0]["title"] and "must-have" in notes[0]["title"]
    with sqlite_engine.connect() as conn:
        judged = conn.execute(select(Evaluation.qualification_id).where(
            Evaluation.project_id == world.project_id)).all()
    assert len(judged) == world.n_quals


def test_a_chat_turn_and_its_approval_through_the_mailbox_run_the_supervisor(sqlite_engine: Engine,
                                                                              tmp_path: Path) -> None:
    """A chat turn posted to the mailbox wakes the agent on its thread: the supervisor plans and asks for approval
    (the recruiter is notified); the approval, posted next, resumes the same thread in order."""
    world = make_world(sqlite_engine, tmp_path / "data", profiles=150, HIRE_AGENT_CALIBRATION_SIZE="0")
    settings = world.settings()
    runs = RunStore(sqlite_engine, world.organisation_id)
    log = tmp_path / "worker.log"
    worker = start_worker(world, "w-chat", log)
    try:
        post(settings, world.organisation_id, world.recruiter_id, "chat_turn",
             {"thread_id": "mailbox-thread", "text": "Software developer in New York, 2+ years"})
        post(settings, world.organisation_id, world.recruiter_id, "approval",
             {"thread_id": "mailbox-thread", "value": {"action": "approve"}})
        wait_for(lambda: all(m["status"] == "done" for m in runs.messages(world.recruiter_id))
                 and len(runs.messages(world.recruiter_id)) == 2, 180, "both messages", log)
    finally:
        stop(worker)
    kinds = [n["kind"] for n in runs.notifications(world.recruiter_id)]
    assert "approval_needed" in kinds  # the chat turn stopped at the qualifications for approval
    from tools.records.store import ProjectStore

    projects = ProjectStore(sqlite_engine, world.organisation_id).list_projects(world.recruiter_id)
    mailbox_project = [p for p in projects if p["id"] != world.project_id]
    assert len(mailbox_project) == 1  # intake created the thread's project
    version, quals = ProjectStore(sqlite_engine, world.organisation_id).current_qualifications(
        mailbox_project[0]["id"])
    assert version >= 1 and quals  # the approval, handled after the turn, approved them
