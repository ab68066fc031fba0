"""Vector search benchmark: the embedded IVF index against brute force, and Chroma (HNSW) on the same vectors.

    python -m eval.bench_vectors                 # 1,000,000 vectors; Chroma at 100,000
    python -m eval.bench_vectors --n 200000 --chroma-n 50000
    python -m eval.bench_vectors --embeddings 400 --n 0 --chroma-n 0    # embedding backends only

Vectors (``--data generated``, the default) are composed profile vectors made of real all-MiniLM-L6-v2 phrase
embeddings: 20,000 profiles from ``tools.generator`` recombined into n (same occupation, titles and skills
swapped), so their geometry matches composed vectors of generated profiles (nearest-neighbour cosine 0.91,
random pairs 0.66, as measured on 20,000 real ones). ``--data synthetic`` needs no model: clustered vectors with
the same shape of construction, easier for an IVF. Facets are random: 10% applicants of 20 organisations, 10%
in DE, 30% open to work. Queries are 200 held-out vectors of the same distribution (not in the index). Recall@10
is against the exact result under the same mask. Latencies are pooled over interleaved passes. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from tools.search.types import Facets
from tools.search.vectors import DIM, FacetColumns, VectorIndex, facet_filter

COUNTRIES = np.array(["US", "DE", "GB", "IN", "CA", "FR", ""], dtype="<U2")
COUNTRY_P = np.array([0.55, 0.10, 0.10, 0.10, 0.05, 0.05, 0.05])
MASK_FACETS = Facets(country=["DE"])  # with organisation None: network members in DE, about 9% of rows
SELECTIVE_FACETS = Facets(country=["DE"], seniority=["senior", "lead"])  # about 1.8% of rows


def synthetic(n: int, seed: int = 0, *, occupations: int = 600, chunk: int = 50_000,
              with_vectors: bool = True) -> tuple[np.ndarray, FacetColumns]:
    """``n`` unit vectors shaped like composed profile vectors, and facet columns (10% applicants of 20
    organisations, 10% in DE, 30% open to work, ...). Deterministic in ``seed``."""
    rng = np.random.default_rng(seed)

    def unit(m: np.ndarray) -> np.ndarray:
        return (m / np.linalg.norm(m, axis=-1, keepdims=True)).astype(np.float32)

    common = rng.standard_normal(DIM)
    centers = unit(rng.standard_normal((occupations, DIM)) + 0.5 * common)
    titles = unit(np.repeat(centers, 4, axis=0) + 0.05 * rng.standard_normal((occupations * 4, DIM)))
    skills_occ = unit(0.8 * np.repeat(centers, 40, axis=0) + 0.07 * rng.standard_normal((occupations * 40, DIM)))
    skills_common = unit(rng.standard_normal((500, DIM)) * 0.06 + common * 0.06)
    popularity = 1.0 / np.arange(1, occupations + 1) ** 0.8
    popularity /= popularity.sum()
    vectors = np.empty((n if with_vectors else 0, DIM), dtype=np.float32)
    for start in range(0, len(vectors), chunk):
        m = min(chunk, n - start)
        occ = rng.choice(occupations, m, p=popularity)
        v = 2 * titles[occ * 4 + rng.integers(0, 4, m)]
        other = np.where(rng.random(m) < 0.7, occ, rng.integers(0, occupations, m))
        v += titles[other * 4 + rng.integers(0, 4, m)]
        for _ in range(6):
            v += skills_occ[occ * 40 + rng.integers(0, 40, m)]
        for _ in range(3):
            v += skills_common[rng.integers(0, 500, m)]
        vectors[start:start + m] = unit(v)
    rng = np.random.default_rng([seed, 1])  # facets: their own stream, the same with or without vectors
    org = np.where(rng.random(n) < 0.9, 0, rng.integers(1, 21, n)).astype(np.int64)
    facets = FacetColumns(
        country=COUNTRIES[rng.choice(len(COUNTRIES), n, p=COUNTRY_P)],
        metro=np.where(rng.random(n) < 0.5, np.array(["0012420", "0035620", "0041860"])[rng.integers(0, 3, n)], ""
                       ).astype("<U7"),
        years=np.where(rng.random(n) < 0.03, np.nan, rng.uniform(0, 35, n)).astype(np.float32),
        seniority=rng.integers(-1, 9, n).astype(np.int8),
        open_to_work=rng.random(n) < 0.3,
        updated_day=rng.integers(19_500, 20_300, n).astype(np.int32),
        organisation=org,
    )
    return vectors, facets


def generated(n: int, seed: int = 0, *, base: int = 20_000, phrase_cache: Path | None = None) -> np.ndarray:
    """``n`` composed vectors built from real MiniLM phrase embeddings: ``base`` profiles from
    ``tools.generator`` are recombined (each new profile takes a base profile, keeps or swaps its current
    title for another title of the same occupation, and swaps each skill with probability 0.3 for a skill of
    the same occupation), then composed with the ``profile_phrases`` weights. Embedding the base profiles'
    distinct phrases is paid once when ``phrase_cache`` is given."""
    from memory.embeddings import Embedder, profile_phrases
    from tools.generator import generate

    rng = np.random.default_rng(seed)
    profiles = list(generate(base, 3))
    embedder = Embedder(cache_path=phrase_cache)
    titles, pasts, skills, occs = [], [], [], []
    for p in profiles:
        phrases, _ = profile_phrases(p.current_title, [e.title for e in p.experiences], [s for s, _ in p.skills])
        titles.append(phrases[0])
        held = {" ".join(e.title.split()) for e in p.experiences}
        pasts.append([ph for ph in phrases[1:] if ph in held][:3])
        skills.append([s for s, _ in p.skills][:15])
        occs.append(p.occupation_code or "")
    vocab = embedder.encode_phrases({x for group in (titles, *pasts, *skills) for x in
                                     ([group] if isinstance(group, str) else group)})
    embedder.save_cache()
    names = list(vocab)
    row = {name: i for i, name in enumerate(names)}
    table = np.vstack([np.zeros(DIM, dtype=np.float32), np.array([vocab[x] for x in names])])  # row 0: padding

    def padded(lists: list[list[str]], width: int) -> np.ndarray:
        out = np.zeros((len(lists), width), dtype=np.int64)
        for i, items in enumerate(lists):
            out[i, :len(items[:width])] = [row[x] + 1 for x in items[:width]]
        return out

    title_ix = np.array([row[t] + 1 for t in titles])
    past_ix, skill_ix = padded(pasts, 3), padded(skills, 15)
    occ_codes, occ_of = np.unique(np.array(occs), return_inverse=True)
    order = np.argsort(occ_of, kind="stable")  # per occupation: its profiles' titles and skills, as pools
    starts = np.searchsorted(occ_of[order], np.arange(len(occ_codes)))
    sizes = np.bincount(occ_of, minlength=len(occ_codes))
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 10_000):
        m = min(10_000, n - start)
        b = rng.integers(0, base, m)
        o = occ_of[b]
        donor = order[starts[o] + (rng.random(m) * sizes[o]).astype(np.int64)]
        cur = np.where(rng.random(m) < 0.5, title_ix[b], title_ix[donor])
        sk = skill_ix[b].copy()
        for j in range(sk.shape[1]):
            other = order[starts[o] + (rng.random(m) * sizes[o]).astype(np.int64)]
            swap = (rng.random(m) < 0.3) & (sk[:, j] > 0) & (skill_ix[other, j % 5] > 0)
            sk[swap, j] = skill_ix[other, j % 5][swap]
        v = 2 * table[cur] + table[past_ix[b]].sum(axis=1) + table[sk].sum(axis=1)
        out[start:start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000


def _race(methods: dict[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]], queries: np.ndarray,
          repeats: int) -> dict[str, tuple[list[np.ndarray], list[float]]]:
    """Each method on each query, interleaved (so load from other processes hits every method alike), ``repeats``
    passes; per method: the ids found in the first pass and every latency sample."""
    out: dict[str, tuple[list[np.ndarray], list[float]]] = {name: ([], []) for name in methods}
    for fn in methods.values():
        fn(queries[0])  # warm
    for rep in range(repeats):
        for i, q in enumerate(queries):
            names = list(methods)
            names = names[i % len(names):] + names[:i % len(names)]  # rotate who goes first
            for name in names:
                t = time.perf_counter()
                found = methods[name](q)[0]
                out[name][1].append(time.perf_counter() - t)
                if rep == 0:
                    out[name][0].append(found)
    for found, _ in out.values():  # restore query order (rotation does not change it per method)
        assert len(found) == len(queries)
    return out


def _recall(found: list[np.ndarray], truth: list[np.ndarray], k: int = 10) -> float:
    return float(np.mean([len(set(f[:k].tolist()) & set(t[:k].tolist())) / max(1, min(k, len(t)))
                          for f, t in zip(found, truth, strict=True)]))


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def bench_index(n: int, queries: np.ndarray, vectors: np.ndarray, facets: FacetColumns, work: Path,
                table: Table, console: Console, repeats: int = 3) -> None:
    folder = work / f"index-{n}"
    t = time.perf_counter()
    index = VectorIndex.open(folder)
    for start in range(0, n, 250_000):
        end = min(n, start + 250_000)
        index.upsert(np.arange(start + 1, end + 1), vectors[start:end], facets.take(slice(start, end)))
    upsert_s = time.perf_counter() - t
    console.print(f"[dim]{n:,}: upserted in {upsert_s:.1f} s[/dim]")
    info = index.build_ann()
    size = _size_mib(folder)
    console.print(f"[dim]{n:,}: IVF trained {info['train_s']:.1f} s, assigned+sorted {info['assign_s']:.1f} s, "
                  f"calibrated {info['calibrate_s']:.1f} s; nlist {info['nlist']}, nprobe {info['nprobe']}, "
                  f"mask exponent {info['mask_gamma']:.2f}[/dim]")
    index.ann_min_rows = 0  # measure the IVF even below the brute-force threshold
    k = 10
    mask = facet_filter(MASK_FACETS, None)
    share = float(mask(index.facets).mean())
    narrow = facet_filter(SELECTIVE_FACETS, None)
    narrow_share = float(narrow(index.facets).mean())
    base = np.ascontiguousarray(vectors)  # the numpy baseline: an in-memory matrix-vector product

    def numpy_brute(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = base @ q
        top = np.argpartition(-s, k)[:k]
        return top[np.argsort(-s[top])], s[top]

    r = _race({
        "numpy": numpy_brute,
        "exact": lambda q: index.search(q, k, exact=True),
        "ann": lambda q: index.search(q, k),
        "exact_m": lambda q: index.search(q, k, mask=mask, exact=True),
        "ann_m": lambda q: index.search(q, k, mask=mask),
        "exact_n": lambda q: index.search(q, k, mask=narrow, exact=True),
        "ann_n": lambda q: index.search(q, k, mask=narrow),
    }, queries, repeats)
    build = f"{info['total_s']:.1f}"
    rows = [
        ("numpy brute force (in memory)", "-", "numpy", None),
        ("VectorIndex exact", "-", "exact", None),
        (f"VectorIndex IVF (nprobe {index.nprobe})", "-", "ann", "exact"),
        ("VectorIndex exact", f"{share:.1%}", "exact_m", None),
        ("VectorIndex IVF", f"{share:.1%}", "ann_m", "exact_m"),
        ("VectorIndex exact", f"{narrow_share:.1%}", "exact_n", None),
        ("VectorIndex IVF (or exact if few rows)", f"{narrow_share:.1%}", "ann_n", "exact_n"),
    ]
    for name, sel, key, truth in rows:
        p50, p95 = _ms(r[key][1])
        recall = "-" if key == "numpy" else f"{_recall(r[key][0], r[truth][0]):.3f}" if truth else "1.000"
        table.add_row(name, f"{n:,}", sel, "-" if key == "numpy" else build,
                      "-" if key == "numpy" else f"{size:,.0f}", f"{p50:.2f}", f"{p95:.2f}", recall)


def bench_chroma(n: int, queries: np.ndarray, vectors: np.ndarray, facets: FacetColumns, work: Path,
                 table: Table, console: Console, repeats: int = 3) -> None:
    from tools.search.chroma_store import ChromaStore

    folder = work / f"chroma-{n}"
    store = ChromaStore.connect(path=folder, name="bench")
    ids = np.arange(1, n + 1)
    t = time.perf_counter()
    store.upsert(ids, vectors[:n], facets.take(slice(0, n)))
    add_s = time.perf_counter() - t
    console.print(f"[dim]Chroma {n:,}: added in {add_s:.1f} s[/dim]")
    index = VectorIndex.open(work / f"truth-{n}")
    index.upsert(ids, vectors[:n], facets.take(slice(0, n)))
    k = 10
    mask = facet_filter(MASK_FACETS, None)
    share = float(mask(index.facets).mean())
    r = _race({
        "exact": lambda q: index.search(q, k, exact=True),
        "exact_m": lambda q: index.search(q, k, mask=mask, exact=True),
        "chroma": lambda q: store.search(q, k),
        "chroma_m": lambda q: store.search(q, k, mask=mask),
    }, queries, repeats)
    size = _size_mib(folder)
    for sel, key, truth in (("-", "chroma", "exact"), (f"{share:.1%}", "chroma_m", "exact_m")):
        p50, p95 = _ms(r[key][1])
        table.add_row("Chroma PersistentClient HNSW", f"{n:,}", sel, f"{add_s:.1f} (add)", f"{size:,.0f}",
                      f"{p50:.2f}", f"{p95:.2f}", f"{_recall(r[key][0], r[truth][0]):.3f}")


def bench_embeddings(count: int, console: Console) -> None:
    """Documents/s and phrases/s of the torch, onnx and int8 backends, and their agreement with torch."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from memory.embeddings import Embedder, profile_document, profile_phrases
    from tools.generator import generate

    profiles = list(generate(count, 11))
    docs = [profile_document(p.headline, p.summary, [e.title for e in p.experiences], [s for s, _ in p.skills])
            for p in profiles]
    phrases = sorted({x for p in profiles for x in profile_phrases(
        p.current_title, [e.title for e in p.experiences], [s for s, _ in p.skills], p.headline)[0]})[:count]
    table = Table("backend", "docs/s", "phrases/s", "cosine vs torch (min / mean, 200 docs)", "phrases min",
                  title=f"Embedding backends ({torch.get_num_threads()} threads, max_seq_length 128, "
                  "medians of 5 interleaved rounds)")
    torch_emb = Embedder()
    reference = torch_emb.encode(docs[:200])
    reference_p = torch_emb.encode(phrases[:200])
    candidates: list[tuple[str, Callable[[], Embedder]]] = [("torch", lambda: torch_emb)]
    candidates.append(("onnx (torch.onnx.export + onnxruntime)", lambda: Embedder(backend="onnx")))
    candidates.append(("onnx-int8 (per channel, FFN output float)", lambda: Embedder(backend="onnx-int8")))

    def int8() -> Embedder:
        e = Embedder()
        model = e._load()
        torch.quantization.quantize_dynamic(model[0].auto_model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
        return e

    candidates.append(("torch dynamic int8 (every Linear)", int8))

    def int8_attention() -> Embedder:
        e = Embedder()
        hf = e._load()[0].auto_model
        names = {n for n, mod in hf.named_modules() if isinstance(mod, torch.nn.Linear) and "attention" in n}
        torch.quantization.quantize_dynamic(hf, names, dtype=torch.qint8, inplace=True)
        return e

    candidates.append(("torch dynamic int8 (attention only)", int8_attention))
    ready: dict[str, Embedder] = {}
    for name, make in candidates:
        try:
            ready[name] = make()
            ready[name].encode(docs[:16])
        except Exception as exc:  # noqa: BLE001 - report what could not run
            ready.pop(name, None)
            table.add_row(name, "-", "-", f"not available: {exc}"[:80], "-")
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in ready}
    rounds = 5  # interleaved rounds, so load from other processes hits every backend alike
    docs_part, phrases_part = max(1, len(docs) // 2), max(1, len(phrases) // 2)
    for r in range(rounds):
        names = list(ready)
        names = names[r % len(names):] + names[:r % len(names)]
        for name in names:
            for slot, texts in ((0, docs[:docs_part]), (1, phrases[:phrases_part])):
                t = time.perf_counter()
                ready[name].encode(texts)
                times[name][slot].append(time.perf_counter() - t)
    for name, emb in ready.items():
        cos = (emb.encode(docs[:200]) * reference).sum(axis=1)
        cos_p = (emb.encode(phrases[:200]) * reference_p).sum(axis=1)
        table.add_row(name, f"{docs_part / statistics.median(times[name][0]):.1f}",
                      f"{phrases_part / statistics.median(times[name][1]):.1f}",
                      f"{cos.min():.4f} / {cos.mean():.4f}", f"{cos_p.min():.4f}")
    composed = torch_emb.compose([profile_phrases(p.current_title, [e.title for e in p.experiences],
                                                  [s for s, _ in p.skills], p.headline) for p in profiles[:200]])
    agreement = (composed * reference).sum(axis=1)
    console.print(table)
    console.print(f"composed vs full on the same 200 profiles: cosine min {agreement.min():.3f}, "
                  f"mean {agreement.mean():.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="vectors in the embedded index (0: skip)")
    parser.add_argument("--chroma-n", type=int, default=100_000, help="vectors in Chroma (0: skip)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3, help="passes over the queries (latency samples pooled)")
    parser.add_argument("--embeddings", type=int, default=0, help="also time the embedding backends on this "
                        "many generated profiles (0: skip)")
    parser.add_argument("--data", choices=("generated", "synthetic"), default="generated",
                        help="recombined real MiniLM phrase vectors of generated profiles (embeds the base "
                        "profiles' ~27k distinct phrases once, then cached), or synthetic clusters (no model)")
    parser.add_argument("--base", type=int, default=20_000, help="base generated profiles for --data generated")
    parser.add_argument("--phrase-cache", type=Path, default=Path("var/bench/phrase_vectors.npz"),
                        help="phrase cache file for --data generated")
    parser.add_argument("--work", type=Path, default=None, help="folder for the indexes (default: a temp dir)")
    args = parser.parse_args(argv)
    console = Console(width=160)
    console.print(f"machine: {os.cpu_count()} CPUs")
    if args.embeddings:
        bench_embeddings(args.embeddings, console)
    largest = max(args.n, args.chroma_n)
    if largest <= 0:
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-vectors-"))
    try:
        t = time.perf_counter()
        vectors, facets = synthetic(largest + args.queries, seed=0, with_vectors=args.data == "synthetic")
        if args.data == "generated":
            vectors = generated(largest + args.queries, seed=0, base=args.base, phrase_cache=args.phrase_cache)
        queries, vectors = vectors[largest:], vectors[:largest]
        facets = facets.take(slice(0, largest))
        console.print(f"[dim]{largest:,} {args.data} vectors in {time.perf_counter() - t:.1f} s[/dim]")
        table = Table("search", "vectors", "mask share", "build s", "disk MiB", "p50 ms", "p95 ms", "recall@10",
                      title=f"Vector search ({args.data} vectors), k=10, {len(queries)} held-out queries x "
                      f"{args.repeats} interleaved passes")
        if args.chroma_n:
            bench_chroma(args.chroma_n, queries, vectors, facets, work, table, console, args.repeats)
            bench_index(args.chroma_n, queries, vectors[:args.chroma_n], facets.take(slice(0, args.chroma_n)),
                        work, table, console, args.repeats)
        if args.n and args.n != args.chroma_n:
            bench_index(args.n, queries, vectors[:args.n], facets.take(slice(0, args.n)), work, table, console,
                        args.repeats)
        console.print(table)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
