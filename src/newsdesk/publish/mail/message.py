"""Building the messages we send: text + HTML multipart, List-Unsubscribe (RFC 2369/8058)."""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr, parseaddr
from urllib.parse import urlsplit

from newsdesk.settings import Settings

# long headers stay on one line (RFC 5322 allows 998 characters): a folded List-Unsubscribe
# URL would be RFC 2047-encoded by the default policy, which mail clients do not read
MAIL_POLICY = default_policy.clone(max_line_length=998)


def site_domain(settings: Settings) -> str:
    """The host name our Message-IDs and List-Id use."""
    return urlsplit(settings.site_url).hostname or "localhost"


def make_message_id(settings: Settings, local: str) -> str:
    """A Message-ID fixed by `local` (e.g. issue and subscriber): the same mail, the same id."""
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "." for ch in local)
    return f"<{safe}@{site_domain(settings)}>"


def build_message(
    settings: Settings,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    message_id: str,
    unsubscribe_url: str | None = None,
    list_id: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """A mail from `mail_from` to `to`: plain text, plus an HTML alternative when given.

    With `unsubscribe_url` the message carries `List-Unsubscribe` (the URL, which answers a
    POST with one click) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    """
    msg = EmailMessage(policy=MAIL_POLICY)
    name, addr = parseaddr(settings.mail_from)
    msg["From"] = formataddr((name, addr)) if addr else settings.mail_from
    msg["To"] = Address(addr_spec=to)
    # a subject is one line: a newline in a headline must not start a new header
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    if list_id:
        msg["List-Id"] = f"{settings.site_title} {list_id} <{list_id}.{site_domain(settings)}>"
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text, subtype="plain", charset="utf-8")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg
