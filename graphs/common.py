"""Small helpers every graph module uses: streaming progress events and messages to the recruiter."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.config import get_stream_writer


def emit(event: str, **data: Any) -> None:
    """A custom stream event (``stream_mode="custom"``): plan progress and partial results for the UI."""
    try:
        writer = get_stream_writer()
    except RuntimeError:  # called outside a graph run
        return
    writer({"event": event, **data})


def progress(agent: str, text: str, done: int | None = None, total: int | None = None) -> None:
    emit("progress", agent=agent, text=text, done=done, total=total)


def say(text: str, agent: str | None = None) -> AIMessage:
    """A message to the recruiter, tagged with the sub-agent that wrote it."""
    return AIMessage(content=text, name=agent, id=f"msg-{uuid.uuid4().hex}")


async def off_loop(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking work (database, search, scoring) in a worker thread so the event loop stays free: the UI's
    own database writes and streaming go on while a node waits."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def candidates(svc: Any, ids: Sequence[int]) -> list[Any]:
    """Candidates by id (organisation visibility is decided by the search that found them)."""
    from tools.matching import load_candidates

    def load() -> list[Any]:
        with svc.engine.connect() as conn:
            return load_candidates(conn, list(ids))

    return await off_loop(load)
