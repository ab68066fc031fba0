"""The query that describes a talent pool for insights: the role and place a step asks about, or the project's.

The step's words are read for a role or a place (``extract_requirements``); when they name neither, the
project's requirements describe the pool. The query asks for the title without its seniority words and in the
singular, and every must-have skill; the country and the US metro area become facets, and a place outside a
known metro area is searched as a location.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.hiring import HiringRequirements
from tools.requirements import extract_requirements
from tools.search.types import Facets
from tools.taxonomy import core_title


class PoolQuery(BaseModel):
    """A talent pool: a query in the search language, facets beside it, and the place in words."""

    model_config = ConfigDict(frozen=True)

    query: str = Field(default="", description="Query in the search language; empty: every profile.")
    facets: Facets = Field(default_factory=Facets, description="Filters applied with the query.")
    place: str | None = Field(default=None, description="The place the pool is in, as the recruiter would say it.")


def insights_query(step_text: str, target: str | None, requirements: HiringRequirements | None) -> PoolQuery:
    """The classical pool query for an insights step (``step_text``: its instruction, ``target``: its place or
    role) on a project with ``requirements`` (None before intake)."""
    asked = extract_requirements(" ".join(filter(None, [step_text, target])))
    req = requirements if not (asked.occupation_code or asked.location) else asked
    if req is None:
        return PoolQuery()
    parts: list[str] = []
    if req.occupation_code and (req.title or req.occupation):
        parts.append(f'title:"{core_title(req.title or req.occupation or "", singular=True)}"')
    parts += [f'skill:"{s}"' for s in req.must_skills]
    facets, clauses = place_filter(req)
    return PoolQuery(query=" AND ".join(parts + clauses), facets=facets, place=req.location if req.country else None)


def place_filter(req: HiringRequirements) -> tuple[Facets, list[str]]:
    """The requirements' place as search facets (country, US metro area), and a location clause for a place
    outside a known metro area."""
    if not req.country:
        return Facets(), []
    facets = Facets(country=[req.country], metro=[req.metro_code] if req.metro_code else None)
    clauses = [f'location:"{req.location.split(",")[0]}"'] if req.location and not req.metro_code else []
    return facets, clauses

