"""The classical planner and replanner: deterministic rules that produce the same ``Plan`` an LLM would.

The planner reads the recruiter's message against what the project already has (requirements, approved
qualifications, a pool, a shortlist) and picks sub-agents; the replanner continues, repairs or stops after
each step.
"""

from __future__ import annotations

import re

from graphs.state import Plan, PlanStep, ReplanDecision, Situation, StepResult
from tools.requirements import role_named

_EXPLAIN = re.compile(r"\b(why|explain|reason)\b.*\b(rank|ranked|score|scored|low|high|rated|shortlist|not|missing)"
                      r"|\bwhy\s+(is|was|did|isn't|wasn't)\b", re.I)
_REVISE = re.compile(r"\b(loosen|relax|drop|remove|soften|tighten|require|make)\b.*\b(requirement|qualification|"
                     r"must|nice|optional|mandatory|required)\b|\b(loosen|relax|soften|tighten)\b", re.I)
_INSIGHTS = re.compile(r"\b(talent pool|market|insights?|supply|salar(y|ies)|how many)\b", re.I)
_MORE = re.compile(r"\b(more candidates|source more|find more|broaden|widen)\b", re.I)
_REEVALUATE = re.compile(r"\b(re-?evaluate|re-?rank|evaluate again|score again)\b", re.I)
_ROLE = re.compile(r"\b(find|hire|hiring|looking for|need|source|search for|recruit|role|position|job)\b"
                   r"|\b(engineer|developer|nurse|manager|analyst|designer|scientist|accountant|driver|"
                   r"representative|technician|specialist|consultant|administrator|architect|sre|devops)s?\b", re.I)
_QUESTION = re.compile(r"^\s*(?:what|who|why|how|when|where|which|can|could|would|should|is|are|do|does|did|"
                       r"tell|show|list|give)\b|\?\s*$", re.I)
_HELP = re.compile(r"^\s*(help|hi|hello|hey|what can you do)\b", re.I)
_CANDIDATE = re.compile(r"(?:candidate|profile)\s+#?(\d+)|#(\d+)"
                        r"|\b(?:is|was|candidate|profile)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
_QUAL_WORDS = re.compile(r"\b(?:loosen|relax|drop|remove|soften|tighten|require)\s+(?:the\s+)?(.+?)"
                         r"(?:\s+(?:requirement|qualification|must-have|must have))?\s*$", re.I)
_LOOKUP = re.compile(r"\b(?:candidate|profile|applicant)\s+(?:#|no\.?\s*|number\s+)?\d+\b"  # "like candidate 12"
                     r"|^\s*(?:please\s+)?(?:shortlist|hide|reject)\b.*#?\d"  # "reject #7"
                     r"|\bopen[- ]to[- ]work\b.*\b(?:shortlist|pipeline)"  # "open to work on the shortlist"
                     r"|\b(?:shortlist|pipeline)\b.*\bopen[- ]to[- ]work\b", re.I)
_PLACE = re.compile(r"\b(?:in|around|near|for)\s+([A-Z][\w. ’'-]+?)(?:[,.?!]|$| for| with)")


def _candidate_target(text: str) -> str | None:
    m = _CANDIDATE.search(text)
    if not m:
        return None
    return next(g for g in m.groups() if g)


def _qualification_target(text: str) -> str:
    m = _QUAL_WORDS.search(text.strip().rstrip(".!?"))
    return (m.group(1) if m else text).strip()


def plan(request: str, situation: Situation) -> Plan:
    text = request.strip()
    has_quals = bool(situation.qualifications)
    if _HELP.search(text) and len(text) < 40:
        return Plan(goal="Say what the assistant can do.", steps=[PlanStep(agent="answer", instruction="help")])
    if _EXPLAIN.search(text):
        return Plan(goal="Explain a candidate's ranking.",
                    steps=[PlanStep(agent="explain", instruction=text, target=_candidate_target(text))])
    if _REVISE.search(text) and has_quals:
        return Plan(goal="Change a qualification and re-rank the pool.", steps=[
            PlanStep(agent="revise", instruction=text, target=_qualification_target(text)),
            PlanStep(agent="evaluation", instruction="Re-evaluate the pool against the revised qualifications."),
        ])
    if _LOOKUP.search(text):
        return Plan(goal="Look up candidates and answer the recruiter.",
                    steps=[PlanStep(agent="lookup", instruction=text, target=_candidate_target(text))])
    job_description = len(text.split()) > 25  # a pasted job description, not a question about the market
    if _INSIGHTS.search(text) and not job_description and not (
            _ROLE.search(text) and re.search(r"\b(find|hire|hiring|source)\b", text, re.I)):
        place = _PLACE.search(text)
        return Plan(goal="Describe the talent pool.",
                    steps=[PlanStep(agent="insights", instruction=text, target=place.group(1) if place else None)])
    if _MORE.search(text) and has_quals:
        return Plan(goal="Source more candidates.", steps=[
            PlanStep(agent="sourcing", instruction="Broaden the queries and add candidates."),
            PlanStep(agent="evaluation", instruction="Evaluate the new candidates."),
        ])
    if _REEVALUATE.search(text) and has_quals:
        return Plan(goal="Re-evaluate the pool.", steps=[PlanStep(agent="evaluation", instruction=text)])
    if _ROLE.search(text) or job_description or (not _QUESTION.search(text) and role_named(text)):
        return Plan(goal="Source and evaluate candidates for a role.", steps=[
            PlanStep(agent="intake", instruction=text),
            PlanStep(agent="sourcing", instruction="Source candidates for the approved qualifications."),
            PlanStep(agent="evaluation", instruction="Evaluate the pool and rank a shortlist."),
        ])
    return Plan(goal="Answer the recruiter.", steps=[PlanStep(agent="answer", instruction=text)])


def replan(situation: Situation, current: Plan, last: StepResult) -> ReplanDecision:
    if last.ok:
        return ReplanDecision(action="continue")
    if last.agent == "intake":
        return ReplanDecision(action="finish", message="Nothing was sourced: the qualifications were not approved.")
    if last.agent == "sourcing" and situation.pool_size == 0:
        return ReplanDecision(action="finish", message="No candidates matched even after broadening the queries. "
                              "Try loosening a must-have or another location.")
    if last.agent in ("explain", "lookup"):  # the step already told the recruiter what went wrong
        return ReplanDecision(action="finish")
    return ReplanDecision(action="finish", message=f"The {last.agent} step failed: {last.error or last.summary}")
