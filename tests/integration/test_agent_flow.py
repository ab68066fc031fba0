"""The agent end to end with the classical brain (no LLM configured) on the embedded default: a SQLite system of
record, the in-process vector index and SQLite checkpoints, all under one data folder, driven through
:class:`~app.agent.AgentRuntime` the way the terminal and the UI drive it."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from app.agent import AgentRuntime
from app.loader import ensure_organisation, load_records, seed_profiles
from app.services import engine_for
from app.settings import Settings, get_settings
from tools.records import ExperienceRecord, ProfileRecord
from tools.records import models as m
from tools.records.audit import verify_audit_chain
from tools.records.migrate import upgrade
from tools.records.session import org_scope
from tools.records.store import ProjectStore, ensure_demo_recruiter

ROLE = "Senior backend engineer in Berlin, Go and Kubernetes, 5+ years"
NO_LLM = {f"{role}base_url": "" for role in ("llm_", "planner_", "evaluator_", "writer_")}


def _person(name: str, title: str, skills: list[str], location: str, country: str, years: float,
            extra: str = "", company: str = "Nova Labs") -> ProfileRecord:
    raw = (f"{name}\n{title} at {company}\n{location}\n\nSummary\n{title} with {years:g} years of experience. {extra}"
           f"\n\nExperience\n{title} at {company}\nJan 2018 - Present\n{extra}\n\nSkills\n{', '.join(skills)}\n")
    return ProfileRecord(
        source="import:test", raw_text=raw, full_name=name, headline=f"{title} at {company}",
        summary=f"{title} with {years:g} years of experience. {extra}", current_title=title,
        current_company=company, years_experience=years, seniority="senior" if years >= 5 else "mid",
        location=location, country=country, open_to_work=True, updated_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        experiences=[ExperienceRecord(title, company, dt.date(2018, 1, 1), None, True, extra)],
        skills=[(s, "stated") for s in skills],
    )


APPLICANTS = [
    _person("Lena Hartmann", "Senior Backend Engineer", ["Go", "Kubernetes", "Docker", "PostgreSQL"],
            "Berlin, Germany", "DE", 8, "Built Go services on Kubernetes for a payments platform."),
    _person("Jonas Albrecht", "Backend Engineer", ["Go", "Kubernetes", "Linux"], "Berlin, Germany", "DE", 6,
            "Runs Go microservices on Kubernetes clusters."),
    _person("Mia Kowalski", "Backend Developer", ["Go", "Docker"], "Berlin, Germany", "DE", 3,
            "Writes Go APIs."),
    _person("Sam Carter", "Registered Nurse", ["Patient care", "Epic Systems"], "Austin, TX, United States", "US",
            9, "Emergency department nurse."),
]


@dataclass
class World:
    data_dir: Path
    settings: Settings
    engine: Engine
    org_id: int
    recruiter_id: int
    applicants: list[int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from app.services import embedder
    from tools.search.indexer import embed_pending
    from tools.search.vectors import VectorIndex

    data_dir = tmp_path_factory.mktemp("agent-data")
    settings = Settings(data_dir=data_dir, database_url="", checkpoint_url="", chroma_url="", **NO_LLM)
    assert settings.db_url == f"sqlite:///{data_dir / 'hire.db'}"
    engine = engine_for(settings.db_url)
    upgrade(engine)
    org_id = ensure_organisation(engine, "demo", "Demo Organisation")
    seed_profiles(engine, 800, seed=41, workers=1)
    seed_profiles(engine, 800, seed=42, occupations=("15-",), workers=1)
    applicants = load_records(engine, APPLICANTS, org_id).profile_ids
    stats = embed_pending(engine, VectorIndex.open(data_dir / "vectors"),
                         embedder(settings.embedding_model_path), mode="auto", batch=1000)
    assert stats.embedded == 1600 + len(APPLICANTS)
    org, recruiter = ensure_demo_recruiter(engine)
    assert org == org_id
    return World(data_dir, settings, engine, org_id, recruiter, applicants)


# ---- driving the graph --------------------------------------------------------------------------------------

Answer = Any  # a resume value, or a function of the interrupt's value that returns one


@dataclass
class Run:
    events: list[dict[str, Any]] = field(default_factory=list)
    interrupts: list[dict[str, Any]] = field(default_factory=list)  # every interrupt value, in order
    waiting: dict[str, Any] | None = None  # the interrupt left unanswered when the script ran out

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == kind]

    def messages(self, agent: str | None = None) -> list[str]:
        return [e["text"] for e in self.of("message") if agent is None or e["agent"] == agent]


async def play(rt: AgentRuntime, thread: str, ctx: Any, stream: AsyncIterator[dict[str, Any]],
               answers: list[Answer], on_interrupt: Callable[[dict[str, Any]], None] | None = None) -> Run:
    """Read ``stream`` and answer each interrupt with the next scripted answer; stop when the graph rests or the
    script runs out (the thread then waits on ``run.waiting``)."""
    run = Run()
    script = list(answers)
    while True:
        pending = None
        async for event in stream:
            run.events.append(event)
            if event["event"] == "interrupt":
                pending = event
        if pending is None:
            return run
        value = pending["value"]
        run.interrupts.append(value)
        if on_interrupt:
            on_interrupt(value)
        if not script:
            run.waiting = value
            return run
        answer = script.pop(0)
        stream = rt.resume(thread, answer(value) if callable(answer) else answer, ctx)


async def drive(rt: AgentRuntime, thread: str, ctx: Any, text: str, answers: list[Answer]) -> Run:
    """A recruiter's message, with its interrupts answered from ``answers``."""
    return await play(rt, thread, ctx, rt.send(thread, text, ctx), answers)


def _thread() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def _count(engine: Engine, model: type, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _raw_texts(engine: Engine, ids: list[int]) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(m.Profile.id, m.Profile.raw_text).where(m.Profile.id.in_(ids))).all())


def _rank_points(row: Any) -> float:
    """Must-haves met as the evaluation ranks them: a partly met must-have counts half."""
    return sum({"meets": 1.0, "partly": 0.5}.get(v.verdict, 0.0) for v in row.verdicts if v.kind == "must")


def _approve(value: dict[str, Any]) -> dict[str, Any]:
    assert value["type"] == "approve_qualifications", value
    return {"action": "approve"}


def _rate(value: dict[str, Any]) -> dict[str, Any]:
    """Good when a card shows Go or Kubernetes, bad otherwise."""
    assert value["type"] == "calibrate", value
    ratings = {str(c["profile_id"]): "good" if {"Go", "Kubernetes"} & set(c["skills"]) else "bad"
               for c in value["candidates"]}
    return {"ratings": ratings}


# ---- 1. the whole flow ---------------------------------------------------------------------------------------


async def test_role_to_evidence_backed_shortlist(world: World) -> None:
    engine = world.engine
    thread = _thread()
    entries_before = _count(engine, m.PipelineEntry)
    projects_before = _count(engine, m.Project)
    async with AgentRuntime(world.settings) as rt:
        assert rt.services.brain.describe() == "planner: classical, evaluator: classical, writer: classical"
        ctx = rt.context(world.org_id, world.recruiter_id)
        first = await drive(rt, thread, ctx, ROLE, [])

        plan = first.of("plan")[0]
        assert [s["agent"] for s in plan["steps"]] == ["intake", "sourcing", "evaluation"]
        approval = first.waiting
        assert approval is not None and approval["type"] == "approve_qualifications"
        quals = approval["qualifications"]
        assert len(quals) == 5 and all(q["policy"]["status"] == "ok" for q in quals)
        musts = [q for q in quals if q["kind"] == "must"]
        assert {"Go", "Kubernetes"} <= {s for q in musts for s in q["skills"]}
        assert any(q["years_min"] == 5 for q in musts) and any(q["location"] == "Berlin, Germany" for q in musts)
        assert approval["requirements"]["must_skills"] == ["Go", "Kubernetes"]
        assert any("Proposed 5 qualifications" in t for t in first.messages("intake"))

        # the thread waits for the recruiter: nothing is stored, nothing sourced
        assert (await rt.pending(thread))["value"]["type"] == "approve_qualifications"
        assert _count(engine, m.PipelineEntry) == entries_before
        assert _count(engine, m.Project) == projects_before
        assert not (await rt.values(thread)).get("approved")

        entries_at_calibration: list[int] = []

        def watch(value: dict[str, Any]) -> None:
            if value["type"] == "calibrate":
                entries_at_calibration.append(_count(engine, m.PipelineEntry))

        rest = await play(rt, thread, ctx, rt.resume(thread, {"action": "approve"}, ctx), [_rate], watch)
        values = await rt.values(thread)

    # calibration: up to ten varied candidates, asked after approval and before anything is pooled
    [calibration] = [v for v in rest.interrupts if v["type"] == "calibrate"]
    cards = calibration["candidates"]
    assert 2 <= len(cards) <= 10
    assert len({c["profile_id"] for c in cards}) == len(cards)
    assert len({(c["title"], c["location"]) for c in cards}) >= min(len(cards), 3)
    assert entries_at_calibration == [entries_before]
    rated = _rate(calibration)["ratings"]
    assert values["calibration"] == {int(k): v for k, v in rated.items()}
    assert any(t.startswith("Thanks:") for t in rest.messages("sourcing"))

    assert any("Approved 5 qualifications (5 must-haves), version 1" in t for t in rest.messages("intake"))
    sourced = [t for t in rest.messages("sourcing") if t.startswith("Sourced ")]
    assert sourced and int(re.match(r"Sourced (\d+)", sourced[0]).group(1)) == len(values["pool"]) > 0
    assert any(t.startswith("Evaluated ") for t in rest.messages("evaluation"))
    done = [(e["agent"], e["status"]) for e in rest.of("step") if e["status"] != "running"]
    assert done == [("intake", "done"), ("sourcing", "done"), ("evaluation", "done")]

    # the shortlist: ranked by must-haves met, every quote verbatim from the stored profile
    rows = values["shortlist"]
    assert len(rows) == min(ctx.top_k, len(values["pool"]))
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    points = [_rank_points(r) for r in rows]
    assert points == sorted(points, reverse=True)
    assert all(r.musts_total == 5 and len(r.verdicts) == 5 for r in rows)
    top = rows[0]
    assert top.musts_met == top.musts_total and top.profile_id in world.applicants[:2]
    assert {r.profile_id for r in rows[:2]} == set(world.applicants[:2])
    assert all(r.query for r in rows)

    texts = _raw_texts(engine, [r.profile_id for r in rows])
    quotes = 0
    for r in rows:
        for v in r.verdicts:
            for ev in v.evidence:
                assert ev.source == "profile"
                assert texts[r.profile_id][ev.start:ev.end] == ev.quote, (r.name, v.text, ev)
                quotes += 1
    assert quotes >= len(rows)

    project_id = values["project_id"]
    evaluations = _count(engine, m.Evaluation, m.Evaluation.project_id == project_id)
    assert evaluations == 5 * len(rows)
    with engine.connect() as conn:
        spans = conn.execute(
            select(m.EvidenceSpan.start, m.EvidenceSpan.end, m.EvidenceSpan.quote, m.Profile.raw_text)
            .join(m.Evaluation, m.Evaluation.id == m.EvidenceSpan.evaluation_id)
            .join(m.Profile, m.Profile.id == m.Evaluation.profile_id)
            .where(m.Evaluation.project_id == project_id)).all()
        entries = conn.execute(select(m.PipelineEntry.profile_id, m.PipelineEntry.source_query, m.PipelineEntry.rank)
                               .where(m.PipelineEntry.project_id == project_id)).all()
    assert len(spans) == quotes
    assert all(raw[start:end] == quote for start, end, quote, raw in spans)
    assert {e.profile_id for e in entries} == {ref.profile_id for ref in values["pool"]}
    assert all(e.source_query for e in entries)
    assert sorted(e.rank for e in entries if e.rank is not None) == list(range(1, len(rows) + 1))

    # every decision is in the organisation's append-only, hash-chained audit log
    with engine.connect() as conn:
        logged = conn.execute(select(m.AuditLog.actor_type, m.AuditLog.action, m.AuditLog.detail)
                              .where(m.AuditLog.organisation_id == world.org_id,
                                     m.AuditLog.subject_id == str(project_id))).all()
    actions = [a.action for a in logged]
    assert {"qualifications.approved", "sourcing.pool", "evaluation.shortlist"} <= set(actions)
    shortlist_entry = next(a for a in logged if a.action == "evaluation.shortlist")
    assert shortlist_entry.actor_type == "agent" and shortlist_entry.detail["ranked"] == [r.profile_id for r in rows]
    with org_scope(engine, world.org_id) as session:
        assert verify_audit_chain(session, world.org_id)


# ---- 2. editing at approval -------------------------------------------------------------------------------


async def test_edits_at_approval_and_the_policy_block(world: World) -> None:
    thread = _thread()

    def edit(value: dict[str, Any]) -> dict[str, Any]:
        quals = value["qualifications"]
        assert quals[0]["titles"] and quals[-1]["location"] == "Berlin, Germany"
        kept = [*quals[1:-1], {**quals[-1], "kind": "nice"}]  # drop the title one, location becomes nice
        return {"action": "approve", "qualifications": [*kept, "Experience with Docker", "must be male"]}

    def without_blocked(value: dict[str, Any]) -> dict[str, Any]:
        return {"action": "approve",
                "qualifications": [q for q in value["qualifications"] if q["policy"]["status"] != "blocked"]}

    async with AgentRuntime(world.settings) as rt:
        ctx = rt.context(world.org_id, world.recruiter_id)
        run = await drive(rt, thread, ctx, ROLE, [edit, without_blocked])
        values = await rt.values(thread)

    first, again, calibration = run.interrupts
    assert first["type"] == again["type"] == "approve_qualifications"
    blocked = [q for q in again["qualifications"] if q["policy"]["status"] == "blocked"]
    assert [q["text"] for q in blocked] == ["must be male"]
    assert "sex" in blocked[0]["policy"]["explanation"].lower()
    notes = [t for t in run.messages("intake") if t.startswith("Blocked by the policy check")]
    assert len(notes) == 1 and "“must be male”" in notes[0] and blocked[0]["policy"]["explanation"] in notes[0]
    assert calibration["type"] == "calibrate" and run.waiting is calibration  # sourcing starts only now

    version, stored = ProjectStore(world.engine, world.org_id).current_qualifications(values["project_id"])
    assert version >= 1
    texts = [q.text for q in stored]
    assert texts == [q["text"] for q in first["qualifications"][1:]] + ["Experience with Docker"]
    by_text = {q.text: q for q in stored}
    assert by_text["Based in or able to work from Berlin, Germany"].kind == "nice"
    docker = by_text["Experience with Docker"]
    assert docker.skills == ["Docker"] and docker.kind == "must"
    assert all(q.policy.status != "blocked" for q in stored)
    with world.engine.connect() as conn:
        rows = conn.execute(select(m.Qualification.text, m.Qualification.status, m.Qualification.approved_by)
                            .where(m.Qualification.project_id == values["project_id"])).all()
    assert sorted(r.text for r in rows) == sorted(texts)
    assert {(r.status, r.approved_by) for r in rows} == {("approved", world.recruiter_id)}
    assert not any("male" in r.text for r in rows)
    assert _count(world.engine, m.PipelineEntry, m.PipelineEntry.project_id == values["project_id"]) == 0


# ---- 3. cancel ---------------------------------------------------------------------------------------------


async def test_cancel_at_approval_sources_nothing(world: World) -> None:
    thread = _thread()
    entries_before = _count(world.engine, m.PipelineEntry)
    projects_before = _count(world.engine, m.Project)
    async with AgentRuntime(world.settings) as rt:
        ctx = rt.context(world.org_id, world.recruiter_id)
        run = await drive(rt, thread, ctx, ROLE, [{"action": "cancel"}])
        values = await rt.values(thread)
        assert await rt.pending(thread) is None

    assert [v["type"] for v in run.interrupts] == ["approve_qualifications"]
    assert "Understood: nothing will be sourced for this role." in run.messages("intake")
    assert any("Nothing was sourced" in t for t in run.messages("supervisor"))
    assert [e["agent"] for e in run.of("step") if e["status"] == "running"] == ["intake"]
    assert not values.get("approved") and not values.get("project_id") and not values.get("pool")
    assert _count(world.engine, m.PipelineEntry) == entries_before
    assert _count(world.engine, m.Project) == projects_before


# ---- 4. a vague request --------------------------------------------------------------------------------------


async def test_vague_request_asks_then_drafts(world: World) -> None:
    thread = _thread()
    async with AgentRuntime(world.settings) as rt:
        ctx = rt.context(world.org_id, world.recruiter_id)
        run = await drive(rt, thread, ctx, "I need someone great", ["a registered nurse in Austin"])
        values = await rt.values(thread)

    clarify, approval = run.interrupts
    assert clarify["type"] == "clarify"
    assert clarify["questions"] and all(q.strip().endswith("?") for q in clarify["questions"])
    assert approval["type"] == "approve_qualifications" and run.waiting is approval
    req = approval["requirements"]
    assert req["occupation"] == "Registered Nurses" and req["location"].startswith("Austin")
    quals = approval["qualifications"]
    assert any("Registered Nurse" in q["titles"] for q in quals if q["kind"] == "must")
    assert any((q["location"] or "").startswith("Austin") or "Austin" in q["text"] for q in quals)
    assert not values.get("approved") and not values.get("project_id")  # the top level waits on intake
    assert _count(world.engine, m.Project, m.Project.title.like("%Nurse%")) == 0  # not approved yet


# ---- 5 and 6. follow-ups on a finished thread ----------------------------------------------------------------


@pytest.fixture(scope="module")
def ranked_thread(world: World) -> str:
    """A thread that went through the whole flow once (approved, calibration skipped)."""
    thread = _thread()

    async def go() -> None:
        async with AgentRuntime(world.settings) as rt:
            ctx = rt.context(world.org_id, world.recruiter_id, calibration_size=0)
            run = await drive(rt, thread, ctx, ROLE, [_approve])
            assert run.waiting is None and [v["type"] for v in run.interrupts] == ["approve_qualifications"]
            assert len((await rt.values(thread))["shortlist"]) >= 3

    asyncio.run(go())
    return thread


async def test_follow_ups_explain_loosen_and_insights(world: World, ranked_thread: str) -> None:
    thread = ranked_thread
    async with AgentRuntime(world.settings) as rt:
        ctx = rt.context(world.org_id, world.recruiter_id, calibration_size=0)
        before = await rt.values(thread)
        project_id = before["project_id"]
        version_before, _ = ProjectStore(world.engine, world.org_id).current_qualifications(project_id)
        third = before["shortlist"][2]

        explained = await drive(rt, thread, ctx, f"why is candidate {third.name} ranked low?", [])
        assert [s["agent"] for s in explained.of("plan")[0]["steps"]] == ["explain"]
        [text] = explained.messages("explain")
        assert text.startswith(f"{third.name} (#{third.profile_id}) is ranked 3 of {len(before['shortlist'])}")
        assert f"meets {third.musts_met} of {third.musts_total} must-haves" in text
        for v in third.verdicts:
            assert f"[{v.kind}] {v.text}: {v.verdict.replace('_', ' ')}." in text

        loosened = await drive(rt, thread, ctx, "loosen the Kubernetes requirement", [_approve])
        assert [s["agent"] for s in loosened.of("plan")[0]["steps"]] == ["revise", "evaluation"]
        [proposal] = loosened.interrupts
        assert proposal["type"] == "approve_qualifications"
        kube = [q for q in proposal["qualifications"] if "Kubernetes" in q["skills"]]
        assert len(kube) == 1 and kube[0]["kind"] == "nice"
        assert proposal["changes"] == ["“Hands-on experience with Kubernetes” is now nice to have"]
        assert all(q["kind"] == "must" for q in proposal["qualifications"] if q not in kube)
        assert any(t.startswith("Evaluated ") for t in loosened.messages("evaluation"))
        after = await rt.values(thread)

        insights = await drive(rt, thread, ctx, "show me the talent pool in Austin", [])

    version, stored = ProjectStore(world.engine, world.org_id).current_qualifications(project_id)
    assert version == version_before + 1 == after["qualification_version"]
    assert [q.kind for q in stored if "Kubernetes" in q.skills] == ["nice"]
    assert any(f"(version {version})" in t for t in loosened.messages("revise"))
    kube_id = next(q.id for q in stored if "Kubernetes" in q.skills)
    rows = after["shortlist"]
    assert rows and all(r.musts_total == 4 for r in rows)
    assert all(any(v.qualification_id == kube_id and v.kind == "nice" for v in r.verdicts) for r in rows)
    assert _count(world.engine, m.Evaluation, m.Evaluation.qualification_id == kube_id) == len(rows)

    [event] = insights.of("insights")
    assert event["figures"] and all(json.loads(fig)["data"] is not None for fig in event["figures"].values())
    size = event["insights"]["size"]
    assert size > 0
    [text] = insights.messages("insights")
    assert re.match(rf"Talent pool in Austin[^\n]*: {size} people\.", text), text


async def test_unknown_candidate_lists_the_known_ones(world: World, ranked_thread: str) -> None:
    async with AgentRuntime(world.settings) as rt:
        ctx = rt.context(world.org_id, world.recruiter_id)
        shortlist = (await rt.values(ranked_thread))["shortlist"]
        run = await drive(rt, ranked_thread, ctx, "why is candidate Zyx Qwerty ranked low?", [])
        assert await rt.pending(ranked_thread) is None

    assert run.interrupts == [] and not run.of("error")
    [text] = run.messages("explain")
    assert text.startswith("I could not find “Zyx Qwerty” in the shortlist. Candidates: ")
    for row in shortlist[:8]:
        assert f"{row.name} (#{row.profile_id})" in text
    assert [(e["agent"], e["status"]) for e in run.of("step") if e["status"] != "running"] == [("explain", "failed")]


# ---- 7. the command line -----------------------------------------------------------------------------------


def test_cli_demo_prints_the_shortlist_with_quotes(world: World) -> None:
    from app.cli import app

    env = {"HIRE_DATA_DIR": str(world.data_dir), "HIRE_DATABASE_URL": None, "HIRE_CHECKPOINT_URL": None,
           "HIRE_CHROMA_URL": None, "COLUMNS": "160",
           **{f"HIRE_{k.upper()}": None for k in NO_LLM}}
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["demo", ROLE, "--yes", "--top-k", "10"], env=env)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Plan:" in out and "Approved (--yes)." in out
    assert "Shortlist" in out and "“" in out
    assert "brain: planner: classical, evaluator: classical, writer: classical" in out
    assert re.search(r"1\. \S.* must-haves", out)


def test_cli_chat_keeps_the_conversation_between_runs(world: World) -> None:
    """`hire chat --thread T`: a role in one run; in the next run, the same thread still has its shortlist and
    answers a follow-up about it."""
    from app.cli import app

    env = {"HIRE_DATA_DIR": str(world.data_dir), "HIRE_DATABASE_URL": None, "HIRE_CHECKPOINT_URL": None,
           "HIRE_CHROMA_URL": None, "COLUMNS": "160", "HIRE_AGENT_CALIBRATION_SIZE": "0",
           **{f"HIRE_{k.upper()}": None for k in NO_LLM}}
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(app, ["chat", "--thread", "cli-chat", "--yes"], env=env,
                                   input=f"{ROLE}\n/quit\n")
        second = CliRunner().invoke(app, ["chat", "--thread", "cli-chat"], env=env,
                                    input="/shortlist\nwhy is candidate 1 ranked low?\n/quit\n")
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert "Approved (--yes)." in first.output and "Evaluated" in first.output
    assert second.exit_code == 0, second.output
    assert "Shortlist" in second.output and "“" in second.output  # restored from the checkpointed thread
    assert re.search(r"is ranked 1 of \d+", second.output)
