"""The fast score, the overall recommendation and the one-sentence summary of a judgement."""

from __future__ import annotations

from collections.abc import Sequence

from tools.hiring import (
    VERDICT_POINTS,
    QualificationSpec,
    QualificationVerdict,
    Recommendation,
    verdicts_of_kind,
)
from tools.matching.plans import Plan
from tools.matching.wording import label

__all__ = ["REC_ORDER", "recommendation_for", "summary_for", "weighted"]

REC_ORDER: tuple[Recommendation, ...] = ("strong", "good", "possible", "weak")


def weighted(labels: Sequence[str], plans: Sequence[Plan]) -> float:
    """Verdict points weighted by each plan's factor, in [0, 1] (must-haves count double)."""
    total = sum(p.factor for p in plans)
    if total <= 0:
        return 0.0
    return round(sum(VERDICT_POINTS[v] * p.factor for v, p in zip(labels, plans, strict=True)) / total, 6)


def recommendation_for(verdicts: Sequence[QualificationVerdict],
                       quals: Sequence[QualificationSpec]) -> Recommendation:
    """strong: every must-have met; good: every must-have met or partly; possible: half of them; else weak.

    Without must-haves the nice-to-haves are used the same way; with no qualification at all: possible.
    """
    labels = verdicts_of_kind(verdicts, quals) or verdicts_of_kind(verdicts, quals, "nice")
    if not labels:
        return "possible"
    if all(v == "meets" for v in labels):
        return "strong"
    if all(v in ("meets", "partly") for v in labels):
        return "good"
    if sum(VERDICT_POINTS[v] for v in labels) >= len(labels) / 2:
        return "possible"
    return "weak"


def summary_for(verdicts: Sequence[QualificationVerdict], quals: Sequence[QualificationSpec]) -> str:
    """One sentence: how many must-haves are met and which are missing."""
    scored = [v for v in verdicts if 0 <= v.qualification < len(quals)
              and quals[v.qualification].policy.status != "blocked" and not quals[v.qualification].review]
    musts = [v for v in scored if quals[v.qualification].kind == "must"]
    nices = [v for v in scored if quals[v.qualification].kind == "nice"]
    review = [label(q) for q in quals if q.review and q.policy.status != "blocked"]
    met_nice = sum(v.verdict == "meets" for v in nices)
    if not musts:
        return f"Meets {met_nice} of {len(nices)} nice-to-haves." if nices else "No qualifications to check."
    met = sum(v.verdict == "meets" for v in musts)
    text = f"Meets {met} of {len(musts)} must-have{'s' if len(musts) != 1 else ''}"
    if nices:
        text += f" and {met_nice} of {len(nices)} nice-to-have{'s' if len(nices) != 1 else ''}"
    partly = [label(quals[v.qualification]) for v in musts if v.verdict == "partly"]
    missing = [label(quals[v.qualification]) for v in musts if v.verdict in ("does_not", "no_evidence")]
    if partly:
        text += f"; partly: {', '.join(partly)}"
    if missing:
        text += f"; missing: {', '.join(missing)}"
    if review:
        text += f"; for you to review: {', '.join(review)}"
    return text + "."
