"""SSRF guard: refuse URLs whose host resolves to loopback, private, link-local or other
non-public addresses, both before each request and again at connect time.

Checking a hostname once and then letting the HTTP library resolve it again would leave a
DNS-rebinding hole (the first answer public, the second 127.0.0.1). `GuardedNetworkBackend`
closes it: the connection pool resolves the host itself, checks every answer and connects to
a checked IP literal, so the address we vetted is the address we talk to. TLS still verifies
the certificate against the hostname (httpcore passes the URL host as SNI).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from newsdesk.monitor.fetch.errors import BlockedAddress, ConnectionFailed, InvalidURL

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}

# Classes allow_private=True lets through; everything else non-public is always refused.
PRIVATE_CLASSES = frozenset({"loopback", "private"})

_SHARED = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_PRIVATE_NETS = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("fc00::/7"),
)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 IPv6 address carries, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def classify_address(ip: IPAddress) -> str | None:
    """The class of a non-public address ('loopback', 'link-local', ...), None if public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return classify_address(embedded)
    if ip.is_unspecified or (isinstance(ip, ipaddress.IPv4Address) and ip in _THIS_NETWORK):
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared"
    if any(ip.version == net.version and ip in net for net in _PRIVATE_NETS):
        return "private"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "reserved"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


def is_address_allowed(ip: IPAddress, *, allow_private: bool) -> bool:
    """True if we may connect to `ip` under the given private-address policy."""
    kind = classify_address(ip)
    return kind is None or (allow_private and kind in PRIVATE_CLASSES)


# Names that mean this machine without asking DNS (RFC 6761 reserves *.localhost).
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def classify_host(host: str) -> str | None:
    """The class of a non-public address a host spells by itself, None otherwise.

    A literal IP (dotted, IPv6, bare decimal) is classified as `classify_address` does, and
    localhost names count as loopback; any other name is None here: what it resolves to is
    checked at connect time (`resolve_allowed`).
    """
    bare = host.strip("[]").lower().rstrip(".")
    if bare in LOCAL_NAMES or bare.endswith(".localhost"):
        return "loopback"
    ip = parse_ip_literal(bare)
    return None if ip is None else classify_address(ip)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The IP address a host string spells directly (dotted, IPv6, or a bare decimal), or None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host.isdigit() and int(host) < 2**32:
        return ipaddress.IPv4Address(int(host))
    return None


def split_url(url: str) -> tuple[str, int]:
    """(ASCII host, port) of an http(s) URL; raises InvalidURL otherwise."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise InvalidURL(f"invalid URL {url!r}: {exc}") from exc
    if parsed.scheme not in DEFAULT_PORTS:
        raise InvalidURL(f"unsupported URL scheme {parsed.scheme or '(none)'!r} in {url!r}")
    host = parsed.raw_host.decode("ascii", errors="replace")
    if not host:
        raise InvalidURL(f"URL has no host: {url!r}")
    return host, parsed.port or DEFAULT_PORTS[parsed.scheme]


def _refuse(host: str, ip: IPAddress, kind: str) -> BlockedAddress:
    bare = host.strip("[]")
    spelled_out = bare == str(ip) or (parse_ip_literal(bare) == ip and not bare.isdigit())
    shown = host if spelled_out else f"{host} ({ip})"
    if isinstance(ip, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(ip)) is not None:
        shown += f" [carries {embedded}]"
    return BlockedAddress(f"{shown} refused: {kind} address", address=str(ip))


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (A and AAAA), through the event loop's getaddrinfo."""
    literal = parse_ip_literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionFailed(f"could not resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise ConnectionFailed(f"could not resolve {host}: no addresses")
    return addresses


def check_addresses(host: str, addresses: Iterable[IPAddress], *, allow_private: bool) -> None:
    """Raise BlockedAddress if any of the host's addresses is refused."""
    for ip in addresses:
        kind = classify_address(ip)
        if kind is not None and not (allow_private and kind in PRIVATE_CLASSES):
            raise _refuse(host, ip, kind)


async def resolve_allowed(host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Resolve `host` and return its addresses, or raise BlockedAddress if any is refused."""
    addresses = await resolve_host(host, port)
    # Refuse when ANY answer is non-public: a mixed answer is how rebinding attacks start.
    check_addresses(host, addresses, allow_private=allow_private)
    return addresses


async def check_url_allowed(url: str, *, allow_private: bool) -> None:
    """Raise InvalidURL or BlockedAddress unless `url` is http(s) on a host we may contact.

    Args:
        url: the absolute URL about to be requested.
        allow_private: also permit loopback and private (RFC 1918, fc00::/7) addresses;
            link-local (incl. 169.254.169.254), multicast, unspecified, shared and reserved
            addresses stay refused regardless.
    """
    host, port = split_url(url)
    await resolve_allowed(host, port, allow_private=allow_private)


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that vets every address it connects to (closes DNS rebinding)."""

    def __init__(
        self, *, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.allow_private = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_allowed(host, port, allow_private=self.allow_private)
        last_error: Exception | None = None
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                logger.debug("connect to %s (%s) port %d failed: %s", host, ip, port, exc)
                last_error = exc
        assert last_error is not None  # resolve_allowed never returns an empty list
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress(f"unix socket {path} refused: not a network address")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
