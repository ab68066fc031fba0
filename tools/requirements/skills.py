"""Skills named in the request, and which of them are must-haves and which nice to have."""

from __future__ import annotations

import re

from tools.requirements.document import NICE_RE, PART_BREAK, Document, clauses_of, overlaps, pieces
from tools.requirements.facts import ACRONYM_RE, SHIFT_WORDS, SPOKEN_LANGUAGES, STATED_CUE_RE
from tools.requirements.role import Role
from tools.skill_phrases import esco_index
from tools.taxonomy import SkillMention, Taxonomy, tokens

_DEGREE_BEFORE_RE = re.compile(r"(?:degree|bachelor\S*|master\S*|b\.?sc?|m\.?sc?|ph\.?d|diploma|major)\b[^.;]{0,25}"
                               r"\b(?:in|of)\s+[^.;]{0,40}$", re.IGNORECASE)
# Product names that are also plain words; written in lower case they are the word ("our analytics team").
_PLAIN_WORD_PRODUCTS = {"analytics", "cloud", "calendar", "drive", "docs", "sheets", "forms", "search", "maps",
                        "translate", "data", "pages", "numbers", "keynote", "photos", "mail", "messages", "notes"}
_GO_VERB_NEXT = {"to", "ahead", "live", "beyond", "get", "out", "through", "above", "back", "into", "over", "the",
                 "for", "on", "further", "far", "extra", "all", "from", "getter", "getters", "after"}
# Words that lead into a skill list ("who knows", "experience with", "strong") and words no skill name holds.
_LEAD_IN = {"knows", "know", "knowing", "with", "in", "of", "experience", "experienced", "skills", "skill", "knowledge",
            "proficient", "proficiency", "familiar", "familiarity", "expertise", "strong", "solid", "good", "great",
            "excellent", "and", "or", "plus", "also", "using", "who", "has", "have", "having", "must", "should",
            "some", "hands-on", "a", "an", "the", "deep", "proven", "understanding"}
_NOT_A_SKILL = _LEAD_IN | {
    "years", "year", "yrs", "plus", "preferred", "ideally", "bonus", "nice", "required", "record", "clean", "license",
    "licence", "licensed", "certified", "certification", "able", "lift", "availability", "available", "shift",
    "attitude", "player", "ethic", "team", "our", "your", "we", "you", "is", "are", "be", "to", "for", "on", "at",
    "from", "as", "by", "it", "this", "that", "will", "can", "need", "needs", "role", "job", "position", "person",
    "someone", "candidate", "degree", "background", "check", "valid", "own", "willing", "etc", "like", "similar",
}
_NOT_A_SKILL |= SHIFT_WORDS | {
    "communicator", "self-starter", "motivated", "reliable", "friendly", "punctual", "energetic", "positive",
    "hardworking", "hard-working", "detail-oriented", "dependable", "flexible", "passionate", "fast", "learner",
    "bilingual", "multilingual", "speaker", "speaking", "fluent", "native", "remote", "hybrid", "onsite", "on-site",
    "office", "full-time", "part-time", "contract", "temporary", "permanent", "asap", "urgent", "urgently",
    "card", "endorsement", "permit", "registration", "credential", "credentials", "certificate", "clearance",
    "diploma", "licenses", "licences", "certifications",  # a credential, read by the credential rules
} | {language.lower() for language in SPOKEN_LANGUAGES}
_CREDENTIAL_NEXT_RE = re.compile(r"\s*(?:certifi\w*|certificate|licen[cs]\w*)\b", re.IGNORECASE)
_ITEM_BREAK = r"\band\b|\bor\b|&|\bas well as\b"
_SETTING_RE = re.compile(r"\b(?:in|at|within|inside)\b", re.IGNORECASE)
_GO_VERB_BEFORE_RE = re.compile(r"(?:ready to|good to|let'?s|lets|on the|to get up and|will|can|must|and)\s*$",
                                re.IGNORECASE)


def keep_mention(mention: SkillMention, text: str, taxonomy: Taxonomy, role: Role | None,
                  skip: list[tuple[int, int]]) -> bool:
    """Whether a skill mention is a skill here: not a title word, "go" the verb, a plain word or a degree subject."""
    span = (mention.start, mention.end)
    if overlaps(span, skip) or (role and overlaps(span, _title_repeats(text, role))):
        return False
    if role and role.start <= mention.start < role.end:  # 'Go developer' yes, 'Medical assistant' no
        kind = taxonomy.skills.get(mention.skill)
        if kind != "technology" or mention.surface.lower() == role.head or mention.skill not in taxonomy.hot_skills:
            return False
        if mention.surface != mention.skill and mention.surface.lower() in esco_index().plain_words:
            return False  # 'Project Manager' names no Microsoft Project
    if _CREDENTIAL_NEXT_RE.match(text[mention.end:]):
        return False  # 'AWS certification' (the welding society's): a credential, not the skill
    if mention.skill.endswith(" software") and mention.surface.islower() and mention.skill not in taxonomy.hot_skills:
        return False  # a kind of software written as the plain word: 'shipping', 'call center', 'testing'
    if mention.surface == "Go" and _go_is_verb(text, mention):
        return False
    if mention.surface in _PLAIN_WORD_PRODUCTS:
        return False
    if taxonomy.skills.get(mention.skill) == "basic" and " " not in mention.skill:
        return bool(re.match(r"\s+skills?\b", text[mention.end:], re.IGNORECASE))
    return not _DEGREE_BEFORE_RE.search(text[max(0, mention.start - 60):mention.start])


def names_skill(mention: SkillMention, taxonomy: Taxonomy) -> bool:
    """Whether a kept mention can be a required skill of a request: not an ESCO label that reads as a duty ("lead a
    team", "troubleshoot": the request's stated requirements hold it), not a product whose name is a plain word
    written as the word ("harvest")."""
    if mention.skill not in taxonomy.skills and esco_index().is_verb_phrase(mention.skill):
        return False
    return not (mention.skill.isupper() and mention.surface.islower())


def _title_repeats(text: str, role: Role) -> list[tuple[int, int]]:
    """Where the role's title phrase is written again ("We are hiring a Sales Manager to ...")."""
    phrase = text[role.start:role.end]
    if len(phrase) < 3:
        return []
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
            if m.start() != role.start]


def _go_is_verb(text: str, mention: SkillMention) -> bool:
    after = tokens(text[mention.end:mention.end + 20])
    if after and after[0][0].lower() in _GO_VERB_NEXT and not text[mention.end:].startswith((",", " and", " or")):
        return True
    return bool(_GO_VERB_BEFORE_RE.search(text[max(0, mention.start - 25):mention.start]))


def phrase_skills(doc: Document, mentions: list[SkillMention], anchors: list[tuple[int, int]],
                  years: list[tuple[int, int]]) -> list[SkillMention]:
    """The mentions with multi-word skills kept whole: a generic skill word with its modifier ("A/B testing", not
    "Testing") and short noun phrases listed beside known skills ("Python, stakeholder management"), each named as
    written. A phrase alone in its clause is context ("agency", "night shift"), a phrase after a number of years the
    field the years were spent in ("5 years public accounting") and a verb with its object a duty ("managing
    crews"): none of them is a skill. ``anchors`` holds the role, place and language spans, ``years`` the years
    stated."""
    out = list(mentions)
    skip = anchors + years
    for segment in doc.segments:
        clauses = clauses_of(segment, extra=r"\bwith\b|\bwho\b|\bhaving\b")
        for k, (clause, at) in enumerate(clauses):
            items = [(t, a) for t, a in pieces(clause, at, _ITEM_BREAK + "|" + NICE_RE.pattern)]
            listed = any(at <= m.start < at + len(clause) for m in out) or any(
                _lists_skills(*clauses[n], out) for n in (k - 1, k + 1) if 0 <= n < len(clauses))
            alone = not doc.long and not overlaps((at, at + len(clause)), anchors) and not STATED_CUE_RE.search(clause)
            for item, item_at in items:
                found = _item_skill(item, item_at, out, listed or alone, skip)
                if found is None or overlaps((found.start, found.end), skip):
                    continue
                after_years = [end for start, end in years if at <= start < found.start]
                if after_years and _SETTING_RE.search(doc.text[max(after_years):found.start]):
                    continue  # where the years were spent: '3 years in a busy clinic'
                if (after_years or not listed) and (not _is_name(found.surface) or _acronyms(found.surface)):
                    continue  # the field years were spent in ('public accounting'), context ('agency', 'SaaS')
                out = [m for m in out if not (found.start <= m.start < found.end)] + [found]
    return sorted(out, key=lambda m: m.start)


def _is_name(phrase: str) -> bool:
    """Whether a phrase names a product or a named method rather than plain words: a word with a capital inside
    it, a digit, or a capitalised word that is no plain English word of the skill vocabulary ('Dentrix')."""
    plain = esco_index().plain_words
    for i, word in enumerate(re.findall(r"[\w+#/.-]+", phrase)):
        if any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:]):
            return True
        if word[:1].isupper() and word.lower() not in plain and (i > 0 or len(word) > 2):
            return True
    return False


def _acronyms(phrase: str) -> bool:
    """Whether a phrase is only short acronyms ('AP/AR', 'SaaS', 'QA'): a licence, a field or a market more often
    than a skill when nothing around it is a skill."""
    words = re.findall(r"[A-Za-z0-9]+", phrase)
    return bool(words) and all(len(w) <= 5 and sum(c.isupper() for c in w) >= 2 for w in words)


def split_at_brackets(mentions: list[SkillMention], taxonomy: Taxonomy) -> list[SkillMention]:
    """Mentions read across an opening bracket ('Microsoft Office (Outlook') read again on each side of it."""
    out: list[SkillMention] = []
    for mention in mentions:
        cut = mention.surface.find("(")
        if cut < 0:
            out.append(mention)
            continue
        for part, at in ((mention.surface[:cut], mention.start), (mention.surface[cut + 1:], mention.start + cut + 1)):
            out += [SkillMention(m.skill, at + m.start, at + m.end, m.surface) for m in taxonomy.extract_skills(part)]
    return out


def _lists_skills(clause: str, at: int, mentions: list[SkillMention]) -> bool:
    """Whether a clause is a list of known skills, lead-in words aside ("with Python and SQL")."""
    inside = [m for m in mentions if at <= m.start < at + len(clause)]
    rest = clause
    for m in sorted(inside, key=lambda m: -m.start):
        rest = rest[:m.start - at] + " " + rest[m.end - at:]
    return bool(inside) and all(t.lower() in _LEAD_IN | {"&", "as", "well"} for t, _, _ in tokens(rest))


def _not_skill_word(item: str, word: str, start: int, end: int) -> bool:
    slashed = item[end:end + 1] == "/" or item[start - 1:start] == "/"  # 'A/B testing'
    return not re.fullmatch(r"[A-Za-z][\w/+.-]*", word) or (word.lower() in _NOT_A_SKILL and not slashed)


def _item_skill(item: str, at: int, mentions: list[SkillMention], listed: bool,
                skip: list[tuple[int, int]]) -> SkillMention | None:
    """The skill one list item names when the taxonomy's mention misses part of it, else None."""
    words = [w for w in tokens(item) if not overlaps((at + w[1], at + w[2]), skip)]  # '2 years B2B sales'
    while words and words[0][0].lower() in _LEAD_IN and item[words[0][2]:words[0][2] + 1] != "/":  # 'A/B'
        words = words[1:]
    if not 1 <= len(words) <= 4 or any(_not_skill_word(item, *w) for w in words):
        return None
    start, end = at + words[0][1], at + words[-1][2]
    inside = [m for m in mentions if start <= m.start < end]
    if len(inside) == 1 and inside[0].end == end and inside[0].start > start and inside[0].surface.islower() \
            and " " not in inside[0].surface:
        pass  # a generic word with its modifier: 'A/B testing', 'unit testing'
    elif inside or not listed or len(words) == 1 and (ACRONYM_RE.match(words[0][0]) or len(words[0][0]) < 2):
        return None  # a bare acronym is a licence or certificate more often than a skill; a letter is a fragment
    surface = item[words[0][1]:words[-1][2]]
    if esco_index().is_verb_phrase(surface):
        return None  # a duty: 'managing crews', 'use RF scanners'
    return SkillMention(surface[:1].upper() + surface[1:], start, end, surface)


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
        before = first_skill if first_skill is not None else len(clause)
        leading = marker.start() < before and not tokens(clause[:marker.start()])  # 'Ideally: X', not 'CPA a plus'
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
