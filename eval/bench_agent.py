"""Benchmark: the agent end to end, classical evaluation throughput, and agreement across repeated runs.

Prints, never asserts:

* ``hire demo "<REQUEST>" --yes`` on the embedded default (SQLite, in-process vector index, classical brain) over a
  demo pool of N profiles built like ``hire init --demo`` (60% all occupations, 40% computer occupations, the real
  resumes as applicants): once as the real command in a fresh process, then in process through
  :class:`~app.agent.AgentRuntime` (first run and warm run) with the time to the first event and the per-step
  breakdown from the step events. The first in-process run opens the vector index and loads the embedding model
  (and, on a reused pool, imports torch); the warm one reuses them. Goal: the shortlist with evidence in under 30 s.
* Classical evaluation throughput, one process: candidates per second for ``Matcher.score`` and
  ``Matcher.judge`` over 10,000+ loaded candidates, and with ``load_candidates`` included (chunks of 500, as the
  evaluation graph loads them). Goal: over 1,000 candidates/s on 2 cores.
* Agreement: the same 50 candidates evaluated 3 times with the classical brain (expected 100% identical), and,
  when an evaluator endpoint is configured (``HIRE_LLM_BASE_URL``), 3 times through ``graphs.llm.judge``.

The pool is built once per size under ``var/bench/agent-<N>/`` (a data folder like ``var/``) and reused; the other
benchmarks build theirs in temporary folders, so there is none to share. ``--rebuild`` starts it again.

``python -m eval.bench_agent --profiles 100000 [--dir FOLDER] [--json]``
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
REQUEST = "Senior backend engineer in Berlin, Go and Kubernetes, 5+ years"
GOAL_E2E_S = 30.0
GOAL_RATE = 1000.0
CHUNK = 500  # candidates loaded per query, as the evaluation graph's screen_pool does
# Settings that would move the run off the embedded default or onto an LLM: cleared for the end-to-end runs.
OFF_DEFAULT = ("HIRE_DATABASE_URL", "HIRE_CHECKPOINT_URL", "HIRE_CHROMA_URL", "HIRE_CHROMA_PATH", "HIRE_LLM_BASE_URL",
               "HIRE_PLANNER_BASE_URL", "HIRE_EVALUATOR_BASE_URL", "HIRE_WRITER_BASE_URL")
POOL_VERSION = 1

console = Console(width=160)
log = Console(stderr=True, width=160)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# ---- settings and pool ------------------------------------------------------------------------------------
def default_settings(folder: Path):
    """The embedded default with the data folder at ``folder`` and the classical brain for every role."""
    from app.settings import Settings, get_settings

    os.environ["HIRE_DATA_DIR"] = str(folder)  # the phrase cache path comes from the process settings
    get_settings.cache_clear()
    return Settings(data_dir=folder, database_url="", checkpoint_url="", chroma_url="", chroma_path="",
                    llm_base_url="", planner_base_url="", evaluator_base_url="", writer_base_url="")


def ensure_pool(folder: Path, n: int, resumes: Path | None, rebuild: bool) -> dict[str, Any]:
    """The demo pool of ``n`` generated profiles (and the real resumes) in ``folder``: reused when complete."""
    marker = folder / "pool.json"
    wanted = {"version": POOL_VERSION, "profiles": n, "resumes": bool(resumes and resumes.is_dir())}
    if marker.exists() and not rebuild:
        built = json.loads(marker.read_text())
        if all(built.get(k) == v for k, v in wanted.items()):
            from app.services import engine_for
            from tools.records.migrate import upgrade

            t = time.perf_counter()
            upgrade(engine_for(default_settings(folder).db_url))  # a pool from an older checkout: latest schema
            return {**built, "reused": True, "migrate_s": round(time.perf_counter() - t, 1)}
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    settings = default_settings(folder)
    built = {**wanted, **build_pool(settings, n, resumes if wanted["resumes"] else None)}
    marker.write_text(json.dumps(built))
    return {**built, "reused": False}


def build_pool(settings, n: int, resumes: Path | None) -> dict[str, Any]:
    from sqlalchemy import func, select

    from app.cli import DEMO_ORG, DEMO_TECH_SHARE
    from app.importer import import_paths
    from app.loader import ensure_organisation, ensure_skills, seed_profiles
    from app.services import embedder, engine_for, vector_store
    from tools.records.migrate import upgrade
    from tools.records.models import Profile
    from tools.records.store import ensure_demo_recruiter
    from tools.search.indexer import embed_pending

    out: dict[str, Any] = {}
    engine = engine_for(settings.db_url)
    upgrade(engine)
    with engine.begin() as conn:
        ensure_skills(conn)
    org = ensure_organisation(engine, DEMO_ORG, "Demo Organisation")
    ensure_demo_recruiter(engine)
    tech = int(n * DEMO_TECH_SHARE)
    log.print(f"[dim]building the demo pool of {n:,} profiles in {settings.data_dir}[/dim]")
    t = time.perf_counter()
    seed_profiles(engine, n - tech, settings.demo_seed)
    seed_profiles(engine, tech, settings.demo_seed + 1, occupations=("15-",))
    out["seed_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    if resumes is not None:
        for _report in import_paths(engine, [resumes], org, int(settings.max_upload_mb * 2**20)):
            pass
    out["import_s"] = round(time.perf_counter() - t, 1)
    store = vector_store(settings, engine)
    emb = embedder(settings.embedding_model_path)
    log.print("[dim]embedding (composed phrases for generated profiles, full text for resumes)[/dim]")
    t = time.perf_counter()
    stats = embed_pending(engine, store, emb, mode="auto")
    out["embed_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    if hasattr(store, "build_ann") and len(store) >= 50_000:  # as `hire index` does
        store.build_ann()
    out["ann_s"] = round(time.perf_counter() - t, 1)
    emb.save_cache()
    with engine.connect() as conn:
        out["total_profiles"] = int(conn.scalar(select(func.count()).select_from(Profile)) or 0)
    out["embedded"] = stats.embedded
    out["db_mib"] = round(sum(p.stat().st_size for p in settings.data_dir.glob("hire.db*")) / 2**20)
    out["vector_mib"] = round(sum(p.stat().st_size for p in (settings.data_dir / "vectors").rglob("*")
                                  if p.is_file()) / 2**20)
    return out


# ---- end to end ------------------------------------------------------------------------------------------
def cli_run(folder: Path) -> dict[str, Any]:
    """The real ``hire demo ... --yes`` in a fresh process (imports, model load and all)."""
    env = {k: v for k, v in os.environ.items() if k not in OFF_DEFAULT}
    env.update({"HIRE_DATA_DIR": str(folder), "HF_HUB_OFFLINE": "1", "COLUMNS": "200"})
    t = time.perf_counter()
    # cwd: the pool folder, so that no .env file of the checkout changes the default
    done = subprocess.run([sys.executable, "-m", "app.cli", "demo", REQUEST, "--yes"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - t
    out: dict[str, Any] = {"exit": done.returncode, "process_s": round(wall, 2)}
    found = re.search(r"Done in ([\d.]+) s \(([^)]*)\)", done.stdout)
    if found:
        out["reported_s"] = float(found.group(1))
        out["steps"] = found.group(2)
    out["shortlist_rows"] = len(re.findall(r"must-haves, \w+, score", done.stdout))
    out["quotes"] = done.stdout.count("“")
    if done.returncode:
        out["error"] = (done.stderr or done.stdout)[-600:]
    return out


async def agent_runs(settings, runs: int) -> list[dict[str, Any]]:
    """``runs`` demo turns in this process; the first one opens the services (vector index, model) too."""
    from app.agent import AgentRuntime
    from app.services import engine_for
    from app.terminal import Terminal, new_thread
    from tools.records.store import ensure_demo_recruiter

    class Timed(Terminal):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.t0 = time.perf_counter()
            self.first_event: float | None = None
            self.events = 0
            self.steps: list[dict[str, Any]] = []
            self._running: dict[int, tuple[str, float]] = {}

        def render(self, event: dict[str, Any]) -> None:
            now = time.perf_counter() - self.t0
            self.events += 1
            if self.first_event is None:
                self.first_event = now
            if event["event"] == "step":
                if event["status"] == "running":
                    self._running[event["index"]] = (event["agent"], now)
                elif event["index"] in self._running:
                    agent, began = self._running.pop(event["index"])
                    self.steps.append({"agent": agent, "status": event["status"], "s": round(now - began, 3)})
            super().render(event)

    org_id, recruiter_id = ensure_demo_recruiter(engine_for(settings.db_url))
    results = []
    for i in range(runs):
        started = time.perf_counter()
        async with AgentRuntime(settings) as rt:
            ctx = rt.context(org_id, recruiter_id, calibration_size=0)  # --yes skips calibration
            ready = time.perf_counter() - started
            term = Timed(rt, ctx, new_thread(), yes=True, out=Console(file=io.StringIO(), width=160))
            await term.turn(REQUEST)
            values = await rt.values(term.thread_id)
        total = time.perf_counter() - started
        rows = values.get("shortlist") or []
        quoted = sum(any(v.evidence for v in r.verdicts) for r in rows)
        results.append({
            "run": i + 1, "total_s": round(total, 2), "setup_s": round(ready, 2),
            "first_event_s": round(term.first_event or 0.0, 3), "events": term.events, "steps": term.steps,
            "pool": len(values.get("pool") or []), "shortlist": len(rows), "with_evidence": quoted,
            "top": [f"{r.name} ({r.musts_met}/{r.musts_total} must-haves, {r.recommendation})" for r in rows[:3]],
            "errors": term.errors, "brain": rt.services.brain.describe(),
        })
    return results


# ---- classical evaluation ---------------------------------------------------------------------------------
def qualifications():
    from tools.policy import check_all
    from tools.requirements import draft_qualifications, extract_requirements

    return check_all(draft_qualifications(extract_requirements(REQUEST)))


def sample_ids(engine, n: int, seed: int = 11) -> list[int]:
    from sqlalchemy import text

    with engine.connect() as conn:
        ids = [int(i) for i in conn.scalars(text("SELECT id FROM profiles ORDER BY id"))]
    random.Random(seed).shuffle(ids)
    return ids[:n]


def _rate(n: int, seconds: float) -> int:
    return round(n / max(seconds, 1e-9))


def throughput(engine, quals, ids: list[int]) -> dict[str, Any]:
    """Candidates per second, one process: load alone, score and judge alone, and each with the load."""
    from tools.matching import Matcher, load_candidates

    def load() -> list:
        found: list = []
        for at in range(0, len(ids), CHUNK):
            with engine.connect() as conn:
                found += load_candidates(conn, ids[at:at + CHUNK])
        return found

    out: dict[str, Any] = {"candidates": len(ids), "qualifications": len(quals)}
    t = time.perf_counter()
    Matcher(quals)
    out["compile_ms"] = round((time.perf_counter() - t) * 1000, 1)
    t = time.perf_counter()
    cands = load()
    out["load_per_s"] = _rate(len(cands), time.perf_counter() - t)
    out["loaded"] = len(cands)
    for name in ("score", "judge"):
        matcher = Matcher(quals)
        method = getattr(matcher, name)
        t = time.perf_counter()
        for c in cands:
            method(c)
        out[f"{name}_per_s"] = _rate(len(cands), time.perf_counter() - t)
    for name in ("score", "judge"):
        matcher = Matcher(quals)
        method = getattr(matcher, name)
        t = time.perf_counter()
        done = 0
        for at in range(0, len(ids), CHUNK):
            with engine.connect() as conn:
                batch = load_candidates(conn, ids[at:at + CHUNK])
            for c in batch:
                method(c)
            done += len(batch)
        out[f"load_and_{name}_per_s"] = _rate(done, time.perf_counter() - t)
    matcher = Matcher(quals)
    scored = sorted(((matcher.score(c), c.profile_id) for c in cands), key=lambda t: (-t[0], t[1]))
    out["top_ids"] = [pid for _s, pid in scored[:50]]
    return out


def _labels(judgements: list) -> dict[tuple[int, int], str]:
    return {(j.profile_id, v.qualification): v.verdict for j in judgements for v in j.verdicts}


def agreement(runs: list[list]) -> dict[str, Any]:
    """Share of (candidate, qualification) verdicts identical in every run, and of identical whole judgements."""
    labels = [_labels(r) for r in runs]
    keys = set().union(*labels)
    same = sum(len({lab.get(k) for lab in labels}) == 1 for k in keys)
    whole = [{j.profile_id: j.model_dump_json() for j in r} for r in runs]
    pids = set().union(*whole)
    same_whole = sum(len({w.get(p) for w in whole}) == 1 for p in pids)
    return {"verdicts": len(keys), "identical_verdicts": round(same / max(len(keys), 1), 4),
            "identical_judgements": round(same_whole / max(len(pids), 1), 4)}


async def classical_agreement(engine, quals, ids: list[int], repeats: int = 3) -> dict[str, Any]:
    from graphs.brain import Brain
    from tools.matching import Matcher, load_candidates

    runs = []
    for _ in range(repeats):
        with engine.connect() as conn:
            cands = load_candidates(conn, ids)
        brain, matcher = Brain(), Matcher(quals)
        runs.append([await brain.judge(c, quals, matcher) for c in cands])
    return {"candidates": len(ids), "runs": repeats, **agreement(runs)}


async def llm_agreement(engine, quals, ids: list[int], repeats: int = 3) -> dict[str, Any]:
    """The same candidates through ``graphs.llm.judge`` with the configured evaluator, ``repeats`` times."""
    from app.models import ModelFactory
    from app.settings import Settings
    from graphs import llm
    from tools.matching import load_candidates

    settings = Settings()  # the environment as it is, LLM settings included
    base_url, model_name = settings.role_endpoint("evaluator")
    if not base_url:
        return {"skipped": "the LLM path needs an endpoint: set HIRE_LLM_BASE_URL (or HIRE_EVALUATOR_BASE_URL) "
                           "to an OpenAI-compatible server"}
    model = ModelFactory(settings).get("evaluator")
    slots = asyncio.Semaphore(settings.agent_concurrency)
    with engine.connect() as conn:
        cands = load_candidates(conn, ids)
    latencies: list[float] = []
    failures: list[str] = []

    async def one(c) -> Any:
        async with slots:
            t = time.perf_counter()
            try:
                return await llm.judge(model, c.profile_id, c.text, quals)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                failures.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                return None
            finally:
                latencies.append(time.perf_counter() - t)

    runs, walls = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        runs.append(await asyncio.gather(*(one(c) for c in cands)))
        walls.append(time.perf_counter() - t)
    complete = {c.profile_id for i, c in enumerate(cands) if all(r[i] is not None for r in runs)}
    kept = [[j for j in r if j is not None and j.profile_id in complete] for r in runs]
    return {"endpoint": base_url, "model": model_name or llm.model_name(model), "candidates": len(cands),
            "runs": repeats, "concurrency": settings.agent_concurrency, "failed_calls": len(failures),
            "failures": failures[:3], "complete_candidates": len(complete), **agreement(kept),
            "latency_s": {"p50": round(pct(latencies, 0.5), 2), "p95": round(pct(latencies, 0.95), 2)},
            "candidates_per_s": round(len(cands) * repeats / max(sum(walls), 1e-9), 2)}


# ---- run and report ---------------------------------------------------------------------------------------
def run(n: int, folder: Path, resumes: Path | None, *, rebuild: bool, eval_candidates: int, in_process: int,
        with_cli: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"profiles": n, "folder": str(folder), "cpus": os.cpu_count()}
    t = time.perf_counter()
    out["pool"] = ensure_pool(folder, n, resumes, rebuild)
    out["pool"]["ready_s"] = round(time.perf_counter() - t, 1)
    settings = default_settings(folder)
    from app.services import embedder

    embedder.cache_clear()  # the first in-process run loads the model, whether the pool was built now or not
    if with_cli:
        log.print("[dim]hire demo in a fresh process[/dim]")
        out["cli"] = cli_run(folder)
    log.print(f"[dim]{in_process} in-process run(s) through AgentRuntime[/dim]")
    out["e2e"] = asyncio.run(agent_runs(settings, in_process))
    from app.services import engine_for

    engine = engine_for(settings.db_url)
    quals = qualifications()
    out["qualifications"] = [f"[{q.kind}] {q.text}" for q in quals]
    log.print(f"[dim]classical evaluation over {eval_candidates:,} candidates[/dim]")
    tp = throughput(engine, quals, sample_ids(engine, eval_candidates))
    top = tp.pop("top_ids")
    out["throughput"] = tp
    out["classical_agreement"] = asyncio.run(classical_agreement(engine, quals, top))
    log.print("[dim]LLM evaluator agreement[/dim]")
    out["llm_agreement"] = asyncio.run(llm_agreement(engine, quals, top))
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def report(r: dict[str, Any], out: Console | None = None) -> None:
    out = out or console
    p = r["pool"]
    if p.get("reused"):
        how = f"reused (schema upgrade {p.get('migrate_s', 0)} s)"
    else:
        how = (f"built: seed {p.get('seed_s')} s, import {p.get('import_s')} s, embed {p.get('embed_s')} s, "
               f"IVF {p.get('ann_s')} s")
    out.print(f"[bold]Agent benchmark[/bold] at {r['profiles']:,} generated profiles "
              f"({p.get('total_profiles', 0):,} with the real resumes; {r.get('cpus')} CPUs) — pool {how}; "
              f"SQLite {p.get('db_mib')} MiB, vectors {p.get('vector_mib')} MiB")
    e2e = Table("run", "total (s)", "setup (s)", "first event (s)", "intake (s)", "sourcing (s)", "evaluation (s)",
                "pool", "shortlist / quoted", f"< {GOAL_E2E_S:g} s",
                title=f"hire demo \"{REQUEST}\" --yes (embedded default, classical brain)")
    cli = r.get("cli")
    if cli:
        ok = cli.get("exit") == 0 and cli.get("shortlist_rows", 0) > 0 and cli.get("quotes", 0) > 0
        e2e.add_row("hire demo, new process", f"{cli['process_s']:.1f} ({cli.get('reported_s', '?')} in run)", "",
                    "", "", "", "", "", f"{cli.get('shortlist_rows', 0)} shown / {cli.get('quotes', 0)} quotes",
                    "yes" if ok and cli["process_s"] < GOAL_E2E_S else "no")
    for run_ in r["e2e"]:
        per: dict[str, float] = {}
        for s in run_["steps"]:
            per[s["agent"]] = per.get(s["agent"], 0.0) + s["s"]
        label = "in process, first" if run_["run"] == 1 else f"in process, warm {run_['run'] - 1}"
        ok = not run_["errors"] and run_["with_evidence"] > 0 and run_["total_s"] < GOAL_E2E_S
        e2e.add_row(label, f"{run_['total_s']:.2f}", f"{run_['setup_s']:.2f}", f"{run_['first_event_s']:.3f}",
                    *(f"{per[a]:.2f}" if a in per else "—" for a in ("intake", "sourcing", "evaluation")),
                    f"{run_['pool']:,}", f"{run_['shortlist']} / {run_['with_evidence']}", "yes" if ok else "no")
    out.print(e2e)
    if r["e2e"]:
        last = r["e2e"][-1]
        out.print(f"[dim]brain: {last['brain']}; top: {'; '.join(last['top'])}[/dim]")
        if last["errors"]:
            out.print(f"[red]errors: {last['errors']}[/red]")
    if cli and cli.get("error"):
        out.print(f"[red]CLI failed: {cli['error']}[/red]")
    tp = r["throughput"]
    table = Table("measure", "candidates/s", f"> {GOAL_RATE:,.0f}/s",
                  title=f"Classical evaluation, one process, {tp['loaded']:,} candidates, {tp['qualifications']} "
                        f"qualifications (compile {tp['compile_ms']} ms)")
    for key, label in (("load_per_s", "load_candidates alone"), ("score_per_s", "Matcher.score"),
                       ("judge_per_s", "Matcher.judge (verdicts with evidence)"),
                       ("load_and_score_per_s", "load_candidates + score"),
                       ("load_and_judge_per_s", "load_candidates + judge")):
        table.add_row(label, f"{tp[key]:,}", "" if key == "load_per_s" else ("yes" if tp[key] > GOAL_RATE else "no"))
    out.print(table)
    agree = Table("brain", "candidates × runs", "identical verdicts", "identical judgements", "latency p50 / p95 (s)",
                  "candidates/s", title="Agreement across repeated evaluations of the same candidates")
    c = r["classical_agreement"]
    agree.add_row("classical", f"{c['candidates']} × {c['runs']}", f"{c['identical_verdicts']:.1%}",
                  f"{c['identical_judgements']:.1%}", "", "")
    lm = r["llm_agreement"]
    if "skipped" in lm:
        agree.add_row("LLM", "—", "—", "—", "—", "—")
    else:
        agree.add_row(f"LLM {lm['model']}", f"{lm['complete_candidates']} × {lm['runs']} "
                      f"({lm['failed_calls']} failed calls)", f"{lm['identical_verdicts']:.1%}",
                      f"{lm['identical_judgements']:.1%}", f"{lm['latency_s']['p50']} / {lm['latency_s']['p95']}",
                      str(lm["candidates_per_s"]))
    out.print(agree)
    if "skipped" in lm:
        out.print(f"[yellow]LLM evaluator: {lm['skipped']}.[/yellow]")
    elif lm.get("failures"):
        out.print(f"[yellow]LLM failures, first ones: {lm['failures']}[/yellow]")
    out.print(f"[dim]peak RSS {r['peak_rss_mib']:,} MiB[/dim]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000, help="Generated profiles in the pool.")
    parser.add_argument("--dir", type=Path, default=None, help="Pool folder (default var/bench/agent-<N>).")
    parser.add_argument("--rebuild", action="store_true", help="Build the pool again even if it is there.")
    parser.add_argument("--eval-candidates", type=int, default=10_000, help="Candidates for the throughput run.")
    parser.add_argument("--runs", type=int, default=2, help="In-process end-to-end runs (the first one is cold).")
    parser.add_argument("--no-cli", action="store_true", help="Skip the `hire demo` run in a fresh process.")
    parser.add_argument("--resumes", type=Path, default=ROOT.parent / "shared" / "data" / "resumes")
    parser.add_argument("--json", action="store_true", help="Print one JSON line (for eval.bench) instead of tables.")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = (args.dir or ROOT / "var" / "bench" / f"agent-{args.profiles}").resolve()
    result = run(args.profiles, folder, args.resumes, rebuild=args.rebuild, eval_candidates=args.eval_candidates,
                 in_process=max(1, args.runs), with_cli=not args.no_cli)
    if args.json:
        json.dump(result, sys.stdout)
        print()
    else:
        report(result)


if __name__ == "__main__":
    main()
