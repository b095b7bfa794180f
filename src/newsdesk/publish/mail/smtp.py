"""SMTP delivery with smtplib: plain, STARTTLS or TLS, optional AUTH, kept-open connection.

`smtp_url` forms: `smtp://host:25` (STARTTLS when the server offers it), `smtp+starttls://`
(STARTTLS required), `smtps://host:465` (TLS from the first byte); `user:password@` signs in
(percent-encoded), and `?cafile=/path/ca.pem` trusts a private CA.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from newsdesk.publish.mail.sender import (
    MailDeferred,
    MailLost,
    MailNotConfigured,
    MailRefused,
    MailUnavailable,
    RateLimiter,
)
from newsdesk.settings import Settings

log = logging.getLogger(__name__)

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class InvalidSmtpUrl(MailNotConfigured):
    """smtp_url cannot be read."""


class SmtpConfig:
    """What smtp_url says: where, how to secure the connection, who to sign in as."""

    def __init__(self, url: str) -> None:
        if not url:
            raise MailNotConfigured("no smtp_url is set (NEWSDESK_SMTP_URL)")
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise InvalidSmtpUrl(
                f"smtp_url scheme {parts.scheme!r} unknown: use {', '.join(SCHEMES)}"
            )
        if not parts.hostname:
            raise InvalidSmtpUrl("smtp_url names no host")
        self.scheme = parts.scheme
        self.host = parts.hostname
        try:
            self.port = parts.port or SCHEMES[parts.scheme]
        except ValueError as exc:
            raise InvalidSmtpUrl(f"smtp_url has a bad port: {exc}") from exc
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        query = parse_qs(parts.query)
        self.cafile = query.get("cafile", [None])[0]

    @property
    def redacted(self) -> str:
        """The URL without its password, for messages."""
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cafile)


class SmtpMailSender:
    """Sends over one SMTP connection, reconnecting when the server drops it between mails."""

    def __init__(self, settings: Settings, *, rate_per_minute: float | None = None) -> None:
        self.config = SmtpConfig(settings.smtp_url)
        self.timeout = settings.mail_timeout
        self.limiter = RateLimiter(
            settings.mail_rate_per_minute if rate_per_minute is None else rate_per_minute
        )
        self._conn: smtplib.SMTP | None = None
        self._turn_taken = False

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        try:
            conn: smtplib.SMTP
            if cfg.scheme == "smtps":
                conn = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=self.timeout, context=cfg.tls_context()
                )
            else:
                conn = smtplib.SMTP(cfg.host, cfg.port, timeout=self.timeout)
            conn.ehlo()
            if cfg.scheme == "smtp+starttls" or (
                cfg.scheme == "smtp" and conn.has_extn("starttls")
            ):
                if not conn.has_extn("starttls"):
                    raise MailUnavailable(f"{cfg.redacted} does not offer STARTTLS")
                conn.starttls(context=cfg.tls_context())
                conn.ehlo()
            if cfg.username:
                conn.login(cfg.username, cfg.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise MailUnavailable(f"{cfg.redacted} refused the sign-in: {exc.smtp_code}") from exc
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            raise MailUnavailable(f"cannot reach {cfg.redacted}: {exc}") from exc
        return conn

    def _connection(self) -> smtplib.SMTP:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def send(self, message: EmailMessage) -> None:
        """Hand `message` over; MailRefused (5xx), MailDeferred (4xx), MailLost, MailUnavailable."""
        if not self._turn_taken:
            self.limiter.wait()
        self._turn_taken = False
        conn = self._connection()
        try:
            conn.noop()
        except (OSError, smtplib.SMTPException):
            # the server closed an idle connection: nothing of this message was sent yet
            self.close()
            conn = self._connection()
        try:
            refused = conn.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _refusal(code, text) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise _refusal(exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPDataError as exc:
            raise _refusal(exc.smtp_code, exc.smtp_error) from exc
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            self._conn = None
            raise MailLost(
                f"connection to {self.config.redacted} lost while sending: {exc}"
            ) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise _refusal(code, text)

    def wait_turn(self) -> None:
        """Sleep off the rate limit now, so the next send goes at once."""
        self.limiter.wait()
        self._turn_taken = True

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()


def _refusal(code: int, text: bytes | str) -> MailRefused | MailDeferred:
    reason = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    if 400 <= code < 500:
        return MailDeferred(f"{code} {reason}", code)
    return MailRefused(f"{code} {reason}", code)
