"""Polite, guarded HTTP fetching and the scheduling policy of source checks."""

from newsdesk.monitor.fetch.client import FetchResult, PoliteFetcher
from newsdesk.monitor.fetch.errors import (
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
from newsdesk.monitor.fetch.guard import check_url_allowed
from newsdesk.monitor.fetch.robots import RobotsCache
from newsdesk.monitor.fetch.schedule import compute_next_check

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
