"""Skills named in the request, and which of them are must-haves and which nice to have."""

from __future__ import annotations

import re

from tools.requirements.document import NICE_RE, PART_BREAK, Document, overlaps, pieces
from tools.requirements.role import Role
from tools.taxonomy import SkillMention, Taxonomy, tokens

_DEGREE_BEFORE_RE = re.compile(r"(?:degree|bachelor\S*|master\S*|b\.?sc?|m\.?sc?|ph\.?d|diploma|major)\b[^.;]{0,25}"
                               r"\b(?:in|of)\s+[^.;]{0,40}$", re.IGNORECASE)
# Product names that are also plain words; written in lower case they are the word ("our analytics team").
_PLAIN_WORD_PRODUCTS = {"analytics", "cloud", "calendar", "drive", "docs", "sheets", "forms", "search", "maps",
                        "translate", "data", "pages", "numbers", "keynote", "photos", "mail", "messages", "notes"}
_GO_VERB_NEXT = {"to", "ahead", "live", "beyond", "get", "out", "through", "above", "back", "into", "over", "the",
                 "for", "on", "further", "far", "extra", "all", "from", "getter", "getters", "after"}
_GO_VERB_BEFORE_RE = re.compile(r"(?:ready to|good to|let'?s|lets|on the|to get up and|will|can|must|and)\s*$",
                                re.IGNORECASE)


def keep_mention(mention: SkillMention, text: str, taxonomy: Taxonomy, role: Role | None,
                  skip: list[tuple[int, int]]) -> bool:
    """Whether a skill mention is a skill here: not a title word, "go" the verb, a plain word or a degree subject."""
    span = (mention.start, mention.end)
    if overlaps(span, skip):
        return False
    if role and role.start <= mention.start < role.end:
        kind = taxonomy.skills.get(mention.skill)
        if kind != "technology" or mention.surface.lower() == role.head:
            return False
    if mention.surface == "Go" and _go_is_verb(text, mention):
        return False
    if mention.surface in _PLAIN_WORD_PRODUCTS:
        return False
    if taxonomy.skills.get(mention.skill) == "basic" and " " not in mention.skill:
        return bool(re.match(r"\s+skills?\b", text[mention.end:], re.IGNORECASE))
    return not _DEGREE_BEFORE_RE.search(text[max(0, mention.start - 60):mention.start])


def _go_is_verb(text: str, mention: SkillMention) -> bool:
    after = tokens(text[mention.end:mention.end + 20])
    if after and after[0][0].lower() in _GO_VERB_NEXT and not text[mention.end:].startswith((",", " and", " or")):
        return True
    return bool(_GO_VERB_BEFORE_RE.search(text[max(0, mention.start - 25):mention.start]))


def find_nice_spans(doc: Document, mentions: list[SkillMention]) -> list[tuple[int, int]]:
    """Spans of text whose skills are nice to have: nice sections, and clauses marked "a plus", "ideally"..."""
    spans: list[tuple[int, int]] = []
    for segment in doc.segments:
        if segment.section == "nice":
            spans.append((segment.start, segment.end))
            continue
        for part, part_at in pieces(segment.text, segment.start, PART_BREAK):
            spans += _nice_clauses(pieces(part, part_at, ","), mentions)
    return spans


def _nice_clauses(clauses: list[tuple[str, int]], mentions: list[SkillMention]) -> list[tuple[int, int]]:
    nice = [False] * len(clauses)
    for i, (clause, at) in enumerate(clauses):
        marker = NICE_RE.search(clause)
        if not marker:
            continue
        nice[i] = True
        first_skill = min((m.start - at for m in mentions if at <= m.start < at + len(clause)), default=None)
        leading = first_skill is None or marker.start() < first_skill
        _spread(clauses, nice, i, mentions, forward=leading, plural=" are " in f" {clause.lower()} ")
    return [(at, at + len(c)) for (c, at), flag in zip(clauses, nice, strict=True) if flag]


def _spread(clauses: list[tuple[str, int]], nice: list[bool], i: int, mentions: list[SkillMention], *,
            forward: bool, plural: bool) -> None:
    """Mark neighbouring bare skill lists as nice: forward after "Ideally: X", backward before "X, Y are a plus"."""
    if not forward and not plural:
        return
    step = 1 if forward else -1
    j = i + step
    while 0 <= j < len(clauses) and _bare_skills(*clauses[j], mentions):
        nice[j] = True
        j += step


def _bare_skills(clause: str, at: int, mentions: list[SkillMention]) -> bool:
    inside = [m for m in mentions if at <= m.start < at + len(clause)]
    if not inside:
        return False
    rest = clause
    for m in sorted(inside, key=lambda m: -m.start):
        rest = rest[:m.start - at] + " " + rest[m.end - at:]
    return all(t.lower() in {"and", "or", "&", "/", "as", "well", "also"} for t, _, _ in tokens(rest))


def split_skills(mentions: list[SkillMention], nice_spans: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """(must-have, nice-to-have) skills in order of first mention; a skill named in both is a must-have."""
    must: list[str] = []
    nice: list[str] = []
    for mention in mentions:
        target = nice if overlaps((mention.start, mention.end), nice_spans) else must
        if mention.skill not in target:
            target.append(mention.skill)
    return must, [s for s in nice if s not in must]
