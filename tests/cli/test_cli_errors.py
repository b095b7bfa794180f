"""The one CLI error path: a command raises CLIError; the root group prints one line and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsdesk.cli  # noqa: F401  (importing registers the commands)
from newsdesk.cli._app import EXIT_FAILED, EXIT_USAGE, CLIError, app

SRC = Path(__file__).resolve().parents[2] / "src" / "newsdesk" / "cli"


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    return tmp_path / "data"


# (arguments after --data-dir, exit code, text the one error line must contain)
CASES = [
    (["stories", "show", "999"], EXIT_FAILED, "no story with id 999"),
    (["stories", "show", "1", "--since", "yesterday"], EXIT_USAGE, "not an ISO time: yesterday"),
    (["analyses", "show", "7"], EXIT_FAILED, "no analysis with id 7"),
    (["analyses", "export", "7", "--format", "xml"], EXIT_USAGE, "unknown format 'xml'"),
    (["articles", "show", "5"], EXIT_FAILED, "no article with id 5"),
    (["entities", "list", "--type", "planet"], EXIT_USAGE, "unknown type 'planet'"),
    (["entities", "show", "place:[XX]"], EXIT_FAILED, "place:[XX]"),
    (["sources", "add", "ftp://[bad]/x"], EXIT_USAGE, "ftp://[bad]/x"),
    (["sources", "remove", "42"], EXIT_FAILED, "42"),
    (["users", "set-role", "nobody", "editor"], EXIT_FAILED, "no user named"),
    (["users", "revoke-token", "9"], EXIT_FAILED, "no API token 9"),
    (["personas", "show", "nobody-here"], EXIT_FAILED, "nobody-here"),
    (["brief", "missing[1].jsonl"], EXIT_FAILED, "cannot read missing[1].jsonl"),
    (["extract", "a.html", "b.html", "--url", "https://x.example"], EXIT_USAGE, "single file"),
    (["cluster", "x.jsonl", "--format", "csv"], EXIT_USAGE, "unsupported format 'csv'"),
]


@pytest.mark.parametrize(("args", "code", "message"), CASES, ids=lambda v: str(v)[:40])
def test_errors_print_one_plain_line(
    data_dir: Path, args: list[str], code: int, message: str
) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = _errors(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and message in lines[0], lines
    assert "[red]" not in lines[0] and "\x1b[" not in lines[0]
    assert not isinstance(result.exception, CLIError)  # handled, not propagated


def test_long_message_stays_one_line(data_dir: Path) -> None:
    name = "x" * 200
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), "personas", "show", name])
    lines = _errors(result.stderr)
    assert result.exit_code == EXIT_FAILED and len(lines) == 1 and name in lines[0]


def test_config_not_found_is_a_usage_error(data_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    result = CliRunner().invoke(app, ["--config", str(missing), "stories", "list"])
    assert result.exit_code == EXIT_USAGE
    lines = _errors(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nowhere.toml" in lines[0]


def test_real_process_prints_no_traceback(data_dir: Path) -> None:
    env = {**os.environ, "NO_COLOR": "", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--data-dir", str(data_dir), "stories", "show", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == EXIT_FAILED
    assert done.stderr.strip() == "error: no story with id 3"
    assert "Traceback" not in done.stderr


def test_a_new_command_needs_no_handler_of_its_own() -> None:
    """Any command registered on the app gets the same handling."""

    @app.command("raise-for-test", hidden=True)
    def _raise() -> None:
        raise CLIError("the [bold]thing[/] at C:\\tmp failed", 3)

    try:
        result = CliRunner().invoke(app, ["raise-for-test"])
    finally:
        app.registered_commands.pop()
    assert result.exit_code == 3
    assert result.stderr == "error: the [bold]thing[/] at C:\\tmp failed\n"


def test_commands_print_no_errors_by_hand() -> None:
    """Errors go through CLIError; no module prints its own 'error:' line or builds an Exit."""
    for path in sorted(SRC.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "error:[/]" not in text, path.name
        assert "def fail" not in text and "def _fail" not in text, path.name
        if path.name != "_app.py":
            exits = text.count("typer.Exit(")
            # a report already printed, exiting non-zero: `doctor` and `import-opml` only
            assert exits <= 1, path.name


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("novelty_threshold = 0.86\n", "unknown setting 'novelty_threshold'"),
        ('web_port = "eighty"\n', "web_port: Input should be a valid integer"),
        ("web_port = \n", "unreadable config"),
    ],
)
def test_bad_settings_are_one_line_not_a_traceback(
    data_dir: Path, tmp_path: Path, toml: str, message: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "stories", "list"])
    assert result.exit_code == EXIT_USAGE, result.stderr
    lines = _errors(result.stderr)
    assert len(lines) == 1 and message in lines[0] and str(config) in lines[0], lines
