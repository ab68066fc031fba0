"""Benchmark: the background runtime's work, measured on generated pools.

Prints, never asserts.

* ``batch_throughput``: a background run's batches (``tools.background.judge_and_store``, 500 candidates each)
  over every profile of a pool, for a broad role of five qualifications: the time per candidate of each phase
  (``load_candidates``, ``Matcher.judge``, ``ProjectStore.save_judgements``, one process) and the candidates
  judged and stored per second end to end by one and by two worker processes, on SQLite and on PostgreSQL.
  Goal: 100,000 profiles in under a minute on 2 cores, a million in under 10 minutes.

Pools are generated once per size and backend (SQLite under ``var/bench/runtime-<N>/``, PostgreSQL in a database
``hire_bench_<N>`` on the server given by ``--postgres``) and reused.

``python -m eval.bench_batches [--profiles 10000 100000] [--postgres URL] [--batch 500]``
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]
BATCH = 500
GOAL_100K_S = 60.0


# ---- the pool and the role --------------------------------------------------------------------------------
def broad_role():
    """A broad role of five qualifications: the titles of a large occupation, years, a common skill (musts), a
    second skill and English (nice-to-haves)."""
    from tools.hiring import HiringRequirements, QualificationSpec

    req = HiringRequirements(title="Software Developer")
    quals = [
        QualificationSpec(text="Works as a software developer or engineer",
                          titles=["Software Developer", "Software Engineer"]),
        QualificationSpec(text="2+ years of experience", years_min=2),
        QualificationSpec(text="Python", skills=["Python"]),
        QualificationSpec(text="Kubernetes is a plus", kind="nice", skills=["Kubernetes"]),
        QualificationSpec(text="Speaks English", kind="nice", languages=["English"]),
    ]
    return req, quals


def pool_engine(backend: str, n: int, postgres: str | None, folder: Path | None = None) -> Engine:
    """A migrated database holding ``n`` generated profiles (seed 1), built once and reused."""
    from app.loader import seed_profiles
    from tools.records.migrate import upgrade
    from tools.records.models import Profile
    from tools.records.session import make_engine

    if backend == "sqlite":
        where = folder or ROOT / "var" / "bench" / f"runtime-{n}"
        where.mkdir(parents=True, exist_ok=True)
        engine = make_engine(f"sqlite:///{where / 'hire.db'}")
    else:
        assert postgres is not None
        name = f"hire_bench_{n}"
        admin = make_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = make_engine(postgres.rsplit("/", 1)[0] + f"/{name}")
    upgrade(engine)
    with engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(Profile)).scalar() or 0
    if have < n:
        started = time.perf_counter()
        seed_profiles(engine, n - have, seed=1 + have)
        print(f"  built the {backend} pool of {n:,} profiles in {time.perf_counter() - started:.1f} s", flush=True)
    return engine


def fresh_project(engine: Engine, quals: list) -> tuple[int, int, list]:
    """A new project of the demo organisation with the role's qualifications approved: ``(org, project, quals)``."""
    from tools.records.store import ProjectStore, ensure_demo_recruiter

    org_id, recruiter_id = ensure_demo_recruiter(engine)
    store = ProjectStore(engine, org_id)
    project_id = store.create_project(recruiter_id, f"bench {time.time():.0f}")
    _version, stored = store.save_qualifications(project_id, quals, status="approved", approved_by=recruiter_id)
    return org_id, project_id, stored


def profile_ids(engine: Engine, n: int) -> list[int]:
    from tools.records.models import Profile

    with engine.connect() as conn:
        return list(conn.execute(select(Profile.id).order_by(Profile.id).limit(n)).scalars())


# ---- the phases -------------------------------------------------------------------------------------------
def phase_times(engine: Engine, ids: list[int], batch: int = BATCH) -> dict[str, float]:
    """Seconds per phase over ``ids`` in batches: load, judge, store (``ProjectStore.save_judgements``)."""
    from tools.matching import Matcher, load_candidates
    from tools.records.store import ProjectStore

    _req, quals = broad_role()
    org_id, project_id, stored = fresh_project(engine, quals)
    matcher = Matcher(stored)
    store = ProjectStore(engine, org_id)
    qual_ids = [q.id for q in stored]
    spent = {"load": 0.0, "judge": 0.0, "store": 0.0}
    for at in range(0, len(ids), batch):
        part = ids[at:at + batch]
        t = time.perf_counter()
        with engine.connect() as conn:
            found = load_candidates(conn, part)
        spent["load"] += time.perf_counter() - t
        t = time.perf_counter()
        judgements = [matcher.judge(c) for c in found]
        spent["judge"] += time.perf_counter() - t
        t = time.perf_counter()
        store.save_judgements(project_id, qual_ids, judgements)
        spent["store"] += time.perf_counter() - t
    return spent


def _worker(args: tuple[str, int, int, list, list[list[int]]]) -> int:
    """One worker process: its share of the batches, one after another; returns how many matched."""
    from tools.background import judge_and_store
    from tools.matching import Matcher
    from tools.records.session import make_engine

    url, org_id, project_id, quals, batches = args
    engine = make_engine(url)
    matcher = Matcher(quals)
    matched = sum(judge_and_store(engine, org_id, project_id, quals, part, matcher=matcher).matched
                  for part in batches)
    engine.dispose()
    return matched


def run_batches(engine: Engine, ids: list[int], batch: int, workers: int) -> tuple[int, float]:
    """Every id judged and stored in batches by ``workers`` processes (batches dealt round robin, as a queue
    with that concurrency hands them out); returns ``(matched, seconds)``."""
    import multiprocessing

    _req, quals = broad_role()
    org_id, project_id, stored = fresh_project(engine, quals)
    batches = [ids[at:at + batch] for at in range(0, len(ids), batch)]
    url = engine.url.render_as_string(hide_password=False)
    jobs = [(url, org_id, project_id, stored, batches[k::workers]) for k in range(workers)]
    started = time.perf_counter()
    if workers == 1:
        matched = _worker(jobs[0])
    else:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            matched = sum(pool.map(_worker, jobs))
    return matched, time.perf_counter() - started


def batch_throughput(backend: str, n: int, *, postgres: str | None = None, batch: int = BATCH,
                     phases: bool = True, workers: tuple[int, ...] = (1, 2)) -> dict[str, Any]:
    """Figures for one backend and pool size: per-candidate phase times (one process) and candidates judged
    and stored per second end to end by 1 and 2 worker processes, with the time of one batch run again."""
    from tools.background import judge_and_store

    engine = pool_engine(backend, n, postgres)
    ids = profile_ids(engine, n)
    result: dict[str, Any] = {"backend": backend, "profiles": len(ids), "batch": batch}
    if phases:
        spent = phase_times(engine, ids, batch)
        for name, seconds in spent.items():
            result[f"{name}_us_per_candidate"] = round(seconds / len(ids) * 1e6, 1)
        result["phases_candidates_per_s"] = round(len(ids) / sum(spent.values()))
    for k in workers:
        matched, seconds = run_batches(engine, ids, batch, k)
        result[f"workers_{k}"] = {"seconds": round(seconds, 1), "candidates_per_s": round(len(ids) / seconds),
                                  "matched": matched, "projected_1m_s": round(seconds / len(ids) * 1_000_000)}
    _req, quals = broad_role()
    org_id, project_id, stored = fresh_project(engine, quals)
    judge_and_store(engine, org_id, project_id, stored, ids[:batch])
    started = time.perf_counter()
    judge_and_store(engine, org_id, project_id, stored, ids[:batch])
    result["rerun_batch_s"] = round(time.perf_counter() - started, 2)
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
                        help="Admin URL of the PostgreSQL server (a database per pool size is created on it).")
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--no-phases", action="store_true", help="Only the end-to-end batches.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    for n in args.profiles:
        for backend in args.backends:
            figures = batch_throughput(backend, n, postgres=args.postgres, batch=args.batch,
                                       phases=not args.no_phases, workers=tuple(args.workers))
            print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
