"""``make bench``: every benchmark, each figure printed (never asserted).

Sizes come from ``HIRE_BENCH_PROFILES`` (comma separated, default ``100000,1000000``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from rich.console import Console
from rich.table import Table


def seed_and_load(sizes: list[int]) -> None:
    table = Table("profiles", "seconds", "profiles/s", "SQLite size (MiB)", "peak RSS loader (MiB)",
                  "peak RSS generator worker (MiB)", title="Generate and load into SQLite (2 generator processes)")
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "eval.bench_seed", "--profiles", str(n)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        table.add_row(f"{r['profiles']:,}", f"{r['seconds']:.1f}", f"{r['profiles_per_s']:,}", f"{r['db_mib']:,}",
                      f"{r['peak_rss_mib_loader']:,}", f"{r['peak_rss_mib_worker']:,}")
        Console().print(table) if n == sizes[-1] else None


def main() -> None:
    sizes = [int(s) for s in os.environ.get("HIRE_BENCH_PROFILES", "100000,1000000").split(",") if s.strip()]
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    seed_and_load(sizes)


if __name__ == "__main__":
    main()
