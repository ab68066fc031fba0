"""Benchmark: the sparse keyword index against SQLite FTS5 and the ``bm25s`` library, on N generated profiles.

Prints, never asserts: build times and index sizes, then p50/p95 latency (queries parsed beforehand, parsing
timed apart) and NDCG@10 (generator ground truth) of the recruiter queries of ``eval.bench_search`` (boolean,
and boolean with facets) through

* ``sparse``: :class:`tools.search.sparse.SparseKeywordIndex`, memory-mapped from disk, facets as a numpy mask;
* ``fts5``: :class:`tools.search.keyword.SqliteKeywordIndex` on the same SQLite database (with the count);
* ``bm25s``: the bm25s library over the raw texts, queried with the need's words (no boolean, no facets).

``python -m eval.bench_sparse --profiles 100000 [--queries 50] [--dir FOLDER]``
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from eval.bench_search import K, grades_for, make_needs, ndcg, pct, requests_for, seeded_database
from tools.search.documents import docs_from_db
from tools.search.keyword import SqliteKeywordIndex
from tools.search.query import ProfileDoc, parse
from tools.search.sparse import SparseKeywordIndex
from tools.search.types import Facets
from tools.search.vectors import FacetColumns, facet_filter
from tools.taxonomy import SENIORITY_LEVELS

BATCH = 5000


def _day(value: dt.datetime | str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return (value.date() - dt.date(1970, 1, 1)).days


def load_docs(engine) -> tuple[list[int], FacetColumns, list]:
    """Every profile's search document and facet values, in id order."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT id, country, metro_code, years_experience, seniority, open_to_work, updated_at, organisation_id "
            "FROM profiles ORDER BY id")).all()
        ids = [r.id for r in rows]
        docs: list[tuple[int, ProfileDoc]] = []
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            found = docs_from_db(conn, chunk)
            docs.extend((pid, found[pid]) for pid in chunk)
    facets = FacetColumns(
        country=np.array([r.country or "" for r in rows], dtype="<U2"),
        metro=np.array([r.metro_code or "" for r in rows], dtype="<U7"),
        years=np.array([np.nan if r.years_experience is None else r.years_experience for r in rows], dtype=np.float32),
        seniority=np.array([SENIORITY_LEVELS.index(r.seniority) if r.seniority in SENIORITY_LEVELS else -1
                            for r in rows], dtype=np.int8),
        open_to_work=np.array([bool(r.open_to_work) for r in rows], dtype=bool),
        updated_day=np.array([_day(r.updated_at) for r in rows], dtype=np.int32),
        organisation=np.array([r.organisation_id or 0 for r in rows], dtype=np.int64),
    )
    return ids, facets, docs


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(pct(values, 0.5), 1), "p95": round(pct(values, 0.95), 1), "max": round(max(values), 1)}


def run(n: int, folder: Path, queries: int) -> dict:
    import bm25s

    out: dict = {"profiles": n}
    engine, seconds, fts_mib = seeded_database(n, folder)
    out["seed_and_fts5_index_s"] = round(seconds, 1)
    out["fts5_mib"] = round(fts_mib, 1)

    t = time.perf_counter()
    ids, facet_columns, docs = load_docs(engine)
    out["sparse_docs_from_db_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    SparseKeywordIndex.build(docs, folder / "sparse")
    out["sparse_build_s"] = round(time.perf_counter() - t, 1)
    out["sparse_mib"] = round(sum(p.stat().st_size for p in (folder / "sparse").iterdir()) / 2**20, 1)
    sparse = SparseKeywordIndex.open(folder / "sparse")
    out["sparse_vocabulary"] = {"tokens": len(sparse.token_offsets) - 1, "unigram_keys": len(sparse.unigram_keys),
                                "bigram_keys": len(sparse.bigram_keys), "postings": len(sparse.rows)}

    network = [i for i, (pid, doc) in enumerate(docs) if facet_columns.organisation[i] == 0]
    t = time.perf_counter()
    corpus = bm25s.tokenize([docs[i][1].raw_text for i in network], stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    out["bm25s_index_s"] = round(time.perf_counter() - t, 1)
    bm25s_ids = np.array([ids[i] for i in network])
    del corpus, docs

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
                    mask = facet_filter(facets, None)(facet_columns)  # facet mask included
                    return sparse.search(parsed, mask, k)

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
            tokens = bm25s.tokenize([f"{s1} {s2} {title}"], stopwords="en", show_progress=False)
            retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)  # warm
            t = time.perf_counter()
            found, _scores = retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)
            latency["bm25s (words only) k=10"].append((time.perf_counter() - t) * 1000)
            quality["bm25s"].append(ndcg([int(bm25s_ids[d]) for d in found[0]], grades))
    out["queries"] = len(needs)
    out["sparse_and_fts5_totals_agree"] = f"{totals_agree}/{2 * len(needs)}"
    out["latency_ms"] = {name: _summary(v) for name, v in latency.items()}
    out["ndcg@10"] = {name: round(statistics.mean(v), 3) for name, v in quality.items()}
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def print_table(result: dict) -> None:
    print(f"profiles {result['profiles']:,}, {result['queries']} needs")
    print(f"  seed + FTS5 index {result['seed_and_fts5_index_s']} s, FTS5 {result['fts5_mib']} MiB")
    print(f"  sparse: documents from the database {result['sparse_docs_from_db_s']} s, build "
          f"{result['sparse_build_s']} s, {result['sparse_mib']} MiB on disk, {result['sparse_vocabulary']}")
    print(f"  bm25s index {result['bm25s_index_s']} s; result totals sparse == FTS5: "
          f"{result['sparse_and_fts5_totals_agree']}")
    print(f"  {'latency (ms)':<34}{'p50':>8}{'p95':>8}{'max':>8}")
    for name, v in sorted(result["latency_ms"].items()):
        print(f"  {name:<34}{v['p50']:>8}{v['p95']:>8}{v['max']:>8}")
    print("  NDCG@10 (boolean query; bm25s: its words): "
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
