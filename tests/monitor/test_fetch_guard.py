"""SSRF guard: address classes, odd literal forms, schemes, and the connect-time re-check."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
import pytest

from newsdesk.monitor.fetch import BlockedAddress, InvalidURL, check_url_allowed
from newsdesk.monitor.fetch.client import _guarded_pool_transport
from newsdesk.monitor.fetch.guard import (
    classify_address,
    is_address_allowed,
    parse_ip_literal,
    resolve_allowed,
)
from tests.localserver import LocalServer


def _check(url: str, *, allow_private: bool = False) -> None:
    asyncio.run(check_url_allowed(url, allow_private=allow_private))


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "shared"),
        ("192.0.2.1", "reserved"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("2001:db8::1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:a00:1::", "private"),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 wrapping 169.254.169.254
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_classify_address(address: str, kind: str | None) -> None:
    assert classify_address(ipaddress.ip_address(address)) == kind


def test_allow_private_permits_only_loopback_and_private() -> None:
    allowed = ["127.0.0.1", "::1", "10.0.0.1", "192.168.0.1", "fd12::1"]
    refused = ["169.254.169.254", "fe80::1", "224.0.0.1", "0.0.0.0", "::", "100.64.0.1"]
    for a in allowed:
        assert is_address_allowed(ipaddress.ip_address(a), allow_private=True), a
        assert not is_address_allowed(ipaddress.ip_address(a), allow_private=False), a
    for a in refused:
        assert not is_address_allowed(ipaddress.ip_address(a), allow_private=True), a


def test_parse_ip_literal_odd_forms() -> None:
    assert parse_ip_literal("2130706433") == ipaddress.ip_address("127.0.0.1")
    assert parse_ip_literal("[::1]") == ipaddress.ip_address("::1")
    assert parse_ip_literal("example.org") is None
    assert parse_ip_literal("99999999999") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",  # decimal 127.0.0.1
        "http://0x7f.1/",  # hex/short dotted form, resolved by getaddrinfo
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "https://10.0.0.5:8443/feed",
    ],
)
def test_private_hosts_refused_by_default(url: str) -> None:
    with pytest.raises(BlockedAddress) as info:
        _check(url)
    assert "refused" in info.value.reason
    assert ("loopback" in info.value.reason) or ("private" in info.value.reason)


def test_reason_names_address_and_class() -> None:
    with pytest.raises(BlockedAddress) as info:
        _check("http://169.254.169.254/latest/meta-data/", allow_private=True)
    assert info.value.reason == "169.254.169.254 refused: link-local address"
    assert info.value.address == "169.254.169.254"
    with pytest.raises(BlockedAddress) as info:
        _check("http://2130706433/")
    assert "127.0.0.1" in info.value.reason and "loopback" in info.value.reason


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://100.64.1.1/",
        "http://[::ffff:169.254.169.254]/",
    ],
)
def test_always_refused_even_with_allow_private(url: str) -> None:
    with pytest.raises(BlockedAddress):
        _check(url, allow_private=True)


def test_allow_private_permits_loopback() -> None:
    _check("http://127.0.0.1:8080/feed.xml", allow_private=True)
    _check("http://localhost/", allow_private=True)


def test_public_literal_allowed() -> None:
    _check("https://8.8.8.8/")  # a literal: no DNS, no connection


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "file:///etc/passwd", "gopher://x/", "http:///nohost", ""]
)
def test_invalid_urls(url: str) -> None:
    with pytest.raises(InvalidURL):
        _check(url)


def test_resolve_refuses_if_any_answer_is_blocked() -> None:
    # "localhost" may answer both 127.0.0.1 and ::1; all must pass, and all are loopback.
    addresses = asyncio.run(resolve_allowed("localhost", 80, allow_private=True))
    assert addresses and all(a.is_loopback for a in addresses)
    with pytest.raises(BlockedAddress):
        asyncio.run(resolve_allowed("localhost", 80, allow_private=False))


def test_connection_pool_rechecks_address_at_connect_time(server: LocalServer) -> None:
    """Even a request that skipped check_url_allowed cannot reach 127.0.0.1 (DNS rebinding)."""
    url = server.static("/x", b"secret")
    limits = httpx.Limits(max_connections=4)

    async def go(allow_private: bool) -> httpx.Response:
        transport = _guarded_pool_transport(allow_private=allow_private, limits=limits)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(url.replace("127.0.0.1", "localhost"))

    with pytest.raises(BlockedAddress):
        asyncio.run(go(False))
    assert server.requests == []
    assert asyncio.run(go(True)).content == b"secret"
    assert len(server.requests) == 1
