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

import logging
import socket
import threading
from functools import cache
from importlib.metadata import version
from typing import Any

from dbos import DBOS, DBOSClient, DBOSConfig

from app.settings import Settings

APP_NAME = "hiring-assistant"
RUNS_QUEUE = "hire-runs"
BATCH_QUEUE = "hire-batches"
MAILBOX_QUEUE = "hire-mailbox"
REFRESH_SCHEDULE = "hire-daily-refresh"
QUEUES = (RUNS_QUEUE, BATCH_QUEUE, MAILBOX_QUEUE)

_lock = threading.Lock()
_launched: dict[str, Any] = {}


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


def launch_runtime(settings: Settings, *, executor_id: str | None = None, concurrency: int | None = None,
                   listen: bool = True) -> None:
    """Start DBOS in this process (once): register the queues and the daily refresh, recover the work this
    worker name held when it stopped, and (``listen``) take work from the queues."""
    with _lock:
        if _launched:
            return
        import app.runtime.workflows as workflows  # registers the workflow functions before launch

        url = runtime_url(settings)
        config: DBOSConfig = {
            "name": APP_NAME, "system_database_url": url, "application_version": app_version(),
            "executor_id": executor_id or worker_name(settings), "log_level": "WARNING",
            "notification_listener_polling_interval_sec": 0.1, "scheduler_polling_interval_sec": 5.0,
        }
        logging.getLogger("dbos").setLevel(logging.WARNING)
        DBOS(config=config)
        if not listen:
            DBOS.listen_queues([])
        DBOS.launch()
        slots = concurrency or settings.worker_concurrency
        DBOS.register_queue(RUNS_QUEUE, worker_concurrency=max(2, slots), polling_interval_sec=0.5,
                            on_conflict="always_update")
        DBOS.register_queue(BATCH_QUEUE, worker_concurrency=slots, polling_interval_sec=0.2,
                            on_conflict="always_update")
        DBOS.register_queue(MAILBOX_QUEUE, worker_concurrency=4, partition_concurrency=1, polling_interval_sec=0.2,
                            on_conflict="always_update")
        if DBOS.get_schedule(REFRESH_SCHEDULE) is None:
            try:
                DBOS.create_schedule(schedule_name=REFRESH_SCHEDULE, workflow_fn=workflows.daily_refresh,
                                     schedule=settings.refresh_cron)
            except Exception:  # noqa: BLE001 - created meanwhile by another worker
                if DBOS.get_schedule(REFRESH_SCHEDULE) is None:
                    raise
        _launched.update(settings=settings, url=url)


def launched_settings() -> Settings | None:
    return _launched.get("settings")


def shutdown_runtime() -> None:
    with _lock:
        if not _launched:
            return
        DBOS.destroy(destroy_registry=False)
        _launched.clear()
