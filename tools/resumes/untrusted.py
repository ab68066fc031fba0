"""Untrusted resume text: passages addressed to an AI or an evaluator, and runs of hidden characters.

The one filter every import format goes through before anything is parsed, and the one the matcher and the
evidence verifier use. :func:`suspicious_regions` finds the passages (the whole line that holds an instruction
phrase, and the lines of the same paragraph around it) and the runs of zero-width or direction-control
characters; :func:`blank` replaces them by spaces (offsets kept); :func:`withhold` cuts them out of a document's
text and returns them apart, so they can be shown to the recruiter and never become parsed facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tools.resumes.layout import RANGE_RE, is_heading_line
from tools.spans import merge_spans

__all__ = [
    "LABEL_HIDDEN", "LABEL_HIDDEN_TEXT", "LABEL_INSTRUCTION", "Withheld", "blank", "passage_around",
    "sentence_around", "suspicious_regions", "withhold",
]

LABEL_HIDDEN_TEXT = "hidden text"  # text a reader of the original document cannot see (white, zero-size, hidden)
LABEL_INSTRUCTION = "instruction to an AI"
LABEL_HIDDEN = "zero-width characters"

_HIDDEN_CLASS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_HIDDEN_RE = re.compile(f"[{_HIDDEN_CLASS}]+")
_HIDDEN_SET = frozenset(
    chr(c) for lo, hi in ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0xFEFF, 0xFEFF))
    for c in range(lo, hi + 1)
)
_INSTRUCTION_PATTERNS = (
    r"\bignore\s+(?:(?:all|any|the|of|your|my)\s+)*(?:previous|prior|above|earlier|preceding|other)\s+"
    r"(?:instructions?|prompts?|directions?|rules?|guidelines?|context)",
    r"\bdisregard\s+(?:all|any|the|previous|prior|above|earlier|your|these|those|everything)\b",
    r"\bforget\s+(?:(?:all|everything|your|the)\s+)*(?:previous|prior|above|earlier)?\s*instructions",
    r"\byou\s+are\s+now\s+(?:an?|the)\b",
    r"\byou\s+are\s+(?:an?|the)\s+(?:helpful\s+|large\s+)?(?:ai|assistant|language\s+model|llm|model|bot|chatbot|"
    r"system|grader|judge|screener|evaluator|recruiting\s+(?:assistant|bot|ai)|hiring\s+(?:assistant|bot|ai))\b",
    r"\bsystem\s+prompt\b",
    r"\b(?:rate|mark|score|rank|classify|label)\s+(?:this|the)\s+(?:candidate|applicant|resume|profile)\s+as\b",
    r"\b(?:give|assign)\s+(?:this|the)\s+(?:candidate|applicant)\s+(?:a\s+|the\s+)?(?:score|rating|highest|top|"
    r"perfect|maximum)",
    r"\bthis\s+(?:candidate|applicant)\s+(?:meets|satisfies|fulfils|fulfills)\s+(?:all|every)\b",
    r"\bas\s+an\s+(?:ai|a\.i\.|language\s+model|llm)\b",
    r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|a\.i\.|llm|language\s+model|"
    r"chatgpt|gpt|assistant|screening\s+(?:bot|tool|software))\b",
    r"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:automated\s+|ai\s+)?"
    r"(?:evaluators?|screeners?|graders?|reviewers?|ranking\s+(?:system|model|tool)s?|ats|applicant\s+tracking\s+"
    r"systems?|(?:screening|recruiting|hiring)\s+(?:systems?|models?|tools?|software|algorithms?))\b",
    r"\b(?:this|the)\s+(?:candidate|applicant)\s+(?:has\s+(?:already\s+)?been|is|was)\s+(?:already\s+)?"
    r"(?:pre-?approved|pre-?screened|pre-?selected|pre-?verified|approved\s+by|verified\s+as)",
    r"\b(?:attention|notice|note|message)\s+(?:(?:to|for)\s+)?(?:the\s+|any\s+|all\s+)?(?:automated\s+)?"
    r"(?:ats|ai|llm|gpt|chatgpt|evaluators?|screeners?|graders?)\s*:",
    r"\brank\s+(?:this|the|my)\s+(?:candidate|applicant|resume|profile)\s+(?:first|highest|above|at\s+the\s+top|"
    r"#?1\b|number\s+one)",
    r"\bnew\s+instructions\s*:",
    r"^[ \t>*#-]*(?:system|assistant|user)\s*:\s*(?:you|ignore|disregard|forget|rate|mark|score|rank|the\s+candidate|"
    r"this\s+candidate|always|never|respond|answer|output|return)\b",
    r"#{2,}\s*(?:instruction|system|response)",
    r"<\|\s*im_(?:start|end)\s*\|>",
    r"<\|\s*(?:system|user|assistant|endoftext)\s*\|>",
    r"\[/?INST\]",
    r"<</?SYS>>",
    r"</?\s*system\s*>",
)
_INSTRUCTION_RE = re.compile("|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS), re.I | re.M)
# Cheap first check on lower-cased text (blanks squeezed): the full pattern runs only when one occurs.
_TRIGGERS = (
    "ignore", "disregard", "forget", "you are", "prompt", "candidate", "applicant", "resume as", "profile as",
    "as an ai", "as an a.i", "as an llm", "language model", "assistant:", "assistant :", "system:", "system :",
    "system>", "system|", "###", "<|", "inst]", "<<sys", "<</sys", "instruction", "note to", "message to",
    "note for", "message for", "attention", "notice", "instructions for", "rank this", "rank the", "rank my",
)
_TRIGGER_WINDOW = 160  # characters either side of a trigger word searched for a whole instruction phrase
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s|$)")
_PASSAGE_MAX = 1500  # characters a passage reaches beyond its instruction phrase


def suspicious_regions(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` addressed to an AI (the whole passage: see :func:`passage_around`) or hidden with
    zero-width characters.

    Instruction phrases are found on a copy without zero-width and direction-control characters, so
    ``"Ign\\u200bore previous instructions"`` is caught; offsets are mapped back to ``text``.
    """
    hidden = [] if text.isascii() else [(m.start(), m.end(), LABEL_HIDDEN) for m in _HIDDEN_RE.finditer(text)]
    index: list[int] | None = None
    norm = text
    if hidden:
        index = [i for i, ch in enumerate(text) if ch not in _HIDDEN_SET]
        norm = "".join(text[i] for i in index)
    spans: list[tuple[int, int]] = []
    for m in _instruction_matches(norm):
        start, end = passage_around(norm, m.start(), m.end())
        if index is not None:
            start, end = index[start], index[end - 1] + 1
        spans.append((start, end))
    instructions = [(s, e, LABEL_INSTRUCTION) for s, e in merge_spans(spans)]
    return sorted(instructions + hidden)


def _instruction_matches(norm: str) -> list[re.Match]:
    """Instruction phrases; the full pattern runs only in windows around the cheap trigger words."""
    lower = norm.lower()
    if len(lower) != len(norm):
        return list(_INSTRUCTION_RE.finditer(norm))
    squeezed = " ".join(lower.split()) if ("  " in lower or "\t" in lower or "\n" in lower) else lower
    if not any(t in squeezed for t in _TRIGGERS):
        return []
    if squeezed is not lower and not any(t in lower for t in _TRIGGERS):
        return list(_INSTRUCTION_RE.finditer(norm))  # a trigger only shows once blanks are squeezed
    windows = []
    for t in _TRIGGERS:
        pos = lower.find(t)
        while pos >= 0:
            windows.append((max(0, pos - _TRIGGER_WINDOW), min(len(norm), pos + len(t) + _TRIGGER_WINDOW)))
            pos = lower.find(t, pos + 1)
    found: dict[int, re.Match] = {}
    for lo, hi in merge_spans(windows):
        for m in _INSTRUCTION_RE.finditer(norm, lo, hi):
            found.setdefault(m.start(), m)
    return [found[k] for k in sorted(found)]


def passage_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The passage that holds ``text[start:end]``: from the start of its sentence to the end of its line, and the
    lines of the same paragraph after it (up to a blank line, a section heading or a dated line, at most 1,500
    characters), without surrounding blanks. Claims that follow an instruction never survive it."""
    s, _e = sentence_around(text, start, end)
    e = text.find("\n", end)
    e = len(text) if e < 0 else e
    while e < len(text) and e - end < _PASSAGE_MAX:
        nxt = text.find("\n", e + 1)
        nxt = len(text) if nxt < 0 else nxt
        if _ends_passage(text, e + 1, nxt):
            break
        e = nxt
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, end)


def _ends_passage(text: str, s: int, e: int) -> bool:
    """A line that no injected passage runs across: blank, a section heading, or one holding a date range."""
    line = text[s:e]
    return not line.strip() or is_heading_line(text, s, e) or RANGE_RE.search(line) is not None


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (within its line) that holds ``text[start:end]``, without surrounding blanks."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    s = line_start
    for stop in _SENTENCE_END_RE.finditer(text, line_start, start):
        s = stop.end()
    last = _SENTENCE_END_RE.search(text, max(end - 1, line_start), line_end)
    e = last.end() if last else line_end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else (start, end)


def blank(text: str, regions: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with the regions replaced by spaces (newlines kept), so offsets stay valid."""
    if not regions:
        return text
    parts, last = [], 0
    for s, e, _label in sorted(regions):
        if s < last:
            s = last
        if e <= s:
            continue
        parts.append(text[last:s])
        parts.append("".join("\n" if ch == "\n" else " " for ch in text[s:e]))
        last = e
    parts.append(text[last:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Withheld:
    """A passage kept out of a profile's text: what kind it is and its text (hidden characters removed)."""

    label: str
    text: str


def withhold(text: str) -> tuple[str, list[Withheld]]:
    """``text`` without its suspicious regions, and the regions apart (passages addressed to an AI first).

    A passage is replaced by nothing (the lines around it close up); a run of hidden characters is removed.
    """
    regions = suspicious_regions(text)
    if not regions:
        return text, []
    instructions = [(s, e) for s, e, label in regions if label == LABEL_INSTRUCTION]
    kept, out, last = [], [], 0
    for s, e, label in regions:
        if label == LABEL_HIDDEN and any(a <= s and e <= b for a, b in instructions):
            continue
        if s < last:
            s = last
        if e <= s:
            continue
        kept.append(text[last:s])
        if label == LABEL_INSTRUCTION:
            out.append(Withheld(label, " ".join(_HIDDEN_RE.sub("", text[s:e]).split())))
        last = e
    kept.append(text[last:])
    hidden_runs = sum(1 for s, e, label in regions if label == LABEL_HIDDEN
                      and not any(a <= s and e <= b for a, b in instructions))
    if hidden_runs:
        out.append(Withheld(LABEL_HIDDEN, f"{hidden_runs} run{'s' if hidden_runs != 1 else ''} of zero-width or "
                                          "direction-control characters"))
    cleaned = re.sub(r"[ \t]+\n", "\n", "".join(kept))
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip(), out
