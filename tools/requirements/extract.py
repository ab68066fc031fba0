"""Requirement extraction: a request or a pasted job description read with rules and the taxonomy only."""

from __future__ import annotations

import re

from tools.credentials import find_credentials
from tools.hiring import HiringRequirements
from tools.requirements.credentials import apply_kinds, read_kinds
from tools.requirements.document import overlaps, parse
from tools.requirements.facts import find_languages, find_leftovers, find_remote, find_years
from tools.requirements.infer import clarifying_questions, infer
from tools.requirements.place import find_country, find_place
from tools.requirements.role import find_role, seniority_nearby, without_licence
from tools.requirements.skills import (
    find_nice_spans,
    keep_mention,
    names_skill,
    phrase_skills,
    split_at_brackets,
    split_skills,
)
from tools.taxonomy import Taxonomy, higher_seniority, load

_QUALIFIER_RE = re.compile(r"\s*\([a-z][a-z &/-]{0,30}\)")  # lower-case words: not '(m/f/d)' nor '(AWS)'


def extract_requirements(text: str, taxonomy: Taxonomy | None = None) -> HiringRequirements:
    """Read a recruiter's request or a pasted job description into :class:`HiringRequirements`."""
    taxonomy = taxonomy or load()
    doc = parse(text or "")
    role = find_role(doc, taxonomy)
    credentials = find_credentials(text, role.code if role else None)
    credential_spans = [(c.start, c.end) for c in credentials]
    role = without_licence(role, text, credential_spans, taxonomy) if role else None
    role_span = [(role.start, role.end + _qualifier_after(text, role.end))] if role else []
    languages, language_spans = find_languages(doc)
    place = find_place(doc, taxonomy, role_span + language_spans, role)
    place_spans = [(place[1], place[2])] if place else []
    country = place[0].country if place else None
    if place is None and (found := find_country(text, role_span + language_spans)):
        country = found[0]
        place_spans = [(found[1], found[2])]
    mentions = [m for m in split_at_brackets(taxonomy.extract_skills(text), taxonomy) if names_skill(m, taxonomy)
                and keep_mention(m, text, taxonomy, role, language_spans + place_spans + credential_spans)]
    all_years = find_years(text, [])
    mentions = phrase_skills(doc, mentions, role_span + language_spans + place_spans + credential_spans,
                             [(y.start, y.end) for y in all_years])
    nice_spans = find_nice_spans(doc, mentions)
    kinds = read_kinds(doc, credentials, nice_spans, country)
    years = [y for y in all_years if not overlaps((y.start, y.end), nice_spans)]
    must, nice = split_skills(mentions, nice_spans)
    covered = role_span + language_spans + place_spans + [(m.start, m.end) for m in mentions]
    covered += [(y.start, y.end) for y in years] + kinds.spans
    stated_years = max(years, key=lambda y: y.low) if years else None
    seniority = higher_seniority(role.seniority if role else None, seniority_nearby(doc, role))
    leftovers = find_leftovers(doc, covered, nice_spans, role_span + place_spans)
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
        remote=find_remote(text),
        must_skills=must,
        nice_skills=nice,
        languages=languages,
        other=leftovers.other,
        not_understood=leftovers.not_understood,
    )
    apply_kinds(req, kinds)
    infer(req, taxonomy)
    req.questions = clarifying_questions(req)
    return req


def _qualifier_after(text: str, end: int) -> int:
    """Length of a parenthesised qualifier right after the role, part of the title: 'Project Manager (retail)'."""
    m = _QUALIFIER_RE.match(text, end)
    return m.end() - end if m else 0


# Short words a role finder may read as a title abbreviation ("do" as Doctor of Osteopathy) in ordinary talk.
_PLAIN_WORDS = frozenset({"do", "go", "it", "is", "am", "be", "me", "us", "we", "so", "no", "ok", "hi", "pa", "ma"})


def role_named(text: str, taxonomy: Taxonomy | None = None) -> str | None:
    """The title of the occupation a short message names ("Medical social worker in Boston"), or ``None``."""
    role = find_role(parse(text or ""), taxonomy or load())
    return role.title if role is not None and role.title.lower() not in _PLAIN_WORDS else None
