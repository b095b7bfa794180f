"""Polite, guarded HTTP fetching and the scheduling policy of source checks."""

from newsdesk.fetch.client import FetchResult, PoliteFetcher
from newsdesk.fetch.errors import (
    BlockedAddress,
    ConnectionFailed,
    ContentDecodingFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
)
from newsdesk.fetch.guard import check_url_allowed
from newsdesk.fetch.robots import RobotsCache
from newsdesk.fetch.schedule import compute_next_check

__all__ = [
    "BlockedAddress",
    "ConnectionFailed",
    "ContentDecodingFailed",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "HTTPStatusError",
    "InvalidURL",
    "PoliteFetcher",
    "ResponseTooLarge",
    "RobotsCache",
    "RobotsDisallowed",
    "TooManyRedirects",
    "check_url_allowed",
    "compute_next_check",
]
