"""Benchmarks of the background runtime. Prints figures, asserts nothing.

Event latency: the time from ``publish`` in a worker thread (where the durable workflows run) to the event
arriving in a subscriber's event loop (a chat session), one event in flight at a time, on the in-process bus
and on Redis pub/sub (``HIRE_REDIS_URL``, default redis://127.0.0.1:6379/0).

``python -m eval.bench_events [--events 1000]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import threading
import time
from typing import Any

from app.runtime.events import EventBus, LocalBus, RedisBus


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def event_latency(bus: EventBus, n: int = 1000) -> dict[str, float]:
    """Publish ``n`` events from a thread, one after the other is received; p50/p95/mean latency in ms."""
    recruiter = random.randint(10**8, 10**9)
    latencies: list[float] = []

    async def measure() -> None:
        loop = asyncio.get_running_loop()
        received = asyncio.Queue[float]()
        async with bus.subscribe(recruiter) as events:
            acked = threading.Event()

            def publisher() -> None:
                for i in range(n):
                    acked.clear()
                    bus.publish(recruiter, {"event": "run.progress", "done": i, "sent": time.perf_counter()})
                    acked.wait()

            async def consume() -> None:
                async for event in events:
                    received.put_nowait(time.perf_counter() - event["sent"])
                    acked.set()
                    if event["done"] == n - 1:
                        return

            thread = threading.Thread(target=publisher, daemon=True)
            thread.start()
            await consume()
            await loop.run_in_executor(None, thread.join)
        while not received.empty():
            latencies.append(received.get_nowait() * 1000)

    asyncio.run(measure())
    return {"events": n, "p50_ms": round(_pct(latencies, 0.5), 3), "p95_ms": round(_pct(latencies, 0.95), 3),
            "mean_ms": round(statistics.fmean(latencies), 3)}


def event_rows(n: int, redis_url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"bus": "local", **event_latency(LocalBus(), n)}]
    try:
        rows.append({"bus": "redis", **event_latency(RedisBus(redis_url), n)})
    except Exception as exc:  # noqa: BLE001 - a missing Redis is reported, not fatal
        rows.append({"bus": "redis", "error": str(exc)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    redis_url = os.environ.get("HIRE_REDIS_URL") or "redis://127.0.0.1:6379/0"
    print(f"Event latency, publish in a thread -> subscriber's loop, {args.events} events one at a time")
    print(f"{'bus':<8}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for row in event_rows(args.events, redis_url):
        if "error" in row:
            print(f"{row['bus']:<8}  unavailable: {row['error']}")
        else:
            print(f"{row['bus']:<8}{row['p50_ms']:>10.3f}{row['p95_ms']:>10.3f}{row['mean_ms']:>10.3f}")


if __name__ == "__main__":
    main()
