"""The agent's tools as LangChain tools: talent search, pool insights, profile and pipeline look-up, and
shortlist actions, each a thin wrapper of a plain function in :mod:`tools.agent_tools`.

The organisation, recruiter and project are never model arguments: each tool reads them from the run's
context (``runtime.context``, the graph's ``Context``, typed here as :class:`~tools.agent_tools.RunContext`).
A tool answers with JSON for the model and keeps the typed result as the message's artifact. An error the
model can fix comes back as the tool's answer, not as an exception.

:func:`run_tool_calls` executes a model's tool calls with a given context: a tool the model invents, an
argument the tool does not have (above all an organisation, recruiter or project id) and arguments that do not
validate are refused in the answer, naming what the model may use instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from langchain.tools import BaseTool, ToolException, ToolRuntime, tool
from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime
from pydantic import ValidationError

from tools import agent_tools
from tools.agent_tools import CandidateAction, RunContext
from tools.insights import TalentInsights
from tools.records.store import NotFound
from tools.search.types import Facets, SearchError, SearchPage, SearchRequest

MAX_PAGE_SIZE = 50  # hits one search shows the model
# argument names that would choose whose data a tool reads: refused outright
_SCOPE_ARGUMENT = re.compile(r"organi[sz]ation|(^|_)org(_|$)|tenant|recruiter|project|owner|account", re.I)


@contextmanager
def _as_tool_errors() -> Iterator[None]:
    """Problems the model can act on become the tool's answer."""
    try:
        yield
    except ValidationError as exc:
        raise ToolException(f"invalid arguments: {_validation_text(exc)}") from exc
    except (SearchError, NotFound, ValueError) as exc:
        raise ToolException(str(exc)) from exc


def _context(runtime: ToolRuntime[Any, Any]) -> RunContext:
    context = runtime.context
    if not isinstance(context, RunContext):
        raise TypeError(f"the run context {type(context).__name__} lacks what the tools read: organisation_id, "
                        "recruiter_id, project_id and services")
    return context


def _validation_text(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                     for e in exc.errors(include_url=False)[:6])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _facets(country: list[str] | None, years_min: float | None, years_max: float | None,
            seniority: list[str] | None, open_to_work: bool | None, updated_since: dt.date | None,
            pool: Literal["all", "network", "applicants"]) -> Facets:
    given: dict[str, Any] = {"country": country, "years_min": years_min, "years_max": years_max,
                             "seniority": seniority, "open_to_work": open_to_work, "updated_since": updated_since,
                             "pool": None if pool == "all" else pool}
    # only what the model set: facets written in the query itself stay in force for the rest
    return Facets(**{k: v for k, v in given.items() if v is not None})


def _search_content(page: SearchPage) -> str:
    hits = [{"profile_id": h.profile_id, "rank": h.rank, "name": h.full_name, "title": h.current_title,
             "headline": h.headline, "location": h.location, "years_experience": h.years_experience, "kind": h.kind,
             "matched": sorted({f"{m.field}:{m.term}" for m in h.matched})} for h in page.hits]
    return _json({"total": page.total, "page": page.page, "page_size": page.page_size, "mode": page.mode,
                  "query": page.normalized_query, "hits": hits})


# ---- the tools -------------------------------------------------------------------------------------------


@tool(response_format="content_and_artifact")
def search_talent(
    query: str,
    runtime: ToolRuntime[Any, Any],
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
) -> tuple[str, SearchPage]:
    """Search the talent pool. Use it to find candidates for a role, people like a given candidate, or to
    check how many people match.

    `query` is a boolean keyword query as recruiters write them: quoted phrases, AND / OR / NOT, parentheses,
    field scopes title:, skill:, company:, school:, location: (e.g. `("site reliability" OR SRE) AND
    (Kubernetes OR k8s) NOT manager`); skill and title aliases are expanded. `semantic_text` describes the
    ideal candidate in words for semantic matching (default: the query's terms). Facets filter both:
    country (ISO codes), years_min/years_max, seniority (junior, mid, senior, lead, principal, manager,
    director, executive), open_to_work, updated_since, pool (network members, applicants, or all).
    Returns ranked hits (profile id, name, title, location, matched terms) and the total.
    """
    with _as_tool_errors():
        facets = _facets(country, years_min, years_max, seniority, open_to_work, updated_since, pool)
        request = SearchRequest(query=query, semantic_text=semantic_text, mode=mode, page=page,
                                page_size=min(page_size, MAX_PAGE_SIZE), facets=facets)
        result = agent_tools.search_talent(_context(runtime), request)
    return _search_content(result), result


@tool(response_format="content_and_artifact")
def talent_pool_insights(
    query: str,
    runtime: ToolRuntime[Any, Any],
    country: list[str] | None = None,
    years_min: float | None = None,
    years_max: float | None = None,
    seniority: list[str] | None = None,
    open_to_work: bool | None = None,
    pool: Literal["all", "network", "applicants"] = "all",
) -> tuple[str, TalentInsights]:
    """Describe the talent pool for a boolean query and facets: size, top locations, titles, companies,
    schools and skills, years of experience, open-to-work share, the BLS salary band and supply for the
    occupation, and adjacent titles and skills that would widen the pool. Use it before sourcing, or when
    the recruiter asks what the market looks like."""
    with _as_tool_errors():
        facets = _facets(country, years_min, years_max, seniority, open_to_work, None, pool)
        result = agent_tools.pool_insights(_context(runtime), query, facets)
    return result.model_dump_json(exclude_none=True), result


@tool(response_format="content_and_artifact")
def lookup_profile(profile_id: int, runtime: ToolRuntime[Any, Any]) -> tuple[str, agent_tools.ProfileCard]:
    """Look up one candidate by profile id: name, headline, current title and employer, location, years of
    experience, seniority, skills and whether they are open to work. Use it when the recruiter names a
    candidate by id (#12, candidate 12), or to learn who a search hit is before comparing or acting."""
    with _as_tool_errors():
        card = agent_tools.profile_card(_context(runtime), profile_id)
    return card.model_dump_json(exclude_none=True), card


@tool(response_format="content_and_artifact")
def lookup_pipeline(runtime: ToolRuntime[Any, Any], limit: int = 20) -> tuple[str, agent_tools.Pipeline]:
    """Look up the current project's shortlist, best first: each candidate's rank, score, recommendation,
    must-haves met, per-qualification verdicts and whether they are open to work, plus how many of them are
    open to work. Use it for questions about the shortlist or the pipeline ("how many are open to work?",
    "who is ranked first?")."""
    with _as_tool_errors():
        result = agent_tools.pipeline(_context(runtime), limit)
    return result.model_dump_json(exclude_none=True), result


@tool(response_format="content_and_artifact")
def update_shortlist(profile_id: int, action: CandidateAction, runtime: ToolRuntime[Any, Any],
                     reason: str | None = None) -> tuple[str, agent_tools.ActionRecord]:
    """Shortlist, hide or reject a candidate in the current project, recorded as the recruiter's action.
    Use it only when the recruiter asks for exactly that action on that candidate; `reason` is their reason,
    if they gave one."""
    with _as_tool_errors():
        record = agent_tools.act_on_candidate(_context(runtime), profile_id, action, reason)
    return record.model_dump_json(exclude_none=True), record


TOOLS: list[BaseTool] = [search_talent, talent_pool_insights, lookup_profile, lookup_pipeline, update_shortlist]
for _tool in TOOLS:
    _tool.handle_tool_error = True  # errors go back to the model as the tool's answer, not up the graph


# ---- running the model's calls ---------------------------------------------------------------------------


def _argument_names(tool_: BaseTool) -> set[str]:
    schema = tool_.tool_call_schema
    if isinstance(schema, dict):
        return set(schema.get("properties", {}))
    return set(getattr(schema, "model_fields", None) or getattr(schema, "__fields__", {}))


def _refusal(call: ToolCall, text: str) -> ToolMessage:
    return ToolMessage(content=text, name=call["name"], tool_call_id=call.get("id") or "", status="error")


def _check_arguments(call: ToolCall, tool_: BaseTool) -> str | None:
    """Why the call's arguments are refused, or None."""
    allowed = _argument_names(tool_)
    extra = sorted(k for k in call.get("args", {}) if k not in allowed)
    scoped = [k for k in extra if _SCOPE_ARGUMENT.search(k)]
    if scoped:
        return (f"Refused: {', '.join(scoped)} cannot be chosen. The organisation, the recruiter and the project "
                "are those of the recruiter's session, and the tools see only this organisation's candidates.")
    if extra:
        return (f"Refused: {tool_.name} has no argument {', '.join(extra)}; its arguments are "
                f"{', '.join(sorted(allowed)) or 'none'}.")
    return None


async def run_tool_call(call: ToolCall, context: RunContext, tools: Sequence[BaseTool] = TOOLS, *,
                        config: RunnableConfig | None = None, runtime: Runtime[Any] | None = None) -> ToolMessage:
    """Run one of the model's tool calls with ``context``; every problem comes back as the tool's answer.

    Inside a graph node, pass the node's ``config`` and ``runtime``: the tools get its store and stream writer.
    """
    by_name = {t.name: t for t in tools}
    tool_ = by_name.get(call["name"])
    if tool_ is None:
        return _refusal(call, f"Error: there is no tool named {call['name']!r}. The tools you have are: "
                              f"{', '.join(by_name)}.")
    problem = _check_arguments(call, tool_)
    if problem:
        return _refusal(call, problem)
    injected: ToolRuntime[Any, Any] = ToolRuntime(
        state={}, context=context, config=config or {},
        stream_writer=runtime.stream_writer if runtime else (lambda _chunk: None),
        tool_call_id=call.get("id"), store=runtime.store if runtime else None, tools=list(tools),
    )
    invocation = {"type": "tool_call", "name": tool_.name, "id": call.get("id") or "",
                  "args": {**call.get("args", {}), "runtime": injected}}
    try:
        answer = await tool_.ainvoke(invocation, config)
    except ValidationError as exc:
        return _refusal(call, f"Error: invalid arguments for {tool_.name}: {_validation_text(exc)}. "
                              "Fix them and call again.")
    except Exception as exc:  # noqa: BLE001 - a failing tool is the tool's answer; the loop goes on
        return _refusal(call, f"Error: {tool_.name} failed: {type(exc).__name__}: {exc}")
    if isinstance(answer, ToolMessage):
        return answer
    return ToolMessage(content=str(answer), name=tool_.name, tool_call_id=call.get("id") or "")


async def run_tool_calls(calls: Sequence[ToolCall], context: RunContext, tools: Sequence[BaseTool] = TOOLS, *,
                         config: RunnableConfig | None = None,
                         runtime: Runtime[Any] | None = None) -> list[ToolMessage]:
    """The answers to a model's tool calls, in order (one at a time: some calls record actions)."""
    return [await run_tool_call(call, context, tools, config=config, runtime=runtime) for call in calls]


__all__ = ["TOOLS", "lookup_pipeline", "lookup_profile", "run_tool_call", "run_tool_calls", "search_talent",
           "talent_pool_insights", "update_shortlist"]
