"""Crash resume as a real process test: a background run over 2,000 profiles, the worker killed with
SIGKILL in the middle, restarted under the same name; the run completes with exactly one evaluation per
candidate and qualification, every batch counted once, one notification. On SQLite and on PostgreSQL."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from runtime_world import evaluation_counts, make_world, run_side_effects, start_worker, stop, wait_for
from sqlalchemy import Engine

from app.runtime.api import start_run
from tools.records.runs import RunStore


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_killed_worker_resumes_the_run_with_exactly_once_effects(backend: str, tmp_path: Path,
                                                                   request: pytest.FixtureRequest) -> None:
    engine: Engine = request.getfixturevalue("sqlite_engine" if backend == "sqlite" else "pg_engine")
    world = make_world(engine, tmp_path / "data", profiles=2000, HIRE_RUN_BATCH_SIZE="50")
    runs = RunStore(engine, world.organisation_id)
    run = start_run(world.settings(), world.organisation_id, world.recruiter_id, world.project_id)
    log = tmp_path / "worker.log"

    worker = start_worker(world, "w-crash", log)
    try:
        # kill it once some batches are judged and counted, and more remain
        partial = wait_for(lambda: (r := runs.get_run(run["id"])) and r["total"] and 0 < r["done"] < r["total"] / 2
                           and r, 120, "the run to be partly judged", log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        stop(worker)
    stopped = runs.get_run(run["id"])
    assert stopped is not None and stopped["status"] == "evaluating" and stopped["done"] < stopped["total"]
    assert partial["total"] >= 400  # 2,000 profiles, a broad role: a dozen batches to resume

    worker = start_worker(world, "w-crash", log)  # the same name: it recovers the work it held
    try:
        done = wait_for(lambda: (r := runs.get_run(run["id"])) and not r["active"] and r, 180,
                        "the resumed run to finish", log)
        wait_for(lambda: runs.notifications(world.recruiter_id), 60, "the run's notification", log)
    finally:
        stop(worker)

    assert done["status"] == "finished", done
    assert done["done"] == done["total"] == partial["total"]
    counts = evaluation_counts(engine, world.project_id)
    assert counts["repeated"] == 0  # no (candidate, qualification) judged into two rows
    assert counts["judged"] == counts["entries"] == done["total"]  # nobody skipped
    assert counts["rows"] == done["total"] * world.n_quals  # one evaluation per candidate and qualification
    effects = run_side_effects(engine, run["id"])
    assert effects == {"batches": done["batches"], "notifications": 1}
    messages = runs.messages(world.recruiter_id)
    assert [(m["kind"], m["status"]) for m in messages] == [("run_finished", "done")]


def test_a_run_cancelled_midway_resumes_without_judging_anyone_twice(sqlite_engine: Engine, tmp_path: Path) -> None:
    from app.runtime.api import cancel_run, resume_run

    world = make_world(sqlite_engine, tmp_path / "data", profiles=1500, HIRE_RUN_BATCH_SIZE="40")
    runs = RunStore(sqlite_engine, world.organisation_id)
    settings = world.settings()
    log = tmp_path / "worker.log"
    worker = start_worker(world, "w-cancel", log)
    try:
        run = start_run(settings, world.organisation_id, world.recruiter_id, world.project_id)
        wait_for(lambda: (r := runs.get_run(run["id"])) and r["total"] and 0 < r["done"] < r["total"] / 2, 120,
                 "the run to be partly judged", log)
        cancelled = cancel_run(settings, world.organisation_id, run["id"])
        assert cancelled["status"] == "cancelled"
        import time
        time.sleep(3)  # a batch in flight may finish; nothing new starts
        stopped = runs.get_run(run["id"])
        assert stopped is not None and stopped["status"] == "cancelled" and stopped["done"] < stopped["total"]
        resumed = resume_run(settings, world.organisation_id, run["id"])
        assert resumed["status"] == "evaluating" and resumed["details"]["workflow"]
        done = wait_for(lambda: (r := runs.get_run(run["id"])) and not r["active"] and r, 120, "the resumed run",
                        log)
        wait_for(lambda: runs.notifications(world.recruiter_id), 60, "the run's notification", log)
    finally:
        stop(worker)
    assert done["status"] == "finished" and done["done"] == done["total"] == stopped["total"]
    counts = evaluation_counts(sqlite_engine, world.project_id)
    assert counts["repeated"] == 0 and counts["judged"] == counts["entries"] == done["total"]
    assert run_side_effects(sqlite_engine, run["id"]) == {"batches": done["batches"], "notifications": 1}
