"""compute_next_check: policies, cache hints, Retry-After, backoff, and its bounds."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.monitor.fetch import compute_next_check
from newsdesk.monitor.fetch.schedule import parse_max_age, parse_retry_after

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
HOUR = 3600
DAY = 86400


def _delay(**kwargs: object) -> float:
    args: dict[str, object] = {
        "policy": "fixed",
        "interval": HOUR,
        "min_interval": 300,
        "max_interval": DAY,
    }
    args.update(kwargs)
    return (compute_next_check(NOW, **args) - NOW).total_seconds()  # type: ignore[arg-type]


def test_fixed_policy_uses_interval() -> None:
    assert _delay() == HOUR


def test_fixed_interval_is_bounded() -> None:
    assert _delay(interval=10) == 300
    assert _delay(interval=10 * DAY) == DAY


def test_entry_frequency_week_over_count() -> None:
    entries = [NOW - dt.timedelta(hours=i * 6) for i in range(28)]  # 28 in the last week
    assert _delay(policy="entry_frequency", entry_times=entries) == pytest.approx(7 * DAY / 28)


def test_entry_frequency_ignores_old_and_future_entries() -> None:
    entries = [
        NOW - dt.timedelta(days=1),
        NOW - dt.timedelta(days=2),
        NOW - dt.timedelta(days=30),  # too old
        NOW + dt.timedelta(days=3),  # future-dated, bogus
    ]
    assert _delay(policy="entry_frequency", entry_times=entries, max_interval=7 * DAY) == (
        pytest.approx(7 * DAY / 2)
    )


def test_entry_frequency_without_recent_entries_is_max() -> None:
    assert _delay(policy="entry_frequency") == DAY
    old = [NOW - dt.timedelta(days=20)]
    assert _delay(policy="entry_frequency", entry_times=old) == DAY


def test_entry_frequency_busy_source_hits_minimum() -> None:
    entries = [NOW - dt.timedelta(minutes=i) for i in range(5000)]
    assert _delay(policy="entry_frequency", entry_times=entries) == 300


def test_entry_frequency_accepts_naive_utc_times() -> None:
    naive = [(NOW - dt.timedelta(hours=h)).replace(tzinfo=None) for h in (1, 2, 3, 4)]
    assert _delay(policy="entry_frequency", entry_times=naive, max_interval=7 * DAY) == (
        pytest.approx(7 * DAY / 4)
    )


def test_rss_ttl_pushes_later_only() -> None:
    assert _delay(ttl_minutes=180) == 3 * HOUR
    assert _delay(ttl_minutes=5) == HOUR  # never earlier than the policy


def test_cache_control_max_age() -> None:
    assert _delay(headers={"Cache-Control": "public, max-age=7200"}) == 7200
    assert _delay(headers={"cache-control": "max-age=60"}) == HOUR
    assert _delay(headers={"Cache-Control": "no-cache, max-age=7200"}) == HOUR


def test_expires_header() -> None:
    expires = format_datetime(NOW + dt.timedelta(hours=5), usegmt=True)
    assert _delay(headers={"Expires": expires}) == 5 * HOUR
    assert _delay(headers={"Expires": "0"}) == HOUR  # invalid dates are ignored


def test_max_age_overrides_expires() -> None:
    expires = format_datetime(NOW + dt.timedelta(hours=5), usegmt=True)
    assert _delay(headers={"Expires": expires, "Cache-Control": "max-age=7200"}) == 7200


def test_retry_after_seconds_and_header() -> None:
    assert _delay(retry_after=4 * HOUR) == 4 * HOUR
    assert _delay(headers={"Retry-After": "10800"}) == 3 * HOUR
    when = format_datetime(NOW + dt.timedelta(hours=2), usegmt=True)
    assert _delay(headers={"Retry-After": when}) == pytest.approx(2 * HOUR)
    assert _delay(retry_after=100 * DAY) == DAY  # still bounded by max_interval


def test_error_backoff_doubles_and_is_bounded() -> None:
    delays = [_delay(error_count=n) for n in range(6)]
    assert delays[:5] == [HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR]
    assert delays[5] == DAY
    assert _delay(error_count=10_000) == DAY


def test_naive_now_gives_naive_result() -> None:
    naive = NOW.replace(tzinfo=None)
    result = compute_next_check(
        naive, policy="fixed", interval=HOUR, min_interval=0, max_interval=DAY
    )
    assert result == naive + dt.timedelta(hours=1)


def test_unknown_policy_and_bad_bounds_raise() -> None:
    with pytest.raises(ValueError, match="unknown poll policy"):
        _delay(policy="sometimes")
    with pytest.raises(ValueError):
        _delay(min_interval=DAY, max_interval=HOUR)


def test_parse_helpers() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    past = format_datetime(NOW - dt.timedelta(hours=1), usegmt=True)
    assert parse_retry_after(past, NOW) == 0.0
    assert parse_max_age('max-age="30"') == 30
    assert parse_max_age("private") is None


header_values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=0, max_value=10**12).map(lambda n: f"max-age={n}"),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(3000, 1, 1)).map(
        lambda d: format_datetime(d.replace(tzinfo=dt.UTC), usegmt=True)
    ),
)


@given(
    now=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    policy=st.sampled_from(["fixed", "entry_frequency"]),
    interval=st.integers(min_value=-10, max_value=10**9),
    bounds=st.tuples(
        st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7)
    ).map(sorted),
    headers=st.dictionaries(
        st.sampled_from(["Cache-Control", "expires", "Retry-After", "ETag"]), header_values
    ),
    ttl=st.one_of(st.none(), st.integers(min_value=-100, max_value=10**9)),
    entries=st.lists(
        st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2110, 1, 1)),
        max_size=30,
    ),
    retry_after=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    errors=st.integers(min_value=0, max_value=10**6),
)
def test_next_check_always_within_bounds(
    now: dt.datetime,
    policy: str,
    interval: int,
    bounds: list[int],
    headers: dict[str, str],
    ttl: int | None,
    entries: list[dt.datetime],
    retry_after: float | None,
    errors: int,
) -> None:
    low, high = bounds
    result = compute_next_check(
        now,
        policy=policy,
        interval=interval,
        min_interval=low,
        max_interval=high,
        headers=headers,
        ttl_minutes=ttl,
        entry_times=entries,
        retry_after=retry_after,
        error_count=errors,
    )
    assert now + dt.timedelta(seconds=low) <= result <= now + dt.timedelta(seconds=high)
