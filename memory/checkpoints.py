"""The checkpointer factory: one durable thread per recruiter and project.

Embedded: ``AsyncSqliteSaver`` on a file beside the database. At scale: ``AsyncPostgresSaver``. Only the URL
chooses. Deserialisation is limited to an allowlist of the project's own state types, so a tampered
checkpoint cannot make the process import arbitrary classes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer


def serializer(allowed: Iterable[type] = ()) -> JsonPlusSerializer:
    """JSON-plus msgpack serde that revives only LangChain's message types and the classes given."""
    from langchain_core import messages

    allow: list[Any] = list(allowed)
    allow += [getattr(messages, name) for name in ("AIMessage", "HumanMessage", "SystemMessage", "ToolMessage",
                                                     "AIMessageChunk", "HumanMessageChunk", "ToolMessageChunk")]
    return JsonPlusSerializer(allowed_msgpack_modules=allow)


def _postgres_dsn(url: str) -> str:
    """SQLAlchemy-style URLs (postgresql+psycopg://) to the libpq form psycopg wants."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


@asynccontextmanager
async def open_checkpointer(url: str, *, allowed: Iterable[type] = ()) -> AsyncIterator[BaseCheckpointSaver]:
    """``url``: a path or ``sqlite:///path`` for SQLite, ``postgresql://…`` for PostgreSQL.

    The saver's tables are created on first use.
    """
    serde = serializer(allowed)
    if url.startswith(("postgresql", "postgres://")):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        async with AsyncPostgresSaver.from_conn_string(_postgres_dsn(url), serde=serde) as saver:
            await saver.setup()
            yield saver
        return
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path = url.removeprefix("sqlite:///")
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(path) as conn:
        sqlite_saver = AsyncSqliteSaver(conn, serde=serde)
        await sqlite_saver.setup()
        yield sqlite_saver
