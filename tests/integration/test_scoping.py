"""Organisation scoping: a session of organisation A never reads or writes organisation B's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, aliased

from app.loader import ensure_organisation, load_records
from tools.records import ProfileRecord
from tools.records import models as m
from tools.records.session import ScopeViolation, org_session


def _setup(engine: Engine) -> dict[str, int]:
    a = ensure_organisation(engine, "a")
    b = ensure_organisation(engine, "b")
    ids: dict[str, int] = {"a": a, "b": b}
    ids["member"] = load_records(engine, [ProfileRecord(source="gen", raw_text="Network member, Go developer",
                                                        skills=[("Go", "stated")])], None).profile_ids[0]
    ids["a_app"] = load_records(engine, [ProfileRecord(source="import:a.txt", raw_text="A's applicant, Go")],
                                a).profile_ids[0]
    ids["b_app"] = load_records(engine, [ProfileRecord(source="import:b.txt", raw_text="B's applicant, Go")],
                                b).profile_ids[0]
    with Session(engine) as s, s.begin():
        for org in ("a", "b"):
            r = m.Recruiter(organisation_id=ids[org], email=f"{org}@x.test", name=org)
            s.add(r)
            s.flush()
            p = m.Project(organisation_id=ids[org], recruiter_id=r.id, title=f"{org} project")
            s.add(p)
            s.flush()
            s.add(m.PipelineEntry(organisation_id=ids[org], project_id=p.id, profile_id=ids[f"{org}_app"]))
            s.add(m.PipelineEntry(organisation_id=ids[org], project_id=p.id, profile_id=ids["member"]))
            ids[f"{org}_recruiter"], ids[f"{org}_project"] = r.id, p.id
    return ids


def test_reads_are_scoped(engine: Engine) -> None:
    ids = _setup(engine)
    with org_session(engine, ids["a"]) as s:
        visible = set(s.scalars(select(m.Profile.id)))
        assert visible == {ids["member"], ids["a_app"]}
        assert s.get(m.Profile, ids["b_app"]) is None
        assert s.scalar(select(func.count()).select_from(m.Profile)) == 2
        assert [p.title for p in s.scalars(select(m.Project))] == ["a project"]
        assert s.get(m.Project, ids["b_project"]) is None
        # joins and aliases are scoped too
        other = aliased(m.Profile)
        rows = s.execute(select(m.PipelineEntry.id, other.id).join(other, other.id == m.PipelineEntry.profile_id)).all()
        assert {r[1] for r in rows} == {ids["member"], ids["a_app"]}
        text_search = s.scalars(select(m.Profile.raw_text).where(m.Profile.raw_text.like("%applicant%"))).all()
        assert text_search == ["A's applicant, Go"]
    with org_session(engine, ids["b"]) as s:
        assert set(s.scalars(select(m.Profile.id))) == {ids["member"], ids["b_app"]}


def test_writes_across_organisations_are_refused(engine: Engine) -> None:
    ids = _setup(engine)
    with org_session(engine, ids["a"]) as s:
        s.add(m.Project(organisation_id=ids["b"], recruiter_id=ids["b_recruiter"], title="smuggled"))
        with pytest.raises(ScopeViolation):
            s.flush()
        s.rollback()
        # a row without an owner is given the session's organisation
        s.add(m.RecruiterAction(recruiter_id=ids["a_recruiter"], profile_id=ids["member"], action="shortlist"))
        s.commit()
        member = s.get(m.Profile, ids["member"])
        member.headline = "edited by A"
        with pytest.raises(ScopeViolation):
            s.flush()
        s.rollback()
        # ORM bulk UPDATE statements only touch the organisation's rows
        s.execute(update(m.Project).values(status="closed"))
        s.commit()
    with Session(engine) as s:
        statuses = dict(s.execute(select(m.Project.organisation_id, m.Project.status)).all())
        assert statuses == {ids["a"]: "closed", ids["b"]: "open"}
        action = s.scalars(select(m.RecruiterAction)).one()
        assert action.organisation_id == ids["a"]
