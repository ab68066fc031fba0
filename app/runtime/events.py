"""Real-time events for each recruiter: what the background runs, the mailbox and notifications report.

Two buses with one interface, ``publish(recruiter_id, event)`` and ``async with bus.subscribe(recruiter_id) as
events: async for event in events``:

* :class:`LocalBus`: in this process. Publishing is safe from any thread (the durable workflows run in worker
  threads of their own); each subscriber's event loop gets its copy through ``call_soon_threadsafe``.
* :class:`RedisBus`: Redis pub/sub on the channel ``hire:events:{recruiter_id}``, so that workers in other
  processes reach every browser session of the recruiter, wherever it is served.

Every subscriber of the recruiter gets every event, in the order it was published; an event is a JSON object
on both buses (datetimes become ISO strings), so a subscriber sees the same dict from either.
:func:`event_bus` gives the process its bus: Redis when ``HIRE_REDIS_URL`` is set, else the in-process one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.settings import Settings

CHANNEL = "hire:events:{recruiter_id}"
CONNECT_TIMEOUT_S = 3.0


class EventBusUnavailable(RuntimeError):
    """The event bus (Redis) cannot be reached."""


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable in an event")


def encode(event: dict[str, Any]) -> str:
    """The event as JSON text: datetimes as ISO strings, enums as their values, sets as lists."""
    return json.dumps(event, default=_json_default, separators=(",", ":"))


def json_safe(event: dict[str, Any]) -> dict[str, Any]:
    """The event as a subscriber receives it: a fresh dict of JSON types only."""
    decoded: dict[str, Any] = json.loads(encode(event))
    return decoded


def channel(recruiter_id: int) -> str:
    return CHANNEL.format(recruiter_id=int(recruiter_id))


class _Subscriber:
    __slots__ = ("loop", "queue")

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()


async def _drain(queue: asyncio.Queue[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    while True:
        yield await queue.get()


class LocalBus:
    """Events within this process, fanned out to every subscriber of the recruiter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[int, set[_Subscriber]] = {}

    def publish(self, recruiter_id: int, event: dict[str, Any]) -> None:
        """Hand ``event`` to every subscriber of the recruiter; callable from any thread, never blocks."""
        payload = json_safe(event)
        with self._lock:
            subscribers = list(self._subscribers.get(int(recruiter_id), ()))
        for sub in subscribers:
            try:
                sub.loop.call_soon_threadsafe(sub.queue.put_nowait, dict(payload))
            except RuntimeError:  # that subscriber's loop is closed: it is gone
                self._remove(int(recruiter_id), sub)

    def subscribers(self, recruiter_id: int) -> int:
        with self._lock:
            return len(self._subscribers.get(int(recruiter_id), ()))

    def _remove(self, recruiter_id: int, sub: _Subscriber) -> None:
        with self._lock:
            subs = self._subscribers.get(recruiter_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subscribers[recruiter_id]

    @asynccontextmanager
    async def subscribe(self, recruiter_id: int) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        """The recruiter's events from now on, as an async iterator, until the block exits."""
        sub = _Subscriber()
        with self._lock:
            self._subscribers.setdefault(int(recruiter_id), set()).add(sub)
        try:
            yield _drain(sub.queue)
        finally:
            self._remove(int(recruiter_id), sub)


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{netloc}"))


class RedisBus:
    """Events through Redis pub/sub: every process subscribed to the recruiter's channel gets them."""

    def __init__(self, url: str, *, connect_timeout_s: float = CONNECT_TIMEOUT_S) -> None:
        import redis

        self.url = url
        self.connect_timeout_s = connect_timeout_s
        self._client = redis.Redis.from_url(url, socket_connect_timeout=connect_timeout_s,
                                            socket_timeout=connect_timeout_s, retry=None)

    def _unavailable(self, exc: Exception) -> EventBusUnavailable:
        return EventBusUnavailable(f"Redis at {_safe_url(self.url)} is not answering ({exc}); start it, or leave "
                                   "HIRE_REDIS_URL empty for in-process events.")

    def publish(self, recruiter_id: int, event: dict[str, Any]) -> None:
        """Publish ``event`` on the recruiter's channel (thread-safe: the client's pool is)."""
        import redis

        try:
            self._client.publish(channel(recruiter_id), encode(event))
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise self._unavailable(exc) from exc

    @asynccontextmanager
    async def subscribe(self, recruiter_id: int) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        """The recruiter's events from now on (the subscription is confirmed before the block starts)."""
        import redis
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=self.connect_timeout_s, retry=None)
        pubsub = client.pubsub()
        name = channel(recruiter_id)
        try:
            try:
                await pubsub.subscribe(name)
                confirmed = await asyncio.wait_for(self._confirmed(pubsub), timeout=self.connect_timeout_s)
            except (redis.ConnectionError, redis.TimeoutError, OSError, TimeoutError) as exc:
                raise self._unavailable(exc) from exc
            if not confirmed:
                raise self._unavailable(RuntimeError(f"no confirmation of the subscription to {name}"))
            yield self._events(pubsub)
        finally:
            try:
                await pubsub.aclose()
            finally:
                await client.aclose()

    @staticmethod
    async def _confirmed(pubsub: Any) -> bool:
        while True:
            message = await pubsub.get_message(timeout=None)
            if message is not None and message["type"] == "subscribe":
                return True

    async def _events(self, pubsub: Any) -> AsyncIterator[dict[str, Any]]:
        import redis

        try:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    yield json.loads(message["data"])
        except (redis.ConnectionError, OSError) as exc:
            raise self._unavailable(exc) from exc

    def close(self) -> None:
        self._client.close()


EventBus = LocalBus | RedisBus
_LOCAL = LocalBus()
_BUSES: dict[str, RedisBus] = {}
_BUSES_LOCK = threading.Lock()


def event_bus(settings: Settings) -> EventBus:
    """This process's bus: one :class:`RedisBus` per ``redis_url`` when it is set, else the process-wide
    :class:`LocalBus`."""
    url = settings.redis_url
    if not url:
        return _LOCAL
    with _BUSES_LOCK:
        bus = _BUSES.get(url)
        if bus is None:
            bus = _BUSES[url] = RedisBus(url)
        return bus
