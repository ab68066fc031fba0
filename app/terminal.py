"""The terminal front end of the agent: ``hire demo`` (one role, end to end) and ``hire chat`` (a conversation).

Both read the runtime's events: plan steps print as they start and finish, progress updates in place, and
every interrupt (clarifying questions, qualification approval, calibration ratings) is asked at the prompt,
or answered by ``--yes``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from app.agent import AgentRuntime
from graphs.context import Context
from graphs.state import ShortlistRow

console = Console()
Ask = Callable[[str], str]


class Terminal:
    def __init__(self, runtime: AgentRuntime, context: Context, thread_id: str, *, yes: bool = False,
                 ask: Ask | None = None, out: Console | None = None) -> None:
        self.rt = runtime
        self.ctx = context
        self.thread_id = thread_id
        self.yes = yes
        self.ask = ask or (lambda prompt: console.input(prompt))
        self.out = out or console
        self.timings: dict[str, float] = {}
        self._step_started: dict[int, float] = {}
        self.errors: list[str] = []

    async def start_background_run(self) -> None:
        """"Go source for this role overnight": a background run of the chat's project, started from this thread."""
        import asyncio

        from app.runtime.api import start_run
        from graphs.background import NothingApproved

        project_id = (await self.rt.values(self.thread_id)).get("project_id")
        if project_id is None:
            self.out.print("This chat has no role yet: describe one and approve its qualifications, then ask again.")
            return
        try:
            run = await asyncio.to_thread(start_run, self.rt.settings, self.ctx.organisation_id,
                                          self.ctx.recruiter_id, project_id, thread_id=self.thread_id)
        except NothingApproved as exc:
            self.out.print(str(exc))
            return
        self.out.print(f"Background run {run['id']} is queued: every match in the talent store, judged qualification "
                       f"by qualification. The web app's workers or `hire worker` do the work; `hire run status "
                       f"{run['id']}` and `hire notifications` show how it went.")

    async def turn(self, text: str) -> None:
        """One recruiter message, with every interrupt it raises answered, until the graph rests."""
        await self._drain(self.rt.send(self.thread_id, text, self.ctx))

    async def resume_pending(self, pending: dict[str, Any]) -> None:
        """Answer an interrupt the thread was already waiting on, then carry on until the graph rests."""
        await self._drain(self.rt.resume(self.thread_id, self.answer(pending["value"]), self.ctx))

    async def _drain(self, events: AsyncIterator[dict[str, Any]]) -> None:
        while True:
            pending = None
            async for event in events:
                if event["event"] == "interrupt":
                    pending = event
                else:
                    self.render(event)
            if pending is None:
                return
            answer = self.answer(pending["value"])
            events = self.rt.resume(self.thread_id, answer, self.ctx)

    # ---- output -----------------------------------------------------------------------------------
    def render(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "plan":
            label = "Revised plan" if event.get("revised") else "Plan"
            steps = " → ".join(s["agent"] for s in event["steps"])
            self.out.print(f"[bold cyan]{label}:[/bold cyan] {event['goal']} ({steps})")
        elif kind == "step":
            index = event["index"]
            if event["status"] == "running":
                self._step_started[index] = time.perf_counter()
                self.out.print(f"[cyan]▶ step {index + 1}: {event['agent']}[/cyan] — {event.get('instruction', '')}")
            else:
                took = time.perf_counter() - self._step_started.get(index, time.perf_counter())
                self.timings[f"{index + 1}:{event['agent']}"] = self.timings.get(
                    f"{index + 1}:{event['agent']}", 0.0) + took
                mark = "✓" if event["status"] == "done" else "✗"
                self.out.print(f"[cyan]{mark} step {index + 1}: {event['agent']}[/cyan] ({took:.1f} s)")
        elif kind == "progress":
            done, total = event.get("done"), event.get("total")
            if done is not None and total and total > 10 and done not in (1, total) and done % max(1, total // 4):
                return  # in a terminal, a few lines per long loop; the UI updates one line in place
            counts = f" [{event['done']}/{event['total']}]" if event.get("done") is not None and event.get(
                "total") else ""
            self.out.print(f"  [dim]{event['agent']}: {event['text']}{counts}[/dim]")
        elif kind == "message":
            self.out.print(f"[bold]{event['agent']}[/bold]: {event['text']}")
        elif kind == "error":
            self.errors.append(event["text"])
            self.out.print(f"[red]{event['text']}[/red]")

    # ---- interrupts -------------------------------------------------------------------------------
    def answer(self, value: dict[str, Any]) -> Any:
        kind = value.get("type")
        if kind == "clarify":
            for q in value["questions"]:
                self.out.print(f"[yellow]? {q}[/yellow]")
            if self.yes:
                return ""
            return self.ask("Your answer: ")
        if kind == "approve_qualifications":
            return self._approve(value)
        if kind == "calibrate":
            return self._calibrate(value)
        return {}

    def _approve(self, value: dict[str, Any]) -> Any:
        quals = value["qualifications"]
        for change in value.get("changes") or []:
            self.out.print(f"[yellow]Change:[/yellow] {change}")
        table = Table(title="Proposed qualifications", show_lines=False)
        for col in ("#", "kind", "qualification", "policy"):
            table.add_column(col)
        for i, q in enumerate(quals, 1):
            policy = q["policy"]
            note = "" if policy["status"] == "ok" else f"{policy['status']}: {policy.get('explanation') or ''}"
            text = q["text"] + (" (inferred)" if q.get("inferred") else "")
            text += " (needs your review: not scored)" if q.get("review") else ""
            table.add_row(str(i), q["kind"], text, note)
        self.out.print(table)
        for question in value.get("questions") or []:
            self.out.print(f"[yellow]? {question}[/yellow]")
        if self.yes:
            self.out.print("Approved (--yes).")
            return {"action": "approve"}
        while True:
            reply = self.ask("Approve? [Y]es / [n]o / [e]dit: ").strip().lower()
            if reply in ("", "y", "yes"):
                return {"action": "approve"}
            if reply in ("n", "no"):
                return {"action": "cancel"}
            if reply in ("e", "edit"):
                return {"action": "approve", "qualifications": self._edit(quals)}

    def _edit(self, quals: list[dict[str, Any]]) -> list[Any]:
        self.out.print("For each: Enter keeps it, '-' removes it, 'm'/'n' makes it must/nice, other text replaces it.")
        edited: list[Any] = []
        for i, q in enumerate(quals, 1):
            reply = self.ask(f"{i}. [{q['kind']}] {q['text']}: ").strip()
            if reply == "-":
                continue
            if reply in ("m", "n"):
                edited.append({**q, "kind": "must" if reply == "m" else "nice"})
            elif reply:
                edited.append({"text": reply, "kind": q["kind"]})
            else:
                edited.append(q)
        while extra := self.ask("Add a qualification (Enter to finish): ").strip():
            edited.append({"text": extra, "kind": "must"})
        return edited

    def _calibrate(self, value: dict[str, Any]) -> Any:
        cards = value["candidates"]
        self.out.print(f"[bold]Calibration:[/bold] rate {len(cards)} candidates so the search learns what you want.")
        if self.yes:
            self.out.print("Skipped (--yes).")
            return {"ratings": {}}
        ratings: dict[str, str] = {}
        for c in cards:
            skills = ", ".join(c.get("skills") or [])
            reply = self.ask(f"#{c['profile_id']} {c['name']}, {c['title']}, {c['location']}, {c.get('years')} y "
                             f"[{skills}]: [g]ood / [b]ad / Enter skip: ").strip().lower()
            if reply in ("g", "good"):
                ratings[str(c["profile_id"])] = "good"
            elif reply in ("b", "bad"):
                ratings[str(c["profile_id"])] = "bad"
        return {"ratings": ratings}


def print_shortlist(rows: list[ShortlistRow], out: Console | None = None, limit: int = 10) -> None:
    out = out or console
    if not rows:
        out.print("No shortlist yet.")
        return
    out.print(f"\n[bold]Shortlist[/bold] (top {min(limit, len(rows))} of {len(rows)}, must-haves first)")
    for row in rows[:limit]:
        out.print(f"\n[bold]{row.rank}. {row.name}[/bold] (#{row.profile_id}) — {row.title or ''}, "
                  f"{row.location or ''} — {row.musts_met}/{row.musts_total} must-haves, {row.recommendation}, "
                  f"score {row.score:.2f}")
        if row.query:
            out.print(f"   [dim]found by {row.query}[/dim]")
        for v in row.verdicts:
            label = "to review" if v.review else v.verdict.replace("_", " ")
            colour = {"meets": "green", "partly": "yellow", "does_not": "red"}.get(v.verdict, "dim")
            out.print(f"   [{colour}]{label:>11}[/{colour}]  [{v.kind}] {v.text} — {v.reason}")
            for ev in v.evidence[:1]:
                quote = " ".join(ev.quote.split())
                out.print(f"               “{quote[:160]}” [dim]({ev.source} {ev.start}–{ev.end})[/dim]")
        for w in row.warnings:
            out.print(f"   [red]⚠ {w}[/red]")


def new_thread() -> str:
    return f"demo-{uuid.uuid4().hex[:12]}"
