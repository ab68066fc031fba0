"""A background run's work on real SQLite and PostgreSQL pools: every match of the sourcing queries
(``source_all``), and batches judged and stored (``judge_and_store``) exactly as the chat's evaluation stores
them, replaced, not doubled, when a batch runs again."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.loader import ensure_organisation, load_records, seed_profiles
from tools.background import broadened, judge_and_store, meets_every_must, source_all
from tools.hiring import HiringRequirements, QualificationSpec, shortlist_score
from tools.matching import Matcher, load_candidates
from tools.records import ProfileRecord
from tools.records import models as m
from tools.records.store import ProjectStore, ensure_demo_recruiter
from tools.search.engine import TalentSearch
from tools.search.indexer import embed_pending
from tools.search.vectors import VectorIndex
from tools.sourcing import SourcingQuery, broaden

QUALS = [
    QualificationSpec(text="Works as a software developer", titles=["Software Developer", "Software Engineer"]),
    QualificationSpec(text="2+ years of experience", years_min=2),
    QualificationSpec(text="Python", skills=["Python"]),
    QualificationSpec(text="Kubernetes is a plus", kind="nice", skills=["Kubernetes"]),
    QualificationSpec(text="Speaks English", kind="nice", languages=["English"]),
    QualificationSpec(text="A clean driving record", review=True),
]


def _project(engine: Engine) -> tuple[int, int, int, list[QualificationSpec]]:
    org, rec = ensure_demo_recruiter(engine)
    store = ProjectStore(engine, org)
    project = store.create_project(rec, "Software developer")
    _version, quals = store.save_qualifications(project, QUALS, status="approved", approved_by=rec)
    return org, rec, project, quals


def _stored(engine: Engine, project: int) -> dict[tuple[int, int], tuple[str, str, list[tuple[str, int, int, str]]]]:
    """(profile, qualification) → (verdict, reason, evidence spans in id order) as stored."""
    with Session(engine) as s:
        spans: dict[int, list[tuple[str, int, int, str]]] = {}
        for span in s.scalars(select(m.EvidenceSpan).order_by(m.EvidenceSpan.id)):
            spans.setdefault(span.evaluation_id, []).append((span.source, span.start, span.end, span.quote))
        return {(e.profile_id, e.qualification_id): (e.verdict, e.reason, spans.get(e.id, []))
                for e in s.scalars(select(m.Evaluation).where(m.Evaluation.project_id == project))}


def test_batches_store_the_matchers_verdicts_and_a_rerun_replaces_them(engine: Engine) -> None:
    seed_profiles(engine, 300, seed=5, occupations=("15-",), workers=1)
    org, _rec, project, quals = _project(engine)
    with Session(engine) as s:
        ids = list(s.scalars(select(m.Profile.id).order_by(m.Profile.id)))
    ProjectStore(engine, org).upsert_pipeline(project, [(ids[0], "an earlier query", 0.5)])
    matcher = Matcher(quals)
    results = [judge_and_store(engine, org, project, quals, ids[at:at + 120], matcher=matcher,
                               found_by={pid: "skills: Python" for pid in ids})
               for at in range(0, len(ids), 120)]
    assert sum(r.judged for r in results) == 300

    # the reference: what the chat's evaluation judges for the same candidates
    with engine.connect() as conn:
        expected = {j.profile_id: j for j in Matcher(quals).judge_many(load_candidates(conn, ids))}
    matched = [pid for pid in ids if meets_every_must(expected[pid], quals)]
    assert [pid for r in results for pid in r.matched_ids] == matched
    assert sum(r.matched for r in results) == len(matched)
    assert 0 < len(matched) < 300  # the review item does not stop anyone from matching
    qual_ids = [q.id for q in quals]
    want = {(pid, qual_ids[v.qualification]): (v.verdict, v.reason,
                                               [(e.source, e.start, e.end, e.quote) for e in v.evidence])
            for pid, j in expected.items() for v in j.verdicts}
    assert _stored(engine, project) == want
    assert sum(bool(spans) for _v, _r, spans in want.values()) > 300  # evidence was stored, not just verdicts

    with Session(engine) as s:
        s.execute(m.PipelineEntry.__table__.update().where(m.PipelineEntry.profile_id == ids[1])
                  .values(stage="shortlisted"))
        s.commit()
    # a batch run again (a crash after it was stored) leaves one evaluation per candidate and qualification
    again = judge_and_store(engine, org, project, quals, ids[:120], found_by={pid: "later: q" for pid in ids})
    assert (again.judged, again.matched_ids) == (120, [pid for pid in matched if pid in set(ids[:120])])
    assert _stored(engine, project) == want
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Evaluation)) == 300 * len(QUALS)
        entries = {e.profile_id: e for e in s.scalars(select(m.PipelineEntry))}
    assert set(entries) == set(ids)
    for pid, e in entries.items():
        assert e.score == pytest.approx(shortlist_score(expected[pid].verdicts, quals), abs=1e-9)
        assert e.recommendation == expected[pid].recommendation
        assert e.stage == ("shortlisted" if pid == ids[1] else "evaluated")
    # the query that first found a candidate is kept
    assert (entries[ids[0]].source_query, entries[ids[2]].source_query) == ("an earlier query", "skills: Python")


def test_unknown_ids_are_skipped_and_ids_are_required(engine: Engine) -> None:
    seed_profiles(engine, 20, seed=6, workers=1)
    org, _rec, project, quals = _project(engine)
    assert judge_and_store(engine, org, project, quals, [10_000_000]).judged == 0
    with pytest.raises(ValueError, match="its id"):
        judge_and_store(engine, org, project, QUALS, [1])


class WordHashEmbedder:
    """A deterministic bag-of-words embedding of the index's size standing in for the sentence model."""

    dim = 384

    def _vector(self, words: list[str]) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in words:
            v[zlib.crc32(w.lower().encode()) % self.dim] += 1.0
        return v / max(float(np.linalg.norm(v)), 1e-9)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t.split()) for t in texts])

    def compose(self, items: list[tuple[list[str], list[float]]]) -> np.ndarray:
        return np.stack([self._vector(" ".join(phrases).split()) for phrases, _weights in items])

    def encode_query(self, text: str) -> np.ndarray:
        return self._vector(text.split())


def _with_skill(engine: Engine, skill: str, org: int) -> set[int]:
    with Session(engine) as s:
        return set(s.scalars(
            select(m.ProfileSkill.profile_id).join(m.Skill, m.Skill.id == m.ProfileSkill.skill_id)
            .join(m.Profile, m.Profile.id == m.ProfileSkill.profile_id)
            .where(m.Skill.name == skill, (m.Profile.organisation_id.is_(None)) | (m.Profile.organisation_id == org))))


def test_source_all_finds_every_match_keeps_the_first_finder_and_caps_by_score(engine: Engine,
                                                                                tmp_path: Path) -> None:
    seed_profiles(engine, 400, seed=7, occupations=("15-",), workers=1)
    org, other = ensure_organisation(engine, "acme"), ensure_organisation(engine, "rival")
    text = "Software developer. Python, Kubernetes."
    mine = load_records(engine, [ProfileRecord(source="import:a", raw_text=text, skills=[("Python", "stated")])],
                        org).profile_ids[0]
    theirs = load_records(engine, [ProfileRecord(source="import:b", raw_text=text, skills=[("Python", "stated")])],
                          other).profile_ids[0]
    vectors = VectorIndex.open(tmp_path / "vectors")
    embed_pending(engine, vectors, WordHashEmbedder())  # type: ignore[arg-type]
    search = TalentSearch(engine, vectors, WordHashEmbedder())
    thinking, python = _with_skill(engine, "Critical Thinking", org), _with_skill(engine, "Python", org)
    assert len(thinking) > 100  # more than a page of hits
    assert mine in python and theirs not in python and python - thinking

    queries = [SourcingQuery(label="thinking", query='skill:"Critical Thinking"', mode="keyword"),
               SourcingQuery(label="python", query="skill:Python", semantic_text="developer", mode="hybrid"),
               SourcingQuery(label="bad", query="NOT manager", mode="keyword")]
    pool = source_all(search, org, queries)
    assert set(pool.ids) == thinking | python and len(pool.ids) == len(set(pool.ids))
    assert pool.per_query == {"thinking": len(thinking), "python": len(python)} and "bad" in pool.errors
    assert {pool.found_by[pid] for pid in thinking} == {'thinking: skill:"Critical Thinking"'}
    assert {pool.found_by[pid] for pid in python - thinking} == {"python: skill:Python"}
    assert set(pool.ids[:len(thinking)]) == thinking  # the first query's finds first

    semantic = SourcingQuery(label="words", semantic_text="software developer python", mode="semantic")
    everyone = source_all(search, org, [semantic])
    assert len(everyone.ids) == 401 and theirs not in everyone.ids  # three pages and a bit, the whole pool
    first = search.search(semantic.request(page_size=100), org).hits
    assert everyone.ids[:100] == [h.profile_id for h in first]

    def score(ids: list[int]) -> dict[int, float]:
        return {pid: (pid % 7) / 7 for pid in ids}

    capped = source_all(search, org, queries, depth=25, score=score)
    best = sorted(thinking | python, key=lambda pid: (-(pid % 7) / 7, pid))[:25]
    assert (capped.ids, capped.capped, set(capped.found_by)) == (best, True, set(best))
    assert source_all(search, org, queries, depth=25).ids == pool.ids[:25]


def test_broadened_gives_each_querys_next_step() -> None:
    req = HiringRequirements(title="Software Developer", location="Berlin", country="DE")
    quals = [QUALS[0], QUALS[2], QualificationSpec(text="In Berlin", location="Berlin")]
    queries = [SourcingQuery(label="must-haves", query='title:"Software Developer" AND skill:Python', mode="keyword",
                             years_min=5),
               SourcingQuery(label="semantic", query='title:"Software Developer"', semantic_text="x", level=9)]
    wider = broadened(queries, req, quals)
    assert wider == [broaden(queries[0], req, quals)]
    assert wider[0].level == 1 and "(broadened 1)" in wider[0].label
