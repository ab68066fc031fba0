"""The event buses: Redis pub/sub across processes and the in-process bus across threads.

Against the real Redis on 127.0.0.1:6379 (HIRE_TEST_REDIS_URL); recruiter ids are random so that parallel
runs sharing that server do not hear each other.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.runtime.events import EventBusUnavailable, LocalBus, RedisBus, event_bus
from app.settings import Settings

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("HIRE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
GUARD_S = 20  # a hang guard, not a timing assertion

SUBSCRIBER = textwrap.dedent("""
    import asyncio, json, sys
    from app.runtime.events import RedisBus

    async def main():
        bus = RedisBus(sys.argv[1])
        async with bus.subscribe(int(sys.argv[2])) as events:
            print("ready", flush=True)
            async for event in events:
                print(json.dumps(event), flush=True)
                if event.get("event") == "end":
                    return

    asyncio.run(main())
""")


@pytest.fixture(scope="module")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} is required in CI: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc}")
    return REDIS_URL


def _recruiter() -> int:
    return random.randint(10**8, 10**9)


async def _take(events: AsyncIterator[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    it = events.__aiter__()
    return [await asyncio.wait_for(it.__anext__(), GUARD_S) for _ in range(n)]


@pytest.fixture
def subscriber_process(redis_url: str) -> Iterator[Any]:
    """Start `python -c SUBSCRIBER url recruiter` and wait for its "ready" line; yields a starter."""
    procs: list[subprocess.Popen[str]] = []

    def start(recruiter_id: int) -> subprocess.Popen[str]:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        proc = subprocess.Popen([sys.executable, "-c", SUBSCRIBER, redis_url, str(recruiter_id)], cwd=REPO,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert first == "ready", f"the subscriber process said {first!r}: {proc.stderr.read() if proc.stderr else ''}"
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_redis_delivers_to_every_subscriber_in_order_across_processes(redis_url: str,
                                                                      subscriber_process: Any) -> None:
    recruiter, other = _recruiter(), _recruiter()
    remote = subscriber_process(recruiter)
    bus = RedisBus(redis_url)
    when = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    sent = [{"event": "run.progress", "run_id": 7, "done": i * 100, "total": 1000, "at": when} for i in range(50)]

    async def local_side() -> list[dict[str, Any]]:
        async with bus.subscribe(recruiter) as mine, bus.subscribe(recruiter) as again:
            for i, event in enumerate(sent):
                bus.publish(recruiter, event)
                bus.publish(other, {"event": "run.progress", "run_id": 99, "done": i})  # someone else's channel
            bus.publish(recruiter, {"event": "end"})
            got, got_again = await _take(mine, len(sent) + 1), await _take(again, len(sent) + 1)
        assert got == got_again
        return got

    got = asyncio.run(local_side())
    out, _ = remote.communicate(timeout=GUARD_S)
    remote_got = [json.loads(line) for line in out.splitlines() if line.strip()]

    expected = [dict(e, at="2025-03-01T09:30:00+00:00") for e in sent] + [{"event": "end"}]
    assert got == expected  # every event, in publishing order, datetimes as ISO strings
    assert remote_got == expected  # the same in the other process
    assert all(e.get("run_id") != 99 for e in got + remote_got)


def test_redis_unsubscribing_stops_delivery(redis_url: str) -> None:
    import redis

    recruiter = _recruiter()
    bus = RedisBus(redis_url)
    admin = redis.Redis.from_url(redis_url)

    async def scenario() -> None:
        async with bus.subscribe(recruiter) as events:
            assert admin.pubsub_numsub(f"hire:events:{recruiter}") == [(f"hire:events:{recruiter}".encode(), 1)]
            bus.publish(recruiter, {"event": "notification", "n": 1})
            assert await _take(events, 1) == [{"event": "notification", "n": 1}]
        assert admin.pubsub_numsub(f"hire:events:{recruiter}") == [(f"hire:events:{recruiter}".encode(), 0)]

    asyncio.run(scenario())


def test_a_dead_redis_is_a_clear_error_not_a_hang() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        for url in (f"redis://:hunter2@127.0.0.1:{port}/0", "redis://127.0.0.1:1/0"):
            bus = RedisBus(url, connect_timeout_s=1)
            with pytest.raises(EventBusUnavailable, match="is not answering") as publishing:
                bus.publish(1, {"event": "x"})
            assert "hunter2" not in str(publishing.value)

            async def subscribe(bus: RedisBus = bus) -> None:
                async with bus.subscribe(1):
                    pass

            with pytest.raises(EventBusUnavailable, match="HIRE_REDIS_URL"):
                asyncio.run(subscribe())


def test_local_bus_fans_out_events_published_from_other_threads() -> None:
    bus = LocalBus()

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        async with bus.subscribe(1) as a, bus.subscribe(1) as b, bus.subscribe(2) as c:
            assert bus.subscribers(1) == 2

            def worker(start: int) -> None:  # a workflow thread: no event loop here
                for i in range(start, start + 100):
                    bus.publish(1, {"event": "run.progress", "done": i, "at": dt.date(2025, 1, 2)})

            thread = threading.Thread(target=worker, args=(0,))
            thread.start()
            thread.join()
            bus.publish(2, {"event": "notification", "title": "for recruiter 2"})
            got_a, got_b = await _take(a, 100), await _take(b, 100)
            got_c = await _take(c, 1)
        assert bus.subscribers(1) == 0 and bus.subscribers(2) == 0  # unsubscribed on exit
        return got_a, got_b, got_c

    got_a, got_b, got_c = asyncio.run(scenario())
    assert [e["done"] for e in got_a] == list(range(100))  # in publishing order
    assert got_a == got_b
    assert got_a[0]["at"] == "2025-01-02"
    assert got_c == [{"event": "notification", "title": "for recruiter 2"}]


def test_local_bus_reaches_subscribers_on_other_event_loops() -> None:
    """Two chat sessions served by different loops (threads) both get the event."""
    bus = LocalBus()
    ready = threading.Barrier(3)
    results: dict[str, list[dict[str, Any]]] = {}

    def session(name: str) -> None:
        async def listen() -> None:
            async with bus.subscribe(5) as events:
                ready.wait()
                results[name] = await _take(events, 3)

        asyncio.run(listen())

    threads = [threading.Thread(target=session, args=(n,)) for n in ("left", "right")]
    for t in threads:
        t.start()
    ready.wait()
    for i in range(3):
        bus.publish(5, {"event": "run.progress", "done": i})
    for t in threads:
        t.join(GUARD_S)
    assert results["left"] == results["right"] == [{"event": "run.progress", "done": i} for i in range(3)]


def test_one_bus_per_process() -> None:
    local = Settings(redis_url="")
    assert event_bus(local) is event_bus(local)
    assert isinstance(event_bus(local), LocalBus)
    remote = Settings(redis_url=REDIS_URL)
    assert isinstance(event_bus(remote), RedisBus) and event_bus(remote) is event_bus(remote)
