"""Markdown-formatted resumes read as their plain text: the formatting marks become spaces, offsets kept.

Resumes exported by generators and editors often come as Markdown: ``**EXPERIENCE**`` headings,
``**Title** - *Company, City* - Month YYYY - Present`` entry lines, ``# Name`` titles, ``---`` rules and
``[SECTION]`` labels. :func:`unmark` replaces those marks by spaces (and a dash that follows closing emphasis,
separating an entry's fields, by a bar), so the layout reader finds the same
headings, entries and dates as in the plain-text form, and every span still points into the original text.
List bullets (``* item``, ``- item``) are kept: they are layout, not emphasis.
"""

from __future__ import annotations

import re

__all__ = ["unmark"]

# Emphasis only in pairs on one line, so "SQL*Loader" or "__init__" keep their marks.
_STRONG_RE = re.compile(r"(\*\*|(?<!\w)__)(?=\S)([^\n]*?\S)\1(?!\w)")
_EMPHASIS_RE = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")
_HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_RULE_RE = re.compile(r"^[ \t]*(?:[-=_*][ \t]*){3,}$", re.MULTILINE)
_LABEL_RE = re.compile(r"^([ \t]*)\[([^\[\]\n]{2,60})\]([ \t:]*)$", re.MULTILINE)
_MARKS = ("*", "__", "#", "---", "===", "[")
# "**Title** - *Company* - dates": a dash after closing emphasis separates fields; it becomes a bar.
_FIELD_DASH_RE = re.compile(r"(?<=[^\s*_])(\*{1,2}|__)([ \t]+)[-–—]([ \t]+)")


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _unpair(m: re.Match[str]) -> str:
    mark = " " * len(m.group(1))
    return f"{mark}{_STRONG_RE.sub(_unpair, m.group(2))}{mark}"


def unmark(text: str) -> str:
    """``text`` with Markdown emphasis, heading marks, rules and bracketed section labels replaced by spaces."""
    if not any(mark in text for mark in _MARKS):
        return text
    text = _RULE_RE.sub(_spaces, text)
    text = _FIELD_DASH_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}|{m.group(3)}", text)
    text = _STRONG_RE.sub(_unpair, text)
    text = _EMPHASIS_RE.sub(lambda m: f" {m.group(1)} ", text)
    text = _HEADING_RE.sub(_spaces, text)
    return _LABEL_RE.sub(lambda m: f"{m.group(1)} {m.group(2)} {m.group(3)}", text)
