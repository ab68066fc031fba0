"""The schema on SQLite and PostgreSQL: migrations, constraints, append-only audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from tools.records import models as m
from tools.records.audit import audit, verify_audit_chain
from tools.records.migrate import current_revision, downgrade, head_revision, include_object, upgrade
from tools.records.session import org_session


def _org_with_project(session: Session, slug: str = "acme") -> tuple[m.Organisation, m.Recruiter, m.Project]:
    org = m.Organisation(slug=slug, name=slug.title())
    session.add(org)
    session.flush()
    recruiter = m.Recruiter(organisation_id=org.id, email=f"r@{slug}.test", name="Robin")
    session.add(recruiter)
    session.flush()
    project = m.Project(organisation_id=org.id, recruiter_id=recruiter.id, title="Backend engineer",
                        requirements={"title": "Backend engineer", "skills": ["Go"]})
    session.add(project)
    session.flush()
    return org, recruiter, project


def test_migrations_match_models_and_round_trip(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, m.Base.metadata) == []
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in m.Base.metadata.sorted_tables} <= tables
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_full_pipeline_round_trip(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        org, recruiter, project = _org_with_project(s)
        profile = m.Profile(kind="applicant", organisation_id=org.id, dedupe_scope=org.id, content_hash="h1",
                            source="import:cv.txt", raw_text="Go developer. Built Kubernetes operators.",
                            full_name="Ana Souza", headline="Go developer", years_experience=6.5,
                            ground_truth={"skills": ["Go"]})
        profile.experiences.append(m.ProfileExperience(title="Go developer", company="Nova Labs",
                                                       start_date=dt.date(2019, 1, 1), is_current=True))
        profile.educations.append(m.ProfileEducation(school="USP", degree="BSc", end_year=2018))
        s.add(profile)
        q = m.Qualification(organisation_id=org.id, project_id=project.id, text="5+ years of Go", kind="must",
                            weight=2.0, skills=["Go"], status="approved")
        s.add(q)
        s.flush()
        entry = m.PipelineEntry(organisation_id=org.id, project_id=project.id, profile_id=profile.id,
                                source_query="skill:Go", classical_score=0.8)
        s.add(entry)
        s.flush()
        ev = m.Evaluation(organisation_id=org.id, project_id=project.id, pipeline_entry_id=entry.id,
                          profile_id=profile.id, qualification_id=q.id, verdict="meets", reason="Go since 2019",
                          model_id="classical", latency_ms=0.4)
        ev.evidence.append(m.EvidenceSpan(organisation_id=org.id, source="profile", start=0, end=13,
                                          quote="Go developer."))
        s.add(ev)
        s.add(m.Message(organisation_id=org.id, profile_id=profile.id, project_id=project.id, direction="outbound",
                        channel="inmail", body="Hello", idempotency_key="proj1:cand1:first"))
        s.add(m.Approval(organisation_id=org.id, recruiter_id=recruiter.id, project_id=project.id,
                         kind="qualifications", subject_type="qualification_set", subject_id="1",
                         decision="approved"))
        s.add(m.RecruiterAction(organisation_id=org.id, recruiter_id=recruiter.id, project_id=project.id,
                                profile_id=profile.id, action="shortlist"))
        s.add(m.MailboxMessage(organisation_id=org.id, recruiter_id=recruiter.id, kind="chat", payload={"t": 1}))
    with Session(engine) as s:
        stored = s.scalars(select(m.Evaluation)).one()
        span = stored.evidence[0]
        profile = s.get(m.Profile, stored.profile_id)
        assert profile.raw_text[span.start:span.end] == span.quote
        assert profile.experiences[0].start_date == dt.date(2019, 1, 1)
        assert s.scalars(select(m.Project)).one().requirements["skills"] == ["Go"]
        assert s.scalars(select(m.Message)).one().status == "draft"


def test_constraints_reject_bad_rows(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        org, _, project = _org_with_project(s)
        profile = m.Profile(kind="member", content_hash="x", source="t", raw_text="text")
        s.add(profile)
        s.flush()
        ids = (org.id, project.id, profile.id)
    cases = [
        # the same idempotency key twice: a message can be sent only once
        [m.Message(organisation_id=ids[0], profile_id=ids[2], direction="outbound", channel="email", body="a",
                   idempotency_key="k"),
         m.Message(organisation_id=ids[0], profile_id=ids[2], direction="outbound", channel="email", body="b",
                   idempotency_key="k")],
        # an unknown verdict
        [m.Qualification(organisation_id=ids[0], project_id=ids[1], text="q", status="maybe")],
        # an applicant without an organisation
        [m.Profile(kind="applicant", content_hash="y", source="t", raw_text="t")],
        # the same member profile twice
        [m.Profile(kind="member", content_hash="x", source="t", raw_text="text")],
    ]
    for rows in cases:
        with Session(engine) as s, pytest.raises(IntegrityError), s.begin():
            s.add_all(rows)
            s.flush()


def test_audit_log_is_append_only_and_chained(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        org, recruiter, _ = _org_with_project(s)
        org_id, recruiter_id = org.id, recruiter.id
    with org_session(engine, org_id) as s, s.begin():
        audit(s, org_id, "recruiter", str(recruiter_id), "qualifications.approved", "project", "1", count=4)
        audit(s, org_id, "agent", None, "message.sent", "message", "7")
    with Session(engine) as s:
        assert verify_audit_chain(s, org_id)
        first = s.scalars(select(m.AuditLog).order_by(m.AuditLog.id)).first()
        first.action = "something else"
        with pytest.raises(PermissionError):
            s.flush()
        s.rollback()
    for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    with Session(engine) as s:
        assert s.scalar(select(m.AuditLog.action).order_by(m.AuditLog.id)) == "qualifications.approved"
        assert verify_audit_chain(s, org_id)
