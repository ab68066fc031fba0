"""Template qualifications drafted from the requirements, and a text summary of the requirements."""

from __future__ import annotations

from tools.hiring import HiringRequirements, QualificationSpec
from tools.places import COUNTRY_NAMES
from tools.requirements.document import NICE_RE
from tools.requirements.infer import format_band
from tools.requirements.role import related_titles
from tools.taxonomy import Taxonomy, load, strip_seniority

# Vendors whose name readers drop ("IBM Terraform" is "Terraform"); Microsoft, Apache, Adobe stay.
_PLAIN_VENDORS = {"IBM", "Oracle", "Intuit", "Atlassian", "Google", "Apple", "Autodesk"}


# ---- qualifications ----------------------------------------------------------------------------------------


def display_skill(name: str, taxonomy: Taxonomy | None = None) -> str:
    """A short name for a canonical skill: 'Amazon Web Services AWS software' → 'AWS', 'IBM Terraform' → 'Terraform'."""
    short = name.removesuffix(" software")
    words = short.split()
    if len(words) >= 3 and words[-1].isupper() and words[-1].isalpha():
        initials = "".join(w[0] for w in words[:-1] if w[0].isalpha()).upper()
        if initials.endswith(words[-1]):
            return words[-1]
    if len(words) == 2 and words[0] in _PLAIN_VENDORS and (taxonomy or load()).normalize_skill(words[1]) == name:
        return words[1]
    return short


def _core_title(title: str) -> str:
    """The title as written, less its seniority words: 'Senior Backend Engineer' → 'Backend Engineer'."""
    words, _level = strip_seniority(title.split())
    return " ".join(words) or title


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" and not word.isupper() else "a"


def _role_noun(occupation: str | None) -> str | None:
    """'Web Developers' → 'web developer'; None for compound O*NET titles."""
    if not occupation or "," in occupation or " and " in occupation or not occupation.endswith("s"):
        return None
    noun = occupation[:-1]
    return noun[:-2] + "y" if noun.endswith("ie") else noun.lower()


def _title_qualification(req: HiringRequirements, taxonomy: Taxonomy) -> QualificationSpec | None:
    if not req.title and not req.occupation:
        return None
    title = _core_title(req.title) if req.title else req.occupation or ""
    noun = _role_noun(req.occupation)
    if noun and noun.lower() != title.lower():
        text = f"Has worked as {_article(title)} {title} or in a similar {noun} role"
    else:
        text = f"Has worked as {_article(title)} {title} or in a similar role"
    titles = [title] + (related_titles(title, req.occupation_code, taxonomy) if req.occupation_code else [])
    return QualificationSpec(text=text, kind="must", weight=1.0, titles=titles)


def _review_qualification(sentence: str) -> QualificationSpec:
    """A stated requirement no kind of check reads ("Clean driving record"): the recruiter reviews it, it is
    not scored; a plus when the sentence says so ("Forklift certification a plus")."""
    nice = bool(NICE_RE.search(sentence))
    return QualificationSpec(text=sentence, kind="nice" if nice else "must", weight=0.5 if nice else 1.0, review=True)


def _inferred_values(req: HiringRequirements, name: str) -> set[str]:
    return {i.value for i in req.inferred if i.field == name}


def _years_qualification(req: HiringRequirements) -> QualificationSpec | None:
    if not req.years_min:
        return None
    inferred = bool(_inferred_values(req, "years_min"))
    if req.years_max is not None:
        text = f"{req.years_min:g}–{req.years_max:g} years of professional experience"
    else:
        text = f"{req.years_min:g}+ years of professional experience"
    return QualificationSpec(text=text, kind="nice" if inferred else "must", weight=0.5 if inferred else 1.0,
                             years_min=req.years_min, inferred=inferred)


def _location_qualification(req: HiringRequirements, taxonomy: Taxonomy) -> QualificationSpec | None:
    if req.remote == "remote" or not (req.location or req.country):
        return None
    if req.metro_code and req.metro_code in taxonomy.metros:
        place = taxonomy.metros[req.metro_code][0]
    else:
        place = req.location or COUNTRY_NAMES.get(req.country or "", req.country or "")
    if req.remote == "hybrid":
        text = f"Based in or within commuting distance of {place}"
    else:
        text = f"Based in or able to work from {place}"
    return QualificationSpec(text=text, kind="must", location=req.location or place)


def draft_qualifications(req: HiringRequirements, taxonomy: Taxonomy | None = None) -> list[QualificationSpec]:
    """Template qualifications: role, years, must skills, location, languages, stated requirements the recruiter
    reviews, nice skills."""
    taxonomy = taxonomy or load()
    out: list[QualificationSpec] = []
    if q := _title_qualification(req, taxonomy):
        out.append(q)
    if q := _years_qualification(req):
        out.append(q)
    for skill in _canonical(req.must_skills, taxonomy):
        out.append(QualificationSpec(text=f"Hands-on experience with {display_skill(skill, taxonomy)}", kind="must",
                                     weight=1.0, skills=[skill]))
    if q := _location_qualification(req, taxonomy):
        out.append(q)
    for language in req.languages:
        out.append(QualificationSpec(text=f"Fluent {language}", kind="must", languages=[language]))
    for sentence in req.other:
        out.append(_review_qualification(sentence))
    inferred = _inferred_values(req, "nice_skills")
    must = set(_canonical(req.must_skills, taxonomy))
    for skill in _canonical(req.nice_skills, taxonomy):
        if skill not in must:
            text = f"Experience with {display_skill(skill, taxonomy)}"
            flag = skill in inferred
            out.append(QualificationSpec(text=text, kind="nice", weight=0.5, skills=[skill], inferred=flag))
    return out


def _canonical(skills: list[str], taxonomy: Taxonomy) -> list[str]:
    """Aliases grouped under their canonical name, first mention order kept."""
    return list(dict.fromkeys(taxonomy.normalize_skill(s) or s for s in skills))


# ---- summary -----------------------------------------------------------------------------------------------


def describe(req: HiringRequirements) -> str:
    """A compact multi-line summary; inferred facts are marked "(inferred)"."""
    mark = {i.field for i in req.inferred}
    inferred_skills = _inferred_values(req, "nice_skills")

    def tag(name: str) -> str:
        return " (inferred)" if name in mark else ""

    lines = [f"Role: {req.title or '(not stated)'}"]
    if req.occupation:
        lines.append(f"Occupation: {req.occupation} ({req.occupation_code})")
    if req.seniority:
        lines.append(f"Seniority: {req.seniority}{tag('seniority')}")
    if req.years_min is not None:
        span = f"{req.years_min:g}–{req.years_max:g}" if req.years_max is not None else f"{req.years_min:g}+"
        lines.append(f"Experience: {span} years{tag('years_min')}")
    lines.append(f"Location: {_place_text(req)}")
    if req.must_skills:
        lines.append("Must-have skills: " + ", ".join(display_skill(s) for s in req.must_skills))
    if req.nice_skills:
        nice = [display_skill(s) + (" (inferred)" if s in inferred_skills else "") for s in req.nice_skills]
        lines.append("Nice-to-have skills: " + ", ".join(nice))
    if req.languages:
        lines.append("Languages: " + ", ".join(req.languages))
    lines += [f"Other: {o} — needs your review" for o in req.other]
    lines += [f"Not understood: {o}" for o in req.not_understood]
    if req.salary_band:
        lines.append(f"Salary band: {format_band(req.salary_band)}{tag('salary_band')}")
    if req.questions:
        lines.append("Questions:")
        lines += [f"  - {q}" for q in req.questions]
    return "\n".join(lines)


def _place_text(req: HiringRequirements) -> str:
    place = req.location or (COUNTRY_NAMES.get(req.country, req.country) if req.country else None)
    parts = [place] if place else []
    if req.remote != "unknown":
        parts.append(req.remote)
    return ", ".join(parts) if parts else "(not stated)"
