"""PoliteFetcher against a real HTTP server on 127.0.0.1: caps, timeouts, redirects, statuses,
conditional GET and robots.txt."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from newsdesk.monitor.fetch import (
    BlockedAddress,
    FetchResult,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    PoliteFetcher,
    ResponseTooLarge,
    RobotsCache,
    RobotsDisallowed,
    TooManyRedirects,
)
from newsdesk.settings import Settings
from tests.localserver import LocalServer

MB = 1_000_000


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


def fetch(settings: Settings, url: str, **kwargs: Any) -> FetchResult:
    """Run one fetch in a fresh fetcher (private addresses allowed unless told otherwise)."""
    kwargs.setdefault("allow_private", True)

    async def go() -> FetchResult:
        async with PoliteFetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(go())


def fetch_many(settings: Settings, urls: list[str], **kwargs: Any) -> list[FetchResult]:
    """Fetch several URLs concurrently through one fetcher, the way the poller does."""
    kwargs.setdefault("allow_private", True)

    async def go() -> list[FetchResult]:
        async with PoliteFetcher(settings) as fetcher:
            return list(await asyncio.gather(*(fetcher.fetch(u, **kwargs) for u in urls)))

    return asyncio.run(go())


def redirect(location: str, status: int = 302) -> Any:
    def fn(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return fn


def paths(server: LocalServer) -> list[str]:
    return [path for _method, path, _headers in server.requests]


# -- basics ------------------------------------------------------------------


def test_plain_fetch(settings: Settings, server: LocalServer) -> None:
    url = server.static("/page", b"<p>invented page</p>", headers={"X-Demo": "yes"})
    result = fetch(settings, url, accept="text/html")
    assert result.ok and result.error is None
    assert result.status == 200
    assert result.body == b"<p>invented page</p>"
    assert result.content_type == "text/html"
    assert result.headers["x-demo"] == "yes"
    assert result.final_url == url and result.redirects == []
    assert result.elapsed > 0
    _method, _path, headers = server.requests[0]
    assert headers["User-Agent"] == settings.user_agent
    assert headers["Accept"] == "text/html"


def test_empty_200_is_ok_with_empty_body(settings: Settings, server: LocalServer) -> None:
    result = fetch(settings, server.static("/empty", b""))
    assert result.ok and result.status == 200 and result.body == b""
    assert result.text() == ""


def test_private_address_refused_without_allow_private(
    settings: Settings, server: LocalServer
) -> None:
    url = server.static("/secret", b"internal")
    result = fetch(settings, url, allow_private=False)
    assert isinstance(result.error, BlockedAddress)
    assert result.error.reason == "127.0.0.1 refused: loopback address"
    assert not result.ok and result.status is None and result.body == b""
    assert server.requests == []


def test_invalid_scheme_is_an_error_not_an_exception(settings: Settings) -> None:
    result = fetch(settings, "file:///etc/passwd")
    assert isinstance(result.error, InvalidURL)


def test_connection_refused_is_reported(settings: Settings) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(settings, f"http://127.0.0.1:{port}/gone")
    assert result.error is not None and "127.0.0.1" in result.error.reason


# -- size cap ----------------------------------------------------------------


def _stream_50mb(sent: list[int], done: threading.Event, *, declare_length: bool) -> Any:
    chunk = b"x" * 65536

    def fn(h: BaseHTTPRequestHandler) -> None:
        try:
            h.send_response(200)
            h.send_header("Content-Type", "application/octet-stream")
            if declare_length:
                h.send_header("Content-Length", str(50 * MB))
            else:
                h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            while sent[0] < 50 * MB:
                frame = chunk if declare_length else b"10000\r\n" + chunk + b"\r\n"
                h.wfile.write(frame)
                sent[0] += len(chunk)
            if not declare_length:
                h.wfile.write(b"0\r\n\r\n")
        finally:
            done.set()

    return fn


@pytest.mark.parametrize("declare_length", [False, True], ids=["chunked", "content-length"])
def test_50mb_response_is_cut_off(
    settings: Settings, server: LocalServer, declare_length: bool
) -> None:
    sent, done = [0], threading.Event()
    url = server.route("/big", _stream_50mb(sent, done, declare_length=declare_length))
    small = settings.model_copy(update={"max_response_bytes": MB})
    started = time.monotonic()
    result = fetch(small, url)
    assert time.monotonic() - started < 10
    assert isinstance(result.error, ResponseTooLarge)
    assert result.error.reason.startswith("response larger than 1000000 bytes")
    if declare_length:
        assert "Content-Length 50000000" in result.error.reason
    assert result.body == b"" and not result.ok
    # The server notices the closed connection long before it has sent 50 MB.
    assert done.wait(10)
    assert sent[0] < 50 * MB


# -- timeouts ----------------------------------------------------------------


def test_trickling_server_hits_total_timeout(settings: Settings, server: LocalServer) -> None:
    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "30")
        h.end_headers()
        for _ in range(30):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(1)

    url = server.route("/trickle", trickle)
    slow = settings.model_copy(update={"total_timeout": 2.0, "read_timeout": 3.0})
    started = time.monotonic()
    result = fetch(slow, url)
    took = time.monotonic() - started
    assert isinstance(result.error, FetchTimeout)
    assert result.error.reason == "timed out after 2.0 s (total)"
    assert took < 10
    assert result.elapsed < 10


def test_silent_server_hits_read_timeout(settings: Settings, server: LocalServer) -> None:
    def silent(h: BaseHTTPRequestHandler) -> None:
        time.sleep(1.5)
        h.send_response(200)
        h.send_header("Content-Length", "0")
        h.end_headers()

    url = server.route("/silent", silent)
    result = fetch(settings.model_copy(update={"read_timeout": 0.3}), url)
    assert isinstance(result.error, FetchTimeout)
    assert result.error.reason == "timed out after 0.3 s (read)"


# -- redirects ---------------------------------------------------------------


def test_relative_redirect_is_followed(settings: Settings, server: LocalServer) -> None:
    target = server.static("/feed.xml", b"<rss/>", content_type="application/rss+xml")
    server.route("/old", redirect("/feed.xml", 301))
    result = fetch(settings, server.url("/old"))
    assert result.ok and result.body == b"<rss/>"
    assert result.redirects == [target] and result.final_url == target
    assert paths(server) == ["/old", "/feed.xml"]


def test_redirect_loop(settings: Settings, server: LocalServer) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    result = fetch(settings, server.url("/a"))
    assert isinstance(result.error, TooManyRedirects)
    assert "loop" in result.error.reason
    assert len(server.requests) == 2


def test_redirect_chain_longer_than_max(settings: Settings, server: LocalServer) -> None:
    def chain(h: BaseHTTPRequestHandler) -> None:
        n = int(h.path.split("n=", 1)[1])
        redirect(f"/chain?n={n + 1}")(h)

    server.route("/chain", chain)
    result = fetch(settings.model_copy(update={"max_redirects": 3}), server.url("/chain?n=0"))
    assert isinstance(result.error, TooManyRedirects)
    assert result.error.reason.startswith("more than 3 redirects")
    assert len(server.requests) == 4  # the original plus three followed hops


def test_redirect_to_cloud_metadata_refused_even_when_private_allowed(
    settings: Settings, server: LocalServer
) -> None:
    metadata = "http://169.254.169.254/latest/meta-data/"
    url = server.route("/innocent", redirect(metadata))
    result = fetch(settings, url, allow_private=True)
    assert isinstance(result.error, BlockedAddress)
    assert result.error.reason == "redirect to 169.254.169.254 refused: link-local address"
    assert result.status == 302 and result.redirects == [metadata]
    # Refused by the guard before any connection attempt (an attempt would end in a
    # ConnectionFailed or FetchTimeout instead); the only request made was the first one.
    assert paths(server) == ["/innocent"]


def test_redirect_to_other_scheme_refused(settings: Settings, server: LocalServer) -> None:
    url = server.route("/file", redirect("file:///etc/passwd"))
    result = fetch(settings, url)
    assert isinstance(result.error, InvalidURL)
    assert result.error.reason.startswith("redirect refused")


# -- statuses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
    ],
)
def test_error_statuses(settings: Settings, server: LocalServer, status: int, reason: str) -> None:
    url = server.static("/s", b"oops", status=status)
    result = fetch(settings, url)
    assert isinstance(result.error, HTTPStatusError)
    assert result.error.status == status and result.status == status
    assert result.error.reason == reason
    assert result.body == b"oops"  # kept for diagnosis
    assert result.retry_after is None and not result.ok


def test_huge_error_page_is_still_a_status_error(settings: Settings, server: LocalServer) -> None:
    url = server.static("/big404", b"x" * (3 * MB), status=404)
    result = fetch(settings.model_copy(update={"max_response_bytes": MB}), url)
    assert isinstance(result.error, HTTPStatusError) and result.error.status == 404
    assert len(result.body) == 65_536


def test_429_with_retry_after_seconds(settings: Settings, server: LocalServer) -> None:
    url = server.static("/busy", b"", status=429, headers={"Retry-After": "120"})
    result = fetch(settings, url)
    assert isinstance(result.error, HTTPStatusError)
    assert result.error.reason == "HTTP 429 Too Many Requests (retry after 120 s)"
    assert result.retry_after == 120.0 and result.error.retry_after == 120.0


def test_503_with_retry_after_date(settings: Settings, server: LocalServer) -> None:
    from email.utils import formatdate

    when = formatdate(time.time() + 3600, usegmt=True)
    url = server.static("/down", b"", status=503, headers={"Retry-After": when})
    result = fetch(settings, url)
    assert isinstance(result.error, HTTPStatusError) and result.error.status == 503
    assert result.retry_after is not None and 3500 < result.retry_after <= 3600


# -- conditional GET ---------------------------------------------------------


def test_etag_last_modified_round_trip(settings: Settings, server: LocalServer) -> None:
    etag, modified = '"v1"', "Tue, 03 Mar 2026 10:00:00 GMT"

    def feed(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        body = b"<rss>invented</rss>"
        h.send_response(200)
        h.send_header("ETag", etag)
        h.send_header("Last-Modified", modified)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    url = server.route("/feed", feed)
    first = fetch(settings, url)
    assert first.ok and first.headers["etag"] == etag
    second = fetch(
        settings, url, etag=first.headers["etag"], last_modified=first.headers["last-modified"]
    )
    assert second.not_modified and second.status == 304
    assert second.error is None and not second.ok and second.body == b""
    _m, _p, sent = server.requests[1]
    assert sent["If-None-Match"] == etag and sent["If-Modified-Since"] == modified


# -- robots.txt --------------------------------------------------------------


ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: Newsdesk\nDisallow: /nd-only/\n"


def test_robots_disallow_prevents_fetch(settings: Settings, server: LocalServer) -> None:
    server.static("/robots.txt", ROBOTS, content_type="text/plain")
    server.static("/nd-only/a", b"page")
    server.static("/private/a", b"page")
    server.static("/public/a", b"page")
    urls = ["/nd-only/a", "/public/a", "/public/b", "/private/a"]
    results = fetch_many(settings, [server.url(u) for u in urls], check_robots=True)
    blocked, allowed, missing, other_group = results
    assert isinstance(blocked.error, RobotsDisallowed)
    assert "robots.txt disallows" in blocked.error.reason
    assert allowed.ok
    assert isinstance(missing.error, HTTPStatusError)  # allowed by robots, then 404
    assert other_group.ok  # our own User-agent group applies, not the '*' one
    assert "/nd-only/a" not in paths(server)
    assert paths(server).count("/robots.txt") == 1  # cached per host


def test_robots_not_checked_unless_asked(settings: Settings, server: LocalServer) -> None:
    server.static("/robots.txt", b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    url = server.static("/feed", b"<rss/>")
    assert fetch(settings, url).ok
    assert isinstance(fetch(settings, url, check_robots=True).error, RobotsDisallowed)
    assert fetch(settings.model_copy(update={"respect_robots": False}), url, check_robots=True).ok


def test_missing_robots_allows_all(settings: Settings, server: LocalServer) -> None:
    url = server.static("/article", b"page")
    assert fetch(settings, url, check_robots=True).ok
    assert paths(server) == ["/robots.txt", "/article"]


def test_robots_server_error_disallows_for_now(settings: Settings, server: LocalServer) -> None:
    server.static("/robots.txt", b"", status=503)
    url = server.static("/article", b"page")
    result = fetch(settings, url, check_robots=True)
    assert isinstance(result.error, RobotsDisallowed)
    assert "HTTP 503" in result.error.reason
    assert "/article" not in paths(server)


def test_robots_on_unreachable_host_reports_the_real_failure(settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(settings, f"http://127.0.0.1:{port}/article", check_robots=True)
    assert result.error is not None and not isinstance(result.error, RobotsDisallowed)
    assert result.error.reason.endswith("(while fetching robots.txt)")


def test_robots_on_blocked_host_reports_blocked(settings: Settings, server: LocalServer) -> None:
    url = server.static("/article", b"page")
    result = fetch(settings, url, check_robots=True, allow_private=False)
    assert isinstance(result.error, BlockedAddress)
    assert result.error.reason.startswith("127.0.0.1 refused: loopback address")
    assert server.requests == []


def test_robots_cache_survives_fetchers_and_event_loops(
    settings: Settings, server: LocalServer
) -> None:
    server.static("/robots.txt", ROBOTS, content_type="text/plain")
    server.static("/public/a", b"page")
    cache = RobotsCache(settings.user_agent)

    async def one_cycle() -> list[FetchResult]:
        async with PoliteFetcher(settings, robots=cache) as fetcher:
            urls = [server.url("/public/a"), server.url("/nd-only/x")]
            return list(
                await asyncio.gather(
                    *(fetcher.fetch(u, allow_private=True, check_robots=True) for u in urls)
                )
            )

    for _ in range(2):  # two polling cycles, each in its own event loop
        ok, blocked = asyncio.run(one_cycle())
        assert ok.ok and isinstance(blocked.error, RobotsDisallowed)
    assert paths(server).count("/robots.txt") == 1
