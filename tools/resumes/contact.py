"""Contact data: e-mail addresses, URLs and phone numbers, found so that no parsed field carries them."""

from __future__ import annotations

import re

from tools.spans import merge_spans

__all__ = ["contact_spans", "one_line", "scrub"]

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:)\]]"
    r"|\b(?:linkedin|github|gitlab|twitter|facebook|instagram|behance|dribbble|medium|stackoverflow)"
    r"\.(?:com|io|in)\S*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|io|co|in|uk|de|edu|gov|me|dev|ai|net)/\S*"
    r"|\b[\w-]+\.(?:com|org|io|co\.uk|co\.in)\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?<![\w/.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s.-]{6,}\d(?![\w/])")
_YEAR_GROUP_RE = re.compile(r"(?:19|20)\d\d")


def contact_spans(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses, URLs and phone numbers."""
    spans = [m.span() for m in _EMAIL_RE.finditer(text)]
    spans += [m.span() for m in _URL_RE.finditer(text)]
    for m in _PHONE_RE.finditer(text):
        groups = re.findall(r"\d+", m.group())
        digits = sum(len(g) for g in groups)
        if not 9 <= digits <= 15:
            continue
        if all(len(g) == 4 and _YEAR_GROUP_RE.fullmatch(g) for g in groups):
            continue  # a list of years
        if "." in m.group() and not m.group().startswith("+") and len(groups) == 2:
            continue  # a decimal number
        spans.append(m.span())
    return merge_spans(spans)


def scrub(text: str) -> str:
    """``text`` without contact data, runs of spaces collapsed, outer whitespace stripped."""
    for start, end in reversed(contact_spans(text)):
        text = text[:start] + text[end:]
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r"\n[ ]+", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip(" \n,;|-–—")


def one_line(text: str | None, limit: int = 160) -> str | None:
    """A short field: contact data removed, whitespace collapsed, stray punctuation trimmed."""
    if text is None:
        return None
    value = re.sub(r"\s+", " ", scrub(text)).strip(" ,;:|-–—－•*·.")
    if value and text.rstrip().endswith(".") and re.search(r"\b[A-Z][a-z]{0,3}$|\b[A-Z]$", value):
        value += "."  # keep the full stop of an abbreviation (Ltd., Inc., B.Sc.)
    value = value.strip()
    return value[:limit].rstrip() if value else None

