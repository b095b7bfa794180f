"""One-off mails (sign-in links, confirmations, alerts) sent at once over SMTP."""

from __future__ import annotations

import secrets

from newsdesk.publish.mail.message import build_message, make_message_id
from newsdesk.publish.mail.sender import MailSender
from newsdesk.publish.mail.smtp import SmtpMailSender
from newsdesk.settings import Settings


def send_single(
    settings: Settings,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    kind: str,
    sender: MailSender | None = None,
    unsubscribe_url: str | None = None,
) -> str:
    """Send one mail now (a MailError subclass when it cannot); returns its Message-ID."""
    message_id = make_message_id(settings, f"{kind}.{secrets.token_hex(8)}")
    msg = build_message(
        settings,
        to=to,
        subject=subject,
        text=text,
        html=html,
        message_id=message_id,
        unsubscribe_url=unsubscribe_url,
    )
    own = sender is None
    mailer: MailSender = (
        sender if sender is not None else SmtpMailSender(settings, rate_per_minute=0)
    )
    try:
        mailer.send(msg)
    finally:
        if own:
            mailer.close()
    return message_id
