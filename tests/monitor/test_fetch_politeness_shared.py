"""One politeness state per host for the whole process: the minimum delay holds across
batches, between the poll and read stages, and between fetchers in different threads.

A real server on 127.0.0.1 records when each request arrives."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from itertools import pairwise

import pytest
from sqlalchemy import select

from newsdesk.monitor import stage as poll_stage
from newsdesk.monitor.fetch import FetchResult, PoliteFetcher
from newsdesk.monitor.fetch.politeness import HostPoliteness, shared_politeness
from newsdesk.monitor.sources import add_source
from newsdesk.read import stage as read_stage
from newsdesk.settings import Settings
from newsdesk.store import Article, open_store
from tests.feedkit import INVENTED, page_html, rfc822, rss
from tests.localserver import LocalServer

DELAY = 0.4
# Arrival times are read by the server's thread after the request crossed loopback, so on a
# busy machine one arrival can be logged late and the next gap looks short. A fetcher without
# shared state sends back-to-back batches ~0 s apart: a gap floor well above that and a total
# span of the whole delay tell the two apart without timing flakes.
JITTER = 0.1
GAP_FLOOR = 0.6 * DELAY


class ArrivalLog:
    """Serves fixed bodies and records (monotonic arrival time, path) of every request."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.arrivals: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def serve(self, path: str, body: bytes, content_type: str, hold: float = 0.0) -> str:
        def fn(h: BaseHTTPRequestHandler) -> None:
            with self._lock:
                self.arrivals.append((time.monotonic(), h.path))
                self.in_flight += 1
                self.peak = max(self.peak, self.in_flight)
            try:
                time.sleep(hold)
                h.send_response(200)
                h.send_header("Content-Type", content_type)
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.wfile.write(body)
            finally:
                with self._lock:
                    self.in_flight -= 1

        return self.server.route(path, fn)

    def gaps(self) -> list[float]:
        times = sorted(t for t, _ in self.arrivals)
        return [b - a for a, b in pairwise(times)]


def assert_spaced(log: ArrivalLog, requests: int) -> None:
    """Every request to the host arrived at least the delay after the one before it."""
    gaps = log.gaps()
    assert len(gaps) == requests - 1
    assert min(gaps) >= GAP_FLOOR, gaps
    assert sum(gaps) >= (requests - 1) * DELAY - JITTER, gaps


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def polite(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"per_host_delay": DELAY, "per_host_concurrency": 2, "respect_robots": False}
    )


def _fetch_batch(settings: Settings, urls: list[str]) -> list[FetchResult]:
    """One batch as a stage runs it: a new fetcher under a new event loop."""

    async def go() -> list[FetchResult]:
        async with PoliteFetcher(settings) as fetcher:
            return list(await asyncio.gather(*(fetcher.fetch(u, allow_private=True) for u in urls)))

    return asyncio.run(go())


def test_delay_holds_across_consecutive_batches(server: LocalServer, polite: Settings) -> None:
    log = ArrivalLog(server)
    urls = [log.serve(f"/p{i}", b"ok", "text/plain") for i in range(4)]
    for url in urls:  # four batches of one request, back to back
        assert _fetch_batch(polite, [url])[0].ok
    assert len(log.arrivals) == 4
    assert_spaced(log, 4)


def test_delay_holds_within_and_across_batches(server: LocalServer, polite: Settings) -> None:
    log = ArrivalLog(server)
    urls = [log.serve(f"/q{i}", b"ok", "text/plain") for i in range(6)]
    assert all(r.ok for r in _fetch_batch(polite, urls[:3]))
    assert all(r.ok for r in _fetch_batch(polite, urls[3:]))
    assert len(log.arrivals) == 6
    assert_spaced(log, 6)


def test_other_hosts_are_not_delayed() -> None:
    """The delay is per host: a request to another host starts at once."""

    async def go() -> tuple[float, float]:
        registry = HostPoliteness()
        started = time.monotonic()
        async with registry.slot("a.example", concurrency=2, delay=DELAY):
            pass
        async with registry.slot("b.example", concurrency=2, delay=DELAY):
            other = time.monotonic() - started
        async with registry.slot("a.example", concurrency=2, delay=DELAY):
            same = time.monotonic() - started
        return other, same

    other, same = asyncio.run(go())
    assert other < DELAY / 2 and same >= DELAY - JITTER


def test_poll_then_read_keep_the_delay(server: LocalServer, polite: Settings) -> None:
    """The poll stage's feed request and the read stage's page requests, to one host."""
    log = ArrivalLog(server)
    t0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    items = []
    for i in range(3):
        text = f"Invented item {i} of a test feed about a harbour crane. {INVENTED}"
        link = log.serve(
            f"/news/{i}", page_html(f"Harbour crane inspection, part {i}", text * 8), "text/html"
        )
        # a one-line summary: the read stage must fetch the page for the full text
        items.append({"title": f"Crane {i}", "link": link, "pubDate": rfc822(t0)})
    feed = log.serve("/feed.xml", rss(items), "application/rss+xml")
    store = open_store(polite)
    with store.session() as s:
        add_source(s, feed, allow_private=True)
    polled = poll_stage.run(store, polite, now=t0)
    read = read_stage.run(store, polite, now=t0)
    assert polled.polled == 1 and read.articles == 3 and read.pages_fetched == 3, (polled, read)
    with store.reader() as s:
        assert len(s.scalars(select(Article)).all()) == 3
    store.dispose()
    paths = [p for _, p in sorted(log.arrivals)]
    assert paths[0] == "/feed.xml" and sorted(paths[1:]) == ["/news/0", "/news/1", "/news/2"]
    assert_spaced(log, 4)


def test_per_host_concurrency_holds_across_fetchers_in_threads(
    server: LocalServer, polite: Settings
) -> None:
    """Two workers, each with its own fetcher and loop, share the host's two slots."""
    log = ArrivalLog(server)
    urls = [log.serve(f"/t{i}", b"ok", "text/plain", hold=0.2) for i in range(8)]
    busy = polite.model_copy(update={"per_host_delay": 0.0, "per_host_concurrency": 2})
    results: list[FetchResult] = []
    workers = [
        threading.Thread(target=lambda part=part: results.extend(_fetch_batch(busy, part)))
        for part in (urls[:4], urls[4:])
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=30)
    assert len(results) == 8 and all(r.ok for r in results)
    assert log.peak == 2  # each fetcher alone would allow two: together still two
    assert shared_politeness().in_flight("127.0.0.1") == 0


def test_a_fresh_registry_is_independent() -> None:
    """Tests and tools may pass their own registry; it shares nothing with the process one."""

    async def go() -> tuple[float, float]:
        mine = HostPoliteness()
        started = time.monotonic()
        async with mine.slot("h.example", concurrency=1, delay=0.3):
            pass
        async with mine.slot("h.example", concurrency=1, delay=0.3):
            second = time.monotonic() - started
        async with shared_politeness().slot("h.example", concurrency=1, delay=0.0):
            third = time.monotonic() - started - second
        return second, third

    second, third = asyncio.run(go())
    assert second >= 0.3 - JITTER and third < 0.2
