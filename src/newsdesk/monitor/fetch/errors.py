"""Why a fetch failed: one exception per condition, each with a human-readable reason."""

from __future__ import annotations

from http import HTTPStatus


class FetchError(Exception):
    """A fetch did not produce a usable response; `.reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class InvalidURL(FetchError):
    """The URL is not an http(s) URL with a host."""


class BlockedAddress(FetchError):
    """The host resolves to an address we must not contact (loopback, private, link-local...)."""

    def __init__(self, reason: str, *, address: str | None = None) -> None:
        super().__init__(reason)
        self.address = address


class ResponseTooLarge(FetchError):
    """The response body exceeds the configured size cap."""


class FetchTimeout(FetchError):
    """Connecting, reading or the whole request took too long."""


class TooManyRedirects(FetchError):
    """The redirect chain is too long or loops."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, 5xx or an unexpected 3xx)."""

    def __init__(
        self, status: int, reason: str | None = None, *, retry_after: float | None = None
    ) -> None:
        super().__init__(reason or describe_status(status, retry_after))
        self.status = status
        self.retry_after = retry_after


class RobotsDisallowed(FetchError):
    """robots.txt forbids our user agent to fetch the URL."""


class ConnectionFailed(FetchError):
    """The host could not be resolved or connected to, or the connection broke."""


class ContentDecodingFailed(FetchError):
    """The body's Content-Encoding (gzip, deflate...) could not be decoded."""


def describe_status(status: int, retry_after: float | None = None) -> str:
    """'HTTP 429 Too Many Requests (retry after 120 s)' for a status and optional delay."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown Status"
    text = f"HTTP {status} {phrase}"
    if retry_after is not None:
        text += f" (retry after {retry_after:.0f} s)"
    return text
