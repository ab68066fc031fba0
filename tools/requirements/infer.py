"""What the request leaves unsaid, inferred from the taxonomy and BLS data (years, seniority, typical skills, a
salary band), and the clarifying questions for what cannot be inferred."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
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


# SOC major groups whose work is desk work (management, business and financial operations, legal, office and
# administrative support): only there is general office software a typical skill.
OFFICE_GROUPS = frozenset({"11", "13", "23", "43"})
GENERAL_SOFTWARE_SHARE = 0.2  # listed for at least this share of all occupations: Excel, Word, Outlook, Windows...
TYPICAL_IN_GROUP = 0.25  # a hot technology not in demand must be listed by this share of the occupation's group


@dataclass(frozen=True, slots=True)
class _TechCounts:
    listed: Counter[str]  # occupations that list a technology at all
    in_group: Counter[tuple[str, str]]  # (SOC major group, technology) → occupations of the group that list it
    group_size: Counter[str]
    total: int


@cache
def _tech_counts(taxonomy: Taxonomy) -> _TechCounts:
    listed: Counter[str] = Counter()
    in_group: Counter[tuple[str, str]] = Counter()
    group_size: Counter[str] = Counter()
    for occ in taxonomy.occupations.values():
        group_size[occ.code[:2]] += 1
        for name in dict.fromkeys(name for name, _hot, _demand in occ.tech):
            listed[name] += 1
            in_group[(occ.code[:2], name)] += 1
    return _TechCounts(listed, in_group, group_size, len(taxonomy.occupations))


def is_general_software(name: str, taxonomy: Taxonomy) -> bool:
    """Software that O*NET lists for a large share of all occupations (office suites, e-mail, an operating
    system): it says little about any one of them."""
    counts = _tech_counts(taxonomy)
    return counts.listed[name] >= GENERAL_SOFTWARE_SHARE * counts.total


def typical_skills(code: str, taxonomy: Taxonomy, n: int = INFERRED_SKILLS) -> list[str]:
    """The technologies typical of the occupation, most telling first.

    O*NET's "in demand" flag is the occupation's own (from its job postings), its "hot" flag is not, so: what
    is in demand for the occupation comes first (hot ones before the rest); then hot technologies that at least
    a quarter of the occupation's major group lists; general office software only where it is in demand and
    the work is desk work (:data:`OFFICE_GROUPS`), one of it at most, never for drivers, nurses, cooks or
    trades."""
    counts = _tech_counts(taxonomy)
    group = code[:2]

    def share_in_group(name: str) -> float:
        return counts.in_group[(group, name)] / max(counts.group_size[group], 1)

    def specificity(name: str) -> float:
        return counts.in_group[(group, name)] / max(counts.listed[name], 1)

    ranked: list[tuple[int, float, str]] = []
    for name, hot, demand in taxonomy.occupations[code].tech:
        if is_general_software(name, taxonomy):
            if demand and group in OFFICE_GROUPS:
                ranked.append((3, -counts.listed[name], name))
        elif demand:
            ranked.append((0 if hot else 1, -specificity(name), name))
        elif hot and share_in_group(name) >= TYPICAL_IN_GROUP and specificity(name) >= TYPICAL_IN_GROUP:
            ranked.append((2, -share_in_group(name) * specificity(name), name))
    ranked.sort()
    general = [r for r in ranked if r[0] == 3][:1]  # one office tool at most: the one most occupations list
    return list(dict.fromkeys(name for _, _, name in [r for r in ranked if r[0] != 3] + general))[:n]


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
                                             source=f"O*NET technology typical for {code}"))
    if code and (result := salary_band(code, taxonomy, req.metro_code)):
        req.salary_band, source = result
        req.inferred.append(Inferred(field="salary_band", value=format_band(req.salary_band), source=source))


def clarifying_questions(req: HiringRequirements) -> list[str]:
    """Questions for the recruiter about what could be neither read nor inferred (role, place, skills, the
    clauses not understood)."""
    questions = []
    if req.occupation_code is None:
        questions.append("What role are you hiring for (the job title)?")
    if req.location is None and req.country is None and req.remote != "remote":
        questions.append("Where should the person be based, and is remote work an option?")
    if not req.must_skills and not req.title:
        questions.append("Which skills or experience matter most for this role?")
    if req.not_understood:
        unread = "; ".join(f"“{text}”" for text in req.not_understood)
        questions.append(f"I could not read {unread}: should it be a requirement, and how would a resume show it?")
    return questions[:MAX_QUESTIONS]
