"""The audience's tables: reader accounts (members), e-mailed tokens, newsletter subscribers,
issues and their per-recipient send log, follows and alert mails.

Members are readers, separate from desk users: they sign in by e-mailed link, never by
password, and hold a tier (`free` or `supporter`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum, nonmember

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from newsdesk.store.models import Base, utcnow
from newsdesk.store.types import UTCDateTime


class Tier(StrEnum):
    """A member's tier: free members sign in; supporters have said they pay (recorded only)."""

    FREE = "free"
    SUPPORTER = "supporter"
    ALL = nonmember((FREE, SUPPORTER))

    @classmethod
    def at_least(cls, tier: str, minimum: str) -> bool:
        """True when `tier` includes what `minimum` may read."""
        if tier not in cls.ALL or minimum not in cls.ALL:
            return False
        return cls.ALL.index(tier) >= cls.ALL.index(minimum)


class Member(Base):
    """A reader's account: an e-mail address, a tier, and when sessions were last revoked."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    tier: Mapped[str] = mapped_column(String(16), default=Tier.FREE)
    # who set the tier last: signup, admin:<username>, cli, webhook
    tier_source: Mapped[str] = mapped_column(String(64), default="signup")
    tier_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # a session cookie issued before this moment is no longer valid ("sign out everywhere")
    sessions_valid_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class TokenPurpose:
    """What an e-mailed token is for."""

    SIGNIN = "signin"
    CONFIRM = "confirm"
    ALL = (SIGNIN, CONFIRM)


class EmailToken(Base):
    """A signed link sent by mail; only its SHA-256 is stored, and it is used at most once."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(320), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class SubscriberStatus(StrEnum):
    """Where a newsletter address is: waiting for its confirmation, receiving, or not."""

    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    ALL = nonmember((PENDING, ACTIVE, UNSUBSCRIBED, BOUNCED))


class Subscriber(Base):
    """An address that asked for the briefing; `topics` narrows it (empty: everything)."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=SubscriberStatus.PENDING, index=True)
    # ["persona:<id>", "tag:<tag>"]: only pieces matching one of them; [] is the whole briefing
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    # the secret in this address's unsubscribe links (they never expire)
    unsubscribe_key: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(32), default="site")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    bounce_count: Mapped[int] = mapped_column(Integer, default=0)
    last_bounce: Mapped[str | None] = mapped_column(Text)


class IssueStatus(StrEnum):
    """Where a newsletter issue is."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    ALL = nonmember((DRAFT, SCHEDULED, SENDING, SENT))


class NewsletterIssue(Base):
    """One briefing: the pieces published or updated in [since, until), sent to subscribers."""

    __tablename__ = "newsletter_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="daily")
    subject: Mapped[str] = mapped_column(Text, default="")
    since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    analysis_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=IssueStatus.DRAFT, index=True)
    scheduled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="system")
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # the process sending it ("host:pid") and until when its claim holds
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class DeliveryStatus:
    """What happened to one mail of an issue.

    `sending` is written (committed) before the message goes to the SMTP server and `sent`
    after the server accepted it; a delivery found in `sending` after a crash may or may not
    have arrived, so it becomes `uncertain` and is never resent automatically.
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"
    REFUSED = "refused"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    ALL = (PENDING, SENDING, SENT, SKIPPED, REFUSED, FAILED, UNCERTAIN)


class Delivery(Base):
    """The per-recipient send log of a newsletter issue: one row per (issue, subscriber)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("issue_id", "subscriber_id", name="uq_deliveries_issue_subscriber"),
        Index("ix_deliveries_issue_status", "issue_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("newsletter_issues.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str | None] = mapped_column(String(255))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    smtp_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class FollowKind:
    """What a member may follow."""

    STORY = "story"
    PERSONA = "persona"
    TAG = "tag"
    ALL = (STORY, PERSONA, TAG)


class Follow(Base):
    """A member follows a story, a persona or a tag."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("member_id", "kind", "key", name="uq_follows_member_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AlertDelivery(Base):
    """One analysis a member was (or is being) alerted to; the throttle reads sent_at by story."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("member_id", "analysis_id", name="uq_alert_member_analysis"),
        Index("ix_alert_member_story", "member_id", "story_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
