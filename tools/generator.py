"""A reproducible talent-pool generator drawn from O*NET and BLS distributions.

* occupation: weighted by BLS national employment (May 2025), split evenly among the O*NET occupations
  that share a SOC code and have technology skills listed;
* location: 88% a US metro area weighted by that occupation's BLS metro employment, 12% one of a fixed list
  of international tech hubs (so that a Berlin or Bangalore search finds people);
* titles: the occupation's O*NET title variants with a seniority word that follows the years;
* skills: O*NET technology skills (hot technologies weighted x4, in-demand x2) plus the occupation's most
  important basic skills; resume text sometimes uses the alias recruiters type (k8s, Postgres);
* years of experience: the O*NET related-work-experience distribution plus a career spread;
* education: the O*NET required-education distribution; names: first and last names of the profile's
  locale from Faker's name lists (Latin and non-Latin scripts);
* licences and certifications typical of the occupation (``tools/taxonomy_data/credentials.json``: most heavy
  truck drivers a CDL, nurses an RN licence and BLS, some accountants a CPA), a few expired or in progress;
  spoken languages with levels (Spanish more often in the US states with large Spanish-speaking populations,
  the local language abroad) and, for some, a work-authorisation line. These come from a second random generator
  seeded from ``(seed, index)``, so every other field is the same with or without them.

Profiles are made in chunks of :data:`CHUNK` rows, each chunk seeded from ``(seed, chunk index)``: the
same seed gives the same rows whatever the number of worker processes. Every profile records its ground
truth (occupation, skills, years) for evaluation.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from tools.credentials import typical_credentials
from tools.places import COUNTRY_NAMES, INTERNATIONAL_HUBS, US_STATES
from tools.records import EducationRecord, ExperienceRecord, ProfileRecord
from tools.taxonomy import RW_YEARS, Taxonomy, load

CHUNK = 1000
REFERENCE_DATE = dt.date(2025, 11, 1)  # "today" for generated careers: rows do not depend on the clock
INTERNATIONAL_SHARE = 0.12
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Name locales of US profiles and their shares.
US_NAME_LOCALES: tuple[tuple[str, float], ...] = (
    ("en_US", 70), ("es_MX", 12), ("en_IN", 6), ("zh_CN", 3), ("ko_KR", 2), ("vi_VN", 2), ("fr_FR", 2),
    ("de_DE", 1), ("pl_PL", 1), ("ar_AA", 1),
)
_FAMILY_NAME_FIRST = {"ja_JP", "ko_KR", "zh_CN", "hi_IN"}
_NO_SPACE = {"ja_JP", "ko_KR", "zh_CN"}

INTERNATIONAL_SCHOOLS: dict[str, tuple[str, ...]] = {
    "DE": ("Technische Universität München", "Humboldt-Universität zu Berlin", "Universität Hamburg", "KIT Karlsruhe"),
    "GB": ("University of Manchester", "University College London", "University of Edinburgh", "King's College London"),
    "IE": ("Trinity College Dublin", "University College Dublin"),
    "FR": ("Sorbonne Université", "École Polytechnique", "Université Paris-Saclay"),
    "NL": ("University of Amsterdam", "TU Delft", "Utrecht University"),
    "ES": ("Universidad Complutense de Madrid", "Universitat de Barcelona", "Universidad Politécnica de Madrid"),
    "PT": ("Universidade de Lisboa", "Universidade do Porto"),
    "CH": ("ETH Zürich", "Universität Zürich", "EPFL"),
    "PL": ("Politechnika Warszawska", "Uniwersytet Jagielloński", "AGH University of Krakow"),
    "SE": ("KTH Royal Institute of Technology", "Stockholm University"),
    "CA": ("University of Toronto", "University of British Columbia", "University of Waterloo", "McGill University"),
    "IN": ("IIT Bombay", "IIT Madras", "Anna University", "Osmania University", "VIT Vellore"),
    "BR": ("Universidade de São Paulo", "Unicamp", "UFRJ"),
    "MX": ("UNAM", "Tecnológico de Monterrey", "IPN"),
    "JP": ("東京大学", "京都大学", "Waseda University", "Keio University"),
    "KR": ("서울대학교", "KAIST", "Yonsei University"),
    "CN": ("清华大学", "北京大学", "Fudan University", "Zhejiang University"),
    "RU": ("МГУ имени М. В. Ломоносова", "ITMO University", "Bauman Moscow State Technical University"),
    "AU": ("University of Sydney", "UNSW Sydney", "University of Melbourne"),
}
FIELDS_BY_MAJOR_GROUP: dict[str, tuple[str, ...]] = {
    "11": ("Business Administration", "Management", "Economics"), "13": ("Accounting", "Finance", "Business"),
    "15": ("Computer Science", "Software Engineering", "Mathematics", "Information Systems", "Statistics"),
    "17": ("Mechanical Engineering", "Electrical Engineering", "Civil Engineering", "Architecture"),
    "19": ("Biology", "Chemistry", "Physics", "Environmental Science"), "21": ("Social Work", "Psychology"),
    "23": ("Law",), "25": ("Education", "English", "History"), "27": ("Graphic Design", "Communications", "Journalism"),
    "29": ("Nursing", "Medicine", "Pharmacy", "Health Sciences"), "31": ("Health Sciences", "Medical Assisting"),
    "33": ("Criminal Justice",), "35": ("Culinary Arts", "Hospitality Management"),
    "37": ("Facilities Management",), "39": ("Recreation", "Cosmetology"), "41": ("Marketing", "Business"),
    "43": ("Business Administration", "Office Administration"), "45": ("Agriculture",),
    "47": ("Construction Management", "Building Trades"), "49": ("Mechanical Technology", "Electronics Technology"),
    "51": ("Manufacturing Technology", "Industrial Technology"), "53": ("Logistics", "Transportation"),
}
_COMPANY_WORDS = (
    "North", "Blue", "Summit", "River", "Bright", "Iron", "Cedar", "Atlas", "Nova", "Harbor", "Pioneer", "Granite",
    "Silver", "Maple", "Beacon", "Vertex", "Quantum", "Meridian", "Crescent", "Evergreen", "Polar", "Apex",
    "Horizon", "Lumen", "Copper", "Falcon", "Orchard", "Prairie", "Redwood", "Sterling",
)
_COMPANY_SUFFIXES = (
    "Labs", "Systems", "Health", "Logistics", "Analytics", "Group", "Partners", "Technologies", "Foods", "Energy",
    "Capital", "Software", "Manufacturing", "Media", "Retail", "Bank", "Insurance", "Networks", "Robotics",
    "Consulting", "Solutions", "Motors", "Pharma", "Clinic",
)
_ACHIEVEMENTS = (
    "Used {a} and {b} every day to deliver work on schedule.",
    "Built and maintained work products with {a}, {b} and {c}.",
    "Introduced {a} to the team and trained {n} colleagues on it.",
    "Improved turnaround by {p}% by automating routine work with {a}.",
    "Owned {a} for a group of {n} people; documented practices for {b}.",
    "Worked across teams applying {a} and {b}.",
)
_OPEN_TO_WORK = ("Open to new opportunities.", "Looking for my next role.", "Open to work.")
# How resumes write some skills instead of the O*NET name (each maps back through the taxonomy's aliases).
_ALIAS_FORMS: dict[str, tuple[str, ...]] = {
    "Kubernetes": ("k8s", "Kubernetes"), "PostgreSQL": ("Postgres",), "Go": ("Golang",), "JavaScript": ("JS",),
    "Microsoft Excel": ("Excel", "MS Excel"), "Microsoft PowerPoint": ("PowerPoint",), "Microsoft Word": ("MS Word",),
    "Microsoft Outlook": ("Outlook",), "Microsoft Office software": ("MS Office",),
    "Amazon Web Services AWS software": ("AWS",), "Structured query language SQL": ("SQL",),
    "Hypertext markup language HTML": ("HTML",), "Cascading style sheets CSS": ("CSS",),
    "JavaScript Object Notation JSON": ("JSON",), "Extensible markup language XML": ("XML",),
    "Atlassian JIRA": ("Jira",), "Jenkins CI": ("Jenkins",), "IBM Terraform": ("Terraform",),
    "Microsoft Azure software": ("Azure",), "Google Angular": ("Angular",), "Apache Kafka": ("Kafka",),
    "Apache Spark": ("Spark", "PySpark"), "Microsoft SQL Server": ("SQL Server",), "Microsoft Power BI": ("Power BI",),
    "Salesforce software": ("Salesforce",), "Intuit QuickBooks": ("QuickBooks",), "Autodesk AutoCAD": ("AutoCAD",),
    "Google Android": ("Android",), "Apple iOS": ("iOS",), "Ansible software": ("Ansible",),
}


# Spoken languages: the share of US profiles listing Spanish by state (large Spanish-speaking populations first),
# the local language of international hubs, and how levels are written.
SPANISH_SHARE_BY_STATE: dict[str, float] = {"TX": 0.32, "CA": 0.3, "NM": 0.35, "AZ": 0.27, "FL": 0.27, "NV": 0.22,
                                            "NY": 0.16, "NJ": 0.18, "IL": 0.15, "CO": 0.15}
SPANISH_SHARE_US = 0.09
LOCAL_LANGUAGES: dict[str, str] = {
    "DE": "German", "CH": "German", "FR": "French", "NL": "Dutch", "ES": "Spanish", "PT": "Portuguese",
    "PL": "Polish", "SE": "Swedish", "IN": "Hindi", "BR": "Portuguese", "MX": "Spanish", "JP": "Japanese",
    "KR": "Korean", "CN": "Mandarin", "RU": "Russian", "GB": "English", "IE": "English", "CA": "English",
    "AU": "English",
}
_LEVEL_FORMS: dict[str, tuple[str, ...]] = {
    "native": ("{l} (Native)", "{l} - Native or bilingual proficiency", "{l}: native speaker"),
    "fluent": ("{l} (Fluent)", "{l} - Full professional proficiency", "{l} (C1)"),
    "professional": ("{l} (Professional working proficiency)", "{l} - Professional", "{l} (B2)"),
    "basic": ("{l} (Basic)", "{l} - Elementary proficiency", "{l} (A2)"),
}
CREDENTIAL_EXPIRED_SHARE = 0.04
CREDENTIAL_IN_PROGRESS_SHARE = 0.04
WORK_AUTHORIZATION_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class _Occ:
    code: str
    title: str
    titles: tuple[str, ...]
    tech: tuple[str, ...]
    tech_cum: tuple[float, ...]
    basic: tuple[str, ...]
    rw_cum: tuple[float, ...]
    rl_cum: tuple[float, ...]
    metros: tuple[str, ...]
    metro_cum: tuple[float, ...]
    fields: tuple[str, ...]
    job_zone: int


def _cum(weights: list[float]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(weights))


def _names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    import importlib

    try:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    except ModuleNotFoundError:
        provider = importlib.import_module("faker.providers.person.en_US").Provider

    def names(attr: str) -> tuple[str, ...]:
        value: Any = getattr(provider, attr, None) or getattr(provider, "first_names", ())
        return tuple(value.keys() if isinstance(value, dict) else value)

    last = names("last_names")
    if len(last) < 5:  # some locales ship male/female surname lists instead
        last = names("last_names_male") + names("last_names_female")
    return names("first_names_male"), names("first_names_female"), last


class TalentModel:
    """Everything the generator samples from, computed once from the taxonomy.

    ``occupations`` restricts the pool to O*NET codes starting with one of the given prefixes
    (``("15-",)`` for computer and mathematical occupations), keeping the BLS weights among them.
    """

    def __init__(self, taxonomy: Taxonomy, occupations: tuple[str, ...] = ()) -> None:
        self.taxonomy = taxonomy
        by_soc: dict[str, list[str]] = defaultdict(list)
        for code, occ in taxonomy.occupations.items():
            if occupations and not code.startswith(occupations):
                continue
            if len(occ.tech) >= 5 and (taxonomy.bls_national.get(occ.soc) or {}).get("employment"):
                by_soc[occ.soc].append(code)
        occs: list[_Occ] = []
        weights: list[float] = []
        titles_by_code: dict[str, list[str]] = defaultdict(list)
        for code, reported in taxonomy.reported_titles.items():  # what incumbents call their job
            titles_by_code[code] += [t for t in reported if "(" not in t and "," not in t]
        for title, code in taxonomy._titles.values():  # else the shorter alternate titles
            if code not in taxonomy.reported_titles and len(title.split()) <= 4 and "(" not in title:
                titles_by_code[code].append(title)
        for soc, codes in sorted(by_soc.items()):
            employment = taxonomy.bls_national[soc]["employment"]
            metro_rows = taxonomy.metro_employment.get(soc, [])
            for code in sorted(codes):
                occ = taxonomy.occupations[code]
                tech_names = tuple(t[0] for t in occ.tech)
                tech_w = [4.0 if t[1] else 2.0 if t[2] else 1.0 for t in occ.tech]
                rw = list(occ.rw) if sum(occ.rw) > 0 else [1.0 if i == min(10, 2 + (occ.job_zone or 3) * 2) else 0.1
                                                           for i in range(11)]
                rl = list(occ.rl) if sum(occ.rl) > 0 else [0.0] * 12
                if sum(rl) == 0:
                    rl[{1: 1, 2: 1, 3: 4, 4: 5, 5: 7}.get(occ.job_zone or 3, 5)] = 1.0
                occs.append(_Occ(
                    code=code, title=occ.title,
                    titles=tuple(sorted(set(titles_by_code.get(code, [])))) or (occ.title,),
                    tech=tech_names, tech_cum=_cum(tech_w), basic=tuple(s for s, _ in occ.skills[:4]),
                    rw_cum=_cum(rw), rl_cum=_cum(rl),
                    metros=tuple(r[0] for r in metro_rows) or ("0000000",),
                    metro_cum=_cum([r[1] for r in metro_rows]) or (1.0,),
                    fields=FIELDS_BY_MAJOR_GROUP.get(code[:2], ("General Studies",)),
                    job_zone=occ.job_zone or 3,
                ))
                weights.append(employment / len(codes))
        if not occs:
            raise ValueError(f"no occupation with BLS employment and technology skills matches {occupations}")
        self.occupations = tuple(occs)
        self.occupation_cum = _cum(weights)
        self.occupation_weight = {o.code: w for o, w in zip(occs, weights, strict=True)}
        self.intl = INTERNATIONAL_HUBS
        self.intl_cum = _cum([c[3] for c in INTERNATIONAL_HUBS])
        self.us_locales = tuple(loc for loc, _ in US_NAME_LOCALES)
        self.us_locale_cum = _cum([w for _, w in US_NAME_LOCALES])
        self.names = {loc: _names(loc) for loc in {c[2] for c in INTERNATIONAL_HUBS} | set(self.us_locales)}
        rng = random.Random(20251101)
        surnames = self.names["en_US"][2]
        patterns = (
            lambda: f"{rng.choice(_COMPANY_WORDS)} {rng.choice(_COMPANY_SUFFIXES)}",
            lambda: f"{rng.choice(_COMPANY_WORDS)} {rng.choice(_COMPANY_WORDS)} {rng.choice(_COMPANY_SUFFIXES)}",
            lambda: f"{rng.choice(surnames)} {rng.choice(_COMPANY_SUFFIXES)}",
            lambda: f"{rng.choice(surnames)} & {rng.choice(surnames)}",
        )
        self.companies = tuple(sorted({rng.choice(patterns)() for _ in range(4000)}))


@cache
def talent_model(occupations: tuple[str, ...] = ()) -> TalentModel:
    return TalentModel(load(), occupations)


def _pick(rng: random.Random, items: tuple, cum: tuple[float, ...]):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _pick_many(rng: random.Random, items: tuple[str, ...], cum: tuple[float, ...], k: int) -> list[str]:
    chosen: dict[str, None] = {}
    for _ in range(k * 4):
        if len(chosen) >= k or len(chosen) >= len(items):
            break
        chosen[_pick(rng, items, cum)] = None
    return list(chosen)


def _month(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _seniority_title(title: str, years: float, zone: int, rng: random.Random) -> tuple[str, str]:
    if years < 2:
        level, prefix = "junior", ("Junior " if zone >= 3 and rng.random() < 0.6 else "")
    elif years < 5:
        level, prefix = "mid", ""
    elif years < 10:
        level, prefix = "senior", ("Senior " if zone >= 3 or rng.random() < 0.3 else "")
    else:
        level = "lead"
        prefix = rng.choice(("Lead ", "Principal ", "Senior ", "Staff ")) if zone >= 3 else "Senior "
    if any(title.lower().startswith(w) for w in ("senior", "lead", "junior", "chief", "head", "principal")):
        prefix = ""
    return prefix + title, level


def _name(rng: random.Random, model: TalentModel, locale: str) -> str:
    male, female, last = model.names[locale]
    first = rng.choice(male if rng.random() < 0.5 else female)
    family = rng.choice(last)
    if locale in _FAMILY_NAME_FIRST:
        return f"{family}{first}" if locale in _NO_SPACE else f"{family} {first}"
    return f"{first} {family}"


def _surface(skill: str, rng: random.Random) -> str:
    forms = _ALIAS_FORMS.get(skill)
    return rng.choice(forms) if forms and rng.random() < 0.6 else skill


def generate_profile(rng: random.Random, model: TalentModel, seed: int, index: int) -> ProfileRecord:
    occ: _Occ = _pick(rng, model.occupations, model.occupation_cum)
    # Location and name locale.
    if rng.random() < INTERNATIONAL_SHARE:
        city, country, locale, _w = _pick(rng, model.intl, model.intl_cum)
        location, metro, school_pool = city, None, INTERNATIONAL_SCHOOLS.get(country, ("University",))
    else:
        metro = _pick(rng, occ.metros, occ.metro_cum)
        area, _state = model.taxonomy.metros.get(metro, ("United States", ""))
        location, country = f"{area}, United States", "US"
        locale = _pick(rng, model.us_locales, model.us_locale_cum)
        state_abbr = area.rsplit(", ", 1)[-1].split("-")[0] if ", " in area else ""
        state = US_STATES.get(state_abbr, "Lincoln")
        city = area.split(",")[0].split("-")[0]
        school_pool = (f"University of {state}", f"{state} State University", f"{city} Community College",
                       f"{city} Technical College")
    full_name = _name(rng, model, locale)
    # Years: related experience the occupation asks for, plus a career spread.
    lo, hi = RW_YEARS[bisect.bisect_right(occ.rw_cum, rng.random() * occ.rw_cum[-1])]
    years = round(min(40.0, lo + rng.random() * (hi - lo) + rng.expovariate(1 / 3.0)), 1)
    title, seniority = _seniority_title(rng.choice(occ.titles), years, occ.job_zone, rng)
    # Skills.
    tech = _pick_many(rng, occ.tech, occ.tech_cum, rng.randint(5, 11))
    basic = rng.sample(occ.basic, min(len(occ.basic), rng.randint(1, 3)))
    skills = tech + [b for b in basic if b not in tech]
    # Career history, most recent first.
    n_jobs = max(1, min(6, 1 + int(years / rng.uniform(2.5, 5.0))))
    cuts = sorted(rng.random() for _ in range(n_jobs - 1))
    shares = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
    end = REFERENCE_DATE - dt.timedelta(days=rng.randint(0, 60))
    current = rng.random() < 0.85
    if not current:
        end = end - dt.timedelta(days=rng.randint(30, 300))
    experiences: list[ExperienceRecord] = []
    text_jobs: list[str] = []
    months_left = max(1, round(years * 12))
    for j, share in enumerate(shares):
        months = max(1, round(months_left * share)) if j < len(shares) - 1 else max(1, months_left)
        months_left = max(1, months_left - months)
        start = (end.replace(day=1) - dt.timedelta(days=30 * months)).replace(day=1)
        job_title = title if j == 0 else _seniority_title(
            rng.choice(occ.titles), max(0.0, years * (1 - (j + 1) / (n_jobs + 1))), occ.job_zone, rng)[0]
        company = rng.choice(model.companies)
        used = rng.sample(skills, min(len(skills), 3))
        sentences = [
            template.format(
                a=_surface(used[0], rng), b=_surface(used[-1], rng), c=_surface(used[len(used) // 2], rng),
                n=rng.randint(3, 40), p=rng.randint(5, 45),
            )
            for template in rng.sample(_ACHIEVEMENTS, rng.randint(1, 2))
        ]
        description = " ".join(sentences)
        is_current = current and j == 0
        experiences.append(ExperienceRecord(job_title, company, start, None if is_current else end, is_current,
                                            description, occ.code))
        when = f"{_month(start)} - {'Present' if is_current else _month(end)}"
        text_jobs.append(f"{job_title} at {company}\n{when}\n{description}")
        end = start - dt.timedelta(days=rng.randint(0, 90))
    # Education.
    level = bisect.bisect_right(occ.rl_cum, rng.random() * occ.rl_cum[-1]) + 1
    field = rng.choice(occ.fields)
    grad_year = experiences[-1].start_date.year if experiences[-1].start_date else REFERENCE_DATE.year - int(years)
    educations: list[EducationRecord] = []
    if level >= 2:
        degree = {2: "High School Diploma", 3: f"Certificate in {field}", 4: f"Coursework in {field}",
                  5: "Associate of Science", 6: rng.choice(("Bachelor of Science", "Bachelor of Arts")),
                  7: f"Graduate Certificate in {field}", 8: rng.choice(("Master of Science", "MBA")),
                  9: "Master of Science", 10: "Professional Doctorate", 11: "PhD", 12: "PhD"}[level]
        school = "High School" if level == 2 else rng.choice(school_pool)
        educations.append(EducationRecord(school, degree, None if level == 2 else field, grad_year))
    open_to_work = rng.random() < 0.25
    top = ", ".join(_surface(s, rng) for s in skills[:3])
    summary = (f"{title} with {years:g} years of experience. Strong in {top}. "
               f"{rng.choice(_OPEN_TO_WORK) if open_to_work else ''}").strip()
    headline = f"{title} at {experiences[0].company}" if experiences[0].is_current else f"{title} | {top}"
    education_text = "\n".join(
        f"{e.degree}{f' in {e.field_of_study}' if e.field_of_study else ''}, {e.school}, {e.end_year}"
        for e in educations
    )
    raw_text = (
        f"{full_name}\n{headline}\n{location}\n\nSummary\n{summary}\n\nExperience\n" + "\n\n".join(text_jobs)
        + (f"\n\nEducation\n{education_text}" if educations else "")
        + "\n\nSkills\n" + ", ".join(_surface(s, rng) for s in skills) + "\n"
    )
    extra = _Extras(random.Random(f"{seed}:{index}:extras"), occ.code, country, location, REFERENCE_DATE.year)
    raw_text += extra.text()
    updated = dt.datetime.combine(REFERENCE_DATE - dt.timedelta(days=rng.randint(0, 720)), dt.time(12), dt.UTC)
    return ProfileRecord(
        source=f"generated:{seed}", external_id=f"gen-{seed}-{index}",
        raw_text=raw_text, full_name=full_name,
        headline=headline, summary=summary, current_title=title, current_company=experiences[0].company,
        occupation_code=occ.code, seniority=seniority, years_experience=years, location=location,
        metro_code=metro, country=country, open_to_work=open_to_work, updated_at=updated,
        experiences=experiences, educations=educations, skills=[(s, "stated") for s in skills],
        ground_truth={"occupation_code": occ.code, "skills": skills, "years": years, "seniority": seniority,
                      "credentials": extra.credentials, "languages": extra.languages},
    )


class _Extras:
    """Licences and certifications, spoken languages and work authorisation of one profile, from its own random
    generator, written as "Licenses & Certifications", "Languages" and "Additional Information" sections."""

    def __init__(self, rng: random.Random, code: str, country: str, location: str, year: int) -> None:
        self.rng = rng
        self.credentials: dict[str, str] = {}  # canonical name -> held | expired | in_progress
        self.languages: dict[str, str] = {}  # language -> level
        self.lines: list[str] = []
        self._draw_credentials(code, year, location)
        self.language_lines = self._draw_languages(country, location)
        self.authorized = country == "US" and rng.random() < WORK_AUTHORIZATION_SHARE

    def _draw_credentials(self, code: str, year: int, location: str) -> None:
        groups: set[str] = set()
        state = location.rsplit(", ", 2)[-2].split("-")[0] if location.count(", ") >= 2 else ""
        for cred, share in typical_credentials(code):
            if self.rng.random() >= share or (cred.group and cred.group in groups):
                continue
            if cred.group:
                groups.add(cred.group)
            forms = [cred.aliases[0], *cred.exact[:1], *cred.aliases[1:3]]
            form = self.rng.choice([f for f in forms if f not in cred.needs_cue] or forms)
            roll = self.rng.random()
            if roll < CREDENTIAL_EXPIRED_SHARE:
                status, tail = "expired", f" (expired {year - self.rng.randint(1, 6)})"
            elif roll < CREDENTIAL_EXPIRED_SHARE + CREDENTIAL_IN_PROGRESS_SHARE:
                status, tail = "in_progress", " (in progress)"
            else:
                issued = year - self.rng.randint(0, 12)
                where = f", {US_STATES[state]}" if cred.kind == "licence" and state in US_STATES else ""
                status, tail = "held", f" - issued {issued}{where}"
            self.credentials[cred.name] = status
            self.lines.append(form[:1].upper() + form[1:] + tail)

    def _draw_languages(self, country: str, location: str) -> list[str]:
        rng = self.rng
        if country == "US":
            state = location.rsplit(", ", 2)[-2].split("-")[0] if location.count(", ") >= 2 else ""
            if rng.random() < SPANISH_SHARE_BY_STATE.get(state, SPANISH_SHARE_US):
                level = rng.choices(("native", "fluent", "professional", "basic"), (35, 30, 20, 15))[0]
                self.languages = {"English": "native" if level != "native" else "fluent", "Spanish": level}
            elif rng.random() < 0.2:
                self.languages = {"English": "native"}
        elif rng.random() < 0.7:
            local = LOCAL_LANGUAGES.get(country, "English")
            self.languages = {local: "native"}
            if local != "English":
                self.languages["English"] = rng.choices(("fluent", "professional", "basic"), (40, 45, 15))[0]
        return [rng.choice(_LEVEL_FORMS[level]).format(l=lang) for lang, level in self.languages.items()]

    def text(self) -> str:
        out = ""
        if self.lines:
            out += "\nLicenses & Certifications\n" + "\n".join(self.lines) + "\n"
        if self.language_lines:
            out += "\nLanguages\n" + "\n".join(self.language_lines) + "\n"
        if self.authorized:
            out += f"\nAdditional Information\nAuthorized to work in the {COUNTRY_NAMES['US']}.\n"
        return out


def generate_chunk(seed: int, chunk: int, size: int = CHUNK, occupations: tuple[str, ...] = ()) -> list[ProfileRecord]:
    """Profiles ``chunk*CHUNK .. chunk*CHUNK+size-1`` of the pool with this seed."""
    model = talent_model(occupations)
    rng = random.Random(f"{seed}:{chunk}:{','.join(occupations)}")
    return [generate_profile(rng, model, seed, chunk * CHUNK + i) for i in range(size)]


def chunk_sizes(n: int) -> list[int]:
    return [min(CHUNK, n - start) for start in range(0, n, CHUNK)]


def generate(n: int, seed: int, occupations: tuple[str, ...] = ()) -> Iterator[ProfileRecord]:
    """The first ``n`` profiles of the pool with this seed, in order."""
    for chunk, size in enumerate(chunk_sizes(n)):
        yield from generate_chunk(seed, chunk, size, occupations)
