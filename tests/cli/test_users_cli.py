"""`newsdesk users ...` through the CLI runner on a real SQLite store. Names are invented."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import newsdesk.cli.users_cmds  # noqa: F401  (importing registers the commands)
from newsdesk.accounts import get_user, verify_password
from newsdesk.cli._app import app
from newsdesk.store import Store

Run = Callable[..., Result]
PASSWORD = "a long invented passphrase"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the app with --data-dir in tmp_path, away from any ./newsdesk.toml."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args], input=input)

    return invoke


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'data' / 'newsdesk.db'}")


def test_add_from_stdin_list_and_set_role(run: Run, tmp_path: Path) -> None:
    result = run(
        "users", "add", "alice", "--role", "editor", "--name", "Alice Example",
        "--password-stdin", input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added alice (Alice Example), editor" in result.output
    assert PASSWORD not in result.output
    store = _store(tmp_path)
    with store.reader() as s:
        user = get_user(s, "alice")
        assert verify_password(user.password_hash, PASSWORD) and user.role == "editor"

    listing = run("users", "list")
    assert listing.exit_code == 0
    assert "1 users" in listing.output and "Alice Example" in listing.output
    assert "never" in listing.output and "active" in listing.output

    changed = run("users", "set-role", "alice", "admin")
    assert changed.exit_code == 0 and "updated alice (Alice Example), admin" in changed.output
    with store.reader() as s:
        assert get_user(s, "alice").role == "admin"
    assert run("users", "disable", "alice").exit_code == 0
    assert "disabled" in run("users", "list").output
    store.dispose()


def test_add_with_hidden_prompt_asks_twice(run: Run, tmp_path: Path) -> None:
    result = run("users", "add", "bob", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output and PASSWORD not in result.output
    assert "added bob, contributor" in result.output
    store = _store(tmp_path)
    with store.reader() as s:
        assert verify_password(get_user(s, "bob").password_hash, PASSWORD)
    store.dispose()


def test_errors_have_exit_codes(run: Run) -> None:
    weak = run("users", "add", "carol", "--password-stdin", input="short\n")
    assert weak.exit_code == 2 and "at least 10 characters" in weak.output
    bad_name = run("users", "add", "Carol Smith", "--password-stdin", input=PASSWORD + "\n")
    assert bad_name.exit_code == 2 and "invalid username" in bad_name.output
    bad_role = run("users", "add", "carol", "--role", "owner", "--password-stdin", input=PASSWORD)
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    assert run("users", "add", "carol", "--password-stdin", input=PASSWORD).exit_code == 0
    again = run("users", "add", "carol", "--password-stdin", input=PASSWORD)
    assert again.exit_code == 1 and "already exists" in again.output
    missing = run("users", "set-role", "nobody", "editor")
    assert missing.exit_code == 1 and "no user named" in missing.output
    assert run("users", "set-role", "carol", "owner").exit_code == 2


def test_no_plain_password_flag_and_help_has_examples(run: Run) -> None:
    assert run("users", "add", "dave", "--password", PASSWORD).exit_code == 2
    help_text = run("users", "add", "--help").output
    assert "Example:" in help_text and "--password-stdin" in help_text


def test_token_is_printed_once_works_on_the_api_and_can_be_revoked(
    run: Run, tmp_path: Path
) -> None:
    from newsdesk.accounts.tokens import user_for_token

    assert run("users", "add", "bea", "--role", "editor", "--password-stdin",
               input=PASSWORD + "\n").exit_code == 0  # fmt: skip
    too_high = run("users", "token", "bea", "--role", "admin")
    assert too_high.exit_code != 0
    made = run("users", "token", "bea", "--name", "wire script")
    assert made.exit_code == 0, made.output
    plaintext = made.output.strip().splitlines()[-1]
    token_id = int(made.output.split()[1])
    store = _store(tmp_path)
    with store.session() as s:
        found = user_for_token(s, plaintext)
        assert found is not None and found[0].username == "bea" and found[1] == "editor"
    assert run("users", "revoke-token", str(token_id)).exit_code == 0
    with store.session() as s:
        assert user_for_token(s, plaintext) is None
    assert run("users", "revoke-token", "9999").exit_code != 0
    store.dispose()
