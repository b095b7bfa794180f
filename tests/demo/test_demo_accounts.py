"""The demo editor: created once, given a new password on every serve, able to sign in."""

from __future__ import annotations

import pytest

from newsdesk.accounts import InvalidCredentials, authenticate
from newsdesk.demo.accounts import ensure_demo_editor
from newsdesk.settings import Settings
from newsdesk.store import Role, Store, User


def test_demo_editor_signs_in_with_the_printed_password(store: Store, settings: Settings) -> None:
    name, first = ensure_demo_editor(store)
    again, second = ensure_demo_editor(store)
    assert name == again == "editor"
    assert first != second
    with store.session() as s:
        assert s.query(User).count() == 1
        user = authenticate(s, name, second, client="127.0.0.1", settings=settings)
        assert user.role == Role.EDITOR
    with store.session() as s, pytest.raises(InvalidCredentials):
        authenticate(s, name, first, client="127.0.0.1", settings=settings)
