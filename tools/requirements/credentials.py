"""Licences and certifications, spoken languages with levels, work authorisation and remote-within-a-country,
as a request states them.

Credentials are found (:func:`tools.credentials.find_credentials`) before skills are read, since a credential's
words are not skills; :func:`read_kinds` sorts them into required and nice to have and reads the rest;
:func:`apply_kinds` writes them onto the requirements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.credentials import CredentialMention, country_in, find_required_authorization, satisfying
from tools.hiring import HiringRequirements
from tools.requirements.document import Document, overlaps
from tools.requirements.facts import SpokenLanguages, read_languages

__all__ = ["RequestKinds", "apply_kinds", "find_remote_country", "read_kinds"]

_OR_RE = re.compile(r"\s*,?\s*or(?:\s+an?|\s+the)?\s+", re.IGNORECASE)
_REMOTE_RE = re.compile(r"\bremote\b", re.IGNORECASE)
_AFTER_REMOTE_RE = re.compile(r"^[\s(\[,:\-–—]*(?:(?:only\s+)?(?:within|in|across|from\s+anywhere\s+in|anywhere\s+in|"
                              r"from|based\s+in)\s+)?", re.IGNORECASE)
_BEFORE_REMOTE_RE = re.compile(r"(?P<place>\b[A-Z][\w.]*)\s*[- ](?:only\s+)?(?:based\s+)?$")


@dataclass(slots=True)
class RequestKinds:
    """What the request asks beyond role, skills and place: credentials, languages, work authorisation."""

    credentials: list[str] = field(default_factory=list)
    nice_credentials: list[str] = field(default_factory=list)
    languages: SpokenLanguages = field(default_factory=SpokenLanguages)
    work_authorization: str | None = None
    remote_country: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


def find_remote_country(text: str) -> tuple[str | None, list[tuple[int, int]]]:
    """The country a remote role is limited to: "remote (US only)", "remote within Canada", "US-based remote"."""
    for m in _REMOTE_RE.finditer(text):
        tail = text[m.end():m.end() + 50]
        lead = _AFTER_REMOTE_RE.match(tail)
        rest = tail[lead.end():] if lead else tail
        if (code := country_in(rest)) is not None:
            stop = re.search(r"[),.;\n]|$", tail[:30])
            return code, [(m.start(), m.end() + (stop.start() if stop else 0))]
        before = _BEFORE_REMOTE_RE.search(text[max(0, m.start() - 30):m.start()])
        if before and (code := country_in(before.group("place"))) is not None:
            return code, [(m.start() - len(before.group()), m.end())]
    return None, []


def read_kinds(doc: Document, mentions: list[CredentialMention], nice_spans: list[tuple[int, int]],
               country: str | None) -> RequestKinds:
    """Credentials split into required and nice to have by their clause, languages with levels, the country the
    candidate must be authorised to work in, and the country a remote role is limited to."""
    out = RequestKinds(languages=read_languages(doc))
    for m in _without_stronger_alternatives(doc.text, mentions):
        nice = overlaps((m.start, m.end), nice_spans)
        target = out.nice_credentials if nice else out.credentials
        if m.name not in target:
            target.append(m.name)
        out.spans.append((m.start, m.end))
    out.credentials = _without_included(out.credentials, [])
    out.nice_credentials = _without_included(out.nice_credentials, out.credentials)
    out.spans += out.languages.spans
    out.remote_country, remote_spans = find_remote_country(doc.text)
    out.spans += remote_spans
    out.work_authorization, auth_spans = find_required_authorization(doc.text, country or out.remote_country)
    out.spans += auth_spans
    return out


def _without_stronger_alternatives(text: str, mentions: list[CredentialMention]) -> list[CredentialMention]:
    """Mentions less the stronger of two alternatives one of which includes the other: "PHR or SPHR" asks for the
    PHR, which the SPHR satisfies too."""
    drop: set[int] = set()
    for k in range(len(mentions) - 1):
        a, b = mentions[k], mentions[k + 1]
        if a.name != b.name and _OR_RE.fullmatch(text[a.end:b.start]):
            if b.name in satisfying(a.name):
                drop.add(k + 1)
            elif a.name in satisfying(b.name):
                drop.add(k)
    return [m for k, m in enumerate(mentions) if k not in drop]


def _without_included(names: list[str], required: list[str]) -> list[str]:
    """``names`` less those another of them (or of ``required``) includes: "CPR/BLS" asks for BLS, which satisfies a
    CPR requirement; a Class A CDL asked for makes a Class B one redundant."""
    others = [*names, *required]
    return [n for n in names if n not in required and not any(o != n and o in satisfying(n) for o in others)]


def apply_kinds(req: HiringRequirements, kinds: RequestKinds) -> None:
    """Write what :func:`read_kinds` found onto the requirements."""
    req.credentials = kinds.credentials
    req.nice_credentials = kinds.nice_credentials
    req.languages = kinds.languages.must
    req.nice_languages = kinds.languages.nice
    req.language_levels = dict(kinds.languages.levels)
    req.work_authorization = kinds.work_authorization
    if kinds.remote_country and req.remote in ("remote", "unknown"):
        req.remote = "remote"
        req.country = req.country or kinds.remote_country
