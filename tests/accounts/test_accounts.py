"""Accounts on real stores: argon2 hashes, roles, disabled users and sign-in rate limiting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from newsdesk.accounts import (
    AccountDisabled,
    InvalidCredentials,
    InvalidUsername,
    LoginRateLimited,
    UnknownRole,
    UserExists,
    UserNotFound,
    WeakPassword,
    authenticate,
    create_user,
    get_user,
    list_users,
    set_disabled,
    set_role,
    verify_password,
)
from newsdesk.settings import Settings
from newsdesk.store import LoginAttempt, Role, Store

PASSWORD = "correct horse battery"
T0 = dt.datetime(2026, 11, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def limits(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", login_max_attempts=3, login_window_seconds=600)


def _login(
    store: Store,
    settings: Settings,
    username: str,
    password: str,
    *,
    client: str = "203.0.113.7",
    now: dt.datetime = T0,
) -> str:
    """Run authenticate in its own transaction, committing the attempt rows either way."""
    with store.session() as s:
        try:
            return authenticate(
                s, username, password, client=client, settings=settings, now=now
            ).username
        except InvalidCredentials as exc:
            return f"invalid: {exc}"
        except LoginRateLimited as exc:
            return f"limited: {exc.retry_after}"


def test_create_hashes_and_validates(store: Store) -> None:
    with store.session() as s:
        user = create_user(
            s, "Alice.Desk", PASSWORD, Role.EDITOR, display_name=" Alice (invented) "
        )
        assert user.username == "alice.desk" and user.display_name == "Alice (invented)"
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert verify_password(user.password_hash, PASSWORD)
        assert not verify_password(user.password_hash, PASSWORD + "!")
        assert not verify_password("not-a-hash", PASSWORD)
        with pytest.raises(UserExists):
            create_user(s, "alice.desk", PASSWORD, Role.EDITOR)
        with pytest.raises(WeakPassword, match="at least 10"):
            create_user(s, "bob", "short", Role.EDITOR)
        with pytest.raises(InvalidUsername):
            create_user(s, "b", PASSWORD, Role.EDITOR)
        with pytest.raises(InvalidUsername):
            create_user(s, "bob smith", PASSWORD, Role.EDITOR)
        with pytest.raises(UnknownRole, match="contributor, editor, admin"):
            create_user(s, "bob", PASSWORD, "owner")
    with store.reader() as s:
        assert [u.username for u in list_users(s)] == ["alice.desk"]


def test_set_role_and_disable(store: Store, limits: Settings) -> None:
    with store.session() as s:
        create_user(s, "carol", PASSWORD, Role.CONTRIBUTOR)
    with store.session() as s:
        assert set_role(s, "carol", Role.ADMIN).role == Role.ADMIN
        with pytest.raises(UnknownRole):
            set_role(s, "carol", "superuser")
        with pytest.raises(UserNotFound):
            set_role(s, "nobody", Role.EDITOR)
    with store.reader() as s:
        assert get_user(s, "CAROL").role == Role.ADMIN

    assert _login(store, limits, "carol", PASSWORD) == "carol"
    with store.session() as s:
        set_disabled(s, "carol")
    with store.session() as s, pytest.raises(AccountDisabled):
        authenticate(s, "carol", PASSWORD, client="198.51.100.1", settings=limits, now=T0)
    with store.reader() as s:
        assert get_user(s, "carol").last_login_at == T0


def test_wrong_password_and_unknown_user_record_failures(store: Store, limits: Settings) -> None:
    with store.session() as s:
        create_user(s, "dave", PASSWORD, Role.EDITOR)
    assert _login(store, limits, "dave", "wrong password!") == "invalid: wrong username or password"
    assert _login(store, limits, "nobody", PASSWORD) == "invalid: wrong username or password"
    with store.reader() as s:
        keys = sorted((a.key, a.ok) for a in s.query(LoginAttempt))
    assert keys == [
        ("client:203.0.113.7", False),
        ("client:203.0.113.7", False),
        ("user:dave", False),
        ("user:nobody", False),
    ]


def test_lockout_by_username(store: Store, limits: Settings) -> None:
    with store.session() as s:
        create_user(s, "erin", PASSWORD, Role.EDITOR)
    for i in range(3):  # from three different addresses: only the account count trips
        assert _login(store, limits, "erin", "guess-guess", client=f"10.0.0.{i}").startswith(
            "invalid"
        )
    later = T0 + dt.timedelta(minutes=2)
    # the right password is refused too while locked; the wait is counted from the oldest failure
    assert _login(store, limits, "erin", PASSWORD, client="10.0.0.9", now=later) == "limited: 480"
    # another account from a fresh address is unaffected
    with store.session() as s:
        create_user(s, "frank", PASSWORD, Role.EDITOR)
    assert _login(store, limits, "frank", PASSWORD, client="10.0.0.8", now=later) == "frank"
    # once the window has passed, the account opens again
    assert _login(store, limits, "erin", PASSWORD, now=T0 + dt.timedelta(seconds=601)) == "erin"


def test_lockout_by_client_address(store: Store, limits: Settings) -> None:
    with store.session() as s:
        create_user(s, "grace", PASSWORD, Role.EDITOR)
    for name in ("alpha", "bravo", "charlie"):  # spraying different usernames from one address
        assert _login(store, limits, name, "spray-password").startswith("invalid")
    with store.session() as s, pytest.raises(LoginRateLimited, match="this address"):
        authenticate(s, "grace", PASSWORD, client="203.0.113.7", settings=limits, now=T0)
    assert _login(store, limits, "grace", PASSWORD, client="192.0.2.50") == "grace"


def test_success_resets_the_account_count(store: Store, limits: Settings) -> None:
    with store.session() as s:
        create_user(s, "heidi", PASSWORD, Role.EDITOR)
    at = [T0 + dt.timedelta(seconds=i) for i in range(6)]
    assert _login(store, limits, "heidi", "typo-typo-1", client="a", now=at[0]).startswith(
        "invalid"
    )
    assert _login(store, limits, "heidi", "typo-typo-2", client="b", now=at[1]).startswith(
        "invalid"
    )
    assert _login(store, limits, "heidi", PASSWORD, client="c", now=at[2]) == "heidi"
    assert _login(store, limits, "heidi", "typo-typo-3", client="d", now=at[3]).startswith(
        "invalid"
    )
    assert _login(store, limits, "heidi", PASSWORD, client="e", now=at[4]) == "heidi"


def test_rehash_on_login_when_parameters_changed(store: Store, limits: Settings) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    with store.session() as s:
        user = create_user(s, "ivan", PASSWORD, Role.EDITOR)
        user.password_hash = weak.hash(PASSWORD)
        old = user.password_hash
    assert _login(store, limits, "ivan", PASSWORD) == "ivan"
    with store.reader() as s:
        new = get_user(s, "ivan").password_hash
    assert new != old and not PasswordHasher().check_needs_rehash(new)
    assert verify_password(new, PASSWORD)
