"""Per-run context: who is asking, for which project, and the services the nodes use.

Nodes take ``runtime: Runtime[Context]``; callers pass ``context=Context(...)``. Everything the model must
not choose (the organisation, the recruiter, the database) lives here, never in state a model writes.

``services`` carries live objects (the database engine, the talent search, the brain, the project store). The
app builds them; when a run has none (LangGraph Studio), :func:`services` builds them once through the factory
that ``HIRE_SERVICES_FACTORY`` names as ``module:function`` (``langgraph.json`` sets it), so this package never
imports, or names, the layer above it.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from dataclasses import dataclass, field
from functools import cache

from langgraph.runtime import Runtime
from sqlalchemy import Engine

from graphs.brain import Brain
from tools.records.store import ProjectStore
from tools.search.engine import Searcher


@dataclass(kw_only=True)
class Services:
    engine: Engine  # the system of record
    talent_search: Searcher
    brain: Brain
    concurrency: int = 8  # per-candidate judgements in flight at once, over every run that shares these services
    judge_slots: asyncio.Semaphore = field(init=False, repr=False)  # the one bound on concurrent judgements

    def __post_init__(self) -> None:
        self.judge_slots = asyncio.Semaphore(self.concurrency)

    def store(self, organisation_id: int) -> ProjectStore:
        """The project and pipeline store of one organisation."""
        return ProjectStore(self.engine, organisation_id)


@dataclass(kw_only=True)
class Context:
    organisation_id: int = 1
    recruiter_id: int = 1
    project_id: int | None = None
    top_k: int = 25  # candidates judged qualification by qualification
    calibration_size: int = 10  # candidates the recruiter rates before the full run; 0 skips calibration
    pool_target: int = 50  # sourcing broadens until the pool has this many candidates
    pool_limit: int = 500  # most candidates kept in a pool
    min_precision: float = 0.3  # sourcing narrows when fewer of the sampled candidates meet every must-have
    sourcing_rounds: int = 4  # budget of broaden / narrow rounds
    services: Services | None = field(default=None, repr=False)


@cache
def _factory_services() -> Services:
    spec = os.environ.get("HIRE_SERVICES_FACTORY", "")
    module, _, name = spec.partition(":")
    if not module or not name:
        raise RuntimeError("this run has no services: pass context=Context(services=...), or set "
                           "HIRE_SERVICES_FACTORY=module:function (langgraph.json does, for LangGraph Studio)")
    built: Services = getattr(importlib.import_module(module), name)()
    return built


def services(runtime: Runtime[Context]) -> Services:
    ctx = context(runtime)
    return ctx.services or _factory_services()


def context(runtime: Runtime[Context]) -> Context:
    return runtime.context if runtime.context is not None else Context()
