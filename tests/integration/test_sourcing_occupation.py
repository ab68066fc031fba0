"""Sourcing stays within the role's occupation on a seeded pool: the shortlist's occupation precision, a
calibration batch varied within the occupation family, and a remote role within a country that never sources
anyone outside it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from app.agent import AgentRuntime
from app.loader import ensure_organisation, load_records, seed_profiles
from app.services import engine_for
from app.settings import Settings
from tools.records import ExperienceRecord, ProfileRecord
from tools.records import models as m
from tools.records.migrate import upgrade
from tools.records.store import ensure_demo_recruiter

NO_LLM = {f"{role}base_url": "" for role in ("llm_", "planner_", "evaluator_", "writer_")}
ACCOUNTANT = "Junior accountant in Chicago, QuickBooks and Excel"
ACCOUNTANTS = "13-201"  # the SOC broad occupation of accountants and auditors
REMOTE_US = "Remote Python developer, US only"


def _person(name: str, title: str, skills: list[str], location: str, country: str) -> ProfileRecord:
    raw = (f"{name}\n{title} at Nova Labs\n{location}\n\nSummary\n{title} with 8 years of experience.\n\n"
           f"Experience\n{title} at Nova Labs\nJan 2017 - Present\n\nSkills\n{', '.join(skills)}\n")
    return ProfileRecord(
        source="import:test", raw_text=raw, full_name=name, headline=f"{title} at Nova Labs",
        summary=f"{title} with 8 years of experience.", current_title=title, current_company="Nova Labs",
        years_experience=8, seniority="senior", location=location, country=country, open_to_work=True,
        updated_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        experiences=[ExperienceRecord(title, "Nova Labs", dt.date(2017, 1, 1), None, True)],
        skills=[(s, "stated") for s in skills])


# the best Python developer of the pool lives in Zürich: a remote role within the US must not source her
ZURICH = _person("Anna Keller", "Senior Python Developer", ["Python", "Django", "PostgreSQL", "Docker"],
                 "Zürich, Switzerland", "CH")


@dataclass
class Pool:
    settings: Settings
    engine: Engine
    org_id: int
    recruiter_id: int
    zurich: int


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Pool:
    from app.services import embedder
    from tools.search.indexer import embed_pending
    from tools.search.vectors import VectorIndex

    data_dir: Path = tmp_path_factory.mktemp("occupation-data")
    settings = Settings(data_dir=data_dir, database_url="", checkpoint_url="", chroma_url="", **NO_LLM)
    engine = engine_for(settings.db_url)
    upgrade(engine)
    org_id = ensure_organisation(engine, "demo", "Demo Organisation")
    seed_profiles(engine, 700, seed=19, workers=1)  # every occupation, by US employment
    seed_profiles(engine, 300, seed=20, occupations=("13-", "43-3"), workers=1)  # business, finance, bookkeeping
    seed_profiles(engine, 200, seed=21, occupations=("15-",), workers=1)
    [zurich] = load_records(engine, [ZURICH], org_id).profile_ids
    embed_pending(engine, VectorIndex.open(data_dir / "vectors"), embedder(settings.embedding_model_path),
                  mode="auto", batch=1000)
    org, recruiter = ensure_demo_recruiter(engine)
    return Pool(settings, engine, org, recruiter, zurich)


def _occupations(engine: Engine, ids: list[int]) -> dict[int, str | None]:
    with engine.connect() as conn:
        return dict(conn.execute(select(m.Profile.id, m.Profile.occupation_code).where(m.Profile.id.in_(ids))).all())


def _rate_first_half_good(value: dict[str, Any]) -> dict[str, Any]:
    cards = value["candidates"]
    return {"ratings": {str(c["profile_id"]): "good" if i < len(cards) // 2 else "bad" for i, c in enumerate(cards)}}


async def _run(p: Pool, text: str, *, calibrate: bool) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The recruiter's request with the qualifications approved (and the calibration batch rated): every
    calibration batch offered, and the thread's values at the end."""
    batches: list[dict[str, Any]] = []
    thread = f"test-{uuid.uuid4().hex[:10]}"
    async with AgentRuntime(p.settings) as rt:
        ctx = rt.context(p.org_id, p.recruiter_id, **({} if calibrate else {"calibration_size": 0}))
        stream = rt.send(thread, text, ctx)
        while True:
            pending = None
            async for event in stream:
                if event["event"] == "interrupt":
                    pending = event["value"]
            if pending is None:
                break
            if pending["type"] == "calibrate":
                batches.append(pending)
                stream = rt.resume(thread, _rate_first_half_good(pending), ctx)
            else:
                assert pending["type"] == "approve_qualifications", pending
                stream = rt.resume(thread, {"action": "approve"}, ctx)
        return batches, await rt.values(thread)


def _in_family_count(engine: Engine, group: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(m.Profile)
                               .where(func.substr(m.Profile.occupation_code, 1, 6) == group)) or 0)


async def test_the_accountant_shortlist_and_calibration_stay_within_the_occupation(pool: Pool) -> None:
    assert _in_family_count(pool.engine, ACCOUNTANTS) >= 10  # enough accountants for a full top 10

    batches, values = await _run(pool, ACCOUNTANT, calibrate=True)

    # the calibration batch: varied, but every card an accountant or auditor
    [batch] = batches
    cards = batch["candidates"]
    assert len(cards) >= 5
    codes = _occupations(pool.engine, [c["profile_id"] for c in cards])
    assert all((codes[c["profile_id"]] or "").startswith(ACCOUNTANTS) for c in cards), [c["title"] for c in cards]
    assert len({c["title"] for c in cards}) >= 3

    # the shortlist: at least 9 of the top 10 are accountants or auditors
    rows = values["shortlist"]
    top = rows[:10]
    codes = _occupations(pool.engine, [r.profile_id for r in top])
    inside = [(codes[r.profile_id] or "").startswith(ACCOUNTANTS) for r in top]
    assert len(top) == 10 and sum(inside) >= 9, [(r.title, codes[r.profile_id]) for r in top]
    # whoever is outside the occupation and above someone in it carries a reason the recruiter reads
    for i, r in enumerate(top):
        if not inside[i] and any(inside[i + 1:]):
            assert any("Outside the role's occupation" in w for w in r.warnings), r
    # every query the sourcing ran was anchored on titles, and the recruiter is told which
    assert values["queries"] and all("title:" in q["query"] for q in values["queries"])
    said = [str(msg.content) for msg in values["messages"] if str(msg.content).startswith("Sourced ")]
    assert said and "Every query kept to the titles of Accountants and Auditors (SOC 13-2010)." in said[-1]


async def test_a_remote_role_within_the_us_sources_nobody_outside_it(pool: Pool) -> None:
    _batches, values = await _run(pool, REMOTE_US, calibrate=False)

    pooled = [ref.profile_id for ref in values["pool"]]
    assert pooled and pool.zurich not in pooled
    with pool.engine.connect() as conn:
        countries = set(conn.scalars(select(m.Profile.country).where(m.Profile.id.in_(pooled))))
    assert countries == {"US"}
    assert all(r.location and r.location.endswith("United States") for r in values["shortlist"])
    # software developers and their siblings fill the top of the shortlist
    codes = _occupations(pool.engine, [r.profile_id for r in values["shortlist"][:10]])
    assert sum((c or "").startswith("15-125") for c in codes.values()) >= 9
