"""The classical matcher: per-qualification verdicts backed by verbatim evidence, a fast score and a ranking.

Everything here is plain Python and deterministic: the same candidate and qualifications always give the same
verdicts, evidence and score.

* :class:`Candidate` is what the matcher reads: the profile text the evidence offsets point into, a few
  structured fields, and optional extra sources (an uploaded resume, recruiter notes).
* :class:`Matcher` compiles each :class:`~tools.hiring.QualificationSpec` once (one alternation regex per
  skill or language qualification, title cores, place names, stemmed key words) and then
  :meth:`Matcher.score` gives a weighted score in [0, 1] while :meth:`Matcher.judge` gives the full
  :class:`~tools.hiring.CandidateJudgement` with evidence spans and one-line reasons.
* :func:`suspicious_regions` finds text addressed to an AI or hidden with zero-width characters; such text is
  blanked (offsets kept) before matching, so it never counts toward a verdict and is never quoted.
* :func:`verify_evidence` checks any judgement (classical or from a model) against the candidate's text:
  quotes must be verbatim, offsets are repaired when the quote is unique, unsupported verdicts are
  downgraded to ``no_evidence``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from tools.hiring import (
    VERDICT_ORDER,
    VERDICT_POINTS,
    CandidateJudgement,
    Evidence,
    QualificationSpec,
    QualificationVerdict,
    Recommendation,
    VerdictLabel,
    qualification_factor,
    verdicts_of_kind,
)
from tools.places import COUNTRIES_FOLDED, INTERNATIONAL_HUBS, US_STATES
from tools.taxonomy import CASE_SENSITIVE, Taxonomy, load
from tools.text import fold

MODEL_ID = "classical"
_REC_ORDER: tuple[Recommendation, ...] = ("strong", "good", "possible", "weak")
MAX_EVIDENCE = 3
MAX_QUOTE = 200
MAX_TITLE_LINE = 100  # a longer line is prose, not a job title
SQL_CHUNK = 900  # ids per IN list: below SQLite's historic 999 bound-parameter limit

LABEL_INSTRUCTION = "instruction to an AI"
LABEL_HIDDEN = "zero-width characters"

# ---- suspicious text -------------------------------------------------------------------------------------
_HIDDEN_CLASS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_HIDDEN_RE = re.compile(f"[{_HIDDEN_CLASS}]+")
_HIDDEN_SET = frozenset(
    chr(c) for lo, hi in ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0xFEFF, 0xFEFF))
    for c in range(lo, hi + 1)
)
_INSTRUCTION_PATTERNS = (
    r"\bignore\s+(?:(?:all|any|the|of|your|my)\s+)*(?:previous|prior|above|earlier|preceding|other)\s+"
    r"(?:instructions?|prompts?|directions?|rules?|guidelines?|context)",
    r"\bdisregard\s+(?:all|any|the|previous|prior|above|earlier|your|these|those|everything)\b",
    r"\bforget\s+(?:(?:all|everything|your|the)\s+)*(?:previous|prior|above|earlier)?\s*instructions",
    r"\byou\s+are\s+now\s+(?:an?|the)\b",
    r"\byou\s+are\s+(?:an?|the)\s+(?:helpful\s+|large\s+)?(?:ai|assistant|language\s+model|llm|model|bot|chatbot|"
    r"system|grader|judge|screener|evaluator|recruiting\s+(?:assistant|bot|ai)|hiring\s+(?:assistant|bot|ai))\b",
    r"\bsystem\s+prompt\b",
    r"\b(?:rate|mark|score|rank|classify|label)\s+(?:this|the)\s+(?:candidate|applicant|resume|profile)\s+as\b",
    r"\b(?:give|assign)\s+(?:this|the)\s+(?:candidate|applicant)\s+(?:a\s+|the\s+)?(?:score|rating|highest|top|"
    r"perfect|maximum)",
    r"\bthis\s+(?:candidate|applicant)\s+(?:meets|satisfies|fulfils|fulfills)\s+(?:all|every)\b",
    r"\bas\s+an\s+(?:ai|a\.i\.|language\s+model|llm)\b",
    r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|a\.i\.|llm|language\s+model|"
    r"chatgpt|gpt|assistant|screening\s+(?:bot|tool|software))\b",
    r"\bnew\s+instructions\s*:",
    r"^[ \t>*#-]*(?:system|assistant|user)\s*:\s*(?:you|ignore|disregard|forget|rate|mark|score|rank|the\s+candidate|"
    r"this\s+candidate|always|never|respond|answer|output|return)\b",
    r"#{2,}\s*(?:instruction|system|response)",
    r"<\|\s*im_(?:start|end)\s*\|>",
    r"<\|\s*(?:system|user|assistant|endoftext)\s*\|>",
    r"\[/?INST\]",
    r"<</?SYS>>",
    r"</?\s*system\s*>",
)
_INSTRUCTION_RE = re.compile("|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS), re.I | re.M)
# Cheap first check on lower-cased text (blanks squeezed): the full pattern runs only when one occurs.
_TRIGGERS = (
    "ignore", "disregard", "forget", "you are", "prompt", "candidate", "applicant", "resume as", "profile as",
    "as an ai", "as an a.i", "as an llm", "language model", "assistant:", "assistant :", "system:", "system :",
    "system>", "system|", "###", "<|", "inst]", "<<sys", "<</sys", "instruction", "note to", "message to",
    "note for", "message for",
)
_TRIGGER_WINDOW = 160  # characters either side of a trigger word searched for a whole instruction phrase
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s|$)")

# ---- profile structure ---------------------------------------------------------------------------------
_HEADINGS: dict[str, str] = {
    "summary": "summary", "professional summary": "summary", "profile": "summary", "about": "summary",
    "about me": "summary", "objective": "summary", "career objective": "summary", "overview": "summary",
    "experience": "experience", "work experience": "experience", "professional experience": "experience",
    "employment": "experience", "employment history": "experience", "work history": "experience",
    "career history": "experience", "relevant experience": "experience", "company details": "experience",
    "education": "education", "education and training": "education", "education details": "education",
    "academic background": "education",
    "skills": "skills", "technical skills": "skills", "core skills": "skills", "key skills": "skills",
    "skill details": "skills", "core competencies": "skills", "competencies": "skills", "technologies": "skills",
    "skills & tools": "skills", "skills and tools": "skills", "technical proficiencies": "skills",
    "languages": "languages", "certifications": "other", "projects": "other", "awards": "other",
    "publications": "other", "interests": "other", "references": "other", "volunteering": "other",
    "accomplishments": "other",
}
_HEADING_RE = re.compile(
    r"^[ \t]*(" + "|".join(re.escape(h) for h in sorted(_HEADINGS, key=len, reverse=True)) + r")[ \t]*:?[ \t]*$",
    re.I | re.M,
)
# Where a mention counts as real use (experience, headline, skills list) and how evidence is preferred.
_REAL_USE = frozenset({"experience", "body", "header", "skills", "note"})
_PRIORITY = {"experience": 0, "body": 0, "note": 0, "header": 1, "summary": 2, "languages": 2, "skills": 3}
_PLACE = {
    "experience": "experience", "body": "the resume text", "note": "the notes", "header": "the headline",
    "summary": "the summary", "skills": "the skills list", "education": "education", "languages": "languages",
    "other": "the profile",
}
# The same headings on lower-cased text, found from the newline before them (a fast literal scan).
_HEADING_NL_RE = re.compile(
    r"\n[ \t]*(" + "|".join(re.escape(h) for h in sorted(_HEADINGS, key=len, reverse=True)) + r")[ \t]*:?[ \t]*(?=\n|$)"
)
_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"))}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}|\d{{4}})"
_DATE_RANGE_RE = re.compile(
    rf"(?<![\w/])(?P<a>{_DATE})\s*(?:-|–|—|to|until|till)\s*(?P<b>{_DATE}|present|current|now|today)\b", re.I
)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_DATE_PART_RE = re.compile(rf"(?:(?P<mon>{_MONTH})\s+|(?P<num>\d{{1,2}})/)?(?P<year>\d{{4}})", re.I)
# "N years of (relevant) experience": the words are found first (a fast literal scan), then the number before.
_YEARS_WORDS = r"(?:years?|yrs?\.?)\s+(?:of\s+)?(?:[a-z-]+\s+){0,3}?experience"
_YEARS_RE = re.compile(_YEARS_WORDS)
_YEARS_RE_I = re.compile(_YEARS_WORDS, re.I)
_NUMBER_TAIL_RE = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*\+?\s*$")
_YEARS_OF_RE = re.compile(r"experience\s+of\s+(?P<n>\d{1,2}(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?)\b", re.I)
_TITLE_SPLIT_RE = re.compile(r"\s+(?:at|@|\||-|–|—)\s+|,\s+|\s+\(|\t|\s{2,}")
_AT_RE = re.compile(r"\s(?:at|@)\s")
_LOCATION_SHAPE_RE = re.compile(r"^[^\d@:|]{2,80},[^\d@:|]{2,80}$")

# ---- skills --------------------------------------------------------------------------------------------
_LEFT_GLUE = ".+#&-"  # a mention may not follow a word or one of these ("ASP.NET" is not ".NET")
_RIGHT = r"(?![\w+#]|[.&-]\w)"
_SEP_RE = re.compile(r"[\s/-]+")
# Skill names that are also ordinary words or letters: a match must look like technology.
_AMBIGUOUS = frozenset({"Go", "R", "C", "D", "J"})
_TECH_NEXT = frozenset({
    "programming", "language", "developer", "developers", "engineer", "engineers", "code", "services", "service",
    "microservices", "modules", "module", "backend", "back-end", "stack", "libraries", "library", "scripts",
    "applications", "apis", "api", "sdk", "compiler", "runtime", "development",
})
_VERB_NEXT = frozenset({"to", "ahead", "back", "through", "over", "beyond", "green", "for", "out", "with", "on",
                        "home", "the", "a", "an", "get", "see", "into", "above"})
_GO_PHRASES = ("-live", "- live", "to market", "to-market", "-to-market", "-to ", "-getter")
_LETTER_BEFORE = (",", "/", "(", "|", ";", ":", "•", "·", "&", "*", "-", "–")
_LETTER_AFTER = (",", "/", ")", "(", "|", ";", "•", "·", "&", "*")
_LIST_BEFORE = (",", "/", "(", "|", ";", "&", "•", "·", "+")
_LIST_AFTER = (",", "/", ")", "|", ";", "&", "•", "·", "+")

# ---- free text -----------------------------------------------------------------------------------------
_STOP_WORDS = frozenset("""
a about above across after again against all also an and any are as at be been being both but by can could
did do does doing done during each either etc for from further had has have having he her here hers him his how
i if in into is it its itself just least less like may me more most must my no nor not of off on once only or
other our ours out over own per plus same she should so some such than that the their them then there these they
this those through to too under until up upon us very via was we well were what when where which while who whom
why will with within without would you your yours year years yr yrs experience experienced strong proven
ability able good great excellent solid demonstrated knowledge familiarity familiar understanding skills skill
work working professional candidate candidates role plus preferred required must-have nice-to-have using use
""".split())
_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ingly", "ings", "ing", "ities", "ity",
             "ies", "ied", "ers", "er", "ed", "es", "ly", "al", "ive", "ship", "s")
_STEM_TAIL = r"(?:e?(?:ational|ations|ation|ements|ement|ments|ment|ings|ing|ities|ity|ies|ied|ers|er|ed|es|ly|al|" \
             r"ive|ship|s|e|y))?"
_TAILS = frozenset({"", "e", "y", *(
    pre + t for pre in ("", "e") for t in ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ings",
                                          "ing", "ities", "ity", "ies", "ied", "ers", "er", "ed", "es", "ly", "al",
                                          "ive", "ship", "s"))})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z+#.-]*[A-Za-z+#]|[A-Za-z]")

# ---- places and languages ------------------------------------------------------------------------------
_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "english": ("English",), "german": ("German", "Deutsch"), "french": ("French", "Français", "Francais"),
    "spanish": ("Spanish", "Español", "Espanol", "Castellano"), "portuguese": ("Portuguese", "Português"),
    "italian": ("Italian", "Italiano"), "dutch": ("Dutch", "Nederlands"), "polish": ("Polish", "Polski"),
    "swedish": ("Swedish", "Svenska"), "russian": ("Russian",), "japanese": ("Japanese",),
    "chinese": ("Chinese", "Mandarin", "Cantonese"), "mandarin": ("Mandarin", "Chinese"), "korean": ("Korean",),
    "hindi": ("Hindi",), "arabic": ("Arabic",), "turkish": ("Turkish",),
}


def _build_places() -> tuple[dict[str, str], dict[str, str]]:
    """Folded city → ISO country, and folded region (US state names and codes) → ISO country."""
    cities = {fold(city.split(",")[0]): code for city, code, _locale, _w in INTERNATIONAL_HUBS}
    regions = {fold(name): "US" for name in US_STATES.values()}
    regions.update({abbr.lower(): "US" for abbr in US_STATES})
    return cities, regions


_CITY_COUNTRY, _REGION_COUNTRY = _build_places()


# =========================================================================================================
# Public data types
# =========================================================================================================
@dataclass(frozen=True, slots=True)
class Candidate:
    """What the matcher reads about one person; evidence offsets point into ``text`` (or a ``notes`` text)."""

    profile_id: int
    text: str
    full_name: str | None = None
    current_title: str | None = None
    years_experience: float | None = None
    location: str | None = None
    country: str | None = None
    seniority: str | None = None
    skills: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()


def load_candidates(conn: Connection, ids: Sequence[int]) -> list[Candidate]:
    """Candidates for ``ids`` (order kept, repeats and unknown ids dropped) with a few Core selects per chunk."""
    from sqlalchemy import select

    from tools.records.models import Profile, ProfileExperience, ProfileSkill, Skill

    wanted = list(dict.fromkeys(int(i) for i in ids))
    p, e, ps, s = (Profile.__table__, ProfileExperience.__table__, ProfileSkill.__table__, Skill.__table__)
    rows: dict[int, Any] = {}
    titles: dict[int, list[str]] = defaultdict(list)
    skills: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(wanted), SQL_CHUNK):
        part = wanted[start:start + SQL_CHUNK]
        query = select(p.c.id, p.c.raw_text, p.c.full_name, p.c.current_title, p.c.years_experience,
                       p.c.location, p.c.country, p.c.seniority).where(p.c.id.in_(part))
        rows.update({int(r.id): r for r in conn.execute(query)})
        query = (select(e.c.profile_id, e.c.title).where(e.c.profile_id.in_(part))
                 .order_by(e.c.profile_id, e.c.position, e.c.id))
        for row in conn.execute(query):
            if row.title:
                titles[int(row.profile_id)].append(row.title)
        query = (select(ps.c.profile_id, s.c.name).join(s, s.c.id == ps.c.skill_id)
                 .where(ps.c.profile_id.in_(part)).order_by(ps.c.profile_id, s.c.name))
        for row in conn.execute(query):
            skills[int(row.profile_id)].append(row.name)
    return [_candidate_from_row(rows[pid], titles[pid], skills[pid]) for pid in wanted if pid in rows]


def _candidate_from_row(row: Any, titles: list[str], skills: list[str]) -> Candidate:
    return Candidate(
        profile_id=int(row.id), text=row.raw_text or "", full_name=row.full_name, current_title=row.current_title,
        years_experience=row.years_experience, location=row.location, country=row.country,
        seniority=row.seniority, skills=tuple(skills), titles=tuple(titles),
    )


# =========================================================================================================
# Suspicious regions
# =========================================================================================================
def suspicious_regions(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` addressed to an AI (whole sentence or line) or hidden with zero-width characters.

    Instruction phrases are found on a copy without zero-width and direction-control characters, so
    ``"Ign\\u200bore previous instructions"`` is caught; offsets are mapped back to ``text``.
    """
    hidden = [] if text.isascii() else [(m.start(), m.end(), LABEL_HIDDEN) for m in _HIDDEN_RE.finditer(text)]
    index: list[int] | None = None
    norm = text
    if hidden:
        index = [i for i, ch in enumerate(text) if ch not in _HIDDEN_SET]
        norm = "".join(text[i] for i in index)
    spans: list[tuple[int, int]] = []
    for m in _instruction_matches(norm):
        start, end = _sentence_around(norm, m.start(), m.end())
        if index is not None:
            start, end = index[start], index[end - 1] + 1
        spans.append((start, end))
    instructions = [(s, e, LABEL_INSTRUCTION) for s, e in _merge(spans)]
    return sorted(instructions + hidden)


def _instruction_matches(norm: str) -> list[re.Match]:
    """Instruction phrases; the full pattern runs only in windows around the cheap trigger words."""
    lower = norm.lower()
    if len(lower) != len(norm):
        return list(_INSTRUCTION_RE.finditer(norm))
    squeezed = " ".join(lower.split()) if ("  " in lower or "\t" in lower or "\n" in lower) else lower
    if not any(t in squeezed for t in _TRIGGERS):
        return []
    if squeezed is not lower and not any(t in lower for t in _TRIGGERS):
        return list(_INSTRUCTION_RE.finditer(norm))  # a trigger only shows once blanks are squeezed
    windows = []
    for t in _TRIGGERS:
        pos = lower.find(t)
        while pos >= 0:
            windows.append((max(0, pos - _TRIGGER_WINDOW), min(len(norm), pos + len(t) + _TRIGGER_WINDOW)))
            pos = lower.find(t, pos + 1)
    found: dict[int, re.Match] = {}
    for lo, hi in _merge(windows):
        for m in _INSTRUCTION_RE.finditer(norm, lo, hi):
            found.setdefault(m.start(), m)
    return [found[k] for k in sorted(found)]


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (within its line) that holds ``text[start:end]``, without surrounding blanks."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    s = line_start
    for stop in _SENTENCE_END_RE.finditer(text, line_start, start):
        s = stop.end()
    last = _SENTENCE_END_RE.search(text, max(end - 1, line_start), line_end)
    e = last.end() if last else line_end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, end)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _blank(text: str, regions: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with the regions replaced by spaces (newlines kept), so offsets stay valid."""
    if not regions:
        return text
    parts, last = [], 0
    for s, e, _label in sorted(regions):
        if s < last:
            s = last
        if e <= s:
            continue
        parts.append(text[last:s])
        parts.append("".join("\n" if ch == "\n" else " " for ch in text[s:e]))
        last = e
    parts.append(text[last:])
    return "".join(parts)


def _region_warnings(regions: Sequence[tuple[int, int, str]], text: str, where: str) -> list[str]:
    instructions = [(s, e) for s, e, label in regions if label == LABEL_INSTRUCTION]
    hidden = [(s, e) for s, e, label in regions if label == LABEL_HIDDEN
              and not any(a <= s and e <= b for a, b in instructions)]
    warnings = []
    if instructions:
        s, e = instructions[0]
        quote = " ".join(_HIDDEN_RE.sub("", text[s:e]).split())
        quote = quote if len(quote) <= 80 else quote[:77].rstrip() + "..."
        noun = "passage" if len(instructions) == 1 else "passages"
        warnings.append(f'Ignored {len(instructions)} {noun} addressed to an AI{where}: "{quote}"')
    if hidden:
        noun = "run" if len(hidden) == 1 else "runs"
        warnings.append(f"Ignored {len(hidden)} {noun} of zero-width or direction-control characters{where}")
    return warnings


# =========================================================================================================
# One source text, analysed lazily
# =========================================================================================================
@dataclass(frozen=True, slots=True)
class _Block:
    """One experience entry: where it starts and ends, its header line and its date range."""

    start: int
    end: int
    header: tuple[int, int]
    dates: tuple[int, int]
    first: tuple[int, int]  # (year, month) of the start
    last: tuple[int, int] | None  # None = present


class _Doc:
    """A source text with suspicious regions blanked, plus its sections, entries and sentences on demand."""

    __slots__ = ("source", "text", "clean", "lower", "regions", "_starts", "_kinds", "_blocks", "_years")

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.text = text
        self.regions = suspicious_regions(text)
        self.clean = _blank(text, self.regions)
        lower = self.clean.lower()
        self.lower: str | None = lower if len(lower) == len(self.clean) else None  # offsets must line up
        self._starts: list[int] | None = None
        self._kinds: list[str] = []
        self._blocks: list[_Block] | None = None
        self._years: tuple | None = None

    # -- sections --
    def _sections(self) -> list[int]:
        if self._starts is None:
            starts, kinds = [], []
            if self.lower is not None:
                first = _HEADING_RE.match(self.lower)
                found = ([(0, first.group(1))] if first else []) + [
                    (m.start() + 1, m.group(1)) for m in _HEADING_NL_RE.finditer(self.lower)]
            else:
                found = [(m.start(), m.group(1).lower()) for m in _HEADING_RE.finditer(self.clean)]
            if found and found[0][0] > 0 and (found[0][0] > 600 or self.clean.count("\n", 0, found[0][0]) > 8):
                found.insert(0, (0, ""))  # a long text before the first heading is resume text, not a header
            for start, heading in found:
                starts.append(start)
                kinds.append(_HEADINGS.get(heading, "body"))
            self._starts, self._kinds = starts, kinds
        return self._starts

    def section_at(self, pos: int) -> str:
        if self.source == "note":
            return "note"
        starts = self._sections()
        if not starts:
            return "body"
        i = bisect.bisect_right(starts, pos) - 1
        return "header" if i < 0 else self._kinds[i]

    def section_spans(self, kind: str) -> list[tuple[int, int]]:
        starts = self._sections()
        if not starts:
            return [(0, len(self.clean))] if kind in ("body", "experience") else []
        bounds = [*starts, len(self.clean)]
        return [(bounds[i], bounds[i + 1]) for i, k in enumerate(self._kinds) if k == kind]

    def header_lines(self) -> list[tuple[int, int]]:
        """Non-empty lines before the first heading (name, headline, location), at most six."""
        starts = self._sections()
        if not starts or starts[0] == 0 or self.source == "note":
            return []
        return _lines_in(self.clean, 0, starts[0])[:6]

    # -- experience entries --
    def blocks(self) -> list[_Block]:
        if self._blocks is None:
            self._blocks = self._find_blocks()
        return self._blocks

    def _find_blocks(self) -> list[_Block]:
        areas = self.section_spans("experience") or self.section_spans("body")
        found = []
        for lo, hi in areas:
            for m in _date_ranges(self.lower or self.clean, lo, hi):
                first, last = _parse_date(m.group("a")), _parse_end(m.group("b"))
                if first is None or (last is not None and last < first):
                    continue
                header = _header_line(self.clean, m.start(), m.end(), lo)
                found.append((header, hi, (m.start(), m.end()), first, last))
        blocks = []
        for i, (header, hi, dates, first, last) in enumerate(found):
            end = found[i + 1][0][0] if i + 1 < len(found) and found[i + 1][0][0] > header[0] else hi
            blocks.append(_Block(header[0], end, header, dates, first, last))
        return blocks

    def company_at(self, pos: int) -> str | None:
        for b in self.blocks():
            if b.start <= pos < b.end:
                return _company(self.clean[b.header[0]:b.header[1]])
        return None

    def _year_phrases(self) -> list[tuple[int, int, float]]:
        text = self.lower if self.lower is not None else self.clean
        found = []
        for m in (_YEARS_RE if self.lower is not None else _YEARS_RE_I).finditer(text):
            left = text[max(0, m.start() - 12):m.start()]
            number = _NUMBER_TAIL_RE.search(left)
            if number is not None:
                start = m.start() - len(left) + number.start()
                if not _glued(text, start, "."):
                    found.append((start, m.end(), float(number.group(1))))
        if not found and "experience of" in text.lower():
            found = [(m.start(), m.end(), float(m.group("n"))) for m in _YEARS_OF_RE.finditer(text)]
        return found

    def years_phrase(self) -> tuple[int, int, float] | None:
        """The first "N years of experience" phrase, preferring the summary and headline."""
        if self._years is None:
            best: tuple[int, int, int, float] | None = None
            for start, end, value in self._year_phrases():
                rank = 0 if self.section_at(start) in ("summary", "header", "body") else 1
                if best is None or rank < best[0]:
                    best = (rank, start, end, value)
            self._years = (best[1:],) if best else (None,)
        return self._years[0]


def _date_ranges(text: str, lo: int, hi: int) -> list[re.Match]:
    """Date ranges in ``text[lo:hi]``; the full pattern runs only in a short window around each year."""
    found: list[re.Match] = []
    last_end = lo
    for y in _YEAR_RE.finditer(text, lo, hi):
        if y.start() < last_end:
            continue
        line_start = text.rfind("\n", 0, y.start()) + 1
        m = _DATE_RANGE_RE.search(text, max(lo, line_start, y.start() - 16, last_end), min(hi, y.end() + 40))
        if m is not None and m.start() <= y.start() and not _glued(text, m.start(), "/"):
            found.append(m)
            last_end = m.end()
    return found


def _glued(text: str, start: int, extra: str = "") -> bool:
    """Whether the character before ``start`` is part of a word (a match there is not a whole word)."""
    if start == 0:
        return False
    ch = text[start - 1]
    return ch.isalnum() or ch == "_" or ch in extra


def _lines_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    lines, pos = [], lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        s, e = _strip(text, pos, end)
        if e > s:
            lines.append((s, e))
        pos = end + 1
    return lines


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "•·*-–—|,;:"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "•·*-–—|,;:"):
        e -= 1
    return s, e


def _header_line(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """The entry header for a date range: its own line when it holds more than the dates, else the line above."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    rest = (text[ls:start] + text[end:le]).strip(" \t,|-–—()")
    if len(rest) >= 3:
        return _strip(text, ls, le)
    prev_end = ls - 1
    while prev_end > floor:
        prev_start = text.rfind("\n", 0, prev_end) + 1
        s, e = _strip(text, prev_start, prev_end)
        if e > s:
            return (s, e) if not _HEADING_RE.match(text, prev_start, prev_end) else (ls, le)
        prev_end = prev_start - 1
    return _strip(text, ls, le)


def _without_dates(line: str) -> str:
    return _DATE_RANGE_RE.sub(" ", line) if _YEAR_RE.search(line) else line


def _company(header: str) -> str | None:
    header = _without_dates(header).strip(" ,|-–—")
    for sep in (" at ", " @ ", " | ", " – ", " — ", " - ", ", "):
        if sep in header:
            company = header.split(sep, 1)[1].split(" | ")[0].split(", ")[0].strip()
            return company if company and len(company) <= 60 else None
    return None


def _parse_date(text: str) -> tuple[int, int] | None:
    m = _DATE_PART_RE.search(text)
    if not m:
        return None
    year = int(m.group("year"))
    if not 1950 <= year <= 2100:
        return None
    month = 1
    if m.group("mon"):
        month = _MONTHS.get(m.group("mon")[:3].lower(), 1)
    elif m.group("num"):
        month = min(12, max(1, int(m.group("num"))))
    return year, month


def _parse_end(text: str) -> tuple[int, int] | None:
    return None if text.lower() in ("present", "current", "now", "today") else _parse_date(text) or (9999, 12)


# =========================================================================================================
# Compiled qualifications
# =========================================================================================================
_Span = tuple[int, int, int]  # (document index, start, end)


@dataclass(slots=True)
class _Part:
    """The verdict of one facet of a qualification (skills, years, ...)."""

    verdict: VerdictLabel
    spans: list[_Span] = field(default_factory=list)
    reason: str = ""


@dataclass(slots=True)
class _TermPlan:
    """Skills or languages of one qualification, compiled: any-case forms run on the lower-cased text."""

    names: list[str]
    folded: re.Pattern | None  # lower-case forms, matched against the lower-cased text
    folded_i: re.Pattern | None  # the same with IGNORECASE, for texts whose lower case changes length
    exact: re.Pattern | None  # exact-case forms ("Go", "R", "Excel")
    lookup: dict[str, int]  # normalised surface -> term index ("c sharp", "Go")
    ambiguous: frozenset[str]  # exact forms that need a technology context


@dataclass(slots=True)
class _TitlePlan:
    titles: list[str]
    cores: list[tuple[str, ...]]
    heads: frozenset[str]
    codes: frozenset[str]


@dataclass(slots=True)
class _PlacePlan:
    text: str
    cities: frozenset[str]
    country: str | None
    remote: bool
    country_only: bool


@dataclass(slots=True)
class _WordPlan:
    words: list[str]  # one display word per stem
    stems: list[str]
    regex: re.Pattern | None  # runs on lower-cased text
    regex_i: re.Pattern | None  # the same with IGNORECASE


@dataclass(slots=True)
class _Plan:
    spec: QualificationSpec
    factor: float  # weight x (2 for must, 1 for nice); 0 when blocked
    blocked: bool = False
    skills: _TermPlan | None = None
    years: float | None = None
    titles: _TitlePlan | None = None
    place: _PlacePlan | None = None
    languages: _TermPlan | None = None
    words: _WordPlan | None = None


def _surface_key(text: str) -> str:
    return " ".join(_SEP_RE.split(text.strip()))


def _is_sensitive(form: str) -> bool:
    """Exact case for words and very short names ("Go", "R", "Excel", "C#"); any case otherwise."""
    return form.lower() in CASE_SENSITIVE or len(form) <= 2 or form in _AMBIGUOUS


def _alternation(forms: Iterable[str], flags: int = 0) -> re.Pattern | None:
    """One regex over the forms, longest first; it starts with plain literals so the engine scans fast."""
    bodies = [r"[\s/-]+".join(re.escape(p) for p in f.split()) for f in sorted(set(forms), key=lambda f: (-len(f), f))]
    return re.compile(f"(?:{'|'.join(bodies)}){_RIGHT}", flags) if bodies else None


def _compile_terms(groups: list[list[tuple[str, bool]]], names: list[str]) -> _TermPlan:
    lookup: dict[str, int] = {}
    folded: list[str] = []
    exact: list[str] = []
    for i, forms in enumerate(groups):
        for form, sensitive in forms:
            key = _surface_key(form if sensitive else form.lower())
            lookup.setdefault(key, i)
            (exact if sensitive else folded).append(form if sensitive else form.lower())
    return _TermPlan(names, _alternation(folded), _alternation(folded, re.I), _alternation(exact), lookup,
                     frozenset(f for f in exact if f in _AMBIGUOUS))


def _skill_plan(skills: Sequence[str], taxonomy: Taxonomy) -> _TermPlan:
    names, groups = [], []
    for skill in dict.fromkeys(s.strip() for s in skills if s and s.strip()):
        canonical = taxonomy.normalize_skill(skill) or skill
        forms = list(dict.fromkeys([canonical, skill, *taxonomy.expand_skill(canonical)]))
        names.append(skill)  # reasons use the name the recruiter gave
        groups.append([(f, _is_sensitive(f)) for f in forms if f.strip()])
    return _compile_terms(groups, names)


def _language_plan(languages: Sequence[str]) -> _TermPlan:
    names, groups = [], []
    for lang in dict.fromkeys(x.strip() for x in languages if x and x.strip()):
        forms = _LANGUAGE_NAMES.get(lang.lower(), (lang,))
        names.append(lang)
        groups.append([(f, False) for f in dict.fromkeys((lang.title(), *forms))])
    return _compile_terms(groups, names)


def _term_matches(tp: _TermPlan, doc: _Doc) -> Iterable[tuple[int, int, int, str]]:
    """(term index, start, end, surface) of every whole-word mention in the document."""
    if tp.folded is not None:
        pattern, text = (tp.folded, doc.lower) if doc.lower is not None else (tp.folded_i, doc.clean)
        assert pattern is not None
        for m in pattern.finditer(text):
            if not _glued(text, m.start(), _LEFT_GLUE):
                key = _surface_key(m.group().lower())
                if key in tp.lookup:
                    yield tp.lookup[key], m.start(), m.end(), ""
    if tp.exact is not None:
        for m in tp.exact.finditer(doc.clean):
            if not _glued(doc.clean, m.start(), _LEFT_GLUE):
                surface = m.group()
                key = _surface_key(surface)
                if key in tp.lookup:
                    yield tp.lookup[key], m.start(), m.end(), surface


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def _word_plan(text: str) -> _WordPlan:
    words = []
    for w in _WORD_RE.findall(text):
        lw = w.lower().strip(".-")
        if len(lw) < 2 or lw in _STOP_WORDS or lw.isdigit():
            continue
        words.append(lw)
    by_stem: dict[str, str] = {}
    for w in words:
        by_stem.setdefault(_stem(w), w)
    if not by_stem:
        return _WordPlan([], [], None, None)
    stems = list(by_stem)
    body = "(?:" + "|".join(re.escape(x) for x in sorted(stems, key=lambda x: (-len(x), x))) + ")" + _STEM_TAIL
    pattern = body + r"(?![\w+#])"
    return _WordPlan(list(by_stem.values()), stems, re.compile(pattern), re.compile(pattern, re.I))


def _which_stem(wp: _WordPlan, word: str) -> int | None:
    best = None
    for i, stem in enumerate(wp.stems):
        if word.startswith(stem) and word[len(stem):] in _TAILS and (
                best is None or len(stem) > len(wp.stems[best])):
            best = i
    return best


def _place_plan(location: str) -> _PlacePlan:
    parts = [p.strip() for p in location.split(",") if p.strip()]
    folded = [fold(p) for p in parts] or [""]
    remote = any(w in folded[0] for w in ("remote", "anywhere", "worldwide"))
    country = _country_of(parts) if parts else None
    country_only = len(parts) == 1 and folded[0] in COUNTRIES_FOLDED
    cities = frozenset(_city_names(parts[0])) if parts and not country_only else frozenset()
    return _PlacePlan(location, cities, country, remote, country_only)


def _city_names(first_part: str) -> list[str]:
    whole = fold(first_part)
    return [whole, *(fold(x) for x in re.split(r"\s*[-/]\s*", first_part) if x.strip())]


def _country_of(parts: Sequence[str]) -> str | None:
    """ISO code for a comma-split place: a country name, a US state, a known city, or an ISO code."""
    for part in reversed(parts):
        raw = part.strip()
        folded = fold(raw)
        if folded in COUNTRIES_FOLDED:
            return COUNTRIES_FOLDED[folded]
        first_region = folded.split("-")[0]
        if len(parts) > 1 and (folded in _REGION_COUNTRY or first_region in _REGION_COUNTRY):
            return "US"
        if len(raw) == 2 and raw.isupper() and len(parts) > 1:
            return raw
    for city in _city_names(parts[0]):
        if city in _CITY_COUNTRY:
            return _CITY_COUNTRY[city]
    return None


# =========================================================================================================
# The matcher
# =========================================================================================================
class _Case:
    """One candidate prepared for matching: its source documents and warnings about hidden text."""

    __slots__ = ("candidate", "docs")

    def __init__(self, candidate: Candidate) -> None:
        self.candidate = candidate
        docs = [_Doc("profile", candidate.text or "")]
        for source, text in candidate.notes:
            docs.append(_Doc(source if source in ("resume", "note") else "note", text or ""))
        self.docs = docs

    def warnings(self) -> list[str]:
        out = []
        for doc in self.docs:
            where = "" if doc.source == "profile" else f" in the {doc.source}"
            out += _region_warnings(doc.regions, doc.text, where)
        return out


class Matcher:
    """Compiles qualifications once; scores and judges candidates against them."""

    def __init__(self, qualifications: Sequence[QualificationSpec], taxonomy: Taxonomy | None = None, *,
                 today: dt.date | None = None) -> None:
        self.qualifications = list(qualifications)
        self.taxonomy = taxonomy or load()
        self.today = today or dt.date.today()
        self._core_cache: dict[str, tuple[str, ...]] = {}
        self._code_cache: dict[tuple[str, ...], str | None] = {}
        self.plans = [self._plan(q) for q in self.qualifications]

    # -- compiling --
    def _plan(self, q: QualificationSpec) -> _Plan:
        blocked = q.policy.status == "blocked"
        plan = _Plan(q, qualification_factor(q), blocked)
        if q.skills:
            plan.skills = _skill_plan(q.skills, self.taxonomy)
        if q.years_min is not None and q.years_min > 0:
            plan.years = float(q.years_min)
        if q.titles:
            plan.titles = self._title_plan(q.titles)
        if q.location and q.location.strip():
            plan.place = _place_plan(q.location)
        if q.languages:
            plan.languages = _language_plan(q.languages)
        if not any((plan.skills, plan.years, plan.titles, plan.place, plan.languages)):
            plan.words = _word_plan(q.text)
        return plan

    def _title_plan(self, titles: Sequence[str]) -> _TitlePlan:
        cores, heads, codes = [], set(), set()
        for title in titles:
            core = self._title_core(title)
            if core:
                cores.append(core)
                heads.add(core[-1])
                code = self._title_code(core)
                if code:
                    codes.add(code)
        return _TitlePlan(list(titles), cores, frozenset(heads), frozenset(codes))

    def _title_core(self, title: str) -> tuple[str, ...]:
        """Title words without seniority words, abbreviations spelled out (cached)."""
        core = self._core_cache.get(title)
        if core is None:
            core = tuple(self.taxonomy.split_seniority(title)[0].split())
            if len(self._core_cache) > 50_000:
                self._core_cache.clear()
            self._core_cache[title] = core
        return core

    def _title_code(self, core: tuple[str, ...]) -> str | None:
        """The O*NET occupation of a title core when it resolves confidently (cached)."""
        if core not in self._code_cache:
            match = self.taxonomy.normalize_title(" ".join(core))
            if len(self._code_cache) > 50_000:
                self._code_cache.clear()
            self._code_cache[core] = match.code if match is not None and match.score >= 0.9 else None
        return self._code_cache[core]

    # -- scoring and judging --
    def score(self, c: Candidate) -> float:
        """Weighted verdict points in [0, 1] (must-haves count double); no evidence objects are built."""
        case = _Case(c)
        labels = [self._evaluate(plan, case, detail=False).verdict for plan in self.plans]
        return _weighted(labels, self.plans)

    def judge(self, c: Candidate) -> CandidateJudgement:
        """Every qualification's verdict with verbatim evidence, a reason, a recommendation and a summary."""
        case = _Case(c)
        verdicts = []
        for i, plan in enumerate(self.plans):
            part = self._evaluate(plan, case, detail=True)
            evidence = [_evidence(case.docs[d], s, e) for d, s, e in part.spans]
            verdicts.append(QualificationVerdict(qualification=i, verdict=part.verdict, evidence=evidence,
                                                 reason=part.reason))
        return CandidateJudgement(
            profile_id=c.profile_id, verdicts=verdicts,
            recommendation=recommendation_for(verdicts, self.qualifications),
            summary=summary_for(verdicts, self.qualifications), warnings=case.warnings(), model_id=MODEL_ID,
        )

    def judge_many(self, cs: Iterable[Candidate]) -> list[CandidateJudgement]:
        return [self.judge(c) for c in cs]

    def _evaluate(self, plan: _Plan, case: _Case, *, detail: bool) -> _Part:
        if plan.blocked:
            why = plan.spec.policy.explanation or "blocked by the policy check"
            return _Part("no_evidence", [], f"Not evaluated: {why}")
        parts: list[_Part] = []
        if plan.skills is not None:
            parts.append(self._eval_terms(plan.skills, case, detail, "skills"))
        if plan.years is not None:
            parts.append(self._eval_years(plan.years, case, detail))
        if plan.titles is not None:
            parts.append(self._eval_title(plan.titles, case, detail))
        if plan.place is not None:
            parts.append(_eval_place(plan.place, case, detail))
        if plan.languages is not None:
            parts.append(self._eval_terms(plan.languages, case, detail, "languages"))
        if plan.words is not None:
            parts.append(_eval_words(plan.words, case, detail))
        return _combine(parts, detail)

    # -- skills and languages --
    def _eval_terms(self, sp: _TermPlan, case: _Case, detail: bool, what: str) -> _Part:
        hits = self._term_hits(sp, case)
        found = {h[0] for h in hits}
        n = len(sp.names)
        if not found:
            return _Part("no_evidence", [], f"No mention of {_or_list([_display(x) for x in sp.names])}"
                         if detail else "")
        if what == "languages":
            verdict: VerdictLabel = "meets" if len(found) == n else "partly"
        else:
            real = {h[0] for h in hits if h[4] in _REAL_USE}
            verdict = "meets" if len(real) == n else "partly"
        if not detail:
            return _Part(verdict, [(0, 0, 0)])
        return _Part(verdict, _term_spans(sp, hits, case), _term_reason(sp, hits, case, verdict, what))

    def _term_hits(self, sp: _TermPlan, case: _Case) -> list[tuple[int, int, int, int, str]]:
        """(term index, doc index, start, end, section) for every accepted mention, in text order."""
        hits = []
        golang = None
        for d, doc in enumerate(case.docs):
            for term, start, end, surface in _term_matches(sp, doc):
                if surface in sp.ambiguous:
                    if golang is None:
                        golang = any("golang" in (x.lower or x.clean.lower()) for x in case.docs)
                    if not self._looks_technical(doc, start, end, surface, golang):
                        continue
                hits.append((term, d, start, end, doc.section_at(start)))
        hits.sort(key=lambda h: (h[1], h[2]))
        return hits

    def _looks_technical(self, doc: _Doc, start: int, end: int, form: str, golang: bool) -> bool:
        """Whether an ambiguous name ("Go", "R", "C") is used as technology here, not as a word or letter."""
        text = doc.clean
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", end)
        le = len(text) if le < 0 else le
        before, after = text[ls:start].rstrip(), text[end:le].lstrip()
        next_word = after.split(maxsplit=1)[0].lower().strip(".,;:()") if after else ""
        if len(form) == 1:
            return _single_letter_ok(before, after, next_word)
        if next_word == "live" or after.lower().startswith(_GO_PHRASES):
            return False  # "Go live", "Go-to-market" are phrases wherever they stand
        if doc.section_at(start) in ("skills", "languages") or golang or next_word in _TECH_NEXT:
            return True
        if before.endswith(_LIST_BEFORE) or after.startswith(_LIST_AFTER):
            return True
        if before and before[-1] not in ".!?:•*-–—\"'(":
            return True  # a capitalised "Go" mid-sentence is the language; the verb is never capitalised there
        if next_word in _VERB_NEXT:
            return False  # "Go to the office." at the start of a sentence
        s, e = _sentence_around(text, start, end)
        mentions = self.taxonomy.extract_skills(text[s:e])
        return any(m.skill != "Go" and not (m.start <= start - s < m.end) for m in mentions)

    # -- years --
    def _eval_years(self, years_min: float, case: _Case, detail: bool) -> _Part:
        doc = case.docs[0]
        phrase = doc.years_phrase()
        years = case.candidate.years_experience
        if years is None:
            years = phrase[2] if phrase else self._years_from_blocks(doc.blocks())
        if years is None:
            return _Part("no_evidence", [], "No years of experience stated and no dated roles")
        spans = [(0, phrase[0], phrase[1])] if phrase else _date_spans(doc.blocks())
        if not spans:
            return _Part("no_evidence", [], f"{_num(years)} years on record, but not shown in the profile text")
        if years >= years_min:
            verdict: VerdictLabel = "meets"
            reason = f"{_num(years)} years of experience (asks {_num(years_min)}+)"
        elif years >= 0.7 * years_min:
            verdict = "partly"
            reason = f"{_num(years)} years of experience, a little under the {_num(years_min)}+ asked"
        else:
            verdict, reason = "does_not", f"{_num(years)} years of experience (asks {_num(years_min)}+)"
        return _Part(verdict, spans, reason if detail else "")

    def _years_from_blocks(self, blocks: list[_Block]) -> float | None:
        if not blocks:
            return None
        first = min(b.first for b in blocks)
        now = (self.today.year, self.today.month)
        last = max(min(b.last, now) if b.last else now for b in blocks)
        return max(0.0, round(((last[0] - first[0]) * 12 + last[1] - first[1]) / 12, 1))

    # -- titles --
    def _eval_title(self, tp: _TitlePlan, case: _Case, detail: bool) -> _Part:
        doc = case.docs[0]
        lines: list[tuple[int, int]] = []
        best: tuple[int, tuple[int, int], str] | None = None
        for span in _title_lines(doc, case.candidate):  # lazily: experience entries only when needed
            lines.append(span)
            rank, piece = self._title_rank(tp, doc.clean[span[0]:span[1]])
            if rank < 2 and (best is None or rank < best[0]):
                best = (rank, span, piece)
                if rank == 0:
                    break
        if not lines:
            return _Part("no_evidence", [], "No job titles found in the profile")
        asked = _or_list(tp.titles)
        if best is None:
            span = lines[0]
            reason = f'No title like {asked}; most recent: "{_clip_words(doc.clean[span[0]:span[1]], 80)}"'
            return _Part("does_not", [(0, *span)], reason if detail else "")
        rank, span, piece = best
        verdict: VerdictLabel = "meets" if rank == 0 else "partly"
        if not detail:
            return _Part(verdict, [(0, *span)])
        company = _company(doc.clean[span[0]:span[1]]) if _AT_RE.search(doc.clean[span[0]:span[1]]) else None
        company = company or doc.company_at(span[0])
        at = f" at {company}" if company and company not in piece else ""
        reason = f'Held the title "{piece}"{at}' if rank == 0 else f'Related title "{piece}"{at} (asks {asked})'
        return _Part(verdict, [(0, *span)], reason)

    def _title_rank(self, tp: _TitlePlan, line: str) -> tuple[int, str]:
        """0 when a wanted title occurs in the line, 1 for a related title (same head noun or occupation)."""
        best = (2, line)
        pieces = _TITLE_SPLIT_RE.split(_without_dates(line))
        if _AT_RE.search(line):  # "Title at Company": the company is not a title
            pieces = pieces[:1]
        for piece in pieces:
            piece = piece.strip(" ,|-–—()")
            if not piece or len(piece) > 60:
                continue
            core = self._title_core(piece)
            if not core:
                continue
            if any(_contains(core, want) for want in tp.cores):
                return 0, piece
            if best[0] > 1 and (core[-1] in tp.heads or (
                    tp.codes and len(core) <= 5 and self._title_code(core) in tp.codes)):
                best = (1, piece)
        return best


# ---- evaluation helpers ----------------------------------------------------------------------------------
def _single_letter_ok(before: str, after: str, next_word: str) -> bool:
    """A one-letter language ("C", "R") only as an item of a list or with "programming" after it."""
    if next_word in _TECH_NEXT:
        return True
    if after[:2].lower() in ("/o", "-o"):  # "C/O" (care of)
        return False
    opens = not before or before.endswith(_LETTER_BEFORE)
    closes = not after or after.startswith(_LETTER_AFTER) or after.lower().startswith(("and ", "or "))
    return opens and closes


def _combine(parts: list[_Part], detail: bool) -> _Part:
    """The worst facet's verdict; evidence and reasons of every facet. A verdict needs evidence."""
    for part in parts:
        if part.verdict != "no_evidence" and not part.spans:
            part.verdict = "no_evidence"
    if len(parts) == 1:
        return parts[0]
    verdict = max((p.verdict for p in parts), key=VERDICT_ORDER.index)
    spans = list(dict.fromkeys(s for p in parts for s in p.spans))
    return _Part(verdict, spans[: MAX_EVIDENCE + 2], "; ".join(p.reason for p in parts if p.reason) if detail else "")


def _term_spans(sp: _TermPlan, hits: list, case: _Case) -> list[_Span]:
    """Up to three evidence spans: each term's best mention first, experience before the skills list."""
    ordered = sorted(hits, key=lambda h: (_PRIORITY.get(h[4], 4), h[1], h[2]))
    best_per_term: dict[int, tuple] = {}
    for h in ordered:
        best_per_term.setdefault(h[0], h)
    # each term's best mention, then more mentions from experience or the headline (not more list items)
    chosen = [best_per_term[i] for i in sorted(best_per_term)] + [h for h in ordered if _PRIORITY.get(h[4], 4) <= 1]
    spans: list[_Span] = []
    for _term, d, start, end, section in chosen:
        if len(spans) >= MAX_EVIDENCE:
            break
        doc = case.docs[d]
        s, e = _context(doc, start, end, section)
        if any(d == d2 and s < e2 and s2 < e for d2, s2, e2 in spans):
            continue
        spans.append((d, s, e))
    return spans


def _term_reason(sp: _TermPlan, hits: list, case: _Case, verdict: VerdictLabel, what: str) -> str:
    found = sorted({h[0] for h in hits})
    names = [_display(sp.names[i]) for i in found]
    missing = [_display(sp.names[i]) for i in range(len(sp.names)) if i not in found]
    places: list[str] = []
    for i in found:
        mine = [h for h in hits if h[0] == i]
        real = [h for h in mine if h[4] in _REAL_USE] or mine
        _term, d, start, _end, section = min(real, key=lambda h: (_PRIORITY.get(h[4], 4), h[1], h[2]))
        place = _PLACE.get(section, "the profile")
        company = case.docs[d].company_at(start) if section == "experience" else None
        places.append(f"{place} at {company}" if company else place)
    where = _and_list(list(dict.fromkeys(places))[:2])
    count = f"{len(hits)} mention{'s' if len(hits) != 1 else ''}"
    if missing:
        return f"{_and_list(names)} found in {where} ({count}); no mention of {_or_list(missing)}"
    if verdict == "partly" and what == "skills":
        return f"{_and_list(names)} mentioned only in {where}, not in experience or the skills list"
    return f"{_and_list(names)} found in {where} ({count})"


def _date_spans(blocks: list[_Block]) -> list[_Span]:
    if not blocks:
        return []
    latest = max(blocks, key=lambda b: (b.last or (10000, 0), b.first))
    earliest = min(blocks, key=lambda b: (b.first, b.last or (10000, 0)))
    spans = [(0, *latest.dates)]
    if earliest is not latest:
        spans.append((0, *earliest.dates))
    return spans


def _title_lines(doc: _Doc, c: Candidate) -> Iterator[tuple[int, int]]:
    """Headline lines, then experience header lines (most recent first)."""
    seen = set()
    header = doc.header_lines()
    for i, (s, e) in enumerate(header):
        line = doc.clean[s:e].strip()
        if (i == 0 and len(header) > 1) or line in ((c.full_name or "").strip(), (c.location or "").strip()):
            continue
        if e - s <= MAX_TITLE_LINE:
            seen.add((s, e))
            yield s, e
    for b in doc.blocks():
        if b.header not in seen and b.header[1] - b.header[0] <= MAX_TITLE_LINE:
            seen.add(b.header)
            yield b.header


def _contains(words: tuple[str, ...], want: tuple[str, ...]) -> bool:
    n = len(want)
    return any(words[i:i + n] == want for i in range(len(words) - n + 1))


def _eval_place(pp: _PlacePlan, case: _Case, detail: bool) -> _Part:
    c = case.candidate
    doc = case.docs[0]
    span = _location_line(doc, c)
    if span is None:
        why = f"Location {c.location} on record, but not shown in the profile text" if c.location else \
            "No location in the profile"
        return _Part("no_evidence", [], why)
    line = doc.clean[span[0]:span[1]]
    parts = [p.strip() for p in line.split(",") if p.strip()]
    country = (c.country or "").upper() or _country_of(parts)
    cities = set(_city_names(parts[0])) if parts else set()
    spans = [(0, *span)]
    if pp.remote:
        return _Part("meets", spans, f"Remote role; based in {line}" if detail else "")
    if pp.cities and pp.cities & cities and (not pp.country or not country or pp.country == country):
        return _Part("meets", spans, f"Based in {line}" if detail else "")
    if pp.country and country and pp.country == country:
        why = f"Based in {line}, same country as {pp.text}" if not pp.country_only else f"Based in {line}"
        return _Part("meets" if pp.country_only else "partly", spans, why if detail else "")
    if pp.country and country:
        return _Part("does_not", spans, f"Based in {line}, not in {pp.text}" if detail else "")
    return _Part("does_not", spans, f"Based in {line}; {pp.text} asked" if detail else "")


def _location_line(doc: _Doc, c: Candidate) -> tuple[int, int] | None:
    """The profile's location line: the stored location found near the top, else a "City, Region" line."""
    head = doc.clean[: min(len(doc.clean), 600)]
    if c.location and c.location.strip():
        pos = head.find(c.location.strip())
        if pos >= 0:
            return pos, pos + len(c.location.strip())
    for s, e in doc.header_lines():
        line = doc.clean[s:e]
        if _LOCATION_SHAPE_RE.match(line) and len(line.split()) <= 8:
            parts = [p.strip() for p in line.split(",")]
            if _country_of(parts) is not None:
                return s, e
    return None


def _eval_words(wp: _WordPlan, case: _Case, detail: bool) -> _Part:
    if wp.regex is None or wp.regex_i is None:
        return _Part("no_evidence", [], "Nothing in the qualification to look for")
    seen: set[int] = set()
    by_sentence: dict[tuple[int, int], set[int]] = defaultdict(set)
    first_pos: dict[tuple[int, int], int] = {}
    for d, doc in enumerate(case.docs):
        regex, text = (wp.regex, doc.lower) if doc.lower is not None else (wp.regex_i, doc.clean)
        for m in regex.finditer(text):
            if _glued(text, m.start(), "+#"):
                continue
            i = _which_stem(wp, m.group().lower())
            if i is None:
                continue
            seen.add(i)
            key = (d, _sentence_around(doc.clean, m.start(), m.end())[0])
            by_sentence[key].add(i)
            first_pos.setdefault(key, m.start())
    n = len(wp.words)
    if not seen or len(seen) / n < 0.4:
        why = f"Only {len(seen)} of {n} key words found ({', '.join(wp.words[:6])})"
        return _Part("no_evidence", [], why if detail else "")
    key = max(by_sentence, key=lambda k: (len(by_sentence[k]), -k[0], -k[1]))
    best = by_sentence[key]
    verdict: VerdictLabel = "meets" if len(best) / n >= 0.75 else "partly"
    doc = case.docs[key[0]]
    s, e = _sentence_around(doc.clean, first_pos[key], first_pos[key] + 1)
    s, e = _clip(doc, s, e, first_pos[key], first_pos[key] + 1)
    if not detail:
        return _Part(verdict, [(key[0], s, e)])
    if verdict == "meets":
        reason = f"{len(best)} of {n} key words in one sentence ({', '.join(wp.words[i] for i in sorted(best))})"
    else:
        reason = f"{len(seen)} of {n} key words found ({', '.join(wp.words[i] for i in sorted(seen))})"
    return _Part(verdict, [(key[0], s, e)], reason)


# ---- evidence spans --------------------------------------------------------------------------------------
def _context(doc: _Doc, start: int, end: int, section: str) -> tuple[int, int]:
    """The mention extended to its list item (skills lists, comma lists) or sentence, at most 200 chars."""
    text = doc.clean
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    if section in ("skills", "languages"):
        s = max(text.rfind(ch, ls, start) for ch in ",;|•·") + 1
        s = max(s, ls)
        ends = [p for p in (text.find(ch, end, le) for ch in ",;|•·") if p >= 0]
        e = min(ends) if ends else le
    else:
        s, e = _sentence_around(text, start, end)
    return _clip(doc, s, e, start, end)


def _clip(doc: _Doc, s: int, e: int, ms: int, me: int) -> tuple[int, int]:
    """Keep the span off suspicious regions and within MAX_QUOTE chars around the mention; trim blanks."""
    for rs, re_, _label in doc.regions:
        if re_ <= ms and re_ > s:
            s = re_
        elif rs >= me and rs < e:
            e = rs
    text = doc.clean
    if e - s > MAX_QUOTE:
        room = MAX_QUOTE - (me - ms)
        s2 = max(s, ms - room // 2)
        e2 = min(e, s2 + MAX_QUOTE)
        s2 = max(s, e2 - MAX_QUOTE)
        if s2 > s:
            sp = text.find(" ", s2, ms)
            s2 = sp + 1 if sp >= 0 else s2
        if e2 < e:
            sp = text.rfind(" ", me, e2)
            e2 = sp if sp >= 0 else e2
        s, e = s2, e2
    while s < ms and text[s] in " \t\r\n,;|•·*-–—":
        s += 1
    while e > me and text[e - 1] in " \t\r\n,;|•·*":
        e -= 1
    return s, e


def _evidence(doc: _Doc, s: int, e: int) -> Evidence:
    return Evidence(source=doc.source, start=s, end=e, quote=doc.text[s:e])  # type: ignore[arg-type]


# ---- scores, recommendation, summary, ranking ------------------------------------------------------------
def _weighted(labels: Sequence[str], plans: Sequence[_Plan]) -> float:
    total = sum(p.factor for p in plans)
    if total <= 0:
        return 0.0
    return round(sum(VERDICT_POINTS[v] * p.factor for v, p in zip(labels, plans, strict=True)) / total, 6)


def recommendation_for(verdicts: Sequence[QualificationVerdict],
                       quals: Sequence[QualificationSpec]) -> Recommendation:
    """strong: every must-have met; good: every must-have met or partly; possible: half of them; else weak.

    Without must-haves the nice-to-haves are used the same way; with no qualification at all: possible.
    """
    labels = verdicts_of_kind(verdicts, quals) or verdicts_of_kind(verdicts, quals, "nice")
    if not labels:
        return "possible"
    if all(v == "meets" for v in labels):
        return "strong"
    if all(v in ("meets", "partly") for v in labels):
        return "good"
    if sum(VERDICT_POINTS[v] for v in labels) >= len(labels) / 2:
        return "possible"
    return "weak"


def summary_for(verdicts: Sequence[QualificationVerdict], quals: Sequence[QualificationSpec]) -> str:
    """One sentence: how many must-haves are met and which are missing."""
    musts = [v for v in verdicts if 0 <= v.qualification < len(quals) and quals[v.qualification].kind == "must"
             and quals[v.qualification].policy.status != "blocked"]
    nices = [v for v in verdicts if 0 <= v.qualification < len(quals) and quals[v.qualification].kind == "nice"
             and quals[v.qualification].policy.status != "blocked"]
    met_nice = sum(v.verdict == "meets" for v in nices)
    if not musts:
        return f"Meets {met_nice} of {len(nices)} nice-to-haves." if nices else "No qualifications to check."
    met = sum(v.verdict == "meets" for v in musts)
    text = f"Meets {met} of {len(musts)} must-have{'s' if len(musts) != 1 else ''}"
    if nices:
        text += f" and {met_nice} of {len(nices)} nice-to-have{'s' if len(nices) != 1 else ''}"
    partly = [_label(quals[v.qualification]) for v in musts if v.verdict == "partly"]
    missing = [_label(quals[v.qualification]) for v in musts if v.verdict in ("does_not", "no_evidence")]
    if partly:
        text += f"; partly: {', '.join(partly)}"
    if missing:
        text += f"; missing: {', '.join(missing)}"
    return text + "."


# ---- verification ----------------------------------------------------------------------------------------
def verify_evidence(judgement: CandidateJudgement, candidate: Candidate,
                    quals: Sequence[QualificationSpec] | None = None) -> CandidateJudgement:
    """Keep only verbatim evidence outside suspicious regions; verdicts left without evidence → no_evidence.

    A quote at wrong offsets that occurs exactly once in its source is moved there. With ``quals`` the
    recommendation is recomputed (and the summary too when a verdict was downgraded); without them the
    recommendation is only ever lowered, every qualification then counting as a must-have.
    """
    sources = _sources(candidate)
    dropped = fixed = 0
    changed = False
    verdicts = []
    for v in judgement.verdicts:
        kept = []
        for ev in v.evidence:
            good = _check_evidence(ev, sources)
            if good is None:
                dropped += 1
                continue
            fixed += good is not ev
            kept.append(good)
        verdict, reason = v.verdict, v.reason
        if verdict != "no_evidence" and not kept:
            verdict, reason = "no_evidence", "The quoted evidence was not found in the profile"
            changed = True
        verdicts.append(v.model_copy(update={"evidence": kept, "verdict": verdict, "reason": reason}))
    warnings = list(judgement.warnings)
    if dropped:
        warnings.append(f"Discarded {dropped} quote{'s' if dropped != 1 else ''} not found verbatim "
                        f"in the candidate's text (or inside text addressed to an AI)")
    if fixed:
        warnings.append(f"Corrected the offsets of {fixed} quote{'s' if fixed != 1 else ''}")
    update: dict[str, Any] = {"verdicts": verdicts, "warnings": warnings}
    if quals is not None:
        update["recommendation"] = recommendation_for(verdicts, quals)
        if changed:
            update["summary"] = summary_for(verdicts, quals)
    elif changed:
        as_musts = [QualificationSpec(text="") for _ in range(max((v.qualification for v in verdicts), default=-1) + 1)]
        lowered = recommendation_for(verdicts, as_musts)
        update["recommendation"] = max(judgement.recommendation, lowered, key=_REC_ORDER.index)
    return judgement.model_copy(update=update)


def _sources(c: Candidate) -> dict[str, list[tuple[str, list[tuple[int, int, str]]]]]:
    out: dict[str, list[tuple[str, list[tuple[int, int, str]]]]] = defaultdict(list)
    out["profile"].append((c.text or "", suspicious_regions(c.text or "")))
    for source, text in c.notes:
        out[source if source in ("resume", "note") else "note"].append((text or "", suspicious_regions(text or "")))
    return out


def _check_evidence(ev: Evidence, sources: dict[str, list[tuple[str, list[tuple[int, int, str]]]]]) -> Evidence | None:
    """The evidence as is, with repaired offsets, or None when it is not verbatim or touches suspicious text."""
    if not ev.quote or not ev.quote.strip():
        return None
    entries = sources.get(ev.source, [])
    for text, regions in entries:
        if ev.end > ev.start and text[ev.start:ev.end] == ev.quote:
            return None if _overlaps(ev.start, ev.end, regions) else ev
    places: list[tuple[int, list[tuple[int, int, str]]]] = []
    for text, regions in entries:
        pos = text.find(ev.quote)
        while pos >= 0 and len(places) < 2:
            places.append((pos, regions))
            pos = text.find(ev.quote, pos + 1)
    if len(places) != 1:
        return None
    pos, regions = places[0]
    end = pos + len(ev.quote)
    if _overlaps(pos, end, regions):
        return None
    return ev.model_copy(update={"start": pos, "end": end})


def _overlaps(s: int, e: int, regions: Sequence[tuple[int, int, str]]) -> bool:
    return any(s < re_ and rs < e for rs, re_, _label in regions)


# ---- wording ---------------------------------------------------------------------------------------------
def _display(skill: str) -> str:
    """A short name for reasons: "Structured query language SQL" → "SQL", "SAP software" → "SAP"."""
    name = skill.removesuffix(" software")
    words = name.split()
    if len(words) >= 3 and words[-1].isupper() and words[-1].isalpha():
        return words[-1]
    return name


def _label(q: QualificationSpec) -> str:
    if q.skills:
        return _and_list([_display(s) for s in q.skills])
    return _clip_words(q.text.rstrip("."), 60)


def _and_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _clip_words(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."


def _num(x: float) -> str:
    return f"{round(x, 1):g}"
