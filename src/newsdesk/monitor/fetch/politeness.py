"""One politeness state per host for the whole process, shared by every fetcher.

The poll stage and the read stage each open their own `PoliteFetcher`, every batch under a new
event loop (and a Celery worker may run several in threads). If each fetcher kept its own
per-host state, the minimum delay between two requests to a host would hold within a batch
only: the read stage's first page request could follow the poll stage's last feed request to
the same host at once. `HostPoliteness` keeps, per host, when the next request may start and
how many are in flight, under a thread lock and on the monotonic clock, so it holds across
fetchers, batches, loops and threads.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["HostPoliteness", "shared_politeness"]

# How often a request re-checks a host whose slots another fetcher holds. Within one fetcher
# requests queue on an asyncio semaphore first, so only cross-fetcher contention polls.
_RECHECK = 0.02
# Forget idle hosts once this many are known, so a long-running process stays small.
_PRUNE_AT = 4096


class HostPoliteness:
    """Per-host earliest start of the next request and requests in flight, process-wide."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._in_flight: dict[str, int] = {}

    def _try_reserve(self, host: str, concurrency: int, delay: float) -> float | None:
        """Take a slot and the next start time for `host`: seconds to wait, None if full."""
        with self._lock:
            if self._in_flight.get(host, 0) >= concurrency:
                return None
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
            if len(self._next_start) > _PRUNE_AT:
                self._prune(now)
            return start - now

    def _release(self, host: str) -> None:
        with self._lock:
            left = self._in_flight.get(host, 0) - 1
            if left > 0:
                self._in_flight[host] = left
            else:
                self._in_flight.pop(host, None)

    def _prune(self, now: float) -> None:
        """Drop hosts with nothing in flight whose delay has run out (lock held)."""
        for host in [h for h, t in self._next_start.items() if t <= now]:
            if host not in self._in_flight:
                del self._next_start[host]

    @asynccontextmanager
    async def slot(self, host: str, *, concurrency: int, delay: float) -> AsyncIterator[None]:
        """Hold one of `concurrency` slots of `host`, starting no sooner than `delay` seconds
        after the previous start to that host by any fetcher in this process."""
        concurrency = max(1, concurrency)
        while (wait := self._try_reserve(host, concurrency, delay)) is None:
            await asyncio.sleep(_RECHECK)
        try:
            if wait > 0:
                await asyncio.sleep(wait)
            yield
        finally:
            self._release(host)

    def in_flight(self, host: str) -> int:
        """Requests to `host` in flight now (for tests and diagnostics)."""
        with self._lock:
            return self._in_flight.get(host, 0)


_SHARED = HostPoliteness()


def shared_politeness() -> HostPoliteness:
    """The process-wide politeness state every `PoliteFetcher` uses by default."""
    return _SHARED
