"""The browser chat history in the system of record: Chainlit's real data layer on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator

import chainlit as cl
import pytest
from chainlit.context import ChainlitContext, context_var
from chainlit.session import HTTPSession
from chainlit.types import Feedback, Pagination, ThreadDict, ThreadFilter
from sqlalchemy import Engine, inspect, text

from app.chat_store import ChatHistory, ChatHistoryError, async_database_url
from tools.records.migrate import CHAT_HISTORY_TABLES

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _at(seconds: int) -> str:
    return (T0 + dt.timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def _in_thread(thread_id: str | None = None) -> None:
    """A Chainlit request context, as an HTTP request has, so messages and steps know their thread (it leaves
    Chainlit's global data layer alone, unlike ``init_http_context``)."""
    session = HTTPSession(id=str(uuid.uuid4()), thread_id=thread_id or str(uuid.uuid4()), client_type="webapp")
    context_var.set(ChainlitContext(session))


def _complaints(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What Chainlit's data layer or ours logged at WARNING or above."""
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records
            if r.levelno >= logging.WARNING and r.name.startswith(("chainlit", "app.chat_store"))]


@pytest.fixture
async def history(engine: Engine) -> AsyncIterator[ChatHistory]:
    store = ChatHistory(engine.url.render_as_string(hide_password=False))
    yield store
    await store.close()


def test_async_url_of_each_database() -> None:
    assert async_database_url("sqlite:////srv/var/hire.db") == "sqlite+aiosqlite:////srv/var/hire.db"
    assert async_database_url("postgresql+psycopg://hire:pw@db:5432/hire") == "postgresql+psycopg://hire:pw@db:5432/hire"
    assert async_database_url("postgresql://hire@db/hire") == "postgresql+psycopg://hire@db/hire"
    with pytest.raises(ValueError, match="SQLite and PostgreSQL"):
        async_database_url("mysql://root@db/hire")
    with pytest.raises(ValueError, match="in-memory"):
        async_database_url("sqlite://")


async def test_tables_have_every_column_the_data_layer_writes(engine: Engine) -> None:
    _in_thread()
    message = cl.Message(content="hi", command="source", modes={"brain": "classical"})
    step = cl.Step(name="search", type="run", default_open=True, auto_collapse=True, show_input=True)
    element = cl.Text(name="note", content="hello", display="inline", for_id=message.id)
    written = {
        "users": {"id", "identifier", "createdAt", "metadata"},  # create_user's INSERT
        "threads": set(ThreadDict.__annotations__) - {"steps", "elements"},
        "steps": set(message.to_dict()) | set(step.to_dict()),
        "elements": set(element.to_dict()) | {"url", "objectKey"},
        "feedbacks": {f.name for f in dataclasses.fields(Feedback)},
    }
    assert set(written) == CHAT_HISTORY_TABLES
    assert {"autoCollapse", "defaultOpen", "command", "modes", "waitForAnswer"} <= written["steps"]
    schema = inspect(engine)
    for table, columns in written.items():
        assert columns <= {c["name"] for c in schema.get_columns(table)}, table
    assert ["userIdentifier"] in [ix["column_names"] for ix in schema.get_indexes("threads")]
    for table, column, parent in (("threads", "userId", "users"), ("steps", "threadId", "threads"),
                                  ("elements", "threadId", "threads"), ("feedbacks", "threadId", "threads")):
        [fk] = [fk for fk in schema.get_foreign_keys(table) if fk["constrained_columns"] == [column]]
        assert fk["referred_table"] == parent
        assert fk["options"].get("ondelete", "").upper() == "CASCADE"


async def test_history_round_trip(history: ChatHistory, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    suffix = uuid.uuid4().hex[:8]
    ada = await history.create_user(cl.User(identifier=f"ada-{suffix}@acme.test", metadata={"recruiter_id": 1}))
    bob = await history.create_user(cl.User(identifier=f"bob-{suffix}@acme.test"))
    assert ada and bob and ada.id != bob.id
    assert ada.metadata == {"recruiter_id": 1}
    again = await history.get_user(ada.identifier)
    assert again is not None and again.id == ada.id and again.createdAt.endswith("Z")
    assert await history.get_user(f"nobody-{suffix}@acme.test") is None

    thread_id, later_id = str(uuid.uuid4()), str(uuid.uuid4())
    _in_thread(thread_id)
    await history.update_thread(thread_id, name="Backend engineer, Berlin", user_id=ada.id,
                                metadata={"project_id": 1}, tags=["project:1"])

    question = cl.Message(content="Find Go engineers in Berlin", author="Ada", type="user_message",
                          command="source", modes={"brain": "classical"}, created_at=_at(0))
    run = cl.Step(name="search_talent", type="run", show_input=True, default_open=True, auto_collapse=True)
    run.input, run.output, run.created_at, run.start, run.end = '{"query": "Go AND Berlin"}', "", _at(1), _at(1), None
    answer = cl.Message(content="I found 42 candidates", author="Assistant", created_at=_at(2),
                        metadata={"favorite": True})
    answer_dict = {**answer.to_dict(), "defaultOpen": True, "autoCollapse": True}
    await history.create_step(question.to_dict())
    await history.create_step(run.to_dict())
    run.output, run.end = "42 candidates", _at(2)
    await history.update_step(run.to_dict())
    await history.create_step(answer_dict)
    note = cl.Text(name="shortlist", content="1. Ana Souza: Go, Kubernetes", display="inline", for_id=answer.id)
    await history.create_element(note)
    feedback_id = await history.upsert_feedback(Feedback(forId=answer.id, threadId=thread_id, value=1,
                                                         comment="good list"))

    # a second, more recent thread of Ada's, and the stored columns the thread query does not select
    await history.update_thread(later_id, name="Data engineer", user_id=ada.id)
    _in_thread(later_id)
    await history.create_step(cl.Message(content="And data engineers?", author="Ada", type="user_message",
                                         created_at=_at(60)).to_dict())
    with engine.connect() as conn:
        stored = conn.execute(text('SELECT "autoCollapse", "defaultOpen", "waitForAnswer", "showInput" FROM steps '
                                   'WHERE "id" = :id'), {"id": run.id}).one()
        assert tuple(stored) == (True, True, None, "true")
        assert conn.execute(text('SELECT "command" FROM steps WHERE "id" = :id'), {"id": question.id}).scalar() == \
            "source"

    page = await history.list_threads(Pagination(first=1), ThreadFilter(userId=ada.id))
    assert [t["id"] for t in page.data] == [later_id] and page.pageInfo.hasNextPage
    page = await history.list_threads(Pagination(first=1, cursor=page.pageInfo.endCursor), ThreadFilter(userId=ada.id))
    assert [t["id"] for t in page.data] == [thread_id] and not page.pageInfo.hasNextPage
    found = await history.list_threads(Pagination(first=10), ThreadFilter(userId=ada.id, search="42 candidates"))
    assert [t["id"] for t in found.data] == [thread_id]
    liked = await history.list_threads(Pagination(first=10), ThreadFilter(userId=ada.id, feedback=1))
    assert [t["id"] for t in liked.data] == [thread_id]
    assert (await history.list_threads(Pagination(first=10), ThreadFilter(userId=bob.id))).data == []

    thread = await history.get_thread(thread_id)
    assert thread is not None
    assert (thread["name"], thread["userId"], thread["userIdentifier"]) == ("Backend engineer, Berlin", ada.id,
                                                                            ada.identifier)
    assert thread["tags"] == ["project:1"] and thread["metadata"] == {"project_id": 1}
    steps = thread["steps"]
    assert [(s["type"], s["output"]) for s in steps] == [("user_message", "Find Go engineers in Berlin"),
                                                         ("run", "42 candidates"),
                                                         ("assistant_message", "I found 42 candidates")]
    asked, searched, answered = steps
    assert (asked["command"], asked["modes"]) == ("source", {"brain": "classical"})
    assert searched["input"] == '{"query": "Go AND Berlin"}' and searched["end"] == _at(2)
    assert searched["defaultOpen"] is True and searched["autoCollapse"] is True and searched["streaming"] is False
    assert answered["defaultOpen"] is True and answered["autoCollapse"] is True
    assert answered["metadata"] == {"favorite": True}
    assert answered["feedback"] == {"forId": answer.id, "id": feedback_id, "value": 1, "comment": "good list"}
    [element] = thread["elements"] or []
    assert (element["name"], element["display"], element["forId"], element["type"]) == ("shortlist", "inline",
                                                                                         answer.id, "text")
    url = element["url"] or ""
    assert url.startswith("data:text/plain;charset=utf-8;base64,")
    assert base64.b64decode(url.split(",", 1)[1]).decode() == "1. Ana Souza: Go, Kubernetes"
    fetched = await history.get_element(thread_id, note.id)
    assert fetched is not None and fetched["url"] == url and fetched["props"] == {}

    assert [s["id"] for s in await history.get_favorite_steps(ada.id)] == [answer.id]
    assert await history.get_favorite_steps(bob.id) == []
    assert await history.get_thread_author(thread_id) == ada.identifier

    await history.delete_thread(thread_id)
    assert await history.get_thread(thread_id) is None
    with pytest.raises(ValueError, match="Author not found"):
        await history.get_thread_author(thread_id)
    with engine.connect() as conn:
        for table in ("steps", "elements", "feedbacks"):
            assert conn.execute(text(f'SELECT count(*) FROM {table} WHERE "threadId" = :t'),
                                {"t": thread_id}).scalar() == 0
    assert [t["id"] for t in (await history.list_threads(Pagination(first=10), ThreadFilter(userId=ada.id))).data] \
        == [later_id]
    with engine.begin() as conn:  # deleting the user deletes the rest of their history
        conn.execute(text("DELETE FROM users WHERE id IN (:a, :b)"), {"a": ada.id, "b": bob.id})
        assert conn.execute(text('SELECT count(*) FROM steps WHERE "threadId" = :t'), {"t": later_id}).scalar() == 0
    assert _complaints(caplog) == []


async def test_failures_are_raised_and_logged(history: ChatHistory, caplog: pytest.LogCaptureFixture) -> None:
    _in_thread()
    with pytest.raises(ChatHistoryError):  # feedback must name its thread
        await history.upsert_feedback(Feedback(forId=str(uuid.uuid4()), value=1))
    assert [r.levelname for r in caplog.records if r.name == "app.chat_store"] == ["ERROR"]
    assert "feedbacks" in caplog.records[-1].getMessage()
