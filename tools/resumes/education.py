"""Education entries of a resume: degree, field of study, school and year.

Chunks of an education section are grouped into entries; a new entry starts when a chunk brings a second
degree, a second school or a second standalone date. A degree is a known degree phrase or abbreviation
(Bachelor of Science, B.Tech, MBA, ...); the field of study is the text after it ("in", ":"), a school is a
phrase with University, College, Institute, School ...; the year is the latest year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from tools.resumes import layout
from tools.resumes.contact import one_line
from tools.resumes.fields import STATE_NAMES, is_location
from tools.resumes.layout import DATES_RE, SMALL_WORDS, YEAR_RE, chunk_text, is_date_only, trim

__all__ = ["ParsedEducation", "education_entries"]


@dataclass(frozen=True)
class ParsedEducation:
    degree: str | None
    field_of_study: str | None
    school: str | None
    end_year: int | None
    span: tuple[int, int]


_DEGREE_SUBJECTS = (
    r"(?:Applied\s+Sciences?|Sciences?|Arts|Fine\s+Arts|Engineering|Technology|Commerce"
    r"|Business(?:\s+Administration)?"
    r"|Laws?|Education|Computer\s+Applications?|Pharmacy|Philosophy|Medicine|Nursing|Music|Architecture"
    r"|Social\s+Work|Public\s+Health|Public\s+Administration|Management|Professional\s+Studies|Surgery"
    r"|Information\s+Technology|Computer\s+Science|Accountancy|Design|Economics|Mathematics|Statistics)"
)
_DEGREE_RE = re.compile(
    rf"(?:(?i:bachelor|master|doctor|associate)(?:['’]?s)?(?:\s+(?:of|in)\s+{_DEGREE_SUBJECTS}"
    rf"(?:\s*\((?:[A-Za-z.]{{2,8}})\))?|\s+(?i:degree))?"
    r"|(?i:associate\s+degree|some\s+college(?:\s*\(no\s+degree\))?|high\s+school(?:\s+diploma)?"
    r"|higher\s+secondary(?:\s+(?:school\s+)?certificate)?|secondary\s+school\s+certificate"
    r"|post\s*graduate\s+diploma|pg\s+diploma|graduate\s+certificate|diploma|doctorate)"
    r"|(?<![\w.])(?:B\.?\s?Tech|M\.?\s?Tech|B\.?\s?E|M\.?\s?E|B\.?\s?Sc|M\.?\s?Sc|B\.?\s?S|M\.?\s?S"
    r"|B\.?\s?A|M\.?\s?A"
    r"|B\.?\s?Com|M\.?\s?Com|MCA|M\.C\.A|BCA|B\.C\.A|MBA|M\.B\.A|BBA|B\.B\.A|B\.?S\.?B\.?A"
    r"|LL\.?\s?B|LL\.?\s?M"
    r"|Ph\.?\s?D|PhD|M\.?D|Pharm\.?\s?D|B\.?\s?Pharm|M\.?\s?Pharm|A\.?A\.?S|A\.?A|A\.?S|BFA|MFA|MPH|MSW"
    r"|B\.?\s?Arch|M\.?\s?Arch|PGDM|PGDBA|HSC|SSC|H\.S\.C|S\.S\.C|GED|BSEE|BSCS|MSCS|MSEE|BSIT|MSIT|Ed\.?\s?D"
    r"|J\.?D|M\.?\s?Eng|B\.?\s?Eng|Mtech|Btech|Bsc|Msc|Bcom|Mcom|Mba|Bba|Bca|Mca|Llb)\.?(?![\w]))",
)
_SCHOOL_RE = re.compile(
    r"\b(?:univers\w*|univeristy|college|colegio|institut\w*|school|schule|hochschule|academy|acad[eé]mie|"
    r"polytechni\w*|politecnic\w*|vidyalaya|mahavidyala\w*|vidyapee?th|vidyapith|iit|nit|conservato\w*|"
    r"seminary|campus|[ée]cole|escola|faculdade|facultad)\b",
    re.IGNORECASE,
)
_REGION_RE = re.compile(
    r"(?P<city>\b[A-Z][\w.'-]*),\s+(?P<region>" + "|".join(
        sorted((re.escape(s) for s in STATE_NAMES), key=len, reverse=True)
    ) + r")(?:,\s*IN\b)?",
    re.IGNORECASE,
)


@dataclass
class _EduDraft:
    start: int
    end: int
    degree: str | None = None
    field: str | None = None
    school: str | None = None
    years: list[int] = dataclass_field(default_factory=list)
    extras: list[str] = dataclass_field(default_factory=list)  # other chunks: a field of study written apart
    bare_degree_last: bool = False  # the last chunk was a degree alone ("MBA   Master of Business ...")


_PART_SPLIT_RE = re.compile(r"\s*(?:[,|:;()\[\]－]|\s[-–—]\s|[–—]|\s{2,})\s*")
_FIELD_LABEL_RE = re.compile(
    r"^(?:in|of|major|concentration|specialization|field(?: of study)?)\b\s*:?\s*", re.IGNORECASE
)
_FIELD_END_RE = re.compile(r"\s+(?:major|minor|concentration|gpa|cgpa|specialization|with)\b.*$", re.I)


def _split_degree_row(text: str) -> tuple[str | None, str | None, str | None]:
    """(degree, field, school) from one education chunk such as
    "Master of Engineering Computer Technology Bhopal, Madhya Pradesh Truba Institute of Technology",
    "Bachelor of Science : Computer Information Systems , 2002" or
    "B.Sc. in Informatics — University of Vienna".

    The degree must open the chunk (after its dates) or follow a school name; the field of study is the
    part right after the degree; the school is the part with a school word, or, in the Details export,
    the text after "City, State"."""
    body = DATES_RE.sub(" ", text)
    degree = school = field = None
    m = _DEGREE_RE.search(body)
    prefix = body[:m.start()].strip(" ,:-|–—") if m else ""
    if m and (not prefix or _SCHOOL_RE.search(prefix)):
        degree = m.group().strip()
        rest = body[m.end():]
        school = prefix or None
    else:
        rest = body
    region = _REGION_RE.search(rest)
    if region:
        after = rest[region.end():].strip(" ,:-|–—－")
        school = school or after or None
        rest = rest[:region.start()]
    for part in (p.strip(" .") for p in _PART_SPLIT_RE.split(rest)):
        if not part or not re.search(r"[A-Za-z]{2}", part):
            continue
        if _SCHOOL_RE.search(part):
            school = school or part
            break  # the field of study comes before the school
        if degree and field is None and not is_location(part):
            candidate = _FIELD_END_RE.sub("", _FIELD_LABEL_RE.sub("", part)).strip(" .")
            if candidate and len(candidate.split()) <= 8 and "gpa" not in candidate.lower():
                field = candidate
    return degree, field, school


def education_entries(text: str, start: int, end: int, rows_only: bool = False) -> list[ParsedEducation]:
    """Group the chunks of an education section into entries (see the module doc).

    ``rows_only``: every line is its own entry (the Details export writes one row per line)."""
    drafts: list[_EduDraft] = []
    cur: _EduDraft | None = None
    this_year = layout.today().year
    for c in chunk_text(text, start, end):
        years = [int(y) for y in YEAR_RE.findall(c.text) if int(y) <= this_year + 6]
        degree, field, school = _split_degree_row(c.text) if len(c.text.split()) <= 30 else (None, None, None)
        date_only = bool(years) and is_date_only(c.text)
        if degree is None and school is None and not date_only:
            if cur is not None:
                cur.extras.append(c.text)
                cur.end = c.end
                cur.bare_degree_last = False
            continue
        conflict = cur is not None and (
            (rows_only and "\n" in text[cur.end:c.start])
            or (degree is not None and cur.degree is not None and not cur.bare_degree_last)
            or (school is not None and cur.school is not None and degree is None)
            or (date_only and bool(cur.years))
        )
        if cur is None or conflict:
            cur = _EduDraft(c.start, c.end)
            drafts.append(cur)
        if degree is not None and (cur.degree is None or len(degree) > len(cur.degree)):
            cur.degree = degree
        cur.field = cur.field or field
        cur.school = cur.school or school
        cur.years.extend(years)
        cur.end = c.end
        cur.bare_degree_last = degree is not None and not (field or school or years)
    return [_to_education(text, d) for d in drafts if d.degree is not None or d.school is not None]


def _to_education(text: str, draft: _EduDraft) -> ParsedEducation:
    field = draft.field
    if field is None and draft.degree is not None:
        field = next((x for x in draft.extras if _looks_like_field(x)), None)
    return ParsedEducation(
        degree=one_line(draft.degree, 80), field_of_study=one_line(field, 120),
        school=one_line(draft.school, 160), end_year=max(draft.years) if draft.years else None,
        span=trim(text, draft.start, draft.end),
    )


def _looks_like_field(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 6 and not is_location(text) and "gpa" not in text.lower()
        and all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words) and not text.endswith(".")
    )


