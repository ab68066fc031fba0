"""Experience entries of a resume: title, employer, dates and description of each position.

In an experience section every header chunk (text between line breaks or 2+ space runs, not a sentence) that
holds a date range, or is a lone date, anchors one entry; when most anchors are the date alone (livecareer),
dates inside description text are ignored. The header fields around the anchor follow one layout per resume,
learnt from the first entry: the number of header chunks before the date, then header chunks after it until
a description starts (see :mod:`tools.resumes.fields` for the pieces of a header). The labelled layout
"company - X / description - ..." makes one entry per "company -" line, with the dates found in its
description and a title from a "Designation:/Role:" label, a title-only first line or "working as <title> at
..."; the Details profile's "title - employer" line names the title of the matching employer
(:mod:`tools.resumes.details`). Entries are returned most recent first (a resume listed oldest first is
reversed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tools.resumes.contact import one_line, scrub
from tools.resumes.fields import header_fields, header_like, is_company, is_location_chunk, title_head_last
from tools.resumes.layout import (
    Chunk,
    DateRange,
    Section,
    chunk_text,
    find_ranges,
    is_bullet,
    lone_dates,
    trim,
)

__all__ = ["Entry", "ParsedExperience", "experience_entries", "order_recent_first", "to_experience"]


@dataclass(frozen=True)
class ParsedExperience:
    title: str | None
    company: str | None
    start: dt.date | None
    end: dt.date | None  # None when current
    is_current: bool
    description: str
    span: tuple[int, int]  # the entry in raw_text


@dataclass
class Entry:
    title: str | None
    company: str | None
    ranges: list[DateRange]
    span: tuple[int, int]
    body: tuple[int, int]


_LABEL_TITLE_RE = re.compile(
    r"(?im)^[ •*-]*(?:designation|role|position|job title|current role|working as)\s*[:\-–]\s*([^\n]{2,80})$"
)


_WORKING_AS_RE = re.compile(
    r"\b(?:working|worked|work|joined|employed|serving|served|job)\s+as\s+(?:an?\s+)?"
    r"(?P<t>[A-Za-z][\w./&-]*(?:\s+[A-Za-z][\w./&-]*){0,4}?)\s*(?:\bat\b|\bin\b|\bwith\b|\bfor\b|\bfrom\b"
    r"|\bsince\b|[,.(]|$)",
    re.IGNORECASE | re.MULTILINE,
)


def _described_title(text: str, start: int, end: int) -> str | None:
    """A job title stated in a description: a "Designation:/Role:/Position:" label, a first line that is
    just a title ("Jr. Java Developer"), or "working as (a) <title> at/in/with ...", in that order."""
    label = _LABEL_TITLE_RE.search(text, start, end)
    if label and len(label.group(1).split()) <= 8:
        return one_line(label.group(1))
    first_line = text[start:end].strip().split("\n", 1)[0].strip(" •*-·")
    first_line = re.sub(r"^(?:\d+[.)]\s*)?(?:(?:i am|i'm|as)\s+)?(?:an?\s+)?", "", first_line, flags=re.I)
    if (
        first_line and len(first_line.split()) <= 5 and not re.search(r"\d", first_line)
        and title_head_last(first_line.rstrip("."))
    ):
        return one_line(first_line)
    working = _WORKING_AS_RE.search(text, start, end)
    if working and title_head_last(working.group("t")):
        return one_line(working.group("t"))
    return None


def _labelled_entries(text: str, start: int, end: int) -> list[Entry] | None:
    """The "company - X / description - ..." layout: one entry per "company -" line, or None."""
    heads = list(re.finditer(r"(?im)^[ \t]*company[ \t]*-[ \t]*([^\n]*)$", text[start:end]))
    if not heads:
        return None
    entries = []
    for i, m in enumerate(heads):
        s = start + m.start()
        e = start + heads[i + 1].start() if i + 1 < len(heads) else end
        body_start = start + m.end()
        desc = re.match(r"\s*description[ \t]*-[ \t]*", text[body_start:e], re.IGNORECASE)
        if desc:
            body_start += desc.end()
        s, e = trim(text, s, e)
        ranges = find_ranges(text, body_start, e)
        title = _described_title(text, body_start, e)
        company = m.group(1)
        entries.append(Entry(one_line(title), one_line(company), ranges, (s, e), (body_start, e)))
    return entries


def _anchor_chunks(text: str, chunks: list[Chunk], ranges: list[DateRange]) -> list[int]:
    """Indices of header chunks that hold a date range: one entry each.

    A chunk qualifies when the text around its date is empty or reads like a header (short, capitalised,
    not a sentence ending in "."). When at least two thirds of them are the date alone (livecareer layout),
    only such chunks count, so a "(2011-2015)" inside a description does not start an entry."""
    pure: list[int] = []
    mixed: list[int] = []
    for i, c in enumerate(chunks):
        inside = [r for r in ranges if c.start <= r.span[0] and r.span[1] <= c.end]
        if not inside or is_bullet(c.text):
            continue
        rest = text[c.start:inside[0].span[0]] + " " + text[inside[0].span[1]:c.end]
        rest = re.sub(r"[()\[\]|,:–—.-]+", " ", rest).strip()
        if not rest:
            pure.append(i)
        elif inside[0].end is not None or inside[0].is_current:
            if not c.text.rstrip().endswith(".") and header_like(Chunk(c.start, c.end, rest)):
                mixed.append(i)
    if pure and len(pure) >= 2 * len(mixed):
        return pure
    return sorted(pure + mixed)


def _date_anchored_entries(text: str, start: int, end: int) -> list[Entry]:
    """Entries of an experience section anchored on date ranges (see the module doc)."""
    ranges = find_ranges(text, start, end)
    ranges += lone_dates(text, start, end, ranges)
    if not ranges:
        return []
    chunks = chunk_text(text, start, end, [r.span for r in ranges])
    anchors = _anchor_chunks(text, chunks, ranges)
    if not anchors:
        return []
    n_before = 0
    while n_before < min(5, anchors[0]) and header_like(chunks[anchors[0] - n_before - 1]):
        n_before += 1
    firsts: list[int] = []
    for k, a in enumerate(anchors):
        floor = anchors[k - 1] + 1 if k else 0
        first = a
        while first > floor and a - first < n_before and header_like(chunks[first - 1]):
            first -= 1
        firsts.append(first)
    entries = []
    for k, a in enumerate(anchors):
        stop = firsts[k + 1] if k + 1 < len(anchors) else len(chunks)
        header = list(range(firsts[k], a + 1))
        title, company, certain = _fields_for(text, chunks, header, ranges)
        nxt = a + 1
        while nxt < stop and nxt - a <= 4 and header_like(chunks[nxt]):
            done = title is not None and company is not None
            if done and not is_location_chunk(chunks[nxt].text) and (
                certain or not is_company(chunks[nxt].text, strong_only=True)
            ):
                break
            header.append(nxt)
            title, company, certain = _fields_for(text, chunks, header, ranges)
            nxt += 1
        # The entry runs to the next entry's first header chunk (or the end of the section).
        entry_end = chunks[stop].start if stop < len(chunks) else end
        span = trim(text, chunks[firsts[k]].start, entry_end)
        body_start = chunks[nxt].start if nxt < stop else chunks[header[-1]].end
        own = [r for r in ranges if chunks[a].start <= r.span[0] < chunks[a].end]
        entries.append(Entry(title, company, own[:1], span, (min(body_start, span[1]), span[1])))
    return entries


def _fields_for(
    text: str, chunks: list[Chunk], idx: list[int], ranges: list[DateRange]
) -> tuple[str | None, str | None, bool]:
    """Title and company from header chunks, with the date ranges cut out (see header_fields)."""
    texts = []
    for i in idx:
        c = chunks[i]
        piece = c.text
        for r in sorted((r for r in ranges if c.start <= r.span[0] < c.end), key=lambda r: -r.span[0]):
            a, b = r.span[0] - c.start, min(r.span[1], c.end) - c.start
            piece = piece[:a] + " | " + piece[b:]
        texts.append(piece)
    return header_fields(texts)


def to_experience(text: str, entry: Entry) -> ParsedExperience | None:
    start = min((r.start for r in entry.ranges), default=None)
    current = any(r.is_current for r in entry.ranges)
    ends = [r.end for r in entry.ranges if r.end is not None]
    end = None if current or not ends else max(ends)
    if start is not None and end is not None and end < start:
        end = None
    if entry.title is None and entry.company is None and start is None:
        return None
    description = scrub(text[entry.body[0]:entry.body[1]]) if entry.body[1] > entry.body[0] else ""
    return ParsedExperience(entry.title, entry.company, start, end, current, description, entry.span)


def order_recent_first(items: list[ParsedExperience]) -> list[ParsedExperience]:
    """Keep newest-first documents as they are; reverse a document that lists oldest first."""
    dated = [x.start for x in items if x.start is not None]
    if len(dated) >= 2 and dated[0] < dated[-1]:
        return list(reversed(items))
    return items




def experience_entries(text: str, sections: list[Section]) -> list[Entry]:
    """The entries of every experience section, in text order."""
    entries: list[Entry] = []
    for s in sections:
        if s.canon != "experience" or s.body[1] <= s.body[0]:
            continue
        labelled = _labelled_entries(text, *s.body)
        entries.extend(labelled if labelled is not None else _date_anchored_entries(text, *s.body))
    return entries
