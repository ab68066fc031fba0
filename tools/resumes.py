"""Resume ingestion (CSV, TXT, PDF, DOCX) and a rule-based resume parser.

Plain Python: no model, no network. Everything the parser returns points back into the cleaned text with
character spans, so a caller can always show the evidence.

Reading (:func:`iter_resume_documents`)
    A path is a file or a folder (folders are walked in name order). ``.csv`` files give one document
    per row (text column ``Resume`` or ``Resume_str``, optional ``Category`` and ``ID``); ``.txt`` is
    decoded as UTF-8 (BOM aware), then UTF-16 when it has a BOM, then cp1252, then Latin-1; ``.pdf`` is
    read with pypdf and ``.docx`` with python-docx (paragraphs and tables in document order). A bad file
    never raises: it yields a :class:`ResumeSkip` whose ``reason`` says what is wrong, and a bad CSV row
    does not stop the rows after it.

Cleaning (:func:`clean_text`)
    UTF-8 that was decoded as Latin-1/cp1252 ("NaÃ¯ve", "â€™") is repaired one character sequence at a
    time, only where the bytes decode as UTF-8; then NFC, NBSP/tabs/odd spaces become spaces, control
    characters other than newlines are dropped, symbol-font (private use) bullets become "•", and trailing
    spaces are stripped. Runs of spaces inside lines are kept: the livecareer export uses them as layout.

Sections
    A heading is a known phrase ("Skills", "Work History", "Education and Training", "Company Details",
    ...) written in title case or upper case that stands on its own: at the start of the text, of a line
    or after a run of 2+ spaces, and followed by the end of the line, a run of 2+ spaces, or a colon. At
    the very start of the text a single space is enough ("TECHNICAL SKILLS Java ..."); a multi-word
    heading that ends a line may be glued to the text before it ("... 24 monthsCompany Details").
    A section runs to the next heading.

    The Kaggle "Details" export (headings "Education Details", "Skill Details", "Company Details") is a
    fixed template: education rows start with their date or with an empty date column; the first row that
    does not is the profile block (desired title, then "title - employer"), which ends at "Skill Details";
    "Company Details" is always last, so headings inside it are sub-headings of job descriptions.
    ``ParsedResume.sections`` holds the body span of the largest section of each kind; a phrase that is the
    value of a label ("Master of Arts  :   Education") is not a heading.

Dates and ranges
    A date is "MM/YYYY" (also "MM-YYYY", "MM YYYY", "YYYY-MM"), "Mon YYYY"/"Month YYYY" (with an optional
    day: "16th Jan 2017", "January 29 2000", "Sept' 2017") or a bare "YYYY". A range is two dates joined by
    "to", "-", "–", "—", "till", "until" or "through", where the end may be Present/Current/Now/Today/
    "till date"/ongoing; "2015-16" is a year range; "since DATE" is an open range.

Experience
    In an experience section every header chunk (text between line breaks or 2+ space runs, not a
    sentence) that holds a date range, or is a lone date, anchors one entry; when most anchors are the date
    alone (livecareer), dates inside description text are ignored. The header fields around the anchor
    follow one layout per resume, learnt from the first entry: the number of header chunks before the date,
    then header chunks after it until a description starts. Header chunks are split into
    pieces (",", "|", " at ", " - " ...) that are classed as company (legal-form words, "Company Name"),
    location (City/State placeholders, US and Indian states, countries) or title (a job-title head noun
    such as Engineer, Manager, Analyst). The labelled layout "company - X / description - ..." makes one
    entry per "company -" line, with the dates found in its description and a title from a
    "Designation:/Role:" label, a title-only first line or "working as <title> at ..."; the Details
    profile's "title - employer" line names the title of the matching employer. Entries are returned most
    recent first (a resume listed oldest first is reversed).

Headline and current title
    The Details profile's desired title; otherwise the first short line before the first heading that holds
    a job-title noun, else the first such line (a name, "INFORMATION TECHNOLOGY"), else the current title.
    ``current_title`` is the title of the most recent entry that has one.

Education
    Chunks of an education section are grouped into entries; a new entry starts when a chunk brings a
    second degree, a second school or a second standalone date. A degree is a known degree phrase or
    abbreviation (Bachelor of Science, B.Tech, MBA, ...); the field of study is the text after it ("in",
    ":"), a school is a phrase with University, College, Institute, School ...; the year is the latest year.

Years of experience
    The union of the experience date ranges in months (overlaps counted once), or an explicit statement,
    whichever is larger: "N years of experience" on one line, or the Details export's per-skill rows
    ("JAVA- Exprience - 24 months"; experience with one skill is a lower bound of the total).

Contact data
    E-mail addresses, URLs and phone numbers are removed from every parsed text field, and skill mentions
    inside them are dropped, so ``ParsedResume`` never carries them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from html.parser import HTMLParser
from pathlib import Path

from tools.places import INDIAN_STATES, US_STATES
from tools.spans import merge_spans
from tools.taxonomy import SkillMention, Taxonomy, load

__all__ = [
    "ParsedEducation",
    "ParsedExperience",
    "ParsedResume",
    "ResumeDocument",
    "ResumeError",
    "ResumeSkip",
    "SUPPORTED_SUFFIXES",
    "clean_text",
    "iter_resume_documents",
    "parse_resume",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt", ".csv", ".html", ".htm")
TEXT_COLUMNS: tuple[str, ...] = ("resume", "resume_str")
HEADLINE_MAX = 200


# ================================================================================================
# Public data types
# ================================================================================================
class ResumeError(ValueError):
    """A file or row that cannot be read as a resume; ``reason`` says what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ResumeDocument:
    source: str  # "file.pdf" or "file.csv#row 12"
    raw_text: str  # cleaned text; every parsed span points into it
    category: str | None = None  # CSV 'Category' column when present
    external_id: str | None = None  # CSV 'ID' column when present
    hidden: tuple[str, ...] = ()  # text a reader of the original cannot see (white, zero-size, display:none)


@dataclass(frozen=True)
class ResumeSkip:
    source: str
    reason: str


@dataclass(frozen=True)
class ParsedExperience:
    title: str | None
    company: str | None
    start: dt.date | None
    end: dt.date | None  # None when current
    is_current: bool
    description: str
    span: tuple[int, int]  # the entry in raw_text


@dataclass(frozen=True)
class ParsedEducation:
    degree: str | None
    field_of_study: str | None
    school: str | None
    end_year: int | None
    span: tuple[int, int]


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


# ================================================================================================
# Text cleaning
# ================================================================================================
# cp1252 characters for the bytes 0x80-0x9F; Latin-1 decoding leaves those bytes as C1 controls instead.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONT = "[\u0080-\u00bf" + re.escape(_CP1252_HIGH) + "]"
_MOJIBAKE_RE = re.compile(
    f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
)
_SPACES_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_DROP_RE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\ufeff]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")
_TRAILING_SPACES_RE = re.compile(r"[ ]+(?=\n|$)")


def _to_byte(ch: str) -> int | None:
    """The byte a mis-decoded character stood for (Latin-1 or cp1252 reading)."""
    code = ord(ch)
    if code < 0x100:
        return code
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None


def _repair_sequence(match: re.Match[str]) -> str:
    """Decode one mojibake sequence back to UTF-8, or leave it untouched when that does not work."""
    raw = [_to_byte(ch) for ch in match.group()]
    if any(b is None for b in raw):
        return match.group()
    data = bytes(b for b in raw if b is not None)
    try:
        fixed = data.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()
    # Only a repair that round-trips to the same bytes and gives a printable character is kept.
    if fixed.encode("utf-8") != data or any(unicodedata.category(ch) == "Cc" for ch in fixed):
        return match.group()
    return fixed


def clean_text(text: str) -> str:
    """Repair mojibake, normalise to NFC, tidy whitespace and control characters (see module doc)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _MOJIBAKE_RE.sub(_repair_sequence, text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES_RE.sub(" ", text)
    text = _DROP_RE.sub("", text)
    text = _PRIVATE_USE_RE.sub("•", text)
    text = _TRAILING_SPACES_RE.sub("", text)
    return text.strip("\n ")


# ================================================================================================
# Reading files
# ================================================================================================
def _human_size(size: float) -> str:
    """'25.3 MiB', '12 KiB', '100 bytes'."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{int(size)} bytes"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KiB (text encodings other than UTF-16 have none)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(4, len(head) // 50)


def _decode(data: bytes) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, cp1252, then Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_text(data: bytes) -> str:
    if _looks_binary(data):
        raise ResumeError("binary content, not a resume")
    text = clean_text(_decode(data))
    if not text.strip():
        raise ResumeError("file has no text (only whitespace)")
    return text


def _read_pdf(data: bytes) -> str:
    if b"%PDF-" not in data[:1024]:
        if _looks_binary(data):
            raise ResumeError("binary content, not a resume")
        raise ResumeError("not a PDF file (no %PDF header)")
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ResumeError("PDF is password-protected")
            except ResumeError:
                raise
            except Exception as exc:  # noqa: BLE001 - any decryption failure means we cannot read it
                raise ResumeError("PDF is password-protected") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except ResumeError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError) as exc:
        raise ResumeError(f"corrupt or truncated PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    finally:
        pypdf_logger.setLevel(level)
    if not pages:
        raise ResumeError("corrupt or truncated PDF (no pages)")
    text = clean_text("\n\n".join(pages))
    if not text.strip():
        raise ResumeError("PDF has no extractable text (scanned image?)")
    return text


def _docx_table_lines(table: object) -> list[str]:
    """One line per table row, cells joined by ' | ' (merged cells appear once)."""
    lines: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            parts = [p.text for p in cell.paragraphs if p.text.strip()]
            for inner in cell.tables:
                parts.extend(_docx_table_lines(inner))
            if parts:
                cells.append("\n".join(parts).strip())
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _read_docx(data: bytes) -> str:
    if not data.startswith(b"PK"):
        if _looks_binary(data):
            raise ResumeError("binary content, not a resume")
        raise ResumeError("not a .docx file (not a zip package)")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_lines(block))
            else:
                lines.append(block.text)
    except zipfile.BadZipFile as exc:
        raise ResumeError("corrupt .docx (damaged zip archive)") from exc
    except (KeyError, ValueError, PackageNotFoundError) as exc:
        raise ResumeError("corrupt .docx (a zip archive without a Word document inside)") from exc
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds of errors
        raise ResumeError(f"corrupt .docx ({type(exc).__name__}: {str(exc)[:120]})") from exc
    text = clean_text("\n".join(lines))
    if not text.strip():
        raise ResumeError("Word document has no text")
    return text


_HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$)"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)|(?<![-\w])color\s*:\s*(?:#f{3}(?:f{3})?\b|white\b"
    r"|rgba?\(\s*255\s*,\s*255\s*,\s*255)", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
               "footer", "ul", "ol", "table", "hr", "dt", "dd"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class _HtmlText(HTMLParser):
    """Visible text of an HTML resume, and separately the text hidden from a human reader."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self._skip = 0  # inside <script>/<style>/<head>

    def _is_hidden(self) -> bool:
        return any(h for _t, h in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title", "noscript", "template"):
            self._skip += 1
            return
        if tag in _BLOCK_TAGS:
            self.visible.append("\n")
        if tag in _VOID_TAGS:
            return
        values = dict(attrs)
        hidden = ("hidden" in values or values.get("aria-hidden") == "true"
                  or bool(_HIDDEN_STYLE_RE.search(values.get("style") or ""))
                  or (values.get("color") or "").lower() in ("white", "#fff", "#ffffff"))
        self._stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
            return
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break
        if tag in _BLOCK_TAGS:
            self.visible.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._is_hidden():
            if data.strip():
                self.hidden.append(" ".join(data.split()))
        else:
            self.visible.append(data)


def _read_html(data: bytes) -> tuple[str, tuple[str, ...]]:
    parser = _HtmlText()
    parser.feed(_decode(data))
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.visible).splitlines()]
    text = clean_text("\n".join(line for line in lines if line))
    if not text.strip():
        raise ResumeError("no visible text in the HTML file")
    return text, tuple(parser.hidden)


def _csv_documents(data: bytes, name: str) -> Iterator[ResumeDocument | ResumeSkip]:
    """One document per row; skips for rows without text, one skip for an unreadable file."""
    if _looks_binary(data):
        yield ResumeSkip(name, "binary content, not a resume")
        return
    text = _decode(data)
    if not text.strip():
        yield ResumeSkip(name, "CSV file has no text (only whitespace)")
        return
    # A resume cell can exceed the csv module's default 128 KiB field limit (process-wide setting).
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        yield ResumeSkip(name, f"malformed CSV header ({exc})")
        return
    by_lower = {(h or "").strip().lower(): h for h in header}
    column = next((by_lower[c] for c in TEXT_COLUMNS if c in by_lower), None)
    if column is None:
        found = ", ".join(h for h in header if h) or "none"
        yield ResumeSkip(name, f"CSV has no 'Resume' or 'Resume_str' column (found: {found})")
        return
    category_col, id_col = by_lower.get("category"), by_lower.get("id")
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield ResumeSkip(f"{name}#row {number + 1}", f"malformed CSV from this row on ({exc})")
            return
        number += 1
        source = f"{name}#row {number}"
        cleaned = clean_text(_cell(row, column) or "")
        if not cleaned:
            yield ResumeSkip(source, "row has no resume text")
            continue
        yield ResumeDocument(source, cleaned, _cell(row, category_col), _cell(row, id_col))
    if number == 0:
        yield ResumeSkip(name, "CSV has a header but no rows")


def _cell(row: dict[str, str | None], column: str | None) -> str | None:
    """A stripped CSV cell, or None when the column is absent or the cell is empty."""
    value = row.get(column) if column else None
    return value.strip() or None if isinstance(value, str) else None


def _file_documents(path: Path, max_bytes: int) -> Iterator[ResumeDocument | ResumeSkip]:
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(none)"
        yield ResumeSkip(name, f"unsupported file type {shown} (use .pdf, .docx, .txt, .html or .csv)")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield ResumeSkip(name, f"file is {_human_size(size)}, the limit is {_human_size(max_bytes)}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ResumeSkip(name, f"cannot read file ({exc.strerror or type(exc).__name__})")
        return
    if not data:
        yield ResumeSkip(name, "empty file")
        return
    if suffix == ".csv":
        try:
            yield from _csv_documents(data, name)
        except Exception as exc:  # noqa: BLE001 - the contract: a bad file never raises
            yield ResumeSkip(name, f"cannot read CSV ({type(exc).__name__}: {str(exc)[:120]})")
        return
    readers = {".pdf": _read_pdf, ".docx": _read_docx, ".txt": _read_text}
    hidden: tuple[str, ...] = ()
    try:
        if suffix in (".html", ".htm"):
            text, hidden = _read_html(data)
        else:
            text = readers[suffix](data)
    except ResumeError as exc:
        yield ResumeSkip(name, exc.reason)
        return
    except Exception as exc:  # noqa: BLE001 - the contract: a bad file never raises
        yield ResumeSkip(name, f"cannot read {suffix} file ({type(exc).__name__}: {str(exc)[:120]})")
        return
    yield ResumeDocument(name, text, None, None, hidden)


def iter_resume_documents(path: Path, max_bytes: int) -> Iterator[ResumeDocument | ResumeSkip]:
    """Documents from a file or a folder of files; never raises for a bad file (yields a ResumeSkip).

    CSV (columns ``Resume`` or ``Resume_str``; optional ``Category`` and ``ID``), TXT, PDF and DOCX.
    ``max_bytes`` is the largest file accepted. CSV row N is the N-th data row (the header not counted).
    """
    path = Path(path)
    if not path.exists():
        yield ResumeSkip(path.name or str(path), "file not found")
        return
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if not files:
            yield ResumeSkip(path.name, "folder has no files")
        for file in files:
            yield from _file_documents(file, max_bytes)
        return
    yield from _file_documents(path, max_bytes)


# ================================================================================================
# Contact data
# ================================================================================================
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


def _contact_spans(text: str) -> list[tuple[int, int]]:
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


def _scrub(text: str) -> str:
    """``text`` without contact data, runs of spaces collapsed, outer whitespace stripped."""
    for start, end in reversed(_contact_spans(text)):
        text = text[:start] + text[end:]
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r"\n[ ]+", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip(" \n,;|-–—")


def _one_line(text: str | None, limit: int = 160) -> str | None:
    """A short field: contact data removed, whitespace collapsed, stray punctuation trimmed."""
    if text is None:
        return None
    value = re.sub(r"\s+", " ", _scrub(text)).strip(" ,;:|-–—－•*·.")
    if value and text.rstrip().endswith(".") and re.search(r"\b[A-Z][a-z]{0,3}$|\b[A-Z]$", value):
        value += "."  # keep the full stop of an abbreviation (Ltd., Inc., B.Sc.)
    value = value.strip()
    return value[:limit].rstrip() if value else None


# ================================================================================================
# Section headings
# ================================================================================================
_HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "career summary", "executive summary", "summary of qualifications",
        "profile", "professional profile", "career profile", "executive profile", "personal profile",
        "profile summary", "objective", "career objective", "professional objective", "objectives",
        "career overview", "professional overview", "overview", "about me", "introduction", "career focus",
        "personal statement",
    ),
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "skill set", "skillset", "skill sets",
        "skill details", "skill highlights", "highlights", "core qualifications", "qualifications",
        "areas of expertise", "expertise", "core competencies", "competencies", "key competencies",
        "technical proficiencies", "technical expertise", "it skills", "i.t. skills", "computer skills",
        "software skills", "technical strengths", "strengths", "skills and abilities", "personal skills",
        "professional skills", "technologies", "tools and technologies", "technical qualifications",
        "computer knowledge", "technological skills", "technicalskills", "skills summary",
        "relevant skills", "additional skills", "key skills and competencies",
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
        "personal information", "personal details", "volunteer experience", "volunteer work",
        "community service", "security clearance", "presentations", "memberships", "declaration",
        "core accomplishments", "additional qualifications", "personal data", "hobbies and interests",
        "personal profile details", "interests and hobbies", "leadership", "military service",
    ),
}
_HEADING_CANON: dict[str, str] = {
    re.sub(r"\s+", " ", p.replace("&", "and")): canon for canon, phrases in _HEADINGS.items() for p in phrases
}
_SMALL_WORDS = {"and", "of", "&", "in", "the", "for", "to", "a", "an", "de"}


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(w) if w != "and" else r"(?:and|&)" for w in phrase.split()]
    return r"[ ]+".join(words)


def _heading_matchers() -> dict[str, re.Pattern[str]]:
    """Phrase matchers keyed by the first three letters of the phrase (longest phrase first)."""
    groups: dict[str, list[str]] = {}
    for phrase in sorted(_HEADING_CANON, key=len, reverse=True):
        groups.setdefault(phrase[:3], []).append(_phrase_pattern(phrase))
    return {
        key: re.compile("(?:" + "|".join(patterns) + r")(?![\w&/-])", re.IGNORECASE)
        for key, patterns in groups.items()
    }


_HEADING_MATCHERS = _heading_matchers()
# Word starts, including the second word of a camel-case join ("monthsCompany", "SPSSEducation").
_WORD_START_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


@dataclass(frozen=True)
class _Section:
    canon: str
    title: str
    heading: tuple[int, int]  # the heading words
    body: tuple[int, int]  # the text under the heading, whitespace trimmed


def _heading_case_ok(words: list[str]) -> bool:
    """Title case (every significant word capitalised) or upper case."""
    letters = "".join(words)
    if letters.isupper():
        return True
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


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


def _find_headings(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every heading, in text order, not overlapping."""
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
        key = re.sub(r"\s+", " ", m.group().lower().replace("&", "and"))
        found.append((start, m.end(), _HEADING_CANON[key]))
        last_end = m.end()
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) to exclude surrounding whitespace and a leading colon."""
    while start < end and text[start] in " \n:":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    return start, end


def _split_sections(text: str) -> list[_Section]:
    """Sections in text order; each runs from its heading to the next heading."""
    heads = _find_headings(text)
    # The Details export always ends with "Company Details": headings after it belong to job descriptions.
    company_at = next((h[0] for h in heads if text[h[0]:h[1]].lower() == "company details"), None)
    if company_at is not None:
        heads = [h for h in heads if h[0] <= company_at]
    sections = []
    for i, (start, end, canon) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append(_Section(canon, text[start:end], (start, end), _trim(text, end, stop)))
    return sections


# ================================================================================================
# Dates
# ================================================================================================
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"


def _date_pattern(tag: str) -> str:
    """One date; groups ``{tag}m`` (month number), ``{tag}w`` (month word), ``{tag}y`` (year)."""
    return (
        rf"(?:(?:{_DAY}[\s-]*)?(?P<{tag}w>{_MONTH_WORD})\.?[\s,'’.-]*(?:{_DAY},?\s+)?"
        rf"['’]?\s?(?P<{tag}y1>{_YEAR})"
        rf"|(?<![\d/.-])(?P<{tag}m>0?[1-9]|1[0-2])(?:\s*[/.-]\s*|\s)(?P<{tag}y2>{_YEAR})"
        rf"|(?P<{tag}y3>{_YEAR})-(?P<{tag}m2>0[1-9]|1[0-2])(?![\d/])"
        rf"|(?P<{tag}y4>{_YEAR}))"
    )


_PRESENT = (
    r"(?P<present>(?:(?:till|until|up\s*to)\s+)?(?:present|current(?:ly)?|now|today|date|ongoing|on-?\s?going"
    r"|still(?:\s+on\s*-?going|\s+working)?|continuing)|(?:till|until)\s+(?:the\s+)?(?:date|now|present))"
)
_SEP = r"(?:\s*(?:-+|–|—|~|－|to|till|until|through|thru|up\s*to)\s*)"
_NO_SEP = r"(?![ ]*(?:-|–|—|to\b|till\b|until\b))"  # "since DATE" not followed by a range separator
_RANGE_RE = re.compile(
    rf"(?<![\w/])(?:(?:from|since)\s+)?{_date_pattern('s')}{_SEP}"
    rf"(?:{_date_pattern('e')}|{_PRESENT}|(?P<yy>\d\d))(?![\w/])"
    rf"|(?<![\w/])since\s+{_date_pattern('o')}(?![\w/]){_NO_SEP}",
    re.IGNORECASE,
)
_SINGLE_DATE_RE = re.compile(rf"(?<![\w/]){_date_pattern('s')}(?![\w/])", re.IGNORECASE)
_YEAR_RE = re.compile(rf"(?<![\d/.-]){_YEAR}(?![\d])")


@dataclass(frozen=True)
class _Range:
    start: dt.date
    end: dt.date | None  # None: present, or unknown for a lone date
    start_month: bool  # the start names a month (not just a year)
    end_month: bool
    span: tuple[int, int]
    is_current: bool = False


def _date_from(m: re.Match[str], tag: str) -> tuple[dt.date, bool] | None:
    """(date, has month) from the groups of one date, or None."""
    g = m.groupdict()
    if g.get(f"{tag}w"):
        return dt.date(int(g[f"{tag}y1"]), _MONTHS[g[f"{tag}w"][:3].lower()], 1), True
    if g.get(f"{tag}m"):
        return dt.date(int(g[f"{tag}y2"]), int(g[f"{tag}m"]), 1), True
    if g.get(f"{tag}m2"):
        return dt.date(int(g[f"{tag}y3"]), int(g[f"{tag}m2"]), 1), True
    if g.get(f"{tag}y4"):
        return dt.date(int(g[f"{tag}y4"]), 1, 1), False
    return None


def _today() -> dt.date:
    return dt.date.today()


def _find_ranges(text: str, start: int = 0, end: int | None = None) -> list[_Range]:
    """Plausible date ranges in text[start:end] (not in the future, end not before start)."""
    end = len(text) if end is None else end
    today = _today()
    limit = dt.date(today.year + 1, 12, 31)
    ranges = []
    for m in _RANGE_RE.finditer(text, start, end):
        if m.group("ow") or m.group("om") or m.group("om2") or m.group("oy4"):
            first = _date_from(m, "o")
            if first is None or first[0] > limit:
                continue
            ranges.append(_Range(first[0], None, first[1], False, m.span(), True))
            continue
        first = _date_from(m, "s")
        if first is None or first[0] > limit:
            continue
        if m.group("present"):
            ranges.append(_Range(first[0], None, first[1], False, m.span(), True))
            continue
        last: tuple[dt.date, bool] | None
        if m.group("yy"):
            yy = int(m.group("yy"))
            if first[1] or yy <= first[0].year % 100:
                continue  # a two-digit end is a later year of a bare-year start: "2015-16"
            last = (dt.date(first[0].year // 100 * 100 + yy, 1, 1), False)
        else:
            last = _date_from(m, "e")
            if last is None:
                continue
        if last[0] < first[0] or last[0] > limit:
            continue
        ranges.append(_Range(first[0], last[0], first[1], last[1], m.span()))
    return ranges


def _lone_dates(text: str, start: int, end: int, ranges: list[_Range]) -> list[_Range]:
    """Single dates ("04/2019") outside the ranges, as ranges with an unknown end."""
    limit = _today()
    out = []
    for m in _SINGLE_DATE_RE.finditer(text, start, end):
        if any(r.span[0] <= m.start() < r.span[1] or m.start() <= r.span[0] < m.end() for r in ranges):
            continue
        found = _date_from(m, "s")
        if found is not None and found[0] <= limit:
            out.append(_Range(found[0], None, found[1], False, m.span()))
    return out


# ================================================================================================
# Chunks: the text between line breaks and layout gaps
# ================================================================================================
_JOINERS = set(":,|-–—－/&")
_BULLETS = "•●▪■◦○◆◇♦❖➢➤►▸✓✔✗*·⇒→»-–"


@dataclass(frozen=True)
class _Chunk:
    start: int
    end: int
    text: str


def _chunks(
    text: str, start: int, end: int, keep: list[tuple[int, int]] | tuple[()] = ()
) -> list[_Chunk]:
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
    out: list[_Chunk] = []
    pos = start
    for s, e in [*breaks, (end, end)]:
        a, b = pos, s
        while a < b and text[a] in " \n":
            a += 1
        while b > a and text[b - 1] in " \n":
            b -= 1
        piece = text[a:b]
        if piece.strip(" ,:;|-–—－•*·"):
            out.append(_Chunk(a, b, piece))
        pos = e
    return out


def _is_bullet(text: str) -> bool:
    return bool(text) and text[0] in _BULLETS


# ================================================================================================
# Header pieces: title, company, location
# ================================================================================================
_TITLE_HEADS = {
    "engineer", "engineers", "developer", "programmer", "manager", "analyst", "specialist", "administrator",
    "admin", "director", "consultant", "technician", "intern", "officer", "architect", "lead", "leader",
    "designer", "scientist", "tester", "coordinator", "supervisor", "assistant", "associate",
    "representative", "executive", "president", "vp", "cto", "ceo", "cio", "cfo", "coo", "ciso", "head",
    "trainer", "teacher", "lecturer", "professor", "advocate", "accountant", "nurse", "pharmacist", "clerk",
    "agent", "owner", "founder", "co-founder", "technologist", "operator", "instructor", "auditor", "editor",
    "writer", "attorney", "lawyer", "counsel", "sergeant", "secretary", "receptionist", "advisor", "adviser",
    "planner", "strategist", "estimator", "inspector", "surveyor", "draftsman", "chef", "cook", "driver",
    "mechanic", "electrician", "fellow", "researcher", "volunteer", "dba", "physician", "therapist",
    "worker", "buyer", "recruiter", "generalist", "controller", "bookkeeper", "cashier", "teller",
    "banker", "underwriter", "broker", "marketer", "merchandiser", "contractor", "freelancer", "trainee",
    "apprentice", "principal", "partner", "chief", "expert", "investigator", "staff", "support", "desk",
    "helpdesk", "administration", "coach", "tutor", "faculty", "scrum", "master", "practitioner",
    "educator", "liaison", "deputy", "superintendent", "foreman", "captain", "commander", "lieutenant",
    "soldier",
    "airman", "sailor", "marine", "examiner", "judge", "paralegal", "medic", "pilot", "dispatcher",
    "custodian", "janitor", "guard", "steward", "clinician", "dentist", "surgeon", "resident", "student",
    "graduate", "member", "sme",
}
# Legal forms and the anonymised "Company Name" placeholder: certainly an employer.
_COMPANY_FORMS = re.compile(
    r"\b(?:company name|inc|llc|llp|ltd|limited|corp|corporation|gmbh|plc|pvt|pte|co\.|& co|s\.a\.|b\.v\.)"
    r"(?![\w-])\.?",
    re.IGNORECASE,
)
# Words that usually end an organisation's name.
_COMPANY_WORDS = re.compile(
    r"\b(?:company|technologies|solutions|services|group|bank|labs|consulting|consultancy|partners|"
    r"hospital|university|agency|department|enterprises|industries|holdings|software|networks|infotech|"
    r"international|associates|foundation|institute|college|school|council|ministry|"
    r"authority|government|army|navy|air force|county|city of|state of|firm|studio|studios|clinic|"
    r"pharmacy|bureau|office of|center|centre|communications|media|motors|airlines|insurance|"
    r"financial|capital|energy|healthcare|store|stores|restaurant|hotel)(?![\w-])",
    re.IGNORECASE,
)
_PLACEHOLDER_LOCATIONS = {"city", "state", "country", "zip", "remote", "hybrid", "on-site", "onsite"}
_US_STATES = frozenset(name.lower() for code, name in US_STATES.items() if code not in ("PR", "GU", "VI"))
_INDIAN_STATES = INDIAN_STATES
_COUNTRIES = {
    "usa", "us", "u.s.", "u.s.a.", "united states", "united states of america", "india", "in", "uk",
    "united kingdom", "canada", "germany", "france", "spain", "italy", "netherlands", "australia", "china",
    "japan", "singapore", "uae", "united arab emirates", "saudi arabia", "qatar", "kuwait", "oman", "bahrain",
    "ireland", "mexico", "brazil", "russia", "ukraine", "poland", "colombia", "nepal", "pakistan",
    "bangladesh", "sri lanka", "philippines", "malaysia", "taiwan", "korea", "south korea", "israel",
    "switzerland", "austria", "sweden", "norway", "denmark", "finland", "belgium", "portugal", "nigeria",
    "kenya", "south africa", "egypt", "new zealand", "vietnam", "thailand", "indonesia", "europe",
}
_LOCATIONS = _PLACEHOLDER_LOCATIONS | _US_STATES | _INDIAN_STATES | _COUNTRIES
_STRONG_SPLIT_RE = re.compile(r"\s*(?:[,|·•－;]|\(|\)|\s+at\s+|\s+@\s+|\s+/\s+|\[|\])\s*")
_WEAK_SPLIT_RE = re.compile(r"\s+[-–—]+\s+|\s*[–—]\s*|\s+-(?=[A-Z])|(?<=[a-z])-\s+(?=[A-Z])")


def _is_location(piece: str) -> bool:
    p = piece.strip(" .").lower()
    if p in _LOCATIONS:
        return True
    return bool(re.fullmatch(r"[A-Z]{2}", piece.strip()))


def _is_location_chunk(text: str) -> bool:
    """Only locations ("City , State", "Berlin, Germany" is not: Berlin is unknown)."""
    pieces = [p.strip(" .") for p in _STRONG_SPLIT_RE.split(text) if p.strip(" .-–—")]
    pieces = [q for p in pieces for q in _WEAK_SPLIT_RE.split(p) if q.strip(" .")]
    return bool(pieces) and all(_is_location(p) for p in pieces)


def _has_title_head(piece: str) -> bool:
    words = [w.strip(".,()/").lower() for w in re.split(r"[\s/]+", piece) if w.strip(".,()/")]
    return any(w in _TITLE_HEADS for w in words)


def _title_head_last(piece: str) -> bool:
    words = [w.strip(".,()").lower() for w in re.split(r"[\s/]+", piece) if w.strip(".,()")]
    words = [w for w in words if not re.fullmatch(r"(?:i{1,3}|iv|v|[0-9]+|gs\d+)", w)]
    return bool(words) and words[-1] in _TITLE_HEADS


def _is_company(piece: str, strong_only: bool = False) -> bool:
    if _COMPANY_FORMS.search(piece):
        return True
    return not strong_only and bool(_COMPANY_WORDS.search(piece)) and not _title_head_last(piece)


def _header_fields(texts: list[str]) -> tuple[str | None, str | None, bool]:
    """(title, company, company has a legal form) from the header texts of one entry (dates removed)."""
    strong = [p.strip(" .:-–—") for t in texts for p in _STRONG_SPLIT_RE.split(t)]
    strong = [p for p in strong if len(p) > 1 and re.search(r"[A-Za-z]", p)]
    company = next((p for p in strong if _is_company(p, strong_only=True)), None)
    company = company or next((p for p in strong if _is_company(p) and not _is_location(p)), None)
    pieces: list[str] = []
    for piece in strong:
        if company is None and piece != company and _WEAK_SPLIT_RE.search(piece):
            parts = [p.strip(" .:") for p in _WEAK_SPLIT_RE.split(piece)]
            pieces.extend(p for p in parts if p and re.search(r"[A-Za-z]", p))
        else:
            pieces.append(piece)
    if company is None:
        company = next((p for p in pieces if _is_company(p) and not _is_location(p)), None)
    elif _WEAK_SPLIT_RE.search(company):
        # "Acme Corp — Berlin": keep the part with the company word, the others become pieces.
        parts = [p.strip(" .:") for p in _WEAK_SPLIT_RE.split(company) if p.strip(" .:")]
        named = [p for p in parts if _is_company(p)]
        if len(named) == 1:
            at = pieces.index(company)
            pieces[at:at + 1] = parts
            company = named[0]
    rest = [p for p in pieces if p != company and not _is_location(p)]
    title = next((p for p in rest if _title_head_last(p)), None)
    title = title or next((p for p in rest if _has_title_head(p) and len(p.split()) <= 8), None)
    rest = [p for p in rest if p != title and len(p.split()) <= 8 and not re.fullmatch(r"[\d\W]+", p)]
    if title is None and rest:
        title = rest.pop(0)
    if company is None and rest:
        company = rest.pop(0)
    certain = company is not None and _is_company(company, strong_only=True)
    return _one_line(title), _one_line(company), certain


def _header_like(chunk: _Chunk) -> bool:
    """A short, capitalised, non-sentence chunk: a title, company or location in an entry header."""
    text = chunk.text.strip()
    if _is_bullet(text) or ":" in text:
        return False
    words = [w for w in re.split(r"\s+", text) if re.match(r"[A-Za-z]", w)]
    if not words or len(text.split()) > 14:
        return False
    if text.endswith(".") and not re.search(r"\b(?:[A-Z][a-z]{0,3}|[A-Z]+)\.$", text):
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised >= max(1, 0.5 * len(significant))


# ================================================================================================
# Experience
# ================================================================================================
@dataclass
class _Entry:
    title: str | None
    company: str | None
    ranges: list[_Range]
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
        return _one_line(label.group(1))
    first_line = text[start:end].strip().split("\n", 1)[0].strip(" •*-·")
    first_line = re.sub(r"^(?:\d+[.)]\s*)?(?:(?:i am|i'm|as)\s+)?(?:an?\s+)?", "", first_line, flags=re.I)
    if (
        first_line and len(first_line.split()) <= 5 and not re.search(r"\d", first_line)
        and _title_head_last(first_line.rstrip("."))
    ):
        return _one_line(first_line)
    working = _WORKING_AS_RE.search(text, start, end)
    if working and _title_head_last(working.group("t")):
        return _one_line(working.group("t"))
    return None


def _labelled_entries(text: str, start: int, end: int) -> list[_Entry] | None:
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
        s, e = _trim(text, s, e)
        ranges = _find_ranges(text, body_start, e)
        title = _described_title(text, body_start, e)
        company = m.group(1)
        entries.append(_Entry(_one_line(title), _one_line(company), ranges, (s, e), (body_start, e)))
    return entries


def _anchor_chunks(text: str, chunks: list[_Chunk], ranges: list[_Range]) -> list[int]:
    """Indices of header chunks that hold a date range: one entry each.

    A chunk qualifies when the text around its date is empty or reads like a header (short, capitalised,
    not a sentence ending in "."). When at least two thirds of them are the date alone (livecareer layout),
    only such chunks count, so a "(2011-2015)" inside a description does not start an entry."""
    pure: list[int] = []
    mixed: list[int] = []
    for i, c in enumerate(chunks):
        inside = [r for r in ranges if c.start <= r.span[0] and r.span[1] <= c.end]
        if not inside or _is_bullet(c.text):
            continue
        rest = text[c.start:inside[0].span[0]] + " " + text[inside[0].span[1]:c.end]
        rest = re.sub(r"[()\[\]|,:–—.-]+", " ", rest).strip()
        if not rest:
            pure.append(i)
        elif inside[0].end is not None or inside[0].is_current:
            if not c.text.rstrip().endswith(".") and _header_like(_Chunk(c.start, c.end, rest)):
                mixed.append(i)
    if pure and len(pure) >= 2 * len(mixed):
        return pure
    return sorted(pure + mixed)


def _date_anchored_entries(text: str, start: int, end: int) -> list[_Entry]:
    """Entries of an experience section anchored on date ranges (see the module doc)."""
    ranges = _find_ranges(text, start, end)
    ranges += _lone_dates(text, start, end, ranges)
    if not ranges:
        return []
    chunks = _chunks(text, start, end, [r.span for r in ranges])
    anchors = _anchor_chunks(text, chunks, ranges)
    if not anchors:
        return []
    n_before = 0
    while n_before < min(5, anchors[0]) and _header_like(chunks[anchors[0] - n_before - 1]):
        n_before += 1
    firsts: list[int] = []
    for k, a in enumerate(anchors):
        floor = anchors[k - 1] + 1 if k else 0
        first = a
        while first > floor and a - first < n_before and _header_like(chunks[first - 1]):
            first -= 1
        firsts.append(first)
    entries = []
    for k, a in enumerate(anchors):
        stop = firsts[k + 1] if k + 1 < len(anchors) else len(chunks)
        header = list(range(firsts[k], a + 1))
        title, company, certain = _fields_for(text, chunks, header, ranges)
        nxt = a + 1
        while nxt < stop and nxt - a <= 4 and _header_like(chunks[nxt]):
            done = title is not None and company is not None
            if done and not _is_location_chunk(chunks[nxt].text) and (
                certain or not _is_company(chunks[nxt].text, strong_only=True)
            ):
                break
            header.append(nxt)
            title, company, certain = _fields_for(text, chunks, header, ranges)
            nxt += 1
        # The entry runs to the next entry's first header chunk (or the end of the section).
        entry_end = chunks[stop].start if stop < len(chunks) else end
        span = _trim(text, chunks[firsts[k]].start, entry_end)
        body_start = chunks[nxt].start if nxt < stop else chunks[header[-1]].end
        own = [r for r in ranges if chunks[a].start <= r.span[0] < chunks[a].end]
        entries.append(_Entry(title, company, own[:1], span, (min(body_start, span[1]), span[1])))
    return entries


def _fields_for(
    text: str, chunks: list[_Chunk], idx: list[int], ranges: list[_Range]
) -> tuple[str | None, str | None, bool]:
    """Title and company from header chunks, with the date ranges cut out (see _header_fields)."""
    texts = []
    for i in idx:
        c = chunks[i]
        piece = c.text
        for r in sorted((r for r in ranges if c.start <= r.span[0] < c.end), key=lambda r: -r.span[0]):
            a, b = r.span[0] - c.start, min(r.span[1], c.end) - c.start
            piece = piece[:a] + " | " + piece[b:]
        texts.append(piece)
    return _header_fields(texts)


def _to_experience(text: str, entry: _Entry) -> ParsedExperience | None:
    start = min((r.start for r in entry.ranges), default=None)
    current = any(r.is_current for r in entry.ranges)
    ends = [r.end for r in entry.ranges if r.end is not None]
    end = None if current or not ends else max(ends)
    if start is not None and end is not None and end < start:
        end = None
    if entry.title is None and entry.company is None and start is None:
        return None
    description = _scrub(text[entry.body[0]:entry.body[1]]) if entry.body[1] > entry.body[0] else ""
    return ParsedExperience(entry.title, entry.company, start, end, current, description, entry.span)


def _order_recent_first(items: list[ParsedExperience]) -> list[ParsedExperience]:
    """Keep newest-first documents as they are; reverse a document that lists oldest first."""
    dated = [x.start for x in items if x.start is not None]
    if len(dated) >= 2 and dated[0] < dated[-1]:
        return list(reversed(items))
    return items


# ================================================================================================
# Education
# ================================================================================================
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
        sorted((re.escape(s) for s in _US_STATES | _INDIAN_STATES), key=len, reverse=True)
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
    body = _SINGLE_DATE_STRIP_RE.sub(" ", text)
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
        if degree and field is None and not _is_location(part):
            candidate = _FIELD_END_RE.sub("", _FIELD_LABEL_RE.sub("", part)).strip(" .")
            if candidate and len(candidate.split()) <= 8 and "gpa" not in candidate.lower():
                field = candidate
    return degree, field, school


def _clean_date_pattern() -> re.Pattern[str]:
    """A date matcher without named groups, used to cut dates out of education rows."""
    pattern = re.sub(r"\(\?P<[a-z0-9]+>", "(?:", _date_pattern("x"))
    rng = rf"{pattern}(?:{_SEP}(?:{pattern}|{_PRESENT.replace('(?P<present>', '(?:')}))?"
    lead = r"(?<![\w/])(?:from\s+|expected\s+(?:in\s+)?|class\s+of\s+)?"
    return re.compile(rf"{lead}{rng}(?![\w/])", re.IGNORECASE)


_SINGLE_DATE_STRIP_RE = _clean_date_pattern()


def _is_date_only(text: str) -> bool:
    return not _SINGLE_DATE_STRIP_RE.sub("", text).strip(" ,:;-|–()")


def _education_entries(text: str, start: int, end: int, rows_only: bool = False) -> list[ParsedEducation]:
    """Group the chunks of an education section into entries (see the module doc).

    ``rows_only``: every line is its own entry (the Details export writes one row per line)."""
    drafts: list[_EduDraft] = []
    cur: _EduDraft | None = None
    this_year = _today().year
    for c in _chunks(text, start, end):
        years = [int(y) for y in _YEAR_RE.findall(c.text) if int(y) <= this_year + 6]
        degree, field, school = _split_degree_row(c.text) if len(c.text.split()) <= 30 else (None, None, None)
        date_only = bool(years) and _is_date_only(c.text)
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
        degree=_one_line(draft.degree, 80), field_of_study=_one_line(field, 120),
        school=_one_line(draft.school, 160), end_year=max(draft.years) if draft.years else None,
        span=_trim(text, draft.start, draft.end),
    )


def _looks_like_field(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 6 and not _is_location(text) and "gpa" not in text.lower()
        and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and not text.endswith(".")
    )


# ================================================================================================
# The Kaggle "Details" export
# ================================================================================================
@dataclass(frozen=True)
class _Profile:
    desired_title: str | None
    current_title: str | None
    current_company: str | None
    span: tuple[int, int]


def _details_layout(text: str, sections: list[_Section]) -> tuple[list[_Section], _Profile | None]:
    """Cut the profile block out of the "Education Details" section of the Details export."""
    names = {s.title.lower() for s in sections}
    if not {"education details", "skill details"} <= names:
        return sections, None
    out: list[_Section] = []
    profile = None
    row_start = re.compile(rf"(?:[ ]|{_MONTH_WORD}\b|{_YEAR}\b|\d{{1,2}}/)", re.IGNORECASE)
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
        out.append(_Section(s.canon, s.title, s.heading, _trim(text, head_end, edu_end)))
        lines = [ln.strip() for ln in text[pos:stop].split("\n") if ln.strip()]
        desired = lines[0] if lines else None
        title = company = None
        if len(lines) > 1:
            head, sep, tail = lines[1].rpartition(" - ")
            title, company = (head, tail) if sep else (lines[1], None)
            if len(title.split()) > 10:
                title = company = None
        profile = _Profile(_one_line(desired), _one_line(title), _one_line(company), _trim(text, pos, stop))
    return out, profile


def _apply_profile(entries: list[_Entry], profile: _Profile) -> list[_Entry]:
    """The profile's "title - employer" line names the most recent position."""
    title = profile.current_title
    if title is None or not (_has_title_head(title) or profile.current_company):
        return entries
    if not entries:
        return [_Entry(title, profile.current_company, [], profile.span, (profile.span[1], profile.span[1]))]
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


# The Details export's per-skill rows: "MS SQL SERVER- Exprience - 110 months" (its spelling).
_SKILL_MONTHS_RE = re.compile(r"(?im)^[^\n]{1,120}?-[ ]*exp(?:e)?rience[ ]*-[ ]*(\d{1,3})[ ]*months?\b")


def _stated_years(text: str) -> float | None:
    """The largest stated experience: "N years of experience" on one line, or a per-skill
    "Skill- Exprience - N months" row (experience with one skill is a lower bound of the total)."""
    values = []
    for m in _YEARS_STATED_RE.finditer(text):
        raw = m.group("n").lower()
        value = float(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else float(raw)
        values.append(value / 12 if m.group("unit").lower().startswith("month") else value)
    values += [int(m.group(1)) / 12 for m in _SKILL_MONTHS_RE.finditer(text)]
    plausible = [v for v in values if 0 < v <= 50]
    return round(max(plausible), 1) if plausible else None


def _month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _union_years(ranges: list[_Range]) -> float | None:
    """Total length of the union of the ranges, in years (month precision; overlaps counted once)."""
    today = _month_index(_today())
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
    for c in _chunks(text, 0, end):
        line = _one_line(c.text, HEADLINE_MAX + 40)
        if not line or len(line.split()) > 12 or _is_location(line) or _is_date_only(line):
            continue
        if not re.search(r"[A-Za-z]{2}", line) or _HEADING_CANON.get(line.lower().rstrip(":")):
            continue
        out.append(line)
    return out


def _headline(text: str, sections: list[_Section], profile: _Profile | None, fallback: str | None) -> str:
    if profile is not None and profile.desired_title:
        return profile.desired_title[:HEADLINE_MAX]
    first = sections[0].heading[0] if sections else min(len(text), 600)
    candidates = _headline_candidates(text, first)
    chosen = next((c for c in candidates if _has_title_head(c)), None)
    chosen = chosen or (candidates[0] if candidates else None) or fallback or ""
    return chosen[:HEADLINE_MAX].rstrip()


# ================================================================================================
# parse_resume
# ================================================================================================
def _skills(text: str, taxonomy: Taxonomy) -> list[SkillMention]:
    """Distinct skills (first mention kept), none inside contact data."""
    blocked = _contact_spans(text)
    seen: set[str] = set()
    out = []
    for m in taxonomy.extract_skills(text):
        if m.skill in seen or any(s < m.end and m.start < e for s, e in blocked):
            continue
        seen.add(m.skill)
        out.append(m)
    return out


def _experience_entries(text: str, sections: list[_Section]) -> list[_Entry]:
    entries: list[_Entry] = []
    for s in sections:
        if s.canon != "experience" or s.body[1] <= s.body[0]:
            continue
        labelled = _labelled_entries(text, *s.body)
        entries.extend(labelled if labelled is not None else _date_anchored_entries(text, *s.body))
    return entries


def parse_resume(text: str, taxonomy: Taxonomy | None = None) -> ParsedResume:
    """Parse ``ResumeDocument.raw_text`` into sections, skills, experience, education and years.

    Uses :func:`tools.taxonomy.load` when ``taxonomy`` is None. Every span points into ``text``.
    """
    taxonomy = taxonomy or load()
    sections, profile = _details_layout(text, _split_sections(text))
    entries = _experience_entries(text, sections)
    if profile is not None:
        entries = _apply_profile(entries, profile)
    experiences = [x for x in (_to_experience(text, e) for e in entries) if x is not None]
    experiences = _order_recent_first(experiences)
    educations = [
        edu for s in sections if s.canon == "education" and s.body[1] > s.body[0]
        for edu in _education_entries(text, *s.body, rows_only=profile is not None)
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
    summary = _scrub(text[summary_section.body[0]:summary_section.body[1]]) if summary_section else ""
    spans: dict[str, tuple[int, int]] = {}
    for s in sections:  # the largest section of each kind is the main one
        if s.canon not in spans or s.body[1] - s.body[0] > spans[s.canon][1] - spans[s.canon][0]:
            spans[s.canon] = s.body
    return ParsedResume(
        headline=_one_line(headline, HEADLINE_MAX) or "",
        summary=summary,
        sections=spans,
        skills=_skills(text, taxonomy),
        experiences=experiences,
        educations=educations,
        years_experience=years,
        current_title=current_title,
        occupation_code=match.code if match else None,
        contact_free=True,
    )
