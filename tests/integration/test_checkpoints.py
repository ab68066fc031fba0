"""A recruiter's thread survives a process restart, with the checkpoints on SQLite and on PostgreSQL.

Process 1 runs the supervisor (classical brain, a real SQLite system of record) until it waits for the
qualification approval and exits; process 2, a new interpreter, opens the same checkpointer, finds the
pending approval, approves it and runs the plan to the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from app.loader import load_records
from tools.generator import generate
from tools.records import store as pipeline
from tools.records.session import make_engine
from tools.records.store import ProjectStore

REPO = Path(__file__).resolve().parents[2]
REQUEST = "Senior backend engineer in Berlin, Python and Kubernetes, 5+ years"
CHECKPOINT_TABLES = ("checkpoint_writes", "checkpoint_blobs", "checkpoints", "checkpoint_migrations")

# One recruiter session: `start` sends the request, `resume THREAD` approves what the thread waits on.
CHILD = """
import asyncio, json, os, sys, uuid

from tools.records import store as pipeline
from app.agent import AgentRuntime
from app.services import engine_for
from app.settings import Settings
from graphs.brain import Brain
from graphs.context import Services
from tools.search.types import SearchHit, SearchPage

IDS = [int(i) for i in os.environ["TEST_PROFILE_IDS"].split(",")]


class FixedSearch:
    def search(self, request, organisation_id=None):
        hits = [SearchHit(profile_id=pid, rank=n, score=1 / n, full_name=None, headline="", current_title=None,
                          location=None, years_experience=None, kind="member")
                for n, pid in enumerate(IDS, 1)] if request.page == 1 else []
        return SearchPage(hits=hits, total=len(hits), page=request.page, page_size=request.page_size,
                          mode=request.mode, normalized_query=request.query, fusion="fixed")


async def main(step, thread=None):
    settings = Settings()
    engine = engine_for(settings.db_url)
    org, rec = pipeline.ensure_demo_recruiter(engine)
    services = Services(engine=engine, talent_search=FixedSearch(), brain=Brain())
    async with AgentRuntime(settings, services=services) as rt:
        ctx = rt.context(org, rec)
        out = {"pid": os.getpid()}
        if step == "start":
            thread = f"recruiter-{rec}:{uuid.uuid4().hex[:8]}"
            out["events"] = [e async for e in rt.send(thread, os.environ["TEST_REQUEST"], ctx)]
        else:
            out["pending"] = await rt.pending(thread)
            out["events"] = [e async for e in rt.resume(thread, {"action": "approve"}, ctx)]
            state = await rt.values(thread)
            out["messages"] = [[m.type, m.content] for m in state["messages"]]
            out["project_id"] = state.get("project_id")
            out["shortlist"] = [r.profile_id for r in state.get("shortlist") or []]
            out["after"] = await rt.pending(thread)
        out["thread"] = thread
    print(json.dumps(out, default=str))


asyncio.run(main(*sys.argv[1:]))
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def checkpoint_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'checkpoints.db'}"
        return
    url = request.getfixturevalue("pg_database")
    try:
        yield url
    finally:  # the run's database is shared with the schema tests, which expect only their own tables
        engine = make_engine(url)
        with engine.begin() as conn:
            for table in CHECKPOINT_TABLES:
                conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()


def child(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_pending_approval_survives_a_restart(checkpoint_url: str, sqlite_engine: Engine, tmp_path: Path) -> None:
    org, rec = pipeline.ensure_demo_recruiter(sqlite_engine)
    ids = load_records(sqlite_engine, list(generate(6, seed=5)), None).profile_ids
    env = {**os.environ, "HIRE_DATA_DIR": str(tmp_path), "HIRE_DATABASE_URL": str(sqlite_engine.url),
           "HIRE_CHECKPOINT_URL": checkpoint_url, "HIRE_AGENT_CALIBRATION_SIZE": "0",
           "TEST_PROFILE_IDS": ",".join(map(str, ids)), "TEST_REQUEST": REQUEST,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}

    first = child(env, "start")

    plans = [e for e in first["events"] if e["event"] == "plan"]
    assert [[s["agent"] for s in p["steps"]] for p in plans] == [["intake", "sourcing", "evaluation"]]
    (waiting,) = [e for e in first["events"] if e["event"] == "interrupt"]
    assert waiting["value"]["type"] == "approve_qualifications"
    proposed = [q["text"] for q in waiting["value"]["qualifications"]]
    assert proposed and first["events"][-1] == waiting
    assert ProjectStore(sqlite_engine, org).list_projects(rec) == []  # nothing stored before the approval
    saved = create_engine(checkpoint_url)
    with saved.connect() as conn:
        count = "SELECT count(*) FROM checkpoints WHERE thread_id = :thread"
        assert conn.scalar(text(count), {"thread": first["thread"]}) > 0  # the saver the URL names holds the thread
    saved.dispose()

    second = child(env, "resume", first["thread"])

    assert second["pid"] != first["pid"]
    assert second["pending"] == {"event": "interrupt", "value": waiting["value"], "id": waiting["id"]}
    assert second["after"] is None
    said = [e["text"] for e in second["events"] if e["event"] == "message"]
    assert said[0].startswith(f"Approved {len(proposed)} qualifications")
    assert said[1].startswith("Sourced 6 candidates")
    assert said[2].startswith("Evaluated 6 candidates qualification by qualification (classical)")
    assert not [e for e in second["events"] if e["event"] in ("interrupt", "error")]
    # the whole conversation, from both processes, is in the thread
    messages = second["messages"]
    assert messages[0] == ["human", REQUEST]
    assert messages[1][0] == "ai" and "Please review them." in messages[1][1]
    assert [m[1] for m in messages[-3:]] == said

    project = second["project_id"]
    (stored,) = ProjectStore(sqlite_engine, org).list_projects(rec)
    assert stored["id"] == project and stored["title"] == "Senior Backend Engineer"
    version, quals = ProjectStore(sqlite_engine, org).current_qualifications(project)
    assert version == 1 and [q.text for q in quals] == proposed
    shortlist = ProjectStore(sqlite_engine, org).shortlist(project, limit=10)
    assert sorted(row["profile_id"] for row in shortlist) == sorted(ids) == sorted(second["shortlist"])
