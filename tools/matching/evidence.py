"""Where evidence is found and how it is quoted: one source text read lazily, and evidence spans cut from it.

:class:`Document` is one source (the profile, an uploaded resume, a note) with its suspicious regions, the
candidate's name and contact data blanked and Markdown marks turned to spaces (offsets kept), read with the
one resume-layout reader (:mod:`tools.resumes.layout`): its sections (headings that stand alone on their
line), its experience entries (:class:`Block`: a header line and a date range) and its
"N years of experience" phrase, each found when first asked for. :func:`context` and :func:`clip` turn a
mention into a quote: its list item or sentence, off suspicious regions, at most :data:`MAX_QUOTE` characters.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tools.hiring import Evidence
from tools.matching.suspicious import blank, identity_regions, sentence_around, suspicious_regions
from tools.resumes.layout import RANGE_RE, YEAR, find_headings, find_ranges, is_heading_line
from tools.resumes.marks import unmark

__all__ = [
    "MAX_QUOTE", "Block", "Document", "clip", "context", "evidence_at", "glued", "header_company", "without_dates",
]

MAX_QUOTE = 200

# "N years of (relevant) experience": the words are found first (a fast literal scan), then the number before.
_YEARS_WORDS = r"(?:years?|yrs?\.?)\s+(?:of\s+)?(?:[a-z-]+\s+){0,3}?experience"
_YEARS_RE = re.compile(_YEARS_WORDS)
_YEARS_RE_I = re.compile(_YEARS_WORDS, re.I)
_NUMBER_TAIL_RE = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*\+?\s*$")
_YEARS_OF_RE = re.compile(r"experience\s+of\s+(?P<n>\d{1,2}(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?)\b", re.I)
_HAS_YEAR_RE = re.compile(YEAR)  # a cheap test before looking for date ranges


@dataclass(frozen=True, slots=True)
class Block:
    """One experience entry: where it starts and ends, its header line and its date range."""

    start: int
    end: int
    header: tuple[int, int]
    dates: tuple[int, int]
    first: tuple[int, int]  # (year, month) of the start
    last: tuple[int, int] | None  # None = present


class Document:
    """A source text with suspicious regions, the name and contact data blanked, plus its sections, entries and
    sentences on demand. ``name`` is the candidate's stored full name (masked wherever it is written)."""

    __slots__ = ("source", "text", "clean", "lower", "regions", "_starts", "_kinds", "_blocks", "_years")

    def __init__(self, source: str, text: str, name: str | None = None) -> None:
        self.source = source
        self.text = text
        identity = identity_regions(text, name, name_line=source != "note")
        self.regions = sorted(suspicious_regions(text) + identity)
        self.clean = unmark(blank(text, self.regions))
        lower = self.clean.lower()
        self.lower: str | None = lower if len(lower) == len(self.clean) else None  # offsets must line up
        self._starts: list[int] | None = None
        self._kinds: list[str] = []
        self._blocks: list[Block] | None = None
        self._years: tuple | None = None

    # -- sections --
    def _sections(self) -> list[int]:
        if self._starts is None:
            found = [(start, kind) for start, _end, kind in find_headings(self.clean, alone=True, lower=self.lower)]
            if found and found[0][0] > 0 and (found[0][0] > 600 or self.clean.count("\n", 0, found[0][0]) > 8):
                found.insert(0, (0, "body"))  # a long text before the first heading is resume text, not a header
            self._starts = [start for start, _kind in found]
            self._kinds = [kind for _start, kind in found]
        return self._starts

    def section_at(self, pos: int) -> str:
        if self.source == "note":
            return "note"
        starts = self._sections()
        if not starts:
            return "body"
        i = bisect.bisect_right(starts, pos) - 1
        return "header" if i < 0 else self._kinds[i]

    def section_spans(self, kind: str) -> list[tuple[int, int]]:
        starts = self._sections()
        if not starts:
            return [(0, len(self.clean))] if kind in ("body", "experience") else []
        bounds = [*starts, len(self.clean)]
        return [(bounds[i], bounds[i + 1]) for i, k in enumerate(self._kinds) if k == kind]

    def header_lines(self) -> list[tuple[int, int]]:
        """Non-empty lines before the first heading (name, headline, location), at most six."""
        starts = self._sections()
        if not starts or starts[0] == 0 or self.source == "note":
            return []
        return _lines_in(self.clean, 0, starts[0])[:6]

    # -- experience entries --
    def blocks(self) -> list[Block]:
        if self._blocks is None:
            self._blocks = self._find_blocks()
        return self._blocks

    def _find_blocks(self) -> list[Block]:
        areas = self.section_spans("experience") or self.section_spans("body")
        found = []
        for lo, hi in areas:
            for r in find_ranges(self.clean, lo, hi):
                last = None if r.end is None else (r.end.year, r.end.month)
                header = _header_line(self.clean, r.span[0], r.span[1], lo)
                found.append((header, hi, r.span, (r.start.year, r.start.month), last))
        blocks = []
        for i, (header, hi, dates, first, last) in enumerate(found):
            end = found[i + 1][0][0] if i + 1 < len(found) and found[i + 1][0][0] > header[0] else hi
            blocks.append(Block(header[0], end, header, dates, first, last))
        return blocks

    def company_at(self, pos: int) -> str | None:
        for b in self.blocks():
            if b.start <= pos < b.end:
                return header_company(self.clean[b.header[0]:b.header[1]])
        return None

    def _year_phrases(self) -> list[tuple[int, int, float]]:
        text = self.lower if self.lower is not None else self.clean
        found = []
        for m in (_YEARS_RE if self.lower is not None else _YEARS_RE_I).finditer(text):
            left = text[max(0, m.start() - 12):m.start()]
            number = _NUMBER_TAIL_RE.search(left)
            if number is not None:
                start = m.start() - len(left) + number.start()
                if not glued(text, start, "."):
                    found.append((start, m.end(), float(number.group(1))))
        if not found and "experience of" in text.lower():
            found = [(m.start(), m.end(), float(m.group("n"))) for m in _YEARS_OF_RE.finditer(text)]
        return found

    def years_phrase(self) -> tuple[int, int, float] | None:
        """The first "N years of experience" phrase, preferring the summary and headline."""
        if self._years is None:
            best: tuple[int, int, int, float] | None = None
            for start, end, value in self._year_phrases():
                rank = 0 if self.section_at(start) in ("summary", "header", "body") else 1
                if best is None or rank < best[0]:
                    best = (rank, start, end, value)
            self._years = (best[1:],) if best else (None,)
        return self._years[0]


def glued(text: str, start: int, extra: str = "") -> bool:
    """Whether the character before ``start`` is part of a word (a match there is not a whole word)."""
    if start == 0:
        return False
    ch = text[start - 1]
    return ch.isalnum() or ch == "_" or ch in extra


def _lines_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    lines, pos = [], lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        s, e = _strip(text, pos, end)
        if e > s:
            lines.append((s, e))
        pos = end + 1
    return lines


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "•·*-–—|,;:"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "•·*-–—|,;:"):
        e -= 1
    return s, e


def _header_line(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """The entry header for a date range: its own line when it holds more than the dates, else the line above."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    rest = (text[ls:start] + text[end:le]).strip(" \t,|-–—()")
    if len(rest) >= 3:
        return _strip(text, ls, le)
    prev_end = ls - 1
    while prev_end > floor:
        prev_start = text.rfind("\n", 0, prev_end) + 1
        s, e = _strip(text, prev_start, prev_end)
        if e > s:
            return (s, e) if not is_heading_line(text, prev_start, prev_end) else (ls, le)
        prev_end = prev_start - 1
    return _strip(text, ls, le)


def without_dates(line: str) -> str:
    """``line`` with its date ranges replaced by a space."""
    return RANGE_RE.sub(" ", line) if _HAS_YEAR_RE.search(line) else line


def header_company(header: str) -> str | None:
    """The employer in an entry's header line ("Engineer at Acme, Berlin" → "Acme"), or None."""
    header = without_dates(header).strip(" ,|-–—")
    for sep in (" at ", " @ ", " | ", " – ", " — ", " - ", ", "):
        if sep in header:
            name = header.split(sep, 1)[1].split(" | ")[0].split(", ")[0].strip()
            return name if name and len(name) <= 60 else None
    return None


# =========================================================================================================
# Evidence spans
# =========================================================================================================
def context(doc: Document, start: int, end: int, section: str) -> tuple[int, int]:
    """The mention extended to its list item (skills lists, comma lists) or sentence, at most 200 chars."""
    text = doc.clean
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    if section in ("skills", "languages"):
        s = max(text.rfind(ch, ls, start) for ch in ",;|•·") + 1
        s = max(s, ls)
        ends = [p for p in (text.find(ch, end, le) for ch in ",;|•·") if p >= 0]
        e = min(ends) if ends else le
    else:
        s, e = sentence_around(text, start, end)
    return clip(doc, s, e, start, end)


def clip(doc: Document, s: int, e: int, ms: int, me: int) -> tuple[int, int]:
    """Keep the span off suspicious regions and within MAX_QUOTE chars around the mention; trim blanks."""
    for rs, re_, _label in doc.regions:
        if re_ <= ms and re_ > s:
            s = re_
        elif rs >= me and rs < e:
            e = rs
    text = doc.clean
    if e - s > MAX_QUOTE:
        room = MAX_QUOTE - (me - ms)
        s2 = max(s, ms - room // 2)
        e2 = min(e, s2 + MAX_QUOTE)
        s2 = max(s, e2 - MAX_QUOTE)
        if s2 > s:
            sp = text.find(" ", s2, ms)
            s2 = sp + 1 if sp >= 0 else s2
        if e2 < e:
            sp = text.rfind(" ", me, e2)
            e2 = sp if sp >= 0 else e2
        s, e = s2, e2
    while s < ms and text[s] in " \t\r\n,;|•·*-–—":
        s += 1
    while e > me and text[e - 1] in " \t\r\n,;|•·*":
        e -= 1
    return s, e


def evidence_at(doc: Document, s: int, e: int) -> Evidence:
    """The evidence for ``doc.text[s:e]``, quoted verbatim from the original text."""
    return Evidence(source=doc.source, start=s, end=e, quote=doc.text[s:e])  # type: ignore[arg-type]
