"""Template qualifications drafted from the requirements, and a text summary of the requirements."""

from __future__ import annotations

from tools.credentials import all_credentials, satisfying
from tools.hiring import HiringRequirements, LanguageLevel, QualificationKind, QualificationSpec
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
    """Template qualifications: role, years, must skills, location, credentials, languages, work authorisation,
    stated requirements the recruiter reviews, nice skills, nice credentials and languages."""
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
    out += kind_qualifications(req, "must")
    for sentence in req.other:
        out.append(_review_qualification(sentence))
    inferred = _inferred_values(req, "nice_skills")
    must = set(_canonical(req.must_skills, taxonomy))
    for skill in _canonical(req.nice_skills, taxonomy):
        if skill not in must:
            text = f"Experience with {display_skill(skill, taxonomy)}"
            flag = skill in inferred
            out.append(QualificationSpec(text=text, kind="nice", weight=0.5, skills=[skill], inferred=flag))
    out += kind_qualifications(req, "nice")
    return out


# ---- credentials, languages, work authorisation -------------------------------------------------------------


def kind_qualifications(req: HiringRequirements, kind: QualificationKind) -> list[QualificationSpec]:
    """The must-have (or nice-to-have) qualifications for credentials, spoken languages, work authorisation and a
    remote role's country, one per credential and per language."""
    weight = 1.0 if kind == "must" else 0.5
    out = []
    if kind == "must" and (q := _remote_country_qualification(req)):
        out.append(q)
    for name in req.credentials if kind == "must" else req.nice_credentials:
        out.append(QualificationSpec(text=credential_text(name), kind=kind, weight=weight,
                                     credentials=satisfying(name)))
    for language in req.languages if kind == "must" else req.nice_languages:
        level = req.language_levels.get(language)
        if level == "native":  # being a native speaker is where someone grew up, not how well they speak
            level = "fluent"
        out.append(QualificationSpec(text=language_text(language, level), kind=kind, weight=weight,
                                     languages=[language], language_level=level))
    if kind == "must" and req.work_authorization:
        place = COUNTRY_NAMES.get(req.work_authorization, req.work_authorization)
        place = f"the {place}" if place.startswith("United") else place
        out.append(QualificationSpec(text=f"Authorised to work in {place}", kind="must",
                                     work_authorization=req.work_authorization))
    return out


def credential_text(name: str) -> str:
    """'CDL Class A' → 'Holds a CDL Class A licence'; 'BLS certification' → 'Holds a BLS certification'."""
    cred = all_credentials().get(name)
    noun = cred.kind if cred else "credential"
    rest = [w for w in name.split()[1:] if w.isalpha()]
    generic = bool(rest) and all(w.islower() for w in rest) and name.split()[0][1:].isalpha()
    shown = name[:1].lower() + name[1:] if generic and name.split()[0][1:].islower() else name
    words = shown.lower().split()
    if noun in words or noun in ("licence", "license") and ("licence" in words or "license" in words):
        return f"Holds {_credential_article(shown)} {shown}"
    if noun == "certification" and not shown.endswith("certification"):
        return f"Holds the {shown} certification"
    return f"Holds {_credential_article(shown)} {shown} {noun}"


def _credential_article(name: str) -> str:
    first = name.split()[0]
    if first.isupper() and len(first) > 1:
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return _article(first)


def language_text(language: str, level: LanguageLevel | None) -> str:
    """'Fluent Spanish', 'Native English', 'Professional working Spanish', 'Basic German', 'Speaks Spanish'."""
    if level is None:
        return f"Speaks {language}"
    return {"native": "Native", "fluent": "Fluent", "professional": "Professional working",
            "basic": "Basic"}[level] + f" {language}"


def _remote_country_qualification(req: HiringRequirements) -> QualificationSpec | None:
    """A remote role limited to a country: the candidate is based there."""
    if req.remote != "remote" or not req.country or req.location:
        return None
    place = COUNTRY_NAMES.get(req.country, req.country)
    shown = f"the {place}" if place.startswith("United") else place
    return QualificationSpec(text=f"Based in {shown} (remote within the country)", kind="must", location=place)


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
    lines += _kind_lines(req)
    lines += [f"Other: {o} — needs your review" for o in req.other]
    lines += [f"Not understood: {o}" for o in req.not_understood]
    if req.salary_band:
        lines.append(f"Salary band: {format_band(req.salary_band)}{tag('salary_band')}")
    if req.questions:
        lines.append("Questions:")
        lines += [f"  - {q}" for q in req.questions]
    return "\n".join(lines)


def _kind_lines(req: HiringRequirements) -> list[str]:
    """Summary lines for languages (with levels), credentials and work authorisation."""
    def spoken(languages: list[str]) -> str:
        return ", ".join(f"{x} ({req.language_levels[x]})" if x in req.language_levels else x for x in languages)

    lines = []
    if req.languages:
        lines.append("Languages: " + spoken(req.languages))
    if req.nice_languages:
        lines.append("Nice-to-have languages: " + spoken(req.nice_languages))
    if req.credentials:
        lines.append("Licences and certifications: " + ", ".join(req.credentials))
    if req.nice_credentials:
        lines.append("Nice-to-have licences and certifications: " + ", ".join(req.nice_credentials))
    if req.work_authorization:
        lines.append("Work authorisation: " + COUNTRY_NAMES.get(req.work_authorization, req.work_authorization))
    return lines


def _place_text(req: HiringRequirements) -> str:
    place = req.location or (COUNTRY_NAMES.get(req.country, req.country) if req.country else None)
    parts = [place] if place else []
    if req.remote != "unknown":
        parts.append(req.remote)
    return ", ".join(parts) if parts else "(not stated)"
