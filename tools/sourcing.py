"""Sourcing queries from qualifications: the classical brain's query writer, broadening and narrowing.

Several queries per role, each a :class:`SourcingQuery` the talent search runs as it is, every one anchored on
the role's titles (``tools.occupations``: the role's own titles and its occupation family's):

* ``must-haves``: the role's own titles AND every must-have skill, location and years as facets (keyword ranking);
* ``skills``: the must-have skills under any title of the occupation family (people who do the work under
  another title of the same occupation);
* ``semantic``: the role described in words, ranking the occupation family (the titles filter, the words rank);
* ``hybrid``: any of the skills within the family, ranked by both.

A remote role within a country, or one that asks for a work authorisation, keeps the country facet on every
query. The recruiter's calibration ratings steer them: skills and titles common among the candidates rated good
join the semantic description and the title group; titles seen only among the candidates rated bad are
excluded. Broadening relaxes the tightest constraint first (the role's own titles become the family's, fewer
years, any of the skills, no skills and no city, then the country where the role allows it) and never drops the
title anchor by itself: searching beyond the occupation is a separate, labelled step (:func:`beyond_occupation`)
taken only when the recruiter asks. Narrowing adds the constraints back. :func:`run_rounds` runs the queries in
rounds within a budget and decides, query by query, whether to broaden or narrow.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.hiring import HiringRequirements, QualificationSpec
from tools.occupations import OccupationFamily, occupation_family
from tools.search.types import Facets, Mode, SearchError, SearchRequest


class SourcingQuery(BaseModel):
    label: str = Field(description="Short name of the query, e.g. 'must-haves' or 'semantic'.")
    query: str = Field(default="", description="Boolean query in the search language.")
    semantic_text: str | None = Field(default=None, description="The ideal candidate in words.")
    mode: Mode = "hybrid"
    country: list[str] | None = None
    metro: list[str] | None = None
    years_min: float | None = None
    level: int = Field(default=0, description="How far it has been broadened (negative: narrowed).")

    def request(self, page_size: int = 100, page: int = 1) -> SearchRequest:
        facets = Facets(country=self.country, metro=self.metro, years_min=self.years_min)
        return SearchRequest(query=self.query, semantic_text=self.semantic_text, mode=self.mode, facets=facets,
                             page=page, page_size=page_size)


@dataclass(slots=True)
class Calibration:
    """What the recruiter's ratings of the calibration batch teach the queries."""

    good_titles: list[str] = field(default_factory=list)
    bad_titles: list[str] = field(default_factory=list)
    good_skills: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.good_titles or self.bad_titles or self.good_skills)

    def describe(self) -> str:
        parts = []
        if self.good_titles:
            parts.append("more like: " + ", ".join(self.good_titles))
        if self.good_skills:
            parts.append("skills seen in good matches: " + ", ".join(self.good_skills))
        if self.bad_titles:
            parts.append("fewer: " + ", ".join(self.bad_titles))
        return "; ".join(parts) or "no ratings"


def learn_from_ratings(rated: Sequence[tuple[str, Sequence[str], str]], known_skills: Sequence[str]) -> Calibration:
    """``rated``: (title, skills, "good" | "bad") per rated candidate."""
    good = [(t, s) for t, s, r in rated if r == "good"]
    bad = [(t, s) for t, s, r in rated if r == "bad"]
    good_titles = list(dict.fromkeys(_core_title(t) for t, _ in good if t))
    bad_titles = [t for t in dict.fromkeys(_core_title(t) for t, _ in bad if t) if t and t not in good_titles]
    counts = Counter(s for _, skills in good for s in dict.fromkeys(skills))
    known = {s.lower() for s in known_skills}
    threshold = max(2, (len(good) + 1) // 2)
    good_skills = [s for s, n in counts.most_common() if n >= threshold and s.lower() not in known][:5]
    return Calibration([t for t in good_titles if t][:5], bad_titles[:5], good_skills)


def _core_title(title: str) -> str:
    from tools.taxonomy import core_title

    return core_title(title)


def _quote(term: str) -> str:
    term = term.replace('"', " ").strip()
    return f'"{term}"' if any(not (c.isalnum() or c in "+#.") for c in term) else term


def _any(terms: Sequence[str], field_name: str | None = None) -> str:
    terms = list(dict.fromkeys(t for t in terms if t.strip()))
    if not terms:
        return ""
    body = " OR ".join(_quote(t) for t in terms)
    if field_name:
        return f"{field_name}:({body})"
    return f"({body})" if len(terms) > 1 else body


def _all(parts: Sequence[str]) -> str:
    return " AND ".join(p for p in parts if p)


@dataclass(slots=True)
class RoleTerms:
    titles: list[str]
    must_skills: list[str]
    nice_skills: list[str]
    city: str | None
    country: list[str] | None
    metro: list[str] | None
    years_min: float | None
    describe: str
    anchor: list[str] = field(default_factory=list)  # title phrases of the role's occupation family
    family: OccupationFamily | None = None
    keep_country: bool = False  # the country is a condition of the role (remote within it, work authorisation)

    @property
    def anchor_query(self) -> str:
        """``title:(...)`` over the family's titles (the role's own when the occupation is unknown)."""
        return _any(self.anchor or self.titles, "title")


def _searchable(q: QualificationSpec) -> bool:
    """A qualification whose terms may go into a query: not blocked, not left to the recruiter's review."""
    return q.policy.status != "blocked" and not q.review


def _country(req: HiringRequirements, musts: Sequence[QualificationSpec], location: str | None) -> tuple[
        list[str] | None, bool]:
    """The country facet and whether broadening must keep it: a located role keeps its country until the last
    place step; a remote role within a country, or one that asks for a work authorisation, keeps it always."""
    authorised = next((q.work_authorization for q in musts if q.work_authorization), None) or req.work_authorization
    if req.remote == "remote" and req.country:
        return [req.country], True
    if authorised:
        return [authorised], True
    return ([req.country] if req.country and location else None), False


def role_terms(req: HiringRequirements, quals: Sequence[QualificationSpec]) -> RoleTerms:
    musts = [q for q in quals if q.kind == "must" and _searchable(q)]
    nices = [q for q in quals if q.kind == "nice" and _searchable(q)]
    titles: list[str] = []
    for q in musts:
        titles += q.titles
    if not titles and req.title:
        titles = [_core_title(req.title) or req.title]
    must_skills = list(dict.fromkeys(s for q in musts for s in q.skills))
    nice_skills = list(dict.fromkeys(s for q in nices for s in q.skills if s not in must_skills))
    years = next((q.years_min for q in musts if q.years_min), None)
    location = next((q.location for q in musts if q.location), None)
    city = None
    if location and (req.country or "") != "US" and not req.metro_code:
        city = location.split(",")[0].strip()
    country, keep_country = _country(req, musts, location)
    metro = [req.metro_code] if req.metro_code and location else None
    words = [req.title or (titles[0] if titles else "")]
    if must_skills:
        words.append("with " + ", ".join(must_skills))
    if years:
        words.append(f"{years:g}+ years of experience")
    if nice_skills:
        words.append("also " + ", ".join(nice_skills[:3]))
    family = occupation_family(req, quals)
    return RoleTerms(titles[:6], must_skills, nice_skills, city, country, metro, years, " ".join(w for w in words if w),
                     list(family.titles) if family else [], family, keep_country)


def classical_queries(req: HiringRequirements, quals: Sequence[QualificationSpec],
                      calibration: Calibration | None = None) -> list[SourcingQuery]:
    """The classical brain's queries for a role (deterministic), every one anchored on the role's titles.

    ``must-haves`` asks for the role's own titles (and those rated good) with every must-have skill; ``skills``
    looks for the skills under any title of the occupation family; ``semantic`` ranks the family by the role
    described in words; ``hybrid`` asks for any of the skills within the family, ranked by both.
    """
    t = role_terms(req, quals)
    cal = calibration or Calibration()
    titles = list(dict.fromkeys([*t.titles, *cal.good_titles]))
    exclude = " ".join(f'NOT title:{_quote(b)}' for b in cal.bad_titles)
    place = f"location:{_quote(t.city)}" if t.city else ""
    skills_all = _all([f"skill:{_quote(s)}" for s in t.must_skills])
    anchor = t.anchor_query
    semantic = t.describe + (f". Similar to people with {', '.join(cal.good_skills)}" if cal.good_skills else "")
    common: dict[str, Any] = {"country": t.country, "metro": t.metro}
    any_skill = _any(t.must_skills, "skill") if len(t.must_skills) > 1 else ""
    queries = [
        SourcingQuery(label="must-haves", query=_join(_all([_any(titles, "title"), skills_all, place]), exclude),
                      mode="keyword", years_min=t.years_min, **common),
        SourcingQuery(label="skills", query=_join(_all([anchor, skills_all, place]), exclude) if skills_all else "",
                      mode="hybrid", semantic_text=semantic, years_min=_slack(t.years_min), **common),
        SourcingQuery(label="semantic", query=_join(_all([anchor, place]), exclude), semantic_text=semantic,
                      mode="hybrid" if anchor else "semantic", **common),
        SourcingQuery(label="hybrid", query=_join(_all([anchor, any_skill, place]), exclude) if any_skill else "",
                      semantic_text=semantic, mode="hybrid", **common),
    ]
    return [q for q in queries if q.query or (q.semantic_text and not anchor)]


def anchored(queries: Sequence[SourcingQuery], req: HiringRequirements,
             quals: Sequence[QualificationSpec]) -> list[SourcingQuery]:
    """The queries with the role's title anchor added where one lacks it (a model's skills-only query becomes
    titles AND skills; a semantic one ranks within the titles) and the country facet where the role keeps it."""
    t = role_terms(req, quals)
    anchor = t.anchor_query
    out = []
    for q in queries:
        update: dict[str, Any] = {}
        if anchor and "title:" not in q.query:
            update["query"] = _all([anchor, f"({q.query})" if q.query else ""])
            update["mode"] = "hybrid" if q.semantic_text else "keyword"
        if t.keep_country and not q.country:
            update["country"] = t.country
        out.append(q.model_copy(update=update) if update else q)
    return out


def _slack(years: float | None) -> float | None:
    return round(years * 0.7, 1) if years else None


def _join(query: str, exclude: str) -> str:
    return f"{query} {exclude}".strip() if query else ""


def broaden(q: SourcingQuery, req: HiringRequirements, quals: Sequence[QualificationSpec]) -> SourcingQuery | None:
    """The same query one step wider, or None when nothing is left to drop but the title anchor.

    Every step keeps the occupation family's titles: the role's own titles become the family's and 30% fewer
    years are allowed; any one of the skills instead of all; no skills and no city (keep the country); no country
    (people elsewhere in the occupation: the evaluation still checks the location) unless the role keeps it.
    Searching beyond the occupation is :func:`beyond_occupation`, a step of its own that the recruiter asks for.
    """
    t = role_terms(req, quals)
    anchor = t.anchor_query
    place = f"location:{_quote(t.city)}" if t.city else ""
    skills_all = _all([f"skill:{_quote(s)}" for s in t.must_skills])
    skills_any = _any(t.must_skills, "skill")
    steps: list[dict] = [
        {"query": _all([anchor, skills_all, place]), "years_min": _slack(q.years_min)},
        {"query": _all([anchor, skills_any, place])},
        {"query": anchor, "metro": None},
    ]
    if not t.keep_country:
        steps.append({"query": anchor, "metro": None, "country": None})
    level = q.level + 1
    while level <= len(steps):
        # a step never adds skills to a query that has none (a semantic one), and never empties a query
        change = {k: v for k, v in steps[level - 1].items()
                  if not (k == "query" and (not v or ("skill:" in v and "skill:" not in q.query)))}
        wider = q.model_copy(update={**change, "level": level,
                                     "label": f"{q.label.split(' (')[0]} (broadened {level})"})
        if wider.mode == "keyword" and not wider.query:
            wider = wider.model_copy(update={"mode": "semantic", "semantic_text": t.describe})
        if (wider.query, wider.years_min, wider.metro, wider.country) != (q.query, q.years_min, q.metro, q.country):
            return wider
        level += 1
    return None


BEYOND_OCCUPATION = "beyond the occupation"
_BEYOND = re.compile(r"\b(any|other|another|different|outside (?:the|this|its)|beyond (?:the|this|its))\s+"
                     r"(occupations?|titles?|job titles?|professions?|lines? of work)\b", re.I)


def asks_beyond_occupation(text: str | None) -> bool:
    """Whether the recruiter's words ask to look beyond the role's occupation ("any title", "other occupations",
    "outside the profession"): the one way sourcing drops the title anchor."""
    return bool(text and _BEYOND.search(text))


def beyond_occupation(q: SourcingQuery, req: HiringRequirements,
                      quals: Sequence[QualificationSpec]) -> SourcingQuery | None:
    """The query without its title anchor: any title, the must-have skills (any of them) or the role in words.

    Only a recruiter's explicit widening runs it; its label says so ("… (beyond the occupation)"), and the
    country facet stays where the role keeps it. None when the query has no anchor to drop.
    """
    t = role_terms(req, quals)
    if not (t.anchor or t.titles) or "title:" not in q.query:
        return None
    query = _any(t.must_skills, "skill")
    mode: Mode = "hybrid" if query else "semantic"
    return q.model_copy(update={"query": query, "mode": mode, "semantic_text": q.semantic_text or t.describe,
                                "metro": None, "country": t.country if t.keep_country else None,
                                "level": q.level + 1, "label": f"{q.label.split(' (')[0]} ({BEYOND_OCCUPATION})"})


def narrow(q: SourcingQuery, req: HiringRequirements, quals: Sequence[QualificationSpec]) -> SourcingQuery | None:
    """The same query with every must-have skill required and the stated years as a facet (None: no change)."""
    t = role_terms(req, quals)
    skills = _all([f"skill:{_quote(s)}" for s in t.must_skills])
    query = _all([q.query and f"({q.query})", skills]) if skills and skills not in q.query else q.query
    narrowed = q.model_copy(update={"query": query, "years_min": t.years_min or q.years_min, "level": -1,
                                    "label": f"{q.label.split(' (')[0]} (narrowed)",
                                    "mode": "hybrid" if q.mode == "semantic" and query else q.mode})
    if (narrowed.query, narrowed.years_min) == (q.query, q.years_min):
        return None
    return narrowed


Direction = Literal["broaden", "narrow", "keep"]


def decide(pool_size: int, precision: float | None, *, target: int, min_precision: float) -> Direction:
    """Broaden when the pool is too small; narrow when evaluations say precision is low."""
    if pool_size < target:
        return "broaden"
    if precision is not None and precision < min_precision:
        return "narrow"
    return "keep"


# ---- rounds ------------------------------------------------------------------------------------------------
PROMISING = 0.6  # classical score from which a candidate counts toward the pool target and a query's precision
PRECISION_SAMPLE = 20  # a query's precision is measured on this many of its top candidates


class QueryReport(BaseModel):
    """How one query did in one round."""

    label: str
    query: str
    semantic: str | None = None
    found: int = 0
    new: int = Field(default=0, description="Candidates no earlier query had found.")
    precision: float | None = Field(default=None, description="Share of the top candidates that are promising.")
    error: str | None = Field(default=None, description="Why the search refused the query.")


@dataclass(slots=True)
class Rounds:
    """What :func:`run_rounds` found: the pool best first, the query that found each candidate, the reports."""

    pool: list[int]
    found_by: dict[int, str]
    scores: dict[int, float]
    report: list[QueryReport]
    rounds: int


def precision(ids: Sequence[int], scores: Mapping[int, float]) -> float | None:
    """Share of a query's top candidates the classical matcher finds promising."""
    top = [pid for pid in ids[:PRECISION_SAMPLE] if pid in scores]
    return round(sum(scores[pid] >= PROMISING for pid in top) / len(top), 2) if top else None


def run_rounds(queries: Sequence[SourcingQuery], req: HiringRequirements, quals: Sequence[QualificationSpec], *,
               search: Callable[[SourcingQuery], list[int]],
               score: Callable[[list[int]], Mapping[int, float]],
               budget: int, target: int, min_precision: float, limit: int,
               progress: Callable[[int, int, int, SourcingQuery], None] | None = None,
               widen_beyond_occupation: bool = False) -> Rounds:
    """Run every query, then broaden or narrow each (:func:`decide`) for up to ``budget`` more rounds.

    ``search`` returns a query's profile ids, best first (a :class:`SearchError` is reported, not raised);
    ``score`` gives the classical score of each id it is handed; ``progress(round, n, of, query)`` is told
    before each search. A query keeps its direction: once broadened it is never narrowed, and the other way
    round. Broadening keeps the title anchor; only with ``widen_beyond_occupation`` (the recruiter asked for it) does
    a query that has nothing else left to drop go :func:`beyond_occupation`. The pool holds up to ``limit``
    candidates, best scores first; each keeps the query that found it first.
    """
    scores: dict[int, float] = {}
    current: dict[str, SourcingQuery] = {q.label: q for q in queries}  # one lineage per query
    moved: dict[str, Direction] = {}
    report: list[QueryReport] = []
    found_by: dict[int, str] = {}
    todo = list(current)
    rounds = 0
    while todo:
        latest: dict[str, float | None] = {}
        for n, name in enumerate(todo, 1):
            q = current[name]
            if progress is not None:
                progress(rounds + 1, n, len(todo), q)
            try:
                ids = search(q)
            except SearchError as exc:
                report.append(QueryReport(label=q.label, query=q.query, error=str(exc)))
                continue
            scores.update(score([pid for pid in dict.fromkeys(ids) if pid not in scores]))
            latest[name] = precision(ids, scores)
            new = [pid for pid in ids if pid not in found_by]
            for pid in new:
                found_by[pid] = f"{q.label}: {q.query or q.semantic_text}"
            report.append(QueryReport(label=q.label, query=q.query, semantic=q.semantic_text, found=len(ids),
                                      new=len(new), precision=latest[name]))
        rounds += 1
        if rounds > budget:
            break
        promising = sum(scores.get(pid, 0.0) >= PROMISING for pid in found_by)
        todo = []
        for name, q in current.items():
            direction = decide(promising, latest.get(name), target=target, min_precision=min_precision)
            if direction == "keep" or moved.get(name, direction) != direction or name not in latest:
                continue
            changed = broaden(q, req, quals) if direction == "broaden" else narrow(q, req, quals)
            if changed is None and direction == "broaden" and widen_beyond_occupation:
                changed = beyond_occupation(q, req, quals)
            if changed is not None:
                current[name], moved[name] = changed, direction
                todo.append(name)
    pool = sorted(found_by, key=lambda pid: (-scores.get(pid, 0.0), pid))[:limit]
    return Rounds(pool=pool, found_by=found_by, scores=scores, report=report, rounds=rounds)
