"""Newsletter subscribers: double opt-in, one-click unsubscribe, bounces, export and delete.

An address becomes `active` only by opening the confirmation link mailed to it (a signed token
that expires after `token_max_age` and works once). Every mail carries an unsubscribe link
with the address's own random key, which never expires and needs no sign-in.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.accounts.email_tokens import issue_token, redeem_token
from newsdesk.accounts.members import find_member, normalize_email
from newsdesk.settings import Settings
from newsdesk.store import (
    Delivery,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    TokenPurpose,
    utcnow,
)

log = logging.getLogger(__name__)

MAX_TOPICS = 20


class SubscriberError(Exception):
    """A subscriber operation that cannot be done; the message says why."""


class SubscriberNotFound(SubscriberError, LookupError):
    """No subscriber has this address (or unsubscribe key)."""


class InvalidTopic(SubscriberError, ValueError):
    """A topic is not persona:<id> or tag:<tag>."""


def clean_topics(topics: list[str] | None) -> list[str]:
    """Topics as stored: persona:<id> or tag:<tag>, each once, at most MAX_TOPICS."""
    out: list[str] = []
    for raw in topics or []:
        topic = raw.strip()
        if not topic:
            continue
        kind, _, key = topic.partition(":")
        if kind not in ("persona", "tag") or not key.strip() or len(topic) > 200:
            raise InvalidTopic(f"{topic[:60]!r} is not persona:<id> or tag:<tag>")
        if topic not in out:
            out.append(topic)
    if len(out) > MAX_TOPICS:
        raise InvalidTopic(f"at most {MAX_TOPICS} topics")
    return out


def find_subscriber(session: Session, email: str) -> Subscriber | None:
    """The subscriber with this address, or None."""
    return session.scalar(select(Subscriber).where(Subscriber.email == normalize_email(email)))


def get_subscriber(session: Session, email: str) -> Subscriber:
    """The subscriber with this address; SubscriberNotFound otherwise."""
    sub = find_subscriber(session, email)
    if sub is None:
        raise SubscriberNotFound(f"no subscriber {email.strip()!r}")
    return sub


def subscribe(
    session: Session,
    email: str,
    *,
    topics: list[str] | None = None,
    source: str = "site",
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> Subscriber:
    """Record a sign-up as pending (or active when `confirmed`, for the CLI and the demo).

    Signing up again updates the topics; an unsubscribed or bounced address starts over as
    pending, so it needs a new confirmation.
    """
    email = normalize_email(email)
    now = now or utcnow()
    wanted = clean_topics(topics)
    sub = session.scalar(select(Subscriber).where(Subscriber.email == email))
    if sub is None:
        sub = Subscriber(
            email=email,
            topics=wanted,
            source=source[:32],
            created_at=now,
            unsubscribe_key=secrets.token_urlsafe(24),
            status=SubscriberStatus.PENDING,
        )
        session.add(sub)
    else:
        sub.topics = wanted
        if sub.status in (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.BOUNCED):
            sub.status = SubscriberStatus.PENDING
            sub.bounce_count = 0
            sub.unsubscribed_at = None
    member = find_member(session, email)
    if member is not None:
        sub.member_id = member.id
    if confirmed and sub.status != SubscriberStatus.ACTIVE:
        sub.status = SubscriberStatus.ACTIVE
        sub.confirmed_at = now
    session.flush()
    return sub


def confirmation_token(
    session: Session, settings: Settings, secret_key: str, sub: Subscriber
) -> str:
    """A token for the confirmation link of a pending subscriber."""
    return issue_token(session, secret_key, TokenPurpose.CONFIRM, sub.email, settings.token_max_age)


def confirm(
    session: Session,
    settings: Settings,
    secret_key: str,
    token: str,
    now: dt.datetime | None = None,
) -> Subscriber:
    """Open a confirmation link: the subscriber becomes active (TokenError when it cannot)."""
    now = now or utcnow()
    email = redeem_token(
        session, secret_key, TokenPurpose.CONFIRM, token, now=now, max_age=settings.token_max_age
    )
    sub = get_subscriber(session, email)
    if sub.status != SubscriberStatus.ACTIVE:
        sub.status = SubscriberStatus.ACTIVE
        sub.confirmed_at = now
        sub.unsubscribed_at = None
    session.flush()
    return sub


def by_unsubscribe_key(session: Session, key: str) -> Subscriber:
    """The subscriber an unsubscribe link belongs to."""
    if not key or len(key) > 64:
        raise SubscriberNotFound("this unsubscribe link is not valid")
    sub = session.scalar(select(Subscriber).where(Subscriber.unsubscribe_key == key))
    if sub is None:
        raise SubscriberNotFound("this unsubscribe link is not valid (the address may be deleted)")
    return sub


def unsubscribe(session: Session, key: str, now: dt.datetime | None = None) -> Subscriber:
    """Unsubscribe by the key in a mail's link (no sign-in); doing it twice is fine."""
    sub = by_unsubscribe_key(session, key)
    if sub.status != SubscriberStatus.UNSUBSCRIBED:
        sub.status = SubscriberStatus.UNSUBSCRIBED
        sub.unsubscribed_at = now or utcnow()
        log.info("subscriber %s unsubscribed", sub.id)
    session.flush()
    return sub


def record_bounce(session: Session, settings: Settings, sub: Subscriber, reason: str) -> Subscriber:
    """Count a refusal or bounce; at `bounce_limit` the address gets no more mail."""
    sub.bounce_count += 1
    sub.last_bounce = reason[:500]
    if sub.bounce_count >= settings.bounce_limit and sub.status == SubscriberStatus.ACTIVE:
        sub.status = SubscriberStatus.BOUNCED
        log.warning("subscriber %s stopped after %d bounces", sub.id, sub.bounce_count)
    session.flush()
    return sub


def list_subscribers(session: Session, status: str | None = None) -> list[Subscriber]:
    """Subscribers, oldest first, optionally of one status."""
    stmt = select(Subscriber).order_by(Subscriber.id)
    if status is not None:
        stmt = stmt.where(Subscriber.status == status)
    return list(session.scalars(stmt))


def count_subscribers(session: Session) -> dict[str, int]:
    """Subscribers per status."""
    rows = session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status))
    return {str(s): int(n) for s, n in rows}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_subscriber(session: Session, email: str) -> dict[str, Any]:
    """Everything stored about one address: the sign-up and every mail sent to it."""
    sub = get_subscriber(session, email)
    rows = session.execute(
        select(Delivery, NewsletterIssue.subject)
        .join(NewsletterIssue, NewsletterIssue.id == Delivery.issue_id)
        .where(Delivery.subscriber_id == sub.id)
        .order_by(Delivery.id)
    )
    return {
        "email": sub.email,
        "status": sub.status,
        "topics": list(sub.topics or []),
        "source": sub.source,
        "created_at": _iso(sub.created_at),
        "confirmed_at": _iso(sub.confirmed_at),
        "unsubscribed_at": _iso(sub.unsubscribed_at),
        "bounce_count": sub.bounce_count,
        "last_bounce": sub.last_bounce,
        "member": sub.member_id is not None,
        "deliveries": [
            {
                "issue_id": d.issue_id,
                "subject": subject,
                "status": d.status,
                "sent_at": _iso(d.sent_at),
                "message_id": d.message_id,
                "error": d.error,
            }
            for d, subject in rows
        ],
    }


def delete_subscriber(session: Session, email: str) -> int:
    """Delete an address and its send log; returns how many deliveries went with it."""
    sub = get_subscriber(session, email)
    deliveries = list(session.scalars(select(Delivery).where(Delivery.subscriber_id == sub.id)))
    for d in deliveries:
        session.delete(d)
    session.flush()
    session.delete(sub)
    session.flush()
    return len(deliveries)
