"""Wiring: the search backend the settings choose (embedded or at scale), built once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

import tools.search.keyword  # noqa: F401  (registers the keyword re-indexer of profiles written through the ORM)
from app.settings import Settings, get_settings
from tools.records.session import make_engine

if TYPE_CHECKING:
    from graphs.context import Services


@cache
def engine_for(url: str) -> Engine:
    return make_engine(url)


def vector_store(settings: Settings, engine: Engine):
    """Embedded: the in-process vector index under DATA_DIR/vectors. At scale (PostgreSQL, or a Chroma
    URL set): a Chroma collection over HTTP, or on disk at CHROMA_PATH."""
    if engine.dialect.name == "postgresql" or settings.chroma_url:
        import chromadb

        from tools.search.chroma_store import ChromaVectorStore

        if settings.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(settings.chroma_url)
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                         ssl=url.scheme == "https")
        else:
            client = chromadb.PersistentClient(path=settings.chroma_path or str(settings.data_dir / "chroma"))
        return ChromaVectorStore(client, "profiles")
    from tools.search.vectors import VectorIndex

    return VectorIndex.open(Path(settings.data_dir) / "vectors")


def reset_vector_store(settings: Settings, engine: Engine) -> None:
    """Empty the vector store the settings choose (for `hire index --rebuild`)."""
    store = vector_store(settings, engine)
    if hasattr(store, "collection"):  # Chroma: drop and recreate the collection
        name = store.collection.name
        store.client.delete_collection(name)
        vector_store(settings, engine)
        return
    import shutil

    shutil.rmtree(Path(settings.data_dir) / "vectors", ignore_errors=True)


@cache
def embedder(model_path: str):
    from memory.embeddings import Embedder

    return Embedder(model_path or None, cache_path=get_settings().data_dir / "phrase_vectors.npz")


def keyword_store(settings: Settings, engine: Engine):
    """Embedded: the sparse BM25 segments under DATA_DIR/keyword (built by `hire index`). At scale: None
    (PostgreSQL ranks with its GIN-indexed tsvectors)."""
    if engine.dialect.name != "sqlite":
        return None
    return _keyword_store(str(Path(settings.data_dir) / "keyword"))


@cache
def _keyword_store(folder: str):
    from tools.search.sparse_store import SparseKeywordStore

    return SparseKeywordStore(Path(folder))  # one per folder and process: it caches the open segments


def talent_search(settings: Settings | None = None):
    from tools.search.engine import TalentSearch

    settings = settings or get_settings()
    engine = engine_for(settings.db_url)
    return TalentSearch(engine, vector_store(settings, engine), embedder(settings.embedding_model_path),
                        keyword_store(settings, engine))


def build_services(settings: Settings | None = None) -> Services:
    """The live objects the graphs use, as the settings choose them (classical brain without an LLM)."""
    from app.models import ModelFactory
    from graphs.brain import Brain
    from graphs.context import Services

    settings = settings or get_settings()
    models = ModelFactory(settings)
    brain = Brain(planner=models.get("planner"), evaluator=models.get("evaluator"), writer=models.get("writer"))
    return Services(engine=engine_for(settings.db_url), talent_search=talent_search(settings), brain=brain,
                    concurrency=settings.agent_concurrency)


def agent_services() -> Services:
    """The agent's services from the environment: what a graph run without a context uses (LangGraph Studio)."""
    return build_services(get_settings())
