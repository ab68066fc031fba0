"""Two brains, one contract: every reasoning step has a typed input and a Pydantic output.

:class:`Brain` answers each step with the LLM of its role when one is configured (planner, evaluator,
writer) and with the deterministic classical implementation otherwise. Both produce the same types, and the
LLM's answers pass the same checks as the classical ones (policy on qualifications, verbatim evidence on
verdicts), so a caller never needs to know which brain answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphs import llm, rules
from graphs.state import Plan, ReplanDecision, Situation, StepResult
from tools.hiring import CandidateJudgement, HiringRequirements, QualificationSpec
from tools.matching import Candidate, Matcher, region_warnings, suspicious_regions, verify_evidence
from tools.matching.suspicious import mask_identity, withheld_warnings
from tools.policy import check_all
from tools.pool_query import PoolQuery, insights_query
from tools.requirements import draft_qualifications, extract_requirements
from tools.revision import NoSuchQualification, Revision, apply_edits, revise_qualifications
from tools.search.query import parse
from tools.search.types import SearchError
from tools.sourcing import Calibration, SourcingQuery, classical_queries, role_terms


class Brain:
    """Chat models per role (``None``: classical). Models are made by the app's factory, lazily."""

    def __init__(self, planner: Any = None, evaluator: Any = None, writer: Any = None) -> None:
        self.planner = planner
        self.evaluator = evaluator
        self.writer = writer

    @property
    def evaluator_id(self) -> str:
        return _model_name(self.evaluator) if self.evaluator is not None else "classical"

    def describe(self) -> str:
        roles = {"planner": self.planner, "evaluator": self.evaluator, "writer": self.writer}
        return ", ".join(f"{r}: {_model_name(m) if m is not None else 'classical'}" for r, m in roles.items())

    # ---- planning ---------------------------------------------------------------------------------
    async def plan(self, request: str, situation: Situation) -> Plan:
        if self.planner is None:
            return rules.plan(request, situation)
        return await llm.plan(self.planner, request, situation)

    async def replan(self, situation: Situation, plan: Plan, last: StepResult) -> ReplanDecision:
        if self.planner is None:
            return rules.replan(situation, plan, last)
        return await llm.replan(self.planner, situation, plan, last)

    # ---- intake -----------------------------------------------------------------------------------
    async def extract_requirements(self, text: str) -> HiringRequirements:
        classical = extract_requirements(text)
        if self.planner is None:
            return classical
        req = await llm.extract_requirements(self.planner, text)
        # market facts come from the taxonomy, whatever the model wrote
        fill = {k: getattr(classical, k) for k in ("occupation_code", "occupation", "metro_code", "salary_band")
                if getattr(req, k) in (None, "") and getattr(classical, k) not in (None, "")}
        return req.model_copy(update=fill)

    async def draft_qualifications(self, req: HiringRequirements) -> list[QualificationSpec]:
        if self.planner is None:
            drafted = draft_qualifications(req)
        else:
            drafted = await llm.draft_qualifications(self.planner, req)
        return check_all(drafted)

    # ---- revising ---------------------------------------------------------------------------------
    async def revise(self, quals: Sequence[QualificationSpec], instruction: str,
                     target: str | None) -> Revision | NoSuchQualification:
        """The approved qualifications changed as the recruiter asks; the model's edits are applied by the program
        (indices in range, each qualification once) and the result passes the policy check again."""
        if self.planner is None:
            return revise_qualifications(quals, instruction, target)
        edits = await llm.revise(self.planner, quals, instruction, target)
        return apply_edits(quals, edits, target)

    # ---- insights ---------------------------------------------------------------------------------
    async def insights_query(self, step_text: str, target: str | None,
                             req: HiringRequirements | None) -> PoolQuery:
        """The talent pool an insights step asks about. The model's query must parse; otherwise the classical one
        is used."""
        classical = insights_query(step_text, target, req)
        if self.planner is None:
            return classical
        request = " ".join(filter(None, [step_text, f"(about: {target})" if target else None]))
        draft = await llm.insights_query(self.planner, request, req)
        try:
            parse(draft.query)
        except SearchError:
            return classical
        return PoolQuery(query=draft.query.strip(), place=draft.place or None)

    # ---- sourcing ---------------------------------------------------------------------------------
    async def write_queries(self, req: HiringRequirements, quals: Sequence[QualificationSpec],
                            calibration: Calibration | None) -> list[SourcingQuery]:
        queries = classical_queries(req, quals, calibration)
        if self.planner is None:
            return queries
        feedback = calibration.describe() if calibration else "no ratings"
        written = await llm.write_queries(self.planner, req, list(quals), feedback)
        terms = role_terms(req, quals)
        extra = [SourcingQuery(label=f"llm: {q.label}", query=q.query, semantic_text=q.semantic_text,
                               mode="hybrid" if q.query and q.semantic_text else ("keyword" if q.query else "semantic"),
                               country=terms.country, metro=terms.metro) for q in written]
        return queries + extra  # the model's queries add to the classical ones, never replace them

    # ---- evaluation -------------------------------------------------------------------------------
    async def judge(self, candidate: Candidate, quals: Sequence[QualificationSpec],
                    matcher: Matcher) -> CandidateJudgement:
        if self.evaluator is None:
            return matcher.judge(candidate)
        # the model never reads the name or contact data (same offsets), and a quote inside them is rejected
        shown = mask_identity(candidate.text, candidate.full_name)
        judged = await llm.judge(self.evaluator, candidate.profile_id, shown, list(quals))
        checked = verify_evidence(judged, candidate, list(quals))
        notes = withheld_warnings(candidate.withheld)  # the matcher's own warnings
        notes += region_warnings(suspicious_regions(candidate.text), candidate.text)
        if notes:
            checked = checked.model_copy(update={"warnings": [*checked.warnings, *notes]})
        return checked

    # ---- writing ----------------------------------------------------------------------------------
    async def explain(self, question: str, facts: str) -> str:
        if self.writer is None:
            return facts
        return await llm.explain(self.writer, question, facts)


def _model_name(model: Any) -> str:
    return str(getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__)
