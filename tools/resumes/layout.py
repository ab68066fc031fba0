"""The one resume-layout reader: section headings, dates and date ranges, and the chunks of a resume's text.

The importer's parser (:mod:`tools.resumes.parse`) and the matcher's evidence finder
(:mod:`tools.matching.evidence`) read a resume's layout with these rules and no others.

Headings
    One table, :data:`HEADINGS`: canonical section → the phrases that name it. A phrase matches in any case,
    with "&" for "and" and any run of spaces between its words. :func:`find_headings` finds them by one of two
    rules of where a heading stands, one per kind of reader:

    * the layout rule (the importer, which must cut sections out of text that lost its line breaks): a
      phrase written in title case or upper case that stands on its own: at the start of the text, of a line
      or after a run of 2+ spaces, and followed by the end of the line, a run of 2+ spaces, or a colon. At
      the very start of the text a single space is enough ("TECHNICAL SKILLS Java ..."); a multi-word heading
      that ends a line may be glued to the text before it ("... 24 monthsCompany Details"); a phrase that is
      the value of a label ("Master of Arts  :   Education") is not a heading.
    * ``alone`` (the matcher, which reads every profile of a pool and must be fast): a phrase alone on its
      line, in any case, with an optional colon.

    In both, the headings after "Company Details" (always the last section of the Kaggle "Details" export)
    are sub-headings of job descriptions, not sections.

Dates and ranges
    A date is "MM/YYYY" (also "MM-YYYY", "MM YYYY", "YYYY-MM"), "Mon YYYY"/"Month YYYY" (with an optional
    day: "16th Jan 2017", "January 29 2000", "Sept' 2017") or a bare "YYYY" (1950-2049). A range is two
    dates joined by "to", "-", "–", "—", "till", "until" or "through", where the end may be Present/Current/
    Now/Today/"till date"/ongoing; "2015-16" is a year range; "since DATE" is an open range. A range that
    starts after next year or ends before it starts is not a range (:func:`find_ranges`).

Chunks
    The text between line breaks and runs of 2+ spaces (:func:`chunk_text`): the unit of a resume's layout.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tools.spans import merge_spans

__all__ = [
    "DATES_RE",
    "HEADINGS",
    "MONTHS",
    "MONTH_WORD",
    "RANGE_RE",
    "SINGLE_DATE_RE",
    "SMALL_WORDS",
    "YEAR",
    "YEAR_RE",
    "Chunk",
    "DateRange",
    "Section",
    "chunk_text",
    "date_from",
    "find_headings",
    "find_ranges",
    "heading_kind",
    "is_bullet",
    "is_date_only",
    "is_heading_line",
    "lone_dates",
    "split_sections",
    "today",
    "trim",
]


# ================================================================================================
# Section headings
# ================================================================================================
HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "career summary", "executive summary", "summary of qualifications",
        "profile", "professional profile", "career profile", "executive profile", "personal profile",
        "profile summary", "objective", "career objective", "professional objective", "objectives",
        "career overview", "professional overview", "overview", "about", "about me", "introduction",
        "career focus", "personal statement",
    ),
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "skill set", "skillset", "skill sets",
        "skill details", "skill highlights", "highlights", "core qualifications", "qualifications",
        "areas of expertise", "expertise", "core competencies", "competencies", "key competencies",
        "technical proficiencies", "technical expertise", "it skills", "i.t. skills", "computer skills",
        "software skills", "technical strengths", "strengths", "skills and abilities", "personal skills",
        "professional skills", "technologies", "tools and technologies", "technical qualifications",
        "computer knowledge", "technological skills", "technicalskills", "skills summary",
        "relevant skills", "additional skills", "key skills and competencies", "skills and tools",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "work history", "employment history",
        "employment", "career history", "relevant experience", "company details", "experience details",
        "military experience", "professional background", "relevant professional experience",
        "employment experience", "work profile",
        "professional history", "job history", "experience summary", "internships", "internship",
        "working experience", "industrial experience", "career progression",
    ),
    "education": (
        "education", "education details", "education and training", "educational background",
        "academic background", "academic qualifications", "academic qualification", "academics",
        "educational qualifications", "educational qualification", "academic profile", "qualification",
        "education and certifications", "education and qualifications", "academic credentials",
        "educational details", "academic details",
    ),
    "certifications": (
        "certifications", "certification", "certificates", "licenses", "licenses and certifications",
        "certifications and licenses", "professional certifications", "training and certifications",
        "certifications and training", "trainings", "training", "courses", "licensure",
    ),
    "projects": (
        "projects", "project details", "key projects", "academic projects", "personal projects",
        "project experience", "project profile", "projects undertaken", "project undertaken",
        "major projects", "projects handled",
    ),
    "languages": ("languages", "language skills", "languages known", "language"),
    "other": (
        "accomplishments", "achievements", "awards", "honors", "honours", "honors and awards",
        "awards and honors", "honours and distinction", "additional information", "affiliations",
        "professional affiliations", "interests", "hobbies", "activities", "extra-curricular activities",
        "extracurricular activities", "extra curricular activities", "publications", "references",
        "personal information", "personal details", "volunteer experience", "volunteer work", "volunteering",
        "community service", "security clearance", "presentations", "memberships", "declaration",
        "core accomplishments", "additional qualifications", "personal data", "hobbies and interests",
        "personal profile details", "interests and hobbies", "leadership", "military service",
    ),
}
SMALL_WORDS = {"and", "of", "&", "in", "the", "for", "to", "a", "an", "de"}


def _key(phrase: str) -> str:
    """A heading phrase as the table spells it: lower case, "and" for "&", single spaces."""
    return re.sub(r"\s+", " ", phrase.lower().replace("&", "and"))


_KINDS: dict[str, str] = {_key(p): canon for canon, phrases in HEADINGS.items() for p in phrases}


def heading_kind(phrase: str) -> str | None:
    """The canonical section a heading phrase names ("Work History" → "experience"), or None."""
    return _KINDS.get(_key(phrase))


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(w) if w != "and" else r"(?:and|&)" for w in phrase.split()]
    return r"[ ]+".join(words)


def _heading_matchers() -> dict[str, re.Pattern[str]]:
    """Phrase matchers keyed by the first three letters of the phrase (longest phrase first)."""
    groups: dict[str, list[str]] = {}
    for phrase in sorted(_KINDS, key=len, reverse=True):
        groups.setdefault(phrase[:3], []).append(_phrase_pattern(phrase))
    return {
        key: re.compile("(?:" + "|".join(patterns) + r")(?![\w&/-])", re.IGNORECASE)
        for key, patterns in groups.items()
    }


_HEADING_MATCHERS = _heading_matchers()
# Word starts, including the second word of a camel-case join ("monthsCompany", "SPSSEducation").
_WORD_START_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
# Every phrase, longest first, for the headings that stand alone on their line.
_PHRASES = "|".join(_phrase_pattern(p) for p in sorted(_KINDS, key=len, reverse=True))
_HEADING_LINE_RE = re.compile(rf"^[ \t]*({_PHRASES})[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)
# The same on lower-cased text, found from the newline before them (a fast literal scan).
_HEADING_NL_RE = re.compile(rf"\n[ \t]*({_PHRASES})[ \t]*:?[ \t]*(?=\n|$)")


@dataclass(frozen=True)
class Section:
    canon: str
    title: str
    heading: tuple[int, int]  # the heading words
    body: tuple[int, int]  # the text under the heading, whitespace trimmed


def _heading_case_ok(words: list[str]) -> bool:
    """Title case (every significant word capitalised) or upper case."""
    letters = "".join(words)
    if letters.isupper():
        return True
    return all(w[:1].isupper() or w.lower() in SMALL_WORDS for w in words)


def _is_heading(text: str, start: int, end: int) -> bool:
    """Does the phrase at text[start:end] stand as a heading (see the module doc)?"""
    words = text[start:end].split()
    if not _heading_case_ok(words):
        return False
    rest = text[end:end + 80]
    if start > 0 and text[start - 1].isalnum():
        # Glued to the word before it: only a multi-word heading that ends its line counts.
        return len(words) >= 2 and words[0][0].isupper() and re.match(r"[ ]*(?:\n|$)", rest) is not None
    before = text[:start]
    line_before = before[before.rfind("\n") + 1:]
    at_text_start = not before.strip()
    at_line_start = not line_before.strip()
    after_gap = line_before.endswith("  ")
    m = re.match(r"[ ]*(:?)([ ]*)", rest)
    assert m is not None
    colon, spaces = m.group(1), m.group(2)
    follow = rest[m.end():m.end() + 1]
    ends_line = follow in ("", "\n")
    layout_after = ends_line or len(spaces) >= 2 or (not colon and re.match(r"[ ]{2,}", rest) is not None)
    if re.search(r":[ ]{1,5}$", line_before):
        return False  # "Master of Arts  :   Education   2013": the value of a label, not a heading
    if at_text_start and (layout_after or colon or spaces or (follow and follow in "•*-–✓➢")):
        return True
    if (at_line_start or after_gap) and (layout_after or colon):
        return True
    if colon and text[start:end].isupper() and (before.endswith(" ") or at_line_start):
        return True  # "... management COMPUTER SKILLS: • C Language"
    if len(words) >= 2 and ends_line and not colon:
        return True  # "... 24 monthsCompany Details" (the export lost the line break)
    return False


def _details_cut(phrases: list[str]) -> int:
    """How many of the headings (their phrases, in text order) are sections: the Kaggle "Details" export always
    ends with "Company Details", so the headings after it are sub-headings of job descriptions."""
    for i, phrase in enumerate(phrases):
        if phrase.lower() == "company details":
            return i + 1
    return len(phrases)


def find_headings(text: str, *, alone: bool = False, lower: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every heading phrase, in text order, not overlapping (see the module doc).

    ``alone``: only phrases alone on their line, in any case (the matcher's rule); else the layout rule (the
    importer's). ``lower``: with ``alone``, ``text.lower()`` when it is as long as ``text`` (a faster scan).
    """
    found = _alone_on_line(text, lower) if alone else _in_layout(text)
    return found[:_details_cut([text[start:end] for start, end, _canon in found])]


def _in_layout(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    last_end = -1
    for word in _WORD_START_RE.finditer(text):
        start = word.start()
        matcher = _HEADING_MATCHERS.get(text[start:start + 3].lower())
        if matcher is None or start < last_end or (start and text[start - 1] in "&/-"):
            continue
        m = matcher.match(text, start)
        if m is None or not _is_heading(text, start, m.end()):
            continue
        found.append((start, m.end(), _KINDS[_key(m.group())]))
        last_end = m.end()
    return found


def _alone_on_line(text: str, lower: str | None) -> list[tuple[int, int, str]]:
    if lower is not None:
        first = _HEADING_LINE_RE.match(lower)
        found = ([first] if first else []) + list(_HEADING_NL_RE.finditer(lower))
    else:
        found = list(_HEADING_LINE_RE.finditer(text))
    return [(m.start(1), m.end(1), _KINDS[_key(m.group(1))]) for m in found]


def is_heading_line(text: str, start: int, end: int) -> bool:
    """Whether the line ``text[start:end]`` is a heading phrase alone (``find_headings(alone=True)``)."""
    return _HEADING_LINE_RE.match(text, start, end) is not None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) to exclude surrounding whitespace and a leading colon."""
    while start < end and text[start] in " \n:":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    return start, end


def split_sections(text: str) -> list[Section]:
    """Sections in text order; each runs from its heading to the next heading."""
    heads = find_headings(text)
    sections = []
    for i, (start, end, canon) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append(Section(canon, text[start:end], (start, end), trim(text, end, stop)))
    return sections


# ================================================================================================
# Dates
# ================================================================================================
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"


def _date_pattern(tag: str) -> str:
    """One date; groups ``{tag}m`` (month number), ``{tag}w`` (month word), ``{tag}y`` (year)."""
    return (
        rf"(?:(?:{_DAY}[\s-]*)?(?P<{tag}w>{MONTH_WORD})\.?[\s,'’.-]*(?:{_DAY},?\s+)?"
        rf"['’]?\s?(?P<{tag}y1>{YEAR})"
        rf"|(?<![\d/.-])(?P<{tag}m>0?[1-9]|1[0-2])(?:\s*[/.-]\s*|\s)(?P<{tag}y2>{YEAR})"
        rf"|(?P<{tag}y3>{YEAR})-(?P<{tag}m2>0[1-9]|1[0-2])(?![\d/])"
        rf"|(?P<{tag}y4>{YEAR}))"
    )


_PRESENT = (
    r"(?P<present>(?:(?:till|until|up\s*to)\s+)?(?:present|current(?:ly)?|now|today|date|ongoing|on-?\s?going"
    r"|still(?:\s+on\s*-?going|\s+working)?|continuing)|(?:till|until)\s+(?:the\s+)?(?:date|now|present))"
)
_SEP = r"(?:\s*(?:-+|–|—|~|－|to|till|until|through|thru|up\s*to)\s*)"
_NO_SEP = r"(?![ ]*(?:-|–|—|to\b|till\b|until\b))"  # "since DATE" not followed by a range separator
_FIRST = r"(?=[0-9fsjmaond])"  # a cheap first test: every date and range starts with a digit or one of these letters
RANGE_RE = re.compile(
    rf"{_FIRST}(?:(?<![\w/])(?:(?:from|since)\s+)?{_date_pattern('s')}{_SEP}"
    rf"(?:{_date_pattern('e')}|{_PRESENT}|(?P<yy>\d\d))(?![\w/])"
    rf"|(?<![\w/])since\s+{_date_pattern('o')}(?![\w/]){_NO_SEP})",
    re.IGNORECASE,
)
SINGLE_DATE_RE = re.compile(rf"{_FIRST}(?<![\w/]){_date_pattern('s')}(?![\w/])", re.IGNORECASE)
YEAR_RE = re.compile(rf"(?<![\d/.-]){YEAR}(?![\d])")


def _dates_pattern() -> re.Pattern[str]:
    """A date or a range without named groups (with "from", "expected", "class of" before it)."""
    pattern = re.sub(r"\(\?P<[a-z0-9]+>", "(?:", _date_pattern("x"))
    rng = rf"{pattern}(?:{_SEP}(?:{pattern}|{_PRESENT.replace('(?P<present>', '(?:')}))?"
    lead = r"(?<![\w/])(?:from\s+|expected\s+(?:in\s+)?|class\s+of\s+)?"
    return re.compile(rf"{lead}{rng}(?![\w/])", re.IGNORECASE)


DATES_RE = _dates_pattern()


def is_date_only(text: str) -> bool:
    """Whether ``text`` holds nothing but dates or ranges (and punctuation)."""
    return not DATES_RE.sub("", text).strip(" ,:;-|–()")


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date | None  # None: present, or unknown for a lone date
    start_month: bool  # the start names a month (not just a year)
    end_month: bool
    span: tuple[int, int]
    is_current: bool = False


def date_from(m: re.Match[str], tag: str) -> tuple[dt.date, bool] | None:
    """(date, has month) from the groups of one date, or None."""
    g = m.groupdict()
    if g.get(f"{tag}w"):
        return dt.date(int(g[f"{tag}y1"]), MONTHS[g[f"{tag}w"][:3].lower()], 1), True
    if g.get(f"{tag}m"):
        return dt.date(int(g[f"{tag}y2"]), int(g[f"{tag}m"]), 1), True
    if g.get(f"{tag}m2"):
        return dt.date(int(g[f"{tag}y3"]), int(g[f"{tag}m2"]), 1), True
    if g.get(f"{tag}y4"):
        return dt.date(int(g[f"{tag}y4"]), 1, 1), False
    return None


def today() -> dt.date:
    """What "present" means (tests set it)."""
    return dt.date.today()


# Every year, also inside a longer word ("Jan2017"): each range has one in its first date.
_ANY_YEAR_RE = re.compile(YEAR)
# A range holds at most four words before the word of its first year ("since 16th Jan 29, 2017") and eight
# after it ("2015-04 up to still on going"); its look-ahead reads one word more. Words are runs of \w; the
# counts below leave room to spare.
_WORDS_BEFORE_RE = re.compile(r"\w*(?:\W+\w+){0,5}")  # matched on the reversed text before a year
_WORDS_AFTER_RE = re.compile(r"\w*(?:\W+\w+){0,12}\W*.?", re.DOTALL)
_REACH = 400  # characters read around a year to count those words; past it, the window is the whole area


def _range_windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of text[start:end] that hold every match of RANGE_RE, with the characters its look-arounds
    read: RANGE_RE scans these as it would scan the whole area, and only years pay for the scan."""
    windows = []
    for y in _ANY_YEAR_RE.finditer(text, start, end):
        floor = max(start, y.start() - _REACH)
        before = _WORDS_BEFORE_RE.match(text[floor:y.start()][::-1])
        lo = y.start() - before.end() if before and (before.end() < y.start() - floor or floor == start) else start
        ceiling = min(end, y.end() + _REACH)
        after = _WORDS_AFTER_RE.match(text, y.end(), ceiling)
        hi = after.end() if after and (after.end() < ceiling or ceiling == end) else end
        windows.append((lo, hi))
    return merge_spans(windows)


def find_ranges(text: str, start: int = 0, end: int | None = None) -> list[DateRange]:
    """Plausible date ranges in text[start:end] (not in the future, end not before start)."""
    end = len(text) if end is None else end
    now = today()
    limit = dt.date(now.year + 1, 12, 31)
    ranges = []
    for m in (m for lo, hi in _range_windows(text, start, end) for m in RANGE_RE.finditer(text, lo, hi)):
        if m.group("ow") or m.group("om") or m.group("om2") or m.group("oy4"):
            first = date_from(m, "o")
            if first is None or first[0] > limit:
                continue
            ranges.append(DateRange(first[0], None, first[1], False, m.span(), True))
            continue
        first = date_from(m, "s")
        if first is None or first[0] > limit:
            continue
        if m.group("present"):
            ranges.append(DateRange(first[0], None, first[1], False, m.span(), True))
            continue
        last: tuple[dt.date, bool] | None
        if m.group("yy"):
            yy = int(m.group("yy"))
            if first[1] or yy <= first[0].year % 100:
                continue  # a two-digit end is a later year of a bare-year start: "2015-16"
            last = (dt.date(first[0].year // 100 * 100 + yy, 1, 1), False)
        else:
            last = date_from(m, "e")
            if last is None:
                continue
        if last[0] < first[0] or last[0] > limit:
            continue
        ranges.append(DateRange(first[0], last[0], first[1], last[1], m.span()))
    return ranges


def lone_dates(text: str, start: int, end: int, ranges: list[DateRange]) -> list[DateRange]:
    """Single dates ("04/2019") outside the ranges, as ranges with an unknown end."""
    limit = today()
    out = []
    for m in SINGLE_DATE_RE.finditer(text, start, end):
        if any(r.span[0] <= m.start() < r.span[1] or m.start() <= r.span[0] < m.end() for r in ranges):
            continue
        found = date_from(m, "s")
        if found is not None and found[0] <= limit:
            out.append(DateRange(found[0], None, found[1], False, m.span()))
    return out


# ================================================================================================
# Chunks: the text between line breaks and layout gaps
# ================================================================================================
_JOINERS = set(":,|-–—－/&")
_BULLETS = "•●▪■◦○◆◇♦❖➢➤►▸✓✔✗*·⇒→»-–"


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    text: str


def chunk_text(text: str, start: int, end: int, keep: list[tuple[int, int]] | tuple[()] = ()) -> list[Chunk]:
    """Split text[start:end] at newlines and at runs of 2+ spaces, except runs next to a joiner
    (":", ",", "|", "-", "－") and runs inside the ``keep`` spans (date ranges)."""
    breaks: list[tuple[int, int]] = []
    for m in re.finditer(r"\n+|[ ]{2,}", text[start:end]):
        s, e = m.start() + start, m.end() + start
        if any(ks < s and e < ke for ks, ke in keep):
            continue
        if text[s] != "\n":
            prev_ch = text[s - 1] if s > 0 else "\n"
            next_ch = text[e] if e < len(text) else "\n"
            if prev_ch in _JOINERS or next_ch in _JOINERS:
                continue
        breaks.append((s, e))
    out: list[Chunk] = []
    pos = start
    for s, e in [*breaks, (end, end)]:
        a, b = pos, s
        while a < b and text[a] in " \n":
            a += 1
        while b > a and text[b - 1] in " \n":
            b -= 1
        piece = text[a:b]
        if piece.strip(" ,:;|-–—－•*·"):
            out.append(Chunk(a, b, piece))
        pos = e
    return out


def is_bullet(text: str) -> bool:
    return bool(text) and text[0] in _BULLETS
