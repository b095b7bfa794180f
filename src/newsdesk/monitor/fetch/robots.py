"""robots.txt: fetch once per origin, cache, and decide with protego (RFC 9309 semantics).

Missing or 4xx robots.txt means everything is allowed; 5xx, 429 or an unreachable robots.txt
means everything is disallowed for now (cached briefly, then tried again).
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from protego import Protego

from newsdesk.monitor.fetch.errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    RobotsDisallowed,
)

if TYPE_CHECKING:
    from newsdesk.monitor.fetch.client import FetchResult

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks crawlers to parse at least 500 KiB
ROBOTS_TTL = 24 * 3600.0
ROBOTS_FAILURE_TTL = 600.0

LoadRobots = Callable[[str], Awaitable["FetchResult"]]
# Failures that would hit the page just the same: report them as themselves, not as robots.
_PAGE_FAILURES = (BlockedAddress, InvalidURL, ConnectionFailed, FetchTimeout)


@dataclass
class RobotsRules:
    """What one origin's robots.txt allows; `parser` None means the `blanket` verdict applies."""

    robots_url: str
    parser: Protego | None
    blanket_allow: bool
    note: str
    expires_at: float
    failure: FetchError | None = None

    def is_allowed(self, url: str, user_agent: str) -> bool:
        """True if `user_agent` may fetch `url` under these rules."""
        if self.parser is None:
            return self.blanket_allow
        return bool(self.parser.can_fetch(url, user_agent))


def robots_url_for(url: str) -> str:
    """The robots.txt URL of `url`'s origin (scheme, host and port)."""
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}/robots.txt"


def rules_from_result(robots_url: str, result: FetchResult, now: float) -> RobotsRules:
    """Turn the fetch of a robots.txt into rules, following RFC 9309's status semantics."""
    error = result.error
    if error is None and result.status is not None and 200 <= result.status < 300:
        parser = Protego.parse(result.text())
        return RobotsRules(robots_url, parser, True, "", now + ROBOTS_TTL)
    if isinstance(error, HTTPStatusError) and 400 <= error.status < 500 and error.status != 429:
        note = f"no robots.txt (HTTP {error.status}): all allowed"
        return RobotsRules(robots_url, None, True, note, now + ROBOTS_TTL)
    reason = error.reason if error is not None else f"unexpected status {result.status}"
    note = f"robots.txt unreachable ({reason}): disallowed for now"
    return RobotsRules(robots_url, None, False, note, now + ROBOTS_FAILURE_TTL, error)


class RobotsCache:
    """Per-origin robots.txt rules, fetched at most once at a time and cached with a TTL.

    Keep one for the life of the process and hand it to each PoliteFetcher, so robots.txt is
    not fetched again every polling cycle; it is safe to reuse across event loops.
    """

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._rules: dict[str, RobotsRules] = {}
        # asyncio locks belong to one event loop; keep a set per loop.
        self._locks: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, asyncio.Lock]
        ] = weakref.WeakKeyDictionary()

    async def rules_for(self, url: str, load: LoadRobots) -> RobotsRules:
        """The cached rules of `url`'s origin, loading robots.txt through `load` when stale."""
        robots_url = robots_url_for(url)
        locks = self._locks.setdefault(asyncio.get_running_loop(), {})
        lock = locks.setdefault(robots_url, asyncio.Lock())
        async with lock:
            rules = self._rules.get(robots_url)
            if rules is None or rules.expires_at <= time.monotonic():
                result = await load(robots_url)
                rules = rules_from_result(robots_url, result, time.monotonic())
                if rules.note:
                    logger.info("%s: %s", robots_url, rules.note)
                self._rules[robots_url] = rules
            return rules

    async def check(self, url: str, load: LoadRobots) -> None:
        """Raise RobotsDisallowed unless robots.txt lets our user agent fetch `url`."""
        rules = await self.rules_for(url, load)
        if rules.is_allowed(url, self.user_agent):
            return
        if rules.parser is None:
            failure = rules.failure
            if isinstance(failure, _PAGE_FAILURES):
                raise type(failure)(f"{failure.reason} (while fetching robots.txt)")
            raise RobotsDisallowed(f"{url} not fetched: {rules.note}")
        raise RobotsDisallowed(f"{rules.robots_url} disallows {url} for our user agent")
