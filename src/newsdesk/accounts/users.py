"""Desk accounts: argon2 password hashes, roles, and rate-limited sign-in."""

from __future__ import annotations

import datetime as dt
import logging
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.settings import Settings
from newsdesk.store import LoginAttempt, Role, User, utcnow

log = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"[a-z0-9_.-]{2,64}")
MIN_PASSWORD_LENGTH = 10
KEY_LENGTH = 200  # LoginAttempt.key column size

_hasher = PasswordHasher()
_dummy_hash: str | None = None

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "AccountDisabled",
    "AccountError",
    "InvalidCredentials",
    "InvalidUsername",
    "LoginRateLimited",
    "UnknownRole",
    "UserExists",
    "UserNotFound",
    "WeakPassword",
    "authenticate",
    "create_user",
    "get_user",
    "hash_password",
    "list_users",
    "set_disabled",
    "set_password",
    "set_role",
    "verify_password",
]


class AccountError(Exception):
    """Base class of every account error; str() is a message fit for the user."""


class UserExists(AccountError):
    """An account with that username already exists."""


class UserNotFound(AccountError):
    """No account has that username."""


class InvalidUsername(AccountError):
    """The username does not match [a-z0-9_.-]{2,64}."""


class WeakPassword(AccountError):
    """The password is shorter than MIN_PASSWORD_LENGTH characters."""


class UnknownRole(AccountError):
    """The role is not one of Role.ALL."""


class InvalidCredentials(AccountError):
    """Wrong username or password (deliberately not saying which)."""


class AccountDisabled(InvalidCredentials):
    """The password was right but the account is disabled."""


class LoginRateLimited(AccountError):
    """Too many failed sign-ins for this account or address within the window."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    """An argon2id hash of the password with the library's current parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash (malformed hashes never match)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _burn_hash(password: str) -> None:
    # an unknown username costs the same argon2 work as a known one, so timing tells nothing
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("newsdesk-no-such-account")
    verify_password(_dummy_hash, password)


def normalize_username(username: str) -> str:
    """The stored form of a username: stripped and lower-cased."""
    return username.strip().lower()


def _check_username(username: str) -> str:
    name = normalize_username(username)
    if not USERNAME_RE.fullmatch(name):
        raise InvalidUsername(
            f"invalid username {username!r}: use 2-64 characters from a-z, 0-9, '_', '.', '-'"
        )
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")


def _check_role(role: str) -> str:
    if role not in Role.ALL:
        raise UnknownRole(f"unknown role {role!r}: choose one of {', '.join(Role.ALL)}")
    return role


def get_user(session: Session, username: str) -> User:
    """The account with that username; UserNotFound otherwise."""
    user = session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        raise UserNotFound(f"no user named {username!r}")
    return user


def create_user(
    session: Session, username: str, password: str, role: str, display_name: str = ""
) -> User:
    """Add an account; the password is stored only as an argon2 hash."""
    name = _check_username(username)
    _check_password(password)
    _check_role(role)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise UserExists(f"a user named {name!r} already exists")
    user = User(
        username=name,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
    )
    session.add(user)
    session.flush()
    log.info("created user %s (%s)", name, role)
    return user


def set_role(session: Session, username: str, role: str) -> User:
    """Give an account another role."""
    _check_role(role)
    user = get_user(session, username)
    user.role = role
    session.flush()
    return user


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    """Disable an account (it can no longer sign in) or enable it again."""
    user = get_user(session, username)
    user.disabled = disabled
    session.flush()
    return user


def set_password(session: Session, username: str, password: str) -> User:
    """Replace an account's password (its open sessions stop working)."""
    _check_password(password)
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def _failures_since(
    session: Session, key: str, since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    """How many failures `key` had since `since`, and when the oldest of them was."""
    recent = (LoginAttempt.key == key, LoginAttempt.ok.is_(False), LoginAttempt.at >= since)
    count = session.scalar(select(func.count(LoginAttempt.id)).where(*recent)) or 0
    oldest = session.scalar(
        select(LoginAttempt.at).where(*recent).order_by(LoginAttempt.at).limit(1)
    )
    return int(count), oldest


def _last_success(session: Session, key: str) -> dt.datetime | None:
    return session.scalar(
        select(LoginAttempt.at)
        .where(LoginAttempt.key == key, LoginAttempt.ok.is_(True))
        .order_by(LoginAttempt.at.desc())
        .limit(1)
    )


def _attempt_keys(username: str, client: str) -> tuple[str, str]:
    return f"user:{username}"[:KEY_LENGTH], f"client:{client}"[:KEY_LENGTH]


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    client: str,
    settings: Settings,
    now: dt.datetime | None = None,
) -> User:
    """The account these credentials open, or an error; every attempt is recorded.

    Once an account or a client address has `login_max_attempts` failures within
    `login_window_seconds`, further attempts raise LoginRateLimited without checking the
    password. The attempt rows are added to `session`: catch the error inside the transaction
    so they are committed.
    """
    now = now or utcnow()
    name = normalize_username(username)
    user_key, client_key = _attempt_keys(name, client)
    window = dt.timedelta(seconds=settings.login_window_seconds)
    since = now - window
    # a successful sign-in clears the account's count (not the address's: one good login
    # from an address must not reset a password-guessing run against other accounts)
    last_ok = _last_success(session, user_key)
    user_since = max(since, last_ok) if last_ok is not None else since
    for key, start, what in (
        (user_key, user_since, "this account"),
        (client_key, since, "this address"),
    ):
        failures, oldest = _failures_since(session, key, start)
        if failures >= settings.login_max_attempts:
            retry = window - (now - oldest) if oldest is not None else window
            seconds = max(1, int(retry.total_seconds()))
            log.warning("sign-in refused for %s: %d recent failures", key, failures)
            raise LoginRateLimited(
                f"too many failed sign-ins for {what}; try again in {_minutes(seconds)}",
                retry_after=seconds,
            )

    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        _burn_hash(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    session.add_all(
        [LoginAttempt(key=user_key, at=now, ok=ok), LoginAttempt(key=client_key, at=now, ok=ok)]
    )
    session.flush()
    if user is None or not ok:
        raise InvalidCredentials("wrong username or password")
    if user.disabled:
        raise AccountDisabled("this account is disabled")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        log.info("rehashed the password of %s with current parameters", name)
    user.last_login_at = now
    session.flush()
    return user


def _minutes(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return "1 minute" if minutes <= 1 else f"{minutes} minutes"
