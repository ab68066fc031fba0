"""The search and insights tools as the agents call them: through LangGraph's ToolNode, with the
organisation injected from the run context (the graph's ``Context``) and never taken from the model's
arguments."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from app.loader import ensure_organisation, load_records, seed_profiles
from graphs.brain import Brain
from graphs.context import Context, Services
from tools.lc_tools import TOOLS, search_talent, talent_pool_insights
from tools.records import ProfileRecord
from tools.search.engine import TalentSearch
from tools.search.types import SearchPage


@pytest.fixture
def world(sqlite_engine):
    a, b = ensure_organisation(sqlite_engine, "a"), ensure_organisation(sqlite_engine, "b")
    seed_profiles(sqlite_engine, 300, seed=4, occupations=("15-",), workers=1)
    text = "Site reliability engineer. Kubernetes, Go. Secret applicant of {}."
    a_app = load_records(sqlite_engine, [ProfileRecord(source="import:a", raw_text=text.format("A"),
                                                       skills=[("Kubernetes", "stated")])], a).profile_ids[0]
    b_app = load_records(sqlite_engine, [ProfileRecord(source="import:b", raw_text=text.format("B"),
                                                       skills=[("Kubernetes", "stated")])], b).profile_ids[0]
    return TalentSearch(sqlite_engine, None, None), a, b, a_app, b_app


def _call(search: TalentSearch, org: int, name: str, args: dict) -> ToolMessage:
    builder = StateGraph(MessagesState, context_schema=Context)
    builder.add_node("tools", ToolNode(TOOLS))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    graph = builder.compile()
    call = AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "call-1", "type": "tool_call"}])
    services = Services(engine=search.engine, talent_search=search, brain=Brain())
    out = graph.invoke({"messages": [call]}, context=Context(organisation_id=org, services=services))
    return out["messages"][-1]


def _run(search: TalentSearch, org: int, name: str, args: dict) -> str:
    return str(_call(search, org, name, args).content)


def _ids(out: str) -> list[int]:
    return [hit["profile_id"] for hit in json.loads(out)["hits"]]


def test_the_model_cannot_choose_the_organisation() -> None:
    assert search_talent in TOOLS and talent_pool_insights in TOOLS
    for tool in TOOLS:
        properties = tool.tool_call_schema.model_json_schema()["properties"]
        assert not [p for p in properties if p == "runtime" or "organisation" in p or "recruiter" in p
                    or "project" in p], tool.name
        assert tool.description.strip()


def test_search_tool_is_scoped_to_the_run_context(world) -> None:
    search, a, b, a_app, b_app = world
    message = _call(search, a, "search_talent", {"query": '"secret applicant"', "mode": "keyword"})
    assert _ids(str(message.content)) == [a_app]
    assert json.loads(str(message.content))["total"] == 1
    assert isinstance(message.artifact, SearchPage) and [h.profile_id for h in message.artifact.hits] == [a_app]
    # an organisation smuggled into the arguments by the model changes nothing
    smuggled = _run(search, a, "search_talent", {"query": '"secret applicant"', "organisation_id": b,
                                                  "mode": "keyword"})
    assert _ids(smuggled) == [a_app] and b_app not in _ids(smuggled)


def test_insights_tool_returns_the_pool(world) -> None:
    search, a, _b, _a_app, _b_app = world
    out = _run(search, a, "talent_pool_insights", {"query": "kubernetes OR python"})
    size = json.loads(out)["size"]
    with search.engine.connect() as conn:
        from tools.search.keyword import SqliteKeywordIndex
        from tools.search.query import parse
        from tools.search.types import Facets

        expected = SqliteKeywordIndex().matching_ids(conn, parse("kubernetes OR python"), Facets(), a)
    assert size == len(expected) > 1
    assert json.loads(out)["top_skills"]


def test_bad_query_comes_back_as_a_tool_error_the_model_can_read(world) -> None:
    search, a, *_ = world
    out = _run(search, a, "search_talent", {"query": "(kubernetes AND", "mode": "keyword"})
    assert "dangling operator 'AND'" in out and "at character 13" in out


def test_facets_written_in_the_query_are_not_undone_by_tool_defaults(world) -> None:
    search, a, *_ = world
    out = _run(search, a, "search_talent", {"query": "(python OR java) country:US", "mode": "keyword",
                                            "page_size": 100})
    ids = _ids(out)
    assert ids
    with search.engine.connect() as conn:
        from sqlalchemy import bindparam, text

        countries = set(conn.execute(text("SELECT country FROM profiles WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": ids}).scalars())
    assert countries == {"US"}


def test_profile_lookup_sees_only_the_organisations_applicants(world) -> None:
    search, a, _b, a_app, b_app = world
    own = _call(search, a, "lookup_profile", {"profile_id": a_app})
    assert own.status == "success" and json.loads(str(own.content))["profile_id"] == a_app
    assert json.loads(str(own.content))["kind"] == "applicant"
    foreign = _call(search, a, "lookup_profile", {"profile_id": b_app})
    assert foreign.status == "error" and f"no profile {b_app} in this organisation's talent pool" in foreign.content
    assert "Secret applicant of B" not in str(foreign.content)
