"""Loading match candidates from the system of record (a migrated SQLite file) and judging them."""

from __future__ import annotations

from sqlalchemy import Engine

from app.loader import load_records
from tools.generator import generate
from tools.hiring import QualificationSpec
from tools.matching import Matcher, load_candidates
from tools.taxonomy import load


def test_load_candidates_keeps_order_skips_unknown_ids_and_judges(sqlite_engine: Engine) -> None:
    records = list(generate(40, seed=3))
    stats = load_records(sqlite_engine, records, None)
    assert stats.inserted == 40
    ids = stats.profile_ids
    by_id = dict(zip(ids, records, strict=True))
    wanted = [ids[7], 10_000_000, ids[0], ids[7], ids[39], -5]
    with sqlite_engine.connect() as conn:
        candidates = load_candidates(conn, wanted)
    assert [c.profile_id for c in candidates] == [ids[7], ids[0], ids[39]]
    known = set(load().skills)
    for c in candidates:
        r = by_id[c.profile_id]
        assert c.text == r.raw_text
        assert (c.full_name, c.current_title, c.location, c.country, c.seniority) == (
            r.full_name, r.current_title, r.location, r.country, r.seniority)
        assert c.years_experience == r.years_experience
        assert c.titles == tuple(e.title for e in r.experiences)  # most recent first
        assert set(c.skills) == {s for s, _ in r.skills if s in known}
        assert list(c.skills) == sorted(c.skills)
    quals = [QualificationSpec(text="3+ years", years_min=3),
             QualificationSpec(text=candidates[0].skills[0], skills=[candidates[0].skills[0]])]
    for j, c in zip(Matcher(quals).judge_many(candidates), candidates, strict=True):
        for v in j.verdicts:
            for ev in v.evidence:
                assert c.text[ev.start:ev.end] == ev.quote
    assert Matcher(quals).judge(candidates[0]).verdicts[1].verdict == "meets"


def test_load_candidates_chunks_long_id_lists(sqlite_engine: Engine) -> None:
    stats = load_records(sqlite_engine, list(generate(25, seed=4)), None)
    ids = list(reversed(stats.profile_ids))
    # more than one IN list: 2,000 ids, most of them unknown, the known ones spread across the chunks
    wanted = list(range(100_000, 101_975))
    for k, pid in enumerate(ids):
        wanted.insert(k * 80, pid)
    with sqlite_engine.connect() as conn:
        candidates = load_candidates(conn, wanted)
        assert load_candidates(conn, []) == []
    assert [c.profile_id for c in candidates] == ids
