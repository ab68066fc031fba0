"""A role's occupation family: which occupations it spans, the titles that anchor its searches, who belongs to it.

The family of a role is the SOC *broad occupation* of its O*NET occupation — the code's first five digits:
``13-2011.00`` (accountants) → ``13-201``, ``29-1141.03`` (critical care nurses) → ``29-114`` (every registered
nurse speciality), ``15-1252.00`` (software developers) → ``15-125`` (with programmers, testers and web
developers), ``53-3032.00`` (heavy truck drivers) → ``53-303`` (with light truck and driver/sales workers). The
broad occupation is the tightest SOC group that holds an occupation's O*NET specialities and its close siblings;
the minor group above it already mixes unrelated work (physicians with nurses, hotel clerks with customer
service). The family also takes in the occupations the taxonomy resolves the approved qualifications' titles to,
so a recruiter who adds another occupation's title to the role widens the family on purpose.

A person is in the family when their recorded occupation, or the occupation of any job in their history, is in
it; a person with no recorded occupation is judged by their titles, resolved through the taxonomy; someone whose
titles resolve to nothing is unknown (``None``), neither in nor out.

The *title anchor* is the list of title phrases every sourcing query requires (``title:(...)``): the role's own
titles, then the family's title variants from O*NET (those covering the most variants first), seniority words stripped,
a phrase dropped when a shorter one already covers it ("CDL-A Truck Driver" under "Truck Driver") or when the known
titles that contain it are not over twice as often the family's as other occupations' ("Nurse" is also in nurse
practitioner, licensed practical nurse and nurse aide titles; "RN" is not).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from sqlalchemy import Connection, select

from tools.hiring import CandidateJudgement, HiringRequirements, QualificationSpec
from tools.search.query.tokens import tokenize
from tools.taxonomy import Taxonomy, core_title, load, strip_seniority

MAX_ANCHOR_TITLES = 40  # title phrases in one anchor: the role's own titles first, then the family's
MIN_HEAD_SPREAD = 3  # a title's head ("Truck Driver") joins the anchor when it heads at least this many titles
EXACT_TITLE = 0.95  # a qualification title joins its occupation to the family only when the taxonomy knows it
_PARENS = re.compile(r"\([^)]*\)")


def broad_group(code: str | None) -> str | None:
    """The SOC broad occupation of an O*NET-SOC code: '15-1252.00' → '15-125' (None for no code)."""
    return code[:6] if code and len(code) >= 7 and code[2] == "-" else None


@dataclass(frozen=True, slots=True)
class OccupationFamily:
    """The broad occupations a role spans, their O*NET names, and the title phrases that anchor its queries."""

    groups: frozenset[str]
    names: tuple[str, ...]
    titles: tuple[str, ...]

    def contains_code(self, code: str | None) -> bool:
        return broad_group(code) in self.groups

    def describe(self) -> str:
        """'Accountants and Auditors (SOC 13-2010)': the family in the recruiter's words."""
        codes = ", ".join(f"SOC {g}0" for g in sorted(self.groups))
        return f"{' / '.join(self.names)} ({codes})" if self.names else codes


def _anchor_qualifications(quals: Sequence[QualificationSpec]) -> list[QualificationSpec]:
    """The approved must-haves that may shape the anchor (not blocked, not left to the recruiter's review)."""
    return [q for q in quals if q.kind == "must" and q.policy.status != "blocked" and not q.review]


def occupation_family(req: HiringRequirements, quals: Sequence[QualificationSpec],
                      taxonomy: Taxonomy | None = None) -> OccupationFamily | None:
    """The role's family, or None when neither the requirements nor the qualifications name a known occupation."""
    own_titles = tuple(t for q in _anchor_qualifications(quals) for t in q.titles)
    return _family(req.occupation_code, req.title, own_titles, taxonomy or load())


@lru_cache(maxsize=64)
def _family(code: str | None, title: str | None, own_titles: tuple[str, ...], tax: Taxonomy) -> OccupationFamily | None:
    codes: list[str] = []
    if code and code in tax.occupations:
        codes.append(code)
    elif title and (match := tax.normalize_title(title)) is not None:
        codes.append(match.code)
    for own in own_titles:
        match = tax.normalize_title(own)
        if match is not None and match.score >= EXACT_TITLE:
            codes.append(match.code)
    groups = frozenset(g for g in (broad_group(c) for c in codes) if g)
    if not groups:
        return None
    members = [c for c in tax.occupations if broad_group(c) in groups]
    names = tuple(dict.fromkeys(tax.occupations[c].title for c in codes))
    role_titles = [t for t in [title or "", *own_titles] if t]
    return OccupationFamily(groups, names, tuple(anchor_titles(role_titles, members, groups, tax)))


def _plain(title: str) -> str:
    """A title as a search phrase: parentheses and seniority words gone, words as written."""
    words, _level = strip_seniority(_PARENS.sub(" ", title).replace("/", " ").split())
    return " ".join(words).strip(" ,-")


def _contains(outer: Sequence[str], inner: Sequence[str]) -> bool:
    n = len(inner)
    return n > 0 and any(tuple(outer[i:i + n]) == tuple(inner) for i in range(len(outer) - n + 1))


@cache
def _title_index(tax: Taxonomy) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """token → (tokens of each known title that holds it, the title's code)."""
    by_token: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for _key, title, code in tax.title_entries():
        toks = tokenize(title)
        for tok in set(toks):
            by_token[tok].append((toks, code))
    return by_token


def _mostly_in(phrase: Sequence[str], groups: frozenset[str], tax: Taxonomy) -> bool:
    """Whether the known titles containing the phrase name the family's occupations over twice as often as others."""
    by_token = _title_index(tax)
    rarest = min(phrase, key=lambda tok: len(by_token.get(tok, ())))
    inside = outside = 0
    for toks, code in by_token.get(rarest, ()):
        if _contains(toks, phrase):
            if broad_group(code) in groups:
                inside += 1
            else:
                outside += 1
    return inside > 2 * outside


def anchor_titles(role_titles: Sequence[str], members: Iterable[str], groups: frozenset[str],
                  tax: Taxonomy, limit: int = MAX_ANCHOR_TITLES) -> list[str]:
    """The title phrases a query anchored on the family requires: ``role_titles`` (kept as the recruiter approved
    them), then the member occupations' singular names, title variants and their heads ("Truck Driver") that name
    family work far more often than other work, those covering the most variants first, none covered by a shorter
    one."""
    own = [p for p in dict.fromkeys(_plain(t) for t in role_titles) if p]
    variants: list[str] = []
    for code in members:
        name = tax.occupations[code].title
        if "," not in name and " and " not in name and "/" not in name:
            variants.append(" ".join(w.capitalize() for w in core_title(name, singular=True).split()))
        variants += [t for t in tax.titles_for(code) if t != name]
    titles = {p: tokenize(p) for p in (_plain(t) for t in variants) if p and tokenize(p)}
    phrases = dict(titles)
    for title in titles:  # the head of a title ("Truck Driver" in "Flatbed Truck Driver") may name more of them
        words = title.split()
        phrases.update((h, tokenize(h)) for h in (" ".join(words[i:]) for i in range(1, len(words))) if tokenize(h))
    spread = {p: sum(_contains(toks, mine) for toks in titles.values()) for p, mine in phrases.items()}
    phrases = {p: toks for p, toks in phrases.items() if p in titles or spread[p] >= MIN_HEAD_SPREAD}
    family = sorted(phrases, key=lambda p: (-spread[p], len(phrases[p]), p))
    kept: list[tuple[str, tuple[str, ...]]] = []
    for phrase in [*own, *family]:
        toks = tokenize(phrase)
        if not toks or any(_contains(toks, k) for _, k in kept):
            continue
        if phrase not in own and not _mostly_in(toks, groups, tax):
            continue
        kept.append((phrase, toks))
        if len(kept) >= 2 * limit:
            break
    covered = [p for p, toks in kept if not any(_contains(toks, k) and k != toks for _, k in kept)]
    return covered[:limit]


# ---- who is in the family ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PersonOccupations:
    """What a profile records about the work a person has done: occupation codes and job titles."""

    codes: tuple[str, ...]
    titles: tuple[str, ...]


def person_occupations(conn: Connection, ids: Sequence[int]) -> dict[int, PersonOccupations]:
    """The recorded occupation codes (the profile's and every job's) and job titles of each profile id."""
    from tools.matching.load import SQL_CHUNK
    from tools.records.models import Profile, ProfileExperience

    p, e = Profile.__table__, ProfileExperience.__table__
    codes: dict[int, list[str]] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    wanted = list(dict.fromkeys(int(i) for i in ids))
    for at in range(0, len(wanted), SQL_CHUNK):
        part = wanted[at:at + SQL_CHUNK]
        for row in conn.execute(select(p.c.id, p.c.occupation_code, p.c.current_title).where(p.c.id.in_(part))):
            codes[int(row.id)] += [row.occupation_code] if row.occupation_code else []
            titles[int(row.id)] += [row.current_title] if row.current_title else []
        for row in conn.execute(select(e.c.profile_id, e.c.occupation_code, e.c.title).where(e.c.profile_id.in_(part))):
            codes[int(row.profile_id)] += [row.occupation_code] if row.occupation_code else []
            titles[int(row.profile_id)] += [row.title] if row.title else []
    return {pid: PersonOccupations(tuple(dict.fromkeys(codes[pid])), tuple(dict.fromkeys(titles[pid])))
            for pid in wanted if pid in codes or pid in titles}


def in_family(family: OccupationFamily, person: PersonOccupations | None,
              taxonomy: Taxonomy | None = None) -> bool | None:
    """True when any recorded occupation (else any title the taxonomy resolves) is in the family, False when
    none is, None when nothing about the person names an occupation."""
    if person is None:
        return None
    if person.codes:
        return any(family.contains_code(c) for c in person.codes)
    tax = taxonomy or load()
    resolved = [m.code for m in (tax.normalize_title(t) for t in person.titles) if m is not None]
    return any(family.contains_code(c) for c in resolved) if resolved else None


def family_membership(family: OccupationFamily, people: Mapping[int, PersonOccupations],
                      ids: Sequence[int]) -> dict[int, bool | None]:
    """:func:`in_family` for each id (None for an id with no record)."""
    return {pid: in_family(family, people.get(pid)) for pid in ids}


# ---- the shortlist's order -----------------------------------------------------------------------------------
def _title_met(j: CandidateJudgement, quals: Sequence[QualificationSpec]) -> tuple[QualificationSpec, str] | None:
    """The must-have title qualification the judgement found met, with its first quote, if any."""
    for v in j.verdicts:
        q = quals[v.qualification] if 0 <= v.qualification < len(quals) else None
        if q is not None and q.kind == "must" and q.titles and v.verdict == "meets":
            return q, (" ".join(v.evidence[0].quote.split())[:120] if v.evidence else "")
    return None


def family_order(judgements: Sequence[CandidateJudgement], members: Mapping[int, bool | None],
                 quals: Sequence[QualificationSpec], family: OccupationFamily) -> list[CandidateJudgement]:
    """The shortlist (already in score order) with nobody outside the family above someone inside it without a
    reason the recruiter can read.

    A candidate whose recorded occupations are all outside the family (``members`` False) keeps their place above
    in-family candidates only when a must-have title qualification is met (the evaluation quoted one of the
    role's titles from their history); a warning then says so. Anyone else outside the family moves after the
    last in-family candidate, order kept, with a warning that says why. Unknown occupations (None) keep their
    place.
    """
    where = family.describe()
    last_in = max((i for i, j in enumerate(judgements) if members.get(j.profile_id)), default=-1)
    head: list[CandidateJudgement] = []
    moved: list[CandidateJudgement] = []
    for i, j in enumerate(judgements):
        if i > last_in or members.get(j.profile_id) is not False:
            head.append(j)
            if i == last_in:
                head += moved
                moved = []
            continue
        met = _title_met(j, quals)
        if met is not None:
            q, quote = met
            note = (f"Outside the role's occupation, {where}: ranked by score above candidates in it because "
                    f"“{q.text}” is met" + (f": “{quote}”" if quote else "") + ".")
            head.append(j.model_copy(update={"warnings": [*j.warnings, note]}))
        else:
            note = (f"Outside the role's occupation, {where}: ranked after the candidates in it, whatever the "
                    "score.")
            moved.append(j.model_copy(update={"warnings": [*j.warnings, note]}))
    return head + moved
