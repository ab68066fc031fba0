"""Small helpers every graph module uses: streaming progress events and messages to the recruiter."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage
from langgraph.config import get_stream_writer

if TYPE_CHECKING:
    from graphs.context import Services
    from tools.matching import Candidate


def emit(event: str, **data: Any) -> None:
    """A custom stream event (``stream_mode="custom"``): plan progress and partial results for the UI."""
    try:
        writer = get_stream_writer()
    except RuntimeError:  # called outside a graph run
        return
    writer({"event": event, **data})


def progress(agent: str, text: str, done: int | None = None, total: int | None = None, *,
             tally: str | None = None) -> None:
    """A progress event. With ``tally``, the event counts one more of that kind out of ``total`` (parallel tasks
    share no counter): the runtime's event stream sums them per subgraph run and fills in ``done``."""
    if tally is None:
        emit("progress", agent=agent, text=text, done=done, total=total)
    else:
        emit("progress", agent=agent, text=text, done=done, total=total, tally=tally)


def progress_from_thread(agent: str) -> Callable[[str, int | None, int | None], None]:
    """``progress`` for blocking work that :func:`off_loop` runs in a worker thread: each event is handed to the
    event loop's thread, which writes the stream. Call it on the event loop, before going off it."""
    loop = asyncio.get_running_loop()

    def report(text: str, done: int | None = None, total: int | None = None) -> None:
        loop.call_soon_threadsafe(partial(progress, agent, text, done, total))

    return report


def say(text: str, agent: str | None = None) -> AIMessage:
    """A message to the recruiter, tagged with the sub-agent that wrote it."""
    return AIMessage(content=text, name=agent, id=f"msg-{uuid.uuid4().hex}")


async def off_loop(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking work (database, search, scoring) in a worker thread so the event loop stays free: the UI's
    own database writes and streaming go on while a node waits."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def candidates(svc: Services, ids: Sequence[int]) -> list[Candidate]:
    """Candidates by id (organisation visibility is decided by the search that found them)."""
    from tools.matching import load_candidates

    def load() -> list[Candidate]:
        with svc.engine.connect() as conn:
            return load_candidates(conn, list(ids))

    return await off_loop(load)
