"""Facts stated in the request: years of experience, remote policy, spoken languages and the other requirement
sentences, kept verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tools.credentials import level_near
from tools.hiring import LanguageLevel
from tools.requirements.document import NICE_RE, Document, clauses_of, overlaps
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

_REMOTE_RE = re.compile(r"\b(?:(?P<neg>no|not|non)[- ])?(?P<word>remote|hybrid|on-?site|in[- ]office|in person)\b",
                        re.IGNORECASE)

_REQUIREMENT_CUE_RE = re.compile(
    r"\b(?:experience\w*|degree|years?|knowledge|ability|able to|must|required|requires?|proficien\w*|"
    r"familiar\w*|certif\w*|licen[cs]\w*|background|understanding|track record|skills?)\b", re.IGNORECASE)

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
            for m in hits:
                language = m.group()
                (out.nice if nice else out.must).append(language)
                out.spans.append((at + m.start(), at + m.end()))
                level = level_near(clause, m.start(), m.end(), _LANGUAGE_RE)
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
    """Sentences of a job description's requirement sections, or clauses of a one-line request."""
    if not doc.long:
        units = []
        for segment in doc.segments:
            units += clauses_of(segment, extra=r"\bwith\b|\bwho (?:has|have|is|can)\b|\bhaving\b")
        return [(text, at) for text, at in units if not overlaps((at, at + len(text)), nice_spans)]
    units = []
    for segment in doc.segments:
        eligible = segment.section == "must" or (
            segment.section == "" and bool(_REQUIREMENT_CUE_RE.search(segment.text)))
        if eligible and not NICE_RE.search(segment.text):
            units.append((segment.text, segment.start))
    return units


def find_other(doc: Document, covered: list[tuple[int, int]], nice_spans: list[tuple[int, int]]) -> list[str]:
    """Requirement sentences (or clauses) with content words that no span in ``covered`` explains."""
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
