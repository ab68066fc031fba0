"""Work authorisation as written in requests and profiles: "authorized to work in the US", "must have the right to
work in the UK", "no visa sponsorship", "Work authorization: US permanent resident", "requires sponsorship".

Only what a text states counts: nothing is read from a name, a birthplace or a nationality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.places import COUNTRIES_FOLDED

__all__ = ["AuthorizationMention", "country_in", "find_authorization", "find_required_authorization"]

_AUTH = r"(?:authori[sz]ed|eligible|entitled|permitted|allowed|able|free)"
_PLACE = r"(?:the\s+)?(?P<place>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})"
_STATEMENT_RE = re.compile(
    rf"\b(?:(?:legally\s+)?{_AUTH}\s+to\s+work\s+(?:(?:full[- ]time|permanently|lawfully)\s+)?in|"
    rf"(?:the\s+)?right\s+to\s+work\s+in|work\s+authori[sz]ation\s+(?:in|for)|work\s+permit\s+(?:in|for)|"
    rf"permanent\s+resident\s+of|(?:work\s+)?visa\s+for)\s+{_PLACE}", re.IGNORECASE)
_LABELLED_RE = re.compile(
    r"\b(?:work\s+authori[sz]ation|work\s+status|right\s+to\s+work|visa\s+status)\s*[:\-–]\s*(?P<rest>[^\n;]{2,80})",
    re.IGNORECASE)
_RESIDENT_RE = re.compile(
    r"\b(?P<place>U\.?S\.?A?\.?|United States|Canadian|Canada|UK|British|EU|Australian)\s+"
    r"(?:citizen|permanent\s+resident|green\s+card\s+holder)\b|\bgreen\s+card(?:\s+holder)?\b", re.IGNORECASE)
_NO_SPONSOR_RE = re.compile(
    r"\b(?:(?:do(?:es)?\s+not|don'?t|will\s+not|won'?t|never)\s+(?:need|require)\s+(?:any\s+)?(?:visa\s+)?"
    r"sponsorship|no\s+(?:visa\s+)?sponsorship\s+(?:required|needed)|not\s+requiring\s+(?:visa\s+)?sponsorship)",
    re.IGNORECASE)
_NEEDS_SPONSOR_RE = re.compile(
    r"\b(?:(?:will|would|do|does)\s+)?(?:need|require|requires|needs|requiring|seeking)\s+(?:a\s+)?(?:an?\s+)?"
    r"(?:H-?1B\s+|work\s+|visa\s+){0,2}(?:visa\s+)?sponsorship\b", re.IGNORECASE)
_REQUEST_NO_SPONSOR_RE = re.compile(
    r"\b(?:no|not\s+able\s+to\s+(?:offer|provide)|unable\s+to\s+(?:offer|provide)|cannot\s+(?:offer|provide)|"
    r"can'?t\s+(?:offer|provide)|(?:do|does|will)\s+not\s+(?:offer|provide|sponsor)|without)\s+"
    r"(?:any\s+)?(?:visa\s+|work\s+visa\s+|H-?1B\s+)?sponsorship\b|\bmust\s+not\s+require\s+(?:visa\s+)?"
    r"sponsorship\b|\bsponsorship\s+(?:is\s+)?not\s+(?:available|offered|provided)\b", re.IGNORECASE)
# Words every statement contains: a text without any of them is skipped.
_CUES = ("to work", "work auth", "work status", "work permit", "visa", "sponsor", "citizen", "resident",
         "green card")
_DEMONYMS = {"us": "US", "u.s": "US", "usa": "US", "u.s.a": "US", "united states": "US", "canadian": "CA",
             "canada": "CA", "uk": "GB", "british": "GB", "australian": "AU"}


@dataclass(frozen=True, slots=True)
class AuthorizationMention:
    """A statement about the right to work: the country (None: where the person is) and whether it is held."""

    country: str | None
    start: int
    end: int
    held: bool = True


def country_in(phrase: str) -> str | None:
    """The ISO code of the country a phrase starts with ("the US", "United Kingdom or Ireland" → "GB")."""
    found = _country_prefix(phrase)
    return found[0] if found else None


def _country_prefix(phrase: str) -> tuple[str, int] | None:
    """(ISO code, length of the words naming it) for the country a phrase starts with."""
    words = list(re.finditer(r"\S+", phrase))
    if words and words[0].group().lower() == "the":
        words = words[1:]
    for n in range(min(4, len(words)), 0, -1):
        key = " ".join(w.group() for w in words[:n]).rstrip(",;:)").casefold()
        for candidate in (key, key.rstrip(".")):
            if candidate in COUNTRIES_FOLDED:
                end = words[n - 1].end() - (len(words[n - 1].group()) - len(words[n - 1].group().rstrip(",;:).")))
                if candidate == key and key.endswith("."):
                    end = words[n - 1].end()
                return COUNTRIES_FOLDED[candidate], end
    return None


def find_authorization(text: str) -> list[AuthorizationMention]:
    """What a profile states about its holder's right to work, in text order."""
    lower = text.lower()
    if not any(cue in lower for cue in _CUES):
        return []
    found: list[AuthorizationMention] = []
    for m in _STATEMENT_RE.finditer(text):
        if (named := _country_prefix(m.group("place"))) is not None:
            negated = re.search(r"\bnot\s+(?:\w+\s+)?$", text[max(0, m.start() - 12):m.start()], re.IGNORECASE)
            found.append(AuthorizationMention(named[0], m.start(), m.start("place") + named[1], held=not negated))
    for m in _LABELLED_RE.finditer(text):
        rest = m.group("rest")
        if _NEEDS_SPONSOR_RE.search(rest) and not _NO_SPONSOR_RE.search(rest):
            found.append(AuthorizationMention(None, m.start(), m.end(), held=False))
            continue
        code = country_in(rest) or _resident_country(rest)
        found.append(AuthorizationMention(code, m.start(), m.end()))
    for m in _RESIDENT_RE.finditer(text):
        place = (m.group("place") or "US").rstrip(".").casefold()
        found.append(AuthorizationMention(_DEMONYMS.get(place, country_in(place)), m.start(), m.end()))
    for m in _NO_SPONSOR_RE.finditer(text):
        found.append(AuthorizationMention(None, m.start(), m.end()))
    for m in _NEEDS_SPONSOR_RE.finditer(text):
        if not _NO_SPONSOR_RE.search(text[max(0, m.start() - 20):m.end()]):
            found.append(AuthorizationMention(None, m.start(), m.end(), held=False))
    found.sort(key=lambda a: a.start)
    kept: list[AuthorizationMention] = []
    for a in found:
        if not kept or a.start >= kept[-1].end:
            kept.append(a)
    return kept


def _resident_country(phrase: str) -> str | None:
    m = _RESIDENT_RE.search(phrase)
    if not m:
        return None
    place = (m.group("place") or "US").rstrip(".").casefold()
    return _DEMONYMS.get(place, country_in(place))


def find_required_authorization(text: str, country: str | None) -> tuple[str | None, list[tuple[int, int]]]:
    """The country a request asks the candidate to be authorised to work in, and the spans that say so. "No visa
    sponsorship" asks for authorisation in the role's own ``country``."""
    code: str | None = None
    spans: list[tuple[int, int]] = []
    for m in _STATEMENT_RE.finditer(text):
        if (place := _country_prefix(m.group("place"))) is not None:
            code = code or place[0]
            spans.append((m.start(), m.start("place") + place[1]))
    for m in _REQUEST_NO_SPONSOR_RE.finditer(text):
        spans.append((m.start(), m.end()))
        code = code or country
    return code, spans
