"""``make bench``: every benchmark, each figure printed (never asserted).

Sizes come from ``HIRE_BENCH_PROFILES`` (comma separated, default ``100000,1000000``). Each size runs in its own
process so that its peak memory is its own. Expect about 70 minutes on 2 cores for both sizes.

The agent benchmark (``eval.bench_agent``: ``hire demo`` end to end, classical evaluation throughput, agreement)
runs at the sizes in ``HIRE_BENCH_AGENT_PROFILES`` (default: the smallest of ``HIRE_BENCH_PROFILES``); it builds
its demo pool once under ``var/bench/agent-<N>/`` (several minutes at 100,000) and reuses it after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from rich.console import Console
from rich.table import Table

console = Console(width=160)


def _child(module: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", module, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def seed_and_load(sizes: list[int]) -> None:
    table = Table("profiles", "seconds", "profiles/s", "SQLite size (MiB)", "peak RSS loader (MiB)",
                  "peak RSS generator worker (MiB)",
                  title="Generate and load into SQLite, keyword index included (2 generator processes)")
    for n in sizes:
        r = _child("eval.bench_seed", "--profiles", str(n))
        table.add_row(f"{r['profiles']:,}", f"{r['seconds']:.1f}", f"{r['profiles_per_s']:,}", f"{r['db_mib']:,}",
                      f"{r['peak_rss_mib_loader']:,}", f"{r['peak_rss_mib_worker']:,}")
    console.print(table)


def search(sizes: list[int]) -> None:
    results = [_child("eval.bench_search", "--profiles", str(n)) for n in sizes]
    build = Table("profiles", "seed + FTS5 (s)", "FTS5 (MiB)", "sparse BM25 build (s)", "sparse (MiB)",
                  "embed (s)", "profiles/s embedded", "distinct phrases", "IVF build (s)", "vector index (MiB)",
                  "peak RSS (MiB)", title="Search index build (embedded backend, composed embeddings)")
    for r in results:
        build.add_row(f"{r['profiles']:,}", str(r["seed_and_fts5_index_s"]), f"{r['fts5_mib']:,}",
                      str(r["sparse_build_s"]), f"{r['sparse_mib']:,}",
                      str(r["embed_s"]), f"{r['embed_profiles_per_s']:,}", f"{r['distinct_phrases']:,}",
                      str(r["ann_build_s"]), f"{r['vector_index_mib']:,}", f"{r['peak_rss_mib']:,}")
    console.print(build)
    latency = Table("profiles", "kind", "p50 ms", "p95 ms", title="Query latency, 50 recruiter queries per kind")
    for r in results:
        for kind, v in r["latency_ms"].items():
            latency.add_row(f"{r['profiles']:,}", kind, str(v["p50"]), str(v["p95"]))
        b = r["baselines"]
        latency.add_row(f"{r['profiles']:,}", "baseline: bm25s keyword (the need's words)", str(b["bm25s_ms"]["p50"]),
                        str(b["bm25s_ms"]["p95"]))
        latency.add_row(f"{r['profiles']:,}", "sparse BM25, the same words (OR)", str(b["sparse_words_ms"]["p50"]),
                        str(b["sparse_words_ms"]["p95"]))
        latency.add_row(f"{r['profiles']:,}", "baseline: exact numpy cosine", str(b["exact_numpy_ms"]["p50"]),
                        str(b["exact_numpy_ms"]["p95"]))
        latency.add_row(f"{r['profiles']:,}", "vector index alone (ANN)", str(b["ann_ms"]["p50"]),
                        str(b["ann_ms"]["p95"]))
    console.print(latency)
    quality = Table("profiles", "ranking", "NDCG@10", "recall@100", title="Quality (generator ground truth; "
                    "relevance 2 = occupation and both skills, 1 = occupation and one)")
    for r in results:
        for kind, v in r["quality"].items():
            quality.add_row(f"{r['profiles']:,}", {"boolean": "keyword only"}.get(kind, kind + " only"
                            if kind == "semantic" else kind), str(v["ndcg@10"]), str(v["recall@100"]))
        b = r["baselines"]
        quality.add_row(f"{r['profiles']:,}", "baseline: bm25s (the need's words)", str(b["bm25s_ndcg@10"]), "")
        quality.add_row(f"{r['profiles']:,}", "sparse BM25, the same words", str(b["sparse_words_ndcg@10"]), "")
        quality.add_row(f"{r['profiles']:,}", "ANN recall@10 vs exact (no facet / country facet)",
                        f"{b['ann_recall@10_vs_exact']} / {b['ann_recall@10_vs_exact_with_country_facet']}", "")
        if "real_resumes" in r:
            for kind, v in r["real_resumes"].items():
                quality.add_row("283 real resumes", kind, str(v["ndcg@10"]), str(v["recall@100"]))
    console.print(quality)


def agent(sizes: list[int]) -> None:
    from eval.bench_agent import report

    for n in sizes:
        report(_child("eval.bench_agent", "--profiles", str(n), "--json"), console)


def main() -> None:
    sizes = [int(s) for s in os.environ.get("HIRE_BENCH_PROFILES", "100000,1000000").split(",") if s.strip()]
    agent_sizes = [int(s) for s in os.environ.get("HIRE_BENCH_AGENT_PROFILES", "").split(",") if s.strip()]
    console.print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    seed_and_load(sizes)
    search(sizes)
    # the keyword engines side by side (sparse segments, FTS5, bm25s) at the smallest size
    subprocess.run([sys.executable, "-m", "eval.bench_sparse", "--profiles", str(min(sizes))], check=True)
    subprocess.run([sys.executable, "-m", "eval.bench_vectors", "--n", str(max(sizes)), "--chroma-n",
                    str(min(sizes))], check=True)
    agent(agent_sizes or [min(sizes)])
    # the durable runtime: background runs with 1, 2 and 4 worker processes, crash to resumed progress, the mailbox
    subprocess.run([sys.executable, "-m", "eval.bench_runtime", "--profiles", str(min(sizes))], check=True)
    subprocess.run([sys.executable, "-m", "eval.bench_events"], check=True)


if __name__ == "__main__":
    main()
