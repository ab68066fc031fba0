"""The talent-search contract: what a caller asks, what every backend answers.

Both backends (embedded: SQLite FTS5 + an in-process vector index; at scale: PostgreSQL full text + Chroma
over HTTP) take a :class:`SearchRequest` and return a :class:`SearchPage`; the same contract tests run
against both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tools.taxonomy import SENIORITY_LEVELS

FIELDS = ("title", "skill", "company", "school", "location")
FACET_NAMES = ("country", "metro", "years", "seniority", "open", "updated", "pool")
Pool = Literal["all", "network", "applicants"]
Mode = Literal["keyword", "semantic", "hybrid"]
RRF_K = 60


class SearchError(ValueError):
    """A request the search cannot run; the message says what is wrong and how to fix it."""


class QuerySyntaxError(SearchError):
    """A malformed query; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, query: str, position: int) -> None:
        pointer = f"\n  {query}\n  {' ' * position}^"
        super().__init__(f"{message} (at character {position + 1}){pointer}")
        self.query = query
        self.position = position


class UnknownFacetError(SearchError):
    pass


class Facets(BaseModel):
    """Filters applied identically to keyword and semantic retrieval."""

    model_config = ConfigDict(extra="forbid")

    country: list[str] | None = Field(default=None, description="ISO 3166 alpha-2 codes, e.g. ['US', 'DE'].")
    metro: list[str] | None = Field(default=None, description="BLS metro area codes, e.g. ['0012420'] (Austin).")
    years_min: float | None = Field(default=None, ge=0, description="Least years of experience.")
    years_max: float | None = Field(default=None, ge=0, description="Most years of experience.")
    seniority: list[str] | None = Field(default=None, description=f"Any of {', '.join(SENIORITY_LEVELS)}.")
    open_to_work: bool | None = Field(default=None, description="Only people who say they are open to work.")
    updated_since: dt.date | None = Field(default=None, description="Profiles updated on or after this date.")
    pool: Pool = Field(default="all", description="network members, the organisation's applicants, or all.")

    @field_validator("country")
    @classmethod
    def _countries(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        codes = [v.strip().upper() for v in value]
        bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
        if bad:
            raise ValueError(f"country must be a two-letter ISO code, got {bad}")
        return codes

    @field_validator("seniority")
    @classmethod
    def _seniority(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        levels = [v.strip().lower() for v in value]
        bad = [v for v in levels if v not in SENIORITY_LEVELS]
        if bad:
            raise ValueError(f"unknown seniority {bad}; use one of {', '.join(SENIORITY_LEVELS)}")
        return levels

    @model_validator(mode="after")
    def _range(self) -> Facets:
        if self.years_min is not None and self.years_max is not None and self.years_min > self.years_max:
            raise ValueError(f"years_min ({self.years_min}) is above years_max ({self.years_max})")
        return self

    def merged(self, other: Facets) -> Facets:
        """These facets with every field ``other`` sets taken from ``other``."""
        return self.model_copy(update=other.model_dump(exclude_unset=True))


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(default="", max_length=2000, description="Boolean keyword query, e.g. "
                       "'(\"site reliability\" OR SRE) AND (Kubernetes OR k8s) NOT manager'.")
    semantic_text: str | None = Field(default=None, max_length=2000,
                                      description="Text for semantic matching; default: the query's terms.")
    facets: Facets = Field(default_factory=Facets)
    mode: Mode = "hybrid"
    keyword_weight: float = Field(default=0.5, ge=0, le=1,
                                  description="Weight of the keyword ranking in fusion; semantic gets 1 - this.")
    keyword_filter: bool = Field(default=True, description="In hybrid mode, semantic hits must also satisfy "
                                 "the boolean query (keyword conditions act as hard filters).")
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class MatchedTerm(BaseModel):
    term: str  # the query term (after alias expansion: the form that matched)
    field: str  # title | skill | company | school | location | text
    start: int | None = None  # span in the profile's raw_text, when found there
    end: int | None = None


@dataclass(frozen=True, slots=True)
class KeywordResult:
    """What a keyword backend answers: the ranking, the count, and (where asked for) every matching id."""

    ids: list[int]  # best first
    scores: list[float]  # higher is better
    total: int | None  # every profile matching query and facets (None when not counted)
    matched: list[int] | None = None  # every matching id, where asked for (the sparse segments)


class SearchHit(BaseModel):
    profile_id: int
    rank: int  # 1-based position in the fused ranking
    score: float  # fused reciprocal-rank score
    full_name: str | None
    headline: str
    current_title: str | None
    location: str | None
    years_experience: float | None
    kind: str  # member | applicant
    keyword_rank: int | None = None
    keyword_score: float | None = None
    semantic_rank: int | None = None
    semantic_score: float | None = None  # cosine similarity
    matched: list[MatchedTerm] = Field(default_factory=list)


class SearchPage(BaseModel):
    hits: list[SearchHit]
    total: int | None  # profiles matching the boolean query and facets; None for semantic-only
    page: int
    page_size: int
    mode: Mode
    normalized_query: str  # the parsed query with aliases expanded, as the backend ran it
    fusion: str  # how ranks were combined, in words
    timings_ms: dict[str, float] = Field(default_factory=dict)
