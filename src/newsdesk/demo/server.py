"""A local HTTP server for the demo: outlet feeds and article pages gated by a simulated clock."""

from __future__ import annotations

import argparse
import hashlib
import logging
import threading
import time
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newsdesk.demo.corpus import DemoArticle, DemoCorpus, load_corpus
from newsdesk.demo.feeds import render_feed
from newsdesk.demo.pages import render_article_page, render_index_page, render_opml

logger = logging.getLogger(__name__)

FEED_MAX_AGE = 300
PAGE_MAX_AGE = 3600
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\nAllow: /\n"
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
MALFORMED_XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    "<title>Broken & unescaped <feed</title><description>cut off mid-tag <<"
)
# Hostile sources: path -> (name, what the demo should record about it).
HOSTILE_SOURCES = {
    "/hostile/malformed.xml": "Hostile: malformed XML",
    "/hostile/gone.xml": "Hostile: 410 Gone",
    "/hostile/metadata-redirect.xml": "Hostile: redirect to cloud metadata address",
    "/hostile/flaky.xml": "Hostile: 500 server error",
    "/hostile/empty.xml": "Hostile: empty response",
}


class DemoFeedServer:
    """ThreadingHTTPServer in a daemon thread serving the corpus as of `.clock`."""

    def __init__(self, corpus: DemoCorpus, host: str = "127.0.0.1", port: int = 0) -> None:
        self.corpus = corpus
        self._lock = threading.Lock()
        self._clock = corpus.end
        self.counts: Counter[int] = Counter()
        # The newest requests, bounded so a long-running standalone server does not grow.
        self.requests: deque[tuple[str, str, int]] = deque(maxlen=10_000)
        self._by_path = {a.path: a for a in corpus.articles}
        self._outlets = {o.id: o for o in corpus.outlets}
        self.httpd = ThreadingHTTPServer((host, port), self._make_handler())
        self.httpd.daemon_threads = True
        bound_host, bound_port = self.httpd.server_address[:2]
        self.base_url = f"http://{bound_host!s}:{bound_port}"
        self._thread: threading.Thread | None = None

    # -- clock -----------------------------------------------------------------
    @property
    def clock(self) -> datetime:
        """Simulated now: only articles published at or before it are served."""
        with self._lock:
            return self._clock

    @clock.setter
    def clock(self, value: datetime) -> None:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        with self._lock:
            self._clock = value

    def advance(self, hours: float) -> datetime:
        """Move the simulated clock forward and return the new time."""
        with self._lock:
            self._clock = self._clock + timedelta(hours=hours)
            return self._clock

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> DemoFeedServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), name="demo-feed-server", daemon=True
        )
        self._thread.start()
        logger.info("demo feed server at %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> DemoFeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the demo registers ---------------------------------------------------
    def feed_url(self, outlet_id: str) -> str:
        """Return the feed URL of an outlet."""
        return f"{self.base_url}/{outlet_id}/feed"

    def source_specs(self) -> list[dict[str, Any]]:
        """Return one source spec per outlet feed plus the hostile sources."""
        specs: list[dict[str, Any]] = [
            {
                "url": self.feed_url(o.id),
                "kind": "feed",
                "outlet": o.name,
                "language": o.lang,
                "country": o.country,
                "reliability_tier": o.tier,
                "allow_private": True,
            }
            for o in self.corpus.outlets
        ]
        specs.extend(
            {
                "url": self.base_url + path,
                "kind": "feed",
                "outlet": name,
                "language": None,
                "country": None,
                "reliability_tier": 3,
                "allow_private": True,
            }
            for path, name in HOSTILE_SOURCES.items()
        )
        return specs

    def served(self, status: int) -> int:
        """Return how many responses with this status were served."""
        with self._lock:
            return self.counts[status]

    def _record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.counts[status] += 1
            self.requests.append((method, path, status))

    # -- responses -----------------------------------------------------------------
    def respond(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Return (status, headers, body) for a GET of `path` at the current clock."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        now = self.clock
        if path in HOSTILE_SOURCES:
            return respond_hostile(path)
        if path == "/robots.txt":
            return _ok(ROBOTS_TXT, "text/plain; charset=utf-8", PAGE_MAX_AGE)
        if path == "/":
            return _ok(render_index_page(self.corpus, self.base_url), "text/html; charset=utf-8")
        if path == "/demo.opml":
            return _ok(render_opml(self.corpus, self.base_url), "text/x-opml; charset=utf-8")
        if path.startswith("/private/"):
            return _text(403, "forbidden")
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[1] == "feed" and parts[0] in self._outlets:
            return self._respond_feed(parts[0], now, headers)
        article = self._by_path.get(path)
        if article is not None and article.published <= now:
            return self._respond_page(article, now, headers)
        return _text(404, "not found")

    def _respond_feed(
        self, outlet_id: str, now: datetime, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        outlet = self._outlets[outlet_id]
        articles = self.corpus.articles_of(outlet_id, until=now)
        newest = articles[0].published if articles else self.corpus.start
        body, ctype = render_feed(outlet, articles, self.base_url, newest)
        return _conditional(body.encode("utf-8"), ctype, newest, headers, FEED_MAX_AGE)

    def _respond_page(
        self, article: DemoArticle, now: datetime, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        outlet = self._outlets[article.outlet]
        others = [a for a in self.corpus.articles_of(outlet.id, until=now) if a.id != article.id]
        related = [a for a in others if a.story == article.story][:4]
        most_read = [a for a in others if a.story != article.story][:5]
        html = render_article_page(article, outlet, self.base_url, most_read, related)
        return _conditional(
            html.encode("utf-8"),
            "text/html; charset=utf-8",
            article.published,
            headers,
            PAGE_MAX_AGE,
        )

    def _make_handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "NewsdeskDemo/0.1"

            def _serve(self) -> None:
                try:
                    status, headers, body = server.respond(self.path, dict(self.headers.items()))
                except Exception:
                    logger.exception("demo server failed on %s", self.path)
                    status, headers, body = _text(500, "internal error")
                server._record(self.command, self.path, status)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if status != 304 or body:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD" and status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _serve
            do_HEAD = _serve

            def log_message(self, format: str, *args: object) -> None:
                logger.debug("demo server: " + format, *args)

        return _Handler


def _ok(
    body: str, content_type: str, max_age: int = FEED_MAX_AGE
) -> tuple[int, dict[str, str], bytes]:
    return (
        200,
        {"Content-Type": content_type, "Cache-Control": f"max-age={max_age}"},
        body.encode("utf-8"),
    )


def _text(status: int, message: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, message.encode("utf-8")


def _header(headers: dict[str, str], name: str) -> str | None:
    lname = name.lower()
    for k, v in headers.items():
        if k.lower() == lname:
            return v
    return None


def _conditional(
    body: bytes, content_type: str, modified: datetime, headers: dict[str, str], max_age: int
) -> tuple[int, dict[str, str], bytes]:
    """Return 304 when the client's validators match, else 200 with ETag and Last-Modified."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    out = {
        "Content-Type": content_type,
        "Cache-Control": f"max-age={max_age}",
        "ETag": etag,
        "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True),
    }
    inm = _header(headers, "If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        if etag in tags or "*" in tags:
            return 304, out, b""
        return 200, out, body
    ims = _header(headers, "If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            since = None
        if since is not None and since.tzinfo is not None and modified <= since:
            return 304, out, b""
    return 200, out, body


def respond_hostile(path: str) -> tuple[int, dict[str, str], bytes]:
    """Return the deliberately bad response of a hostile source."""
    rss = "application/rss+xml; charset=utf-8"
    if path == "/hostile/malformed.xml":
        return 200, {"Content-Type": rss}, MALFORMED_XML.encode("utf-8")
    if path == "/hostile/gone.xml":
        return _text(410, "this feed is gone for good")
    if path == "/hostile/metadata-redirect.xml":
        return 302, {"Location": METADATA_URL, "Content-Type": "text/plain"}, b"moved"
    if path == "/hostile/flaky.xml":
        return _text(500, "internal server error")
    return 200, {"Content-Type": rss}, b""


def main(argv: list[str] | None = None) -> None:
    """Serve the packaged demo corpus until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m newsdesk.demo.server",
        description="Serve the invented Newsdesk demo corpus as feeds and pages on 127.0.0.1.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clock", help="simulated now, ISO 8601 (default: the corpus end)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = DemoFeedServer(load_corpus(), host=args.host, port=args.port)
    if args.clock:
        server.clock = datetime.fromisoformat(args.clock)
    server.start()
    print(f"Newsdesk demo feeds (invented news) at {server.base_url}/  clock {server.clock}")
    for spec in server.source_specs():
        print(f"  {spec['url']}  {spec['outlet']}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
