"""What the app was built over, for route handlers: its store and its settings."""

from __future__ import annotations

from fastapi import Request

from newsdesk.settings import Settings
from newsdesk.store import Store


def app_store(request: Request) -> Store:
    """The store of the app serving this request."""
    store: Store = request.app.state.store
    return store


def app_settings(request: Request) -> Settings:
    """The settings of the app serving this request."""
    settings: Settings = request.app.state.settings
    return settings
