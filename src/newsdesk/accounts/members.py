"""Reader accounts (members), separate from desk users: e-mail sign-in links, tiers, follows.

A member has no password: signing in means asking for a link (a signed, single-use token
that expires after `member_link_max_age`) and opening it. The first link opened creates the
account. Tiers are `free` and `supporter`; an admin (desk or CLI) or the documented webhook
sets them. No payment is handled here.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.accounts.email_tokens import issue_token, redeem_token
from newsdesk.settings import Settings
from newsdesk.store import (
    AlertDelivery,
    Follow,
    FollowKind,
    LoginAttempt,
    Member,
    Subscriber,
    Tier,
    TokenPurpose,
    utcnow,
)

log = logging.getLogger(__name__)

MAX_EMAIL = 320
# deliberately plain: one @, a dot in the domain, no spaces or angle brackets (header safety)
_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251})\.[A-Za-z0-9-]{2,63}$"
)
MAX_FOLLOWS = 200


class MemberError(Exception):
    """A member operation that cannot be done; the message says why."""


class InvalidEmail(MemberError, ValueError):
    """The address is not one we can send mail to."""


class MemberNotFound(MemberError, LookupError):
    """No member has this address (or id)."""


class UnknownTier(MemberError, ValueError):
    """The tier is not free or supporter."""


class TooManyLinks(MemberError):
    """Too many sign-in or confirmation links were asked for in a short time."""


class InvalidFollow(MemberError, ValueError):
    """A follow names an unknown kind or an empty key, or there are too many."""


def normalize_email(raw: str) -> str:
    """The address as we store it (trimmed, lower-cased); InvalidEmail when it is not one."""
    email = (raw or "").strip().lower()
    if not email or len(email) > MAX_EMAIL or not _EMAIL.match(email) or ".." in email:
        raise InvalidEmail(f"{raw.strip()[:80]!r} is not an e-mail address we can write to")
    return email


def find_member(session: Session, email: str) -> Member | None:
    """The member with this address, or None."""
    return session.scalar(select(Member).where(Member.email == normalize_email(email)))


def get_member(session: Session, email: str) -> Member:
    """The member with this address; MemberNotFound otherwise."""
    member = find_member(session, email)
    if member is None:
        raise MemberNotFound(f"no member {email.strip()!r}")
    return member


def create_member(
    session: Session,
    email: str,
    *,
    tier: str = Tier.FREE,
    name: str = "",
    source: str = "signup",
    now: dt.datetime | None = None,
) -> Member:
    """A new member (MemberError if the address is taken)."""
    email = normalize_email(email)
    if tier not in Tier.ALL:
        raise UnknownTier(f"unknown tier {tier!r}: use one of {', '.join(Tier.ALL)}")
    if find_member(session, email) is not None:
        raise MemberError(f"{email} is already a member")
    now = now or utcnow()
    member = Member(
        email=email, name=name.strip()[:200], tier=tier, tier_source=source, created_at=now
    )
    member.tier_updated_at = now
    session.add(member)
    session.flush()
    # a newsletter address that is this member's becomes theirs
    sub = session.scalar(select(Subscriber).where(Subscriber.email == email))
    if sub is not None and sub.member_id is None:
        sub.member_id = member.id
    return member


def set_tier(
    session: Session, email: str, tier: str, *, source: str, now: dt.datetime | None = None
) -> Member:
    """Set a member's tier, recording who set it (admin:<name>, cli, webhook)."""
    if tier not in Tier.ALL:
        raise UnknownTier(f"unknown tier {tier!r}: use one of {', '.join(Tier.ALL)}")
    member = get_member(session, email)
    if member.tier != tier:
        log.info("member %s: tier %s -> %s (%s)", member.id, member.tier, tier, source)
    member.tier = tier
    member.tier_source = source[:64]
    member.tier_updated_at = now or utcnow()
    session.flush()
    return member


def set_member_disabled(session: Session, email: str, disabled: bool = True) -> Member:
    """Disable (or enable) a member: a disabled member cannot sign in and is signed out."""
    member = get_member(session, email)
    member.disabled = disabled
    if disabled:
        member.sessions_valid_after = utcnow()
    session.flush()
    return member


def list_members(session: Session, *, tier: str | None = None) -> list[Member]:
    """Members, newest first, optionally of one tier."""
    stmt = select(Member).order_by(Member.created_at.desc(), Member.id.desc())
    if tier is not None:
        stmt = stmt.where(Member.tier == tier)
    return list(session.scalars(stmt))


def count_members(session: Session) -> dict[str, int]:
    """Members per tier."""
    rows = session.execute(select(Member.tier, func.count()).group_by(Member.tier))
    return {str(t): int(n) for t, n in rows}


# -- rate limits on mailed links ---------------------------------------------------------


def check_link_rate(
    session: Session, settings: Settings, email: str, client: str, now: dt.datetime | None = None
) -> None:
    """Record a request for a mailed link; TooManyLinks past the limit per address or client.

    The limit is `login_max_attempts` per address (and four times that per client address)
    within `login_window_seconds`: enough for a reader, too few to mail-bomb someone.
    """
    now = now or utcnow()
    since = now - dt.timedelta(seconds=settings.login_window_seconds)
    keys = {f"maillink:{email}": settings.login_max_attempts}
    keys[f"maillink-ip:{client}"] = settings.login_max_attempts * 4
    for key, limit in keys.items():
        used = session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.at >= since)
        )
        if (used or 0) >= limit:
            minutes = max(1, settings.login_window_seconds // 60)
            raise TooManyLinks(f"Too many links were asked for. Try again in {minutes} minutes.")
    for key in keys:
        session.add(LoginAttempt(key=key, at=now, ok=True))
    session.flush()


# -- sign-in by e-mailed link -------------------------------------------------------------


def issue_signin_token(
    session: Session,
    settings: Settings,
    secret_key: str,
    email: str,
    now: dt.datetime | None = None,
) -> str:
    """A sign-in token for this address (member or not yet): the link creates the account."""
    email = normalize_email(email)
    member = find_member(session, email)
    if member is not None and member.disabled:
        raise MemberError("this account is disabled")
    return issue_token(
        session, secret_key, TokenPurpose.SIGNIN, email, settings.member_link_max_age, now=now
    )


def redeem_signin_token(
    session: Session,
    settings: Settings,
    secret_key: str,
    token: str,
    now: dt.datetime | None = None,
) -> Member:
    """Use a sign-in link once: the member it signs in (created on first use)."""
    now = now or utcnow()
    email = redeem_token(
        session,
        secret_key,
        TokenPurpose.SIGNIN,
        token,
        now=now,
        max_age=settings.member_link_max_age,
    )
    member = find_member(session, email)
    if member is None:
        member = create_member(session, email, now=now)
    if member.disabled:
        raise MemberError("this account is disabled")
    member.confirmed_at = member.confirmed_at or now
    member.last_login_at = now
    session.flush()
    return member


def sign_out_everywhere(session: Session, member: Member, now: dt.datetime | None = None) -> None:
    """End every session of this member (cookies issued before now stop working)."""
    member.sessions_valid_after = now or utcnow()
    session.flush()


# -- follows ------------------------------------------------------------------------------


def follow(session: Session, member: Member, kind: str, key: str) -> Follow:
    """Follow a story (its id), a persona (its id) or a tag; following twice is one follow."""
    key = (key or "").strip()
    if kind not in FollowKind.ALL:
        raise InvalidFollow(f"cannot follow a {kind!r}: use {', '.join(FollowKind.ALL)}")
    if not key or len(key) > 200 or (kind == FollowKind.STORY and not key.isdigit()):
        raise InvalidFollow(f"nothing to follow: {key[:40]!r}")
    found = session.scalar(
        select(Follow).where(Follow.member_id == member.id, Follow.kind == kind, Follow.key == key)
    )
    if found is not None:
        return found
    count = session.scalar(
        select(func.count()).select_from(Follow).where(Follow.member_id == member.id)
    )
    if (count or 0) >= MAX_FOLLOWS:
        raise InvalidFollow(f"a member follows at most {MAX_FOLLOWS} things")
    row = Follow(member_id=member.id, kind=kind, key=key)
    session.add(row)
    session.flush()
    return row


def unfollow(session: Session, member: Member, kind: str, key: str) -> bool:
    """Stop following; True when there was something to stop."""
    row = session.scalar(
        select(Follow).where(Follow.member_id == member.id, Follow.kind == kind, Follow.key == key)
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def follows_of(session: Session, member_id: int) -> list[Follow]:
    """What a member follows, oldest first."""
    return list(
        session.scalars(select(Follow).where(Follow.member_id == member_id).order_by(Follow.id))
    )


# -- data export and deletion -------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_member(session: Session, email: str) -> dict[str, Any]:
    """Everything stored about a member: account, follows, alert mails."""
    member = get_member(session, email)
    alerts = session.scalars(
        select(AlertDelivery).where(AlertDelivery.member_id == member.id).order_by(AlertDelivery.id)
    )
    return {
        "email": member.email,
        "name": member.name,
        "tier": member.tier,
        "tier_source": member.tier_source,
        "tier_updated_at": _iso(member.tier_updated_at),
        "created_at": _iso(member.created_at),
        "confirmed_at": _iso(member.confirmed_at),
        "last_login_at": _iso(member.last_login_at),
        "disabled": member.disabled,
        "follows": [
            {"kind": f.kind, "key": f.key, "since": _iso(f.created_at)}
            for f in follows_of(session, member.id)
        ],
        "alerts": [
            {
                "story_id": a.story_id,
                "analysis_id": a.analysis_id,
                "status": a.status,
                "sent_at": _iso(a.sent_at),
            }
            for a in alerts
        ],
    }


def delete_member(session: Session, email: str) -> None:
    """Delete a member with their follows and alert log (their newsletter address stays until
    it is deleted too: `newsdesk subscribers delete`)."""
    member = get_member(session, email)
    for model in (Follow, AlertDelivery):
        for row in session.scalars(select(model).where(model.member_id == member.id)):
            session.delete(row)
    session.flush()
    session.delete(member)
    session.flush()
