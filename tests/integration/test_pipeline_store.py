"""The project and pipeline store on SQLite and PostgreSQL: round trips, versions, idempotency, scoping."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from app.loader import load_records
from tools.generator import generate
from tools.hiring import (
    CandidateJudgement,
    Evidence,
    HiringRequirements,
    PolicyCheck,
    QualificationSpec,
    QualificationVerdict,
)
from tools.records import ProfileRecord, store
from tools.records import models as m
from tools.records.audit import verify_audit_chain
from tools.records.store import ProjectStore

QUALS = [
    QualificationSpec(text="5+ years of professional software development", weight=2.0, skills=["Python"],
                      titles=["Software Engineer"]),
    QualificationSpec(text="Experience with Kubernetes", kind="nice", weight=1.0, skills=["Kubernetes"],
                      inferred=True,
                      policy=PolicyCheck(status="flagged", explanation="Check the wording is job-related.")),
]


def _org(engine: Engine, slug: str) -> tuple[int, int]:
    return store.ensure_demo_recruiter(engine, slug, f"{slug}@example.test", f"{slug} recruiter")


def _profiles(engine: Engine, n: int = 3, organisation_id: int | None = None) -> list[dict]:
    ids = load_records(engine, list(generate(n, seed=11)), organisation_id).profile_ids
    with Session(engine) as s:
        rows = s.scalars(select(m.Profile).where(m.Profile.id.in_(ids)).order_by(m.Profile.id)).all()
        return [{"id": p.id, "name": p.full_name, "title": p.current_title, "location": p.location,
                 "text": p.raw_text, "headline": p.headline} for p in rows]


def _span(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(source="profile", start=start, end=start + len(quote), quote=quote)


def _judgement(profile: dict, first: str, second: str, recommendation: str = "good",
               model_id: str = "judge-model") -> CandidateJudgement:
    return CandidateJudgement(
        profile_id=profile["id"], recommendation=recommendation, model_id=model_id,
        verdicts=[
            QualificationVerdict(qualification=0, verdict=first, reason=f"{first} for the experience",
                                 evidence=[_span(profile["text"], profile["headline"]),
                                           _span(profile["text"], profile["name"])]),
            QualificationVerdict(qualification=1, verdict=second, reason=f"{second} for Kubernetes", evidence=[]),
        ],
    )


def _expected_verdicts(profile: dict, judgement: CandidateJudgement, qual_ids: list[int]) -> list[dict]:
    return [
        {"qualification_id": qual_ids[v.qualification], "text": QUALS[v.qualification].text,
         "kind": QUALS[v.qualification].kind, "verdict": v.verdict, "reason": v.reason,
         "evidence": [e.model_dump() for e in v.evidence], "review": QUALS[v.qualification].review}
        for v in judgement.verdicts
    ]


def test_round_trip(engine: Engine) -> None:
    org, rec = _org(engine, "acme")
    assert _org(engine, "acme") == (org, rec)
    req = HiringRequirements(title="Senior Backend Engineer", must_skills=["Python"], location="Berlin, Germany")
    project = ProjectStore(engine, org).create_project(rec, "Backend hire", req)
    assert ProjectStore(engine, org).get_project(project) == {"id": project, "title": "Backend hire", "status": "open",
                                                       "requirements": req, "recruiter_id": rec}
    req2 = req.model_copy(update={"years_min": 5.0, "nice_skills": ["Kubernetes"]})
    ProjectStore(engine, org).save_requirements(project, req2)
    assert ProjectStore(engine, org).get_project(project)["requirements"] == req2
    assert [p["id"] for p in ProjectStore(engine, org).list_projects(rec)] == [project]

    v1, _ = ProjectStore(engine, org).save_qualifications(project, QUALS[:1])
    v2, quals = ProjectStore(engine, org).save_qualifications(project, QUALS, status="approved", approved_by=rec)
    assert (v1, v2) == (1, 2)
    qual_ids = [q.id for q in quals]
    assert all(qual_ids) and [q.model_copy(update={"id": None}) for q in quals] == QUALS
    version, current = ProjectStore(engine, org).current_qualifications(project)
    assert version == 2 and [q.id for q in current] == qual_ids
    assert current[1].policy == PolicyCheck(status="flagged", explanation="Check the wording is job-related.")
    assert (current[1].kind, current[1].weight, current[1].skills, current[1].inferred) == (
        "nice", 1.0, ["Kubernetes"], True)

    people = _profiles(engine)
    rows = [(p["id"], f"query {i}", 0.5 + i / 10) for i, p in enumerate(people)]
    assert ProjectStore(engine, org).upsert_pipeline(project, rows) == 3
    assert ProjectStore(engine, org).upsert_pipeline(project, [(people[0]["id"], "a later query", 0.9)]) == 0

    judgements = [_judgement(people[0], "meets", "partly", "strong"), _judgement(people[1], "partly", "does_not"),
                  _judgement(people[2], "does_not", "no_evidence", "weak")]
    ProjectStore(engine, org).save_judgements(project, qual_ids, judgements, latency_ms=1234.5)
    ProjectStore(engine, org).set_ranks(project, [people[2]["id"], people[0]["id"]])

    short = ProjectStore(engine, org).shortlist(project)
    assert [r["profile_id"] for r in short] == [people[2]["id"], people[0]["id"]]
    top, second = short
    assert {k: top[k] for k in ("rank", "name", "title", "location", "score", "classical_score", "recommendation",
                                "source_query", "stage", "musts_met", "musts_total")} == {
        "rank": 1, "name": people[2]["name"], "title": people[2]["title"], "location": people[2]["location"],
        "score": 0.0, "classical_score": pytest.approx(0.7), "recommendation": "weak", "source_query": "query 2",
        "stage": "evaluated", "musts_met": 0, "musts_total": 1}
    assert top["verdicts"] == _expected_verdicts(people[2], judgements[2], qual_ids)
    # the first query that found the candidate is kept, the classical score follows the latest search
    assert (second["source_query"], second["classical_score"]) == ("query 0", pytest.approx(0.9))
    # the shown score is the ranking score: (2·musts met + weighted) / (2·musts + 1), where weighted counts the
    # must-have (weight 2) twice: (2·2·1 + 1·0.5) / (2·2 + 1) = 0.9
    assert second["score"] == pytest.approx((2 * 1.0 + 0.9) / (2 * 1 + 1), abs=1e-6)
    assert (second["recommendation"], second["musts_met"]) == ("strong", 1)
    assert second["verdicts"] == _expected_verdicts(people[0], judgements[0], qual_ids)
    for verdict in second["verdicts"]:
        for ev in verdict["evidence"]:
            assert people[0]["text"][ev["start"]:ev["end"]] == ev["quote"]

    with Session(engine) as s:
        evaluations = s.scalars(select(m.Evaluation)).all()
        assert len(evaluations) == 6
        assert {(e.model_id, e.latency_ms) for e in evaluations} == {("judge-model", 1234.5)}
        assert s.scalar(select(func.count()).select_from(m.EvidenceSpan)) == 6
        entry = s.scalars(select(m.PipelineEntry).where(m.PipelineEntry.profile_id == people[1]["id"])).one()
        assert (entry.rank, entry.stage, entry.recommendation) == (None, "evaluated", "good")
        # partly on the must-have, not the nice one: weighted (2·2·0.5) / 5 = 0.4; (2·0.5 + 0.4) / 3
        assert entry.score == pytest.approx((2 * 0.5 + 0.4) / 3, abs=1e-6)
        statuses = dict(s.execute(select(m.Qualification.version, m.Qualification.status)).all())
        assert statuses == {1: "superseded", 2: "approved"}
        approved = s.scalars(select(m.Qualification).where(m.Qualification.version == 2)).all()
        assert {(q.approved_by, q.approved_at is not None) for q in approved} == {(rec, True)}
        approval = s.scalars(select(m.Approval)).one()
        assert (approval.kind, approval.decision, approval.recruiter_id, approval.project_id) == (
            "qualifications", "approved", rec, project)
        assert approval.payload["qualification_ids"] == qual_ids
        log = s.scalars(select(m.AuditLog)).one()
        assert (log.action, log.actor_id, log.subject_id, log.detail["version"]) == (
            "qualifications.approved", str(rec), str(project), 2)
        assert verify_audit_chain(s, org)


def test_save_judgements_is_idempotent(engine: Engine) -> None:
    org, rec = _org(engine, "acme")
    project = ProjectStore(engine, org).create_project(rec, "Data engineer")
    _, quals = ProjectStore(engine, org).save_qualifications(project, QUALS, status="approved", approved_by=rec)
    qual_ids = [q.id for q in quals]
    people = _profiles(engine, 2)
    # judging a candidate who is not in the pipeline yet adds them
    ProjectStore(engine, org).save_judgements(project, qual_ids, [_judgement(p, "meets", "meets") for p in people])
    ProjectStore(engine, org).save_judgements(project, qual_ids, [_judgement(people[0], "partly", "no_evidence")])
    ProjectStore(engine, org).save_judgements(project, qual_ids, [_judgement(people[0], "partly", "no_evidence")])
    with Session(engine) as s:
        pairs = s.execute(
            select(m.Evaluation.profile_id, m.Evaluation.qualification_id, m.Evaluation.verdict)
            .order_by(m.Evaluation.profile_id, m.Evaluation.qualification_id)
        ).all()
        assert [tuple(p) for p in pairs] == [
            (people[0]["id"], qual_ids[0], "partly"), (people[0]["id"], qual_ids[1], "no_evidence"),
            (people[1]["id"], qual_ids[0], "meets"), (people[1]["id"], qual_ids[1], "meets"),
        ]
        assert s.scalar(select(func.count()).select_from(m.EvidenceSpan)) == 4
        entries = s.scalars(select(m.PipelineEntry).order_by(m.PipelineEntry.profile_id)).all()
        assert [(e.profile_id, e.stage) for e in entries] == [(p["id"], "evaluated") for p in people]
        assert [e.score for e in entries] == [pytest.approx((2 * 0.5 + 0.4) / 3, abs=1e-6), 1.0]
    with pytest.raises(ValueError, match="index 2"):
        bad = CandidateJudgement(profile_id=people[0]["id"], verdicts=[
            QualificationVerdict(qualification=2, verdict="meets", reason="x")])
        ProjectStore(engine, org).save_judgements(project, qual_ids, [bad])


def test_qualification_versions(engine: Engine) -> None:
    org, rec = _org(engine, "acme")
    project = ProjectStore(engine, org).create_project(rec, "Versions")
    assert ProjectStore(engine, org).current_qualifications(project) == (0, [])
    ProjectStore(engine, org).save_qualifications(project, QUALS[:1])
    assert ProjectStore(engine, org).current_qualifications(project) == (0, [])
    assert ProjectStore(engine, org).current_qualifications(project, approved_only=False)[0] == 1
    ProjectStore(engine, org).save_qualifications(project, QUALS, status="approved", approved_by=rec)
    v3, _ = ProjectStore(engine, org).save_qualifications(project, list(reversed(QUALS)))
    assert v3 == 3
    version, approved = ProjectStore(engine, org).current_qualifications(project)
    assert (version, [q.text for q in approved]) == (2, [q.text for q in QUALS])
    version, latest = ProjectStore(engine, org).current_qualifications(project, approved_only=False)
    assert (version, [q.text for q in latest]) == (3, [QUALS[1].text, QUALS[0].text])
    with Session(engine) as s:
        rows = s.execute(select(m.Qualification.version, m.Qualification.position, m.Qualification.status)
                         .order_by(m.Qualification.version, m.Qualification.position)).all()
        assert [tuple(r) for r in rows] == [(1, 0, "superseded"), (2, 0, "approved"), (2, 1, "approved"),
                                            (3, 0, "proposed"), (3, 1, "proposed")]
    with pytest.raises(ValueError, match="status"):
        ProjectStore(engine, org).save_qualifications(project, QUALS, status="bogus")
    with pytest.raises(ValueError, match="approved_by"):
        ProjectStore(engine, org).save_qualifications(project, QUALS, status="approved")
    with pytest.raises(store.NotFound, match="recruiter 999999"):
        ProjectStore(engine, org).save_qualifications(project, QUALS, status="approved", approved_by=999999)


def test_other_organisations_cannot_read_or_write(engine: Engine) -> None:
    org_a, rec_a = _org(engine, "a")
    org_b, rec_b = _org(engine, "b")
    project = ProjectStore(engine, org_a).create_project(rec_a, "A's project")
    _, quals = ProjectStore(engine, org_a).save_qualifications(project, QUALS, status="approved", approved_by=rec_a)
    qual_ids = [q.id for q in quals]
    member = _profiles(engine, 1)[0]
    ProjectStore(engine, org_a).upsert_pipeline(project, [(member["id"], "q", 0.5)])
    ProjectStore(engine, org_a).set_ranks(project, [member["id"]])
    b_applicant = load_records(engine, [ProfileRecord(source="import:b.txt", raw_text="B's applicant")],
                               org_b).profile_ids[0]

    assert ProjectStore(engine, org_b).get_project(project) is None
    assert ProjectStore(engine, org_b).list_projects(rec_b) == []
    attempts = [
        lambda: ProjectStore(engine, org_b).save_requirements(project, HiringRequirements(title="stolen")),
        lambda: ProjectStore(engine, org_b).save_qualifications(project, QUALS),
        lambda: ProjectStore(engine, org_b).current_qualifications(project),
        lambda: ProjectStore(engine, org_b).upsert_pipeline(project, [(member["id"], "q", 1.0)]),
        lambda: ProjectStore(engine, org_b).save_judgements(project, qual_ids, [_judgement(member, "meets", "meets")]),
        lambda: ProjectStore(engine, org_b).set_ranks(project, []),
        lambda: ProjectStore(engine, org_b).shortlist(project),
        lambda: ProjectStore(engine, org_b).record_action(rec_b, project, member["id"], "hide"),
        lambda: ProjectStore(engine, org_b).actions(project),
        lambda: ProjectStore(engine, org_b).list_projects(rec_a),
        lambda: ProjectStore(engine, org_b).create_project(rec_a, "as someone else"),
    ]
    for attempt in attempts:
        with pytest.raises(store.NotFound, match="not found"):
            attempt()
    # B's own project cannot take A's qualifications or B-private profiles into A's project either
    project_b = ProjectStore(engine, org_b).create_project(rec_b, "B's project")
    with pytest.raises(store.NotFound, match="qualification"):
        ProjectStore(engine, org_b).save_judgements(project_b, qual_ids, [_judgement(member, "meets", "meets")])
    with pytest.raises(store.NotFound, match=f"profile not found: {b_applicant}"):
        ProjectStore(engine, org_a).upsert_pipeline(project, [(b_applicant, "q", 1.0)])
    # nothing of A's changed
    assert ProjectStore(engine, org_a).get_project(project)["requirements"] is None
    assert ProjectStore(engine, org_a).current_qualifications(project)[0] == 1
    assert [(r["profile_id"], r["rank"], r["verdicts"]) for r in ProjectStore(engine, org_a).shortlist(project)] == [
        (member["id"], 1, [])]
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Evaluation)) == 0
        assert s.scalar(select(func.count()).select_from(m.RecruiterAction)) == 0


def test_record_action_is_stored_and_audited(engine: Engine) -> None:
    org, rec = _org(engine, "acme")
    project = ProjectStore(engine, org).create_project(rec, "Actions")
    person = _profiles(engine, 1)[0]
    first = ProjectStore(engine, org).record_action(rec, project, person["id"], "shortlist",
                                                    {"note": "strong Go", "n": 2})
    second = ProjectStore(engine, org).record_action(rec, project, person["id"], "hide")
    got = ProjectStore(engine, org).actions(project)
    assert [(a["id"], a["action"], a["payload"], a["recruiter_id"], a["profile_id"]) for a in got] == [
        (first, "shortlist", {"note": "strong Go", "n": 2}, rec, person["id"]),
        (second, "hide", {}, rec, person["id"]),
    ]
    with pytest.raises(ValueError, match="unknown action"):
        ProjectStore(engine, org).record_action(rec, project, person["id"], "promote")
    with pytest.raises(store.NotFound, match="profile not found: 999999"):
        ProjectStore(engine, org).record_action(rec, project, 999999, "open")
    with Session(engine) as s:
        log = s.scalars(select(m.AuditLog).order_by(m.AuditLog.id)).all()
        assert [(e.action, e.actor_type, e.actor_id, e.subject_type, e.subject_id) for e in log] == [
            ("candidate.shortlist", "recruiter", str(rec), "profile", str(person["id"])),
            ("candidate.hide", "recruiter", str(rec), "profile", str(person["id"])),
        ]
        assert log[0].detail == {"project_id": project, "action_id": first, "payload": {"note": "strong Go", "n": 2}}
        assert verify_audit_chain(s, org)


def test_upsert_of_5000_rows_is_bulk(engine: Engine) -> None:
    org, rec = _org(engine, "acme")
    project = ProjectStore(engine, org).create_project(rec, "Large pool")
    records = [ProfileRecord(source="gen", raw_text=f"Candidate number {i}, Python developer") for i in range(5000)]
    ids = load_records(engine, records, None).profile_ids
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        rows = [(pid, "python", i / 5000) for i, pid in enumerate(ids)]
        first = ProjectStore(engine, org).upsert_pipeline(project, rows)
        again = ProjectStore(engine, org).upsert_pipeline(project, [(pid, "second", 1.0) for pid in ids])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (first, again) == (5000, 0)
    assert len(statements) < 60  # a handful of batched statements, not one per row
    with Session(engine) as s:
        rows = s.execute(select(m.PipelineEntry.source_query, m.PipelineEntry.classical_score,
                                m.PipelineEntry.stage, m.PipelineEntry.organisation_id)).all()
        assert len(rows) == 5000
        assert {tuple(r) for r in rows} == {("python", 1.0, "sourced", org)}


def test_shortlist_shows_the_latest_version_judged(engine: Engine) -> None:
    org, rec = _org(engine, "acme")
    project = ProjectStore(engine, org).create_project(rec, "Re-judged")
    person = _profiles(engine, 1)[0]
    _, old = ProjectStore(engine, org).save_qualifications(project, QUALS, status="approved", approved_by=rec)
    ProjectStore(engine, org).save_judgements(project, [q.id for q in old], [_judgement(person, "meets", "meets")])
    edited = [QUALS[1], QUALS[0].model_copy(update={"text": "3+ years of professional software development"})]
    _, new = ProjectStore(engine, org).save_qualifications(project, edited, status="approved", approved_by=rec)
    ProjectStore(engine, org).save_judgements(project, [q.id for q in new], [_judgement(person, "partly", "does_not")])
    ProjectStore(engine, org).set_ranks(project, [person["id"]])
    (row,) = ProjectStore(engine, org).shortlist(project)
    assert [(v["qualification_id"], v["text"], v["verdict"]) for v in row["verdicts"]] == [
        (new[0].id, QUALS[1].text, "partly"), (new[1].id, "3+ years of professional software development", "does_not")]
    # partly on the nice-to-have (weight 1), not the must-have (weight 2): weighted 0.5 / (1 + 2·2) = 0.1
    assert row["score"] == pytest.approx((0 + 0.1) / (2 * 1 + 1), abs=1e-6)
    with Session(engine) as s:  # the verdicts on the earlier version stay on record
        assert s.scalar(select(func.count()).select_from(m.Evaluation)) == 4
    with pytest.raises(ValueError, match="another organisation"):
        store.ensure_demo_recruiter(engine, "other", "acme@example.test")


def test_the_shown_score_orders_the_shortlist_as_it_is_ranked(engine: Engine) -> None:
    """Every combination of verdicts on two must-haves and a nice-to-have: ranked by rank_key, stored, read back;
    the stored score falls strictly down the ranks and is the score rank_key orders by."""
    import itertools

    from tools.hiring import rank_key, shortlist_score

    org, rec = _org(engine, "scores")
    quals_in = [QualificationSpec(text="Python", weight=1.0, skills=["Python"]),
                QualificationSpec(text="Go", weight=0.5, skills=["Go"]),
                QualificationSpec(text="Kubernetes", kind="nice", weight=2.0, skills=["Kubernetes"])]
    labels = ("meets", "partly", "does_not")
    combos = list(itertools.product(labels, repeat=3))
    people = _profiles(engine, len(combos))
    s = ProjectStore(engine, org)
    project = s.create_project(rec, "Scores")
    _, quals = s.save_qualifications(project, quals_in, status="approved", approved_by=rec)
    judgements = [CandidateJudgement(profile_id=p["id"], verdicts=[
        QualificationVerdict(qualification=i, verdict=v, reason=v) for i, v in enumerate(combo)])
        for p, combo in zip(people, combos, strict=True)]
    ranked = sorted(judgements, key=lambda j: rank_key(j, quals))
    s.save_judgements(project, [q.id for q in quals], ranked)
    s.set_ranks(project, [j.profile_id for j in ranked])
    shown = s.shortlist(project, limit=len(ranked))
    assert [r["profile_id"] for r in shown] == [j.profile_id for j in ranked]
    assert [r["score"] for r in shown] == [shortlist_score(j.verdicts, quals) for j in ranked]
    scores = [r["score"] for r in shown]
    distinct = len(set(scores))
    assert distinct > 10 and all(a >= b for a, b in zip(scores, scores[1:], strict=False))
    # must-haves met come first, whatever the nice-to-have weighs: both musts met with the nice missing
    # outranks one must met with the heavy nice met
    by_combo = {combo: r["score"] for combo, r in zip(
        [tuple(v.verdict for v in j.verdicts) for j in ranked], shown, strict=True)}
    assert by_combo[("meets", "meets", "does_not")] > by_combo[("meets", "does_not", "meets")]
