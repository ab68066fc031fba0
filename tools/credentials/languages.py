"""Spoken-language levels: the words requests and profiles use for them, CEFR levels mapped onto the four levels
(basic < professional < fluent < native), the level written next to a language, and whether a text is English.

CEFR: A1, A2 and B1 are basic; B2 professional; C1 and C2 fluent. LinkedIn's proficiency names map the same way:
elementary and limited working are basic, professional working is professional, full professional is fluent,
native or bilingual is native.
"""

from __future__ import annotations

import re

from tools.hiring import LanguageLevel

__all__ = ["LEVEL_RANK", "SPOKEN_LANGUAGES", "level_in", "level_near", "written_in_english"]

# The spoken languages requests and profiles are read for.
SPOKEN_LANGUAGES: tuple[str, ...] = (
    "English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Polish", "Swedish", "Norwegian",
    "Danish", "Finnish", "Russian", "Ukrainian", "Czech", "Slovak", "Hungarian", "Romanian", "Bulgarian", "Greek",
    "Serbian", "Croatian", "Turkish", "Arabic", "Hebrew", "Persian", "Farsi", "Hindi", "Urdu", "Bengali",
    "Punjabi", "Tamil", "Telugu", "Marathi", "Gujarati", "Mandarin", "Cantonese", "Chinese", "Japanese", "Korean",
    "Vietnamese", "Thai", "Indonesian", "Malay", "Tagalog", "Filipino", "Swahili",
)

LEVEL_RANK: dict[str, int] = {"basic": 1, "professional": 2, "fluent": 3, "native": 4}

_LEVEL_PATTERNS: tuple[tuple[LanguageLevel, str], ...] = (  # most specific first
    ("native", r"native(?:[- ]level)?|native or bilingual(?: proficiency)?|mother[- ]tongue|first language"),
    ("fluent", r"full professional(?: working)?(?: proficiency)?|fluent(?:ly)?|fluency|advanced|c[12]|"
               r"near[- ]native|bilingual|excellent command|proficient"),
    ("professional", r"professional working(?: proficiency)?|professional|working proficiency|business[- ]level|"
                     r"business|upper[- ]intermediate|b2|good(?: command)?|working knowledge"),
    ("basic", r"limited working(?: proficiency)?|elementary(?: proficiency)?|conversational|intermediate|basic|"
              r"beginner|a[12]|b1|some knowledge"),
)
_LEVEL_RES = tuple((level, re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE))
                   for level, body in _LEVEL_PATTERNS)
_STOP = frozenset("the and of to in with for on at a an is was as by from our my i we have has this that be "
                  "are were it or".split())
_WORD_RE = re.compile(r"[A-Za-z]+")


def level_in(text: str) -> LanguageLevel | None:
    """The level a phrase names ("fluent", "C1", "native speaker", "professional working proficiency")."""
    for level, pattern in _LEVEL_RES:
        if pattern.search(text):
            return level
    return None


def level_near(text: str, start: int, end: int, names: re.Pattern[str] | None = None) -> LanguageLevel | None:
    """The level written next to a language mention at ``start:end``: just before it on its line ("fluent
    Spanish", "Fluent in English and Spanish"), else right after it ("Spanish (fluent)", "Spanish - C1",
    "Spanish: native", "Spanish native speaker")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = re.split(r"[,;|•·(:]", text[max(line_start, start - 40):start])[-1]
    if (level := level_in(before)) is not None:
        return level
    line_end = text.find("\n", end)
    after = re.split(r"[,;|•·]|\band\b", text[end:len(text) if line_end < 0 else line_end], maxsplit=1)[0]
    if names is not None and (m := names.search(after)):
        after = after[:m.start()]
    opened = re.match(r"\s*[(\[\-–—:]\s*", after)
    words = after[opened.end():].split()[:5] if opened else after.split()[:2]
    return level_in(" ".join(words))


def written_in_english(text: str) -> bool:
    """Whether a text reads as English prose: enough of its words are English function words."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < 30:
        return False
    return sum(1 for w in words if w in _STOP) / len(words) >= 0.06
