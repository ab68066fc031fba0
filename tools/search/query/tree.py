"""The parsed query's tree: terms combined by AND, OR and NOT."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    text: str  # as typed (without quotes / trailing *)
    field: str | None  # None = any field; else one of FIELDS
    phrase: bool  # was quoted (or has several words)
    prefix: bool  # kube*
    position: int  # 0-based offset in the query
    skill: str | None  # canonical skill when the term names one (field None or 'skill')
    expansions: tuple[str, ...]  # surface forms to look for


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | And | Or | Not


def walk(node: Node | None, negated: bool = False) -> Iterator[tuple[Term, bool]]:
    """Every term of the tree in query order, with whether it stands under an odd number of NOTs."""
    if isinstance(node, Term):
        yield node, negated
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from walk(child, negated)
    elif isinstance(node, Not):
        yield from walk(node.child, not negated)
