"""API tokens: bearer secrets for the editor API, of which only the SHA-256 is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import ApiToken, Role, User, utcnow

log = logging.getLogger(__name__)

TOKEN_PREFIX = "nd_"
# last_used_at is rewritten at most this often, so reads with a token do not each cost a write
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class TokenRoleTooHigh(ValueError):
    """A token may not carry more rights than the account it belongs to."""


class UnknownRole(ValueError):
    """The role is not one of contributor, editor, admin."""


class DisabledAccount(ValueError):
    """A disabled account cannot be given new tokens."""


def hash_token(plaintext: str) -> str:
    """The stored form of a token: hex SHA-256 of its text (tokens are random, so no salt)."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_api_token(session: Session, user: User, name: str, role: str) -> tuple[ApiToken, str]:
    """Create a token for `user` with `role` (at most the user's role).

    Args:
        session: The caller's session (flushed, not committed).
        user: The account the token acts for.
        name: A label to recognise the token by ("ci", "laptop").
        role: contributor, editor or admin; may not exceed `user.role`.

    Returns:
        The ApiToken row and the plaintext token, which is shown once and never stored.

    Raises:
        UnknownRole, TokenRoleTooHigh, DisabledAccount.
    """
    if role not in Role.ALL:
        raise UnknownRole(f"unknown role {role!r} (expected one of {', '.join(Role.ALL)})")
    if user.disabled:
        raise DisabledAccount(f"account {user.username!r} is disabled")
    if not Role.at_least(user.role, role):
        raise TokenRoleTooHigh(
            f"a token for {user.username!r} ({user.role}) cannot have the role {role}"
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plaintext), role=role)
    session.add(token)
    session.flush()
    log.info("API token %s (%s, %s) created for %s", token.id, name, role, user.username)
    return token, plaintext


def _lower_role(a: str, b: str) -> str:
    return a if Role.at_least(b, a) else b


def user_for_token(
    session: Session, plaintext: str, now: dt.datetime | None = None
) -> tuple[User, str] | None:
    """The account and the effective role a token grants, or None when it grants nothing.

    Revoked tokens and disabled accounts are refused. The effective role is the lower of the
    token's and the account's current role, so demoting an account also demotes its tokens.
    Updates last_used_at (at most once a minute) in the caller's transaction.
    """
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    if token is None or token.revoked:
        return None
    user = session.get(User, token.user_id)
    if user is None or user.disabled:
        return None
    role = _lower_role(token.role, user.role)
    if role not in Role.ALL:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return user, role


def revoke_api_token(session: Session, token_id: int) -> ApiToken | None:
    """Revoke a token by id; returns it (None when there is no such token)."""
    token = session.get(ApiToken, token_id)
    if token is not None and not token.revoked:
        token.revoked = True
        session.flush()
        log.info("API token %s revoked", token_id)
    return token
