"""Settings precedence (TOML < env < flags), the starter config, and the docs list every setting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.cli.starter import render_settings_reference, render_starter_config
from newsdesk.settings import ConfigNotFound, Settings, describe_settings, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_has_help_and_default() -> None:
    for name, default, help_text in describe_settings():
        assert help_text.strip(), f"setting {name} has no help text"
        assert default != "PydanticUndefined", f"setting {name} has no default"


def test_docs_list_every_setting() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert docs == render_settings_reference(), "docs/configuration.md is stale: run make docs"
    missing = [name for name, _, _ in describe_settings() if f"`{name}`" not in docs]
    assert not missing, f"docs/configuration.md does not document: {missing}"
    env_missing = [n for n, _, _ in describe_settings() if f"NEWSDESK_{n.upper()}" not in docs]
    assert not env_missing


def test_precedence_toml_then_env_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "newsdesk.toml"
    cfg.write_text('poll_interval = 111\nuser_agent = "from-toml"\nmax_redirects = 3\n')
    assert load_settings(cfg).poll_interval == 111
    monkeypatch.setenv("NEWSDESK_POLL_INTERVAL", "222")
    s = load_settings(cfg)
    assert s.poll_interval == 222 and s.user_agent == "from-toml" and s.max_redirects == 3
    s = load_settings(cfg, poll_interval=333)
    assert s.poll_interval == 333


def test_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigNotFound, match="not found"):
        load_settings(tmp_path / "nope.toml")
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "nope.toml"), "doctor"])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_unknown_setting_is_rejected(tmp_path: Path) -> None:
    cfg = tmp_path / "newsdesk.toml"
    cfg.write_text("pol_interval = 5\n")
    with pytest.raises(ValueError, match="pol_interval"):
        load_settings(cfg)


def test_starter_config_parses_and_loads(tmp_path: Path) -> None:
    text = render_starter_config()
    parsed = tomllib.loads(text)
    assert len(parsed["sources"]) >= 5
    for name, _, _ in describe_settings():
        if name != "sources":
            assert f"# {name} = " in text
    cfg = tmp_path / "newsdesk.toml"
    result = CliRunner().invoke(app, ["init", str(cfg)])
    assert result.exit_code == 0, result.output
    s = load_settings(cfg)
    assert isinstance(s, Settings) and len(s.sources) == len(parsed["sources"])
    again = CliRunner().invoke(app, ["init", str(cfg)])
    assert again.exit_code == 1 and "exists" in again.output


def test_doctor_reports_database_and_models(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "doctor"])
    assert result.exit_code == 0, result.output
    assert "database" in result.output and "language model" in result.output
