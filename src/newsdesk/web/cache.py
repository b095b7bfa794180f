"""A short-lived cache of public pages for readers without a session.

A page costs several queries and a template render; readers arrive in bursts and see the same
pages. Pages are kept for `page_cache_seconds` and dropped at once when anything is POSTed in
this process (a desk or API action), so an editor's change shows on the next request here; in
other processes it shows within the cache lifetime.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = b"nd_session"
# a member's pages may hold members-only text: never served from, or stored in, the cache
MEMBER_COOKIE = b"nd_member"
CACHEABLE_TYPES = (b"text/html", b"application/xml", b"text/xml")


@dataclass
class CachedPage:
    """One response as it was sent."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored_at: float


class PageCache:
    """An LRU of rendered pages with a lifetime, cleared by any write."""

    def __init__(self, seconds: float, max_pages: int = 512) -> None:
        self.seconds = seconds
        self.max_pages = max_pages
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedPage | None:
        page = self._pages.get(key)
        if page is None or time.monotonic() - page.stored_at > self.seconds:
            self._pages.pop(key, None)
            self.misses += 1
            return None
        self._pages.move_to_end(key)
        self.hits += 1
        return page

    def peek(self, key: str) -> CachedPage | None:
        """A fresh page without counting a hit or a miss."""
        page = self._pages.get(key)
        if page is None or time.monotonic() - page.stored_at > self.seconds:
            return None
        return page

    def put(self, key: str, page: CachedPage) -> None:
        self._pages[key] = page
        self._pages.move_to_end(key)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()


def _is_public_get(scope: Scope) -> bool:
    if scope["method"] not in ("GET", "HEAD"):
        return False
    path: str = scope["path"]
    if path.startswith(("/desk", "/api", "/static")):
        return False
    for name, value in scope.get("headers", []):
        if name == b"cookie" and (SESSION_COOKIE in value or MEMBER_COOKIE in value):
            return False
        if name == b"authorization":
            return False
    return True


class PageCacheMiddleware:
    """Serve public GET pages from a PageCache; any non-GET request clears it."""

    def __init__(self, app: ASGIApp, cache: PageCache) -> None:
        self.app = app
        self.cache = cache
        self._rendering: dict[str, asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.cache.seconds <= 0:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            self.cache.clear()
            await self.app(scope, receive, send)
            self.cache.clear()
            return
        if not _is_public_get(scope):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        key = f"{scope['method']} {scope['path']}?{query}"
        page = self.cache.get(key)
        if page is None:
            # one render per page when it expires: the readers who arrive meanwhile wait for
            # it instead of all rendering the same page at once
            lock = self._rendering.setdefault(key, asyncio.Lock())
            try:
                async with lock:
                    page = self.cache.peek(key)
                    if page is None:
                        await self._render(key, scope, receive, send)
                        return
            finally:
                if not lock.locked():
                    self._rendering.pop(key, None)
        await send({"type": "http.response.start", "status": page.status, "headers": page.headers})
        await send({"type": "http.response.body", "body": page.body})

    async def _render(self, key: str, scope: Scope, receive: Receive, send: Send) -> None:
        started: dict[str, Message] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started["start"] = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        start = started.get("start")
        if start is None or start["status"] != 200:
            return
        headers = list(start.get("headers", []))
        content_type = next((v for k, v in headers if k == b"content-type"), b"")
        if not content_type.startswith(CACHEABLE_TYPES):
            return
        if any(k == b"set-cookie" for k, _ in headers):
            return
        self.cache.put(key, CachedPage(200, headers, b"".join(chunks), time.monotonic()))


def _has_personal_cookie(scope: Scope) -> bool:
    return any(
        name == b"cookie" and (SESSION_COOKIE in value or MEMBER_COOKIE in value)
        for name, value in scope.get("headers", [])
    )


class PrivatePagesMiddleware:
    """Tell every cache between us and the reader what our page cache already knows: a page
    shown to a signed-in member or editor is theirs alone (`private, no-store`), and any page
    may differ by cookie (`Vary: Cookie`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static"):
            await self.app(scope, receive, send)
            return
        personal = _has_personal_cookie(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                current = next((v for k, v in headers if k.lower() == b"cache-control"), b"")
                if personal and b"no-store" not in current:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"private, no-store"))
                if b"vary" not in present:
                    headers.append((b"vary", b"Cookie"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
