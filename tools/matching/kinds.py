"""The matcher's checks for credentials, spoken languages and work authorisation, each with verbatim evidence.

* Credentials: any of the qualification's credentials (or one that includes it) named in the profile meets it; a
  mention that is expired or in progress ("pursuing the PMP", "CPA candidate") is partly; another credential of
  the same group (a Class B CDL when Class A is asked) does not; otherwise there is no evidence.
* Languages: the profile's languages (a Languages section, "fluent Spanish" in the text) with the level written
  next to them; a profile written in English is evidence of at least professional English. A level below the one
  asked is partly. A language the qualification does not ask for is never the reason.
* Work authorisation: a statement of the right to work in the country meets; "needs sponsorship" does not; being
  based in the country is partly (and said so); nothing is read from a name, a birthplace or a nationality.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tools.credentials import (
    LEVEL_RANK,
    CredentialMention,
    all_credentials,
    canonical_credential,
    find_authorization,
    find_credentials,
    level_near,
    satisfying,
    written_in_english,
)
from tools.credentials.languages import SPOKEN_LANGUAGES
from tools.hiring import LanguageLevel, VerdictLabel
from tools.matching.evidence import Document, clip, context
from tools.matching.load import Candidate
from tools.matching.plans import TermPlan, term_matches
from tools.matching.suspicious import sentence_around
from tools.places import COUNTRY_NAMES

__all__ = ["REVIEW_REASON", "Finding", "credential_names", "eval_authorization", "eval_credentials", "eval_languages"]

REVIEW_REASON = "Needs your review: no automatic check reads this"
_ANY_LANGUAGE_RE = re.compile(r"\b(?:" + "|".join(SPOKEN_LANGUAGES) + r")\b")
_PLACE_NAMES = {"certifications": "licences and certifications", "languages": "languages", "skills": "the skills list",
                "summary": "the summary", "header": "the headline", "experience": "experience", "body": "the text",
                "education": "education", "note": "the notes", "other": "the profile"}
# Where a credential is best shown: its own section, then prose and lists, then a job title in the headline.
_SECTION_RANK = {"certifications": 0, "header": 2}
_Span = tuple[int, int, int]


@dataclass(slots=True)
class Finding:
    """One facet's verdict, evidence spans (document index, start, end) and reason."""

    verdict: VerdictLabel
    spans: list[_Span] = field(default_factory=list)
    reason: str = ""


def _where(doc: Document, start: int) -> str:
    return _PLACE_NAMES.get(doc.section_at(start), "the profile")


# ---- credentials -------------------------------------------------------------------------------------------
def credential_names(names: Sequence[str]) -> tuple[str, ...]:
    """The credentials a qualification accepts, canonical: those it names ("CDL-A" is "CDL Class A") and every
    credential that includes one of them; a name outside the vocabulary is kept as written."""
    out: list[str] = []
    for name in names:
        if name.strip():
            out += satisfying(canonical_credential(name) or name.strip())
    return tuple(dict.fromkeys(out))


def eval_credentials(names: Sequence[str], docs: Sequence[Document]) -> Finding:
    """Whether the profile names one of ``names`` (:func:`credential_names`: the first is the one asked)."""
    wanted = tuple(names)
    asked = wanted[0] if wanted else ""
    if asked not in all_credentials():
        return _named_as_written(asked, docs)
    best: tuple[tuple[int, int], int, CredentialMention] | None = None
    for d, doc in enumerate(docs):
        for m in find_credentials(doc.clean, names=wanted):
            key = ({"held": 0, "in_progress": 1, "expired": 2}[m.status],
                   _SECTION_RANK.get(doc.section_at(m.start), 1))
            if best is None or key < best[0]:
                best = (key, d, m)
    if best is not None:
        (rank, _section), d, m = best
        doc = docs[d]
        span = (d, *context(doc, m.start, m.end, doc.section_at(m.start)))
        via = "" if m.name == asked else f", which includes {asked}"
        if rank == 0:
            return Finding("meets", [span], f'Holds "{m.surface}" ({_where(doc, m.start)}){via}')
        state = "in progress" if rank == 1 else "expired"
        return Finding("partly", [span], f'"{m.surface}" is {state}, not held')
    return _other_in_group(asked, docs)


def _named_as_written(name: str, docs: Sequence[Document]) -> Finding:
    """A credential outside the vocabulary: its name, or the abbreviation in its brackets, as a whole phrase."""
    short = re.search(r"\(([^)]{2,12})\)", name)
    forms = [re.sub(r"\s*\([^)]*\)", "", name).strip(), short.group(1) if short else ""]
    for form in (f for f in forms if f):
        pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", 0 if form.isupper() else re.IGNORECASE)
        for d, doc in enumerate(docs):
            if m := pattern.search(doc.clean):
                span = (d, *context(doc, m.start(), m.end(), doc.section_at(m.start())))
                return Finding("meets", [span], f'"{m.group()}" in {_where(doc, m.start())}')
    return Finding("no_evidence", [], f"No mention of {name}")


def _other_in_group(asked: str, docs: Sequence[Document]) -> Finding:
    """A different credential of the asked one's group (a Class B CDL for Class A) does not meet it."""
    cred = all_credentials().get(asked)
    if cred is None or not cred.group:
        return Finding("no_evidence", [], f"No mention of {asked}")
    group = tuple(c.name for c in all_credentials().values() if c.group == cred.group and c.name != asked)
    for d, doc in enumerate(docs):
        for m in find_credentials(doc.clean, names=group):
            if m.status == "held":
                span = (d, *context(doc, m.start, m.end, doc.section_at(m.start)))
                return Finding("does_not", [span], f'Holds "{m.surface}" ({m.name}), not {asked}')
    return Finding("no_evidence", [], f"No mention of {asked}")


# ---- languages ---------------------------------------------------------------------------------------------
def eval_languages(tp: TermPlan, level: LanguageLevel | None, docs: Sequence[Document]) -> Finding:
    """Every asked language at the asked level: all met meets, none found is no evidence, anything between partly."""
    results = [_one_language(i, name, tp, level, docs) for i, name in enumerate(tp.names)]
    labels = {r.verdict for r in results}
    verdict: VerdictLabel = labels.pop() if len(labels) == 1 else "partly"
    spans = list(dict.fromkeys(s for r in results for s in r.spans))
    return Finding(verdict, spans[:3], "; ".join(r.reason for r in results))


def _one_language(index: int, name: str, tp: TermPlan, asked: LanguageLevel | None,
                  docs: Sequence[Document]) -> Finding:
    best: tuple[int, int, int, int, LanguageLevel | None] | None = None  # (rank, doc, start, end, level)
    for d, doc in enumerate(docs):
        for term, start, end, _surface in term_matches(tp, doc):
            if term != index or doc.section_at(start) == "education":
                continue
            found = level_near(doc.clean, start, end, _ANY_LANGUAGE_RE)
            rank = LEVEL_RANK[found] if found else 0
            if best is None or rank > best[0]:
                best = (rank, d, start, end, found)
    if best is None:
        return _english_by_text(name, asked, docs)
    rank, d, start, end, found = best
    doc = docs[d]
    span = (d, *context(doc, start, end, doc.section_at(start)))
    where = _where(doc, start)
    if found is None:
        if asked in ("fluent", "native"):
            return Finding("partly", [span], f"{name} listed in {where}, level not stated ({asked} asked)")
        return Finding("meets", [span], f"{name} listed in {where}")
    if asked is None or rank >= LEVEL_RANK[asked]:
        return Finding("meets", [span], f"{name} ({found}) in {where}")
    return Finding("partly", [span], f"{name} at {found} level in {where}, {asked} asked")


def _english_by_text(name: str, asked: LanguageLevel | None, docs: Sequence[Document]) -> Finding:
    """English not named: a profile written in English is evidence of professional English."""
    if name.lower() == "english" and docs and written_in_english(docs[0].clean):
        doc = docs[0]
        span = _prose_sentence(doc)
        if span is not None:
            verdict: VerdictLabel = "partly" if asked in ("fluent", "native") else "meets"
            tail = f", {asked} not stated" if verdict == "partly" else ""
            return Finding(verdict, [(0, *span)], f"Profile written in English (at least professional){tail}")
    return Finding("no_evidence", [], f"No mention of {name}")


def _prose_sentence(doc: Document) -> tuple[int, int] | None:
    """A sentence of the profile's own prose (summary or experience) to quote as written English."""
    for kind in ("summary", "experience", "body"):
        for lo, hi in doc.section_spans(kind):
            for m in re.finditer(r"[A-Z][^.\n]{25,}\.", doc.clean[lo:hi]):
                s, e = sentence_around(doc.clean, lo + m.start(), lo + m.end())
                return clip(doc, s, e, lo + m.start(), lo + m.end())
    return None


# ---- work authorisation ------------------------------------------------------------------------------------
def eval_authorization(country: str, candidate: Candidate, docs: Sequence[Document]) -> Finding:
    """A statement of the right to work in ``country``; being based there is partly."""
    place = COUNTRY_NAMES.get(country, country)
    place = f"the {place}" if place.startswith("United") else place
    based = (candidate.country or "").upper() == country
    for d, doc in enumerate(docs):
        for a in find_authorization(doc.clean):
            applies = a.country == country or (a.country is None and based)
            if not applies:
                continue
            span = (d, *clip(doc, a.start, a.end, a.start, a.end))
            quote = doc.clean[a.start:a.end]
            if a.held:
                return Finding("meets", [span], f'States "{quote}"')
            return Finding("does_not", [span], f'States "{quote}"')
    if based and docs:
        line = _location_span(docs[0], candidate)
        if line is not None:
            return Finding("partly", [(0, *line)], f"Based in {place}; work authorisation not stated")
    return Finding("no_evidence", [], f"No statement of work authorisation for {place}")


def _location_span(doc: Document, candidate: Candidate) -> tuple[int, int] | None:
    location = (candidate.location or "").strip()
    pos = doc.clean.find(location, 0, 800) if location else -1
    return (pos, pos + len(location)) if pos >= 0 else None
