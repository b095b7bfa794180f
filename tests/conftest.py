"""Shared fixtures: settings in a temp folder, real stores (SQLite, PostgreSQL), a local server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from newsdesk.settings import Settings
from newsdesk.store import Store
from tests.localserver import LocalServer

POSTGRES_URL = os.environ.get("NEWSDESK_TEST_POSTGRES_URL", "")

# Rich sizes its tables to the terminal; tests read CLI output, so give every run (a terminal, a
# pipe, an xdist worker) the same width
os.environ["COLUMNS"] = "200"


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


@dataclass(frozen=True)
class DemoBuild:
    """The offline demo, built once per test session by the real CLI (`demo --no-serve --fresh`)."""

    data_dir: Path
    output: str

    def copy(self, into: Path) -> Path:
        """A private copy of the built data folder, for tests that change the store."""
        target = into / "data"
        shutil.copytree(self.data_dir, target)
        return target


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """Build the demo once per session; the demo, browser and web tests read it (or a copy).

    Under pytest-xdist the demo modules run on one worker (pytest_collection_modifyitems),
    so the demo is still built once per run."""
    from typer.testing import CliRunner

    from newsdesk.cli import app

    data = tmp_path_factory.mktemp("demo") / "data"
    result = CliRunner().invoke(app, ["--data-dir", str(data), "demo", "--no-serve", "--fresh"])
    assert result.exit_code == 0, result.output
    return DemoBuild(data, result.output)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Gate and end-to-end tests carry their folder's marker, so `-m "not gate and not e2e"`
    selects the fast suite; tests that use the session's demo build run on one xdist worker."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gates" in parts:
            item.add_marker(pytest.mark.gate)
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)
        if "demo_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
