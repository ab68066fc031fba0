"""Talent insights for a pool of profiles (a search result): who they are, what they earn, how to widen.

The pool is a set of profile ids, possibly hundreds of thousands: the ids go into a temporary table
(SQLite ``CREATE TEMP TABLE``; PostgreSQL ``CREATE TEMP TABLE ... ON COMMIT DROP``) inside one transaction
(on PostgreSQL a REPEATABLE READ snapshot, so all figures agree with each other). One pass over
``profiles`` copies the visible pool members' columns into a second temporary table and one pass over
their skills counts them per skill into a third; every figure is then a GROUP BY ... ORDER BY count DESC
LIMIT in SQL over those, or over child rows semi-joined to them. Ids the organisation may not see
(another organisation's applicants) or that do not exist are left out of the pool.

* distributions: locations, current titles, most recent companies, schools, skills, occupations, years;
* market: BLS OEWS national wage percentiles of the dominant occupation and the median wage of the pool's
  top metros; the pool's size against BLS employment (nationally and in the top metro);
* widening: occupations that share the most hot technologies with the dominant one (Jaccard) and skills
  the pool's occupations call for that most of the pool lacks, each with the number of visible profiles
  outside the pool an OR with it would add.

Results are identical on SQLite and PostgreSQL: ties are ordered by label in code-point order
(``COLLATE "C"`` on PostgreSQL, SQLite's binary collation) and everything else is integer counting.
This module queries with SQLAlchemy Core over the models' tables (:mod:`tools.records.models`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Table,
    and_,
    case,
    column,
    distinct,
    func,
    or_,
    select,
    table,
    text,
)

from tools.records.models import Profile, ProfileEducation, ProfileExperience, ProfileSkill, Skill
from tools.taxonomy import Taxonomy, load

if TYPE_CHECKING:
    import plotly.graph_objects as go

SOURCE = "BLS OEWS May 2025"
NATIONAL = "United States"
YEAR_BUCKETS: tuple[tuple[str, float, float | None], ...] = (
    ("0-2", 0.0, 2.0), ("2-5", 2.0, 5.0), ("5-10", 5.0, 10.0), ("10-15", 10.0, 15.0), ("15+", 15.0, None),
)
METRO_BANDS = 3  # metro medians shown next to the national band
WIDEN_PER_KIND = 5  # adjacent titles and skills suggested, each
WIDEN_CANDIDATES = 3 * WIDEN_PER_KIND  # candidates whose extra profiles are counted (those adding none are dropped)
ABSENT_SHARE = 0.5  # a skill is "absent from most of the pool" below this share
_POOL = "_insight_pool"
_INSERT_CHUNK = 50_000

# ---- the tables: the system of record's own, named once by its models ------------------------------------
profiles = cast(Table, Profile.__table__)
experiences = cast(Table, ProfileExperience.__table__)
educations = cast(Table, ProfileEducation.__table__)
profile_skills = cast(Table, ProfileSkill.__table__)
skills = cast(Table, Skill.__table__)

# The temporary tables: the ids as given, then the visible pool with the profile columns the figures need
# (one pass over ``profiles``; every later aggregate scans this compact copy or joins child rows to it).
_IDS = "_insight_ids"
_POOL = "_insight_pool"
_SKILLS = "_insight_skills"
_POOL_COLUMNS = ("id", "location", "current_title", "occupation_code", "metro_code", "country", "years_experience",
                 "open_to_work")
ids_table = table(_IDS, column("id", BigInteger))
pool = table(_POOL, *(column(name, profiles.c[name].type) for name in _POOL_COLUMNS))
pool_skills = table(_SKILLS, column("skill_id", Integer), column("n", Integer))  # pool members per skill
_POOL_DDL = {
    "postgresql": (f"CREATE TEMP TABLE {_IDS} (id BIGINT PRIMARY KEY) ON COMMIT DROP",
                   f"CREATE TEMP TABLE {_POOL} (id BIGINT PRIMARY KEY, location TEXT, current_title TEXT, "
                   "occupation_code TEXT, metro_code TEXT, country TEXT, years_experience DOUBLE PRECISION, "
                   "open_to_work BOOLEAN) ON COMMIT DROP",
                   f"CREATE TEMP TABLE {_SKILLS} (skill_id INTEGER PRIMARY KEY, n INTEGER NOT NULL) ON COMMIT DROP"),
    "sqlite": (f"CREATE TEMP TABLE {_IDS} (id INTEGER PRIMARY KEY)",
               f"CREATE TEMP TABLE {_POOL} (id INTEGER PRIMARY KEY, location TEXT, current_title TEXT, "
               "occupation_code TEXT, metro_code TEXT, country TEXT, years_experience REAL, open_to_work BOOLEAN)",
               f"CREATE TEMP TABLE {_SKILLS} (skill_id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"),
}


# ---- the answer ---------------------------------------------------------------------------------------------
class Count(BaseModel):
    label: str
    count: int
    share: float  # of the pool


class YearsBucket(BaseModel):
    label: str
    low: float  # inclusive
    high: float | None  # exclusive; None = open-ended
    count: int


class SalaryBand(BaseModel):
    occupation_code: str
    occupation: str  # the BLS (SOC) occupation the wages are for
    area: str  # "United States" or the metro name
    employment: int | None
    p10: int | None
    p25: int | None
    median: int | None
    p75: int | None
    p90: int | None
    source: str = SOURCE


class Supply(BaseModel):
    """Pool profiles in the dominant occupation's SOC group and area against BLS employment there."""

    occupation_code: str
    occupation: str
    pool_size: int
    bls_employment: int | None
    area: str
    per_1000_employed: float | None


class Widening(BaseModel):
    label: str
    kind: Literal["title", "skill"]
    occupation_code: str | None
    extra_profiles: int  # visible profiles outside the pool that an OR with this would add


class TalentInsights(BaseModel):
    size: int
    open_to_work_share: float
    median_years: float | None
    top_locations: list[Count]
    top_titles: list[Count]
    top_companies: list[Count]
    top_schools: list[Count]
    top_skills: list[Count]
    top_occupations: list[Count]
    years: list[YearsBucket]
    salary: list[SalaryBand]
    supply: list[Supply]
    widen: list[Widening]


def _empty() -> TalentInsights:
    return TalentInsights(
        size=0, open_to_work_share=0.0, median_years=None, top_locations=[], top_titles=[], top_companies=[],
        top_schools=[], top_skills=[], top_occupations=[], years=[], salary=[], supply=[], widen=[],
    )


# ---- helpers ------------------------------------------------------------------------------------------------
def _visible(organisation_id: int | None) -> ColumnElement[bool]:
    """Network members, plus the organisation's own applicants: never another organisation's."""
    members = profiles.c.organisation_id.is_(None)
    return members if organisation_id is None else or_(members, profiles.c.organisation_id == organisation_id)


def _by_label(conn: Connection, expr: ColumnElement[Any]) -> ColumnElement[Any]:
    """Code-point order on both databases (PostgreSQL's default collation is locale-aware)."""
    return expr.collate("C") if conn.dialect.name == "postgresql" else expr


def _fill_pool(conn: Connection, ids: list[int], organisation_id: int | None) -> None:
    dialect = conn.dialect.name
    if dialect not in _POOL_DDL:
        raise ValueError(f"talent insights support SQLite and PostgreSQL, not {dialect}")
    if dialect == "sqlite":  # a connection from the pool may still hold them after a failure
        _drop_pool(conn)
    for ddl in _POOL_DDL[dialect]:
        conn.exec_driver_sql(ddl)
    if dialect == "postgresql":
        insert = text(f"INSERT INTO {_IDS} (id) SELECT unnest(CAST(:ids AS BIGINT[]))")
        for start in range(0, len(ids), _INSERT_CHUNK):
            conn.execute(insert, {"ids": ids[start:start + _INSERT_CHUNK]})
        conn.exec_driver_sql(f"ANALYZE {_IDS}")  # temporary tables get no statistics otherwise
    else:
        conn.exec_driver_sql(f"INSERT INTO {_IDS} (id) VALUES (?)", [(i,) for i in ids])
    # Profiles that exist and that the organisation may see; the ids drive the lookup (IN: a semi-join).
    conn.execute(pool.insert().from_select(
        list(_POOL_COLUMNS),
        select(*(profiles.c[name] for name in _POOL_COLUMNS))
        .where(profiles.c.id.in_(select(ids_table.c.id)), _visible(organisation_id)),
    ))
    if dialect == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {_POOL}")
    # One pass over the pool's skills serves the top skills and the widening's "held by the pool" counts.
    conn.execute(pool_skills.insert().from_select(
        ["skill_id", "n"],
        select(profile_skills.c.skill_id, func.count())
        .where(profile_skills.c.profile_id.in_(_pool_ids())).group_by(profile_skills.c.skill_id),
    ))


def _drop_pool(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":  # PostgreSQL drops them at the end of the transaction
        for name in (_SKILLS, _POOL, _IDS):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{name}")


def _pool_ids() -> Any:
    return select(pool.c.id)


def _top(conn: Connection, label: ColumnElement[Any], counted: ColumnElement[int], from_: Any,
         where: tuple[ColumnElement[bool], ...], size: int, top: int) -> list[Count]:
    """``label`` values with their counts, most frequent first, ties by label; GROUP BY and LIMIT in SQL."""
    if top <= 0:
        return []
    n = counted.label("n")
    stmt = (
        select(label.label("label"), n).select_from(from_)
        .where(label.is_not(None), label != "", *where)
        .group_by(label).order_by(n.desc(), _by_label(conn, label)).limit(top)
    )
    return [Count(label=lab, count=int(c), share=int(c) / size) for lab, c in conn.execute(stmt)]


@lru_cache(maxsize=4)
def _hot_sets(taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """Each occupation's hot technologies (its technology examples where it lists no hot one)."""
    return {
        code: frozenset(name for name, hot, _ in occ.tech if hot) or frozenset(name for name, _, _ in occ.tech)
        for code, occ in taxonomy.occupations.items()
    }


@lru_cache(maxsize=4)
def _hot_popularity(taxonomy: Taxonomy) -> dict[str, int]:
    """In how many occupations a skill is a hot technology: the tie-break between equally expected skills."""
    counts: dict[str, int] = defaultdict(int)
    for occ in taxonomy.occupations.values():
        for name, hot, _ in occ.tech:
            if hot:
                counts[name] += 1
    return dict(counts)


def _soc(taxonomy: Taxonomy, code: str) -> str:
    occ = taxonomy.occupations.get(code)
    return occ.soc if occ else code[:7]


def _occupation_title(taxonomy: Taxonomy, code: str) -> str:
    occ = taxonomy.occupations.get(code)
    return occ.title if occ else code


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


# ---- the insights -------------------------------------------------------------------------------------------
def talent_insights(engine: Engine, profile_ids: Iterable[int], *, organisation_id: int | None,
                    taxonomy: Taxonomy | None = None, top: int = 10) -> TalentInsights:
    """Distributions, market figures and widening suggestions for the pool ``profile_ids``.

    Only profiles visible to ``organisation_id`` count (network members and its own applicants; with None,
    network members only); unknown ids are ignored. An empty pool gives size 0 and empty lists.
    """
    ids = sorted({int(i) for i in profile_ids})
    if not ids:
        return _empty()
    tax = taxonomy or load()
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # a real transaction (ON COMMIT DROP) with one snapshot
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            try:
                _fill_pool(conn, ids, organisation_id)
                return _compute(conn, tax, organisation_id, top)
            finally:
                _drop_pool(conn)


def _compute(conn: Connection, tax: Taxonomy, organisation_id: int | None, top: int) -> TalentInsights:
    q = pool.c
    size, open_count, with_years = conn.execute(
        select(func.count(), func.coalesce(func.sum(case((q.open_to_work, 1), else_=0)), 0),
               func.count(q.years_experience))
    ).one()
    size = int(size)
    if size == 0:
        return _empty()

    median_years = None
    if with_years:
        n = int(with_years)
        middle = list(conn.scalars(
            select(q.years_experience).where(q.years_experience.is_not(None))
            .order_by(q.years_experience).limit(1 if n % 2 else 2).offset((n - 1) // 2)
        ))
        median_years = sum(float(v) for v in middle) / len(middle)

    y = q.years_experience
    bucket_counts = conn.execute(select(*(
        func.coalesce(func.sum(case((and_(y >= low, y < high) if high is not None else y >= low, 1), else_=0)), 0)
        for _, low, high in YEAR_BUCKETS
    ))).one()
    years = [YearsBucket(label=label, low=low, high=high, count=int(c))
             for (label, low, high), c in zip(YEAR_BUCKETS, bucket_counts, strict=True)]

    in_pool = experiences.c.profile_id.in_(_pool_ids())
    top_locations = _top(conn, q.location, func.count(), pool, (), size, top)
    top_titles = _top(conn, q.current_title, func.count(), pool, (), size, top)
    top_companies = _top(conn, experiences.c.company, func.count(distinct(experiences.c.profile_id)), experiences,
                         (in_pool, experiences.c.position == 0), size, top)
    top_schools = _top(conn, educations.c.school, func.count(distinct(educations.c.profile_id)), educations,
                       (educations.c.profile_id.in_(_pool_ids()),), size, top)
    top_skills = _top_skills(conn, size, top)

    # Occupations: grouped in SQL (at most one row per O*NET code), labelled with the taxonomy's titles.
    occ_rows = conn.execute(
        select(q.occupation_code, func.count())
        .where(q.occupation_code.is_not(None), q.occupation_code != "").group_by(q.occupation_code)
    ).all()
    occupations = sorted(((code, int(c)) for code, c in occ_rows),
                         key=lambda r: (-r[1], _occupation_title(tax, r[0]), r[0]))
    top_occupations = [Count(label=_occupation_title(tax, code), count=c, share=c / size)
                       for code, c in occupations[:max(top, 0)]]

    salary: list[SalaryBand] = []
    supply: list[Supply] = []
    widen: list[Widening] = []
    if occupations:
        dominant = occupations[0][0]
        salary, supply = _market(conn, tax, dominant)
        widen = _widen(conn, tax, organisation_id, dominant, occupations[:max(top, 1)], size)

    return TalentInsights(
        size=size, open_to_work_share=int(open_count) / size, median_years=median_years,
        top_locations=top_locations, top_titles=top_titles, top_companies=top_companies, top_schools=top_schools,
        top_skills=top_skills, top_occupations=top_occupations, years=years, salary=salary, supply=supply,
        widen=widen,
    )


def _top_skills(conn: Connection, size: int, top: int) -> list[Count]:
    if top <= 0:
        return []
    stmt = (
        select(skills.c.name, pool_skills.c.n)
        .select_from(pool_skills.join(skills, skills.c.id == pool_skills.c.skill_id))
        .order_by(pool_skills.c.n.desc(), _by_label(conn, skills.c.name)).limit(top)
    )
    return [Count(label=name, count=int(c), share=int(c) / size) for name, c in conn.execute(stmt)]


def _market(conn: Connection, tax: Taxonomy, dominant: str) -> tuple[list[SalaryBand], list[Supply]]:
    """Wages and supply for the dominant occupation's SOC group (what BLS reports), nationally and by metro."""
    q = pool.c
    soc = _soc(tax, dominant)
    national = tax.bls_national.get(soc) or {}
    wage = national.get("wage") or {}
    occupation = national.get("title") or _occupation_title(tax, dominant)
    metro_rows = {row[0]: row for row in tax.metro_employment.get(soc, [])}
    in_group = q.occupation_code.startswith(soc, autoescape=True)

    # The group's metros in the pool, most profiles first, ties by metro name.
    rows = conn.execute(
        select(q.metro_code, func.count())
        .where(in_group, q.metro_code.is_not(None), q.metro_code != "").group_by(q.metro_code)
    ).all()
    metros = sorted(((code, int(c)) for code, c in rows),
                    key=lambda r: (-r[1], tax.metros.get(r[0], (r[0], ""))[0], r[0]))[:METRO_BANDS]

    salary: list[SalaryBand] = []
    if national or any(code in metro_rows for code, _ in metros):
        salary.append(SalaryBand(
            occupation_code=dominant, occupation=occupation, area=NATIONAL, employment=_int(national.get("employment")),
            p10=_int(wage.get("p10")), p25=_int(wage.get("p25")), median=_int(wage.get("median")),
            p75=_int(wage.get("p75")), p90=_int(wage.get("p90")),
        ))
        for code, _count in metros:
            row = metro_rows.get(code)
            salary.append(SalaryBand(
                occupation_code=dominant, occupation=occupation, area=tax.metros.get(code, (code, ""))[0],
                employment=_int(row[1]) if row else None, p10=None, p25=None,
                median=_int(row[2]) if row else None, p75=None, p90=None,
            ))

    def per_1000(count: int, employment: int | None) -> float | None:
        return count / employment * 1000 if employment else None

    us_count = int(conn.scalar(
        select(func.count()).where(in_group, or_(q.country == "US", q.metro_code.is_not(None)))
    ) or 0)
    employment = _int(national.get("employment"))
    supply = [Supply(occupation_code=dominant, occupation=occupation, pool_size=us_count, bls_employment=employment,
                     area=NATIONAL, per_1000_employed=per_1000(us_count, employment))]
    if metros:
        code, count = metros[0]
        row = metro_rows.get(code)
        employment = _int(row[1]) if row else None
        supply.append(Supply(occupation_code=dominant, occupation=occupation, pool_size=count,
                             bls_employment=employment, area=tax.metros.get(code, (code, ""))[0],
                             per_1000_employed=per_1000(count, employment)))
    return salary, supply


def _hidden_ids(organisation_id: int | None) -> Any:
    """Ids of the profiles the organisation may not see (other organisations' applicants)."""
    h = profiles.alias("hidden")
    applicants = h.c.organisation_id.is_not(None)
    return select(h.c.id).where(
        applicants if organisation_id is None else and_(applicants, h.c.organisation_id != organisation_id))


def _widen(conn: Connection, tax: Taxonomy, organisation_id: int | None, dominant: str,
           occupations: list[tuple[str, int]], size: int) -> list[Widening]:
    """Extra profiles = every holder − holders in the pool − holders hidden from the organisation.

    The pool holds only visible profiles, so this is the number of visible profiles outside the pool; each
    term is an index-only count or a count over the (small) pool and hidden sets, never a scan of profiles.
    """
    p, ps = profiles, profile_skills

    # Adjacent titles: occupations sharing the most hot technologies with the dominant one (Jaccard).
    hot = _hot_sets(tax)
    base = hot.get(dominant, frozenset())
    scored = []
    for code, names in hot.items():
        if code != dominant and base and names:
            shared = len(base & names)
            if shared:
                scored.append((-shared / len(base | names), _occupation_title(tax, code), code))
    scored.sort()
    title_codes = [code for _, _, code in scored[:WIDEN_CANDIDATES]]
    titles: list[Widening] = []
    if title_codes:
        total = _counts(conn, select(p.c.occupation_code, func.count()).where(p.c.occupation_code.in_(title_codes))
                        .group_by(p.c.occupation_code))
        pooled = _counts(conn, select(pool.c.occupation_code, func.count())
                         .where(pool.c.occupation_code.in_(title_codes)).group_by(pool.c.occupation_code))
        hidden = _counts(conn, select(p.c.occupation_code, func.count())
                         .where(p.c.occupation_code.in_(title_codes), p.c.id.in_(_hidden_ids(organisation_id)))
                         .group_by(p.c.occupation_code))
        for code in title_codes:
            extra = total.get(code, 0) - pooled.get(code, 0) - hidden.get(code, 0)
            if extra > 0 and len(titles) < WIDEN_PER_KIND:
                titles.append(Widening(label=_occupation_title(tax, code), kind="title", occupation_code=code,
                                       extra_profiles=extra))

    # Skills the pool's occupations call for (hot and in-demand technologies, weighted by the occupation's
    # share of the pool) that most of the pool lacks.
    weight: dict[str, float] = defaultdict(float)
    for code, count in occupations:
        occ = tax.occupations.get(code)
        for name, is_hot, in_demand in occ.tech if occ else ():
            if is_hot or in_demand:
                weight[name] += count * ((4 if is_hot else 0) + (2 if in_demand else 0))
    popularity = _hot_popularity(tax)
    ranked = sorted(weight, key=lambda n: (-weight[n], -popularity.get(n, 0), n))[:4 * WIDEN_CANDIDATES]
    ids: dict[str, int] = {}
    if ranked:
        ids = dict(conn.execute(select(skills.c.name, skills.c.id).where(skills.c.name.in_(ranked))).all())
    if not ids:
        return titles
    held = _counts(conn, select(pool_skills.c.skill_id, pool_skills.c.n)
                   .where(pool_skills.c.skill_id.in_(list(ids.values()))))
    candidates = [name for name in ranked
                  if name in ids and held.get(ids[name], 0) / size < ABSENT_SHARE][:WIDEN_CANDIDATES]
    if not candidates:
        return titles
    candidate_ids = [ids[name] for name in candidates]
    total = _counts(conn, select(ps.c.skill_id, func.count()).where(ps.c.skill_id.in_(candidate_ids))
                    .group_by(ps.c.skill_id))
    hidden = _counts(conn, select(ps.c.skill_id, func.count())
                     .where(ps.c.skill_id.in_(candidate_ids),
                            ps.c.profile_id.in_(_hidden_ids(organisation_id)))
                     .group_by(ps.c.skill_id))
    found = [(name, total.get(ids[name], 0) - held.get(ids[name], 0) - hidden.get(ids[name], 0))
             for name in candidates]
    skill_widen = [
        Widening(label=name, kind="skill", occupation_code=None, extra_profiles=extra)
        for name, extra in sorted(found, key=lambda r: (-r[1], r[0])) if extra > 0
    ][:WIDEN_PER_KIND]
    return titles + skill_widen


def _counts(conn: Connection, stmt: Any) -> dict[Any, int]:
    return {key: int(n) for key, n in conn.execute(stmt)}


# ---- figures ------------------------------------------------------------------------------------------------
def _bar_figure(counts: list[Count], title: str, axis: str) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(
        x=[c.count for c in counts], y=[c.label for c in counts], orientation="h",
        customdata=[c.share for c in counts], text=[f"{c.share:.0%}" for c in counts], textposition="auto",
        hovertemplate="%{y}: %{x} profiles (%{customdata:.1%})<extra></extra>", name=axis,
    ))
    fig.update_layout(
        title=title, xaxis_title="Profiles", yaxis_title=axis, template="plotly_white",
        height=max(320, 60 + 28 * len(counts)), margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    fig.update_yaxes(autorange="reversed", automargin=True)  # most frequent on top, data kept in rank order
    return fig


def _years_figure(ins: TalentInsights) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(
        x=[b.label for b in ins.years], y=[b.count for b in ins.years], name="Profiles",
        hovertemplate="%{x} years: %{y} profiles<extra></extra>",
    ))
    fig.update_layout(title="Years of experience", xaxis_title="Years of experience", yaxis_title="Profiles",
                      template="plotly_white")
    return fig


def _salary_figure(ins: TalentInsights) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    national = next((b for b in ins.salary if b.area == NATIONAL), None)
    metros = [b for b in ins.salary if b.area != NATIONAL and b.median is not None]
    if national and None not in (national.p25, national.median, national.p75):
        fig.add_trace(go.Box(
            name=f"{NATIONAL} (p10-p90)", y=[NATIONAL], orientation="h",
            lowerfence=[national.p10 if national.p10 is not None else national.p25], q1=[national.p25],
            median=[national.median], q3=[national.p75],
            upperfence=[national.p90 if national.p90 is not None else national.p75],
            hoverinfo="x", boxpoints=False,
        ))
    elif national and national.median is not None:
        fig.add_trace(go.Scatter(x=[national.median], y=[NATIONAL], mode="markers", name=f"{NATIONAL} median"))
    if metros:
        fig.add_trace(go.Scatter(
            x=[b.median for b in metros], y=[b.area for b in metros], mode="markers", name="Metro median",
            marker={"symbol": "diamond", "size": 12}, hovertemplate="%{y}: $%{x:,}<extra></extra>",
        ))
    occupation = ins.salary[0].occupation if ins.salary else None
    fig.update_layout(
        title=f"Annual wage: {occupation} ({SOURCE})" if occupation else f"Annual wage ({SOURCE})",
        xaxis_title="Annual wage (USD)", yaxis_title="Area", template="plotly_white",
        height=max(300, 120 + 50 * (1 + len(metros))),
    )
    fig.update_xaxes(tickprefix="$", tickformat=",")
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    if not fig.data:
        fig.add_annotation(text="No BLS wage figures for this pool", showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5)
    return fig


def insight_figures(ins: TalentInsights) -> dict[str, go.Figure]:
    """Plotly figures for the insights: locations, titles, skills, years and salary."""
    return {
        "locations": _bar_figure(ins.top_locations, "Top locations", "Location"),
        "titles": _bar_figure(ins.top_titles, "Top current titles", "Current title"),
        "skills": _bar_figure(ins.top_skills, "Top skills", "Skill"),
        "years": _years_figure(ins),
        "salary": _salary_figure(ins),
    }
