"""The embedded keyword backend's sparse segments: built by `hire index`, kept current by a delta of the
profiles changed since, answering exactly what FTS5 answers (same matches and totals), on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.loader import ensure_organisation, load_records, seed_profiles
from tools.records import ProfileRecord
from tools.records.models import Profile, ProfileSkill
from tools.records.session import session_factory
from tools.search import sparse_store
from tools.search.engine import TalentSearch
from tools.search.keyword import SqliteKeywordIndex
from tools.search.query import parse
from tools.search.sparse_store import SparseKeywordStore
from tools.search.types import Facets, SearchRequest

QUERIES = ['("site reliability" OR SRE OR devops) AND (Kubernetes OR k8s) NOT manager', "python NOT title:scientist",
           'title:(nurse OR developer)', "kube*", '"machine learning"', "excel AND (nurse OR assistant)"]
FACETS = [Facets(), Facets(country=["US"]), Facets(years_min=5.0, open_to_work=True),
          Facets(seniority=["senior", "lead"], pool="network"), Facets(updated_since=dt.date(2025, 1, 1))]


def _applicant(i: int) -> ProfileRecord:
    title = ["Site Reliability Engineer", "Python Developer", "Registered Nurse", "DevOps Engineer", "Manager"][i]
    return ProfileRecord(source="import:test", raw_text=f"Applicant {i}\n{title}. Kubernetes, Python, Excel.",
                         full_name=f"Applicant {i}", headline=title, current_title=title, country="US",
                         years_experience=3 + 2 * i, seniority="senior" if i > 2 else "mid", open_to_work=i % 2 == 0,
                         skills=[("Kubernetes", "stated"), ("Python", "stated"), ("Microsoft Excel", "stated")],
                         updated_at=dt.datetime(2025, 3, i + 1, tzinfo=dt.UTC))


@pytest.fixture(params=[sparse_store.SEGMENT_ROWS, 250], ids=["one-segment", "three-segments"])
def seeded(request, sqlite_engine: Engine, tmp_path: Path, monkeypatch) -> tuple[Engine, SparseKeywordStore, int]:
    monkeypatch.setattr(sparse_store, "SEGMENT_ROWS", request.param)
    org = ensure_organisation(sqlite_engine, "acme")
    seed_profiles(sqlite_engine, 500, seed=5, workers=1)
    seed_profiles(sqlite_engine, 95, seed=6, occupations=("15-",), workers=1)
    load_records(sqlite_engine, [_applicant(i) for i in range(5)], org)
    store = SparseKeywordStore(tmp_path / "keyword")
    assert store.build(sqlite_engine).segments == (3 if request.param == 250 else 1)
    return sqlite_engine, store, org


def _both(engine: Engine, store: SparseKeywordStore, query: str, facets: Facets, org: int | None):
    parsed = parse(query)
    with engine.connect() as conn:
        fts = SqliteKeywordIndex().search(conn, parsed, facets, org, 1000)
        sparse = SqliteKeywordIndex(store).search(conn, parsed, facets, org, 1000)
        fts_ids = SqliteKeywordIndex().matching_ids(conn, parsed, facets, org)
        sparse_ids = SqliteKeywordIndex(store).matching_ids(conn, parsed, facets, org)
    return fts, sparse, fts_ids, sparse_ids


def _agree(engine: Engine, store: SparseKeywordStore, org: int | None) -> None:
    for query in QUERIES:
        for facets in FACETS:
            fts, sparse, fts_ids, sparse_ids = _both(engine, store, query, facets, org)
            assert sparse.total == fts.total, (query, facets)
            assert set(sparse.ids) == set(fts.ids), (query, facets)
            assert sorted(sparse_ids) == sorted(fts_ids), (query, facets)
            assert sparse.scores == sorted(sparse.scores, reverse=True)


def test_the_sparse_segments_match_what_fts5_matches(seeded) -> None:
    engine, store, org = seeded
    _agree(engine, store, org)
    _agree(engine, store, None)  # no organisation: network members only
    with engine.connect() as conn:
        assert store.pending(conn) == (600, 0) and not store.needs_rebuild(conn)


def test_changed_and_added_profiles_are_searched_from_the_delta(seeded) -> None:
    engine, store, org = seeded
    with session_factory(engine).begin() as session:
        nurse = session.execute(text("SELECT id FROM profiles WHERE current_title LIKE '%Nurse%' LIMIT 1")).scalar()
        profile = session.get(Profile, nurse)
        profile.current_title = "Zookeeper"  # the old title must stop matching, the new one start
        skill = session.scalar(text("SELECT id FROM skills WHERE name = 'Kubernetes'"))
        other = session.execute(text("SELECT id FROM profiles WHERE id NOT IN (SELECT profile_id FROM profile_skills "
                                     "WHERE skill_id = :s) AND id != :n LIMIT 1"), {"s": skill, "n": nurse}).scalar()
        session.add(ProfileSkill(profile_id=other, skill_id=skill, source="stated"))
    record = ProfileRecord(source="generated:test", raw_text="Ada Quinn\nPlatform engineer. Kubernetes, Go.",
                           full_name="Ada Quinn", headline="Platform Engineer", current_title="Platform Engineer",
                           skills=[("Kubernetes", "stated"), ("Go", "stated")], country="DE", years_experience=6,
                           updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))  # an old date: found by its new id
    added = load_records(engine, [record], None).profile_ids[0]
    with engine.connect() as conn:
        assert store.pending(conn) == (600, 3)  # a skill alone changed `other`: its updated_at moved too
    parsed = parse("title:zookeeper")
    with engine.connect() as conn:
        assert SqliteKeywordIndex(store).matching_ids(conn, parsed, Facets(), org) == [nurse]
        kube = set(SqliteKeywordIndex(store).matching_ids(conn, parse("skill:kubernetes"), Facets(), org))
        nurses = set(SqliteKeywordIndex(store).matching_ids(conn, parse("title:nurse"), Facets(), org))
    assert {other, added} <= kube and nurse not in nurses
    _agree(engine, store, org)
    search = TalentSearch(engine, None, None, store)
    page = search.search(SearchRequest(query="skill:kubernetes AND platform", mode="keyword"), organisation_id=org)
    assert page.hits[0].profile_id == added and page.hits[0].keyword_score > 0


def test_a_large_delta_falls_back_to_fts5_and_a_rebuild_absorbs_it(seeded, monkeypatch) -> None:
    engine, store, org = seeded
    with engine.begin() as conn:  # touch 40 profiles behind the ORM's back, as a bulk job would
        conn.execute(text("UPDATE profiles SET updated_at = :now WHERE id <= 40"), {"now": dt.datetime.now(dt.UTC)})
    monkeypatch.setattr(sparse_store, "DELTA_LIMIT", 20)
    monkeypatch.setattr(sparse_store, "MARGIN", dt.timedelta(0))  # the rebuild below starts right after the touch
    with engine.connect() as conn:
        assert store.view(conn) is None and store.needs_rebuild(conn)
    _agree(engine, store, org)  # through FTS5 on both sides
    stats = store.build(engine)
    assert stats.generation == "g000002" and not (store.folder / "g000001").exists()
    with engine.connect() as conn:
        assert store.view(conn) is not None and store.pending(conn) == (600, 0)
    _agree(engine, store, org)
    store.clear()
    with engine.connect() as conn:
        assert store.view(conn) is None and store.pending(conn) is None


def test_a_second_process_sees_a_new_generation(seeded) -> None:
    engine, store, org = seeded
    reader = SparseKeywordStore(store.folder)
    with engine.connect() as conn:
        first = reader.view(conn)
        assert first is not None and sum(len(seg.ids) for seg in first.base) == 600
    seed_profiles(engine, 50, seed=9, workers=1)
    store.build(engine)
    with engine.connect() as conn:
        second = reader.view(conn)
        assert second is not None and sum(len(seg.ids) for seg in second.base) == 650 and second.delta is None


def test_a_build_that_fails_midway_keeps_the_index_in_use(seeded, monkeypatch) -> None:
    engine, store, org = seeded
    real_build = sparse_store.SparseKeywordIndex.build

    def full_disk(docs, path=None, reference=None):
        real_build(list(docs)[:10], path)  # some files are written, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sparse_store.SparseKeywordIndex, "build", full_disk)
    with pytest.raises(OSError, match="No space left"):
        store.build(engine)
    assert sorted(p.name for p in store.folder.iterdir()) == ["CURRENT", "g000001"]
    monkeypatch.undo()
    _agree(engine, store, org)


def test_segments_score_as_one_index(seeded, tmp_path: Path, monkeypatch) -> None:
    """The same profiles in one segment and in three give the same ranking and the same BM25 scores."""
    engine, store, org = seeded
    monkeypatch.setattr(sparse_store, "SEGMENT_ROWS", 250)
    three = SparseKeywordStore(tmp_path / "three")
    assert three.build(engine).segments == 3
    monkeypatch.setattr(sparse_store, "SEGMENT_ROWS", 10_000)
    one = SparseKeywordStore(tmp_path / "one")
    assert one.build(engine).segments == 1
    with engine.connect() as conn:
        views = one.view(conn), three.view(conn)
    for query in QUERIES:
        a, b = (s.search(v, parse(query), Facets(), org, 50) for s, v in zip((one, three), views, strict=True))
        assert a.total == b.total and a.ids == b.ids, query
        assert a.scores == pytest.approx(b.scores, rel=1e-5), query


def test_an_index_built_on_an_empty_store_answers_once_profiles_arrive(sqlite_engine: Engine, tmp_path: Path) -> None:
    """`hire init` builds the segments before there is any profile; profiles seeded afterwards are found through
    the delta, not an error."""
    store = SparseKeywordStore(tmp_path / "keyword")
    store.build(sqlite_engine)
    seed_profiles(sqlite_engine, 120, seed=8, occupations=("15-",), workers=1)
    with sqlite_engine.connect() as conn:
        expected = SqliteKeywordIndex().matching_ids(conn, parse("title:developer"), Facets(), None)
    assert expected
    search = TalentSearch(sqlite_engine, None, None, store)
    assert sorted(search.matching_ids(parse("title:developer"), Facets(), None)) == sorted(expected)
