"""The typed vocabulary every reasoning step shares: requirements, qualifications, verdicts, evidence.

Both brains produce these types: the classical brain from the taxonomy, the matcher and templates; the LLM
brain through structured output, where the same classes are the JSON schema the model is held to. Field
descriptions are therefore written for a model as much as for a reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

QualificationKind = Literal["must", "nice"]
PolicyStatus = Literal["ok", "flagged", "blocked"]
VerdictLabel = Literal["meets", "partly", "does_not", "no_evidence"]
LanguageLevel = Literal["native", "fluent", "professional", "basic"]
EvidenceSource = Literal["profile", "resume", "note"]
Recommendation = Literal["strong", "good", "possible", "weak"]
# Verdicts from best to worst; a downgrade moves one step right.
VERDICT_ORDER: tuple[VerdictLabel, ...] = ("meets", "partly", "does_not", "no_evidence")
VERDICT_POINTS: dict[str, float] = {"meets": 1.0, "partly": 0.5, "does_not": 0.0, "no_evidence": 0.0}


class Inferred(BaseModel):
    """A fact the recruiter did not state, filled in from the taxonomy or BLS data."""

    field: str = Field(description="Which requirement field was inferred, e.g. 'years_min' or 'salary_band'.")
    value: str = Field(description="The inferred value, in words.")
    source: str = Field(description="Where it came from, e.g. 'O*NET experience distribution for 15-1252.00'.")


class SalaryBand(BaseModel):
    currency: str = "USD"
    p25: int | None = Field(default=None, description="25th percentile annual wage.")
    median: int | None = Field(default=None, description="Median annual wage.")
    p75: int | None = Field(default=None, description="75th percentile annual wage.")
    area: str = Field(default="United States", description="Where the figures apply (national or a metro).")
    source: str = Field(default="BLS OEWS May 2025")


class HiringRequirements(BaseModel):
    """What the recruiter asked for, normalised. Unknown facts stay empty unless inferred (then listed)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="The role's title as the recruiter would post it, e.g. 'Senior Backend Engineer'.")
    occupation_code: str | None = Field(default=None, description="O*NET-SOC code, e.g. '15-1252.00'.")
    occupation: str | None = Field(default=None, description="O*NET occupation title, e.g. 'Software Developers'.")
    seniority: str | None = Field(default=None, description="intern, junior, mid, senior, lead, principal, "
                                  "manager, director or executive.")
    years_min: float | None = Field(default=None, ge=0, description="Least years of relevant experience.")
    years_max: float | None = Field(default=None, ge=0, description="Most years, only when stated.")
    location: str | None = Field(default=None, description="City or area, e.g. 'Berlin, Germany'.")
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 code of the location, e.g. 'DE'.")
    metro_code: str | None = Field(default=None, description="BLS metro area code for US locations.")
    remote: Literal["onsite", "hybrid", "remote", "unknown"] = Field(default="unknown")
    must_skills: list[str] = Field(default_factory=list, description="Canonical skills the role requires.")
    nice_skills: list[str] = Field(default_factory=list, description="Canonical skills that are a plus.")
    languages: list[str] = Field(default_factory=list, description="Spoken languages required, e.g. 'German'.")
    nice_languages: list[str] = Field(default_factory=list, description="Spoken languages that are a plus.")
    language_levels: dict[str, LanguageLevel] = Field(
        default_factory=dict, description="The level asked for per language, when stated, e.g. {'Spanish': 'fluent'}.")
    credentials: list[str] = Field(default_factory=list, description="Licences and certifications the role requires, "
                                   "by their canonical names, e.g. 'CDL Class A', 'Registered Nurse (RN) licence'.")
    nice_credentials: list[str] = Field(default_factory=list,
                                        description="Licences and certifications that are a plus.")
    work_authorization: str | None = Field(default=None, description="ISO country code the candidate must be "
                                           "authorised to work in, when the request says so, e.g. 'US'.")
    not_understood: list[str] = Field(default_factory=list, description="Clauses of the request that no kind of "
                                      "qualification could read, verbatim, offered to the recruiter.")
    other: list[str] = Field(default_factory=list, description="Other stated requirements, verbatim sentences.")
    salary_band: SalaryBand | None = None
    inferred: list[Inferred] = Field(default_factory=list, description="Facts filled in, not stated.")
    questions: list[str] = Field(default_factory=list, description="Clarifying questions for the recruiter.")


class PolicyCheck(BaseModel):
    """The Responsible-AI check of one qualification or search filter."""

    status: PolicyStatus = "ok"
    category: str | None = Field(default=None, description="The protected characteristic involved, e.g. 'age'.")
    explanation: str | None = Field(default=None, description="Why it was blocked or flagged, for the recruiter.")
    matched: str | None = Field(default=None, description="The words that triggered the check.")


class QualificationSpec(BaseModel):
    """One checkable sentence the candidate is evaluated against."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="A checkable sentence, e.g. '5+ years of professional software development'.")
    kind: QualificationKind = Field(default="must", description="must: required; nice: a plus.")
    weight: float = Field(default=1.0, ge=0, le=5, description="Relative importance within its kind.")
    skills: list[str] = Field(default_factory=list, description="Canonical skills the sentence asks for.")
    titles: list[str] = Field(default_factory=list, description="Job titles that show the qualification.")
    years_min: float | None = Field(default=None, description="Years of experience the sentence asks for.")
    location: str | None = Field(default=None, description="Place the sentence asks for.")
    languages: list[str] = Field(default_factory=list, description="Spoken languages the sentence asks for.")
    language_level: LanguageLevel | None = Field(default=None, description="The least level of those languages.")
    credentials: list[str] = Field(default_factory=list, description="Licences or certifications the sentence asks "
                                   "for, by canonical name; any one of them satisfies it.")
    work_authorization: str | None = Field(default=None, description="ISO country code of the work authorisation "
                                           "the sentence asks for.")
    review: bool = Field(default=False, description="True when no kind of check can read the sentence: the "
                         "recruiter reviews it, and it does not count in the score.")
    inferred: bool = Field(default=False, description="True when not stated by the recruiter.")
    policy: PolicyCheck = Field(default_factory=PolicyCheck)
    id: int | None = Field(default=None, description="Database id once stored.")


class Evidence(BaseModel):
    """A verbatim quote from a candidate's text: ``text[start:end] == quote``."""

    source: EvidenceSource = "profile"
    start: int = Field(ge=0, description="Character offset where the quote starts.")
    end: int = Field(ge=0, description="Character offset where the quote ends (exclusive).")
    quote: str = Field(description="The exact characters of the source between start and end.")


class QualificationVerdict(BaseModel):
    qualification: int = Field(description="Index of the qualification in the list given.")
    verdict: VerdictLabel = Field(description="meets, partly, does_not, or no_evidence.")
    evidence: list[Evidence] = Field(default_factory=list, description="Verbatim quotes that support the verdict.")
    reason: str = Field(description="One line: why this verdict.")


class CandidateJudgement(BaseModel):
    """The per-qualification verdicts for one candidate."""

    profile_id: int
    verdicts: list[QualificationVerdict]
    recommendation: Recommendation = "possible"
    summary: str = Field(default="", description="One or two sentences for the recruiter.")
    warnings: list[str] = Field(default_factory=list, description="E.g. hidden or instruction-like text found.")
    model_id: str = "classical"


# ---- the one score -----------------------------------------------------------------------------------------
MUST_FACTOR = 2.0  # a must-have weighs twice a nice-to-have of the same weight


def qualification_factor(q: QualificationSpec) -> float:
    """How much a qualification counts in :func:`weighted_score`: its weight, doubled for a must-have, nothing
    when the policy check blocked it or only the recruiter can review it."""
    if q.policy.status == "blocked" or q.review:
        return 0.0
    return q.weight * (MUST_FACTOR if q.kind == "must" else 1.0)


def weighted_score(verdicts: Sequence[QualificationVerdict], quals: Sequence[QualificationSpec]) -> float:
    """Weighted verdict points in [0, 1] (must-haves count double, blocked ones not at all): the classical
    matcher's score of a candidate against every qualification."""
    total = points = 0.0
    for v in verdicts:
        if 0 <= v.qualification < len(quals):
            f = qualification_factor(quals[v.qualification])
            total += f
            points += f * VERDICT_POINTS[v.verdict]
    return round(points / total, 6) if total > 0 else 0.0


def verdicts_of_kind(verdicts: Sequence[QualificationVerdict], quals: Sequence[QualificationSpec],
                     kind: QualificationKind = "must") -> list[VerdictLabel]:
    """The verdicts on the qualifications of one kind that the policy check did not block."""
    return [v.verdict for v in verdicts if 0 <= v.qualification < len(quals) and quals[v.qualification].kind == kind
            and qualification_factor(quals[v.qualification]) > 0]


def shortlist_score(verdicts: Sequence[QualificationVerdict], quals: Sequence[QualificationSpec]) -> float:
    """The score a judged candidate is stored, shown and ranked by, in [0, 1]: must-haves met first (partly
    counts half), then :func:`weighted_score`.

    ``(2·met + weighted) / (2·musts + 1)``: ``2·met`` is a whole number and ``weighted`` lies in [0, 1], so one
    more half must-have met always outranks any weighted score, and the order is exactly must-haves first, then
    the weighted score. Without must-haves it is the weighted score itself.
    """
    musts = verdicts_of_kind(verdicts, quals)
    n_musts = sum(1 for q in quals if q.kind == "must" and qualification_factor(q) > 0)
    met = sum(VERDICT_POINTS[v] for v in musts)
    return round((2 * met + weighted_score(verdicts, quals)) / (2 * n_musts + 1), 6)


def rank_key(j: CandidateJudgement, quals: Sequence[QualificationSpec]) -> tuple[float, int]:
    """Sort key of the shortlist, best first: :func:`shortlist_score`, then profile id."""
    return (-shortlist_score(j.verdicts, quals), j.profile_id)
