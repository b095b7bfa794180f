"""`newsdesk sources ...` through the CLI runner on real stores. Outlet names are invented."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import newsdesk.cli.sources_cmds  # noqa: F401  (importing registers the commands)
from newsdesk.cli._app import app
from newsdesk.monitor.sources import get_source
from newsdesk.store import Store

Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the app with --data-dir in tmp_path, away from any ./newsdesk.toml."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])

    return invoke


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")


def test_add_list_disable_enable_refresh_remove(run: Run, tmp_path: Path) -> None:
    result = run(
        "sources",
        "add",
        "https://news.example.org/rss.xml",
        "--outlet",
        "Invented Ledger",
        "--kind",
        "feed",
        "-l",
        "EN",
        "--country",
        "gb",
        "--tier",
        "1",
        "--policy",
        "entry_frequency",
        "--interval",
        "600",
        "--disabled",
    )
    assert result.exit_code == 0, result.output
    assert "added #1 Invented Ledger <https://news.example.org/rss.xml>" in result.output
    store = _store(tmp_path)
    with store.reader() as s:
        src = get_source(s, 1)
        assert (src.language_hint, src.country, src.reliability_tier, src.poll_policy) == (
            "en",
            "GB",
            1,
            "entry_frequency",
        )
        assert (src.poll_interval, src.enabled) == (600, False)

    assert run("sources", "add", "http://127.0.0.1:9/feed", "--allow-private").exit_code == 0
    listing = run("sources", "list")
    assert listing.exit_code == 0
    assert "2 sources" in listing.output and "Invented Ledger" in listing.output
    assert "entry_frequency" not in listing.output  # policy is not a column; tier and lang are
    assert "GB" in listing.output and "now" in listing.output

    assert run("sources", "enable", "1").exit_code == 0
    assert run("sources", "disable", "http://127.0.0.1:9/feed").exit_code == 0
    with store.session() as s:
        src = get_source(s, 2)
        src.suspended, src.error_count = True, 11
    refreshed = run("sources", "refresh", "2")
    assert refreshed.exit_code == 0 and "due now" in refreshed.output
    with store.reader() as s:
        assert get_source(s, 1).enabled is True
        two = get_source(s, 2)
        assert (two.enabled, two.suspended, two.error_count) == (False, False, 0)
        assert two.next_check_at is not None

    removed = run("sources", "remove", "https://news.example.org/rss.xml")
    assert removed.exit_code == 0 and "removed #1" in removed.output
    assert "1 sources" in run("sources", "list").output
    store.dispose()


def test_policy_defaults_to_the_setting(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_POLL_POLICY", "entry_frequency")
    assert run("sources", "add", "https://news.example.org/a").exit_code == 0
    store = _store(tmp_path)
    with store.reader() as s:
        assert get_source(s, 1).poll_policy == "entry_frequency"
    store.dispose()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("add", "ftp://news.example.org/x"), 2, "not an http(s) URL"),
        (("add", "https://news.example.org/x", "--tier", "7"), 2, "tier"),
        (("add", "https://news.example.org/x", "--kind", "blog"), 2, "kind must be one of"),
        (("add", "http://10.0.0.1/x"), 2, "private or loopback"),
        (("remove", "42"), 1, "no source with id or URL"),
        (("enable", "https://none.example.org/"), 1, "no source"),
        (("refresh", "7"), 1, "no source"),
        (("import-opml", "missing.opml"), 2, "cannot read"),
    ],
)
def test_errors_are_red_messages_not_tracebacks(
    run: Run,
    args: tuple[str, ...],
    code: int,
    message: str,
) -> None:
    result = run("sources", *args)
    assert result.exit_code == code
    assert "error:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_duplicate_add_exits_1(run: Run) -> None:
    assert run("sources", "add", "https://news.example.org/x").exit_code == 0
    again = run("sources", "add", "https://NEWS.example.org/x")
    assert again.exit_code == 1
    assert "already registered" in again.stderr


OPML = """<opml version="2.0"><body>
<outline text="Invented group">
 <outline type="rss" text="Invented Courier" xmlUrl="https://courier.example.org/rss"
   language="es" newsdesk:country="MX" newsdesk:tier="3"/>
 <outline type="rss" text="Broken" xmlUrl="mailto:x@example.org"/>
</outline>
<outline type="link" text="Invented page" url="https://page.example.org/live"/>
</body></opml>"""


def test_import_and_export_opml(run: Run, tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(OPML)
    result = run("sources", "import-opml", str(opml))
    assert result.exit_code == 1  # one outline refused
    assert "added 2, already present 0, refused 1" in result.output
    assert "mailto:x@example.org" in result.stderr

    exported = run("sources", "export-opml")
    assert exported.exit_code == 0
    assert exported.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'xmlUrl="https://courier.example.org/rss"' in exported.stdout
    assert 'newsdesk:country="MX"' in exported.stdout

    out = tmp_path / "out.opml"
    assert run("sources", "export-opml", str(out)).exit_code == 0
    # the same document, up to its creation time (the two exports may fall in different seconds)
    undated = re.compile(r"<dateCreated>[^<]*</dateCreated>")
    assert undated.sub("", out.read_text()) == undated.sub("", exported.stdout)

    again = run("sources", "import-opml", str(out))
    assert again.exit_code == 0
    assert "added 0, already present 2, refused 0" in again.output


def test_malformed_opml_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text(OPML[:80])
    result = run("sources", "import-opml", str(bad))
    assert result.exit_code == 2
    assert "malformed OPML" in result.stderr
    assert "0 sources" in run("sources", "list").output


def test_commands_on_a_given_database_url(store_url: str, tmp_path: Path) -> None:
    """The same commands against --database-url (SQLite file, or PostgreSQL when configured)."""
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path / "d"), "--database-url", store_url, "sources"]
    added = runner.invoke(app, [*base, "add", "https://pg.example.org/feed", "-o", "Invented PG"])
    assert added.exit_code == 0, added.output
    listing = runner.invoke(app, [*base, "list"])
    assert "Invented PG" in listing.output
    assert runner.invoke(app, [*base, "remove", "https://pg.example.org/feed"]).exit_code == 0
    assert "0 sources" in runner.invoke(app, [*base, "list"]).output


def test_unreachable_store_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--database-url", "nosuchdb://x", "sources", "list"])
    assert result.exit_code == 1
    assert "cannot open the store" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
