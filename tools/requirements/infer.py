"""What the request leaves unsaid, inferred from the taxonomy and BLS data (years, seniority, typical skills, a
salary band), and the clarifying questions for what cannot be inferred."""

from __future__ import annotations

from collections import Counter
from functools import cache

from tools.hiring import HiringRequirements, Inferred, SalaryBand
from tools.taxonomy import Taxonomy

MAX_QUESTIONS = 3
INFERRED_SKILLS = 3
# Least years that each seniority usually means (the inverse of the taxonomy's seniority bands).
YEARS_FOR_SENIORITY: dict[str, float] = {
    "intern": 0.0, "junior": 0.0, "mid": 2.0, "senior": 5.0, "lead": 8.0, "principal": 8.0, "director": 10.0,
    "executive": 10.0,
}


@cache
def _skill_field_counts(taxonomy: Taxonomy) -> tuple[Counter, Counter]:
    """How many occupations of each SOC major group, and overall, list a skill as hot or in demand."""
    by_group: Counter[tuple[str, str]] = Counter()
    overall: Counter[str] = Counter()
    for occ in taxonomy.occupations.values():
        for name, hot, demand in occ.tech:
            if hot or demand:
                by_group[(occ.code[:2], name)] += 1
                overall[name] += 1
    return by_group, overall


def typical_skills(code: str, taxonomy: Taxonomy, n: int = INFERRED_SKILLS) -> list[str]:
    """The occupation's most characteristic hot / in-demand technologies (in demand first, then specific ones)."""
    by_group, overall = _skill_field_counts(taxonomy)
    group = code[:2]

    def rank(item: tuple[str, bool, bool]) -> tuple[int, float, str]:
        name, hot, demand = item
        return -(2 * demand + hot), -by_group[(group, name)] / max(overall[name], 1) ** 0.5, name

    return [name for name, hot, demand in sorted(taxonomy.occupations[code].tech, key=rank) if hot or demand][:n]


def _money(value: int | None) -> str:
    return f"${value:,}" if value is not None else "n/a"


def format_band(band: SalaryBand) -> str:
    """'$98,000 – $165,000 (median $131,450, BLS May 2025, national)'."""
    where = "national" if band.area == "United States" else band.area
    source = band.source.replace("OEWS ", "")
    return f"{_money(band.p25)} – {_money(band.p75)} (median {_money(band.median)}, {source}, {where})"


def salary_band(code: str, taxonomy: Taxonomy, metro_code: str | None = None) -> tuple[SalaryBand, str] | None:
    """BLS wages for the occupation: national quartiles, or the metro median with quartiles scaled to it."""
    wages = (taxonomy.wages(code) or {}).get("wage") or {}
    p25, median, p75 = wages.get("p25"), wages.get("median"), wages.get("p75")
    if median is None and p25 is None:
        return None
    source = f"BLS OEWS May 2025 national wages for SOC {code[:7]}"
    local = taxonomy.metro_wage(code, metro_code) if metro_code else None
    if local and median:
        ratio = local / median
        area = taxonomy.metros[metro_code][0] if metro_code else "United States"
        band = SalaryBand(p25=_scaled(p25, ratio), median=local, p75=_scaled(p75, ratio), area=area)
        return band, f"BLS OEWS May 2025 metro median for SOC {code[:7]} in {area}; quartiles scaled from national"
    return SalaryBand(p25=p25, median=median, p75=p75), source


def _scaled(value: int | None, ratio: float) -> int | None:
    return None if value is None else int(round(value * ratio, -1))


def infer(req: HiringRequirements, taxonomy: Taxonomy) -> None:
    """Fill what the request leaves unsaid (years or seniority, typical skills, a salary band), each recorded in
    ``req.inferred`` with its source."""
    code = req.occupation_code
    if req.years_min is None and req.seniority in YEARS_FOR_SENIORITY:
        req.years_min = YEARS_FOR_SENIORITY[req.seniority]
        req.inferred.append(Inferred(field="years_min", value=f"{req.years_min:g}+ years",
                                     source=f"typical experience for {req.seniority} seniority"))
    elif req.years_min is None and code and (typical := int(taxonomy.experience_expectation(code).p25_years)) > 0:
        req.years_min = float(typical)
        req.inferred.append(Inferred(field="years_min", value=f"{req.years_min:g}+ years",
                                     source=f"O*NET experience distribution for {code} (25th percentile)"))
    elif req.seniority is None and req.years_min is not None:
        req.seniority = taxonomy.seniority_for_years(req.years_min)
        req.inferred.append(Inferred(field="seniority", value=req.seniority,
                                     source=f"{req.years_min:g} years stated (taxonomy seniority bands)"))
    if code and not req.must_skills:
        for skill in typical_skills(code, taxonomy):
            if skill not in req.nice_skills:
                req.nice_skills.append(skill)
                req.inferred.append(Inferred(field="nice_skills", value=skill,
                                             source=f"O*NET hot / in-demand technology for {code}"))
    if code and (result := salary_band(code, taxonomy, req.metro_code)):
        req.salary_band, source = result
        req.inferred.append(Inferred(field="salary_band", value=format_band(req.salary_band), source=source))


def clarifying_questions(req: HiringRequirements) -> list[str]:
    """Questions for the recruiter about what could be neither read nor inferred (role, place, skills)."""
    questions = []
    if req.occupation_code is None:
        questions.append("What role are you hiring for (the job title)?")
    if req.location is None and req.country is None and req.remote != "remote":
        questions.append("Where should the person be based, and is remote work an option?")
    if not req.must_skills and not req.title:
        questions.append("Which skills or experience matter most for this role?")
    return questions[:MAX_QUESTIONS]
