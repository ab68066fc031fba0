"""The system of record, identical on SQLite (embedded) and PostgreSQL (at scale).

Every row an organisation owns carries ``organisation_id`` and derives from :class:`OrgOwned`; sessions
opened with :func:`tools.records.session.org_session` can only read and write that organisation's rows.
Profiles are the exception that proves the rule: network members (``organisation_id`` NULL) are visible to
everyone, applicants only to the organisation they applied to.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Big integer ids on PostgreSQL; SQLite only auto-increments INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")
JsonType = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JsonType, list[Any]: JsonType, dt.datetime: DateTime(timezone=True)}


class OrgOwned:
    """Mixin for rows owned by one organisation; session scoping filters on ``organisation_id``."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)


class ProfileKind(StrEnum):
    MEMBER = "member"  # a network member, visible to every organisation
    APPLICANT = "applicant"  # private to the organisation that received the application


class QualificationKind(StrEnum):
    MUST = "must"
    NICE = "nice"


class ApprovalState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class Verdict(StrEnum):
    MEETS = "meets"
    PARTLY = "partly"
    DOES_NOT = "does_not"
    NO_EVIDENCE = "no_evidence"


class MessageStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"
    FAILED = "failed"
    RECEIVED = "received"


class MailboxStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"


def _enum_check(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Recruiter(OrgOwned, Base):
    __tablename__ = "recruiters"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    autonomy: Mapped[str] = mapped_column(String(32), default="review_all")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Skill(Base):
    """The normalised skill vocabulary (canonical O*NET names plus extras); shared by all organisations."""

    __tablename__ = "skills"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # technology | basic | extra
    hot: Mapped[bool] = mapped_column(default=False)


class Profile(Base):
    __tablename__ = "profiles"
    __table_args__ = (
        UniqueConstraint("dedupe_scope", "content_hash"),
        _enum_check("kind", ProfileKind),
        CheckConstraint(
            "(kind = 'member' AND organisation_id IS NULL) OR (kind = 'applicant' AND organisation_id IS NOT NULL)",
            name="owner_matches_kind",
        ),
        Index("ix_profiles_occupation_metro", "occupation_code", "metro_code"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=ProfileKind.MEMBER.value)
    # 0 for network members, the organisation id for applicants: duplicates are found within one scope.
    dedupe_scope: Mapped[int] = mapped_column(BigId, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(200))  # generated:<seed> | import:<file name>
    external_id: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str | None] = mapped_column(String(200))
    headline: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    current_title: Mapped[str | None] = mapped_column(String(300))
    current_company: Mapped[str | None] = mapped_column(String(300))
    occupation_code: Mapped[str | None] = mapped_column(String(10))
    seniority: Mapped[str | None] = mapped_column(String(16))
    years_experience: Mapped[float | None] = mapped_column(Float)
    location: Mapped[str | None] = mapped_column(String(200))
    metro_code: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    open_to_work: Mapped[bool] = mapped_column(default=False)
    raw_text: Mapped[str] = mapped_column(Text)  # the text evidence spans point into
    ground_truth: Mapped[dict[str, Any] | None] = mapped_column()  # generated profiles only: for evaluation
    # imported resumes: hidden text and passages addressed to an AI, kept out of raw_text ([{label, text}])
    withheld: Mapped[list[Any] | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    experiences: Mapped[list[ProfileExperience]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileExperience.position"
    )
    educations: Mapped[list[ProfileEducation]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileEducation.position"
    )
    skills: Mapped[list[ProfileSkill]] = relationship(back_populates="profile", cascade="all, delete-orphan")


class ProfileExperience(Base):
    __tablename__ = "profile_experiences"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # 0 = most recent
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)  # None with is_current = still there
    is_current: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    occupation_code: Mapped[str | None] = mapped_column(String(10))
    profile: Mapped[Profile] = relationship(back_populates="experiences")


class ProfileEducation(Base):
    __tablename__ = "profile_educations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    school: Mapped[str | None] = mapped_column(String(300))
    degree: Mapped[str | None] = mapped_column(String(200))
    field_of_study: Mapped[str | None] = mapped_column(String(200))
    end_year: Mapped[int | None] = mapped_column()
    profile: Mapped[Profile] = relationship(back_populates="educations")


class ProfileSkill(Base):
    __tablename__ = "profile_skills"
    __table_args__ = (Index("ix_profile_skills_skill", "skill_id", "profile_id"),)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), default="stated")  # stated | extracted | inferred
    profile: Mapped[Profile] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


class Project(OrgOwned, Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32), default="open")
    requirements: Mapped[dict[str, Any]] = mapped_column(default=dict)  # HiringRequirements as JSON
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Qualification(OrgOwned, Base):
    """One checkable sentence of a project's qualification set; a new version supersedes the previous."""

    __tablename__ = "qualifications"
    __table_args__ = (
        UniqueConstraint("project_id", "version", "position"),
        _enum_check("kind", QualificationKind),
        _enum_check("status", ApprovalState),
        CheckConstraint("weight >= 0", name="weight_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8), default=QualificationKind.MUST.value)
    weight: Mapped[float] = mapped_column(default=1.0)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    titles: Mapped[list[Any]] = mapped_column(default=list)
    # the rest of the structured qualification: years_min, location, languages, policy category and match
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inferred: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=ApprovalState.PROPOSED.value)
    policy: Mapped[str] = mapped_column(String(16), default="ok")  # ok | flagged | blocked
    policy_reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PipelineEntry(OrgOwned, Base):
    __tablename__ = "pipeline_entries"
    __table_args__ = (UniqueConstraint("project_id", "profile_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(32), default="sourced")
    source_query: Mapped[str | None] = mapped_column(Text)  # the query that found the candidate
    classical_score: Mapped[float | None] = mapped_column()
    score: Mapped[float | None] = mapped_column()
    recommendation: Mapped[str | None] = mapped_column(String(32))
    rank: Mapped[int | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Evaluation(OrgOwned, Base):
    """A verdict on one qualification for one candidate, with the evidence that supports it."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("pipeline_entry_id", "qualification_id"),
        _enum_check("verdict", Verdict),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    pipeline_entry_id: Mapped[int] = mapped_column(ForeignKey("pipeline_entries.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    qualification_id: Mapped[int] = mapped_column(ForeignKey("qualifications.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    model_id: Mapped[str] = mapped_column(String(200))  # "classical" or the served model name
    latency_ms: Mapped[float | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    evidence: Mapped[list[EvidenceSpan]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="EvidenceSpan.start"
    )


class EvidenceSpan(OrgOwned, Base):
    """A verbatim quote: ``source text[start:end] == quote``."""

    __tablename__ = "evidence_spans"
    __table_args__ = (CheckConstraint("end_offset > start_offset AND start_offset >= 0", name="span_valid"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16), default="profile")  # profile | resume | note
    start: Mapped[int] = mapped_column("start_offset")
    end: Mapped[int] = mapped_column("end_offset")
    quote: Mapped[str] = mapped_column(Text)
    evaluation: Mapped[Evaluation] = relationship(back_populates="evidence")


class Message(OrgOwned, Base):
    __tablename__ = "messages"
    __table_args__ = (
        _enum_check("status", MessageStatus),
        CheckConstraint("direction IN ('outbound', 'inbound')", name="direction_valid"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("recruiters.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(32))  # inmail | email | sms
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.DRAFT.value)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)  # a message is sent exactly once
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()


class Approval(OrgOwned, Base):
    __tablename__ = "approvals"
    __table_args__ = (CheckConstraint("decision IN ('approved', 'rejected', 'edited')", name="decision_valid"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # qualifications | outreach | learning
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RecruiterAction(OrgOwned, Base):
    """What a recruiter did with a candidate (shortlist, hide, reject, message): the learning signals."""

    __tablename__ = "recruiter_actions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MailboxMessage(OrgOwned, Base):
    """Everything that wakes a recruiter's agent: chat turns, finished batches, replies, schedules."""

    __tablename__ = "mailbox_messages"
    __table_args__ = (
        _enum_check("status", MailboxStatus),
        Index("ix_mailbox_ready", "status", "available_at", "priority"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=MailboxStatus.PENDING.value)
    priority: Mapped[int] = mapped_column(default=100)
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[dt.datetime | None] = mapped_column()
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RunStatus(StrEnum):
    QUEUED = "queued"
    SOURCING = "sourcing"
    EVALUATING = "evaluating"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class AgentInstance(OrgOwned, Base):
    """A recruiter's agent: its identity, how much it may do alone, and when the recruiter works."""

    __tablename__ = "agent_instances"
    id: Mapped[int] = mapped_column(primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="Hiring Assistant")
    autonomy: Mapped[str] = mapped_column(String(32), default="review_all")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    work_start: Mapped[str] = mapped_column(String(5), default="09:00")
    work_end: Mapped[str] = mapped_column(String(5), default="17:00")
    work_days: Mapped[str] = mapped_column(String(16), default="12345")  # ISO weekdays, Monday = 1
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BackgroundRun(OrgOwned, Base):
    """Sourcing and evaluation of a whole project in the background; ``done`` counts judged candidates and
    is advanced once per batch (``run_batches`` holds one row per finished batch)."""

    __tablename__ = "background_runs"
    __table_args__ = (_enum_check("status", RunStatus),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="full")  # full | refresh
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.QUEUED.value)
    qualification_version: Mapped[int] = mapped_column(default=1)
    depth: Mapped[int | None] = mapped_column()  # at most this many candidates; None: every match
    since: Mapped[dt.datetime | None] = mapped_column()  # a refresh: profiles new or updated after this
    thread_id: Mapped[str | None] = mapped_column(String(64))  # the chat it was started from
    workflow_id: Mapped[str] = mapped_column(String(128), unique=True)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    matched: Mapped[int] = mapped_column(default=0)  # judged candidates meeting every must-have
    batches: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # queries, precision, rounds
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RunBatch(OrgOwned, Base):
    __tablename__ = "run_batches"
    __table_args__ = (UniqueConstraint("run_id", "batch_no"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("background_runs.id", ondelete="CASCADE"))
    batch_no: Mapped[int] = mapped_column()
    judged: Mapped[int] = mapped_column(default=0)
    matched: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Notification(OrgOwned, Base):
    """What needs the recruiter's attention; ``dedupe_key`` makes each one appear once, whoever sends it."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(ForeignKey("recruiters.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("background_runs.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    read_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class AuditLog(OrgOwned, Base):
    """Append-only: database triggers reject UPDATE and DELETE; each row chains the previous row's hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    actor_type: Mapped[str] = mapped_column(String(16))  # recruiter | agent | system
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)



class ProfileVectorState(Base):
    """Which profiles the vector index holds, embedded how and when: `hire index` resumes from here and
    re-embeds a profile whose ``updated_at`` is newer than its ``embedded_at``."""

    __tablename__ = "profile_vector_state"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))  # full | composed
    model: Mapped[str] = mapped_column(String(200))
    embedded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


ORG_OWNED_MODELS: tuple[type[Base], ...] = tuple(
    m.class_ for m in Base.registry.mappers if issubclass(m.class_, Base) and issubclass(m.class_, OrgOwned)
)
