"""Text addressed to an AI or hidden from a human reader: found, blanked before matching, and reported.

:func:`suspicious_regions` finds sentences (or lines) addressed to an AI and runs of zero-width or
direction-control characters; :func:`blank` replaces them by spaces (offsets kept) so they never count toward a
verdict and are never quoted; :func:`region_warnings` is the one rule that tells the recruiter what was ignored,
for the classical matcher and for a model's judgement alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.spans import merge_spans

__all__ = ["LABEL_HIDDEN", "LABEL_INSTRUCTION", "blank", "region_warnings", "sentence_around", "suspicious_regions"]

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
    "note for", "message for",
)
_TRIGGER_WINDOW = 160  # characters either side of a trigger word searched for a whole instruction phrase
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s|$)")


def suspicious_regions(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` addressed to an AI (whole sentence or line) or hidden with zero-width characters.

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
        start, end = sentence_around(norm, m.start(), m.end())
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


def region_warnings(regions: Sequence[tuple[int, int, str]], text: str, where: str = "") -> list[str]:
    """What was ignored, for the recruiter: the passages addressed to an AI (the first one quoted, without
    hidden characters, at most 80 characters) and the runs of hidden characters outside those passages.

    ``regions`` are :func:`suspicious_regions` of ``text``; ``where`` names a source other than the profile
    (" in the resume").
    """
    instructions = [(s, e) for s, e, label in regions if label == LABEL_INSTRUCTION]
    hidden = [(s, e) for s, e, label in regions if label == LABEL_HIDDEN
              and not any(a <= s and e <= b for a, b in instructions)]
    warnings = []
    if instructions:
        s, e = instructions[0]
        quote = " ".join(_HIDDEN_RE.sub("", text[s:e]).split())
        quote = quote if len(quote) <= 80 else quote[:77].rstrip() + "..."
        noun = "passage" if len(instructions) == 1 else "passages"
        warnings.append(f'Ignored {len(instructions)} {noun} addressed to an AI{where}: "{quote}"')
    if hidden:
        noun = "run" if len(hidden) == 1 else "runs"
        warnings.append(f"Ignored {len(hidden)} {noun} of zero-width or direction-control characters{where}")
    return warnings
