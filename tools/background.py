"""The work inside a background run: every match of a role sourced, then judged and stored batch by batch.

* :func:`source_all` runs each sourcing query for *every* profile it matches (the boolean query's whole matching
  set; a semantic-only query through the ranked pages of the talent search, down to its depth), de-duplicated,
  each profile kept with the first query that found it; :func:`broadened` gives the queries' wider forms for a
  second round.
* :func:`judge_and_store` is one batch: load the candidates, judge each qualification by qualification with the
  classical matcher (the verdicts and evidence the chat's evaluation stores), and store them through
  :meth:`~tools.records.store.ProjectStore.save_judgements` in one transaction. A batch run again after a crash
  replaces its evaluations: one per candidate and qualification.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from tools.hiring import CandidateJudgement, HiringRequirements, QualificationSpec, verdicts_of_kind
from tools.matching import Matcher, load_candidates
from tools.records.store import ProjectStore
from tools.search.engine import DEPTH, Searcher
from tools.search.query import parse
from tools.search.types import SearchError
from tools.sourcing import SourcingQuery, broaden

SEMANTIC_PAGE = 100  # hits per page when a semantic-only query is paged down to the search's depth

__all__ = ["BatchResult", "SourcedPool", "broadened", "judge_and_store", "meets_every_must", "source_all"]


# ---- judging and storing a batch ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one batch did: candidates judged and stored, and those meeting every must-have (ids in batch order)."""

    judged: int
    matched: int
    matched_ids: list[int] = field(default_factory=list)


def meets_every_must(judgement: CandidateJudgement, quals: Sequence[QualificationSpec]) -> bool:
    """Whether the candidate meets every must-have that counts: neither left to the recruiter's review nor
    blocked by the policy check (a role without such must-haves is met by everyone judged)."""
    return all(v == "meets" for v in verdicts_of_kind(judgement.verdicts, quals))


def judge_and_store(engine: Engine, organisation_id: int, project_id: int, quals: list[QualificationSpec],
                    profile_ids: Sequence[int], *, found_by: Mapping[int, str] | None = None,
                    matcher: Matcher | None = None) -> BatchResult:
    """Judge the profiles against the project's stored qualifications (``quals`` carry their ids) and store one
    evaluation per candidate and qualification, with each pipeline entry's score, recommendation and stage as
    :meth:`ProjectStore.save_judgements` sets them; missing pipeline entries are created (with the query that
    found them, from ``found_by``, where given). Unknown profile ids are skipped. ``matcher``: one compiled
    for ``quals`` and reused across batches (compiled here when not given)."""
    qual_ids = [q.id for q in quals]
    if any(q is None for q in qual_ids):
        raise ValueError("judge_and_store needs the stored qualifications (each with its id)")
    with engine.connect() as conn:
        candidates = load_candidates(conn, profile_ids)
    if not candidates:
        return BatchResult(0, 0)
    store = ProjectStore(engine, organisation_id)
    if found_by:
        store.upsert_pipeline(project_id, [(c.profile_id, found_by.get(c.profile_id), None) for c in candidates])
    judge = matcher or Matcher(quals)
    judgements = [judge.judge(c) for c in candidates]
    store.save_judgements(project_id, [q for q in qual_ids if q is not None], judgements)
    matched = [j.profile_id for j in judgements if meets_every_must(j, quals)]
    return BatchResult(len(judgements), len(matched), matched)


# ---- sourcing every match -------------------------------------------------------------------------------------
@dataclass(slots=True)
class SourcedPool:
    """Every profile the queries found, in the order found (best classical score first when capped), the query
    that found each first (``"label: query"``), and per query label how many it matched and why it failed."""

    ids: list[int]
    found_by: dict[int, str]
    per_query: dict[str, int]
    errors: dict[str, str] = field(default_factory=dict)
    capped: bool = False


def _semantic_only(q: SourcingQuery) -> bool:
    return q.mode == "semantic" or (not q.query.strip() and bool(q.semantic_text))


def _query_ids(search: Searcher, q: SourcingQuery, organisation_id: int) -> list[int]:
    """Every profile a boolean query and its facets match; a semantic-only query's ranked hits to the depth."""
    request = q.request(page_size=SEMANTIC_PAGE)
    if not _semantic_only(q):
        parsed = parse(q.query)
        if parsed.root is not None and not parsed.positive_terms():
            raise SearchError("the query only excludes terms")
        return search.matching_ids(parsed, parsed.facets.merged(request.facets), organisation_id)
    ids: list[int] = []
    for page in range(1, DEPTH // SEMANTIC_PAGE + 1):
        hits = search.search(request.model_copy(update={"page": page}), organisation_id).hits
        ids += [h.profile_id for h in hits]
        if len(hits) < SEMANTIC_PAGE:
            break
    return ids


def source_all(search: Searcher, organisation_id: int, queries: Sequence[SourcingQuery], *,
               depth: int | None = None,
               score: Callable[[list[int]], Mapping[int, float]] | None = None) -> SourcedPool:
    """Every profile each query matches, de-duplicated, each kept with the first query that found it.

    A query the search refuses is reported in ``errors``, not raised. ``depth`` caps the pool: with ``score``
    (the classical score of each id it is handed, as :func:`tools.sourcing.run_rounds` takes it) the best
    ``depth`` are kept, best first (ties by id); without it, the first ``depth`` found.
    """
    found_by: dict[int, str] = {}
    per_query: dict[str, int] = {}
    errors: dict[str, str] = {}
    for q in queries:
        try:
            ids = _query_ids(search, q, organisation_id)
        except SearchError as exc:
            errors[q.label] = str(exc)
            continue
        per_query[q.label] = len(set(ids))
        label = f"{q.label}: {q.query or q.semantic_text}"
        for pid in ids:
            found_by.setdefault(pid, label)
    pool = list(found_by)
    capped = depth is not None and len(pool) > depth
    if capped and depth is not None:
        if score is not None:
            scores = score(pool)
            pool = sorted(pool, key=lambda pid: (-scores.get(pid, 0.0), pid))
        pool = pool[:depth]
        found_by = {pid: found_by[pid] for pid in pool}
    return SourcedPool(pool, found_by, per_query, errors, capped)


def broadened(queries: Sequence[SourcingQuery], req: HiringRequirements,
              quals: Sequence[QualificationSpec]) -> list[SourcingQuery]:
    """Each query one step wider (:func:`tools.sourcing.broaden`: never beyond the role's occupation), for a
    second round; a query with nothing left to drop has none."""
    wider = (broaden(q, req, quals) for q in queries)
    return [q for q in wider if q is not None]
