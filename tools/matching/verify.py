"""Checking any judgement, classical or from a model, against the candidate's own text.

A quote counts only when it is verbatim and outside the regions the matcher never reads: text addressed to an
AI, hidden characters, and the candidate's name and contact data (a name is never evidence).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from tools.hiring import CandidateJudgement, Evidence, QualificationSpec
from tools.matching.load import Candidate
from tools.matching.score import REC_ORDER, recommendation_for, summary_for
from tools.matching.suspicious import identity_regions, suspicious_regions

__all__ = ["verify_evidence"]


def verify_evidence(judgement: CandidateJudgement, candidate: Candidate,
                    quals: Sequence[QualificationSpec] | None = None) -> CandidateJudgement:
    """Keep only verbatim evidence outside suspicious regions and the name and contact data; verdicts left
    without evidence → no_evidence.

    A quote at wrong offsets that occurs exactly once in its source is moved there. With ``quals`` the
    recommendation is recomputed (and the summary too when a verdict was downgraded); without them the
    recommendation is only ever lowered, every qualification then counting as a must-have.
    """
    sources = _sources(candidate)
    dropped = fixed = 0
    changed = False
    verdicts = []
    for v in judgement.verdicts:
        kept = []
        for ev in v.evidence:
            good = _check_evidence(ev, sources)
            if good is None:
                dropped += 1
                continue
            fixed += good is not ev
            kept.append(good)
        verdict, reason = v.verdict, v.reason
        if verdict != "no_evidence" and not kept:
            verdict, reason = "no_evidence", "The quoted evidence was not found in the profile"
            changed = True
        verdicts.append(v.model_copy(update={"evidence": kept, "verdict": verdict, "reason": reason}))
    warnings = list(judgement.warnings)
    if dropped:
        warnings.append(f"Discarded {dropped} quote{'s' if dropped != 1 else ''} not found verbatim "
                        f"in the candidate's text (or inside text addressed to an AI, or the candidate's name or "
                        "contact data)")
    if fixed:
        warnings.append(f"Corrected the offsets of {fixed} quote{'s' if fixed != 1 else ''}")
    update: dict[str, Any] = {"verdicts": verdicts, "warnings": warnings}
    if quals is not None:
        update["recommendation"] = recommendation_for(verdicts, quals)
        if changed:
            update["summary"] = summary_for(verdicts, quals)
    elif changed:
        as_musts = [QualificationSpec(text="") for _ in range(max((v.qualification for v in verdicts), default=-1) + 1)]
        lowered = recommendation_for(verdicts, as_musts)
        update["recommendation"] = max(judgement.recommendation, lowered, key=REC_ORDER.index)
    return judgement.model_copy(update=update)


def _sources(c: Candidate) -> dict[str, list[tuple[str, list[tuple[int, int, str]]]]]:
    out: dict[str, list[tuple[str, list[tuple[int, int, str]]]]] = defaultdict(list)
    for source, text in (("profile", c.text), *c.notes):
        kind = source if source in ("profile", "resume") else "note"
        text = text or ""
        regions = suspicious_regions(text) + identity_regions(text, c.full_name, name_line=kind != "note")
        out[kind].append((text, sorted(regions)))
    return out


def _check_evidence(ev: Evidence, sources: dict[str, list[tuple[str, list[tuple[int, int, str]]]]]) -> Evidence | None:
    """The evidence as is, with repaired offsets, or None when it is not verbatim or touches suspicious text."""
    if not ev.quote or not ev.quote.strip():
        return None
    entries = sources.get(ev.source, [])
    for text, regions in entries:
        if ev.end > ev.start and text[ev.start:ev.end] == ev.quote:
            return None if _overlaps(ev.start, ev.end, regions) else ev
    places: list[tuple[int, list[tuple[int, int, str]]]] = []
    for text, regions in entries:
        pos = text.find(ev.quote)
        while pos >= 0 and len(places) < 2:
            places.append((pos, regions))
            pos = text.find(ev.quote, pos + 1)
    if len(places) != 1:
        return None
    pos, regions = places[0]
    end = pos + len(ev.quote)
    if _overlaps(pos, end, regions):
        return None
    return ev.model_copy(update={"start": pos, "end": end})


def _overlaps(s: int, e: int, regions: Sequence[tuple[int, int, str]]) -> bool:
    return any(s < re_ and rs < e for rs, re_, _label in regions)

