"""The words of reasons and summaries: short skill names, lists joined with "and"/"or", clipped text."""

from __future__ import annotations

from collections.abc import Sequence

from tools.hiring import QualificationSpec

__all__ = ["and_list", "clip_words", "display", "label", "num", "or_list"]


def display(skill: str) -> str:
    """A short name for reasons: "Structured query language SQL" → "SQL", "SAP software" → "SAP"."""
    name = skill.removesuffix(" software")
    words = name.split()
    if len(words) >= 3 and words[-1].isupper() and words[-1].isalpha():
        return words[-1]
    return name


def label(q: QualificationSpec) -> str:
    """A qualification in a few words: its skills, else its sentence clipped."""
    if q.skills:
        return and_list([display(s) for s in q.skills])
    return clip_words(q.text.rstrip("."), 60)


def and_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def clip_words(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."


def num(x: float) -> str:
    """A number of years as written in a reason: "7.5", "5"."""
    return f"{round(x, 1):g}"
