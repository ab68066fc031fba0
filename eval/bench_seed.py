"""Benchmark: generate and load N profiles into a fresh embedded SQLite database.

Run one size per process so that peak memory is that size's own:
``python -m eval.bench_seed --profiles 100000`` prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from app.loader import seed_profiles
from tools.records.migrate import upgrade
from tools.records.session import make_engine


def run(n: int, seed: int, workers: int | None, folder: Path) -> dict:
    db = folder / "bench.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    started = time.perf_counter()
    stats = seed_profiles(engine, n, seed, workers=workers)
    elapsed = time.perf_counter() - started
    engine.dispose()
    size = sum(p.stat().st_size for p in folder.glob("bench.db*"))
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "profiles": stats.inserted, "seconds": round(elapsed, 1), "profiles_per_s": round(stats.inserted / elapsed),
        "db_mib": round(size / 2**20), "peak_rss_mib_loader": round(self_rss), "peak_rss_mib_worker": round(child_rss),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--dir", type=Path, default=None, help="Folder for the database (default: a temp folder).")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        result = run(args.profiles, args.seed, args.workers, args.dir)
    else:
        with tempfile.TemporaryDirectory(prefix="hire-bench-") as tmp:
            result = run(args.profiles, args.seed, args.workers, Path(tmp))
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
