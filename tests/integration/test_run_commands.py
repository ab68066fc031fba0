"""`hire run`, `hire notifications` and `hire agent` as a recruiter uses them, on a real SQLite store: a run
started, cancelled before any worker took it, resumed and done in this process; clear errors for unknown ids,
projects without approved qualifications and bad settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_world import World, evaluation_counts, make_world
from sqlalchemy import Engine
from typer.testing import CliRunner

from app import cli_base
from app.cli import app
from app.settings import get_settings
from tools.records.runs import RunStore
from tools.records.store import ProjectStore


@pytest.fixture
def world(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # the consoles were made when app.cli was first imported, with whatever width the terminal had then
    monkeypatch.setattr(cli_base.console, "width", 200)
    monkeypatch.setattr(cli_base.err, "width", 200)
    built = make_world(sqlite_engine, tmp_path / "data", profiles=600, HIRE_RUN_BATCH_SIZE="40")
    get_settings.cache_clear()
    yield built
    get_settings.cache_clear()


def hire(world: World, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={**world.env, "COLUMNS": "200"})
    get_settings.cache_clear()
    return result.exit_code, result.output


def test_start_cancel_resume_status_and_notifications(world: World) -> None:
    code, out = hire(world, "run", "start", str(world.project_id))
    assert code == 0 and "Background run 1 of project" in out and "hire run status 1" in out
    code, out = hire(world, "run", "cancel", "1")  # no worker has taken it yet
    assert code == 0 and "Run 1 is cancelled" in out
    code, out = hire(world, "run", "resume", "1", "--wait")
    assert code == 0, out
    run = RunStore(world.engine, world.organisation_id).get_run(1)
    assert run is not None and run["status"] == "finished" and run["done"] == run["total"] > 40
    assert f"{run['done']:,} of {run['total']:,} (100%)" in out
    counts = evaluation_counts(world.engine, world.project_id)
    assert counts["repeated"] == 0 and counts["rows"] == run["total"] * world.n_quals

    code, out = hire(world, "run", "status")
    assert code == 0 and "finished" in out and "Background runs" in out
    code, out = hire(world, "notifications", "--mark-read")
    assert code == 0 and "Background run finished for Software developer" in out
    code, out = hire(world, "notifications")
    assert code == 0 and "Nothing needs your attention." in out


def test_clear_errors_for_what_cannot_run(world: World) -> None:
    code, out = hire(world, "run", "status", "99")
    assert code == 2 and "There is no background run 99" in out
    code, out = hire(world, "run", "start", "99")
    assert code == 2 and "There is no project 99" in out
    store = ProjectStore(world.engine, world.organisation_id)
    unapproved = store.create_project(world.recruiter_id, "Nurse")
    code, out = hire(world, "run", "start", str(unapproved))
    assert code == 2 and "has no approved qualifications yet" in out
    assert RunStore(world.engine, world.organisation_id).list_runs() == []


def test_the_agent_instance_settings(world: World) -> None:
    code, out = hire(world, "agent", "--time-zone", "Europe/Berlin", "--hours", "08:30-16:00", "--days", "54321")
    assert code == 0 and "Europe/Berlin" in out and "08:30" in out and "12345" in out
    code, out = hire(world, "agent", "--time-zone", "Mars/Olympus")
    assert code == 2 and "Unknown time zone" in out
    code, out = hire(world, "agent", "--hours", "17:00-09:00")
    assert code == 2 and "start before end" in out
    code, out = hire(world, "agent", "--paused")
    assert code == 0
    agent = RunStore(world.engine, world.organisation_id).agent(world.recruiter_id)
    assert agent["active"] is False and agent["time_zone"] == "Europe/Berlin"
