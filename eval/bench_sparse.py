"""Benchmark: the sparse keyword index against SQLite FTS5 and the ``bm25s`` library, on N generated profiles.

Prints, never asserts: build times and index sizes, then p50/p95 latency (queries parsed beforehand, parsing
timed apart) and NDCG@10 (generator ground truth) of the recruiter queries of ``eval.bench_search`` (boolean,
and boolean with facets) through

* ``sparse``: the segments `hire index` builds (:class:`tools.search.sparse_store.SparseKeywordStore`),
  memory-mapped from disk, facets as a numpy mask;
* ``fts5``: :class:`tools.search.keyword.SqliteKeywordIndex` on the same SQLite database (with the count);
* ``bm25s``: the bm25s library over the raw texts, queried with the need's words (no boolean, no facets), and
  the same words through the sparse index as an OR query (``words``: same corpus, same queries).

``python -m eval.bench_sparse --profiles 100000 [--queries 50] [--dir FOLDER]``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sqlalchemy import text

from eval.bench_search import K, grades_for, keyword_store, make_needs, ndcg, pct, requests_for, seeded_database
from tools.search.keyword import SqliteKeywordIndex
from tools.search.query import parse
from tools.search.types import Facets


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(pct(values, 0.5), 1), "p95": round(pct(values, 0.95), 1), "max": round(max(values), 1)}


def run(n: int, folder: Path, queries: int) -> dict:
    import bm25s

    out: dict = {"profiles": n}
    engine, seconds, fts_mib = seeded_database(n, folder)
    out["seed_and_fts5_index_s"] = round(seconds, 1)
    out["fts5_mib"] = round(fts_mib, 1)

    store, figures = keyword_store(engine, folder)
    out.update(figures)
    with engine.connect() as conn:
        view = store.view(conn)
    assert view is not None
    out["sparse_segments"] = [{"rows": len(seg.ids), "tokens": len(seg.index.token_offsets) - 1,
                               "unigram_keys": len(seg.index.unigram_keys), "bigram_keys": len(seg.index.bigram_keys),
                               "postings": len(seg.index.rows)} for seg in view.base]

    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, raw_text FROM profiles WHERE organisation_id IS NULL ORDER BY id")).all()
    t = time.perf_counter()
    corpus = bm25s.tokenize([r[1] for r in rows], stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    out["bm25s_index_s"] = round(time.perf_counter() - t, 1)
    bm25s_ids = np.array([r[0] for r in rows])
    del corpus, rows
    network = Facets(pool="network")

    fts5 = SqliteKeywordIndex()
    latency: dict[str, list[float]] = defaultdict(list)
    quality: dict[str, list[float]] = defaultdict(list)
    totals_agree = 0
    needs = make_needs(engine, queries)
    with engine.connect() as conn:
        for need in needs:
            grades = grades_for(engine, need)
            reqs = requests_for(need)
            for kind in ("boolean", "faceted"):
                req = reqs[kind]
                facets = req.facets or Facets()
                t = time.perf_counter()
                parsed = parse(req.query)  # common to both: timed apart
                latency["parse (both)"].append((time.perf_counter() - t) * 1000)

                def via_sparse(k: int, parsed=parsed, facets=facets):
                    return store.search(view, parsed, facets, None, k)  # facet mask included

                def via_fts5(k: int, parsed=parsed, facets=facets):
                    return fts5.search(conn, parsed, facets, None, k, count=True)

                for name, fn in (("sparse", via_sparse), ("fts5", via_fts5)):
                    for depth in (K, 1000):
                        fn(depth)  # warm
                        t = time.perf_counter()
                        result = fn(depth)
                        latency[f"{name} {kind} k={depth}"].append((time.perf_counter() - t) * 1000)
                    if kind == "boolean":
                        quality[name].append(ndcg([int(i) for i in result.ids[:K]], grades))
                a, b = via_sparse(K), via_fts5(K)
                totals_agree += a.total == b.total
            s1, s2 = need["skills"]
            title = need["occupation"].rstrip("s").split(",")[0]
            words = f"{s1} {s2} {title}"
            tokens = bm25s.tokenize([words], stopwords="en", show_progress=False)
            retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)  # warm
            t = time.perf_counter()
            found, _scores = retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)
            latency["bm25s words k=10"].append((time.perf_counter() - t) * 1000)
            quality["bm25s words"].append(ndcg([int(bm25s_ids[d]) for d in found[0]], grades))
            # the same words as a bag-of-words query of ours (any word, ranked by BM25), network members only
            vocabulary = {v: k for k, v in tokens.vocab.items()}
            either = parse(" OR ".join(f'"{vocabulary[i]}"' for i in tokens.ids[0]))
            store.search(view, either, network, None, K)  # warm
            t = time.perf_counter()
            result = store.search(view, either, network, None, K)
            latency["sparse words k=10"].append((time.perf_counter() - t) * 1000)
            quality["sparse words"].append(ndcg([int(i) for i in result.ids], grades))
    out["queries"] = len(needs)
    out["sparse_and_fts5_totals_agree"] = f"{totals_agree}/{2 * len(needs)}"
    out["latency_ms"] = {name: _summary(v) for name, v in latency.items()}
    out["ndcg@10"] = {name: round(statistics.mean(v), 3) for name, v in quality.items()}
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def print_table(result: dict) -> None:
    print(f"profiles {result['profiles']:,}, {result['queries']} needs")
    print(f"  seed + FTS5 index {result['seed_and_fts5_index_s']} s, FTS5 {result['fts5_mib']} MiB")
    print(f"  sparse: build (documents read from the database included) {result['sparse_build_s']} s, "
          f"{result['sparse_mib']} MiB on disk, segments {result['sparse_segments']}")
    print(f"  bm25s index {result['bm25s_index_s']} s; result totals sparse == FTS5: "
          f"{result['sparse_and_fts5_totals_agree']}")
    print(f"  {'latency (ms)':<34}{'p50':>8}{'p95':>8}{'max':>8}")
    for name, v in sorted(result["latency_ms"].items()):
        print(f"  {name:<34}{v['p50']:>8}{v['p95']:>8}{v['max']:>8}")
    print("  NDCG@10 (boolean query; words: the bag of words bm25s is given): "
          + ", ".join(f"{k} {v}" for k, v in result["ndcg@10"].items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a table")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        result = run(args.profiles, args.dir, args.queries)
    else:
        with tempfile.TemporaryDirectory(prefix="hire-bench-sparse-") as tmp:
            result = run(args.profiles, Path(tmp), args.queries)
    if args.json:
        json.dump(result, sys.stdout)
        print()
    else:
        print_table(result)


if __name__ == "__main__":
    main()
