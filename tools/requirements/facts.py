"""Facts stated in the request: years of experience, remote policy, spoken languages and the other requirement
sentences, kept verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tools.credentials import level_near
from tools.credentials.languages import SPOKEN_LANGUAGES
from tools.hiring import LanguageLevel
from tools.requirements.document import NICE_RE, Document, clauses_of, overlaps, pieces
from tools.taxonomy import ROLE_SENIORITY_WORDS, SENIORITY_WORDS, tokens

MAX_OTHER = 6

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

_LANGUAGE_RE = re.compile(r"\b(" + "|".join(SPOKEN_LANGUAGES) + r")\b")
_LANGUAGE_CUE_RE = re.compile(
    r"\b(?:fluen\w*|speak\w*|spoken|native|bilingual|multilingual|language\w*|proficien\w*|business[- ]level|"
    r"conversational|written|verbal|mother tongue|[ABC][12])\b|-speaking", re.IGNORECASE)
_LANGUAGE_LIST_WORDS = {"and", "or", "plus", "both", "as", "well", "&", "/"}

_REMOTE_RE = re.compile(r"\b(?:(?P<neg>no|not|non)[- ])?(?P<word>remote|hybrid|on-?site|in[- ]office|in person)\b",
                        re.IGNORECASE)

_REQUIREMENT_CUE_RE = re.compile(
    r"\b(?:experience\w*|degree|years?|knowledge|ability|able to|must|required|requires?|proficien\w*|"
    r"familiar\w*|certif\w*|licen[cs]\w*|background|understanding|track record|skills?)\b", re.IGNORECASE)
# What makes a clause of a one-line request a stated requirement (rather than words about the job).
STATED_CUE_RE = re.compile(
    r"\b(?:experience\w*|degree|diploma|knowledge|ability|able|must|required|requires?|need(?:s|ed)? to|"
    r"proficien\w*|familiar\w*|certif\w*|licen[cs]\w*|background|understanding|track record|skills?|"
    r"availab\w*|willing\w*|clean|record|lift\w*|pass\w*|valid|reliable|own (?:car|vehicle|tools)|"
    r"transportation|clearance|eligib\w*|comfortable|capable|physically|stand(?:ing)?|travel\w*|overtime|"
    r"on[- ]call|weekends|nights|holidays|endorse\w*|card|permit|registration|registered|credential\w*)\b",
    re.IGNORECASE)
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&/-]*[A-Z0-9]$")
# Words about the job rather than the person: the shift, the schedule (never a qualification on their own).
SHIFT_WORDS = {
    "night", "nights", "day", "days", "evening", "evenings", "overnight", "overnights", "shift", "shifts", "swing",
    "graveyard", "rotating", "weekend", "weekends", "weekday", "weekdays", "morning", "mornings", "afternoon",
    "afternoons", "per", "diem", "prn", "seasonal", "schedule", "hours", "hour", "12-hour", "8-hour", "10-hour",
}
# Where a role or place clause is cut into pieces: the words that open a new phrase.
_PIECE_START_RE = re.compile(r"\b(?:in|at|for|with|who|that|which|based|from|near|must|should|needs? to|will|"
                             r"able|to (?:the|our|a|an|join|work|support|help))\b", re.IGNORECASE)

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
    "really", "quite", "highly", "amazing", "awesome", "only", "knows", "know", "knowing", "which", "whom", "whose",
    "bilingual", "multilingual", "open", "opening", "openings", "vacancy", "vacancies", "positions",
    "roles", "jobs", "immediately", "immediate", "starting", "available", "staff", "teams",
    "searching", "recruiting", "fill", "from", "near", "around", "within", "area", "located",
    "city", "local", "locally", "per", "week", "month", "pay", "paid", "hourly", "salary", "competitive",
    "restaurant", "store", "shop", "hospital", "clinic", "warehouse", "site", "facility", "location", "locations",
    "branch", "plant", "factory", "kitchen", "downtown", "company", "firm", "startup", "client", "clients", "agency",
    "school", "department", "busy", "growing", "small", "large", "family-owned",
} | SHIFT_WORDS


# ---- years -------------------------------------------------------------------------------------------------


def _number(word: str) -> float:
    return float(_NUMBER_WORDS.get(word.lower(), 0) or word)


@dataclass(frozen=True, slots=True)
class Years:
    """A stated span of experience and where it was written."""

    low: float
    high: float | None
    start: int
    end: int


def find_years(text: str, skip: list[tuple[int, int]]) -> list[Years]:
    """Years of experience stated in ``text`` ("5+ years", "3-5 years", "five years"), not ages, outside ``skip``."""
    found: list[Years] = []
    taken: list[tuple[int, int]] = []
    for pattern, ranged in _YEARS_PATTERNS:
        for m in pattern.finditer(text):
            span = (m.start(), m.end())
            if overlaps(span, taken) or overlaps(span, skip) or _NOT_EXPERIENCE_RE.match(text[m.end():]):
                continue
            low = _number(m.group(1))
            high = _number(m.group(2)) if ranged else None
            if high is not None and high < low:
                low, high = high, low
            taken.append(span)
            found.append(Years(low, high, *span))
    return sorted(found, key=lambda y: y.start)


# ---- remote policy -----------------------------------------------------------------------------------------


def find_remote(text: str) -> Literal["onsite", "hybrid", "remote", "unknown"]:
    """The first remote / hybrid / on-site word of the text ("no remote" is on-site)."""
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


@dataclass(slots=True)
class SpokenLanguages:
    """Spoken languages a request asks for: required, nice to have, the level asked per language, their spans."""

    must: list[str] = field(default_factory=list)
    nice: list[str] = field(default_factory=list)
    levels: dict[str, LanguageLevel] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)


def read_languages(doc: Document) -> SpokenLanguages:
    """Spoken languages in a language context ("fluent German", "German speaker", "bilingual English/Spanish") or a
    bare list of them, each with the level written next to it; those in a nice clause or section are nice to have."""
    out = SpokenLanguages()
    for segment in doc.segments:
        for clause, at in clauses_of(segment):
            hits = list(_LANGUAGE_RE.finditer(clause))
            if not hits:
                continue
            rest = NICE_RE.sub(" ", _LANGUAGE_RE.sub(" ", clause))
            bare = all(t.lower() in _LANGUAGE_LIST_WORDS for t, _, _ in tokens(rest))
            if not (bare or _LANGUAGE_CUE_RE.search(clause)):
                continue
            nice = segment.section == "nice" or bool(NICE_RE.search(clause))
            out.spans += [(at + c.start(), at + c.end()) for c in _LANGUAGE_CUE_RE.finditer(clause)]
            for n, m in enumerate(hits):
                language = m.group()
                (out.nice if nice else out.must).append(language)
                out.spans.append((at + m.start(), at + m.end()))
                since = hits[n - 1].end() if n else 0  # 'Fluent German and good English': each its own level
                level = level_near(clause[since:], m.start() - since, m.end() - since, _LANGUAGE_RE)
                level = level or level_near(clause, m.start(), m.end(), _LANGUAGE_RE)
                if level is not None and language not in out.levels:
                    out.levels[language] = level
    out.must = list(dict.fromkeys(out.must))
    out.nice = [x for x in dict.fromkeys(out.nice) if x not in out.must]
    return out


def find_languages(doc: Document) -> tuple[list[str], list[tuple[int, int]]]:
    """The required spoken languages (:func:`read_languages`) and the spans of every language read."""
    found = read_languages(doc)
    return found.must, found.spans


# ---- other requirement sentences ---------------------------------------------------------------------------


def _residual(text: str, at: int, covered: list[tuple[int, int]]) -> list[str]:
    """Content words of ``text`` not explained by the spans already read."""
    words = []
    for tok, start, end in tokens(text):
        if overlaps((at + start, at + end), covered):
            continue
        key = tok.lower().rstrip(".")
        if key in _OTHER_FILLER or key.isdigit() or len(key) < 2 or key in _NUMBER_WORDS:
            continue
        if key in SENIORITY_WORDS and key not in ROLE_SENIORITY_WORDS:
            continue
        words.append(tok)
    return words


def _other_units(doc: Document, nice_spans: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Sentences of a job description's requirement sections (nice-to-have ones are read as skills only)."""
    units = []
    for segment in doc.segments:
        eligible = segment.section == "must" or (
            segment.section == "" and bool(_REQUIREMENT_CUE_RE.search(segment.text)))
        if eligible and not NICE_RE.search(segment.text):
            units.append((segment.text, segment.start))
    return units


@dataclass(slots=True)
class Leftovers:
    """What no kind of qualification read: stated requirements (for the recruiter to review) and clauses not
    understood."""

    other: list[str]
    not_understood: list[str]


def _clean(text: str) -> str:
    text = re.sub(r"^(?:and|with|plus|also|or|who|that)\s+", "", text.strip(" ;:,"), flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def _stated(text: str, residual: list[str], *, piece: bool) -> bool:
    """A requirement in so many words ("clean driving record", "able to lift 50 lbs"), or a clause that is a bare
    acronym (a licence or certificate: "CDL", "CPA a plus"; not a piece of the role's clause: "for the ICU")."""
    return bool(STATED_CUE_RE.search(text)) or not piece and all(ACRONYM_RE.match(w) for w in residual)


def _phrase_pieces(text: str, at: int) -> list[tuple[str, int]]:
    """A clause cut before the words that open a phrase ("for the ICU night shift", "in Houston")."""
    cuts = [0] + [m.start() for m in _PIECE_START_RE.finditer(text) if m.start() > 0] + [len(text)]
    return [(text[a:b].strip(), at + a + len(text[a:b]) - len(text[a:b].lstrip()))
            for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def find_leftovers(doc: Document, covered: list[tuple[int, int]], nice_spans: list[tuple[int, int]],
                   anchors: list[tuple[int, int]]) -> Leftovers:
    """Sort what the spans in ``covered`` leave unread: in a one-line request each clause is read whole, a
    stated requirement or not understood; in the clause of the role or the place (``anchors``) only the pieces
    with words left over count, and headcounts, shifts and filler never do. A job description's requirement
    sentences with words left over are stated requirements."""
    out = Leftovers([], [])
    if doc.long:
        for text, at in _other_units(doc, nice_spans):
            if _residual(text, at, covered) and text.strip() not in out.other:
                out.other.append(text.strip())
        out.other = out.other[:MAX_OTHER]
        return out
    for segment in doc.segments:
        for clause, at in clauses_of(segment, extra=r"\bwith\b|\bwho (?:has|have|is|can)\b|\bhaving\b"):
            anchored = overlaps((at, at + len(clause)), anchors)
            for text, where in _phrase_pieces(clause, at) if anchored else [(clause, at)]:
                residual = _residual(text, where, covered)
                if not residual:
                    continue
                if _stated(text, residual, piece=anchored):
                    found = [text]
                else:  # only the listed items not understood: 'a great attitude', not 'cash handling and ...'
                    found = [t for t, a in pieces(text, where, r"\band\b|\bor\b|&") if _residual(t, a, covered)]
                target = out.other if _stated(text, residual, piece=anchored) else out.not_understood
                for sentence in map(_clean, found):
                    if sentence and sentence not in target:
                        target.append(sentence)
    out.other = out.other[:MAX_OTHER]
    return out


def find_other(doc: Document, covered: list[tuple[int, int]], nice_spans: list[tuple[int, int]]) -> list[str]:
    """Requirement sentences (or clauses) with content words that no span in ``covered`` explains."""
    return find_leftovers(doc, covered, nice_spans, []).other
