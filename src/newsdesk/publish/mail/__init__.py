"""Mail out: a sender protocol with an SMTP implementation, and the messages we send."""

from newsdesk.publish.mail.message import build_message, make_message_id
from newsdesk.publish.mail.sender import (
    MailDeferred,
    MailError,
    MailLost,
    MailNotConfigured,
    MailRefused,
    MailSender,
    MailUnavailable,
    RateLimiter,
)
from newsdesk.publish.mail.smtp import SmtpConfig, SmtpMailSender
from newsdesk.publish.mail.transactional import send_single

__all__ = [
    "MailDeferred",
    "MailError",
    "MailLost",
    "MailNotConfigured",
    "MailRefused",
    "MailSender",
    "MailUnavailable",
    "RateLimiter",
    "SmtpConfig",
    "SmtpMailSender",
    "build_message",
    "make_message_id",
    "send_single",
]
