"""The token streams every backend searches: text folded (:func:`tools.text.fold`) and split into runs of
letters and digits exactly as SQLite's ``unicode61`` tokenizer splits them; skills as one-token slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from tools.text import fold

# Letters SQLite's unicode61 tables (Unicode 6.1) class as separators although Python's Unicode does not.
_FTS5_SEPARATORS = frozenset([*range(0x19B0, 0x19C1), 0x19C8, 0x19C9, 0x1CF2, 0x1CF3])
_RUN = re.compile(r"[^\W_]+")  # letters and digits: a superset of token characters


@lru_cache(maxsize=8192)
def is_token_char(ch: str) -> bool:
    """Letters and decimal/letter numbers: the characters FTS5 and PostgreSQL both keep inside a token."""
    category = unicodedata.category(ch)
    return (category[0] == "L" or category in ("Nd", "Nl")) and ord(ch) not in _FTS5_SEPARATORS


def token_spans(folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every token in already folded text."""
    for run in _RUN.finditer(folded):
        if run.group().isascii():
            yield run.span()
            continue
        start = None
        for i in range(run.start(), run.end()):
            if is_token_char(folded[i]):
                start = i if start is None else start
            elif start is not None:
                yield start, i
                start = None
        if start is not None:
            yield start, run.end()


def tokenize(text: str) -> tuple[str, ...]:
    """The folded tokens of text."""
    folded = fold(text)
    return tuple(folded[s:e] for s, e in token_spans(folded))


def token_text(text: str) -> str:
    """The folded tokens joined by single spaces: what both backends index."""
    return " ".join(tokenize(text))


def skill_slug(name: str) -> str:
    """A canonical skill as one alphanumeric token: 'C++' -> 'cplusplus', 'Node.js' -> 'nodedotjs'."""
    spelled = fold(name).replace("+", "plus").replace("#", "sharp").replace(".", "dot")
    return re.sub(r"[^0-9a-z]", "", spelled)
