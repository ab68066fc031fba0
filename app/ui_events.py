"""From the agent's event stream to what the recruiter sees: the mapping, kept apart from Chainlit.

:class:`TurnView` reads the runtime's events (see :mod:`app.agent`) and drives a :class:`Surface` — the
Chainlit page in production, a recording fake in tests: the plan becomes a task list whose statuses update
as steps run; each sub-agent step is a collapsible step holding its instruction and what it reported;
progress updates one line in place; LLM tokens stream into the current message; interrupts become the
approval, calibration or question widgets; an error offers a retry.
"""

from __future__ import annotations

from typing import Any, Protocol

from graphs.state import ShortlistRow
from tools.spans import merge_spans

STATUS = {"running": "running", "done": "done", "failed": "failed"}


class Surface(Protocol):
    async def plan(self, goal: str, steps: list[dict[str, Any]], revised: bool) -> None: ...
    async def task_status(self, index: int, status: str) -> None: ...
    async def open_step(self, index: int, agent: str, instruction: str) -> None: ...
    async def close_step(self, index: int, output: str, failed: bool) -> None: ...
    async def progress(self, text: str) -> None: ...
    async def message(self, agent: str, text: str) -> None: ...
    async def token(self, text: str) -> None: ...
    async def insights(self, data: dict[str, Any], figures: dict[str, str]) -> None: ...
    async def ask(self, value: dict[str, Any]) -> None: ...
    async def error(self, text: str) -> None: ...


def progress_line(event: dict[str, Any]) -> str:
    done, total = event.get("done"), event.get("total")
    counts = f" ({done} of {total})" if done is not None and total else ""
    return f"{event.get('agent', '')}: {event.get('text', '')}{counts}"


class TurnView:
    """One recruiter turn (or resume): feed it every event in order."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface
        self.open: dict[int, list[str]] = {}  # step index -> messages its sub-agent wrote
        self.current: int | None = None
        self.waiting: dict[str, Any] | None = None
        self.failed = False

    async def handle(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "plan":
            await self.surface.plan(event["goal"], event["steps"], bool(event.get("revised")))
        elif kind == "step":
            await self._step(event)
        elif kind == "progress":
            await self.surface.progress(progress_line(event))
        elif kind == "message":
            if self.current is not None:
                self.open.setdefault(self.current, []).append(event["text"])
            await self.surface.message(event.get("agent") or "assistant", event["text"])
        elif kind == "token":
            await self.surface.token(event["text"])
        elif kind == "insights":
            await self.surface.insights(event.get("insights") or {}, event.get("figures") or {})
        elif kind == "interrupt":
            self.waiting = event["value"]
            await self.surface.ask(event["value"])
        elif kind == "error":
            self.failed = True
            await self.surface.error(event["text"])

    async def _step(self, event: dict[str, Any]) -> None:
        index, status = event["index"], event["status"]
        if status == "running":
            self.current = index
            self.open[index] = []
            await self.surface.task_status(index, "running")
            await self.surface.open_step(index, event["agent"], event.get("instruction", ""))
            return
        await self.surface.task_status(index, STATUS.get(status, "done"))
        output = "\n\n".join(self.open.pop(index, [])) or event.get("summary") or ""
        await self.surface.close_step(index, output, failed=status == "failed")
        if self.current == index:
            self.current = None

    async def finish(self) -> None:
        """Close steps left open (the run paused on an interrupt or stopped on an error)."""
        for index in list(self.open):
            if self.waiting is None:
                await self.surface.task_status(index, "failed" if self.failed else "done")
            await self.surface.close_step(index, "\n\n".join(self.open.pop(index)), failed=self.failed)


def verdict_markdown(row: ShortlistRow, limit_quotes: int = 1) -> str:
    """A shortlisted candidate as Markdown: verdict per qualification with its evidence quote."""
    marks = {"meets": "✓", "partly": "◐", "does_not": "✗", "no_evidence": "○"}
    lines = [f"**{row.rank}. {row.name or 'Unnamed'}** — {row.title or ''}, {row.location or ''}  ",
             f"{row.musts_met}/{row.musts_total} must-haves · {row.recommendation} · score {row.score:.2f}"]
    if row.query:
        lines.append(f"_found by {row.query}_")
    lines.append("")
    for v in row.verdicts:
        label, mark = ("to review", "?") if v.review else (v.verdict.replace("_", " "), marks.get(v.verdict, ""))
        lines.append(f"- {mark} **{label}** · [{v.kind}] {v.text} — {v.reason}")
        for ev in v.evidence[:limit_quotes]:
            quote = " ".join(ev.quote.split()).replace("*", "\\*")
            lines.append(f"  > “{quote[:200]}”")
    for w in row.warnings:
        lines.append(f"\n⚠️ {w}")
    return "\n".join(lines)


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Profile text as Markdown with the evidence spans marked (bold), everything else escaped."""
    def esc(s: str) -> str:
        for ch in "\\`*_[]#<>|":
            s = s.replace(ch, "\\" + ch)
        return s

    out, at = [], 0
    for start, end in merge_spans(spans):
        out.append(esc(text[at:start]))
        out.append(f"**{esc(text[start:end])}**")
        at = end
    out.append(esc(text[at:]))
    return "".join(out).replace("\n", "  \n")
