"""Publishing from the runtime: an event on the recruiter's real-time channel never fails the work it reports."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def publish(recruiter_id: int, event: dict[str, Any]) -> None:
    try:
        from app.runtime.events import event_bus
        from app.runtime.workflows import settings

        event_bus(settings()).publish(recruiter_id, event)
    except Exception as exc:  # noqa: BLE001 - the database holds the truth; a lost event is shown on the next read
        log.warning("event %s for recruiter %s not published: %s", event.get("event"), recruiter_id, exc)
