"""The classical matcher: per-qualification verdicts backed by verbatim evidence, and a fast score.

:class:`Matcher` compiles each :class:`~tools.hiring.QualificationSpec` once (:mod:`tools.matching.plans`);
then :meth:`Matcher.score` gives a weighted score in [0, 1] while :meth:`Matcher.judge` gives the full
:class:`~tools.hiring.CandidateJudgement` with evidence spans (:mod:`tools.matching.evidence`) and one-line
reasons. Suspicious text, the candidate's name and contact data are blanked before matching
(:mod:`tools.matching.suspicious`), so no qualification is met by a name or by text addressed to an AI.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from tools.hiring import (
    VERDICT_ORDER,
    CandidateJudgement,
    QualificationSpec,
    QualificationVerdict,
    VerdictLabel,
    qualification_factor,
)
from tools.matching.evidence import (
    Block,
    Document,
    clip,
    context,
    evidence_at,
    glued,
    header_company,
    without_dates,
)
from tools.matching.kinds import (
    REVIEW_REASON,
    credential_names,
    eval_authorization,
    eval_credentials,
    eval_languages,
)
from tools.matching.load import Candidate
from tools.matching.plans import (
    PlacePlan,
    Plan,
    TermPlan,
    TitlePlan,
    WordPlan,
    city_names,
    country_of,
    language_plan,
    place_plan,
    skill_plan,
    term_matches,
    which_stem,
    word_plan,
)
from tools.matching.score import recommendation_for, summary_for, weighted
from tools.matching.suspicious import LABEL_IDENTITY, region_warnings, sentence_around, withheld_warnings
from tools.matching.wording import and_list, clip_words, display, num, or_list
from tools.taxonomy import Taxonomy, load

__all__ = ["MAX_EVIDENCE", "MODEL_ID", "Matcher"]

MODEL_ID = "classical"
MAX_EVIDENCE = 3
MAX_TITLE_LINE = 100  # a longer line is prose, not a job title

# Where a mention counts as real use (experience, headline, skills list) and how evidence is preferred.
_REAL_USE = frozenset({"experience", "body", "header", "skills", "note"})
_PRIORITY = {"experience": 0, "body": 0, "note": 0, "header": 1, "summary": 2, "languages": 2, "skills": 3}
_PLACE = {
    "experience": "experience", "body": "the resume text", "note": "the notes", "header": "the headline",
    "summary": "the summary", "skills": "the skills list", "education": "education", "languages": "languages",
    "other": "the profile",
}
_TITLE_SPLIT_RE = re.compile(r"\s+(?:at|@|\||-|–|—)\s+|,\s+|\s+\(|\t|\s{2,}")
_AT_RE = re.compile(r"\s(?:at|@)\s")
_LOCATION_SHAPE_RE = re.compile(r"^[^\d@:|]{2,80},[^\d@:|]{2,80}$")
# Ambiguous names ("Go", "R", "C"): the words around a mention that tell technology from an English word.
_TECH_NEXT = frozenset({
    "programming", "language", "developer", "developers", "engineer", "engineers", "code", "services", "service",
    "microservices", "modules", "module", "backend", "back-end", "stack", "libraries", "library", "scripts",
    "applications", "apis", "api", "sdk", "compiler", "runtime", "development",
})
_VERB_NEXT = frozenset({"to", "ahead", "back", "through", "over", "beyond", "green", "for", "out", "with", "on",
                        "home", "the", "a", "an", "get", "see", "into", "above"})
_GO_PHRASES = ("-live", "- live", "to market", "to-market", "-to-market", "-to ", "-getter")
_LETTER_BEFORE = (",", "/", "(", "|", ";", ":", "•", "·", "&", "*", "-", "–")
_LETTER_AFTER = (",", "/", ")", "(", "|", ";", "•", "·", "&", "*")
_LIST_BEFORE = (",", "/", "(", "|", ";", "&", "•", "·", "+")
_LIST_AFTER = (",", "/", ")", "|", ";", "&", "•", "·", "+")


_Span = tuple[int, int, int]  # (document index, start, end)


@dataclass(slots=True)
class _Part:
    """The verdict of one facet of a qualification (skills, years, ...)."""

    verdict: VerdictLabel
    spans: list[_Span] = field(default_factory=list)
    reason: str = ""


# =========================================================================================================
# The matcher
# =========================================================================================================
class _Case:
    """One candidate prepared for matching: its source documents (name and contact data masked) and warnings
    about hidden text."""

    __slots__ = ("candidate", "docs")

    def __init__(self, candidate: Candidate) -> None:
        self.candidate = candidate
        name = candidate.full_name
        docs = [Document("profile", candidate.text or "", name)]
        for source, text in candidate.notes:
            docs.append(Document(source if source in ("resume", "note") else "note", text or "", name))
        self.docs = docs

    def warnings(self) -> list[str]:
        out = withheld_warnings(self.candidate.withheld)
        for doc in self.docs:
            where = "" if doc.source == "profile" else f" in the {doc.source}"
            out += region_warnings(doc.regions, doc.text, where)
        return out


class Matcher:
    """Compiles qualifications once; scores and judges candidates against them."""

    def __init__(self, qualifications: Sequence[QualificationSpec], taxonomy: Taxonomy | None = None, *,
                 today: dt.date | None = None) -> None:
        self.qualifications = list(qualifications)
        self.taxonomy = taxonomy or load()
        self.today = today or dt.date.today()
        self._core_cache: dict[str, tuple[str, ...]] = {}
        self._code_cache: dict[tuple[str, ...], str | None] = {}
        self.plans = [self._plan(q) for q in self.qualifications]

    # -- compiling --
    def _plan(self, q: QualificationSpec) -> Plan:
        blocked = q.policy.status == "blocked"
        plan = Plan(q, qualification_factor(q), blocked)
        if q.skills:
            plan.skills = skill_plan(q.skills, self.taxonomy)
        if q.years_min is not None and q.years_min > 0:
            plan.years = float(q.years_min)
        if q.titles:
            plan.titles = self._title_plan(q.titles)
        if q.location and q.location.strip():
            plan.place = place_plan(q.location)
        if q.languages:
            plan.languages = language_plan(q.languages)
        _plan_kinds(plan, q)
        if not any((plan.skills, plan.years, plan.titles, plan.place, plan.languages, plan.credentials,
                    plan.authorization, q.review)):
            plan.words = word_plan(q.text)
        return plan

    def _title_plan(self, titles: Sequence[str]) -> TitlePlan:
        cores, heads, codes = [], set(), set()
        for title in titles:
            core = self._title_core(title)
            if core:
                cores.append(core)
                heads.add(core[-1])
                code = self._title_code(core)
                if code:
                    codes.add(code)
        return TitlePlan(list(titles), cores, frozenset(heads), frozenset(codes))

    def _title_core(self, title: str) -> tuple[str, ...]:
        """Title words without seniority words, abbreviations spelled out (cached)."""
        core = self._core_cache.get(title)
        if core is None:
            core = tuple(self.taxonomy.split_seniority(title)[0].split())
            if len(self._core_cache) > 50_000:
                self._core_cache.clear()
            self._core_cache[title] = core
        return core

    def _title_code(self, core: tuple[str, ...]) -> str | None:
        """The O*NET occupation of a title core when it resolves confidently (cached)."""
        if core not in self._code_cache:
            match = self.taxonomy.normalize_title(" ".join(core))
            if len(self._code_cache) > 50_000:
                self._code_cache.clear()
            self._code_cache[core] = match.code if match is not None and match.score >= 0.9 else None
        return self._code_cache[core]

    # -- scoring and judging --
    def score(self, c: Candidate) -> float:
        """Weighted verdict points in [0, 1] (must-haves count double); no evidence objects are built."""
        case = _Case(c)
        labels = [self._evaluate(plan, case, detail=False).verdict for plan in self.plans]
        return weighted(labels, self.plans)

    def judge(self, c: Candidate) -> CandidateJudgement:
        """Every qualification's verdict with verbatim evidence, a reason, a recommendation and a summary."""
        case = _Case(c)
        verdicts = []
        for i, plan in enumerate(self.plans):
            part = self._evaluate(plan, case, detail=True)
            evidence = [evidence_at(case.docs[d], s, e) for d, s, e in part.spans]
            verdicts.append(QualificationVerdict(qualification=i, verdict=part.verdict, evidence=evidence,
                                                 reason=part.reason))
        return CandidateJudgement(
            profile_id=c.profile_id, verdicts=verdicts,
            recommendation=recommendation_for(verdicts, self.qualifications),
            summary=summary_for(verdicts, self.qualifications), warnings=case.warnings(), model_id=MODEL_ID,
        )

    def judge_many(self, cs: Iterable[Candidate]) -> list[CandidateJudgement]:
        return [self.judge(c) for c in cs]

    def _evaluate(self, plan: Plan, case: _Case, *, detail: bool) -> _Part:
        if plan.blocked:
            why = plan.spec.policy.explanation or "blocked by the policy check"
            return _Part("no_evidence", [], f"Not evaluated: {why}")
        if plan.spec.review:
            return _Part("no_evidence", [], REVIEW_REASON)
        parts: list[_Part] = []
        if plan.skills is not None:
            parts.append(self._eval_terms(plan.skills, case, detail, "skills"))
        if plan.years is not None:
            parts.append(self._eval_years(plan.years, case, detail))
        if plan.titles is not None:
            parts.append(self._eval_title(plan.titles, case, detail))
        if plan.place is not None:
            parts.append(_eval_place(plan.place, case, detail))
        parts += _eval_kinds(plan, case, detail)
        if plan.words is not None:
            parts.append(_eval_words(plan.words, case, detail))
        return _combine(parts, detail)

    # -- skills and languages --
    def _eval_terms(self, sp: TermPlan, case: _Case, detail: bool, what: str) -> _Part:
        hits = self._term_hits(sp, case)
        found = {h[0] for h in hits}
        n = len(sp.names)
        if not found:
            return _Part("no_evidence", [], f"No mention of {or_list([display(x) for x in sp.names])}"
                         if detail else "")
        real = {h[0] for h in hits if h[4] in _REAL_USE}
        verdict: VerdictLabel = "meets" if len(real) == n else "partly"
        if not detail:
            return _Part(verdict, [(0, 0, 0)])
        return _Part(verdict, _term_spans(sp, hits, case), _term_reason(sp, hits, case, verdict, what))

    def _term_hits(self, sp: TermPlan, case: _Case) -> list[tuple[int, int, int, int, str]]:
        """(term index, doc index, start, end, section) for every accepted mention, in text order."""
        hits = []
        golang = None
        for d, doc in enumerate(case.docs):
            for term, start, end, surface in term_matches(sp, doc):
                if surface in sp.ambiguous:
                    if golang is None:
                        golang = any("golang" in (x.lower or x.clean.lower()) for x in case.docs)
                    if not self._looks_technical(doc, start, end, surface, golang):
                        continue
                hits.append((term, d, start, end, doc.section_at(start)))
        hits.sort(key=lambda h: (h[1], h[2]))
        return hits

    def _looks_technical(self, doc: Document, start: int, end: int, form: str, golang: bool) -> bool:
        """Whether an ambiguous name ("Go", "R", "C") is used as technology here, not as a word or letter."""
        text = doc.clean
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", end)
        le = len(text) if le < 0 else le
        before, after = text[ls:start].rstrip(), text[end:le].lstrip()
        next_word = after.split(maxsplit=1)[0].lower().strip(".,;:()") if after else ""
        if len(form) == 1:
            return _single_letter_ok(before, after, next_word)
        if next_word == "live" or after.lower().startswith(_GO_PHRASES):
            return False  # "Go live", "Go-to-market" are phrases wherever they stand
        if doc.section_at(start) in ("skills", "languages") or golang or next_word in _TECH_NEXT:
            return True
        if before.endswith(_LIST_BEFORE) or after.startswith(_LIST_AFTER):
            return True
        if before and before[-1] not in ".!?:•*-–—\"'(":
            return True  # a capitalised "Go" mid-sentence is the language; the verb is never capitalised there
        if next_word in _VERB_NEXT:
            return False  # "Go to the office." at the start of a sentence
        s, e = sentence_around(text, start, end)
        mentions = self.taxonomy.extract_skills(text[s:e])
        return any(m.skill != "Go" and not (m.start <= start - s < m.end) for m in mentions)

    # -- years --
    def _eval_years(self, years_min: float, case: _Case, detail: bool) -> _Part:
        """Years read from the span that is quoted: the "N years of experience" phrase when the profile states
        one, else the dated roles; the number never comes from a stored figure the quote does not show."""
        doc = case.docs[0]
        phrase = doc.years_phrase()
        if phrase is not None:
            years: float | None = phrase[2]
            spans = [(0, phrase[0], phrase[1])]
        else:
            years, spans = self._years_from_blocks(doc.blocks()), _date_spans(doc.blocks())
        if years is None or not spans:
            stored = case.candidate.years_experience
            why = (f"{num(stored)} years on record, but not shown in the profile text" if stored is not None
                   else "No years of experience stated and no dated roles")
            return _Part("no_evidence", [], why)
        if years >= years_min:
            verdict: VerdictLabel = "meets"
            reason = f"{num(years)} years of experience (asks {num(years_min)}+)"
        elif years >= 0.7 * years_min:
            verdict = "partly"
            reason = f"{num(years)} years of experience, a little under the {num(years_min)}+ asked"
        else:
            verdict, reason = "does_not", f"{num(years)} years of experience (asks {num(years_min)}+)"
        return _Part(verdict, spans, reason if detail else "")

    def _years_from_blocks(self, blocks: list[Block]) -> float | None:
        if not blocks:
            return None
        first = min(b.first for b in blocks)
        now = (self.today.year, self.today.month)
        last = max(min(b.last, now) if b.last else now for b in blocks)
        return max(0.0, round(((last[0] - first[0]) * 12 + last[1] - first[1]) / 12, 1))

    # -- titles --
    def _eval_title(self, tp: TitlePlan, case: _Case, detail: bool) -> _Part:
        doc = case.docs[0]
        lines: list[tuple[int, int]] = []
        best: tuple[int, tuple[int, int], str] | None = None
        for span in _title_lines(doc, case.candidate):  # lazily: experience entries only when needed
            lines.append(span)
            rank, piece = self._title_rank(tp, doc.clean[span[0]:span[1]])
            if rank < 2 and (best is None or rank < best[0]):
                best = (rank, span, piece)
                if rank == 0:
                    break
        if not lines:
            return _Part("no_evidence", [], "No job titles found in the profile")
        asked = or_list(tp.titles)
        if best is None:
            span = lines[0]
            reason = f'No title like {asked}; most recent: "{clip_words(doc.clean[span[0]:span[1]], 80)}"'
            return _Part("does_not", [(0, *span)], reason if detail else "")
        rank, span, piece = best
        verdict: VerdictLabel = "meets" if rank == 0 else "partly"
        if not detail:
            return _Part(verdict, [(0, *span)])
        company = header_company(doc.clean[span[0]:span[1]]) if _AT_RE.search(doc.clean[span[0]:span[1]]) else None
        company = company or doc.company_at(span[0])
        at = f" at {company}" if company and company not in piece else ""
        reason = f'Held the title "{piece}"{at}' if rank == 0 else f'Related title "{piece}"{at} (asks {asked})'
        return _Part(verdict, [(0, *span)], reason)

    def _title_rank(self, tp: TitlePlan, line: str) -> tuple[int, str]:
        """0 when a wanted title occurs in the line, 1 for a related title (same head noun or occupation)."""
        best = (2, line)
        pieces = _TITLE_SPLIT_RE.split(without_dates(line))
        if _AT_RE.search(line):  # "Title at Company": the company is not a title
            pieces = pieces[:1]
        for piece in pieces:
            piece = piece.strip(" ,|-–—()")
            if not piece or len(piece) > 60:
                continue
            core = self._title_core(piece)
            if not core:
                continue
            if any(_contains(core, want) for want in tp.cores):
                return 0, piece
            if best[0] > 1 and (core[-1] in tp.heads or (
                    tp.codes and len(core) <= 5 and self._title_code(core) in tp.codes)):
                best = (1, piece)
        return best


# ---- evaluation helpers ----------------------------------------------------------------------------------
def _plan_kinds(plan: Plan, q: QualificationSpec) -> None:
    """Credentials, the language level and work authorisation of a qualification, onto its plan."""
    plan.credentials = credential_names(q.credentials)
    plan.language_level = q.language_level
    plan.authorization = q.work_authorization.strip().upper() if q.work_authorization else None


def _eval_kinds(plan: Plan, case: _Case, detail: bool) -> list[_Part]:
    """The language, credential and work-authorisation facets (:mod:`tools.matching.kinds`)."""
    found = []
    if plan.languages is not None:
        found.append(eval_languages(plan.languages, plan.language_level, case.docs))
    if plan.credentials:
        found.append(eval_credentials(plan.credentials, case.docs))
    if plan.authorization:
        found.append(eval_authorization(plan.authorization, case.candidate, case.docs))
    return [_Part(f.verdict, f.spans, f.reason if detail else "") for f in found]


def _single_letter_ok(before: str, after: str, next_word: str) -> bool:
    """A one-letter language ("C", "R") only as an item of a list or with "programming" after it."""
    if next_word in _TECH_NEXT:
        return True
    if after[:2].lower() in ("/o", "-o"):  # "C/O" (care of)
        return False
    opens = not before or before.endswith(_LETTER_BEFORE)
    closes = not after or after.startswith(_LETTER_AFTER) or after.lower().startswith(("and ", "or "))
    return opens and closes


def _combine(parts: list[_Part], detail: bool) -> _Part:
    """The worst facet's verdict; evidence and reasons of every facet. A verdict needs evidence."""
    for part in parts:
        if part.verdict != "no_evidence" and not part.spans:
            part.verdict = "no_evidence"
    if len(parts) == 1:
        return parts[0]
    verdict = max((p.verdict for p in parts), key=VERDICT_ORDER.index)
    spans = list(dict.fromkeys(s for p in parts for s in p.spans))
    return _Part(verdict, spans[: MAX_EVIDENCE + 2], "; ".join(p.reason for p in parts if p.reason) if detail else "")


def _term_spans(sp: TermPlan, hits: list, case: _Case) -> list[_Span]:
    """Up to three evidence spans: each term's best mention first, experience before the skills list."""
    ordered = sorted(hits, key=lambda h: (_PRIORITY.get(h[4], 4), h[1], h[2]))
    best_per_term: dict[int, tuple] = {}
    for h in ordered:
        best_per_term.setdefault(h[0], h)
    # each term's best mention, then more mentions from experience or the headline (not more list items)
    chosen = [best_per_term[i] for i in sorted(best_per_term)] + [h for h in ordered if _PRIORITY.get(h[4], 4) <= 1]
    spans: list[_Span] = []
    for _term, d, start, end, section in chosen:
        if len(spans) >= MAX_EVIDENCE:
            break
        doc = case.docs[d]
        s, e = context(doc, start, end, section)
        if any(d == d2 and s < e2 and s2 < e for d2, s2, e2 in spans):
            continue
        spans.append((d, s, e))
    return spans


def _term_reason(sp: TermPlan, hits: list, case: _Case, verdict: VerdictLabel, what: str) -> str:
    found = sorted({h[0] for h in hits})
    names = [display(sp.names[i]) for i in found]
    missing = [display(sp.names[i]) for i in range(len(sp.names)) if i not in found]
    places: list[str] = []
    for i in found:
        mine = [h for h in hits if h[0] == i]
        real = [h for h in mine if h[4] in _REAL_USE] or mine
        _term, d, start, _end, section = min(real, key=lambda h: (_PRIORITY.get(h[4], 4), h[1], h[2]))
        place = _PLACE.get(section, "the profile")
        company = case.docs[d].company_at(start) if section == "experience" else None
        places.append(f"{place} at {company}" if company else place)
    where = and_list(list(dict.fromkeys(places))[:2])
    count = f"{len(hits)} mention{'s' if len(hits) != 1 else ''}"
    if missing:
        return f"{and_list(names)} found in {where} ({count}); no mention of {or_list(missing)}"
    if verdict == "partly" and what == "skills":
        return f"{and_list(names)} mentioned only in {where}, not in experience or the skills list"
    return f"{and_list(names)} found in {where} ({count})"


def _date_spans(blocks: list[Block]) -> list[_Span]:
    if not blocks:
        return []
    latest = max(blocks, key=lambda b: (b.last or (10000, 0), b.first))
    earliest = min(blocks, key=lambda b: (b.first, b.last or (10000, 0)))
    spans = [(0, *latest.dates)]
    if earliest is not latest:
        spans.append((0, *earliest.dates))
    return spans


def _title_lines(doc: Document, c: Candidate) -> Iterator[tuple[int, int]]:
    """Headline lines, then experience header lines (most recent first). The name is masked in ``doc.clean``;
    when no name was found above the headline, its first line is taken for the name and skipped."""
    seen = set()
    header = doc.header_lines()
    masked = bool(header) and any(label == LABEL_IDENTITY and s < header[0][0] for s, _e, label in doc.regions)
    for i, (s, e) in enumerate(header):
        line = doc.clean[s:e].strip()
        if (i == 0 and len(header) > 1 and not masked) or line == (c.location or "").strip():
            continue
        if e - s <= MAX_TITLE_LINE:
            seen.add((s, e))
            yield s, e
    for b in doc.blocks():
        if b.header not in seen and b.header[1] - b.header[0] <= MAX_TITLE_LINE:
            seen.add(b.header)
            yield b.header


def _contains(words: tuple[str, ...], want: tuple[str, ...]) -> bool:
    n = len(want)
    return any(words[i:i + n] == want for i in range(len(words) - n + 1))


def _eval_place(pp: PlacePlan, case: _Case, detail: bool) -> _Part:
    c = case.candidate
    doc = case.docs[0]
    span = _location_line(doc, c)
    if span is None:
        why = f"Location {c.location} on record, but not shown in the profile text" if c.location else \
            "No location in the profile"
        return _Part("no_evidence", [], why)
    line = doc.clean[span[0]:span[1]]
    parts = [p.strip() for p in line.split(",") if p.strip()]
    country = (c.country or "").upper() or country_of(parts)
    cities = set(city_names(parts[0])) if parts else set()
    spans = [(0, *span)]
    if pp.remote:
        return _Part("meets", spans, f"Remote role; based in {line}" if detail else "")
    if pp.cities and pp.cities & cities and (not pp.country or not country or pp.country == country):
        return _Part("meets", spans, f"Based in {line}" if detail else "")
    if pp.country and country and pp.country == country:
        why = f"Based in {line}, same country as {pp.text}" if not pp.country_only else f"Based in {line}"
        return _Part("meets" if pp.country_only else "partly", spans, why if detail else "")
    if pp.country and country:
        return _Part("does_not", spans, f"Based in {line}, not in {pp.text}" if detail else "")
    return _Part("does_not", spans, f"Based in {line}; {pp.text} asked" if detail else "")


def _location_line(doc: Document, c: Candidate) -> tuple[int, int] | None:
    """The profile's location line: the stored location found near the top, else a "City, Region" line."""
    head = doc.clean[: min(len(doc.clean), 600)]
    if c.location and c.location.strip():
        pos = head.find(c.location.strip())
        if pos >= 0:
            return pos, pos + len(c.location.strip())
    for s, e in doc.header_lines():
        line = doc.clean[s:e]
        if _LOCATION_SHAPE_RE.match(line) and len(line.split()) <= 8:
            parts = [p.strip() for p in line.split(",")]
            if country_of(parts) is not None:
                return s, e
    return None


def _eval_words(wp: WordPlan, case: _Case, detail: bool) -> _Part:
    if wp.regex is None or wp.regex_i is None:
        return _Part("no_evidence", [], "Nothing in the qualification to look for")
    seen: set[int] = set()
    by_sentence: dict[tuple[int, int], set[int]] = defaultdict(set)
    first_pos: dict[tuple[int, int], int] = {}
    for d, doc in enumerate(case.docs):
        regex, text = (wp.regex, doc.lower) if doc.lower is not None else (wp.regex_i, doc.clean)
        for m in regex.finditer(text):
            if glued(text, m.start(), "+#"):
                continue
            i = which_stem(wp, m.group().lower())
            if i is None:
                continue
            seen.add(i)
            key = (d, sentence_around(doc.clean, m.start(), m.end())[0])
            by_sentence[key].add(i)
            first_pos.setdefault(key, m.start())
    n = len(wp.words)
    if not seen or len(seen) / n < 0.4:
        why = f"Only {len(seen)} of {n} key words found ({', '.join(wp.words[:6])})"
        return _Part("no_evidence", [], why if detail else "")
    key = max(by_sentence, key=lambda k: (len(by_sentence[k]), -k[0], -k[1]))
    best = by_sentence[key]
    verdict: VerdictLabel = "meets" if len(best) / n >= 0.75 else "partly"
    doc = case.docs[key[0]]
    s, e = sentence_around(doc.clean, first_pos[key], first_pos[key] + 1)
    s, e = clip(doc, s, e, first_pos[key], first_pos[key] + 1)
    if not detail:
        return _Part(verdict, [(key[0], s, e)])
    if verdict == "meets":
        reason = f"{len(best)} of {n} key words in one sentence ({', '.join(wp.words[i] for i in sorted(best))})"
    else:
        reason = f"{len(seen)} of {n} key words found ({', '.join(wp.words[i] for i in sorted(seen))})"
    return _Part(verdict, [(key[0], s, e)], reason)
