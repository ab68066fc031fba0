"""The browser workspace's chat history, kept in the system of record through Chainlit's SQLAlchemy data layer.

Chainlit's :class:`~chainlit.data.sql_alchemy.SQLAlchemyDataLayer` writes users, threads, steps, elements and
feedbacks with hand-written SQL; migration 0004 creates those tables. :class:`ChatHistory` points the data
layer at the project's own database (the sync URL turned into its async twin: ``sqlite+aiosqlite`` or
``postgresql+psycopg``) and fixes what the stock layer gets wrong on this schema:

* list and dict values (thread and step tags, step modes, element player settings) are bound as JSON text,
  and JSON columns come back as Python values on SQLite too (PostgreSQL's JSONB already does);
  SQLite's 0/1 come back as booleans;
* a failing statement is logged at ERROR and raised as :class:`ChatHistoryError` instead of being logged
  as a warning and swallowed;
* the favourite-steps query matches on the JSONB metadata's text on PostgreSQL;
* a resumed thread gets back the step columns the stock thread query leaves out ("command", "modes",
  "defaultOpen", "autoCollapse"), and ``get_element`` accepts already-parsed props;
* timestamps are UTC, as their "Z" says.

Elements (text, charts, uploaded files) are kept in their own row as ``data:`` URLs by :class:`InlineStorage`,
so the history needs no object store and no shared folder, with SQLite and with PostgreSQL alike.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient
from chainlit.element import ElementDict
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from chainlit.types import ThreadDict

    from app.settings import Settings

log = logging.getLogger(__name__)

# Result keys (column names and the aliases of the data layer's own queries) that hold JSON values.
JSON_KEYS = frozenset({"metadata", "tags", "generation", "modes", "props", "playerConfig", "thread_tags",
                       "thread_metadata", "step_metadata", "step_tags", "step_generation"})
# Result keys that hold booleans (SQLite returns them as 0/1).
BOOL_KEYS = frozenset({"streaming", "waitForAnswer", "isError", "defaultOpen", "autoCollapse", "autoPlay",
                       "step_streaming", "step_waitforanswer", "step_iserror"})
# Step columns the data layer writes but its thread query does not read back.
EXTRA_STEP_COLUMNS = ("command", "modes", "defaultOpen", "autoCollapse")
# Statement fragments rewritten for PostgreSQL, where LIKE does not apply to JSONB.
POSTGRES_REWRITES = (('s."metadata" LIKE', 'CAST(s."metadata" AS TEXT) LIKE'),)


class ChatHistoryError(RuntimeError):
    """A chat-history statement failed (the stock data layer would only have logged a warning)."""


def async_database_url(url: str) -> str:
    """The async-driver twin of the system-of-record URL: ``sqlite+aiosqlite`` or ``postgresql+psycopg``."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("the chat history needs a SQLite file, not an in-memory database")
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ValueError(f"the chat history supports SQLite and PostgreSQL databases, not {backend!r}")


def _bind(value: Any) -> Any:
    """Lists and dicts go to the JSON columns as JSON text (the drivers would bind them as arrays or fail)."""
    return json.dumps(value) if isinstance(value, list | dict) else value


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key, value in row.items():
        if key in JSON_KEYS and isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError:
                pass  # not JSON: leave the text as it is
        elif key in BOOL_KEYS and isinstance(value, int) and not isinstance(value, bool):
            out[key] = bool(value)
    return out


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class InlineStorage(BaseStorageClient):
    """Keeps each element's content in the element's own row, as a ``data:`` URL the browser reads directly.

    Nothing is stored apart from the row, so there is no object key, nothing to delete and no read URL to sign;
    deleting the thread deletes its elements. Content over ``max_bytes`` is refused with an error.
    """

    def __init__(self, max_bytes: int = 10 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes

    async def upload_file(self, object_key: str, data: bytes | str, mime: str = "application/octet-stream",
                          overwrite: bool = True, content_disposition: str | None = None) -> dict[str, Any]:
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(raw) > self.max_bytes:
            message = f"element {object_key!r} has {len(raw):,} bytes, over the {self.max_bytes:,} the history keeps"
            log.error(message)
            raise ValueError(message)
        if isinstance(data, str) and mime == "application/octet-stream":
            mime = "text/plain"
        if isinstance(data, str) and "charset=" not in mime:
            mime = f"{mime};charset=utf-8"
        return {"url": f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}", "object_key": None}

    async def delete_file(self, object_key: str) -> bool:
        return True  # the content lives in the element's row, which the data layer deletes

    async def get_read_url(self, object_key: str) -> str:
        raise LookupError(f"inline storage keeps no object {object_key!r}; the element's url holds its content")

    async def close(self) -> None:
        return None


class ChatHistory(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy data layer on the project's database (schema from migration 0004)."""

    def __init__(self, database_url: str, *, storage: BaseStorageClient | None = None,
                 user_thread_limit: int | None = 1000) -> None:
        url = async_database_url(database_url)
        self.dialect = make_url(url).get_backend_name()
        connect_args: dict[str, Any] = {"timeout": 30} if self.dialect == "sqlite" else {}
        super().__init__(url, connect_args=connect_args, storage_provider=storage or InlineStorage(),
                         user_thread_limit=user_thread_limit)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    async def execute_sql(self, query: str, parameters: dict) -> list[dict[str, Any]] | int | None:
        """Run one statement in its own transaction; rows come back with JSON and booleans decoded.

        A failure is logged at ERROR and raised as :class:`ChatHistoryError`, never swallowed.
        """
        if self.dialect == "postgresql":
            for old, new in POSTGRES_REWRITES:
                query = query.replace(old, new)
        bound = {key: _bind(value) for key, value in parameters.items()}
        try:
            async with self.async_session() as session, session.begin():
                result = await session.execute(text(query), bound)
                if not result.returns_rows:
                    return result.rowcount
                rows = [dict(row._mapping) for row in result.fetchall()]
        except Exception as exc:
            log.error("Chat history statement failed: %s\n%s", exc, " ".join(query.split()))
            raise ChatHistoryError(f"chat history statement failed: {exc}") from exc
        return [_decode(self.clean_result(row)) for row in rows]

    async def get_current_timestamp(self) -> str:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat() + "Z"

    async def get_all_user_threads(self, user_id: str | None = None,
                                   thread_id: str | None = None) -> list[ThreadDict] | None:
        threads = await super().get_all_user_threads(user_id=user_id, thread_id=thread_id)
        steps = {step["id"]: step for thread in threads or [] for step in thread["steps"]}
        if not steps:
            return threads
        names = {f"t{i}": thread["id"] for i, thread in enumerate(threads or [])}
        columns = ", ".join(f'"{c}"' for c in EXTRA_STEP_COLUMNS)
        rows = await self.execute_sql(
            f'SELECT "id", {columns} FROM steps WHERE "threadId" IN ({", ".join(":" + n for n in names)})', names)
        for row in rows if isinstance(rows, list) else []:
            step = steps.get(row["id"])
            if step is not None:
                step.update({c: row[c] for c in EXTRA_STEP_COLUMNS if row[c] is not None})  # type: ignore[typeddict-item]
        return threads

    async def get_element(self, thread_id: str, element_id: str) -> ElementDict | None:
        rows = await self.execute_sql('SELECT * FROM elements WHERE "threadId" = :thread_id AND "id" = :element_id',
                                      {"thread_id": thread_id, "element_id": element_id})
        if not isinstance(rows, list) or not rows:
            return None
        row = rows[0]
        return ElementDict(
            id=row["id"], threadId=row["threadId"], type=row["type"], chainlitKey=row["chainlitKey"], url=row["url"],
            objectKey=row["objectKey"], name=row["name"], props=row["props"] or {}, display=row["display"],
            size=row["size"], language=row["language"], page=row["page"], autoPlay=row["autoPlay"],
            playerConfig=row["playerConfig"], forId=row["forId"], mime=row["mime"],
        )


def chat_history(settings: Settings) -> ChatHistory:
    """The chat history on the system of record named by ``settings`` (``@cl.data_layer`` returns this)."""
    limit = int(settings.max_upload_mb * 1024 * 1024)
    return ChatHistory(settings.db_url, storage=InlineStorage(max_bytes=limit))
