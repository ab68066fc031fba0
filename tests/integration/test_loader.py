"""Seeding and loading into the system of record: reproducible rows, batching, de-duplication."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.loader import seed_profiles
from app.settings import Settings
from tools.generator import generate
from tools.records import models as m


def _snapshot(engine: Engine) -> list[tuple]:
    with Session(engine) as s:
        rows = s.execute(
            select(m.Profile.content_hash, m.Profile.full_name, m.Profile.occupation_code, m.Profile.years_experience,
                   m.Profile.location, func.count(m.ProfileSkill.skill_id))
            .join(m.ProfileSkill, m.ProfileSkill.profile_id == m.Profile.id)
            .group_by(m.Profile.id).order_by(m.Profile.id)
        ).all()
    return [tuple(r) for r in rows]


def test_seed_is_identical_on_sqlite_and_postgresql(sqlite_engine: Engine, pg_engine: Engine) -> None:
    for engine in (sqlite_engine, pg_engine):
        stats = seed_profiles(engine, 2500, seed=3, workers=1, batch_chunks=1)
        assert (stats.inserted, stats.duplicates) == (2500, 0)
    lite, pg = _snapshot(sqlite_engine), _snapshot(pg_engine)
    assert len(lite) == 2500 and lite == pg
    # ids keep coming from the PostgreSQL sequence after the bulk load
    with Session(pg_engine) as s, s.begin():
        org = m.Organisation(slug="after", name="After")
        s.add(org)
        s.flush()
        p = m.Profile(kind="applicant", organisation_id=org.id, dedupe_scope=org.id, content_hash="new",
                      source="t", raw_text="new")
        s.add(p)
        s.flush()
        assert p.id == 2501


def test_worker_processes_do_not_change_the_rows(tmp_path) -> None:
    from tools.records.migrate import upgrade
    from tools.records.session import make_engine

    engines = []
    for workers in (1, 2):
        engine = make_engine(f"sqlite:///{tmp_path / f'w{workers}.db'}")
        upgrade(engine)
        seed_profiles(engine, 4200, seed=9, workers=workers, batch_chunks=2)
        engines.append(engine)
    assert _snapshot(engines[0]) == _snapshot(engines[1])


def test_reseeding_finds_duplicates_and_stores_the_ground_truth(engine: Engine) -> None:
    seed_profiles(engine, 1200, seed=4, workers=1)
    again = seed_profiles(engine, 1200, seed=4, workers=1)
    assert (again.inserted, again.duplicates) == (0, 1200)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Profile)) == 1200
        first = next(iter(generate(1, seed=4)))
        stored = s.scalars(select(m.Profile).order_by(m.Profile.id).limit(1)).one()
        assert stored.raw_text == first.raw_text
        assert stored.ground_truth["skills"] == first.ground_truth["skills"]
        assert [sk.skill.name for sk in stored.skills] and {sk.skill.name for sk in stored.skills} == set(
            first.ground_truth["skills"])
        assert [e.title for e in stored.experiences] == [e.title for e in first.experiences]
        assert stored.kind == "member" and stored.organisation_id is None


def test_settings_default_database_is_a_sqlite_file_under_var(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HIRE_DATA_DIR", str(tmp_path / "var"))
    assert Settings(_env_file=None).db_url.endswith("/var/hire.db")
