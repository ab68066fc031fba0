"""Running the runtime in this process: DBOS launched with the queues, the daily refresh and recovery of the
work this worker name held when it stopped (the web app's in-process workers, ``hire worker``, ``hire run --wait``)."""

from __future__ import annotations

import logging
import threading

from dbos import DBOS, DBOSConfig

from app.runtime import engine
from app.settings import Settings

_lock = threading.Lock()


def launch_runtime(settings: Settings, *, executor_id: str | None = None, concurrency: int | None = None,
                   listen: bool = True) -> None:
    """Start DBOS in this process (once): register the queues and the daily refresh, recover the work this
    worker name held when it stopped, and (``listen``) take work from the queues."""
    with _lock:
        if engine.launched_settings() is not None:
            return
        import app.runtime.workflows as workflows  # registers the workflow functions before launch

        url = engine.runtime_url(settings)
        config: DBOSConfig = {
            "name": engine.APP_NAME, "system_database_url": url, "application_version": engine.app_version(),
            "executor_id": executor_id or engine.worker_name(settings), "log_level": "WARNING",
            "notification_listener_polling_interval_sec": 0.5, "scheduler_polling_interval_sec": 5.0,
        }
        logging.getLogger("dbos").setLevel(logging.WARNING)
        DBOS(config=config)
        if not listen:
            DBOS.listen_queues([])
        DBOS.launch()
        slots = concurrency or settings.worker_concurrency
        DBOS.register_queue(engine.RUNS_QUEUE, worker_concurrency=max(2, slots), polling_interval_sec=0.5,
                            on_conflict="always_update")
        DBOS.register_queue(engine.BATCH_QUEUE, worker_concurrency=slots, polling_interval_sec=0.1,
                            on_conflict="always_update")
        DBOS.register_queue(engine.MAILBOX_QUEUE, worker_concurrency=4, partition_concurrency=1,
                            polling_interval_sec=0.2, on_conflict="always_update")
        # every worker applies the same schedule (create or replace): two schedulers, one refresh per project
        # and day, because the refresh's mailbox messages and runs are keyed by project and day
        DBOS.apply_schedules([{"schedule_name": engine.REFRESH_SCHEDULE, "workflow_fn": workflows.daily_refresh,
                               "schedule": settings.refresh_cron}])
        engine.mark_launched(settings)


def shutdown_runtime() -> None:
    with _lock:
        if engine.launched_settings() is None:
            return
        DBOS.destroy(destroy_registry=False)
        engine.mark_launched(None)
