"""Per-host concurrency, per-host delay and the global cap, counted by a real server."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from newsdesk.monitor.fetch import FetchResult, PoliteFetcher
from newsdesk.settings import Settings
from tests.localserver import LocalServer


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LocalServer]:
    """One server for the module: stopping a LocalServer takes ~0.5 s, too slow per test."""
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def server(shared_server: LocalServer) -> LocalServer:
    """The shared server with no routes and an empty request log."""
    shared_server.routes.clear()
    shared_server.requests.clear()
    return shared_server


class ConcurrencyCounter:
    """A handler that holds each request briefly and records the peak number in flight."""

    def __init__(self, hold: float = 0.15) -> None:
        self.hold = hold
        self.in_flight = 0
        self.peak = 0
        self.starts: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.starts.append(time.monotonic())
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(self.hold)
            body = b"ok"
            h.send_response(200)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        finally:
            with self._lock:
                self.in_flight -= 1


def fetch_many(settings: Settings, urls: list[str], **kwargs: Any) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        async with PoliteFetcher(settings) as fetcher:
            return list(
                await asyncio.gather(
                    *(fetcher.fetch(u, allow_private=True, **kwargs) for u in urls)
                )
            )

    return asyncio.run(go())


def test_per_host_concurrency_cap(settings: Settings, server: LocalServer) -> None:
    counter = ConcurrencyCounter()
    server.route("/slow", counter)
    capped = settings.model_copy(update={"per_host_concurrency": 2, "fetch_concurrency": 16})
    results = fetch_many(capped, [server.url(f"/slow?i={i}") for i in range(8)])
    assert all(r.ok for r in results)
    assert len(counter.starts) == 8
    assert counter.peak == 2  # never more than the cap, and the cap is actually used


def test_global_concurrency_cap(settings: Settings, server: LocalServer) -> None:
    counter = ConcurrencyCounter()
    server.route("/slow", counter)
    capped = settings.model_copy(update={"per_host_concurrency": 10, "fetch_concurrency": 3})
    results = fetch_many(capped, [server.url(f"/slow?i={i}") for i in range(9)])
    assert all(r.ok for r in results)
    assert counter.peak == 3


def test_per_host_delay_spaces_request_starts(settings: Settings, server: LocalServer) -> None:
    counter = ConcurrencyCounter(hold=0.0)
    server.route("/feed", counter)
    delayed = settings.model_copy(update={"per_host_delay": 0.3, "per_host_concurrency": 4})
    results = fetch_many(delayed, [server.url(f"/feed?i={i}") for i in range(4)])
    assert all(r.ok for r in results)
    starts = sorted(counter.starts)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # 0.3 s is enforced between request starts; the server sees arrivals with a little jitter.
    assert len(gaps) == 3 and min(gaps) > 0.2


def test_robots_fetch_counts_toward_per_host_delay(settings: Settings, server: LocalServer) -> None:
    """robots.txt goes through the same per-host slots as pages."""
    counter = ConcurrencyCounter(hold=0.0)
    server.route("/article", counter)

    def robots(h: BaseHTTPRequestHandler) -> None:
        counter.starts.append(time.monotonic())
        h.send_response(404)
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.route("/robots.txt", robots)
    delayed = settings.model_copy(update={"per_host_delay": 0.25})
    results = fetch_many(delayed, [server.url("/article")], check_robots=True)
    assert results[0].ok
    assert len(counter.starts) == 2
    assert counter.starts[1] - counter.starts[0] > 0.15
