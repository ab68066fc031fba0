"""A world for the runtime's process tests: a seeded talent store, a recruiter, a project whose qualifications
are approved, and ``hire worker`` processes started and killed for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from app.loader import seed_profiles
from app.settings import Settings
from tools.records.models import Evaluation, Notification, PipelineEntry, RunBatch
from tools.records.store import ProjectStore, ensure_demo_recruiter
from tools.requirements.draft import draft_qualifications
from tools.requirements.extract import extract_requirements

REPO = Path(__file__).resolve().parents[1]
BROAD_ROLE = "Software developer"


@dataclass
class World:
    engine: Engine
    data_dir: Path
    env: dict[str, str]
    organisation_id: int
    recruiter_id: int
    project_id: int
    n_quals: int

    def settings(self) -> Settings:
        return Settings(**{k[5:].lower(): v for k, v in self.env.items() if k.startswith("HIRE_")})


def make_world(engine: Engine, data_dir: Path, *, profiles: int = 3000, role: str = BROAD_ROLE,
               **settings: str) -> World:
    data_dir.mkdir(parents=True, exist_ok=True)
    seed_profiles(engine, profiles, seed=11, occupations=("15-",), workers=1)
    org, rec = ensure_demo_recruiter(engine)
    req = extract_requirements(role)
    quals = draft_qualifications(req)
    store = ProjectStore(engine, org)
    project = store.create_project(rec, role, req)
    store.save_qualifications(project, quals, status="approved", approved_by=rec)
    env = {"HIRE_DATA_DIR": str(data_dir), "HIRE_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "HF_HUB_OFFLINE": "1", "HIRE_RUN_BATCH_SIZE": "100", "HIRE_RUN_ROUNDS": "0", **settings}
    return World(engine, data_dir, env, org, rec, project, len(quals))


def start_worker(world: World, name: str, log: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, **world.env, "PYTHONPATH": str(REPO)}
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()", "worker", "--id", name,
                                 *args], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(check: Callable[[], Any], timeout: float, what: str, log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}\n{tail}")


def evaluation_counts(engine: Engine, project_id: int) -> dict[str, int]:
    """Evaluations of the project: rows, (entry, qualification) pairs held more than once, candidates judged."""
    with engine.connect() as conn:
        rows = conn.scalar(select(func.count()).select_from(Evaluation).where(Evaluation.project_id == project_id))
        pairs = select(Evaluation.pipeline_entry_id, Evaluation.qualification_id).where(
            Evaluation.project_id == project_id).group_by(Evaluation.pipeline_entry_id, Evaluation.qualification_id
                                                          ).having(func.count() > 1).subquery()
        repeated = conn.scalar(select(func.count()).select_from(pairs))
        judged = conn.scalar(select(func.count(func.distinct(Evaluation.pipeline_entry_id))).where(
            Evaluation.project_id == project_id))
        entries = conn.scalar(select(func.count()).select_from(PipelineEntry).where(
            PipelineEntry.project_id == project_id))
    return {"rows": rows or 0, "repeated": repeated or 0, "judged": judged or 0, "entries": entries or 0}


def run_side_effects(engine: Engine, run_id: int) -> dict[str, int]:
    with engine.connect() as conn:
        batches = conn.scalar(select(func.count()).select_from(RunBatch).where(RunBatch.run_id == run_id))
        notes = conn.scalar(select(func.count()).select_from(Notification).where(Notification.run_id == run_id))
    return {"batches": batches or 0, "notifications": notes or 0}
