"""Contact data: e-mail addresses, URLs and phone numbers, found so that no parsed field carries them; and the
candidate's name, found so that no qualification is ever matched or quoted in it (:func:`identity_spans`)."""

from __future__ import annotations

import re

from tools.spans import merge_spans

__all__ = ["contact_spans", "find_name_line", "identity_spans", "one_line", "scrub"]

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
# Every URL the pattern finds holds one of these (a cheap test before the pattern runs).
_URL_MARKS = ("://", "www.", ".co", ".org", ".io", ".in", ".uk", ".de", ".edu", ".gov", ".me", ".dev", ".ai",
              ".net")


def contact_spans(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses, URLs and phone numbers."""
    spans = [m.span() for m in _EMAIL_RE.finditer(text)] if "@" in text else []
    lower = text.lower()
    if any(mark in lower for mark in _URL_MARKS):
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


_NAME_LABEL_RE = re.compile(r"^[ \t*#>_-]*(?:full[ \t]+)?name[ \t*_]*:[ \t*_]*(?P<name>[^\n|]{2,80}?)[ \t*_]*$",
                            re.IGNORECASE | re.MULTILINE)
_NAME_WORD_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*|(?:de|da|del|della|di|du|la|le|van|von|der|den|bin|binti|al|el|y)"
                           r"|[A-Z]\.")
_NOT_NAMES = frozenset({"resume", "résumé", "curriculum vitae", "cv", "personal information", "personal details",
                        "contact", "contact information", "profile", "biodata", "personal data"})
_FIELD_SPLIT_RE = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+|\s{3,}")
_HEAD_LINES = 4  # non-empty lines at the top where the name stands


def _name_shaped(piece: str) -> bool:
    """Two to five capitalised words (particles such as "van" allowed), no digits, not a section label."""
    words = piece.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in piece) or "@" in piece or ":" in piece:
        return False
    if piece.strip(" *#_[]:").lower() in _NOT_NAMES:
        return False
    return all(_NAME_WORD_RE.fullmatch(w) for w in words) and words[0][0].isupper()


def find_name_line(text: str) -> tuple[int, int] | None:
    """Where the candidate's name stands: a "Name: ..." label near the top, else the first of the first lines
    (Markdown marks and a "Resume" title skipped) whose first field is shaped like a name."""
    head = text[:1500]
    m = _NAME_LABEL_RE.search(head)
    if m is not None and _name_shaped(m.group("name").strip(" *_")):
        s = m.start("name")
        value = m.group("name").rstrip(" *_")
        return s, s + len(value)
    pos, seen = 0, 0
    while pos < len(head) and seen < _HEAD_LINES:
        end = head.find("\n", pos)
        end = len(head) if end < 0 else end
        line = head[pos:end]
        stripped = line.strip(" \t*#_[]>=-")
        if stripped:
            seen += 1
            first = _FIELD_SPLIT_RE.split(stripped)[0].strip(" ,*_")
            if _name_shaped(first):
                s = pos + line.index(first)
                return s, s + len(first)
            if stripped.lower() not in _NOT_NAMES:
                return None
        pos = end + 1
    return None


def _bare_domain(piece: str) -> bool:
    """"ddlsoftware.com": a product or company named by its domain, which a skill may include; not contact data."""
    return re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", piece) is not None and re.search(r"[A-Za-z]", piece) is not None


def identity_spans(text: str, full_name: str | None = None, *, name_line: bool = True) -> list[tuple[int, int]]:
    """The spans no qualification may match in: contact data, the name line's name (with ``name_line``), and
    every other place the name (the stored ``full_name`` or the name line's) is written in full."""
    spans = [(s, e) for s, e in contact_spans(text) if not _bare_domain(text[s:e])]
    names = {" ".join(full_name.split())} if full_name and full_name.strip() else set()
    where = find_name_line(text) if name_line else None
    if where is not None:
        spans.append(where)
        names.add(" ".join(text[where[0]:where[1]].split()))
    lower = text.lower()
    for name in names:
        spans += _written(text, lower, name)
    return merge_spans(spans)


def _written(text: str, lower: str, name: str) -> list[tuple[int, int]]:
    """Where ``name`` is written as whole words, in any case (``lower`` is ``text.lower()``)."""
    needle = name.lower()
    if len(needle) < 3 or len(lower) != len(text):
        return []
    found, pos = [], lower.find(needle)
    while pos >= 0:
        end = pos + len(needle)
        if not (pos and lower[pos - 1].isalnum()) and not (end < len(lower) and lower[end].isalnum()):
            found.append((pos, end))
        pos = lower.find(needle, end)
    return found


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

