"""The classical matcher: per-qualification verdicts backed by verbatim evidence, a fast score and a ranking.

Everything here is plain Python and deterministic: the same candidate and qualifications always give the same
verdicts, evidence and score.

* :class:`Candidate` is what the matcher reads: the profile text the evidence offsets point into, a few
  structured fields, and optional extra sources (an uploaded resume, recruiter notes); :func:`load_candidates`
  reads them from the database (:mod:`tools.matching.load`).
* :class:`Matcher` compiles each :class:`~tools.hiring.QualificationSpec` once (:mod:`tools.matching.plans`)
  and then :meth:`Matcher.score` gives a weighted score in [0, 1] while :meth:`Matcher.judge` gives the full
  :class:`~tools.hiring.CandidateJudgement` with evidence spans and one-line reasons
  (:mod:`tools.matching.matcher`, :mod:`tools.matching.evidence`, :mod:`tools.matching.score`).
* :func:`suspicious_regions` finds text addressed to an AI or hidden with zero-width characters; such text is
  blanked (offsets kept) before matching, so it never counts toward a verdict and is never quoted, and
  :func:`region_warnings` tells the recruiter what was ignored (:mod:`tools.matching.suspicious`).
* :func:`verify_evidence` checks any judgement (classical or from a model) against the candidate's text:
  quotes must be verbatim, offsets are repaired when the quote is unique, unsupported verdicts are
  downgraded to ``no_evidence`` (:mod:`tools.matching.verify`).

A profile's layout (headings, sections, dates) is read by :mod:`tools.resumes.layout`, the same reader the
resume importer uses.
"""

from tools.matching.evidence import MAX_QUOTE
from tools.matching.load import Candidate, load_candidates
from tools.matching.matcher import MAX_EVIDENCE, MODEL_ID, Matcher
from tools.matching.score import recommendation_for, summary_for
from tools.matching.suspicious import LABEL_HIDDEN, LABEL_INSTRUCTION, region_warnings, suspicious_regions
from tools.matching.verify import verify_evidence

__all__ = [
    "LABEL_HIDDEN",
    "LABEL_INSTRUCTION",
    "MAX_EVIDENCE",
    "MAX_QUOTE",
    "MODEL_ID",
    "Candidate",
    "Matcher",
    "load_candidates",
    "recommendation_for",
    "region_warnings",
    "summary_for",
    "suspicious_regions",
    "verify_evidence",
]
