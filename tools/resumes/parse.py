"""The rule-based resume parser: a resume's cleaned text → :class:`ParsedResume`.

Plain Python: no model, no network. Everything the parser returns points back into the cleaned text with
character spans, so a caller can always show the evidence. The layout (headings, sections, dates, chunks) is
read by :mod:`tools.resumes.layout`; the entries by :mod:`tools.resumes.experience` and
:mod:`tools.resumes.education`; the Kaggle "Details" export by :mod:`tools.resumes.details`.

Sections
    ``ParsedResume.sections`` holds the body span of the largest section of each kind.

Headline and current title
    The Details profile's desired title; otherwise the first short line before the first heading that holds
    a job-title noun, else the first such line (a name, "INFORMATION TECHNOLOGY"), else the current title.
    ``current_title`` is the title of the most recent entry that has one.

Years of experience
    The union of the experience date ranges in months (overlaps counted once), or an explicit statement,
    whichever is larger: "N years of experience" on one line, or the Details export's per-skill rows
    ("JAVA- Exprience - 24 months"; experience with one skill is a lower bound of the total).

Untrusted text and Markdown
    Passages addressed to an AI and hidden characters (:mod:`tools.resumes.untrusted`) are blanked before
    anything is read, so they never become a title, a skill, a place or years; Markdown marks
    (:mod:`tools.resumes.marks`) become spaces, so a Markdown resume gives the facts of its plain-text form.

Location
    The first "City, Region" line of the preamble (the text before the first heading), else the one in the
    header of the most recent position ("Engineer - Google, Mountain View, CA - 2016 - Present").

Contact data
    E-mail addresses, URLs and phone numbers are removed from every parsed text field, and skill mentions
    inside them are dropped, so ``ParsedResume`` never carries them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tools.resumes import layout
from tools.resumes.contact import contact_spans, one_line, scrub
from tools.resumes.details import DetailsProfile, apply_profile, details_layout, skill_years
from tools.resumes.education import ParsedEducation, education_entries
from tools.resumes.experience import ParsedExperience, experience_entries, order_recent_first, to_experience
from tools.resumes.fields import has_title_head, is_location, place_in
from tools.resumes.layout import DateRange, Section, chunk_text, heading_kind, is_date_only, split_sections
from tools.resumes.marks import unmark
from tools.resumes.untrusted import blank, suspicious_regions
from tools.taxonomy import SkillMention, Taxonomy, load

__all__ = ["HEADLINE_MAX", "ParsedResume", "parse_resume"]

HEADLINE_MAX = 200


@dataclass(frozen=True)
class ParsedResume:
    headline: str
    summary: str
    sections: dict[str, tuple[int, int]]
    skills: list[SkillMention]
    experiences: list[ParsedExperience]
    educations: list[ParsedEducation]
    years_experience: float | None
    current_title: str | None
    occupation_code: str | None
    contact_free: bool = True
    location: str | None = None


# ================================================================================================
# Headline, summary, years
# ================================================================================================
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}
_YEARS_STATED_RE = re.compile(
    r"(?<![\w.])(?P<n>\d{1,2}(?:\.\d{1,2})?|" + "|".join(_NUMBER_WORDS) + r")[ ]*\+?[ ]*"
    r"(?P<unit>years?|yrs?|months?)\.?[ ]*(?:of[ ]+)?(?:[\w/&+-]+[ ]+){0,4}?(?:experience|exp\b|exprience)",
    re.IGNORECASE,
)


def _stated_years(text: str) -> float | None:
    """The largest stated experience: "N years of experience" on one line, or a per-skill
    "Skill- Exprience - N months" row (experience with one skill is a lower bound of the total)."""
    values = []
    for m in _YEARS_STATED_RE.finditer(text):
        raw = m.group("n").lower()
        value = float(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else float(raw)
        values.append(value / 12 if m.group("unit").lower().startswith("month") else value)
    values += skill_years(text)
    plausible = [v for v in values if 0 < v <= 50]
    return round(max(plausible), 1) if plausible else None


def _month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _union_years(ranges: list[DateRange]) -> float | None:
    """Total length of the union of the ranges, in years (month precision; overlaps counted once)."""
    today = _month_index(layout.today())
    intervals = []
    for r in ranges:
        lo = _month_index(r.start)
        if r.is_current:
            hi = today + 1
        elif r.end is None:
            hi = lo + (1 if r.start_month else 12)
        else:
            hi = _month_index(r.end) + (1 if r.end_month else 0)
            if not r.end_month and not r.start_month and hi == lo:
                hi = lo + 12  # "2015 - 2015": that year
        if hi > lo and lo <= today:
            intervals.append((lo, min(hi, today + 1)))
    if not intervals:
        return None
    intervals.sort()
    total, cur_lo, cur_hi = 0, intervals[0][0], intervals[0][1]
    for lo, hi in intervals[1:]:
        if lo > cur_hi:
            total += cur_hi - cur_lo
            cur_lo, cur_hi = lo, hi
        else:
            cur_hi = max(cur_hi, hi)
    total += cur_hi - cur_lo
    return round(total / 12, 1)


def _headline_candidates(text: str, end: int) -> list[str]:
    """Short lines/chunks of the preamble (the text before the first heading), contact data removed."""
    out = []
    for c in chunk_text(text, 0, end):
        line = one_line(c.text, HEADLINE_MAX + 40)
        if not line or len(line.split()) > 12 or is_location(line) or is_date_only(line):
            continue
        if not re.search(r"[A-Za-z]{2}", line) or heading_kind(line.rstrip(":")):
            continue
        out.append(line)
    return out


def _headline(text: str, sections: list[Section], profile: DetailsProfile | None, fallback: str | None) -> str:
    if profile is not None and profile.desired_title:
        return profile.desired_title[:HEADLINE_MAX]
    first = sections[0].heading[0] if sections else min(len(text), 600)
    candidates = _headline_candidates(text, first)
    chosen = next((c for c in candidates if has_title_head(c)), None)
    chosen = chosen or (candidates[0] if candidates else None) or fallback or ""
    return chosen[:HEADLINE_MAX].rstrip()


def _location(text: str, sections: list[Section], experiences: list[ParsedExperience]) -> str | None:
    first = sections[0].heading[0] if sections else min(len(text), 600)
    lines = text[:first].splitlines()
    if experiences:  # the most recent position's header: its first two lines
        s, e = experiences[0].span
        lines += text[s:e].splitlines()[:2]
    for line in lines:
        line = one_line(line, 300) or ""
        place = place_in(line) if "," in line else None
        if place:
            return place
    return None


# ================================================================================================
# parse_resume
# ================================================================================================
def _skills(text: str, taxonomy: Taxonomy) -> list[SkillMention]:
    """Distinct skills (first mention kept), none inside contact data."""
    blocked = contact_spans(text)
    seen: set[str] = set()
    out = []
    for m in taxonomy.extract_skills(text):
        if m.skill in seen or any(s < m.end and m.start < e for s, e in blocked):
            continue
        seen.add(m.skill)
        out.append(m)
    return out


def parse_resume(text: str, taxonomy: Taxonomy | None = None) -> ParsedResume:
    """Parse ``ResumeDocument.raw_text`` into sections, skills, experience, education and years.

    Uses :func:`tools.taxonomy.load` when ``taxonomy`` is None. Every span points into ``text``.
    """
    taxonomy = taxonomy or load()
    text = unmark(blank(text, suspicious_regions(text)))  # same length: spans still point into the original
    sections, profile = details_layout(text, split_sections(text))
    entries = experience_entries(text, sections)
    if profile is not None:
        entries = apply_profile(entries, profile)
    experiences = [x for x in (to_experience(text, e) for e in entries) if x is not None]
    experiences = order_recent_first(experiences)
    educations = [
        edu for s in sections if s.canon == "education" and s.body[1] > s.body[0]
        for edu in education_entries(text, *s.body, rows_only=profile is not None)
    ]
    all_ranges = [r for e in entries for r in e.ranges]
    union = _union_years(all_ranges)
    stated = _stated_years(text)
    years = max((v for v in (union, stated) if v is not None), default=None)
    current = next((x for x in experiences if x.title), None)  # the most recent known title
    current_title = current.title if current is not None else None
    headline = _headline(text, sections, profile, current_title)
    match = taxonomy.normalize_title(current_title or headline) if (current_title or headline) else None
    summary_section = next((s for s in sections if s.canon == "summary" and s.body[1] > s.body[0]), None)
    summary = scrub(text[summary_section.body[0]:summary_section.body[1]]) if summary_section else ""
    spans: dict[str, tuple[int, int]] = {}
    for s in sections:  # the largest section of each kind is the main one
        if s.canon not in spans or s.body[1] - s.body[0] > spans[s.canon][1] - spans[s.canon][0]:
            spans[s.canon] = s.body
    return ParsedResume(
        headline=one_line(headline, HEADLINE_MAX) or "",
        summary=summary,
        sections=spans,
        skills=_skills(text, taxonomy),
        experiences=experiences,
        educations=educations,
        years_experience=years,
        current_title=current_title,
        occupation_code=match.code if match else None,
        contact_free=True,
        location=_location(text, sections, experiences),
    )
