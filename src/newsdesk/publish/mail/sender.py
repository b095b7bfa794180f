"""The mail sender protocol, its errors, and the rate limit every sender keeps."""

from __future__ import annotations

import threading
import time
from email.message import EmailMessage
from typing import Protocol


class MailError(Exception):
    """Mail could not be handed over; the subclass says whether trying again may help."""


class MailNotConfigured(MailError):
    """No smtp_url is set, so no mail can be sent."""


class MailUnavailable(MailError):
    """The mail server cannot be reached or refused the session: nothing was handed over."""


class MailRefused(MailError):
    """The server refused this message or recipient for good (5xx): a bounce."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class MailDeferred(MailError):
    """The server refused for now (4xx): nothing was handed over; a later try may work."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class MailLost(MailError):
    """The connection broke while the message was being handed over: it may have arrived."""


class MailSender(Protocol):
    """Hands one message at a time to a mail server."""

    def send(self, message: EmailMessage) -> None:
        """Send `message` to its To address; raises a MailError subclass on failure."""
        ...

    def wait_turn(self) -> None:
        """Wait until the rate limit lets the next mail go (call before claiming it)."""
        ...

    def close(self) -> None:
        """Let go of the connection, if any."""
        ...


class RateLimiter:
    """At most `per_minute` events per minute, spaced evenly (sleeps before an early one)."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Sleep until the next event may happen; returns the seconds slept."""
        with self._lock:
            now = time.monotonic()
            delay = max(0.0, self._next - now)
            self._next = max(now, self._next) + self.interval
        if delay:
            time.sleep(delay)
        return delay
