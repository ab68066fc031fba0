"""Talent insights: every figure checked against an independent count, on SQLite and on PostgreSQL."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable

import pytest
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from app.loader import ensure_organisation, load_records, seed_profiles
from tools.insights import NATIONAL, SOURCE, Count, TalentInsights, insight_figures, talent_insights
from tools.records import EducationRecord, ExperienceRecord, ProfileRecord
from tools.records import models as m
from tools.taxonomy import load

SWE = "15-1252.00"
AUSTIN = "0012420"


@pytest.fixture(scope="module")
def tax():
    return load()


def _applicants(tag: str, tax) -> list[ProfileRecord]:
    """One applicant per computer occupation, all in Austin, holding the hot and in-demand technologies of
    their occupation and of Software Developers: whichever widening is suggested, they would count for it."""
    swe_skills = [n for n, hot, demand in tax.occupations[SWE].tech if hot or demand]
    records = []
    codes = sorted(c for c, o in tax.occupations.items() if c.startswith("15-") and o.tech)
    for i, code in enumerate(codes):
        occ = tax.occupations[code]
        own = [n for n, hot, demand in occ.tech if hot or demand]
        records.append(ProfileRecord(
            source=f"import:{tag}-{i}.txt", raw_text=f"{tag} applicant {i}: {occ.title} in Austin",
            full_name=f"{tag.title()} Applicant {i}", current_title=f"Applicant {occ.title}",
            current_company=f"{tag} Corp", occupation_code=code, years_experience=float(i % 20),
            location="Austin-Round Rock-San Marcos, TX, United States", metro_code=AUSTIN, country="US",
            open_to_work=i % 2 == 0,
            experiences=[ExperienceRecord(f"Applicant {occ.title}", f"{tag} Corp", None, None, True)],
            educations=[EducationRecord(f"{tag} University", "Bachelor of Science", None, 2015)],
            skills=[(n, "stated") for n in dict.fromkeys(own + swe_skills)],
        ))
    return records


def _seed(engine: Engine, tax) -> dict[str, int]:
    seed_profiles(engine, 3000, seed=2, workers=1)
    seed_profiles(engine, 1000, seed=3, occupations=("15-",), workers=1)
    a = ensure_organisation(engine, "org-a")
    b = ensure_organisation(engine, "org-b")
    load_records(engine, _applicants("alpha", tax), a)
    load_records(engine, _applicants("beta", tax), b)
    return {"a": a, "b": b}


def _visible(org: int | None):
    return m.Profile.organisation_id.is_(None) if org is None else or_(
        m.Profile.organisation_id.is_(None), m.Profile.organisation_id == org)


def _ids(engine: Engine, *where) -> list[int]:
    with Session(engine) as s:
        return list(s.scalars(select(m.Profile.id).where(*where).order_by(m.Profile.id)))


def _expected(values: Iterable[str | None], size: int, top: int = 10) -> list[Count]:
    counts = Counter(v for v in values if v)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [Count(label=k, count=v, share=v / size) for k, v in ranked]


def _jaccard(tax, a: str, b: str) -> float:
    def hot(code: str) -> set[str]:
        tech = tax.occupations[code].tech
        return {n for n, h, _ in tech if h} or {n for n, _, _ in tech}

    x, y = hot(a), hot(b)
    return len(x & y) / len(x | y) if x and y else 0.0


# ---- distributions ------------------------------------------------------------------------------------------
def test_distributions_match_independent_counts(engine: Engine, tax) -> None:
    orgs = _seed(engine, tax)
    visible = _ids(engine, m.Profile.occupation_code == SWE, _visible(orgs["a"]))
    other_org = _ids(engine, m.Profile.occupation_code == SWE, m.Profile.organisation_id == orgs["b"])
    assert len(visible) > 300 and len(other_org) == 1
    # Another organisation's applicant passed in is dropped from the pool, as are unknown ids.
    ins = talent_insights(engine, [*visible, *other_org, 10**9, visible[0]], organisation_id=orgs["a"], taxonomy=tax)

    with Session(engine) as s:
        rows = s.execute(select(m.Profile.location, m.Profile.current_title, m.Profile.occupation_code,
                                m.Profile.years_experience, m.Profile.open_to_work)
                         .where(m.Profile.id.in_(visible))).all()
        companies = s.scalars(select(m.ProfileExperience.company).where(
            m.ProfileExperience.profile_id.in_(visible), m.ProfileExperience.position == 0)).all()
        schools = set(s.execute(select(m.ProfileEducation.profile_id, m.ProfileEducation.school).where(
            m.ProfileEducation.profile_id.in_(visible))).all())
        skills = s.scalars(select(m.Skill.name).join(m.ProfileSkill, m.ProfileSkill.skill_id == m.Skill.id)
                           .where(m.ProfileSkill.profile_id.in_(visible))).all()
    size = len(visible)
    assert ins.size == size == len(rows)
    assert ins.open_to_work_share == pytest.approx(sum(r.open_to_work for r in rows) / size)
    assert ins.median_years == statistics.median(r.years_experience for r in rows)
    assert ins.top_locations == _expected((r.location for r in rows), size)
    assert ins.top_titles == _expected((r.current_title for r in rows), size)
    assert ins.top_companies == _expected(companies, size)
    assert ins.top_schools == _expected((school for _, school in schools), size)
    assert ins.top_skills == _expected(skills, size)
    assert ins.top_occupations == [Count(label="Software Developers", count=size, share=1.0)]
    for counts in (ins.top_locations, ins.top_titles, ins.top_companies, ins.top_schools, ins.top_skills):
        assert len(counts) == 10
        assert [c.count for c in counts] == sorted((c.count for c in counts), reverse=True)
        assert sum(c.share for c in counts) == pytest.approx(sum(c.count for c in counts) / size)
        assert all(0 < c.share <= 1 for c in counts)
    # every pool member is in exactly one years bucket
    assert [(b.label, b.low, b.high) for b in ins.years] == [
        ("0-2", 0, 2), ("2-5", 2, 5), ("5-10", 5, 10), ("10-15", 10, 15), ("15+", 15, None)]
    assert sum(b.count for b in ins.years) == size
    for b in ins.years:
        assert b.count == sum(1 for r in rows if r.years_experience >= b.low
                              and (b.high is None or r.years_experience < b.high))
    # a mixed pool: occupations counted and shared out
    mixed = _ids(engine, m.Profile.metro_code == AUSTIN, _visible(orgs["a"]))
    mixed_ins = talent_insights(engine, mixed, organisation_id=orgs["a"], taxonomy=tax)
    with Session(engine) as s:
        codes = s.scalars(select(m.Profile.occupation_code).where(m.Profile.id.in_(mixed))).all()
    assert mixed_ins.top_occupations == _expected((tax.occupations[c].title for c in codes), len(mixed), 10)
    assert mixed_ins.top_locations == [Count(label="Austin-Round Rock-San Marcos, TX, United States",
                                             count=len(mixed), share=1.0)]

    figs = insight_figures(ins)
    assert set(figs) == {"locations", "titles", "skills", "years", "salary"}
    for key, counts in (("locations", ins.top_locations), ("titles", ins.top_titles), ("skills", ins.top_skills)):
        bar = figs[key].data[0]
        assert list(bar.y) == [c.label for c in counts] and list(bar.x) == [c.count for c in counts]
        assert figs[key].layout.title.text and figs[key].layout.xaxis.title.text == "Profiles"
        assert figs[key].layout.yaxis.title.text
    years = figs["years"]
    assert list(years.data[0].x) == [b.label for b in ins.years]
    assert list(years.data[0].y) == [b.count for b in ins.years]
    assert years.layout.xaxis.title.text == "Years of experience" and years.layout.yaxis.title.text == "Profiles"


# ---- salary and supply --------------------------------------------------------------------------------------
def test_salary_and_supply_are_the_bls_figures(engine: Engine, tax) -> None:
    _seed(engine, tax)
    pool = _ids(engine, m.Profile.occupation_code == SWE, m.Profile.organisation_id.is_(None))
    ins = talent_insights(engine, pool, organisation_id=None, taxonomy=tax)
    bls = tax.bls_national["15-1252"]
    national = ins.salary[0]
    assert national.area == NATIONAL and national.source == SOURCE
    assert (national.occupation_code, national.occupation, national.employment) == (SWE, bls["title"],
                                                                                    bls["employment"])
    assert [national.p10, national.p25, national.median, national.p75, national.p90] == [
        bls["wage"][k] for k in ("p10", "p25", "median", "p75", "p90")]

    with Session(engine) as s:
        rows = s.execute(select(m.Profile.metro_code, m.Profile.country).where(m.Profile.id.in_(pool))).all()
    metros = Counter(r.metro_code for r in rows if r.metro_code)
    top3 = sorted(metros, key=lambda c: (-metros[c], tax.metros[c][0]))[:3]
    employment = {row[0]: row[1] for row in tax.metro_employment["15-1252"]}
    assert [(b.area, b.median, b.employment) for b in ins.salary[1:]] == [
        (tax.metros[c][0], tax.metro_wage(SWE, c), employment[c]) for c in top3]
    assert all(b.p10 is None and b.p90 is None and b.source == SOURCE for b in ins.salary[1:])

    us = sum(1 for r in rows if r.country == "US")
    assert us < len(pool)  # the international profiles are not counted against US employment
    supply_us, supply_metro = ins.supply
    assert (supply_us.area, supply_us.pool_size, supply_us.bls_employment) == (NATIONAL, us, bls["employment"])
    assert supply_us.per_1000_employed == pytest.approx(us / bls["employment"] * 1000)
    assert (supply_metro.area, supply_metro.pool_size, supply_metro.bls_employment) == (
        tax.metros[top3[0]][0], metros[top3[0]], employment[top3[0]])
    assert supply_metro.per_1000_employed == pytest.approx(metros[top3[0]] / employment[top3[0]] * 1000)

    fig = insight_figures(ins)["salary"]
    box, markers = fig.data
    assert box.type == "box" and list(box.y) == [NATIONAL]
    assert (box.lowerfence[0], box.q1[0], box.median[0], box.q3[0], box.upperfence[0]) == (
        national.p10, national.p25, national.median, national.p75, national.p90)
    assert list(markers.x) == [b.median for b in ins.salary[1:]]
    assert list(markers.y) == [b.area for b in ins.salary[1:]]
    assert "Software Developers" in fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Annual wage (USD)" and fig.layout.yaxis.title.text == "Area"

    # A pool of one metro: its own BLS median, its employment as the supply denominator.
    metro_pool = _ids(engine, m.Profile.metro_code == top3[0], m.Profile.organisation_id.is_(None))
    metro_ins = talent_insights(engine, metro_pool, organisation_id=None, taxonomy=tax)
    dominant = next(c for c, o in tax.occupations.items() if o.title == metro_ins.top_occupations[0].label)
    soc = tax.occupations[dominant].soc
    assert [b.area for b in metro_ins.salary] == [NATIONAL, tax.metros[top3[0]][0]]
    assert metro_ins.salary[1].median == tax.metro_wage(dominant, top3[0])
    assert metro_ins.salary[0].median == tax.bls_national[soc]["wage"]["median"]
    with Session(engine) as s:
        in_group = s.scalar(select(func.count()).where(m.Profile.id.in_(metro_pool),
                                                       m.Profile.occupation_code.startswith(soc)))
    assert metro_ins.supply[1].pool_size == metro_ins.supply[0].pool_size == in_group


# ---- widening -----------------------------------------------------------------------------------------------
def _outside(engine: Engine, pool: list[int], org: int | None, *, occupation: str | None = None,
             skill: str | None = None, everyone: bool = False) -> int:
    """Profiles outside the pool with the occupation or skill: visible to ``org``, or everyone's."""
    stmt = select(func.count(m.Profile.id)).where(m.Profile.id.not_in(pool))
    if not everyone:
        stmt = stmt.where(_visible(org))
    if occupation:
        stmt = stmt.where(m.Profile.occupation_code == occupation)
    if skill:
        stmt = stmt.join(m.ProfileSkill, m.ProfileSkill.profile_id == m.Profile.id).join(
            m.Skill, m.Skill.id == m.ProfileSkill.skill_id).where(m.Skill.name == skill)
    with Session(engine) as s:
        return int(s.scalar(stmt))


def test_widening_counts_visible_profiles_only(engine: Engine, tax) -> None:
    orgs = _seed(engine, tax)
    pool = _ids(engine, m.Profile.occupation_code == SWE, _visible(orgs["a"]))
    ins = talent_insights(engine, pool, organisation_id=orgs["a"], taxonomy=tax)
    titles = [w for w in ins.widen if w.kind == "title"]
    skills = [w for w in ins.widen if w.kind == "skill"]
    assert ins.widen == titles + skills and 1 <= len(titles) <= 5 and 1 <= len(skills) <= 5

    # Titles: real occupations adjacent to Software Developers, closest first, with exact extra counts.
    closeness = [_jaccard(tax, SWE, w.occupation_code) for w in titles]
    assert all(j > 0 for j in closeness) and closeness == sorted(closeness, reverse=True)
    for w in titles:
        assert w.occupation_code != SWE and w.label == tax.occupations[w.occupation_code].title
        assert w.extra_profiles == _outside(engine, pool, orgs["a"], occupation=w.occupation_code) > 0
    with Session(engine) as s:
        present = dict(s.execute(select(m.Profile.occupation_code, func.count()).where(
            m.Profile.id.not_in(pool), _visible(orgs["a"])).group_by(m.Profile.occupation_code)).all())
    ranked = sorted((c for c in present if c != SWE and c in tax.occupations),
                    key=lambda c: (-_jaccard(tax, SWE, c), tax.occupations[c].title))
    assert titles[0].occupation_code == ranked[0]

    # Skills: hot or in-demand for the occupation, held by under half the pool, exact extra counts.
    expected_skills = {n for n, hot, demand in tax.occupations[SWE].tech if hot or demand}
    for w in skills:
        assert w.label in expected_skills and w.occupation_code is None
        with Session(engine) as s:
            held = s.scalar(select(func.count()).select_from(m.ProfileSkill).join(m.Skill).where(
                m.Skill.name == w.label, m.ProfileSkill.profile_id.in_(pool)))
        assert held / len(pool) < 0.5
        assert w.extra_profiles == _outside(engine, pool, orgs["a"], skill=w.label) > 0
    assert [w.extra_profiles for w in skills] == sorted((w.extra_profiles for w in skills), reverse=True)

    # The other organisation's applicants (one per computer occupation, all holding these skills) would add
    # to each of these: they are never counted.
    covered = [w for w in ins.widen if w.kind == "skill" or w.occupation_code.startswith("15-")]
    assert len(covered) >= len(skills) + 1
    for w in covered:
        kw = {"occupation": w.occupation_code} if w.kind == "title" else {"skill": w.label}
        assert _outside(engine, pool, orgs["a"], everyone=True, **kw) > w.extra_profiles
    # Network only, and organisation B's view of the same ids (A's applicant drops out of B's pool).
    for org in (None, orgs["b"]):
        other = talent_insights(engine, pool, organisation_id=org, taxonomy=tax)
        assert other.size == len(pool) - 1
        visible_pool = _ids(engine, m.Profile.id.in_(pool), _visible(org))
        for w in other.widen:
            kw = {"occupation": w.occupation_code} if w.kind == "title" else {"skill": w.label}
            assert w.extra_profiles == _outside(engine, visible_pool, org, **kw)


# ---- edges --------------------------------------------------------------------------------------------------
def test_empty_pool(engine: Engine, tax) -> None:
    a = ensure_organisation(engine, "org-a")
    b = ensure_organisation(engine, "org-b")
    load_records(engine, _applicants("alpha", tax)[:3], a)
    b_ids = load_records(engine, _applicants("beta", tax)[:3], b).profile_ids
    empty = TalentInsights(size=0, open_to_work_share=0.0, median_years=None, top_locations=[], top_titles=[],
                           top_companies=[], top_schools=[], top_skills=[], top_occupations=[], years=[], salary=[],
                           supply=[], widen=[])
    assert talent_insights(engine, [], organisation_id=a, taxonomy=tax) == empty
    assert talent_insights(engine, iter(()), organisation_id=None) == empty
    assert talent_insights(engine, [10**9, 10**9 + 1], organisation_id=a, taxonomy=tax) == empty
    assert talent_insights(engine, b_ids, organisation_id=a, taxonomy=tax) == empty  # B's applicants, A's eyes
    assert talent_insights(engine, b_ids, organisation_id=None, taxonomy=tax) == empty
    assert talent_insights(engine, b_ids, organisation_id=b, taxonomy=tax).size == 3
    # the temporary table does not outlive a call: the same connection can run it again
    assert talent_insights(engine, b_ids, organisation_id=b, taxonomy=tax).size == 3
    figs = insight_figures(empty)
    assert list(figs["locations"].data[0].x) == [] and list(figs["years"].data[0].y) == []
    assert figs["salary"].data == () and figs["salary"].layout.annotations


# ---- the same answer from both databases --------------------------------------------------------------------
def test_identical_on_sqlite_and_postgresql(sqlite_engine: Engine, pg_engine: Engine, tax) -> None:
    answers = []
    for engine in (sqlite_engine, pg_engine):
        orgs = _seed(engine, tax)
        with Session(engine) as s:
            metro = s.scalar(select(m.Profile.metro_code).where(m.Profile.metro_code.is_not(None))
                             .group_by(m.Profile.metro_code).order_by(func.count().desc(), m.Profile.metro_code)
                             .limit(1))
        pools = [
            _ids(engine, m.Profile.occupation_code == SWE, _visible(orgs["a"])),
            _ids(engine, m.Profile.metro_code == metro),
            _ids(engine, m.Profile.occupation_code.startswith("15-"), m.Profile.open_to_work.is_(True)),
            _ids(engine, m.Profile.country != "US"),
        ]
        answers.append([talent_insights(engine, p, organisation_id=orgs["a"], taxonomy=tax, top=25).model_dump()
                        for p in pools])
    lite, pg = answers
    assert lite == pg
    assert all(a["size"] > 0 and a["widen"] for a in lite)
