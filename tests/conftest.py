"""Shared fixtures: settings in a temp folder, real stores (SQLite, PostgreSQL), a local server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from newsdesk.settings import Settings
from newsdesk.store import Store
from tests.localserver import LocalServer

POSTGRES_URL = os.environ.get("NEWSDESK_TEST_POSTGRES_URL", "")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings isolated in tmp_path; no politeness delays so tests run fast."""
    return Settings(
        data_dir=tmp_path / "data",
        per_host_delay=0.0,
        connect_timeout=2.0,
        read_timeout=2.0,
        total_timeout=5.0,
    )


def _postgres_schema_url(schema: str) -> str:
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL: a fresh SQLite file, or a fresh schema in PostgreSQL when configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("NEWSDESK_TEST_POSTGRES_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated store on a real database."""
    s = Store(store_url)
    s.migrate()
    try:
        yield s
    finally:
        s.dispose()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1."""
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()
