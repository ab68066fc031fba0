"""The classical brain's intake: a recruiter's plain words or a pasted job description → requirements → qualifications.

:func:`extract_requirements` reads the text with rules and the taxonomy only (no model):

* the role phrase (a ``Title:`` line, the first sentence, or the phrase after "looking for") resolved to an
  O*NET occupation, seniority words split off;
* years of experience ("5+ years", "3-5 years", "five years"), location (US metro areas, the talent pool's
  international cities, countries, remote / hybrid / on-site), spoken languages;
* skills from the taxonomy's extractor, split into must-have and nice-to-have by their sentence, clause or
  section ("Nice to have:", "is a plus", "ideally");
* other requirement sentences verbatim; then inferred facts (years, seniority, typical skills, a BLS salary
  band), each recorded with its source, and clarifying questions for what is missing.

:func:`draft_qualifications` turns the requirements into template qualifications in a fixed order and
:func:`describe` summarises them for a terminal or chat.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from tools.hiring import HiringRequirements, Inferred, QualificationSpec, SalaryBand
from tools.places import COUNTRIES, COUNTRY_NAMES, INTERNATIONAL_HUBS
from tools.taxonomy import SkillMention, Taxonomy, load, tokens
from tools.text import strip_accents_aligned

MAX_OTHER = 6
MAX_QUESTIONS = 3
MAX_RELATED_TITLES = 5
INFERRED_SKILLS = 3
# Vendors whose name readers drop ("IBM Terraform" is "Terraform"); Microsoft, Apache, Adobe stay.
_PLAIN_VENDORS = {"IBM", "Oracle", "Intuit", "Atlassian", "Google", "Apple", "Autodesk"}

# ---- vocabularies ----------------------------------------------------------------------------------------

# Rank words that only say how senior the role is (removed before the role is resolved).
_RANK_WORDS: dict[str, str] = {
    "intern": "intern", "internship": "intern", "trainee": "intern", "apprentice": "intern",
    "junior": "junior", "jr": "junior", "entry-level": "junior", "graduate": "junior",
    "mid": "mid", "mid-level": "mid", "midlevel": "mid", "intermediate": "mid",
    "senior": "senior", "sr": "senior", "experienced": "senior", "senior-level": "senior",
    "lead": "lead", "staff": "lead", "principal": "principal", "distinguished": "principal",
}
# Words that are part of the role and also say how senior it is.
_LEADER_WORDS: dict[str, str] = {
    "head": "director", "director": "director", "vp": "executive", "chief": "executive", "manager": "manager",
}
# Least years that each seniority usually means (the inverse of the taxonomy's seniority bands).
YEARS_FOR_SENIORITY: dict[str, float] = {
    "intern": 0.0, "junior": 0.0, "mid": 2.0, "senior": 5.0, "lead": 8.0, "principal": 8.0, "director": 10.0,
    "executive": 10.0,
}

# Common recruiter titles whose O*NET alternate-title match is a poor fit, keyed by the squashed phrase.
_ROLE_OVERRIDES: dict[str, str] = {
    "engineer": "15-1252.00", "developer": "15-1252.00", "softwareengineer": "15-1252.00",
    "programmer": "15-1252.00", "sre": "15-1252.00", "sitereliabilityengineer": "15-1252.00",
    "backendengineer": "15-1252.00", "backenddeveloper": "15-1252.00", "backendsoftwareengineer": "15-1252.00",
    "fullstackengineer": "15-1254.00", "fullstackdeveloper": "15-1254.00",
    "truckdriver": "53-3032.00", "lorrydriver": "53-3032.00", "cdldriver": "53-3032.00",
    "dataanalyst": "15-2051.01", "analyst": "13-1111.00",
    "salesrepresentative": "41-4012.00", "salesrep": "41-4012.00",
    "designer": "27-1024.00", "uxdesigner": "15-1255.00", "uidesigner": "15-1255.00",
    "uxuidesigner": "15-1255.00", "productdesigner": "15-1255.00", "webdesigner": "15-1255.00",
    "customerservicerepresentative": "43-4051.00", "projectmanager": "13-1082.00",
    "securityengineer": "15-1212.00", "platformengineer": "15-1252.00", "devopsengineer": "15-1252.00",
    "marketingmanager": "11-2021.00", "cook": "35-2014.00",
    "headsales": "11-2022.00", "vpsales": "11-2022.00", "directorsales": "11-2022.00",
    "salesdirector": "11-2022.00", "headengineering": "11-9041.00", "vpengineering": "11-9041.00",
    "directorengineering": "11-9041.00",
}
_ABBREVIATIONS = {"dev": "developer", "devs": "developer", "eng": "engineer", "engr": "engineer", "rn": "nurse",
                  "sre": "engineer", "swe": "engineer", "sde": "developer", "mgr": "manager"}
_EXTRA_HEADS = {"engineer", "developer", "nurse", "driver", "scientist", "manager", "accountant", "representative",
                "designer", "analyst", "sre", "swe", "sde", "rn", "sales", "engineering", "marketing"}
_ACRONYMS = {"ux": "UX", "ui": "UI", "qa": "QA", "sre": "SRE", "rn": "RN", "lpn": "LPN", "cdl": "CDL", "hr": "HR",
             "it": "IT", "vp": "VP", "ml": "ML", "ai": "AI", "bi": "BI", "seo": "SEO", "icu": "ICU", "er": "ER",
             "ios": "iOS", "sdr": "SDR", "bdr": "BDR", "swe": "SWE", "sde": "SDE", "cpa": "CPA", "hvac": "HVAC"}
_SMALL_WORDS = {"of", "and", "the", "for", "in", "to", "&"}
_FILLER_START = {"a", "an", "the", "our", "my", "we", "i", "need", "needs", "looking", "hire", "hiring", "seeking",
                 "want", "find", "someone", "new", "us", "me", "please", "urgently", "asap", "some", "two", "three"}
_BOUNDARY_WORDS = {"in", "at", "with", "for", "who", "based", "from", "near", "that", "which", "located", "remote",
                   "hybrid", "onsite", "on-site", "to", "ideally", "must", "should", "having", "has", "needed",
                   "wanted", "required", "plus", "is", "are", "will", "can"}
_ROLE_CUE_RE = re.compile(r"\b(?:looking for|hiring|seeking|searching for|need|join (?:us|our team) as|"
                          r"we want|recruiting)\b", re.IGNORECASE)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
}
_NUM = r"(\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS = r"(?:years?|yrs?)\b"
_YEARS_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (  # (pattern, has a maximum)
    (re.compile(rf"\b{_NUM}\s*(?:-|–|—|to)\s*{_NUM}\s*\+?\s*{_YEARS}", re.IGNORECASE), True),
    (re.compile(rf"\b(?:at least|a minimum of|minimum of|minimum|min\.?|more than|over|no less than)\s+{_NUM}"
                rf"\s*\+?\s*{_YEARS}", re.IGNORECASE), False),
    (re.compile(rf"\b{_NUM}\s+or\s+more\s+{_YEARS}", re.IGNORECASE), False),
    (re.compile(rf"\b{_NUM}\s*\+?\s*{_YEARS}(?:\s+or\s+more|\s+plus)?", re.IGNORECASE), False),
)
_NOT_EXPERIENCE_RE = re.compile(r"^\W*(?:ago|old|of age|or older|or younger|and older|young)\b", re.IGNORECASE)

SPOKEN_LANGUAGES: tuple[str, ...] = (
    "English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Polish", "Swedish", "Norwegian",
    "Danish", "Finnish", "Russian", "Ukrainian", "Czech", "Slovak", "Hungarian", "Romanian", "Bulgarian", "Greek",
    "Serbian", "Croatian", "Turkish", "Arabic", "Hebrew", "Persian", "Farsi", "Hindi", "Urdu", "Bengali",
    "Punjabi", "Tamil", "Telugu", "Marathi", "Gujarati", "Mandarin", "Cantonese", "Chinese", "Japanese", "Korean",
    "Vietnamese", "Thai", "Indonesian", "Malay", "Tagalog", "Filipino", "Swahili",
)
_LANGUAGE_RE = re.compile(r"\b(" + "|".join(SPOKEN_LANGUAGES) + r")\b")
_LANGUAGE_CUE_RE = re.compile(
    r"\b(?:fluen\w*|speak\w*|spoken|native|bilingual|multilingual|language\w*|proficien\w*|business[- ]level|"
    r"conversational|written|verbal|mother tongue|[ABC][12])\b|-speaking", re.IGNORECASE)
_LANGUAGE_LIST_WORDS = {"and", "or", "plus", "both", "as", "well", "&", "/"}

_CITY_ALIASES: dict[str, str] = {  # alias → international city or the first city of a US metro
    "Bengaluru": "Bangalore", "Munchen": "Munich", "Muenchen": "Munich", "Zuerich": "Zurich", "Cracow": "Krakow",
    "CDMX": "Mexico City", "NYC": "New York", "New York City": "New York", "SF": "San Francisco",
    "Bay Area": "San Francisco", "Silicon Valley": "San Jose", "LA": "Los Angeles", "DC": "Washington",
    "Washington DC": "Washington", "Washington, D.C.": "Washington", "Philly": "Philadelphia",
    "Honolulu": "Urban Honolulu", "Saint Louis": "St. Louis",
}
_LOCATION_CUE_RE = re.compile(r"(?:\b(?:in|at|near|around|from|based|located|relocate to|office|offices|hub|"
                              r"within|of)\s*(?:in\s+)?|\blocation\s*:\s*)$", re.IGNORECASE)
_TOP_METROS = 60  # uncued US city names count only for the largest metros ("Mobile", "Reading" are words too)
_REMOTE_RE = re.compile(r"\b(?:(?P<neg>no|not|non)[- ])?(?P<word>remote|hybrid|on-?site|in[- ]office|in person)\b",
                        re.IGNORECASE)

_NICE_RE = re.compile(
    r"\b(?:nice[- ]to[- ]haves?|good[- ]to[- ]haves?|(?:is |are )?an? (?:big |huge |strong )?plus|bonus(?: points)?|"
    r"preferred|preferably|ideally|desirable|optional|(?:is |are )?an? (?:advantage|asset)|advantageous|"
    r"not required|would be nice|appreciated)\b", re.IGNORECASE)
_SECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("title", re.compile(r"^(?:job\s+)?(?:title|role|position)$", re.IGNORECASE)),
    ("location", re.compile(r"^(?:job\s+)?location$|^based in$", re.IGNORECASE)),
    ("nice", re.compile(r"nice|bonus|plus|preferred|desirable|good to have|ideally|extra credit", re.IGNORECASE)),
    ("about", re.compile(r"about us|who we are|company|benefits|perks|we offer|why join|compensation|salary|"
                         r"how to apply|our team", re.IGNORECASE)),
    ("duties", re.compile(r"responsibilit|what you.?ll do|what you will do|the role|your role|duties|tasks|"
                          r"day to day|about the (?:role|job)|your mission|the job", re.IGNORECASE)),
    ("must", re.compile(r"requirement|qualification|must|what you bring|looking for|you have|about you|"
                        r"who you are|skills|experience|profile|you bring|you.?ll need|we expect|what we need",
                        re.IGNORECASE)),
)
_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪◦‣–—>]+|\d{1,2}[.)])\s*")
_REQUIREMENT_CUE_RE = re.compile(
    r"\b(?:experience\w*|degree|years?|knowledge|ability|able to|must|required|requires?|proficien\w*|"
    r"familiar\w*|certif\w*|licen[cs]\w*|background|understanding|track record|skills?)\b", re.IGNORECASE)
_DEGREE_BEFORE_RE = re.compile(r"(?:degree|bachelor\S*|master\S*|b\.?sc?|m\.?sc?|ph\.?d|diploma|major)\b[^.;]{0,25}"
                               r"\b(?:in|of)\s+[^.;]{0,40}$", re.IGNORECASE)
# Product names that are also plain words; written in lower case they are the word ("our analytics team").
_PLAIN_WORD_PRODUCTS = {"analytics", "cloud", "calendar", "drive", "docs", "sheets", "forms", "search", "maps",
                        "translate", "data", "pages", "numbers", "keynote", "photos", "mail", "messages", "notes"}
_GO_VERB_NEXT = {"to", "ahead", "live", "beyond", "get", "out", "through", "above", "back", "into", "over", "the",
                 "for", "on", "further", "far", "extra", "all", "from", "getter", "getters", "after"}
_GO_VERB_BEFORE_RE = re.compile(r"(?:ready to|good to|let'?s|lets|on the|to get up and|will|can|must|and)\s*$",
                                re.IGNORECASE)
_OTHER_FILLER = {
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "as", "by", "is", "are", "be",
    "our", "your", "you", "we", "i", "us", "me", "who", "that", "this", "will", "can", "should", "must", "have",
    "has", "having", "had", "need", "needs", "needed", "looking", "hire", "hiring", "seeking", "want", "someone",
    "somebody", "person", "candidate", "people", "great", "good", "strong", "solid", "excellent", "proven", "deep",
    "experience", "experienced", "years", "year", "yrs", "yr", "plus", "knowledge", "skills", "skill", "ability",
    "proficiency", "proficient", "familiarity", "familiar", "working", "hands-on", "hands", "practical",
    "professional", "required", "requirement", "requirements", "preferred", "nice", "bonus", "ideally", "also",
    "least", "minimum", "more", "over", "than", "some", "level", "expertise", "background", "please",
    "asap", "urgently", "find", "join", "team", "role", "position", "job", "using", "use", "like", "etc",
    "e.g", "i.e", "other", "similar", "related", "relevant", "commercial", "production", "based", "remote",
    "hybrid", "onsite", "on-site", "office", "fluent", "fluency", "speaker", "speaking", "spoken", "language",
    "languages", "native", "time", "full", "full-time", "part-time", "contract", "permanent", "new",
    "we're", "i'm", "ready", "go", "get", "let's", "start", "soon", "quickly", "now", "today", "thanks", "thank",
    "hi", "hello", "hey", "help", "speak", "speaks", "write", "read", "communicate", "it", "its", "it's", "very",
    "really", "quite", "highly", "amazing", "awesome",
}


# ---- the document: lines, sections and sentences -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """One sentence of the input with its offset and the section it sits in."""

    text: str
    start: int
    section: str  # title | location | nice | must | duties | about | "" (no header seen)
    line: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(slots=True)
class _Document:
    text: str
    segments: list[_Segment]
    long: bool  # a pasted job description rather than a one-line request
    has_sections: bool


def _section_of(label: str) -> str | None:
    label = label.strip().strip("*#_ ").rstrip(":").strip()
    if not label or len(label.split()) > 6:
        return None
    for kind, rule in _SECTION_RULES:
        if rule.search(label):
            return kind
    return None


def _sentences(text: str, start: int) -> list[tuple[str, int]]:
    """Split one line into sentences with their offsets (a full stop then a space and a capital)."""
    out: list[tuple[str, int]] = []
    begin = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"'(])", text):
        out.append((text[begin:m.start()], start + begin))
        begin = m.end()
    out.append((text[begin:], start + begin))
    return [(s, o) for s, o in out if s.strip()]


def _header(content: str, bulleted: bool) -> tuple[str | None, int]:
    """The section a line opens, and where its inline content starts (the line's length when it has none)."""
    m = re.match(r"^([^:.!?]{2,60}):\s*", content)
    if m and (kind := _section_of(m.group(1))):
        return kind, m.end()
    short = len(content.split()) <= 5 and not re.search(r"[.!?,;\d]", content.rstrip(".:!"))
    if not bulleted and short and (kind := _section_of(content)):
        return kind, len(content)
    return None, 0


def _parse(text: str) -> _Document:
    segments: list[_Segment] = []
    section, has_sections, offset, line_no = "", False, 0, 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        bullet = _BULLET_RE.match(line)
        begin = bullet.end() if bullet else len(line) - len(line.lstrip())
        content = line[begin:].rstrip()
        if content:
            kind, rest = _header(content, bulleted=bool(bullet))
            inline = section
            if kind:
                has_sections = True
                inline = kind
                if kind not in {"title", "location"} or rest == len(content):
                    section = kind
            for sentence, at in _sentences(content[rest:], offset + begin + rest):
                segments.append(_Segment(sentence.rstrip(), at, inline, line_no))
            line_no += 1
        elif section == "about":
            section = ""  # a blank line ends a company blurb
        offset += len(raw)
    words = len(text.split())
    return _Document(text, segments, long=line_no > 1 or words > 40, has_sections=has_sections)


def _split(text: str, start: int, pattern: str) -> list[tuple[str, int]]:
    """Pieces of ``text`` between matches of ``pattern``, stripped, with their offsets."""
    out, begin = [], 0
    for m in re.finditer(pattern, text):
        out.append((text[begin:m.start()], start + begin))
        begin = m.end()
    out.append((text[begin:], start + begin))
    return [(piece.strip(), at + len(piece) - len(piece.lstrip())) for piece, at in out if piece.strip()]


_PART_BREAK = r";|\s+[-–—]\s+|\bbut\b"


def _clauses(segment: _Segment, extra: str = "") -> list[tuple[str, int]]:
    """Split a sentence at commas, semicolons, dashes and "but" (and ``extra`` words) with offsets."""
    return _split(segment.text, segment.start, f"{_PART_BREAK}|," + (f"|{extra}" if extra else ""))


# ---- role, title and seniority -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Role:
    title: str
    code: str
    occupation: str
    seniority: str | None
    start: int
    end: int  # the resolved phrase text[start:end] (title words, not to be read as skills)
    head: str


def _squash(text: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9+#]+", text.lower()) if w and w not in {"of", "the"}]
    return "".join(words)


@cache
def _head_nouns(taxonomy: Taxonomy) -> frozenset[str]:
    """Words that end at least two known job titles ("engineer", "nurse", "driver", "electrician")."""
    counts: Counter[str] = Counter()
    title_keys = getattr(taxonomy, "_titles", {})  # normalised title → (title, code); the taxonomy's title index
    for key in title_keys:
        words = key.split()
        if words:
            counts[words[-1].rstrip(".")] += 1
    return frozenset({w for w, n in counts.items() if n >= 2} | _EXTRA_HEADS)


def _strip_rank(words: list[str]) -> tuple[list[str], str | None]:
    kept, level = [], None
    for word in words:
        key = word.lower().rstrip(".")
        if key in _RANK_WORDS:
            level = _higher(level, _RANK_WORDS[key])
        elif key == "level" and level:
            continue
        else:
            kept.append(word)
    return kept, level


def _higher(a: str | None, b: str | None) -> str | None:
    order = ("intern", "junior", "mid", "senior", "lead", "principal", "manager", "director", "executive")
    if a is None or b is None:
        return a or b
    return a if order.index(a) >= order.index(b) else b


def _resolve_role(phrase: str, taxonomy: Taxonomy) -> tuple[str, float, str | None] | None:
    """(occupation code, score, seniority) for a role phrase, or None when nothing resolves well."""
    words, level = _strip_rank([t for t, _, _ in tokens(phrase.replace("/", " "))])
    for word in words:
        level = _higher(level, _LEADER_WORDS.get(word.lower()))
    if not words:
        return None
    if (code := _ROLE_OVERRIDES.get(_squash(" ".join(words)))) and code in taxonomy.occupations:
        return code, 1.0, level
    core = " ".join(words)
    without_leader = " ".join(w for w in words if w.lower() not in {"head", "vp", "chief", "of", "the"})
    needed = 0.95 if len(words) == 1 else 0.8  # one word ("Health") must be a title, not a guess
    for variant in dict.fromkeys((core, without_leader, _singular(core))):
        match = taxonomy.normalize_title(variant) if variant else None
        if match and match.score >= needed:
            return match.code, match.score, level
    return None


def _singular(phrase: str) -> str:
    return phrase[:-1] if phrase.endswith("s") and not phrase.endswith("ss") else phrase


def _chunks(text: str) -> list[list[tuple[str, int, int]]]:
    """Runs of words between punctuation and boundary words ("in", "with", "for"...)."""
    out: list[list[tuple[str, int, int]]] = [[]]
    previous_end = 0
    for tok, start, end in tokens(text):
        gap = text[previous_end:start]
        if re.search(r"[,;:()|!?\[\]]|\s[-–—]\s|\.\s", gap) or tok.lower() in _BOUNDARY_WORDS:
            out.append([])
        if tok.lower() not in _BOUNDARY_WORDS:
            out[-1].append((tok.rstrip(",;:") if tok.endswith((",", ";")) else tok, start, end))
        previous_end = end
    return [c for c in out if c]


def _find_role_in(text: str, base: int, taxonomy: Taxonomy) -> _Role | None:
    """The longest phrase of ``text`` that ends in a role noun and resolves to an occupation."""
    heads = _head_nouns(taxonomy)
    best: tuple[tuple[int, int], list[tuple[str, int, int]], int, int, tuple[str, float, str | None]] | None = None
    for chunk in _chunks(text):
        for j, (tok, _, end) in enumerate(chunk):
            head = tok.lower().rstrip(".")
            if head not in heads and _ABBREVIATIONS.get(head) not in heads:
                continue
            for i in range(j + 1):
                if chunk[i][0].lower() in _FILLER_START and i < j:
                    continue
                resolved = _resolve_role(text[chunk[i][1]:end], taxonomy)
                if resolved is None:
                    continue
                key = (j - i + 1, -chunk[i][1])
                if best is None or key > best[0]:
                    best = (key, chunk, i, j, resolved)
                break  # the longest phrase that ends here and resolves
    if best is None:
        return None
    _, chunk, i, j, (code, _score, level) = best
    first = i
    while first > 0 and taxonomy.skills.get(taxonomy.normalize_skill(chunk[first - 1][0]) or "") == "technology":
        first -= 1  # 'Go developer': the technology stays in the title (and is read as a skill too)
    start, end = chunk[i][1], chunk[j][2]
    title = _title_case(text[chunk[first][1]:end], taxonomy)
    head = chunk[j][0].lower().rstrip(".")
    return _Role(title, code, taxonomy.occupations[code].title, level, base + start, base + end, head)


def _title_case(phrase: str, taxonomy: Taxonomy) -> str:
    words = []
    for i, (tok, _, _) in enumerate(tokens(phrase)):
        lower = tok.lower().rstrip(".")
        skill = taxonomy.normalize_skill(tok)
        if lower in _ACRONYMS:
            words.append(_ACRONYMS[lower])
        elif lower in {"sr", "jr"}:
            words.append(lower.capitalize() + ".")
        elif i and lower in _SMALL_WORDS:
            words.append(lower)
        elif skill and skill.lower() == tok.lower():
            words.append(skill)
        elif tok[1:] != tok[1:].lower():
            words.append(tok)
        else:
            words.append(tok[:1].upper() + tok[1:].lower())
    return " ".join(words)


def _role_candidates(doc: _Document) -> list[_Segment]:
    """Where a role phrase may be: a Title: line, a "we are looking for" sentence, the first sentence."""
    titled = [s for s in doc.segments if s.section == "title"]
    cued = []
    for seg in doc.segments[:12]:
        if m := _ROLE_CUE_RE.search(seg.text):
            cued.append(_Segment(seg.text[m.end():], seg.start + m.end(), seg.section, seg.line))
    early = [s for s in doc.segments[:4] if s.section not in {"about", "nice", "must", "duties"}]
    return titled + cued + early


def _find_role(doc: _Document, taxonomy: Taxonomy) -> _Role | None:
    for segment in _role_candidates(doc):
        if role := _find_role_in(segment.text, segment.start, taxonomy):
            return role
    return None


def _seniority_nearby(doc: _Document, role: _Role | None) -> str | None:
    """A rank word elsewhere in the role's sentence ("backend engineer, senior level")."""
    segment = next((s for s in doc.segments if role and s.start <= role.start < s.end), None)
    if segment is None:
        segment = doc.segments[0] if doc.segments and not doc.long else None
    if segment is None:
        return None
    level = None
    for tok, _, _ in tokens(segment.text):
        key = tok.lower().rstrip(".")
        if key in _RANK_WORDS and key not in {"lead", "staff", "graduate"}:
            level = _higher(level, _RANK_WORDS[key])
    return level


# ---- years -------------------------------------------------------------------------------------------------


def _number(word: str) -> float:
    return float(_NUMBER_WORDS.get(word.lower(), 0) or word)


@dataclass(frozen=True, slots=True)
class _Years:
    low: float
    high: float | None
    start: int
    end: int


def _find_years(text: str, skip: list[tuple[int, int]]) -> list[_Years]:
    found: list[_Years] = []
    taken: list[tuple[int, int]] = []
    for pattern, ranged in _YEARS_PATTERNS:
        for m in pattern.finditer(text):
            span = (m.start(), m.end())
            if _overlaps(span, taken) or _overlaps(span, skip) or _NOT_EXPERIENCE_RE.match(text[m.end():]):
                continue
            low = _number(m.group(1))
            high = _number(m.group(2)) if ranged else None
            if high is not None and high < low:
                low, high = high, low
            taken.append(span)
            found.append(_Years(low, high, *span))
    return sorted(found, key=lambda y: y.start)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


# ---- location ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    location: str
    country: str
    metro_code: str | None
    display: str  # for salary bands and qualification text


@dataclass(slots=True)
class _PlaceIndex:
    names: dict[str, list[tuple[_Place, bool]]] = field(default_factory=dict)  # folded name → (place, top metro)
    pattern: re.Pattern[str] | None = None


def _metro_cities(name: str) -> tuple[list[str], list[str]]:
    """('Dallas-Fort Worth-Arlington, TX') → (['Dallas', 'Fort Worth', 'Arlington'], ['TX'])."""
    cities, _, states = name.rpartition(", ")
    return [c.strip() for c in re.split(r"-+|/", cities) if c.strip()], states.split("-")


@cache
def _place_index(taxonomy: Taxonomy) -> _PlaceIndex:
    index = _PlaceIndex()
    for city, country, _locale, _weight in INTERNATIONAL_HUBS:
        place = _Place(city, country, None, city)
        index.names.setdefault(strip_accents_aligned(city.split(",")[0]), []).append((place, True))
    employment: Counter[str] = Counter()
    for rows in taxonomy.metro_employment.values():
        for area, emp, _median in rows:
            employment[area] += emp or 0
    top = {area for area, _ in employment.most_common(_TOP_METROS)}
    secondary: list[tuple[str, tuple[_Place, bool]]] = []
    for area, _n in sorted(employment.items(), key=lambda kv: (-kv[1], kv[0])):
        name = taxonomy.metros.get(area, ("", ""))[0]
        if not name or "nonmetropolitan" in name:
            continue
        place = _Place(f"{name}, United States", "US", area, name)
        cities, _states = _metro_cities(name)
        index.names.setdefault(strip_accents_aligned(cities[0]), []).append((place, area in top))
        secondary += [(strip_accents_aligned(c), (place, area in top)) for c in cities[1:]]
    for name, entry in secondary:
        if name not in index.names:
            index.names[name] = [entry]
    for alias, target in _CITY_ALIASES.items():
        if strip_accents_aligned(target) in index.names:
            index.names[strip_accents_aligned(alias)] = index.names[strip_accents_aligned(target)]
    alternation = "|".join(re.escape(n) for n in sorted(index.names, key=len, reverse=True))
    index.pattern = re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])")
    return index


def _state_after(text: str) -> str | None:
    m = re.match(r"\s*,?\s*([A-Z]{2})\b", text)
    return m.group(1) if m else None


def _pick_place(entries: list[tuple[_Place, bool]], state: str | None) -> tuple[_Place, bool]:
    if state:
        for place, _top in entries:
            if place.country == "US" and state in _metro_cities(place.display)[1]:
                return place, True
    return entries[0]


def _find_place(doc: _Document, taxonomy: Taxonomy, skip: list[tuple[int, int]],
                role: _Role | None) -> tuple[_Place, int, int] | None:
    """The best city or metro mention: a Location: line, the role's sentence, a cued mention ("in Berlin")."""
    index = _place_index(taxonomy)
    assert index.pattern is not None
    folded = strip_accents_aligned(doc.text)
    ranked: list[tuple[tuple[int, int], _Place, int, int]] = []
    for m in index.pattern.finditer(folded):
        if _overlaps((m.start(), m.end()), skip) or not doc.text[m.start()].isupper():
            continue
        place, top = _pick_place(index.names[m.group()], _state_after(doc.text[m.end():]))
        segment = next((s for s in doc.segments if s.start <= m.start() < s.end), None)
        section = segment.section if segment else ""
        cued = section == "location" or bool(_LOCATION_CUE_RE.search(doc.text[max(0, m.start() - 25):m.start()]))
        if not (cued or top or place.country != "US"):
            continue
        with_role = bool(role and segment and segment.start <= role.start < segment.end)
        tier = 0 if section == "location" else 1 if with_role else 2 if cued and section != "about" else 3
        ranked.append(((tier, m.start()), place, m.start(), m.end()))
    if not ranked:
        return None
    _, place, start, end = min(ranked, key=lambda r: r[0])
    return place, start, end


def _find_country(text: str, skip: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    names = sorted(COUNTRIES, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    for m in pattern.finditer(text):
        if not _overlaps((m.start(), m.end()), skip):
            return COUNTRIES[m.group()], m.start(), m.end()
    return None


def _find_remote(text: str) -> Literal["onsite", "hybrid", "remote", "unknown"]:
    for m in _REMOTE_RE.finditer(text):
        word = m.group("word").lower().replace("-", "").replace(" ", "")
        if m.group("neg") and word == "remote":
            return "onsite"
        if word == "remote":
            return "remote"
        if word == "hybrid":
            return "hybrid"
        return "onsite"
    return "unknown"


# ---- languages ---------------------------------------------------------------------------------------------


def _find_languages(doc: _Document) -> tuple[list[str], list[tuple[int, int]]]:
    """Spoken languages in a language context ("fluent German", "German speaker") or a bare list of them."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for segment in doc.segments:
        for clause, at in _clauses(segment):
            hits = list(_LANGUAGE_RE.finditer(clause))
            if not hits or segment.section == "nice" or _NICE_RE.search(clause):
                continue
            rest = _LANGUAGE_RE.sub(" ", clause)
            bare = all(t.lower() in _LANGUAGE_LIST_WORDS for t, _, _ in tokens(rest))
            if not (bare or _LANGUAGE_CUE_RE.search(clause)):
                continue
            for m in hits:
                found.append(m.group())
                spans.append((at + m.start(), at + m.end()))
    return list(dict.fromkeys(found)), spans


# ---- skills ------------------------------------------------------------------------------------------------


def _keep_mention(mention: SkillMention, text: str, taxonomy: Taxonomy, role: _Role | None,
                  skip: list[tuple[int, int]]) -> bool:
    span = (mention.start, mention.end)
    if _overlaps(span, skip):
        return False
    if role and role.start <= mention.start < role.end:
        kind = taxonomy.skills.get(mention.skill)
        if kind != "technology" or mention.surface.lower() == role.head:
            return False
    if mention.surface == "Go" and _go_is_verb(text, mention):
        return False
    if mention.surface in _PLAIN_WORD_PRODUCTS:
        return False
    if taxonomy.skills.get(mention.skill) == "basic" and " " not in mention.skill:
        return bool(re.match(r"\s+skills?\b", text[mention.end:], re.IGNORECASE))
    return not _DEGREE_BEFORE_RE.search(text[max(0, mention.start - 60):mention.start])


def _go_is_verb(text: str, mention: SkillMention) -> bool:
    after = tokens(text[mention.end:mention.end + 20])
    if after and after[0][0].lower() in _GO_VERB_NEXT and not text[mention.end:].startswith((",", " and", " or")):
        return True
    return bool(_GO_VERB_BEFORE_RE.search(text[max(0, mention.start - 25):mention.start]))


def _nice_spans(doc: _Document, mentions: list[SkillMention]) -> list[tuple[int, int]]:
    """Spans of text whose skills are nice to have: nice sections, and clauses marked "a plus", "ideally"..."""
    spans: list[tuple[int, int]] = []
    for segment in doc.segments:
        if segment.section == "nice":
            spans.append((segment.start, segment.end))
            continue
        for part, part_at in _split(segment.text, segment.start, _PART_BREAK):
            spans += _nice_clauses(_split(part, part_at, ","), mentions)
    return spans


def _nice_clauses(clauses: list[tuple[str, int]], mentions: list[SkillMention]) -> list[tuple[int, int]]:
    nice = [False] * len(clauses)
    for i, (clause, at) in enumerate(clauses):
        marker = _NICE_RE.search(clause)
        if not marker:
            continue
        nice[i] = True
        first_skill = min((m.start - at for m in mentions if at <= m.start < at + len(clause)), default=None)
        leading = first_skill is None or marker.start() < first_skill
        _spread(clauses, nice, i, mentions, forward=leading, plural=" are " in f" {clause.lower()} ")
    return [(at, at + len(c)) for (c, at), flag in zip(clauses, nice, strict=True) if flag]


def _spread(clauses: list[tuple[str, int]], nice: list[bool], i: int, mentions: list[SkillMention], *,
            forward: bool, plural: bool) -> None:
    """Mark neighbouring bare skill lists as nice: forward after "Ideally: X", backward before "X, Y are a plus"."""
    if not forward and not plural:
        return
    step = 1 if forward else -1
    j = i + step
    while 0 <= j < len(clauses) and _bare_skills(*clauses[j], mentions):
        nice[j] = True
        j += step


def _bare_skills(clause: str, at: int, mentions: list[SkillMention]) -> bool:
    inside = [m for m in mentions if at <= m.start < at + len(clause)]
    if not inside:
        return False
    rest = clause
    for m in sorted(inside, key=lambda m: -m.start):
        rest = rest[:m.start - at] + " " + rest[m.end - at:]
    return all(t.lower() in {"and", "or", "&", "/", "as", "well", "also"} for t, _, _ in tokens(rest))


def _split_skills(mentions: list[SkillMention], nice_spans: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    must: list[str] = []
    nice: list[str] = []
    for mention in mentions:
        target = nice if _overlaps((mention.start, mention.end), nice_spans) else must
        if mention.skill not in target:
            target.append(mention.skill)
    return must, [s for s in nice if s not in must]


# ---- other requirement sentences ---------------------------------------------------------------------------


def _residual(text: str, at: int, covered: list[tuple[int, int]]) -> list[str]:
    """Content words of ``text`` not explained by the spans already read."""
    words = []
    for tok, start, end in tokens(text):
        if _overlaps((at + start, at + end), covered):
            continue
        key = tok.lower().rstrip(".")
        if key in _OTHER_FILLER or key in _RANK_WORDS or key.isdigit() or len(key) < 2 or key in _NUMBER_WORDS:
            continue
        words.append(tok)
    return words


def _other_units(doc: _Document, nice_spans: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Sentences of a job description's requirement sections, or clauses of a one-line request."""
    if not doc.long:
        units = []
        for segment in doc.segments:
            units += _clauses(segment, extra=r"\bwith\b|\bwho (?:has|have|is|can)\b|\bhaving\b")
        return [(text, at) for text, at in units if not _overlaps((at, at + len(text)), nice_spans)]
    units = []
    for segment in doc.segments:
        eligible = segment.section == "must" or (
            segment.section == "" and bool(_REQUIREMENT_CUE_RE.search(segment.text)))
        if eligible and not _NICE_RE.search(segment.text):
            units.append((segment.text, segment.start))
    return units


def _find_other(doc: _Document, covered: list[tuple[int, int]], nice_spans: list[tuple[int, int]]) -> list[str]:
    out: list[str] = []
    for text, at in _other_units(doc, nice_spans):
        if not _residual(text, at, covered):
            continue
        sentence = text.strip()
        if not doc.long:
            sentence = re.sub(r"^(?:and|with|plus|also)\s+", "", sentence, flags=re.IGNORECASE)
            sentence = sentence[:1].upper() + sentence[1:]
        if sentence and sentence not in out:
            out.append(sentence)
    return out[:MAX_OTHER]


# ---- inference ---------------------------------------------------------------------------------------------


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


def _infer(req: HiringRequirements, taxonomy: Taxonomy) -> None:
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


def _questions(req: HiringRequirements) -> list[str]:
    questions = []
    if req.occupation_code is None:
        questions.append("What role are you hiring for (the job title)?")
    if req.location is None and req.country is None and req.remote != "remote":
        questions.append("Where should the person be based, and is remote work an option?")
    if not req.must_skills and not req.title:
        questions.append("Which skills or experience matter most for this role?")
    return questions[:MAX_QUESTIONS]


# ---- extraction --------------------------------------------------------------------------------------------


def extract_requirements(text: str, taxonomy: Taxonomy | None = None) -> HiringRequirements:
    """Read a recruiter's request or a pasted job description into :class:`HiringRequirements`."""
    taxonomy = taxonomy or load()
    doc = _parse(text or "")
    role = _find_role(doc, taxonomy)
    role_span = [(role.start, role.end)] if role else []
    languages, language_spans = _find_languages(doc)
    place = _find_place(doc, taxonomy, role_span + language_spans, role)
    place_spans = [(place[1], place[2])] if place else []
    country = place[0].country if place else None
    if place is None and (found := _find_country(text, role_span + language_spans)):
        country = found[0]
        place_spans = [(found[1], found[2])]
    mentions = [m for m in taxonomy.extract_skills(text)
                if _keep_mention(m, text, taxonomy, role, language_spans + place_spans)]
    nice_spans = _nice_spans(doc, mentions)
    years = [y for y in _find_years(text, []) if not _overlaps((y.start, y.end), nice_spans)]
    must, nice = _split_skills(mentions, nice_spans)
    covered = role_span + language_spans + place_spans + [(m.start, m.end) for m in mentions]
    covered += [(y.start, y.end) for y in years]
    stated_years = max(years, key=lambda y: y.low) if years else None
    seniority = _higher(role.seniority if role else None, _seniority_nearby(doc, role))
    req = HiringRequirements(
        title=role.title if role else "",
        occupation_code=role.code if role else None,
        occupation=role.occupation if role else None,
        seniority=seniority,
        years_min=stated_years.low if stated_years else None,
        years_max=stated_years.high if stated_years else None,
        location=place[0].location if place else None,
        country=country,
        metro_code=place[0].metro_code if place else None,
        remote=_find_remote(text),
        must_skills=must,
        nice_skills=nice,
        languages=languages,
        other=_find_other(doc, covered, nice_spans),
    )
    _infer(req, taxonomy)
    req.questions = _questions(req)
    return req


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
    words = [w for w in title.split() if w.lower().rstrip(".") not in _RANK_WORDS and w.lower() != "level"]
    return " ".join(words) or title


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" and not word.isupper() else "a"


def _role_noun(occupation: str | None) -> str | None:
    """'Web Developers' → 'web developer'; None for compound O*NET titles."""
    if not occupation or "," in occupation or " and " in occupation or not occupation.endswith("s"):
        return None
    noun = occupation[:-1]
    return noun[:-2] + "y" if noun.endswith("ie") else noun.lower()


def _title_words(title: str) -> list[str]:
    text = title.lower().replace("-", " ")
    for joined, spaced in (("frontend", "front end"), ("backend", "back end"), ("fullstack", "full stack")):
        text = text.replace(joined, spaced)
    return [_ABBREVIATIONS.get(w, w) for w in text.split()]


def related_titles(title: str, code: str, taxonomy: Taxonomy, n: int = MAX_RELATED_TITLES) -> list[str]:
    """Other titles of the occupation that share the role's head noun (or, failing that, a word), closest first."""
    words = _title_words(title)
    if not words:
        return []
    head = words[-1]
    wanted = {w for w in words if w not in _SMALL_WORDS and w not in _LEADER_WORDS}
    occupation = taxonomy.occupations.get(code)
    occupation_words = {w.rstrip("s") for w in _title_words(occupation.title)} if occupation else set()

    def rank(candidate: str) -> tuple[bool, int, int, bool, int, str]:
        theirs = _title_words(candidate)
        overlap = len(wanted & set(theirs))
        typical = len(occupation_words & {w.rstrip("s") for w in theirs})  # 'Software Engineer' before 'Game ...'
        technical = any(taxonomy.normalize_skill(w) for w in candidate.split()[:-1])  # 'XML Developer' goes last
        return theirs[-1:] != [head], -overlap, -typical, technical, len(candidate), candidate

    pool = [t for t in taxonomy.titles_for(code)
            if t.lower() != title.lower() and (_title_words(t)[-1:] == [head] or wanted & set(_title_words(t)))]
    ranked = sorted(pool, key=rank)
    sharing_head = [t for t in ranked if _title_words(t)[-1:] == [head]]
    return (sharing_head if len(sharing_head) >= 2 else ranked)[:n]


def _title_qualification(req: HiringRequirements, taxonomy: Taxonomy) -> QualificationSpec | None:
    if not req.title and not req.occupation:
        return None
    title = _core_title(req.title) if req.title else req.occupation or ""
    noun = _role_noun(req.occupation)
    if noun and noun.lower() != title.lower():
        text = f"Has worked as {_article(title)} {title} or in a similar {noun} role"
    else:
        text = f"Has worked as {_article(title)} {title}" + ("" if noun else " or in a similar role")
    titles = [title] + (related_titles(title, req.occupation_code, taxonomy) if req.occupation_code else [])
    return QualificationSpec(text=text, kind="must", weight=1.0, titles=titles)


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
    """Template qualifications: role, years, must skills, location, languages, other, nice skills."""
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
        out.append(QualificationSpec(text=sentence, kind="must"))
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
    lines += [f"Other: {o}" for o in req.other]
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
