"""Text folding, the one rule every matcher uses: case and accents do not matter (``Zürich`` finds ``Zurich``),
while characters that have no accent to drop (CJK, Cyrillic, Arabic) stay as they are.

Three shapes of the same rule: :func:`fold` for comparing, :func:`fold_with_origin` when a match in the folded
text must be mapped back to the original characters (highlighting, evidence offsets), and
:func:`strip_accents_aligned` when the case must stay and offsets must not move (location mentions).
"""

from __future__ import annotations

import unicodedata


def strip_accents(text: str) -> str:
    """Compatibility decomposition without combining marks: ``"Zürich"`` → ``"Zurich"``."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case-folded, accents dropped: ``"Zürich"`` → ``"zurich"``; CJK and Cyrillic stay."""
    if text.isascii():
        return text.lower()
    return strip_accents(strip_accents(text).casefold())


def fold_with_origin(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, per folded character, the index of the original character it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces, origin = [], []
    for i, ch in enumerate(text):
        folded = fold(ch)
        pieces.append(folded)
        origin.extend([i] * len(folded))
    return "".join(pieces), origin


def strip_accents_aligned(text: str) -> str:
    """Accents dropped one character for one, case kept, so offsets still point into the original text."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        stripped = strip_accents(ch)
        out.append(stripped if len(stripped) == 1 else ch)
    return "".join(out)
