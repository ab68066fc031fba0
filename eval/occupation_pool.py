"""A generated talent pool covering the measurement set's occupations, and shortlists run on it.

The pool lives in a data folder of its own (SQLite, vector index): ``per_occupation`` generated profiles of each
target occupation (:func:`tools.generator.generate` restricted to that O*NET code) plus ``background`` profiles of
every occupation, the way the BLS weights draw them. Each role request then runs the classical flow the way
``hire demo -y`` does (intake, approval, sourcing, evaluation, shortlist; no calibration), and its top 10 are
looked up: a row counts when the profile's occupation starts with one of the role's family prefixes.
"""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from eval.bench_agent import default_settings

TOP = 10


def build_pool(folder: Path, codes: list[str], per_occupation: int, background: int, seed: int = 19) -> dict[str, Any]:
    """Seed, index and embed the pool in ``folder`` (which must be empty or absent); returns counts and seconds."""
    from app.cli import DEMO_ORG
    from app.loader import ensure_organisation, ensure_skills, seed_profiles
    from app.services import embedder, engine_for, vector_store
    from tools.records.migrate import upgrade
    from tools.records.store import ensure_demo_recruiter
    from tools.search.indexer import embed_pending

    folder.mkdir(parents=True, exist_ok=True)
    settings = default_settings(folder)
    engine = engine_for(settings.db_url)
    upgrade(engine)
    with engine.begin() as conn:
        ensure_skills(conn)
    ensure_organisation(engine, DEMO_ORG, "Demo Organisation")
    ensure_demo_recruiter(engine)
    started = time.perf_counter()
    seeded = 0
    for i, code in enumerate(sorted(set(codes))):
        seeded += seed_profiles(engine, per_occupation, seed + 1 + i, occupations=(code,)).inserted
    if background:
        seeded += seed_profiles(engine, background, seed).inserted
    seed_s = time.perf_counter() - started
    started = time.perf_counter()
    store = vector_store(settings, engine)
    emb = embedder(settings.embedding_model_path)
    stats = embed_pending(engine, store, emb, mode="auto")
    emb.save_cache()
    return {"profiles": seeded, "embedded": stats.embedded, "seed_s": round(seed_s, 1),
            "embed_s": round(time.perf_counter() - started, 1)}


def occupation_of(folder: Path, profile_ids: list[int]) -> dict[int, str | None]:
    from sqlalchemy import select

    from app.services import engine_for
    from tools.records.models import Profile

    engine = engine_for(default_settings(folder).db_url)
    with engine.connect() as conn:
        rows = conn.execute(select(Profile.id, Profile.occupation_code).where(Profile.id.in_(profile_ids))).all()
    return {int(pid): code for pid, code in rows}


async def _shortlists(folder: Path, requests: list[str]) -> list[dict[str, Any]]:
    from app.agent import AgentRuntime
    from app.services import engine_for
    from app.terminal import Terminal, new_thread
    from tools.records.store import ensure_demo_recruiter

    settings = default_settings(folder)
    org_id, recruiter_id = ensure_demo_recruiter(engine_for(settings.db_url))
    out = []
    async with AgentRuntime(settings) as rt:
        ctx = rt.context(org_id, recruiter_id, calibration_size=0)  # as `hire demo --yes`
        for request in requests:
            started = time.perf_counter()
            term = Terminal(rt, ctx, new_thread(), yes=True, out=Console(file=io.StringIO(), width=160))
            await term.turn(request)
            values = await rt.values(term.thread_id)
            rows = values.get("shortlist") or []
            out.append({"profile_ids": [r.profile_id for r in rows[:TOP]], "rows": len(rows),
                        "errors": list(term.errors), "seconds": round(time.perf_counter() - started, 2)})
    return out


def precision_at_top(occupations: list[str | None], family: list[str]) -> float:
    """Share of the top 10 whose occupation is in the family; a list shorter than 10 counts its gaps as misses."""
    hits = sum(1 for code in occupations[:TOP] if code and code.startswith(tuple(family)))
    return hits / TOP


def shortlist_precision(folder: Path, roles: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision@10 of each role's shortlist against its occupation family, and the mean."""
    runs = asyncio.run(_shortlists(folder, [role["request"] for role in roles]))
    per_role = []
    for role, run in zip(roles, runs, strict=True):
        codes = occupation_of(folder, run["profile_ids"])
        found = [codes.get(pid) for pid in run["profile_ids"]]
        per_role.append({"id": role["id"], "family": role["family"],
                         "precision_at_10": precision_at_top(found, role["family"]),
                         "top_occupations": found, "rows": run["rows"], "errors": run["errors"],
                         "seconds": run["seconds"]})
    mean = sum(r["precision_at_10"] for r in per_role) / len(per_role) if per_role else 0.0
    return {"roles": len(per_role), "precision_at_10": round(mean, 4), "per_role": per_role}
