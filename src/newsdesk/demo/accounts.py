"""The demo's editor account: created (or given a fresh password) each time the demo serves."""

from __future__ import annotations

import secrets

from newsdesk.accounts import UserNotFound, create_user, get_user, set_password
from newsdesk.store import Role, Store

DEMO_EDITOR = "editor"


def ensure_demo_editor(store: Store) -> tuple[str, str]:
    """(username, password) of the demo editor; the password is new on every call."""
    password = secrets.token_urlsafe(12)
    with store.session() as s:
        try:
            user = get_user(s, DEMO_EDITOR)
        except UserNotFound:
            create_user(s, DEMO_EDITOR, password, Role.EDITOR, display_name="Demo Editor")
        else:
            set_password(s, DEMO_EDITOR, password)
            user.role = Role.EDITOR
            user.disabled = False
    return DEMO_EDITOR, password
