"""Signed, expiring, single-use tokens sent by mail (sign-in links, newsletter confirmations).

A token is an itsdangerous signature over the address and a random nonce, salted by purpose;
only the nonce's SHA-256 is stored, with its expiry and the moment it was used. A token is
good once, before it expires, for the purpose it was made for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from newsdesk.store import EmailToken, TokenPurpose, utcnow


class TokenError(ValueError):
    """An e-mailed link that cannot be used; the message says why, for the reader."""


class InvalidToken(TokenError):
    """The link was not made by us, was cut short, or is for something else."""


class ExpiredToken(TokenError):
    """The link is older than it may be."""


class UsedToken(TokenError):
    """The link was already used once."""


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"newsdesk.mail.{purpose}")


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def issue_token(
    session: Session,
    secret_key: str,
    purpose: str,
    email: str,
    max_age: int,
    *,
    now: dt.datetime | None = None,
) -> str:
    """A new token for `email`, recorded as unused; the plaintext goes only into the mail."""
    if purpose not in TokenPurpose.ALL:
        raise ValueError(f"unknown token purpose {purpose!r}")
    now = now or utcnow()
    nonce = secrets.token_urlsafe(24)
    session.add(
        EmailToken(
            purpose=purpose,
            email=email,
            token_hash=_digest(nonce),
            created_at=now,
            expires_at=now + dt.timedelta(seconds=max_age),
        )
    )
    session.flush()
    return _serializer(secret_key, purpose).dumps({"e": email, "n": nonce})


def redeem_token(
    session: Session,
    secret_key: str,
    purpose: str,
    token: str,
    *,
    now: dt.datetime | None = None,
    max_age: int | None = None,
) -> str:
    """Use a token once: returns the address it was issued for, or raises a TokenError."""
    now = now or utcnow()
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=max_age)
        email, nonce = str(data["e"]), str(data["n"])
    except SignatureExpired as exc:
        raise ExpiredToken("This link has expired. Ask for a new one.") from exc
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken("This link is not valid. Ask for a new one.") from exc
    row = session.scalar(
        select(EmailToken).where(
            EmailToken.token_hash == _digest(nonce), EmailToken.purpose == purpose
        )
    )
    if row is None or row.email != email:
        raise InvalidToken("This link is not valid. Ask for a new one.")
    if row.used_at is not None:
        raise UsedToken("This link was already used. Ask for a new one if you need it.")
    if _aware(row.expires_at) <= now:
        raise ExpiredToken("This link has expired. Ask for a new one.")
    # one UPDATE that only an unused row matches: two clicks at once cannot both win
    used = session.execute(
        update(EmailToken)
        .where(EmailToken.id == row.id, EmailToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(used, "rowcount", 0) != 1:
        raise UsedToken("This link was already used. Ask for a new one if you need it.")
    return email


def purge_tokens(session: Session, *, now: dt.datetime | None = None) -> int:
    """Delete tokens that expired more than a day ago; returns how many."""
    cutoff = (now or utcnow()) - dt.timedelta(days=1)
    rows = list(session.scalars(select(EmailToken).where(EmailToken.expires_at < cutoff)))
    for row in rows:
        session.delete(row)
    return len(rows)
