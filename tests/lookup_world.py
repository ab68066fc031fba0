"""A small recruiting world on a real SQLite file for the look-up agent's tests: two organisations, network
members in Berlin and Austin, an applicant of the other organisation, and a project with a ranked shortlist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from app.loader import ensure_organisation, load_records
from graphs.brain import Brain
from graphs.context import Context, Services
from tools.hiring import CandidateJudgement, QualificationSpec, QualificationVerdict
from tools.records import ExperienceRecord, ProfileRecord
from tools.records.store import ProjectStore, ensure_demo_recruiter
from tools.search.engine import TalentSearch

AUSTIN = "0012420"


def person(name: str, title: str, skills: list[str], location: str, country: str, years: float, *,
           open_to_work: bool = True, metro: str | None = None, extra: str = "") -> ProfileRecord:
    raw = (f"{name}\n{title} at Nova Labs\n{location}\n\nSummary\n{title} with {years:g} years of experience. "
           f"{extra}\n\nSkills\n{', '.join(skills)}\n")
    return ProfileRecord(
        source="import:test", raw_text=raw, full_name=name, headline=f"{title} at Nova Labs", current_title=title,
        current_company="Nova Labs", years_experience=years, seniority="senior" if years >= 5 else "mid",
        location=location, metro_code=metro, country=country, open_to_work=open_to_work,
        updated_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        experiences=[ExperienceRecord(title, "Nova Labs", dt.date(2018, 1, 1), None, True, extra)],
        skills=[(s, "stated") for s in skills],
    )


@dataclass
class LookupWorld:
    engine: Engine
    org_id: int
    recruiter_id: int
    other_org_id: int
    project_id: int
    dana: int  # Berlin, shortlisted first, open to work
    jonas: int  # Berlin, shortlisted second, not open to work
    sam: int  # Austin, like Dana, open to work
    ana: int  # Austin, like Dana, not open to work
    nurse: int  # Austin, nothing like Dana
    secret: int  # an applicant of the other organisation, like Dana, in Austin

    @property
    def search(self) -> TalentSearch:
        return TalentSearch(self.engine, None, None)

    def services(self, brain: Brain | None = None) -> Services:
        return Services(engine=self.engine, talent_search=self.search, brain=brain or Brain())

    def context(self, brain: Brain | None = None, **overrides: Any) -> Context:
        values: dict[str, Any] = {"organisation_id": self.org_id, "recruiter_id": self.recruiter_id,
                                  "project_id": self.project_id}
        values.update(overrides)
        return Context(services=self.services(brain), **values)

    def store(self) -> ProjectStore:
        return ProjectStore(self.engine, self.org_id)


def build_world(engine: Engine) -> LookupWorld:
    org, recruiter = ensure_demo_recruiter(engine, "acme", "ada@acme.test", "Ada")
    other = ensure_organisation(engine, "rival", "Rival")
    members = load_records(engine, [
        person("Dana Smith", "Senior Backend Engineer", ["Go", "Kubernetes", "PostgreSQL"], "Berlin, Germany", "DE",
               8, extra="Built payment services in Go."),
        person("Jonas Albrecht", "Backend Engineer", ["Go", "Linux"], "Berlin, Germany", "DE", 6,
               open_to_work=False),
        person("Sam Lee", "Backend Engineer", ["Go", "Kubernetes"], "Austin, TX, United States", "US", 5,
               metro=AUSTIN),
        person("Ana Ortiz", "Backend Engineer", ["Go", "Docker"], "Austin, TX, United States", "US", 4,
               metro=AUSTIN, open_to_work=False),
        person("Rosa Diaz", "Registered Nurse", ["Patient care"], "Austin, TX, United States", "US", 9,
               metro=AUSTIN),
    ], None).profile_ids
    secret = load_records(engine, [person("Secret Bee", "Backend Engineer", ["Go", "Kubernetes"],
                                          "Austin, TX, United States", "US", 7, metro=AUSTIN)], other).profile_ids[0]
    dana, jonas, sam, ana, nurse = members
    store = ProjectStore(engine, org)
    project = store.create_project(recruiter, "Backend Engineer, Berlin")
    quals = [QualificationSpec(text="Professional Go development", skills=["Go"]),
             QualificationSpec(text="Runs Kubernetes in production", skills=["Kubernetes"])]
    _version, stored = store.save_qualifications(project, quals, status="approved", approved_by=recruiter)
    store.upsert_pipeline(project, [(dana, "go", 0.9), (jonas, "go", 0.7)])
    store.save_judgements(project, [q.id for q in stored if q.id is not None], [
        CandidateJudgement(profile_id=dana, recommendation="strong", verdicts=[
            QualificationVerdict(qualification=0, verdict="meets", reason="Eight years of Go."),
            QualificationVerdict(qualification=1, verdict="meets", reason="Runs Kubernetes.")]),
        CandidateJudgement(profile_id=jonas, recommendation="possible", verdicts=[
            QualificationVerdict(qualification=0, verdict="meets", reason="Six years of Go."),
            QualificationVerdict(qualification=1, verdict="no_evidence", reason="No Kubernetes.")]),
    ])
    store.set_ranks(project, [dana, jonas])
    return LookupWorld(engine=engine, org_id=org, recruiter_id=recruiter, other_org_id=other, project_id=project,
                       dana=dana, jonas=jonas, sam=sam, ana=ana, nurse=nurse, secret=secret)
