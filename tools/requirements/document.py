"""The request text as a document: lines, section headers ("Requirements:", "Nice to have:"), sentences and
clauses, each with its offset in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that make a clause or a section header nice to have rather than required.
NICE_RE = re.compile(
    r"\b(?:nice[- ]to[- ]haves?|good[- ]to[- ]haves?|(?:is |are )?an? (?:big |huge |strong )?plus|bonus(?: points)?|"
    r"preferred|preferably|ideally|desirable|optional|(?:is |are )?an? (?:advantage|asset)|advantageous|"
    r"not required|would be nice|appreciated)\b", re.IGNORECASE)
_SECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("title", re.compile(r"^(?:job\s+)?(?:title|role|position)$", re.IGNORECASE)),
    ("location", re.compile(r"^(?:job\s+)?location$|^based in$", re.IGNORECASE)),
    ("nice", re.compile(r"nice|bonus|plus|preferred|desirable|good to have|ideally|extra credit", re.IGNORECASE)),
    ("about", re.compile(r"about us|who we are|company|benefits|perks|we offer|why join|compensation|salary|"
                         r"how to apply|our team", re.IGNORECASE)),
    ("duties", re.compile(r"responsibilit|what you.?ll do|what you will do|the role|your role|duties|tasks|"
                          r"day to day|about the (?:role|job)|your mission|the job", re.IGNORECASE)),
    ("must", re.compile(r"requirement|qualification|must|what you bring|looking for|you have|about you|"
                        r"who you are|skills|experience|profile|you bring|you.?ll need|we expect|what we need",
                        re.IGNORECASE)),
)
_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪◦‣–—>]+|\d{1,2}[.)])\s*")


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence of the input with its offset and the section it sits in."""

    text: str
    start: int
    section: str  # title | location | nice | must | duties | about | "" (no header seen)
    line: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(slots=True)
class Document:
    """The request's text and its sentences."""

    text: str
    segments: list[Segment]
    long: bool  # a pasted job description rather than a one-line request
    has_sections: bool


def _section_of(label: str) -> str | None:
    label = label.strip().strip("*#_ ").rstrip(":").strip()
    if not label or len(label.split()) > 6:
        return None
    for kind, rule in _SECTION_RULES:
        if rule.search(label):
            return kind
    return None


def _sentences(text: str, start: int) -> list[tuple[str, int]]:
    """Split one line into sentences with their offsets (a full stop then a space and a capital)."""
    out: list[tuple[str, int]] = []
    begin = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"'(])", text):
        out.append((text[begin:m.start()], start + begin))
        begin = m.end()
    out.append((text[begin:], start + begin))
    return [(s, o) for s, o in out if s.strip()]


def _header(content: str, bulleted: bool) -> tuple[str | None, int]:
    """The section a line opens, and where its inline content starts (the line's length when it has none)."""
    m = re.match(r"^([^:.!?]{2,60}):\s*", content)
    if m and (kind := _section_of(m.group(1))):
        return kind, m.end()
    short = len(content.split()) <= 5 and not re.search(r"[.!?,;\d]", content.rstrip(".:!"))
    if not bulleted and short and (kind := _section_of(content)):
        return kind, len(content)
    return None, 0


def parse(text: str) -> Document:
    """Cut the text into sentences, each tagged with the section its header (or inline "Header:") opens."""
    segments: list[Segment] = []
    section, has_sections, offset, line_no = "", False, 0, 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        bullet = _BULLET_RE.match(line)
        begin = bullet.end() if bullet else len(line) - len(line.lstrip())
        content = line[begin:].rstrip()
        if content:
            kind, rest = _header(content, bulleted=bool(bullet))
            inline = section
            if kind:
                has_sections = True
                inline = kind
                if kind not in {"title", "location"} or rest == len(content):
                    section = kind
            for sentence, at in _sentences(content[rest:], offset + begin + rest):
                segments.append(Segment(sentence.rstrip(), at, inline, line_no))
            line_no += 1
        elif section == "about":
            section = ""  # a blank line ends a company blurb
        offset += len(raw)
    words = len(text.split())
    return Document(text, segments, long=line_no > 1 or words > 40, has_sections=has_sections)


def pieces(text: str, start: int, pattern: str) -> list[tuple[str, int]]:
    """Pieces of ``text`` between matches of ``pattern``, stripped, with their offsets."""
    out, begin = [], 0
    for m in re.finditer(pattern, text):
        out.append((text[begin:m.start()], start + begin))
        begin = m.end()
    out.append((text[begin:], start + begin))
    return [(piece.strip(), at + len(piece) - len(piece.lstrip())) for piece, at in out if piece.strip()]


PART_BREAK = r";|\s+[-–—]\s+|\bbut\b"


def clauses_of(segment: Segment, extra: str = "") -> list[tuple[str, int]]:
    """Split a sentence at commas, semicolons, dashes and "but" (and ``extra`` words) with offsets."""
    return pieces(segment.text, segment.start, f"{PART_BREAK}|," + (f"|{extra}" if extra else ""))


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether ``span`` (start, end) shares a character with any of ``spans``."""
    return any(span[0] < end and start < span[1] for start, end in spans)
