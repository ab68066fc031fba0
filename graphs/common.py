"""Small helpers every graph module uses: streaming progress events and messages to the recruiter."""

from __future__ import annotations

import uuid
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
