"""Reading resume files: CSV, TXT, PDF, DOCX and HTML, and the cleaning of their text.

Reading (:func:`iter_resume_documents`)
    A path is a file or a folder (folders are walked in name order). ``.csv`` files give one document
    per row (text column ``Resume`` or ``Resume_str``, optional ``Category`` and ``ID``); ``.txt`` is
    decoded as UTF-8 (BOM aware), then UTF-16 when it has a BOM, then cp1252, then Latin-1; ``.pdf`` is
    read with pypdf and ``.docx`` with python-docx (paragraphs and tables in document order); ``.html`` gives
    its visible text, and the text hidden from a human reader (white, zero-size, ``display:none``) apart; so
    does ``.docx`` for hidden, white and tiny runs, and ``.pdf`` for invisible or white text and for document
    properties addressed to an AI. A bad file never raises: it yields a :class:`ResumeSkip`
    whose ``reason`` says what is wrong, and a bad CSV row does not stop the rows after it.

Untrusted text
    Whatever the format, the text is then passed through :func:`tools.resumes.untrusted.withhold`: passages
    addressed to an AI or an evaluator and runs of hidden characters are cut out before anything is parsed,
    and kept in ``ResumeDocument.withheld`` with the hidden text, for the recruiter to see.

Cleaning (:func:`clean_text`)
    UTF-8 that was decoded as Latin-1/cp1252 ("NaÃ¯ve", "â€™") is repaired one character sequence at a
    time, only where the bytes decode as UTF-8; then NFC, NBSP/tabs/odd spaces become spaces, control
    characters other than newlines are dropped, symbol-font (private use) bullets become "•", and trailing
    spaces are stripped. Runs of spaces inside lines are kept: the livecareer export uses them as layout.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from tools.resumes.untrusted import LABEL_HIDDEN_TEXT, Withheld, withhold

__all__ = [
    "SUPPORTED_SUFFIXES",
    "TEXT_COLUMNS",
    "ResumeDocument",
    "ResumeError",
    "ResumeSkip",
    "clean_text",
    "iter_resume_documents",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".txt", ".csv", ".html", ".htm")
TEXT_COLUMNS: tuple[str, ...] = ("resume", "resume_str")


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
    withheld: tuple[Withheld, ...] = ()  # hidden text and passages addressed to an AI, kept out of raw_text

    @property
    def hidden(self) -> tuple[str, ...]:
        """The text a reader of the original cannot see (white, zero-size, ``display:none``, hidden runs)."""
        return tuple(w.text for w in self.withheld if w.label == LABEL_HIDDEN_TEXT)


@dataclass(frozen=True)
class ResumeSkip:
    source: str
    reason: str


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


_PDF_FILL_OPS = {b"rg": (1.0, 1.0, 1.0), b"g": (1.0,), b"k": (0.0, 0.0, 0.0, 0.0)}


def _pdf_page(page: object) -> tuple[str, list[str]]:
    """A page's text without its invisible (render mode 3 or 7) or white text, and that text apart."""
    state = {"hidden": False, "mode": 0, "white": False}
    stack: list[tuple[int, bool]] = []
    hidden: list[str] = []

    def before(op: bytes, args: list, _cm: object, _tm: object) -> None:
        if op == b"q":
            stack.append((int(state["mode"]), bool(state["white"])))
        elif op == b"Q" and stack:
            state["mode"], state["white"] = stack.pop()
        elif op == b"Tr" and args:
            state["mode"] = int(args[0])
        elif op in _PDF_FILL_OPS and len(args) == len(_PDF_FILL_OPS[op]):
            state["white"] = all(abs(float(a) - w) < 0.01 for a, w in zip(args, _PDF_FILL_OPS[op], strict=True))
        state["hidden"] = state["mode"] in (3, 7) or bool(state["white"])

    def text(chunk: str, *_rest: object) -> None:
        if state["hidden"] and chunk.strip():
            hidden.append(chunk)

    extracted = page.extract_text(visitor_operand_before=before, visitor_text=text) or ""  # type: ignore[attr-defined]
    for chunk in hidden:
        at = extracted.find(chunk)
        if at >= 0:
            extracted = extracted[:at] + extracted[at + len(chunk):]
    return extracted, [" ".join(h.split()) for h in hidden]


def _pdf_metadata_instructions(reader: object) -> list[str]:
    """Document properties (title, subject, keywords...) that address an AI: never text, but shown apart."""
    from tools.resumes.untrusted import suspicious_regions

    meta = getattr(reader, "metadata", None) or {}
    values = [" ".join(str(v).split()) for v in meta.values() if isinstance(v, str) and v.strip()]
    return [f"PDF properties: {v}" for v in values if suspicious_regions(v)]


def _read_pdf(data: bytes) -> tuple[str, tuple[str, ...]]:
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
        read = [_pdf_page(page) for page in reader.pages]
        pages = [text for text, _hidden in read]
        hidden = [h for _text, found in read for h in found] + _pdf_metadata_instructions(reader)
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
    return text, tuple(hidden)


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


_WHITE_RGB = ("FFFFFF", "FEFEFE")


def _run_hidden(run: object) -> bool:
    """A Word run a reader does not see: marked hidden, white, or under two points."""
    font = run.font  # type: ignore[attr-defined]
    if font.hidden:
        return True
    size = font.size
    if size is not None and size.pt < 2:
        return True
    rgb = font.color.rgb if font.color is not None and font.color.type is not None else None
    return rgb is not None and str(rgb).upper() in _WHITE_RGB


def _docx_paragraph(paragraph: object, hidden: list[str]) -> str:
    """A paragraph's visible text; the text of its hidden runs goes to ``hidden``."""
    runs = list(paragraph.runs)  # type: ignore[attr-defined]
    if not any(_run_hidden(r) for r in runs):
        return str(paragraph.text)  # type: ignore[attr-defined]
    parts = []
    for run in runs:
        if _run_hidden(run):
            if run.text.strip():
                hidden.append(" ".join(run.text.split()))
        else:
            parts.append(run.text)
    return "".join(parts)


def _read_docx(data: bytes) -> tuple[str, tuple[str, ...]]:
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
        hidden: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_lines(block))
            else:
                lines.append(_docx_paragraph(block, hidden))
    except zipfile.BadZipFile as exc:
        raise ResumeError("corrupt .docx (damaged zip archive)") from exc
    except (KeyError, ValueError, PackageNotFoundError) as exc:
        raise ResumeError("corrupt .docx (a zip archive without a Word document inside)") from exc
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds of errors
        raise ResumeError(f"corrupt .docx ({type(exc).__name__}: {str(exc)[:120]})") from exc
    text = clean_text("\n".join(lines))
    if not text.strip():
        raise ResumeError("Word document has no text")
    return text, tuple(hidden)


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
        kept, withheld = withhold(cleaned)
        if not kept:
            yield ResumeSkip(source, "row has only text addressed to an AI")
            continue
        yield ResumeDocument(source, kept, _cell(row, category_col), _cell(row, id_col), tuple(withheld))
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
    hidden: tuple[str, ...] = ()
    try:
        if suffix in (".html", ".htm"):
            text, hidden = _read_html(data)
        elif suffix == ".docx":
            text, hidden = _read_docx(data)
        elif suffix == ".pdf":
            text, hidden = _read_pdf(data)
        else:
            text = _read_text(data)
    except ResumeError as exc:
        yield ResumeSkip(name, exc.reason)
        return
    except Exception as exc:  # noqa: BLE001 - the contract: a bad file never raises
        yield ResumeSkip(name, f"cannot read {suffix} file ({type(exc).__name__}: {str(exc)[:120]})")
        return
    kept, withheld = withhold(text)
    if not kept:
        yield ResumeSkip(name, "the file has only text addressed to an AI")
        return
    found = tuple(Withheld(LABEL_HIDDEN_TEXT, h) for h in hidden) + tuple(withheld)
    yield ResumeDocument(name, kept, None, None, found)


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
