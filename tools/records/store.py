"""The project and pipeline store the agent works through: projects, qualification versions, the candidate
pipeline, per-qualification evaluations with evidence, ranks and recruiter actions.

:class:`ProjectStore` is bound to an engine and an organisation; the helpers above it are private to it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tools.hiring import (
    CandidateJudgement,
    Evidence,
    HiringRequirements,
    PolicyCheck,
    QualificationSpec,
    shortlist_score,
)
from tools.records.audit import audit
from tools.records.models import (
    Approval,
    ApprovalState,
    Evaluation,
    EvidenceSpan,
    Organisation,
    PipelineEntry,
    Profile,
    Project,
    Qualification,
    Recruiter,
    RecruiterAction,
    utcnow,
)
from tools.records.session import org_scope

ACTIONS: frozenset[str] = frozenset({"shortlist", "hide", "reject", "open", "message"})
QUALIFICATION_STATUSES: frozenset[str] = frozenset({ApprovalState.PROPOSED.value, ApprovalState.APPROVED.value})
STAGE_SOURCED = "sourced"
STAGE_EVALUATED = "evaluated"
_IN_CHUNK = 900  # ids per IN (...) list: well under SQLite's and PostgreSQL's bound-parameter limits

PipelineRow = tuple[int, str | None, float | None]

# The tables behind the models, for the bulk statements that go straight to the connection.
_ENTRIES = cast(Table, PipelineEntry.__table__)
_EVALUATIONS = cast(Table, Evaluation.__table__)
_SPANS = cast(Table, EvidenceSpan.__table__)


class NotFound(LookupError):
    """A project, profile, recruiter or qualification that does not exist in the caller's organisation."""


# ---- helpers ---------------------------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _missing_text(kind: str, ids: Iterable[int]) -> str:
    shown = sorted(ids)
    more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
    return f"{kind} not found: {', '.join(str(i) for i in shown[:10])}{more}"


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any]:
    """A JSON round trip: what is stored equals what the audit hash is computed over."""
    return json.loads(json.dumps(value or {}, default=str))


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"project {project_id} not found")
    return project


def _recruiter(session: Session, recruiter_id: int) -> Recruiter:
    recruiter = session.get(Recruiter, recruiter_id)
    if recruiter is None:
        raise NotFound(f"recruiter {recruiter_id} not found")
    return recruiter


def _check_profiles(session: Session, profile_ids: Iterable[int]) -> None:
    """Raise :class:`NotFound` unless every profile is visible to the organisation (members, own applicants)."""
    wanted = sorted(set(profile_ids))
    found: set[int] = set()
    for part in _chunks(wanted):
        found.update(session.scalars(select(Profile.id).where(Profile.id.in_(part))))
    missing = set(wanted) - found
    if missing:
        raise NotFound(_missing_text("profile", missing))


def _entry_ids(session: Session, project_id: int) -> dict[int, int]:
    """profile id → pipeline entry id for the whole project."""
    rows = session.execute(
        select(PipelineEntry.profile_id, PipelineEntry.id).where(PipelineEntry.project_id == project_id)
    )
    return {profile_id: entry_id for profile_id, entry_id in rows}


def _requirements(data: dict[str, Any] | None) -> HiringRequirements | None:
    return HiringRequirements.model_validate(data) if data else None


def _project_dict(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "title": project.title,
        "status": project.status,
        "requirements": _requirements(project.requirements),
        "recruiter_id": project.recruiter_id,
    }


# ---- organisations and projects --------------------------------------------------------------------------


def ensure_demo_recruiter(engine: Engine, org_slug: str = "demo", email: str = "demo@hiring.local",
                          name: str = "Demo Recruiter") -> tuple[int, int]:
    """``(organisation_id, recruiter_id)`` of the demo recruiter, creating the organisation and recruiter once."""
    with Session(engine) as session, session.begin():
        org = session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if org is None:
            org = Organisation(slug=org_slug, name=org_slug.replace("-", " ").title())
            session.add(org)
            session.flush()
        recruiter = session.scalar(select(Recruiter).where(Recruiter.email == email))
        if recruiter is None:
            recruiter = Recruiter(organisation_id=org.id, email=email, name=name)
            session.add(recruiter)
            session.flush()
        elif recruiter.organisation_id != org.id:
            raise ValueError(f"recruiter {email} belongs to another organisation than {org_slug!r}")
        return org.id, recruiter.id


# ---- qualifications --------------------------------------------------------------------------------------


def _qualification_row(org_id: int, project_id: int, version: int, position: int, spec: QualificationSpec,
                       status: str, approved_by: int | None, now: dt.datetime) -> Qualification:
    approved = status == ApprovalState.APPROVED.value
    return Qualification(
        organisation_id=org_id, project_id=project_id, version=version, position=position, text=spec.text,
        kind=spec.kind, weight=spec.weight, skills=list(spec.skills), titles=list(spec.titles),
        inferred=spec.inferred, status=status, policy=spec.policy.status, policy_reason=spec.policy.explanation,
        details={"years_min": spec.years_min, "location": spec.location, "languages": list(spec.languages),
                 "language_level": spec.language_level, "credentials": list(spec.credentials),
                 "work_authorization": spec.work_authorization, "review": spec.review,
                 "policy_category": spec.policy.category, "policy_matched": spec.policy.matched},
        approved_by=approved_by if approved else None, approved_at=now if approved else None,
    )


def _spec(row: Qualification) -> QualificationSpec:
    details = row.details or {}
    return QualificationSpec.model_validate({
        "id": row.id, "text": row.text, "kind": row.kind, "weight": row.weight, "skills": list(row.skills or []),
        "titles": list(row.titles or []), "inferred": row.inferred,
        "years_min": details.get("years_min"), "location": details.get("location"),
        "languages": list(details.get("languages") or []), "language_level": details.get("language_level"),
        "credentials": list(details.get("credentials") or []), "work_authorization": details.get("work_authorization"),
        "review": bool(details.get("review")),
        "policy": PolicyCheck.model_validate({"status": row.policy, "explanation": row.policy_reason,
                                              "category": details.get("policy_category"),
                                              "matched": details.get("policy_matched")}),
    })


def _supersede(session: Session, project_id: int, version: int, status: str) -> None:
    """An approved version supersedes every earlier one; a proposal supersedes earlier proposals only."""
    replaced = [ApprovalState.PROPOSED.value]
    if status == ApprovalState.APPROVED.value:
        replaced.append(ApprovalState.APPROVED.value)
    session.execute(
        update(Qualification)
        .where(Qualification.project_id == project_id, Qualification.version < version,
               Qualification.status.in_(replaced))
        .values(status=ApprovalState.SUPERSEDED.value)
        .execution_options(synchronize_session=False)
    )


def _record_approval(session: Session, org_id: int, project_id: int, version: int, approved_by: int,
                     rows: list[Qualification]) -> None:
    ids = [r.id for r in rows]
    session.add(Approval(
        organisation_id=org_id, recruiter_id=approved_by, project_id=project_id, kind="qualifications",
        subject_type="qualification_version", subject_id=f"{project_id}:{version}", decision="approved",
        payload={"version": version, "qualification_ids": ids, "texts": [r.text for r in rows]},
    ))
    audit(session, org_id, "recruiter", str(approved_by), "qualifications.approved", "project", str(project_id),
          version=version, qualification_ids=ids)


# ---- the pipeline ----------------------------------------------------------------------------------------


def _merge_rows(rows: Iterable[PipelineRow]) -> dict[int, tuple[str | None, float | None]]:
    """One ``(source_query, classical_score)`` per profile: the first query given, the last score given."""
    merged: dict[int, tuple[str | None, float | None]] = {}
    for profile_id, query, score in rows:
        old_query, old_score = merged.get(profile_id, (None, None))
        merged[profile_id] = (old_query or query, score if score is not None else old_score)
    return merged


def _check_judgement(judgement: CandidateJudgement, n_quals: int) -> None:
    seen: set[int] = set()
    for v in judgement.verdicts:
        if not 0 <= v.qualification < n_quals:
            raise ValueError(f"profile {judgement.profile_id}: verdict for qualification index {v.qualification}, "
                             f"but only {n_quals} qualifications were given")
        if v.qualification in seen:
            raise ValueError(f"profile {judgement.profile_id}: two verdicts for qualification index {v.qualification}")
        seen.add(v.qualification)


def _qualifications(session: Session, project_id: int, qual_ids: Sequence[int]) -> dict[int, Qualification]:
    rows = session.scalars(
        select(Qualification).where(Qualification.project_id == project_id, Qualification.id.in_(list(qual_ids)))
    )
    found = {r.id: r for r in rows}
    missing = set(qual_ids) - set(found)
    if missing:
        raise NotFound(_missing_text(f"qualification of project {project_id}", missing))
    return found


def _entry_rows(conn: Connection, org_id: int, project_id: int,
                profile_ids: Sequence[int]) -> dict[int, tuple[int, str | None]]:
    """profile id → (entry id, stage) of these profiles' pipeline entries."""
    t = _ENTRIES
    found: dict[int, tuple[int, str | None]] = {}
    for part in _chunks(list(profile_ids)):
        found.update((pid, (eid, stage)) for pid, eid, stage in conn.execute(
            select(t.c.profile_id, t.c.id, t.c.stage)
            .where(t.c.organisation_id == org_id, t.c.project_id == project_id, t.c.profile_id.in_(part))))
    return found


def _entries_for(session: Session, org_id: int, project_id: int,
                 profile_ids: list[int]) -> tuple[dict[int, tuple[int, str | None]], set[int]]:
    """profile id → (entry id, stage), creating the missing entries (profiles must be visible), and the profiles
    whose entries this call created. An entry a concurrent writer created first is found, not created."""
    conn = session.connection()
    entries = _entry_rows(conn, org_id, project_id, profile_ids)
    missing = [pid for pid in profile_ids if pid not in entries]
    if not missing:
        return entries, set()
    _check_profiles(session, missing)
    now = utcnow()
    t = _ENTRIES
    upsert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(t)
    inserted = conn.execute(
        upsert.on_conflict_do_nothing(index_elements=["project_id", "profile_id"])
        .returning(t.c.profile_id, t.c.id, t.c.stage),
        [{"organisation_id": org_id, "project_id": project_id, "profile_id": pid, "stage": STAGE_SOURCED,
          "created_at": now, "updated_at": now} for pid in missing])
    created = {int(pid): (int(eid), stage) for pid, eid, stage in inserted}
    entries.update(created)
    entries.update(_entry_rows(conn, org_id, project_id, [pid for pid in missing if pid not in created]))
    return entries, set(created)


def _delete_evaluations(conn: Connection, entry_ids: list[int], qual_ids: Sequence[int]) -> None:
    """Remove the evaluations (and their evidence) of these entries on these qualifications. The entries are
    the caller's organisation's: their ids find the rows by the (entry, qualification) key alone, which keeps the
    planner off the organisation index (a scan of every evaluation of the organisation)."""
    evaluations, spans = _EVALUATIONS, _SPANS
    for part in _chunks(entry_ids):
        old = list(conn.execute(select(evaluations.c.id).where(
            evaluations.c.pipeline_entry_id.in_(part), evaluations.c.qualification_id.in_(list(qual_ids)))).scalars())
        for ids in _chunks(old):
            conn.execute(delete(spans).where(spans.c.evaluation_id.in_(ids)))
            conn.execute(delete(evaluations).where(evaluations.c.id.in_(ids)))


def _insert_evaluations(conn: Connection, org_id: int, project_id: int, entries: dict[int, tuple[int, str | None]],
                        judgements: Iterable[CandidateJudgement], qual_ids: Sequence[int],
                        latency_ms: float | None) -> None:
    """Every verdict as an evaluation row, then every non-empty evidence span of them, each an executemany.

    The new ids are read back by their (entry, qualification) key: an ``INSERT ... RETURNING`` over many rows
    sends one statement of every row's values, which psycopg re-parses whole on each call (over half the time of
    storing on PostgreSQL), while a plain executemany runs one prepared statement (a pipeline on PostgreSQL)."""
    now = utcnow()
    rows: list[dict[str, Any]] = []
    evidence: dict[tuple[int, int], list[Evidence]] = {}
    for judgement in judgements:
        entry_id = entries[judgement.profile_id][0]
        for v in judgement.verdicts:
            qual_id = qual_ids[v.qualification]
            rows.append({"organisation_id": org_id, "project_id": project_id, "pipeline_entry_id": entry_id,
                         "profile_id": judgement.profile_id, "qualification_id": qual_id, "verdict": v.verdict,
                         "reason": v.reason, "model_id": judgement.model_id, "latency_ms": latency_ms,
                         "created_at": now})
            evidence[entry_id, qual_id] = [e for e in v.evidence if e.end > e.start]
    if not rows:
        return
    t = _EVALUATIONS
    conn.execute(insert(t), rows)
    created: list[Any] = []
    for part in _chunks(sorted({row["pipeline_entry_id"] for row in rows})):
        created += conn.execute(select(t.c.id, t.c.pipeline_entry_id, t.c.qualification_id).where(
            t.c.pipeline_entry_id.in_(part), t.c.qualification_id.in_(list(qual_ids)))).all()
    spans = [{"organisation_id": org_id, "evaluation_id": evaluation_id, "source": e.source, "start_offset": e.start,
              "end_offset": e.end, "quote": e.quote}
             for evaluation_id, entry_id, qual_id in created for e in evidence[entry_id, qual_id]]
    if spans:
        conn.execute(insert(_SPANS), spans)


def _score_entries(conn: Connection, org_id: int, changes: list[dict[str, Any]]) -> None:
    """Each entry's score and recommendation; a "sourced" entry becomes "evaluated", a later stage stays."""
    t = _ENTRIES
    stage = case((or_(t.c.stage.is_(None), t.c.stage == STAGE_SOURCED), STAGE_EVALUATED), else_=t.c.stage)
    conn.execute(
        update(t).where(t.c.id == bindparam("entry_id"), t.c.organisation_id == org_id)
        .values(score=bindparam("s"), recommendation=bindparam("r"), stage=stage, updated_at=bindparam("t")),
        changes,
    )


# ---- reading the shortlist -------------------------------------------------------------------------------


def _evidence(session: Session, evaluation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for part in _chunks(evaluation_ids):
        spans = session.scalars(
            select(EvidenceSpan).where(EvidenceSpan.evaluation_id.in_(part)).order_by(EvidenceSpan.id)
        )
        for s in spans:
            found.setdefault(s.evaluation_id, []).append(
                {"source": s.source, "start": s.start, "end": s.end, "quote": s.quote})
    return found


def _verdicts(session: Session, entry_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Per entry, the verdicts of the latest qualification version it was evaluated against, in position order."""
    pairs: list[tuple[Evaluation, Qualification]] = []
    for part in _chunks(entry_ids):
        pairs += [(ev, q) for ev, q in session.execute(
            select(Evaluation, Qualification).join(Qualification, Qualification.id == Evaluation.qualification_id)
            .where(Evaluation.pipeline_entry_id.in_(part))
        )]
    newest: dict[int, int] = {}
    for ev, q in pairs:
        newest[ev.pipeline_entry_id] = max(newest.get(ev.pipeline_entry_id, 0), q.version)
    kept = sorted(((ev, q) for ev, q in pairs if q.version == newest[ev.pipeline_entry_id]),
                  key=lambda pair: pair[1].position)
    evidence = _evidence(session, [ev.id for ev, _ in kept])
    result: dict[int, list[dict[str, Any]]] = {}
    for ev, q in kept:
        result.setdefault(ev.pipeline_entry_id, []).append({
            "qualification_id": q.id, "text": q.text, "kind": q.kind, "verdict": ev.verdict, "reason": ev.reason,
            "evidence": evidence.get(ev.id, []), "review": bool((q.details or {}).get("review")),
        })
    return result


def _shortlist_row(entry: PipelineEntry, name: str | None, title: str | None, location: str | None,
                   verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    musts = [v for v in verdicts if v["kind"] == "must" and not v.get("review")]
    return {
        "profile_id": entry.profile_id, "rank": entry.rank, "name": name, "title": title, "location": location,
        "score": entry.score, "classical_score": entry.classical_score, "recommendation": entry.recommendation,
        "source_query": entry.source_query, "stage": entry.stage, "verdicts": verdicts,
        "musts_met": sum(v["verdict"] == "meets" for v in musts), "musts_total": len(musts),
    }


# ---- recruiter actions -----------------------------------------------------------------------------------


class ProjectStore:
    """The projects and pipelines of one organisation, on one engine.

    Every method runs in its own organisation-scoped session and transaction (:func:`org_scope`), so a
    project, profile or recruiter of another organisation is simply not there: asking for it raises
    :class:`NotFound`. Steps the agent may repeat after a crash (pipeline upserts, judgements, ranks) are
    idempotent. Making one is free: ``ProjectStore(engine, organisation_id)``.
    """

    def __init__(self, engine: Engine, organisation_id: int) -> None:
        self.engine = engine
        self.organisation_id = organisation_id

    def _session(self) -> AbstractContextManager[Session]:
        return org_scope(self.engine, self.organisation_id)

    def create_project(self, recruiter_id: int, title: str,
                       requirements: HiringRequirements | None = None) -> int:
        """A new open project owned by ``recruiter_id``; returns its id."""
        with self._session() as session:
            _recruiter(session, recruiter_id)
            project = Project(organisation_id=self.organisation_id, recruiter_id=recruiter_id, title=title,
                              requirements=requirements.model_dump(mode="json") if requirements else {})
            session.add(project)
            session.flush()
            return project.id

    def get_project(self, project_id: int) -> dict[str, Any] | None:
        """``{id, title, status, requirements, recruiter_id}`` or None when the organisation has no such project."""
        with self._session() as session:
            project = session.get(Project, project_id)
            return _project_dict(project) if project is not None else None

    def list_projects(self, recruiter_id: int) -> list[dict[str, Any]]:
        """The recruiter's projects, newest first, as :func:`get_project` returns them."""
        with self._session() as session:
            _recruiter(session, recruiter_id)
            projects = session.scalars(
                select(Project).where(Project.recruiter_id == recruiter_id).order_by(Project.id.desc())
            )
            return [_project_dict(p) for p in projects]

    def save_requirements(self, project_id: int, req: HiringRequirements) -> None:
        """Replace the project's requirements."""
        with self._session() as session:
            _project(session, project_id).requirements = req.model_dump(mode="json")

    def save_qualifications(self, project_id: int, quals: list[QualificationSpec], *,
                            status: str = "proposed",
                            approved_by: int | None = None) -> tuple[int, list[QualificationSpec]]:
        """Store ``quals`` as the project's next qualification version; returns ``(version, quals with ids)``.

        An approved version records who approved it and when, an :class:`Approval` row and an audit entry.
        Only policy status and explanation are kept of each qualification's policy check.
        """
        if status not in QUALIFICATION_STATUSES:
            raise ValueError(f"status must be one of {sorted(QUALIFICATION_STATUSES)}, not {status!r}")
        if not quals:
            raise ValueError("a qualification version needs at least one qualification")
        approved = status == ApprovalState.APPROVED.value
        if approved and approved_by is None:
            raise ValueError("an approved qualification version needs approved_by (the approving recruiter)")
        with self._session() as session:
            _project(session, project_id)
            if approved_by is not None:
                _recruiter(session, approved_by)
            latest = session.scalar(
                select(func.max(Qualification.version)).where(Qualification.project_id == project_id))
            version = (latest or 0) + 1
            now = utcnow()
            rows = [_qualification_row(self.organisation_id, project_id, version, i, q, status, approved_by, now)
                    for i, q in enumerate(quals)]
            session.add_all(rows)
            session.flush()
            _supersede(session, project_id, version, status)
            if approved and approved_by is not None:
                _record_approval(session, self.organisation_id, project_id, version, approved_by, rows)
            return version, [q.model_copy(update={"id": r.id}) for q, r in zip(quals, rows, strict=True)]

    def current_qualifications(self, project_id: int, *,
                               approved_only: bool = True) -> tuple[int, list[QualificationSpec]]:
        """The latest approved version (or the latest of any status); ``(0, [])`` when there is none."""
        with self._session() as session:
            _project(session, project_id)
            query = select(func.max(Qualification.version)).where(Qualification.project_id == project_id)
            if approved_only:
                query = query.where(Qualification.status == ApprovalState.APPROVED.value)
            version = session.scalar(query)
            if version is None:
                return 0, []
            rows = session.scalars(
                select(Qualification)
                .where(Qualification.project_id == project_id, Qualification.version == version)
                .order_by(Qualification.position)
            )
            return version, [_spec(r) for r in rows]

    def upsert_pipeline(self, project_id: int, rows: list[PipelineRow]) -> int:
        """Add ``(profile_id, source_query, classical_score)`` rows to the project's pipeline; returns how many are new.

        Existing entries get the new classical score (when one is given) and keep the query that first found them.
        """
        merged = _merge_rows(rows)
        with self._session() as session:
            _project(session, project_id)
            existing: dict[int, Any] = {}
            for part in _chunks(list(merged)):  # only these profiles' entries: a batch costs its own size
                existing.update((r.profile_id, r) for r in session.execute(
                    select(PipelineEntry.profile_id, PipelineEntry.id, PipelineEntry.source_query,
                           PipelineEntry.classical_score)
                    .where(PipelineEntry.project_id == project_id, PipelineEntry.profile_id.in_(part))
                ))
            fresh = [pid for pid in merged if pid not in existing]
            _check_profiles(session, fresh)
            conn = session.connection()
            now = utcnow()
            if fresh:
                conn.execute(insert(_ENTRIES), [
                    {"organisation_id": self.organisation_id, "project_id": project_id, "profile_id": pid,
                     "stage": STAGE_SOURCED,
                     "source_query": merged[pid][0], "classical_score": merged[pid][1], "created_at": now,
                     "updated_at": now}
                    for pid in fresh
                ])
            changes = []
            for pid, (query, score) in merged.items():
                old = existing.get(pid)
                if old is None:
                    continue
                new_query = old.source_query or query
                new_score = score if score is not None else old.classical_score
                if (new_query, new_score) != (old.source_query, old.classical_score):
                    changes.append({"entry_id": old.id, "q": new_query, "s": new_score, "t": now})
            if changes:
                conn.execute(
                    update(_ENTRIES)
                    .where(_ENTRIES.c.id == bindparam("entry_id"), _ENTRIES.c.organisation_id == self.organisation_id)
                    .values(source_query=bindparam("q"), classical_score=bindparam("s"), updated_at=bindparam("t")),
                    changes,
                )
            return len(fresh)

    def save_judgements(self, project_id: int, qual_ids: list[int],
                        judgements: list[CandidateJudgement], *, latency_ms: float | None = None) -> None:
        """Store each judgement's verdicts (``verdict.qualification`` indexes ``qual_ids``) with their evidence.

        The evaluations of these qualifications are replaced, so a repeated call leaves one per (entry,
        qualification). Each entry gets its score (:func:`~tools.hiring.shortlist_score`, the one the shortlist
        is ranked by) and recommendation and moves from "sourced" to "evaluated". Empty evidence spans
        (``end <= start``) are not stored.
        """
        latest = {j.profile_id: j for j in judgements}  # a profile judged twice in one call: the last one counts
        for judgement in latest.values():
            _check_judgement(judgement, len(qual_ids))
        if not latest:
            return
        with self._session() as session:
            _project(session, project_id)
            quals = _qualifications(session, project_id, qual_ids)
            specs = [_spec(quals[q]) for q in qual_ids]
            entries, created = _entries_for(session, self.organisation_id, project_id, list(latest))
            conn = session.connection()
            _delete_evaluations(conn, [entries[pid][0] for pid in latest if pid not in created], qual_ids)
            _insert_evaluations(conn, self.organisation_id, project_id, entries, latest.values(), qual_ids, latency_ms)
            now = utcnow()
            _score_entries(conn, self.organisation_id, [
                {"entry_id": entries[pid][0], "s": shortlist_score(j.verdicts, specs), "r": j.recommendation, "t": now}
                for pid, j in latest.items()])

    def set_ranks(self, project_id: int, ordered_profile_ids: list[int]) -> None:
        """Rank the given profiles 1..n in this order; every other entry of the project loses its rank."""
        if len(set(ordered_profile_ids)) != len(ordered_profile_ids):
            raise ValueError("a profile appears twice in the ranking")
        with self._session() as session:
            _project(session, project_id)
            entry_ids = _entry_ids(session, project_id)
            missing = [pid for pid in ordered_profile_ids if pid not in entry_ids]
            if missing:
                raise NotFound(_missing_text(f"pipeline entry of project {project_id} for profile", missing))
            table = _ENTRIES
            conn = session.connection()
            org_id = self.organisation_id
            conn.execute(update(table).where(table.c.organisation_id == org_id, table.c.project_id == project_id,
                                             table.c.rank.is_not(None)).values(rank=None))
            if ordered_profile_ids:
                conn.execute(
                    update(table).where(table.c.id == bindparam("entry_id"), table.c.organisation_id == org_id)
                    .values(rank=bindparam("r")),
                    [{"entry_id": entry_ids[pid], "r": i} for i, pid in enumerate(ordered_profile_ids, start=1)],
                )

    def shortlist(self, project_id: int, limit: int = 20) -> list[dict[str, Any]]:
        """The ranked entries, best first, with the candidate's name, title and location and their verdicts.

        Each row also says ``musts_met`` / ``musts_total`` of its verdicts.
        """
        with self._session() as session:
            _project(session, project_id)
            rows = session.execute(
                select(PipelineEntry, Profile.full_name, Profile.current_title, Profile.location)
                .join(Profile, Profile.id == PipelineEntry.profile_id)
                .where(PipelineEntry.project_id == project_id, PipelineEntry.rank.is_not(None))
                .order_by(PipelineEntry.rank).limit(limit)
            ).all()
            verdicts = _verdicts(session, [entry.id for entry, *_ in rows])
            return [_shortlist_row(entry, name, title, location, verdicts.get(entry.id, []))
                    for entry, name, title, location in rows]

    def record_decision(self, agent: str, action: str, project_id: int | None,
                        detail: dict[str, Any]) -> None:
        """An agent's decision (a plan, a sourced pool, a ranked shortlist) in the organisation's audit log."""
        payload = json.loads(json.dumps(detail, default=str))  # what is hashed is exactly what is stored
        with self._session() as session:
            audit(session, self.organisation_id, "agent", agent, action, "project" if project_id is not None else None,
                  str(project_id) if project_id is not None else None, **payload)

    def record_action(self, recruiter_id: int, project_id: int, profile_id: int, action: str,
                      payload: dict[str, Any] | None = None) -> int:
        """Log what the recruiter did with a candidate (one of :data:`ACTIONS`) and audit it; returns the action id."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; expected one of {sorted(ACTIONS)}")
        data = _jsonable(payload)
        with self._session() as session:
            _recruiter(session, recruiter_id)
            _project(session, project_id)
            _check_profiles(session, [profile_id])
            row = RecruiterAction(organisation_id=self.organisation_id, recruiter_id=recruiter_id,
                                  project_id=project_id, profile_id=profile_id, action=action, payload=data)
            session.add(row)
            session.flush()
            audit(session, self.organisation_id, "recruiter", str(recruiter_id), f"candidate.{action}", "profile",
                  str(profile_id), project_id=project_id, action_id=row.id, payload=data)
            return row.id

    def actions(self, project_id: int) -> list[dict[str, Any]]:
        """The project's recruiter actions, oldest first."""
        with self._session() as session:
            _project(session, project_id)
            rows = session.scalars(
                select(RecruiterAction).where(RecruiterAction.project_id == project_id).order_by(RecruiterAction.id)
            )
            return [
                {"id": r.id, "recruiter_id": r.recruiter_id, "project_id": r.project_id, "profile_id": r.profile_id,
                 "action": r.action, "payload": r.payload, "created_at": r.created_at}
                for r in rows
            ]
