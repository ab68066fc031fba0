"""Benchmark: talent search at N generated profiles (and quality on the real resumes).

Prints, never asserts: index build times and sizes, peak memory, p50/p95 latency of 50 recruiter queries
of each kind (boolean, faceted, semantic, hybrid) against the embedded backend, the same queries through
two baselines on the same data (the ``bm25s`` library for keyword ranking, exact numpy cosine for semantic),
and NDCG@10 / recall@100 for keyword-only, semantic-only and hybrid ranking, with relevance taken from the
generator's ground truth and, for the real resumes, from their category.

``python -m eval.bench_search --profiles 100000 [--dir FOLDER]``
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, text

from app.loader import ensure_organisation, seed_profiles
from memory.embeddings import Embedder
from tools.records.migrate import upgrade
from tools.records.session import make_engine
from tools.search.engine import TalentSearch
from tools.search.indexer import embed_pending
from tools.search.sparse_store import SparseKeywordStore
from tools.search.types import Facets, SearchRequest
from tools.search.vectors import VectorIndex
from tools.taxonomy import load as load_taxonomy

K = 10


def ndcg(ranked: list[int], grades: dict[int, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[int], grades: dict[int, int], k: int = 100) -> float:
    relevant = {pid for pid, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def make_needs(engine, n: int, seed: int = 3) -> list[dict]:
    """Information needs drawn from stored profiles: an occupation and two of its skills."""
    taxonomy = load_taxonomy()
    rng = random.Random(seed)
    with engine.connect() as conn:
        max_id = conn.execute(text("SELECT max(id) FROM profiles WHERE organisation_id IS NULL")).scalar()
        needs = []
        while len(needs) < n:
            row = conn.execute(text("SELECT id, ground_truth, country, years_experience FROM profiles "
                                    "WHERE id >= :i AND organisation_id IS NULL ORDER BY id LIMIT 1"),
                               {"i": rng.randint(1, max_id)}).one()
            truth = row.ground_truth if isinstance(row.ground_truth, dict) else json.loads(row.ground_truth)
            tech = [s for s in truth["skills"] if taxonomy.skills.get(s) == "technology"]
            if len(tech) < 2:
                continue
            s1, s2 = rng.sample(tech, 2)
            occupation = taxonomy.occupations[truth["occupation_code"]]
            needs.append({"code": occupation.code, "occupation": occupation.title, "skills": (s1, s2),
                          "country": row.country, "years": row.years_experience})
    return needs


def grades_for(engine, need: dict) -> dict[int, int]:
    """2: the occupation and both skills; 1: the occupation and one of them."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.id, count(*) FROM profiles p JOIN profile_skills ps ON ps.profile_id = p.id "
            "JOIN skills s ON s.id = ps.skill_id WHERE p.occupation_code = :code AND s.name IN (:a, :b) "
            "GROUP BY p.id"), {"code": need["code"], "a": need["skills"][0], "b": need["skills"][1]}).all()
    return {pid: int(count) for pid, count in rows}


def requests_for(need: dict) -> dict[str, SearchRequest]:
    s1, s2 = need["skills"]
    title = need["occupation"].rstrip("s").split(",")[0]
    keyword = f"({_quote(s1)} AND {_quote(s2)}) OR (title:{_quote(title)} AND ({_quote(s1)} OR {_quote(s2)}))"
    semantic = f"{title} experienced with {s1} and {s2}"
    facets = Facets(country=[need["country"]], years_min=max(0.0, (need["years"] or 0) - 5))
    return {
        "boolean": SearchRequest(query=keyword, mode="keyword", page_size=K),
        "faceted": SearchRequest(query=keyword, mode="keyword", facets=facets, page_size=K),
        "semantic": SearchRequest(semantic_text=semantic, mode="semantic", page_size=K),
        "hybrid": SearchRequest(query=keyword, semantic_text=semantic, mode="hybrid", page_size=K),
    }


def ranked_ids(search: TalentSearch, req: SearchRequest, depth: int = 100) -> list[int]:
    ids: list[int] = []
    for page in range(1, depth // 50 + 1):
        result = search.search(req.model_copy(update={"page": page, "page_size": 50}), organisation_id=None)
        ids += [h.profile_id for h in result.hits]
        if len(result.hits) < 50:
            break
    return ids


def seeded_database(n: int, folder: Path) -> tuple[Engine, float, float]:
    """A migrated SQLite file in ``folder`` with ``n`` generated profiles (seed 1) and their FTS5 index:
    (engine, seconds to seed and index, FTS5 size in MiB)."""
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    done = folder / "seeded.json"  # a folder seeded before (``--dir``) is reused: seeding 1M takes minutes
    if done.exists() and json.loads(done.read_text()).get("profiles") == n:
        seconds = json.loads(done.read_text())["seconds"]
    else:
        t = time.perf_counter()
        seed_profiles(engine, n, seed=1)
        seconds = time.perf_counter() - t
        done.write_text(json.dumps({"profiles": n, "seconds": seconds}))
    with engine.connect() as conn:
        size = (conn.execute(text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'profile_fts%'")).scalar() or 0)
    return engine, seconds, size / 2**20


def keyword_store(engine: Engine, folder: Path) -> tuple[SparseKeywordStore, dict]:
    """The sparse keyword segments of ``folder`` (what `hire index` builds), built unless current; with the
    build's figures (kept beside them, so a reused folder reports its build)."""
    store = SparseKeywordStore(folder / "keyword")
    saved = folder / "keyword.json"
    with engine.connect() as conn:
        current = store.pending(conn) is not None and not store.needs_rebuild(conn)
    if current and saved.exists():
        return store, json.loads(saved.read_text())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats = store.build(engine)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"sparse_build_s": round(stats.seconds, 1), "sparse_mib": round(stats.bytes / 2**20),
               "sparse_build_peak_rss_mib": round(after) if after > before else None}
    saved.write_text(json.dumps(figures))
    return store, figures


def run(n: int, folder: Path, queries: int, resumes: Path | None) -> dict:
    out: dict = {"profiles": n}
    engine, seconds, fts_mib = seeded_database(n, folder)
    out["seed_and_fts5_index_s"] = round(seconds, 1)
    out["fts5_mib"] = round(fts_mib)
    sparse, figures = keyword_store(engine, folder)
    out.update(figures)
    embedder = Embedder(cache_path=folder / "phrases.npz")
    store = VectorIndex.open(folder / "vectors")
    t = time.perf_counter()
    stats = embed_pending(engine, store, embedder, mode="composed", batch=5000)
    saved = folder / "embedded.json"
    if stats.embedded == 0 and saved.exists():  # a reused folder: report the figures of its first run
        out.update(json.loads(saved.read_text()))
    else:
        out["embed_s"] = round(time.perf_counter() - t, 1)
        out["embed_profiles_per_s"] = round(stats.embedded / max(stats.seconds, 1e-9))
        out["distinct_phrases"] = embedder.cached_phrases
        embedder.save_cache()
        t = time.perf_counter()
        store.build_ann()
        out["ann_build_s"] = round(time.perf_counter() - t, 1)
        saved.write_text(json.dumps({k: out[k] for k in ("embed_s", "embed_profiles_per_s", "distinct_phrases",
                                                          "ann_build_s")}))
    out["vector_index_mib"] = round(sum(p.stat().st_size for p in (folder / "vectors").rglob("*") if p.is_file())
                                    / 2**20)
    search = TalentSearch(engine, store, embedder, sparse)
    needs = make_needs(engine, queries)
    latencies: dict[str, list[float]] = defaultdict(list)
    quality: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for need in needs:
        grades = grades_for(engine, need)
        for kind, req in requests_for(need).items():
            search.search(req, organisation_id=None)  # warm
            t = time.perf_counter()
            search.search(req, organisation_id=None)
            latencies[kind].append((time.perf_counter() - t) * 1000)
            if kind in ("boolean", "semantic", "hybrid"):
                ranked = ranked_ids(search, req)
                quality[kind].append((ndcg(ranked, grades), recall(ranked, grades)))
    out["latency_ms"] = {k: {"p50": round(pct(v, 0.5), 1), "p95": round(pct(v, 0.95), 1)} for k, v in latencies.items()}
    out["quality"] = {k: {"ndcg@10": round(statistics.mean(a for a, _ in v), 3),
                          "recall@100": round(statistics.mean(b for _, b in v), 3)} for k, v in quality.items()}
    out["baselines"] = baselines(engine, store, embedder, needs, sparse)
    if resumes and resumes.is_dir():
        out["real_resumes"] = real_resumes(engine, store, embedder, resumes, sparse)
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def baselines(engine, store: VectorIndex, embedder: Embedder, needs: list[dict], sparse: SparseKeywordStore) -> dict:
    """bm25s over the same texts and queries, and the same words through the sparse keyword index (an OR query
    of them, network members only, as bm25s indexes); exact numpy cosine over the same vectors."""
    import bm25s

    from tools.search.query import parse

    result: dict = {}
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, raw_text FROM profiles WHERE organisation_id IS NULL ORDER BY id")).all()
    ids = np.array([r[0] for r in rows])
    t = time.perf_counter()
    corpus = bm25s.tokenize([r[1] for r in rows], stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    result["bm25s_index_s"] = round(time.perf_counter() - t, 1)
    del rows, corpus
    lat, nd, words_lat, words_nd = [], [], [], []
    with engine.connect() as conn:
        view = sparse.view(conn)
    assert view is not None
    network = Facets(pool="network")
    for need in needs:
        s1, s2 = need["skills"]
        title = need["occupation"].rstrip("s").split(",")[0]
        grades = grades_for(engine, need)
        tokens = bm25s.tokenize([f"{s1} {s2} {title}"], stopwords="en", show_progress=False)
        retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)  # warm, as every timing here
        t = time.perf_counter()
        docs, _scores = retriever.retrieve(tokens, k=K, show_progress=False, n_threads=1)
        lat.append((time.perf_counter() - t) * 1000)
        nd.append(ndcg([int(ids[d]) for d in docs[0]], grades))
        vocabulary = {v: k for k, v in tokens.vocab.items()}
        either = parse(" OR ".join(f'"{vocabulary[i]}"' for i in tokens.ids[0]))
        sparse.search(view, either, network, None, K)
        t = time.perf_counter()
        found = sparse.search(view, either, network, None, K)
        words_lat.append((time.perf_counter() - t) * 1000)
        words_nd.append(ndcg(found.ids, grades))
    result["bm25s_ms"] = {"p50": round(pct(lat, 0.5), 1), "p95": round(pct(lat, 0.95), 1)}
    result["bm25s_ndcg@10"] = round(statistics.mean(nd), 3)
    result["sparse_words_ms"] = {"p50": round(pct(words_lat, 0.5), 1), "p95": round(pct(words_lat, 0.95), 1)}
    result["sparse_words_ndcg@10"] = round(statistics.mean(words_nd), 3)
    # exact brute force versus the index's approximate search, same query vectors
    all_ids = store.ids
    matrix = store.vectors_of(all_ids)
    exact_ms, ann_ms, recalls, masked_recalls = [], [], [], []
    for need in needs:
        q = embedder.encode_query(f"{need['occupation']} experienced with {need['skills'][0]} and {need['skills'][1]}")
        t = time.perf_counter()
        scores = matrix @ q
        top = all_ids[np.argpartition(-scores, K)[:K]]
        exact_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        found, _ = store.search(q, K)
        ann_ms.append((time.perf_counter() - t) * 1000)
        recalls.append(len(set(top.tolist()) & set(found.tolist())) / K)
        facets = Facets(country=[need["country"]])
        exact_masked, _ = store.search_facets(q, K, facets, None, exact=True)
        ann_masked, _ = store.search_facets(q, K, facets, None)
        masked_recalls.append(len(set(exact_masked.tolist()) & set(ann_masked.tolist())) / K)
    result["exact_numpy_ms"] = {"p50": round(pct(exact_ms, 0.5), 1), "p95": round(pct(exact_ms, 0.95), 1)}
    result["ann_ms"] = {"p50": round(pct(ann_ms, 0.5), 1), "p95": round(pct(ann_ms, 0.95), 1)}
    result["ann_recall@10_vs_exact"] = round(statistics.mean(recalls), 3)
    result["ann_recall@10_vs_exact_with_country_facet"] = round(statistics.mean(masked_recalls), 3)
    return result


def real_resumes(engine, store: VectorIndex, embedder: Embedder, folder: Path,
                 sparse: SparseKeywordStore | None = None) -> dict:
    """The 283 real resumes as an organisation's applicants; a query per category, relevance = same category."""
    from app.importer import import_paths

    org = ensure_organisation(engine, "bench")
    for _report in import_paths(engine, [folder], org, 10 * 2**20):
        pass
    embed_pending(engine, store, embedder, mode="auto")
    search = TalentSearch(engine, store, embedder, sparse)  # the resumes are in the sparse delta
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, ground_truth FROM profiles WHERE organisation_id = :o"), {"o": org}).all()
    category = {r[0]: (r[1] if isinstance(r[1], dict) else json.loads(r[1]))["category"] for r in rows}
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for cat in sorted(set(category.values())):
        words = cat.replace("-", " ").replace("_", " ").strip().lower()
        grades = {pid: 1 for pid, c in category.items() if c == cat}
        facets = Facets(pool="applicants")
        for kind, req in {
            "keyword": SearchRequest(query=_quote(words), mode="keyword", facets=facets),
            "semantic": SearchRequest(semantic_text=words, mode="semantic", facets=facets),
            "hybrid": SearchRequest(query=_quote(words), semantic_text=words, mode="hybrid", keyword_filter=False,
                                    facets=facets),
        }.items():
            ranked = []
            for page in (1, 2):
                ranked += [h.profile_id for h in search.search(req.model_copy(update={"page": page, "page_size": 50}),
                                                               organisation_id=org).hits]
            scores[kind].append((ndcg(ranked, grades), recall(ranked, grades)))
    return {k: {"ndcg@10": round(statistics.mean(a for a, _ in v), 3),
                "recall@100": round(statistics.mean(b for _, b in v), 3)} for k, v in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, required=True)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--resumes", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
                        / "resumes")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        result = run(args.profiles, args.dir, args.queries, args.resumes)
    else:
        with tempfile.TemporaryDirectory(prefix="hire-bench-search-") as tmp:
            result = run(args.profiles, Path(tmp), args.queries, args.resumes)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
