"""One private-address check: the registry (at add time) asks the fetcher's guard."""

from __future__ import annotations

import pytest

from newsdesk.monitor.fetch.guard import classify_host
from newsdesk.monitor.sources import InvalidSource, normalise_source_url


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("2130706433", "loopback"),  # 127.0.0.1 as one decimal number
        ("[::1]", "loopback"),
        ("LOCALHOST.", "loopback"),
        ("feeds.localhost", "loopback"),
        ("10.1.2.3", "private"),
        ("[::ffff:192.168.0.9]", "private"),  # IPv4-mapped IPv6
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared"),
        ("0.0.0.0", "unspecified"),
        ("93.184.216.34", None),
        ("news.example.org", None),  # a name: checked against its addresses at connect time
    ],
)
def test_classify_host(host: str, kind: str | None) -> None:
    assert classify_host(host) == kind


@pytest.mark.parametrize(
    "url", ["http://2130706433/feed", "http://[::ffff:10.0.0.1]/x", "http://127.1.2.3/"]
)
def test_sources_refuse_what_the_guard_refuses(url: str) -> None:
    with pytest.raises(InvalidSource, match="private or loopback"):
        normalise_source_url(url, allow_private=False)
    assert normalise_source_url(url, allow_private=True).startswith("http://")


def test_never_fetchable_addresses_are_refused_even_when_private_is_allowed() -> None:
    for allow in (False, True):
        with pytest.raises(InvalidSource, match=r"non-public address .*link-local"):
            normalise_source_url("http://169.254.169.254/latest/", allow_private=allow)
