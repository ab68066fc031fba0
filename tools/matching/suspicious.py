"""Text addressed to an AI or hidden from a human reader: found, blanked before matching, and reported.

The finding lives with the resume reader (:mod:`tools.resumes.untrusted`, the filter every import goes through
before parsing); here :func:`region_warnings` is the one rule that tells the recruiter what was ignored, for the
classical matcher and for a model's judgement alike, and :func:`withheld_warnings` says the same of what the
importer kept out of a profile. :func:`identity_regions` are the candidate's name and contact data: masked for
the matcher and the evaluator model alike, so no qualification is ever met by a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.resumes.contact import identity_spans
from tools.resumes.untrusted import (
    LABEL_HIDDEN,
    LABEL_HIDDEN_TEXT,
    LABEL_INSTRUCTION,
    blank,
    sentence_around,
    suspicious_regions,
)

__all__ = [
    "LABEL_HIDDEN", "LABEL_IDENTITY", "LABEL_INSTRUCTION", "blank", "identity_regions", "mask_identity",
    "region_warnings", "sentence_around", "suspicious_regions", "withheld_warnings",
]

LABEL_IDENTITY = "name or contact data"

_HIDDEN_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")


def region_warnings(regions: Sequence[tuple[int, int, str]], text: str, where: str = "") -> list[str]:
    """What was ignored, for the recruiter: the passages addressed to an AI (the first one quoted, without
    hidden characters, at most 80 characters) and the runs of hidden characters outside those passages.

    ``regions`` are :func:`suspicious_regions` of ``text``; ``where`` names a source other than the profile
    (" in the resume").
    """
    instructions = [(s, e) for s, e, label in regions if label == LABEL_INSTRUCTION]
    hidden = [(s, e) for s, e, label in regions if label == LABEL_HIDDEN
              and not any(a <= s and e <= b for a, b in instructions)]
    warnings = []
    if instructions:
        s, e = instructions[0]
        quote = _clip(" ".join(_HIDDEN_RE.sub("", text[s:e]).split()))
        noun = "passage" if len(instructions) == 1 else "passages"
        warnings.append(f'Ignored {len(instructions)} {noun} addressed to an AI{where}: "{quote}"')
    if hidden:
        noun = "run" if len(hidden) == 1 else "runs"
        warnings.append(f"Ignored {len(hidden)} {noun} of zero-width or direction-control characters{where}")
    return warnings


def _clip(quote: str, limit: int = 80) -> str:
    return quote if len(quote) <= limit else quote[:limit - 3].rstrip() + "..."


def identity_regions(text: str, full_name: str | None = None, *,
                     name_line: bool = True) -> list[tuple[int, int, str]]:
    """The candidate's name (its line at the top, with ``name_line``, and wherever ``full_name`` is written) and
    contact data, labelled :data:`LABEL_IDENTITY`."""
    spans = identity_spans(text, full_name, name_line=name_line)
    return [(s, e, LABEL_IDENTITY) for s, e in spans]


def mask_identity(text: str, full_name: str | None = None) -> str:
    """``text`` with the name and contact data replaced by spaces (offsets kept): what an evaluator model reads."""
    return blank(text, identity_regions(text, full_name))


def withheld_warnings(withheld: Sequence[tuple[str, str]]) -> list[str]:
    """What the importer kept out of a profile (``(label, text)`` pairs), in :func:`region_warnings`' words."""
    passages = [text for label, text in withheld if label == LABEL_INSTRUCTION]
    hidden = [text for label, text in withheld if label == LABEL_HIDDEN_TEXT]
    warnings = []
    if passages:
        quote = _clip(passages[0])
        noun = "passage" if len(passages) == 1 else "passages"
        warnings.append(f'Ignored {len(passages)} {noun} addressed to an AI (kept out of the profile): "{quote}"')
    if hidden:
        noun = "passage" if len(hidden) == 1 else "passages"
        warnings.append(f"Ignored {len(hidden)} {noun} of hidden text (kept out of the profile)")
    return warnings
