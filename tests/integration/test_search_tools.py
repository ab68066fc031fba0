"""The search and insights tools as the agents call them: through LangGraph's ToolNode, with the
organisation injected from the run context and never taken from the model's arguments."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from app.loader import ensure_organisation, load_records, seed_profiles
from tools.records import ProfileRecord
from tools.search.engine import TalentSearch
from tools.search.lc_tools import TOOLS, search_talent, talent_pool_insights


@dataclass(kw_only=True)
class Context:
    organisation_id: int
    talent_search: TalentSearch


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


def _run(search: TalentSearch, org: int, name: str, args: dict) -> str:
    builder = StateGraph(MessagesState, context_schema=Context)
    builder.add_node("tools", ToolNode(TOOLS))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    graph = builder.compile()
    call = AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "call-1", "type": "tool_call"}])
    out = graph.invoke({"messages": [call]}, context=Context(organisation_id=org, talent_search=search))
    return out["messages"][-1].content


def test_the_model_cannot_choose_the_organisation() -> None:
    for tool in (search_talent, talent_pool_insights):
        schema = tool.tool_call_schema.model_json_schema()
        assert "runtime" not in schema["properties"] and "organisation_id" not in schema["properties"]
        assert tool.description.strip()


def test_search_tool_is_scoped_to_the_run_context(world) -> None:
    search, a, b, a_app, b_app = world
    out = _run(search, a, "search_talent", {"query": '"secret applicant"', "mode": "keyword"})
    assert re.findall(r"profile_id=(\d+)", out) == [str(a_app)]
    assert "total=1" in out
    # an organisation smuggled into the arguments by the model changes nothing
    smuggled = _run(search, a, "search_talent", {"query": '"secret applicant"', "organisation_id": b,
                                                  "mode": "keyword"})
    assert str(b_app) not in re.findall(r"profile_id=(\d+)", smuggled)


def test_insights_tool_returns_the_pool(world) -> None:
    search, a, _b, _a_app, _b_app = world
    out = _run(search, a, "talent_pool_insights", {"query": "kubernetes OR python"})
    size = int(re.search(r"size=(\d+)", out).group(1))
    with search.engine.connect() as conn:
        from tools.search.keyword import SqliteKeywordIndex
        from tools.search.query import parse
        from tools.search.types import Facets

        expected = SqliteKeywordIndex().matching_ids(conn, parse("kubernetes OR python"), Facets(), a)
    assert size == len(expected) > 1
    assert "top_skills=" in out


def test_bad_query_comes_back_as_a_tool_error_the_model_can_read(world) -> None:
    search, a, *_ = world
    out = _run(search, a, "search_talent", {"query": "(kubernetes AND", "mode": "keyword"})
    assert "dangling operator 'AND'" in out and "at character 13" in out


def test_facets_written_in_the_query_are_not_undone_by_tool_defaults(world) -> None:
    search, a, *_ = world
    out = _run(search, a, "search_talent", {"query": "(python OR java) country:US", "mode": "keyword",
                                            "page_size": 100})
    ids = [int(i) for i in re.findall(r"profile_id=(\d+)", out)]
    assert ids
    with search.engine.connect() as conn:
        from sqlalchemy import bindparam, text

        countries = set(conn.execute(text("SELECT country FROM profiles WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": ids}).scalars())
    assert countries == {"US"}
