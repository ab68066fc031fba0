"""The pieces of an entry's header: job title, employer and location.

Header chunks are split into pieces (",", "|", " at ", " - " ...) that are classed as company (legal-form
words, "Company Name"), location (City/State placeholders, US and Indian states, countries) or title (a
job-title head noun such as Engineer, Manager, Analyst).
"""

from __future__ import annotations

import re

from tools.places import INDIAN_STATES, US_STATES
from tools.resumes.contact import one_line
from tools.resumes.layout import SMALL_WORDS, Chunk, is_bullet

__all__ = [
    "STATE_NAMES",
    "has_title_head",
    "header_fields",
    "header_like",
    "is_company",
    "is_location",
    "is_location_chunk",
    "title_head_last",
]

_TITLE_HEADS = {
    "engineer", "engineers", "developer", "programmer", "manager", "analyst", "specialist", "administrator",
    "admin", "director", "consultant", "technician", "intern", "officer", "architect", "lead", "leader",
    "designer", "scientist", "tester", "coordinator", "supervisor", "assistant", "associate",
    "representative", "executive", "president", "vp", "cto", "ceo", "cio", "cfo", "coo", "ciso", "head",
    "trainer", "teacher", "lecturer", "professor", "advocate", "accountant", "nurse", "pharmacist", "clerk",
    "agent", "owner", "founder", "co-founder", "technologist", "operator", "instructor", "auditor", "editor",
    "writer", "attorney", "lawyer", "counsel", "sergeant", "secretary", "receptionist", "advisor", "adviser",
    "planner", "strategist", "estimator", "inspector", "surveyor", "draftsman", "chef", "cook", "driver",
    "mechanic", "electrician", "fellow", "researcher", "volunteer", "dba", "physician", "therapist",
    "worker", "buyer", "recruiter", "generalist", "controller", "bookkeeper", "cashier", "teller",
    "banker", "underwriter", "broker", "marketer", "merchandiser", "contractor", "freelancer", "trainee",
    "apprentice", "principal", "partner", "chief", "expert", "investigator", "staff", "support", "desk",
    "helpdesk", "administration", "coach", "tutor", "faculty", "scrum", "master", "practitioner",
    "educator", "liaison", "deputy", "superintendent", "foreman", "captain", "commander", "lieutenant",
    "soldier",
    "airman", "sailor", "marine", "examiner", "judge", "paralegal", "medic", "pilot", "dispatcher",
    "custodian", "janitor", "guard", "steward", "clinician", "dentist", "surgeon", "resident", "student",
    "graduate", "member", "sme",
}
# Legal forms and the anonymised "Company Name" placeholder: certainly an employer.
_COMPANY_FORMS = re.compile(
    r"\b(?:company name|inc|llc|llp|ltd|limited|corp|corporation|gmbh|plc|pvt|pte|co\.|& co|s\.a\.|b\.v\.)"
    r"(?![\w-])\.?",
    re.IGNORECASE,
)
# Words that usually end an organisation's name.
_COMPANY_WORDS = re.compile(
    r"\b(?:company|technologies|solutions|services|group|bank|labs|consulting|consultancy|partners|"
    r"hospital|university|agency|department|enterprises|industries|holdings|software|networks|infotech|"
    r"international|associates|foundation|institute|college|school|council|ministry|"
    r"authority|government|army|navy|air force|county|city of|state of|firm|studio|studios|clinic|"
    r"pharmacy|bureau|office of|center|centre|communications|media|motors|airlines|insurance|"
    r"financial|capital|energy|healthcare|store|stores|restaurant|hotel)(?![\w-])",
    re.IGNORECASE,
)
_PLACEHOLDER_LOCATIONS = {"city", "state", "country", "zip", "remote", "hybrid", "on-site", "onsite"}
_US_STATE_NAMES = frozenset(name.lower() for code, name in US_STATES.items() if code not in ("PR", "GU", "VI"))
STATE_NAMES = _US_STATE_NAMES | INDIAN_STATES  # US states (not the territories) and Indian states, lower case
_COUNTRIES = {
    "usa", "us", "u.s.", "u.s.a.", "united states", "united states of america", "india", "in", "uk",
    "united kingdom", "canada", "germany", "france", "spain", "italy", "netherlands", "australia", "china",
    "japan", "singapore", "uae", "united arab emirates", "saudi arabia", "qatar", "kuwait", "oman", "bahrain",
    "ireland", "mexico", "brazil", "russia", "ukraine", "poland", "colombia", "nepal", "pakistan",
    "bangladesh", "sri lanka", "philippines", "malaysia", "taiwan", "korea", "south korea", "israel",
    "switzerland", "austria", "sweden", "norway", "denmark", "finland", "belgium", "portugal", "nigeria",
    "kenya", "south africa", "egypt", "new zealand", "vietnam", "thailand", "indonesia", "europe",
}
_LOCATIONS = _PLACEHOLDER_LOCATIONS | STATE_NAMES | _COUNTRIES
_STRONG_SPLIT_RE = re.compile(r"\s*(?:[,|·•－;]|\(|\)|\s+at\s+|\s+@\s+|\s+/\s+|\[|\])\s*")
_WEAK_SPLIT_RE = re.compile(r"\s+[-–—]+\s+|\s*[–—]\s*|\s+-(?=[A-Z])|(?<=[a-z])-\s+(?=[A-Z])")


def is_location(piece: str) -> bool:
    p = piece.strip(" .").lower()
    if p in _LOCATIONS:
        return True
    return bool(re.fullmatch(r"[A-Z]{2}", piece.strip()))


_WORD = r"[A-Z][A-Za-z.'’-]*"
_PLACE_RE = re.compile(rf"(?<![\w.'’-])(?=(?P<place>(?P<city>{_WORD}(?:[ ]{_WORD}){{0,3}}),[ ]*"
                       rf"(?P<region>{_WORD}(?:[ ]{_WORD}){{0,2}})"
                       rf"(?:,[ ]*(?P<country>{_WORD}(?:[ ]{_WORD}){{0,2}}))?))")


def place_in(line: str) -> str | None:
    """The first "City, Region" (or "City, Region, Country") in a line whose region is a known state, country or
    two-letter code, and whose city is not a company or a job title ("Google, Mountain View, CA" → "Mountain
    View, CA")."""
    for m in _PLACE_RE.finditer(line):
        city, region, country = m.group("city"), m.group("region"), m.group("country")
        if not is_location(region) or region.strip(" .").lower() in _PLACEHOLDER_LOCATIONS:
            continue
        if country and country.strip(" .").lower() not in _COUNTRIES:
            continue  # "Acme, New York, NY": the place starts further on
        if is_company(city, strong_only=True) or has_title_head(city):
            continue
        return f"{city}, {region}" + (f", {country}" if country else "")
    return None


def is_location_chunk(text: str) -> bool:
    """Only locations ("City , State", "Berlin, Germany" is not: Berlin is unknown)."""
    pieces = [p.strip(" .") for p in _STRONG_SPLIT_RE.split(text) if p.strip(" .-–—")]
    pieces = [q for p in pieces for q in _WEAK_SPLIT_RE.split(p) if q.strip(" .")]
    return bool(pieces) and all(is_location(p) for p in pieces)


def has_title_head(piece: str) -> bool:
    words = [w.strip(".,()/").lower() for w in re.split(r"[\s/]+", piece) if w.strip(".,()/")]
    return any(w in _TITLE_HEADS for w in words)


def title_head_last(piece: str) -> bool:
    words = [w.strip(".,()").lower() for w in re.split(r"[\s/]+", piece) if w.strip(".,()")]
    words = [w for w in words if not re.fullmatch(r"(?:i{1,3}|iv|v|[0-9]+|gs\d+)", w)]
    return bool(words) and words[-1] in _TITLE_HEADS


def is_company(piece: str, strong_only: bool = False) -> bool:
    if _COMPANY_FORMS.search(piece):
        return True
    return not strong_only and bool(_COMPANY_WORDS.search(piece)) and not title_head_last(piece)


def header_fields(texts: list[str]) -> tuple[str | None, str | None, bool]:
    """(title, company, company has a legal form) from the header texts of one entry (dates removed)."""
    strong = [p.strip(" .:-–—") for t in texts for p in _STRONG_SPLIT_RE.split(t)]
    strong = [p for p in strong if len(p) > 1 and re.search(r"[A-Za-z]", p)]
    company = next((p for p in strong if is_company(p, strong_only=True)), None)
    company = company or next((p for p in strong if is_company(p) and not is_location(p)), None)
    pieces: list[str] = []
    for piece in strong:
        if company is None and piece != company and _WEAK_SPLIT_RE.search(piece):
            parts = [p.strip(" .:") for p in _WEAK_SPLIT_RE.split(piece)]
            pieces.extend(p for p in parts if p and re.search(r"[A-Za-z]", p))
        else:
            pieces.append(piece)
    if company is None:
        company = next((p for p in pieces if is_company(p) and not is_location(p)), None)
    elif _WEAK_SPLIT_RE.search(company):
        # "Acme Corp — Berlin": keep the part with the company word, the others become pieces.
        parts = [p.strip(" .:") for p in _WEAK_SPLIT_RE.split(company) if p.strip(" .:")]
        named = [p for p in parts if is_company(p)]
        if len(named) == 1:
            at = pieces.index(company)
            pieces[at:at + 1] = parts
            company = named[0]
    rest = [p for p in pieces if p != company and not is_location(p)]
    title = next((p for p in rest if title_head_last(p)), None)
    title = title or next((p for p in rest if has_title_head(p) and len(p.split()) <= 8), None)
    rest = [p for p in rest if p != title and len(p.split()) <= 8 and not re.fullmatch(r"[\d\W]+", p)]
    if title is None and rest:
        title = rest.pop(0)
    if company is None and rest:
        company = rest.pop(0)
    certain = company is not None and is_company(company, strong_only=True)
    return one_line(title), one_line(company), certain


def header_like(chunk: Chunk) -> bool:
    """A short, capitalised, non-sentence chunk: a title, company or location in an entry header."""
    text = chunk.text.strip()
    if is_bullet(text) or ":" in text:
        return False
    words = [w for w in re.split(r"\s+", text) if re.match(r"[A-Za-z]", w)]
    if not words or len(text.split()) > 14:
        return False
    if text.endswith(".") and not re.search(r"\b(?:[A-Z][a-z]{0,3}|[A-Z]+)\.$", text):
        return False
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised >= max(1, 0.5 * len(significant))
