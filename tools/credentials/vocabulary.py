"""The credential vocabulary (``tools/taxonomy_data/credentials.json``) and the finder of credential mentions.

A mention is found by one alternation regex over every form (any-case forms and exact-case acronyms apart), then
checked in its context: a form that is also an ordinary abbreviation ("CMA", "EA", "CSM", "hazmat") counts only
next to a credential word, another credential or under a certifications heading; words such as "Bureau of Labor
Statistics" or "wages" in the same sentence make "BLS" something else; a form shared by two credentials ("CMA":
management accountant or medical assistant) is told apart by the words around it. Each mention carries its
status: held, in progress ("pursuing", "CPA candidate") or expired.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from tools.resumes.layout import heading_kind

__all__ = [
    "Credential", "CredentialMention", "CredentialStatus", "all_credentials", "canonical_credential",
    "find_credentials", "satisfying", "typical_credentials",
]

DATA_FILE = Path(__file__).resolve().parent.parent / "taxonomy_data" / "credentials.json"
CredentialStatus = Literal["held", "in_progress", "expired"]

_SEP = r"[\s/\-–()]*"
_CUE_RE = re.compile(r"\b(?:certif\w*|licen[cs]\w*|credential\w*|card|endorse\w*|registered|registry|exam\w*|"
                     r"passed|holder|active|valid|current|expir\w*|issued|accredit\w*)\b|#\s*\d", re.IGNORECASE)
_BEFORE_PROGRESS_RE = re.compile(r"\b(?:pursuing|working (?:toward|towards|on)|studying for|preparing for|"
                                 r"currently completing|enrolled in|sitting for|in progress:?)\s+(?:an?\s+|the\s+|"
                                 r"my\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_BEFORE_EXPIRED_RE = re.compile(r"\b(?:expired|lapsed|inactive|former|previously held)\s+(?:[\w-]+\s+){0,1}$",
                                re.IGNORECASE)
_AFTER_STATUS_RE = re.compile(r"^[\s,:(\-–—]{0,4}(?:(?P<progress>candidate|in[- ]progress|pending|eligible|"
                              r"expected|anticipated|exam scheduled|coursework)|(?P<expired>expired|lapsed|"
                              r"inactive|not current|not renewed))\b", re.IGNORECASE)
_JOINED_RE = re.compile(r"\s*(?:/|&|\bor\b|\band\b)\s*", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?;\n]")
_WORD_RE = re.compile(r"(?<![\w+#])[A-Za-z0-9][\w+#.&'’]*")


@dataclass(frozen=True, slots=True)
class Credential:
    """One licence, certification or endorsement with the ways it is written and where it belongs."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...] = ()
    needs_cue: frozenset[str] = frozenset()
    avoid: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    share: dict[str, float] = field(default_factory=dict)
    group: str | None = None
    satisfied_by: tuple[str, ...] = ()
    source: str = ""

    def belongs_to(self, code: str | None) -> bool:
        return bool(code) and any(code.startswith(p) for p in self.occupations)  # type: ignore[union-attr]

    def share_for(self, code: str) -> float:
        """How common the credential is in an occupation: the longest matching prefix's share, else 0."""
        best = max((p for p in self.share if code.startswith(p)), key=len, default=None)
        return self.share[best] if best is not None else 0.0


@dataclass(frozen=True, slots=True)
class CredentialMention:
    """A credential named in a text, with its span, the words as written and its status."""

    name: str
    start: int
    end: int
    surface: str
    status: CredentialStatus = "held"


def _first_word(form: str) -> str:
    return re.split(r"[\s/\-–]+", form.strip())[0].lower().rstrip(".'’")


def _part_pattern(part: str) -> str:
    low = part.lower()
    if low in ("license", "licence", "licenses", "licences", "licensed", "licenced"):
        return "licen[cs]" + re.escape(low[6:])
    if low.endswith(("'s", "’s")):
        return re.escape(part[:-2]) + r"(?:['’]?s)?"
    return re.escape(part)


def _form_pattern(form: str) -> str:
    parts = [p for p in re.split(r"[\s/\-–]+", form.strip()) if p]
    body = _SEP.join(_part_pattern(p) for p in parts)
    return rf"(?<![\w+#]){body}(?![\w+])" if not form.endswith("+") else rf"(?<![\w+#]){body}(?!\w)"


def _alternation(forms: Iterable[str], flags: int = 0) -> re.Pattern[str] | None:
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    return re.compile("|".join(_form_pattern(f) for f in ordered), flags) if ordered else None


class _Finder:
    """Every credential's forms compiled; a surface is mapped back to the credentials that own it."""

    def __init__(self, creds: Sequence[Credential]) -> None:
        self.creds = list(creds)
        by_word: dict[str, tuple[list[str], list[str]]] = {}
        for c in creds:
            for f in c.aliases:
                by_word.setdefault(_first_word(f), ([], []))[0].append(f)
            for f in c.exact:
                by_word.setdefault(_first_word(f), ([], []))[1].append(f)
        self.starting = {w: (_alternation(any_case, re.IGNORECASE), _alternation(exact))
                         for w, (any_case, exact) in by_word.items()}
        self._owners: dict[str, list[tuple[int, bool]]] = {}
        self._own_i = [_alternation(c.aliases, re.IGNORECASE) for c in creds]
        self._own_x = [_alternation(c.exact) for c in creds]
        self._cue_i = [_alternation((f for f in c.aliases if f in c.needs_cue), re.IGNORECASE) for c in creds]
        self._cue_x = [_alternation(f for f in c.exact if f in c.needs_cue) for c in creds]

    def owners(self, surface: str, exact: bool) -> list[tuple[int, bool]]:
        """(credential index, needs a cue) of each credential one of whose forms is exactly ``surface``."""
        key = f"{int(exact)}{surface}"
        if key not in self._owners:
            own, cue = (self._own_x, self._cue_x) if exact else (self._own_i, self._cue_i)
            self._owners[key] = [(i, bool(cue[i] and cue[i].fullmatch(surface)))  # type: ignore[union-attr]
                                 for i, pattern in enumerate(own) if pattern and pattern.fullmatch(surface)]
        return self._owners[key]

    def hits(self, text: str) -> list[tuple[int, int, str, bool]]:
        """(start, end, surface, exact) of the longest form at each place, overlaps dropped."""
        raw = []
        for word in _WORD_RE.finditer(text):  # only the forms that start with the word are tried there
            patterns = self.starting.get(word.group().lower().rstrip(".'’"))
            if patterns is None:
                continue
            for pattern, exact in zip(patterns, (False, True), strict=True):
                if pattern is not None and (m := pattern.match(text, word.start())):
                    raw.append((m.start(), m.end(), m.group(), exact))
        raw.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, str, bool]] = []
        for hit in raw:
            if kept and hit[0] < kept[-1][1]:
                continue
            kept.append(hit)
        return kept


@cache
def all_credentials() -> dict[str, Credential]:
    """The vocabulary by canonical name."""
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["credentials"]
    out = {}
    for r in rows:
        out[r["name"]] = Credential(
            name=r["name"], kind=r["kind"], aliases=tuple(r.get("aliases", ())), exact=tuple(r.get("exact", ())),
            needs_cue=frozenset(r.get("needs_cue", ())), avoid=tuple(r.get("avoid", ())),
            hints=tuple(r.get("hints", ())), occupations=tuple(r.get("occupations", ())),
            share=dict(r.get("share", {})), group=r.get("group"), satisfied_by=tuple(r.get("satisfied_by", ())),
            source=r.get("source", ""))
    return out


@cache
def _finder() -> _Finder:
    return _Finder(list(all_credentials().values()))


def canonical_credential(text: str, occupation: str | None = None) -> str | None:
    """The canonical name of a credential given by its name or one of its forms ("CDL-A" → "CDL Class A"). A form
    two credentials share ("CMA") goes to the one that belongs to ``occupation`` (an O*NET code), else the first."""
    text = text.strip()
    if text in all_credentials():
        return text
    finder = _finder()
    for exact in (True, False):
        owners = [finder.creds[i] for i, _cue in finder.owners(text, exact)]
        if owners:
            return next((c for c in owners if c.belongs_to(occupation)), owners[0]).name
    found = {m.name for m in find_credentials(text, occupation)}
    return found.pop() if len(found) == 1 else None


def satisfying(name: str) -> list[str]:
    """The credential and every credential that includes it, nearest first ("CDL Class C" → C, B, A)."""
    creds = all_credentials()
    out = [name]
    for item in out:
        for other in creds[item].satisfied_by if item in creds else ():
            if other not in out:
                out.append(other)
    return out


def typical_credentials(code: str) -> list[tuple[Credential, float]]:
    """The credentials held in an occupation and the share of its workers who hold each, vocabulary order."""
    return [(c, s) for c in all_credentials().values() if (s := c.share_for(code)) > 0]


@cache
def _first_words_of(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first words of the credentials' forms: lower case for any-case forms, as written for acronyms."""
    creds = [all_credentials()[n] for n in names if n in all_credentials()]
    any_case = {_first_word(f) for c in creds for f in c.aliases}
    exact = {re.split(r"[\s/\-–]+", f.strip())[0] for c in creds for f in c.exact}
    return tuple(sorted(any_case)), tuple(sorted(exact))


def find_credentials(text: str, occupation: str | None = None,
                     names: tuple[str, ...] | None = None) -> list[CredentialMention]:
    """Credentials named in ``text``, in text order, each with its status. ``occupation`` (an O*NET code) settles a
    form two credentials share when the words around it do not; ``names`` keeps only those credentials (and skips
    the text fast when none of their forms occurs)."""
    if names is not None:
        any_case, exact = _first_words_of(names)
        lower = text.lower()
        if not (any(w in lower for w in any_case) or any(w in text for w in exact)):
            return []
        return [m for m in _find_all(text, occupation) if m.name in names]
    return list(_find_all(text, occupation))


@lru_cache(maxsize=64)  # a profile is read once for each credential qualification it is judged against
def _find_all(text: str, occupation: str | None) -> tuple[CredentialMention, ...]:
    finder = _finder()
    hits = finder.hits(text)
    out: list[CredentialMention] = []
    for n, (start, end, surface, exact) in enumerate(hits):
        owners = finder.owners(surface, exact)
        if not owners:
            continue
        listed = any(k != n and h[2] != surface and _same_line(text, h[0], start)
                     and any(not cue for _i, cue in finder.owners(h[2], h[3])) for k, h in enumerate(hits))
        chosen = _choose(finder, owners, text, (start, end, exact), occupation, listed or _joined(text, hits, n))
        if chosen is None:
            continue
        out.append(CredentialMention(chosen.name, start, end, surface, _status(text, start, end)))
    return tuple(out)


def _joined(text: str, hits: list[tuple[int, int, str, bool]], n: int) -> bool:
    """Whether the n-th hit is written as one of two alternatives or a pair ("CMA or RMA", "PHR/SPHR"): each
    abbreviation is then the other's cue."""
    pairs = ((hits[k], hits[k + 1]) for k in (n - 1, n) if 0 <= k < len(hits) - 1)
    return any(a[2] != b[2] and _JOINED_RE.fullmatch(text[a[1]:b[0]]) for a, b in pairs)


def _choose(finder: _Finder, owners: list[tuple[int, bool]], text: str, hit: tuple[int, int, bool],
            occupation: str | None, listed: bool) -> Credential | None:
    """The credential a mention names, or None when its context says it is something else. An abbreviation that
    needs a cue also counts in a text about an occupation the credential belongs to ("PE preferred" for a civil
    engineer)."""
    start, end, exact = hit
    sentence = _sentence(text, start, end).lower() + " " + text[max(0, start - 60):end + 60].lower()
    around = text[max(0, start - 120):end + 120].lower()
    fits: list[tuple[int, Credential]] = []
    for i, needs_cue in owners:
        cred = finder.creds[i]
        if any(re.search(rf"(?<!\w){re.escape(w.lower())}(?!\w)", sentence) for w in cred.avoid):
            continue
        if needs_cue and not (listed or (exact and cred.belongs_to(occupation)) or _cued(text, start, end)):
            continue
        score = sum(1 for h in cred.hints if re.search(rf"(?<!\w){re.escape(h.lower())}(?!\w)", around))
        fits.append((score + (2 if cred.belongs_to(occupation) else 0), cred))
    if not fits:
        return None
    fits.sort(key=lambda f: -f[0])
    if len(fits) > 1 and fits[0][0] == fits[1][0]:
        return None  # a shared form the context does not settle
    return fits[0][1]


def _cued(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    window = text[max(line_start, start - 60):min(line_end, end + 60)]
    return bool(_CUE_RE.search(window)) or _under_certifications(text, line_start)


def _under_certifications(text: str, line_start: int) -> bool:
    """Whether the line starting at ``line_start`` sits under a "Licenses & Certifications" style heading."""
    pos = line_start
    for _ in range(12):
        if pos <= 0:
            return False
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start:pos - 1].strip().rstrip(":")
        if line and len(line) <= 60 and (kind := heading_kind(line)) is not None:
            return kind == "certifications"
        pos = prev_start
    return False


def _same_line(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return "\n" not in text[lo:hi]


def _sentence(text: str, start: int, end: int) -> str:
    ends = [m.start() for m in _SENTENCE_END_RE.finditer(text, 0, start)]
    lo = ends[-1] + 1 if ends else 0
    m = _SENTENCE_END_RE.search(text, end)
    return text[lo:m.start() if m else len(text)]


def _status(text: str, start: int, end: int) -> CredentialStatus:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40):start]
    after = text[end:end + 40].split("\n", 1)[0]
    m = _AFTER_STATUS_RE.match(after)
    if (m and m.group("expired")) or _BEFORE_EXPIRED_RE.search(before):
        return "expired"
    if (m and m.group("progress")) or _BEFORE_PROGRESS_RE.search(before):
        return "in_progress"
    return "held"
