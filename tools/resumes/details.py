"""The Kaggle resume data set's "Details" export: a fixed template with its own layout.

Its headings are "Education Details", "Skill Details" and "Company Details". Education rows start with their
date or with an empty date column; the first row that does not is the profile block (desired title, then
"title - employer"), which ends at "Skill Details"; "Company Details" is always last, so headings inside it
are sub-headings of job descriptions (:func:`tools.resumes.layout.find_headings` leaves them out). The
per-skill rows ("JAVA- Exprience - 24 months") give lower bounds of the years of experience
(:func:`skill_years`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.resumes.contact import one_line
from tools.resumes.experience import Entry
from tools.resumes.fields import has_title_head
from tools.resumes.layout import MONTH_WORD, YEAR, Section, trim

__all__ = ["DetailsProfile", "apply_profile", "details_layout", "skill_years"]

# The per-skill rows: "MS SQL SERVER- Exprience - 110 months" (the export's spelling).
_SKILL_MONTHS_RE = re.compile(r"(?im)^[^\n]{1,120}?-[ ]*exp(?:e)?rience[ ]*-[ ]*(\d{1,3})[ ]*months?\b")


@dataclass(frozen=True)
class DetailsProfile:
    desired_title: str | None
    current_title: str | None
    current_company: str | None
    span: tuple[int, int]


def details_layout(text: str, sections: list[Section]) -> tuple[list[Section], DetailsProfile | None]:
    """Cut the profile block out of the "Education Details" section of the Details export."""
    names = {s.title.lower() for s in sections}
    if not {"education details", "skill details"} <= names:
        return sections, None
    out: list[Section] = []
    profile = None
    row_start = re.compile(rf"(?:[ ]|{MONTH_WORD}\b|{YEAR}\b|\d{{1,2}}/)", re.IGNORECASE)
    for s in sections:
        if s.title.lower() != "education details" or profile is not None:
            out.append(s)
            continue
        head_end = s.heading[1]
        following = [x for x in sections if x.heading[0] >= head_end]
        stop = following[0].heading[0] if following else len(text)
        pos = text.find("\n", head_end)
        pos = stop if pos < 0 or pos > stop else pos + 1
        edu_end = pos
        while pos < stop:
            line_end = text.find("\n", pos)
            line_end = stop if line_end < 0 or line_end > stop else line_end
            line = text[pos:line_end]
            if line.strip() and not row_start.match(line):
                break
            if line.strip():
                edu_end = line_end
            pos = line_end + 1
        out.append(Section(s.canon, s.title, s.heading, trim(text, head_end, edu_end)))
        lines = [ln.strip() for ln in text[pos:stop].split("\n") if ln.strip()]
        desired = lines[0] if lines else None
        title = company = None
        if len(lines) > 1:
            head, sep, tail = lines[1].rpartition(" - ")
            title, company = (head, tail) if sep else (lines[1], None)
            if len(title.split()) > 10:
                title = company = None
        profile = DetailsProfile(one_line(desired), one_line(title), one_line(company), trim(text, pos, stop))
    return out, profile


def apply_profile(entries: list[Entry], profile: DetailsProfile) -> list[Entry]:
    """The profile's "title - employer" line names the most recent position."""
    title = profile.current_title
    if title is None or not (has_title_head(title) or profile.current_company):
        return entries
    if not entries:
        return [Entry(title, profile.current_company, [], profile.span, (profile.span[1], profile.span[1]))]
    wanted = (profile.current_company or "").casefold()
    for entry in entries:
        have = (entry.company or "").casefold()
        if wanted and have and (have.startswith(wanted) or wanted.startswith(have)):
            if entry.title is None:
                entry.title = title
            return entries
    if entries[0].title is None and (not wanted or not entries[0].company):
        entries[0].title = title
    return entries


def skill_years(text: str) -> list[float]:
    """The years of every per-skill row ("JAVA- Exprience - 24 months" → 2.0)."""
    return [int(m.group(1)) / 12 for m in _SKILL_MONTHS_RE.finditer(text)]
