"""When to check a source next: policy interval, feed and HTTP cache hints, error backoff.

Modelled on Miniflux's schedulers: 'fixed' (round-robin at one interval) and 'entry_frequency'
(a source that published N entries in the last week is checked every week/N), both bounded by a
minimum and maximum interval. Servers' hints (RSS <ttl>, Cache-Control max-age, Expires,
Retry-After) can only push the next check later, never earlier than the policy asks.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
from collections.abc import Mapping, Sequence

FIXED = "fixed"
ENTRY_FREQUENCY = "entry_frequency"
POLICIES = (FIXED, ENTRY_FREQUENCY)

WEEK = dt.timedelta(days=7)
_MAX_BACKOFF_DOUBLINGS = 30  # 2**30 times any interval is already past every sane max_interval
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """Aware datetime in UTC; naive datetimes are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """Case-insensitive header lookup."""
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def parse_http_date(value: str) -> dt.datetime | None:
    """An aware UTC datetime from an HTTP date header value, None if unparseable."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _as_utc(parsed)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date), None if invalid."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    when = parse_http_date(value)
    if when is None:
        return None
    now = _as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def parse_max_age(cache_control: str | None) -> int | None:
    """max-age seconds of a Cache-Control value; None if absent or no-cache/no-store."""
    if not cache_control:
        return None
    lowered = cache_control.lower()
    if "no-store" in lowered or "no-cache" in lowered:
        return None
    match = _MAX_AGE.search(lowered)
    return int(match.group(1)) if match else None


def count_recent_entries(now: dt.datetime, entry_times: Sequence[dt.datetime]) -> int:
    """Entries published in the week before `now` (future-dated entries are ignored)."""
    now = _as_utc(now)
    return sum(1 for t in entry_times if now - WEEK < _as_utc(t) <= now)


def policy_interval(
    now: dt.datetime,
    *,
    policy: str,
    interval: int,
    max_interval: int,
    entry_times: Sequence[dt.datetime] = (),
) -> float:
    """Seconds until the next check that the scheduling policy alone asks for."""
    if policy == FIXED:
        return float(interval)
    if policy == ENTRY_FREQUENCY:
        count = count_recent_entries(now, entry_times)
        if count == 0:
            return float(max_interval)
        return WEEK.total_seconds() / count
    raise ValueError(f"unknown poll policy {policy!r}; expected one of {', '.join(POLICIES)}")


def hinted_delays(
    now: dt.datetime,
    *,
    headers: Mapping[str, str] | None = None,
    ttl_minutes: int | None = None,
    retry_after: float | None = None,
) -> list[float]:
    """Seconds the server asked us to wait, one per hint present (TTL, max-age, Expires...)."""
    delays: list[float] = []
    if ttl_minutes is not None and ttl_minutes > 0:
        delays.append(float(ttl_minutes) * 60.0)
    max_age = parse_max_age(_header(headers, "cache-control"))
    if max_age is not None:
        delays.append(float(max_age))
    else:  # Cache-Control max-age overrides Expires (RFC 9111 5.3)
        expires = _header(headers, "expires")
        when = parse_http_date(expires) if expires else None
        if when is not None:
            delays.append((when - _as_utc(now)).total_seconds())
    if retry_after is None:
        retry_after = parse_retry_after(_header(headers, "retry-after"), now)
    if retry_after is not None:
        delays.append(retry_after)
    return [d for d in delays if math.isfinite(d)]


def compute_next_check(
    now: dt.datetime,
    *,
    policy: str,
    interval: int,
    min_interval: int,
    max_interval: int,
    headers: Mapping[str, str] | None = None,
    ttl_minutes: int | None = None,
    entry_times: Sequence[dt.datetime] = (),
    retry_after: float | None = None,
    error_count: int = 0,
) -> dt.datetime:
    """When to check a source next, always within [now + min_interval, now + max_interval].

    Args:
        now: the time of this check (aware, or naive UTC).
        policy: 'fixed' (use `interval`) or 'entry_frequency' (a week / entries last week;
            no entries last week means `max_interval`).
        interval: seconds between checks under the fixed policy.
        min_interval: lower bound in seconds.
        max_interval: upper bound in seconds.
        headers: response headers; Cache-Control max-age, Expires and Retry-After are honoured.
        ttl_minutes: the feed's RSS <ttl>.
        entry_times: publication times of the source's entries (for 'entry_frequency').
        retry_after: seconds from a 429/503 Retry-After, if already parsed.
        error_count: consecutive failed checks; each doubles the delay (exponential backoff).

    Returns:
        The datetime of the next check, in `now`'s timezone.
    """
    if min_interval < 0 or max_interval < min_interval:
        raise ValueError(
            f"need 0 <= min_interval <= max_interval, got {min_interval}, {max_interval}"
        )
    delay = policy_interval(
        now, policy=policy, interval=interval, max_interval=max_interval, entry_times=entry_times
    )
    hints = hinted_delays(now, headers=headers, ttl_minutes=ttl_minutes, retry_after=retry_after)
    delay = max([delay, *hints])
    if error_count > 0:
        delay = max(delay, float(min_interval), 1.0) * 2.0 ** min(
            error_count, _MAX_BACKOFF_DOUBLINGS
        )
    bounded = min(max(delay, float(min_interval)), float(max_interval))
    return now + dt.timedelta(seconds=bounded)
