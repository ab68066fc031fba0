"""What a term looks for: the one definition FTS5, PostgreSQL, the sparse index and the reference follow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tools.search.query.tokens import skill_slug, tokenize
from tools.search.query.tree import Term
from tools.text import fold


@dataclass(frozen=True)
class Probe:
    """One way a term can match: these tokens consecutively in one column (field None: any column)."""

    field: str | None  # None, or one of FIELDS ('skill' is the skills column of slugs)
    tokens: tuple[str, ...]
    prefix: bool  # the last token is a prefix
    form: str  # the surface form looked for (a skill's canonical name for the slug probe)


def _text_safe(form: str) -> bool:
    """Whether a skill's spelling can be searched as words: 'C++' (the token 'c'), '.net' and 'Go' cannot."""
    return not re.search(r"[+#]|^\.", form) and len(fold(form)) > 2


@lru_cache(maxsize=4096)
def term_probes(term: Term) -> tuple[Probe, ...]:
    """The alternatives (ORed) a term matches by, for FTS5, PostgreSQL and evaluate() alike."""
    if term.prefix:
        tokens = (skill_slug(term.text),) if term.field == "skill" else tokenize(term.text)
        found = [Probe(term.field, tokens, True, term.text)]
    elif term.skill:
        found = [Probe("skill", (skill_slug(term.skill),), False, term.skill)]
        if term.field is None:  # the skill, or any of its spellings anywhere
            found += [Probe(None, tokenize(f), False, f) for f in term.expansions if _text_safe(f)]
    elif term.field == "skill":  # a skill the taxonomy does not know: its words anywhere
        found = [Probe(None, tokenize(term.text), False, term.text)]
    else:
        found = [Probe(term.field, tokenize(f), False, f) for f in term.expansions]
    unique: dict[tuple, Probe] = {}
    for probe in found:
        if probe.tokens and all(probe.tokens):
            unique.setdefault((probe.field, probe.tokens, probe.prefix), probe)
    return tuple(unique.values())
