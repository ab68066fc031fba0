"""State and structured-output types shared by the supervisor and its sub-agents.

The Pydantic models here are also the JSON schemas the LLM brain is held to, so every field says what it
means. Graph state is a ``TypedDict`` with reducers written out.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, Field

from tools.hiring import Evidence, HiringRequirements, QualificationKind, QualificationSpec, VerdictLabel

AgentName = Literal["intake", "sourcing", "evaluation", "insights", "explain", "revise", "answer", "lookup"]
AGENT_HELP: dict[str, str] = {
    "intake": "turn a role description into requirements and qualifications the recruiter approves",
    "sourcing": "search the talent pool with several queries and build a de-duplicated candidate pool",
    "evaluation": "score the pool, judge the top candidates qualification by qualification with evidence",
    "insights": "describe the talent pool for a role or a place: size, locations, titles, skills, salary band",
    "explain": "explain one candidate's ranking: which qualifications they meet and which they miss",
    "revise": "change a qualification (loosen, tighten, remove, add) and have the recruiter approve the change",
    "answer": "answer a question or say what the assistant can do, without running a sub-agent",
    "lookup": "answer an open question with tools: look up a candidate by id, search for people like them, count "
              "who on the shortlist is open to work, shortlist, hide or reject a candidate",
}


class PlanStep(BaseModel):
    agent: AgentName = Field(description="The sub-agent that runs this step.")
    instruction: str = Field(description="What the sub-agent should do, in one sentence.")
    target: str | None = Field(default=None, description="What the step is about: a candidate's name or id "
                               "(explain), the words of a qualification (revise), a place or role (insights).")


class Plan(BaseModel):
    """The planner's answer to a recruiter's message."""

    goal: str = Field(description="The recruiter's goal in one sentence.")
    steps: list[PlanStep] = Field(description="Steps in order; usually one to three.")


class ReplanDecision(BaseModel):
    """After a step: go on with the remaining steps, replace them, or stop."""

    action: Literal["continue", "revise", "finish"] = Field(description="continue: run the remaining steps "
                                                            "as planned; revise: run `steps` instead; finish: stop.")
    steps: list[PlanStep] = Field(default_factory=list, description="The new remaining steps when revising.")
    message: str = Field(default="", description="A short note for the recruiter about the change, if any.")


class Situation(BaseModel):
    """What the planner knows about the project when it plans."""

    request: str
    has_requirements: bool = False
    qualifications: list[str] = Field(default_factory=list, description="Approved qualification sentences.")
    pool_size: int = 0
    shortlist: list[str] = Field(default_factory=list, description="Top candidates as 'id: name'.")
    last_step: str | None = None
    last_outcome: str | None = None
    failed: bool = False


class StepResult(BaseModel):
    agent: str
    ok: bool = True
    summary: str = ""
    error: str | None = None


class CandidateRef(BaseModel):
    profile_id: int
    name: str | None = None
    query: str | None = Field(default=None, description="The label of the query that found the candidate.")
    score: float = 0.0


class ShortlistVerdict(BaseModel):
    """One qualification's verdict on a shortlisted candidate, as the recruiter sees it."""

    qualification_id: int | None = Field(default=None, description="The stored qualification's id.")
    text: str = Field(description="The qualification sentence.")
    kind: QualificationKind
    verdict: VerdictLabel
    reason: str = ""
    evidence: list[Evidence] = Field(default_factory=list, description="Verbatim quotes behind the verdict.")
    review: bool = Field(default=False, description="The recruiter reviews this qualification; it is not scored.")


class ShortlistRow(BaseModel):
    profile_id: int
    rank: int
    name: str | None
    title: str | None
    location: str | None
    musts_met: int
    musts_total: int
    score: float
    recommendation: str
    query: str | None
    verdicts: list[ShortlistVerdict] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class SupervisorState(TypedDict, total=False):
    """The whole conversation of one recruiter on one project (one checkpointed thread)."""

    messages: Annotated[list[AnyMessage], add_messages]
    request: str  # the recruiter's latest message, as text
    plan: Plan | None
    step_index: int
    results: Annotated[list[StepResult], operator.add]
    project_id: int | None
    requirements: HiringRequirements | None
    qualifications: list[QualificationSpec]
    approved: bool
    qualification_version: int
    pool: list[CandidateRef]
    calibration: dict[int, str]  # profile id -> good | bad, from the recruiter
    shortlist: list[ShortlistRow]
    sourcing_rounds: int
    queries: list[dict[str, Any]]  # each sourcing query run: label, query, found, new, precision
    insights: dict[str, Any] | None  # the last talent insights, for charts
    last_result: StepResult | None  # what the step just run reports to the replanner


class SupervisorInput(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def checkpoint_types() -> list[type]:
    """The classes a checkpoint may hold: the checkpointer revives these and nothing else of ours."""
    from tools import hiring, revision

    return [Plan, PlanStep, ReplanDecision, Situation, StepResult, CandidateRef, ShortlistRow, ShortlistVerdict,
            hiring.HiringRequirements, hiring.Inferred, hiring.SalaryBand, hiring.PolicyCheck,
            hiring.QualificationSpec, hiring.Evidence, hiring.QualificationVerdict, hiring.CandidateJudgement,
            revision.Revision, revision.NoSuchQualification]
