"""Where a query's terms occur in a profile's text: the matched terms of a hit, and the spans to highlight."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from tools.search.query.columns import ProfileDoc
from tools.search.query.grammar import ParsedQuery
from tools.search.query.probes import Probe, term_probes
from tools.search.query.reference import document_columns, probe_columns
from tools.search.query.tokens import is_token_char, token_spans
from tools.search.query.tree import Term
from tools.search.types import MatchedTerm
from tools.text import fold, fold_with_origin

_MATCH_FIELD = {"title": "title", "skills": "skill", "company": "company", "school": "school",
                "location": "location", "body": "text"}


def _original_span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    s, e = origin[start], origin[end - 1] + 1
    while e < len(text) and unicodedata.combining(text[e]):
        e += 1
    return s, e


def _form_spans(text: str, folded: str, origin: list[int], form: str,
                skill: bool = False) -> Iterator[tuple[int, int]]:
    """Occurrences of a surface form in text, case- and accent-insensitive, not inside a longer word.

    A skill's spellings of one or two letters ('Go', 'R', 'C#') must match their case: 'go' in 'ready to go'
    is no skill.
    """
    form = " ".join(form.split())
    target = fold(form)
    if not target:
        return
    exact_case = skill and len(target) <= 2
    at = folded.find(target)
    while at >= 0:
        end = at + len(target)
        starts_word = at == 0 or not (is_token_char(target[0]) and is_token_char(folded[at - 1]))
        ends_word = end == len(folded) or not (is_token_char(target[-1]) and is_token_char(folded[end]))
        if starts_word and ends_word:
            s, e = _original_span(text, origin, at, end)
            if fold(text[s:e]) == target and (not exact_case or text[s:e] == form):
                yield s, e
        at = folded.find(target, at + 1)


def _prefix_spans(text: str, folded: str, origin: list[int], probe: Probe) -> Iterator[tuple[int, int]]:
    """Occurrences of a prefix probe: consecutive tokens, the last one starting with the prefix."""
    spans = list(token_spans(folded))
    words = [folded[s:e] for s, e in spans]
    n = len(probe.tokens)
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] == list(probe.tokens[:-1]) and words[i + n - 1].startswith(probe.tokens[-1]):
            yield _original_span(text, origin, spans[i][0], spans[i + n - 1][1])


def match_terms(q: ParsedQuery, doc: ProfileDoc) -> list[MatchedTerm]:
    """Which positive terms matched in which field, with the span of the matched form in doc.raw_text."""
    columns = document_columns(doc)
    folded, origin = fold_with_origin(doc.raw_text)
    found: dict[tuple[str, str], MatchedTerm] = {}
    for term in dict.fromkeys(q.positive_terms()):
        for probe in term_probes(term):
            hit_columns = probe_columns(probe, columns)
            if not hit_columns:
                continue
            form, span = _located_form(term, probe, doc.raw_text, folded, origin)
            for column in hit_columns:
                field = _MATCH_FIELD[column]
                start, end = span if span else (None, None)
                found.setdefault((form, field), MatchedTerm(term=form, field=field, start=start, end=end))
    return list(found.values())


def _located_form(term: Term, probe: Probe, text: str, folded: str,
                  origin: list[int]) -> tuple[str, tuple[int, int] | None]:
    """The form a matched probe stands for, and its first span in text (None when text lacks it)."""
    if probe.prefix:
        span = next(_prefix_spans(text, folded, origin, probe), None)
        return (text[span[0]:span[1]], span) if span else (f"{term.text}*", None)
    # a skill found by its slug is shown by whichever of its spellings the text uses first
    forms = term.expansions if probe.field == "skill" and term.skill else (probe.form,)
    located = []
    for form in forms:
        span = next(_form_spans(text, folded, origin, form, skill=term.skill is not None), None)
        if span is not None:
            located.append((span, form))
    if not located:
        return probe.form, None
    span, form = min(located)
    return form, span


def highlight_spans(q: ParsedQuery, text: str) -> list[tuple[int, int]]:
    """Every occurrence in text of every positive term's spellings: sorted, non-overlapping."""
    folded, origin = fold_with_origin(text)
    spans: set[tuple[int, int]] = set()
    for term in dict.fromkeys(q.positive_terms()):
        if term.prefix:
            for probe in term_probes(term):
                spans.update(_prefix_spans(text, folded, origin, probe))
            continue
        for form in term.expansions:
            spans.update(_form_spans(text, folded, origin, form, skill=term.skill is not None))
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    return chosen
