"""DBOS set-up: where the runtime's state lives, its queues, its schedule, and the process that runs the work.

One durable-execution engine, chosen by settings alone: the system database is a SQLite file beside the system
of record (embedded, no server) or the PostgreSQL database at scale, where any number of ``hire worker``
processes share the queues. Three queues carry the work:

* ``hire-runs``: one workflow per background run (sourcing, then its batches, then the summary);
* ``hire-batches``: the checkpointed batches of every run, ``WORKER_CONCURRENCY`` at a time per process;
* ``hire-mailbox``: each recruiter's mailbox, partitioned by recruiter: one message at a time per agent, in the
  order they were posted, and different agents in parallel.

Processes that only post work (the CLI, a web app whose work is done by workers) use a :class:`DBOSClient`,
which enqueues, cancels and resumes without running anything.
"""

from __future__ import annotations

import socket
import threading
from functools import cache
from importlib.metadata import version
from typing import Any

from dbos import DBOS, DBOSClient

from app.settings import Settings, get_settings

APP_NAME = "hiring-assistant"
RUNS_QUEUE = "hire-runs"
BATCH_QUEUE = "hire-batches"
MAILBOX_QUEUE = "hire-mailbox"
REFRESH_SCHEDULE = "hire-daily-refresh"
QUEUES = (RUNS_QUEUE, BATCH_QUEUE, MAILBOX_QUEUE)
MAIL_KINDS = ("chat_turn", "approval", "run_finished", "new_applicant", "daily_refresh", "candidate_reply",
              "learning_proposal")

SERVICES_LOCK = threading.Lock()  # the vector store must not be opened by two threads of a process at once
_launched: dict[str, Any] = {}  # the settings of the runtime this process launched (app.runtime.process)


def runtime_url(settings: Settings) -> str:
    """The DBOS system database: RUNTIME_URL, else the PostgreSQL system of record, else DATA_DIR/runtime.db."""
    if settings.runtime_url:
        return settings.runtime_url
    if settings.db_url.startswith("postgresql"):
        return settings.db_url
    return f"sqlite:///{settings.data_dir / 'runtime.db'}"


def worker_name(settings: Settings) -> str:
    return settings.worker_id or socket.gethostname()


def app_version() -> str:
    """One version for every process of a release, so any worker may recover any other's work."""
    return f"hire-{version('hiring-assistant')}"


@cache
def _migrated(url: str) -> bool:
    DBOS.migrate(url)
    return True


def client(settings: Settings) -> DBOSClient:
    """A client of the runtime's system database (created on first use), for processes that only post work."""
    url = runtime_url(settings)
    _migrated(url)
    return _client(url)


@cache
def _client(url: str) -> DBOSClient:
    return DBOSClient(system_database_url=url, application_name=APP_NAME)


def launched_settings() -> Settings | None:
    return _launched.get("settings")


def mark_launched(settings: Settings | None) -> None:
    """Record that this process runs the runtime with ``settings`` (None: that it stopped)."""
    _launched.clear()
    if settings is not None:
        _launched["settings"] = settings


def current_settings() -> Settings:
    """The settings the runtime was launched with in this process, else the environment's."""
    return launched_settings() or get_settings()
