"""The talent-search and talent-insights tools as LangChain tools for the agents.

The organisation is never a model argument: it comes from the run's context (``runtime.context``), which
must carry ``organisation_id`` and ``talent_search`` (a :class:`~tools.search.engine.TalentSearch`). A model
cannot widen the search to another organisation's applicants, whatever it writes in the arguments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from langchain.tools import ToolException, ToolRuntime, tool
from pydantic import ValidationError

from tools.insights import TalentInsights, talent_insights
from tools.search.types import Facets, SearchError, SearchPage, SearchRequest


def _facets(country: list[str] | None, years_min: float | None, years_max: float | None,
            seniority: list[str] | None, open_to_work: bool | None, updated_since: dt.date | None,
            pool: Literal["all", "network", "applicants"]) -> Facets:
    given: dict[str, Any] = {"country": country, "years_min": years_min, "years_max": years_max,
                             "seniority": seniority, "open_to_work": open_to_work, "updated_since": updated_since,
                             "pool": None if pool == "all" else pool}
    # only what the model set: facets written in the query itself stay in force for the rest
    return Facets(**{k: v for k, v in given.items() if v is not None})


@tool
def search_talent(
    query: str,
    runtime: ToolRuntime,
    semantic_text: str | None = None,
    mode: Literal["keyword", "semantic", "hybrid"] = "hybrid",
    country: list[str] | None = None,
    years_min: float | None = None,
    years_max: float | None = None,
    seniority: list[str] | None = None,
    open_to_work: bool | None = None,
    updated_since: dt.date | None = None,
    pool: Literal["all", "network", "applicants"] = "all",
    page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    """Search the talent pool. Use it to source candidates for a role or to check how many people match.

    `query` is a boolean keyword query as recruiters write them: quoted phrases, AND / OR / NOT, parentheses,
    field scopes title:, skill:, company:, school:, location: (e.g. `("site reliability" OR SRE) AND
    (Kubernetes OR k8s) NOT manager`); skill and title aliases are expanded. `semantic_text` describes the
    ideal candidate in words for semantic matching (default: the query's terms). Facets filter both:
    country (ISO codes), years_min/years_max, seniority (junior, mid, senior, lead, principal, manager,
    director, executive), open_to_work, updated_since, pool (network members, applicants, or all).
    Returns ranked hits, each with the terms it matched, its keyword and semantic ranks, and the total.
    """
    try:
        facets = _facets(country, years_min, years_max, seniority, open_to_work, updated_since, pool)
        request = SearchRequest(query=query, semantic_text=semantic_text, mode=mode, page=page,
                                page_size=min(page_size, 100), facets=facets)
    except ValidationError as exc:
        raise ToolException(f"invalid search arguments: {exc}") from exc
    ctx: Any = runtime.context
    try:
        return ctx.talent_search.search(request, organisation_id=ctx.organisation_id)
    except SearchError as exc:  # the model reads what is wrong and can rewrite its query
        raise ToolException(str(exc)) from exc


@tool
def talent_pool_insights(
    query: str,
    runtime: ToolRuntime,
    country: list[str] | None = None,
    years_min: float | None = None,
    years_max: float | None = None,
    seniority: list[str] | None = None,
    open_to_work: bool | None = None,
    pool: Literal["all", "network", "applicants"] = "all",
) -> TalentInsights:
    """Describe the talent pool for a boolean query and facets: size, top locations, titles, companies,
    schools and skills, years of experience, open-to-work share, the BLS salary band and supply for the
    occupation, and adjacent titles and skills that would widen the pool. Use it before sourcing, or when
    the recruiter asks what the market looks like."""
    ctx: Any = runtime.context
    search = ctx.talent_search
    try:
        facets = _facets(country, years_min, years_max, seniority, open_to_work, None, pool)
    except ValidationError as exc:
        raise ToolException(f"invalid facets: {exc}") from exc
    from tools.search.query import parse

    try:
        parsed = parse(query)
    except SearchError as exc:
        raise ToolException(str(exc)) from exc
    ids = search.matching_ids(parsed, parsed.facets.merged(facets), ctx.organisation_id)
    return talent_insights(search.engine, ids, organisation_id=ctx.organisation_id)


for _tool in (search_talent, talent_pool_insights):
    _tool.handle_tool_error = True  # errors go back to the model as the tool's answer, not up the graph
TOOLS = [search_talent, talent_pool_insights]
__all__ = ["TOOLS", "search_talent", "talent_pool_insights"]
