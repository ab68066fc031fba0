"""The look-up agent on the LLM path: the real OpenAI client (langchain-openai) against a scripted
OpenAI-compatible server on loopback, tools run against a real SQLite database.

Each test scripts the planner's plan, the tool-calling replies and the final answer, then asserts on what the
server received next (the tool's real answer), what the recruiter saw and what was stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.openai_server import ScriptedOpenAIServer
from lookup_world import LookupWorld, build_world
from sqlalchemy import Engine

from app.agent import AgentRuntime
from app.models import ModelFactory
from app.settings import Settings
from graphs.brain import Brain
from graphs.lookup import MAX_TOOL_ROUNDS
from tools.lc_tools import TOOLS

# langchain-openai dumps the parsed structured reply through a model typed `parsed: None` (upstream issue
# langchain-ai/langchain#35538); the warning is about its serialisation, not about what the agent receives.
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")

PLAN = {"goal": "Answer with tools.", "steps": [{"agent": "lookup", "instruction": "Look it up.", "target": None}]}
CONTINUE = {"action": "continue", "steps": [], "message": ""}


def make_settings(tmp_path: Path, base_url: str) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path, "checkpoint_url": f"sqlite:///{tmp_path / 'checkpoints.db'}",
        "llm_base_url": base_url, "llm_model": "scripted", "llm_api_key": "",
        "planner_base_url": "", "planner_model": "", "evaluator_base_url": "", "evaluator_model": "",
        "writer_base_url": "", "writer_model": "", "llm_timeout_s": 5.0, "llm_max_retries": 0, "llm_seed": 7,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer(model="scripted") as srv:
        yield srv


@pytest.fixture
def world(sqlite_engine: Engine) -> LookupWorld:
    return build_world(sqlite_engine)


async def ask(tmp_path: Path, server: ScriptedOpenAIServer, world: LookupWorld, text: str) -> list[dict[str, Any]]:
    settings = make_settings(tmp_path, server.base_url)
    models = ModelFactory(settings)
    brain = Brain(planner=models.get("planner"), evaluator=models.get("evaluator"), writer=models.get("writer"))
    async with AgentRuntime(settings, services=world.services(brain)) as rt:
        ctx = rt.context(world.org_id, world.recruiter_id, world.project_id)
        return [event async for event in rt.send("recruiter-1:project-1", text, ctx)]


def tool_messages(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in request["messages"] if m["role"] == "tool"]


def fenced(message: dict[str, Any]) -> Any:
    """The JSON a tool answered, out of its <tool_result> fence."""
    head, body = message["content"].split("\n", 1)
    assert head.startswith("<tool_result ") and body.endswith("\n</tool_result>")
    return json.loads(body.removesuffix("\n</tool_result>"))


def lookup_messages(events: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for e in events if e["event"] == "message" and e["agent"] == "lookup"]


async def test_the_tools_run_against_the_database_and_the_answer_reaches_the_recruiter(
        tmp_path: Path, server: ScriptedOpenAIServer, world: LookupWorld) -> None:
    answer = f"Sam Lee (#{world.sam}) is a backend engineer in Austin with Go and Kubernetes, like Dana."
    server.push(
        {"json": PLAN},
        {"tool_calls": [{"name": "lookup_profile", "args": {"profile_id": world.dana}}]},
        {"tool_calls": [{"name": "search_talent", "args": {"query": 'title:"backend engineer" AND skill:kubernetes',
                                                           "mode": "keyword", "country": ["US"]}}]},
        {"content": answer},
        {"json": CONTINUE},
    )

    events = await ask(tmp_path, server, world, f"find someone like candidate {world.dana} but in Austin")

    assert not [e for e in events if e["event"] == "error"]
    assert lookup_messages(events) == [answer]
    assert server.pending == 0 and len(server.requests) == 5
    first = server.requests[1]
    assert sorted(t["function"]["name"] for t in first["tools"]) == sorted(t.name for t in TOOLS)
    user = first["messages"][-1]["content"]
    assert f"<request>\nfind someone like candidate {world.dana} but in Austin" in user
    # the second request carries the card the tool read from SQLite
    (card,) = tool_messages(server.requests[2])
    assert card["content"].startswith('<tool_result tool="lookup_profile" status="success">')
    body = fenced(card)
    assert (body["profile_id"], body["name"], body["location"]) == (world.dana, "Dana Smith", "Berlin, Germany")
    assert body["skills"] == ["Go", "Kubernetes", "PostgreSQL"] and body["open_to_work"] is True
    assert card["tool_call_id"] == server.requests[2]["messages"][-2]["tool_calls"][0]["id"]
    # the third the search: the organisation's view only
    hits = fenced(tool_messages(server.requests[3])[-1])["hits"]
    assert [h["profile_id"] for h in hits] == [world.sam] and world.secret not in [h["profile_id"] for h in hits]


async def test_an_invented_tool_and_a_tool_error_are_answered_and_the_loop_goes_on(
        tmp_path: Path, server: ScriptedOpenAIServer, world: LookupWorld) -> None:
    server.push(
        {"json": PLAN},
        {"tool_calls": [{"name": "export_all_candidates", "args": {"format": "csv"}}]},
        {"tool_calls": [{"name": "search_talent", "args": {"query": "(kubernetes AND", "mode": "keyword"}}]},
        {"tool_calls": [{"name": "search_talent", "args": {"query": "kubernetes", "mode": "keyword"}}]},
        {"content": "Dana Smith and Sam Lee know Kubernetes."},
        {"json": CONTINUE},
    )

    events = await ask(tmp_path, server, world, "who knows Kubernetes?")

    (invented,) = tool_messages(server.requests[2])
    assert "there is no tool named 'export_all_candidates'" in invented["content"]
    assert all(t.name in invented["content"] for t in TOOLS)
    syntax = tool_messages(server.requests[3])[-1]["content"]
    assert 'status="error"' in syntax and "dangling operator 'AND'" in syntax
    found = fenced(tool_messages(server.requests[4])[-1])
    assert found["total"] == 2 and {h["profile_id"] for h in found["hits"]} == {world.dana, world.sam}
    assert lookup_messages(events) == ["Dana Smith and Sam Lee know Kubernetes."]
    assert server.pending == 0


async def test_the_step_budget_ends_the_loop(tmp_path: Path, server: ScriptedOpenAIServer,
                                             world: LookupWorld) -> None:
    loop = [{"tool_calls": [{"name": "lookup_pipeline", "args": {}}]} for _ in range(MAX_TOOL_ROUNDS)]
    server.push({"json": PLAN}, *loop, {"content": "One of the two shortlisted is open to work."},
                {"json": CONTINUE})

    events = await ask(tmp_path, server, world, "how many of the shortlist are open to work?")

    assert not [e for e in events if e["event"] == "error"]
    assert lookup_messages(events) == ["One of the two shortlisted is open to work."]
    assert server.pending == 0 and len(server.requests) == MAX_TOOL_ROUNDS + 3
    final = server.requests[MAX_TOOL_ROUNDS + 1]
    assert final["tool_choice"] == "none" and "The tool rounds are used up" in final["messages"][-1]["content"]
    assert all("tool_choice" not in r for r in server.requests[1:MAX_TOOL_ROUNDS + 1])
    answers = tool_messages(final)
    assert len(answers) == MAX_TOOL_ROUNDS
    assert fenced(answers[0])["open_to_work"] == 1


async def test_another_organisations_applicant_is_not_found(tmp_path: Path, server: ScriptedOpenAIServer,
                                                            world: LookupWorld) -> None:
    server.push(
        {"json": PLAN},
        {"tool_calls": [{"name": "lookup_profile", "args": {"profile_id": world.secret}},
                        {"name": "update_shortlist", "args": {"profile_id": world.secret, "action": "shortlist"}},
                        {"name": "lookup_profile", "args": {"profile_id": world.secret,
                                                            "organisation_id": world.other_org_id}}]},
        {"content": "That candidate is not in your talent pool."},
        {"json": CONTINUE},
    )

    events = await ask(tmp_path, server, world, f"shortlist candidate {world.secret}")

    looked, acted, smuggled = (m["content"] for m in tool_messages(server.requests[2]))
    assert f"no profile {world.secret} in this organisation's talent pool" in looked
    assert f"no profile {world.secret} in this organisation's talent pool" in acted
    assert "Refused: organisation_id cannot be chosen" in smuggled
    assert "Secret Bee" not in json.dumps(server.requests[2])
    assert world.store().actions(world.project_id) == []
    assert lookup_messages(events) == ["That candidate is not in your talent pool."]


async def test_a_failing_model_in_the_loop_stops_the_turn_with_a_resumable_error(
        tmp_path: Path, server: ScriptedOpenAIServer, world: LookupWorld) -> None:
    server.push({"json": PLAN}, {"status": 503, "body": "overloaded"})

    events = await ask(tmp_path, server, world, "how many of the shortlist are open to work?")

    errors = [e for e in events if e["event"] == "error"]
    assert errors == [events[-1]] and errors[0]["resumable"] is True
    assert "The language model for the planner" in errors[0]["text"] and "HTTP 503" in errors[0]["text"]
    assert lookup_messages(events) == []
