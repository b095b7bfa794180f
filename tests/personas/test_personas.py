"""Personas: the packaged defaults, user override files, validation errors and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import newsdesk.cli.personas_cmds  # noqa: F401  (importing registers the commands)
from newsdesk.cli._app import app
from newsdesk.personas import (
    ISO_COUNTRIES,
    TOPICS,
    DuplicatePersonaId,
    PersonaConfigInvalid,
    UnknownPersona,
    find_persona,
    load_default_personas,
    load_personas,
)

DEFAULT_IDS = [
    "asia-pacific-economy",
    "south-asia-security",
    "russia-eurasia",
    "middle-east-energy",
    "europe-sanctions",
    "americas",
    "africa",
    "tech-ai-policy",
    "markets-trade",
]

# an invented persona for override files
EXTRA = """
[[personas]]
id = "arctic-shipping"
byline = "Halvard Qilak-Moreau"
bio = "Invented persona for tests. Writes about polar sea routes."
lens = "Routes and seasons."
voice = "Short, factual."

[personas.beat]
name = "Arctic shipping"
regions = ["Arctic"]
countries = ["NO", "IS", "GL", "CA", "RU"]
topics = ["shipping", "energy"]
entities = ["Northern Sea Route"]
languages = ["en", "no", "ru"]
"""


def test_nine_defaults_cover_distinct_beats() -> None:
    personas = load_default_personas()
    assert [p.id for p in personas] == DEFAULT_IDS
    assert len({p.byline for p in personas}) == 9
    assert len({p.beat.name for p in personas}) == 9
    for p in personas:
        assert p.bio.startswith("Invented persona."), p.id
        assert set(p.beat.topics) <= set(TOPICS)
        assert set(p.beat.countries) <= ISO_COUNTRIES
        assert "en" in p.beat.languages
        assert p.lens and p.voice and p.beat.describe()
    global_beats = {p.id for p in personas if p.beat.is_global}
    assert global_beats == {"tech-ai-policy", "markets-trade"}
    # every country of the demo corpus sits in at least one regional beat
    covered = set().union(*(p.beat.countries for p in personas))
    assert {"SG", "IN", "RU", "KW", "BE", "CL", "SN", "CD", "PH", "YE", "TR"} <= covered


def test_defaults_file_says_the_personas_are_invented() -> None:
    text = Path(__file__).parents[2].joinpath("src/newsdesk/personas/defaults.toml").read_text()
    assert "INVENTED" in text.splitlines()[0]


def test_no_file_means_defaults() -> None:
    assert load_personas(None) == load_default_personas()


def test_override_adds_replaces_and_removes(tmp_path: Path) -> None:
    path = tmp_path / "personas.toml"
    path.write_text(
        'remove = ["markets-trade"]\n'
        + EXTRA
        + """
[[personas]]
id = "africa"
byline = "Amara Lindiwe-Castro"
bio = "Invented persona for tests."
lens = "Regional bodies first."
voice = "Plain."

[personas.beat]
name = "West Africa"
countries = ["SN", "ML", "NG", "CI"]
topics = ["elections"]
languages = ["en", "fr"]

[personas.perspective]
enabled = false
""",
        encoding="utf-8",
    )
    personas = load_personas(path)
    ids = [p.id for p in personas]
    assert "markets-trade" not in ids
    assert ids[-1] == "arctic-shipping"
    assert ids.index("africa") == DEFAULT_IDS.index("africa")  # replaced in place
    africa = find_persona(personas, "africa")
    assert africa.byline == "Amara Lindiwe-Castro"
    assert africa.beat.countries == ["SN", "ML", "NG", "CI"]
    assert africa.perspective.enabled is False
    arctic = find_persona(personas, "arctic-shipping")
    assert arctic.beat.entities == ["Northern Sea Route"]
    assert arctic.perspective.threshold == 0.3


def test_include_defaults_false_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "only.toml"
    path.write_text("include_defaults = false\n" + EXTRA, encoding="utf-8")
    assert [p.id for p in load_personas(path)] == ["arctic-shipping"]


def _error_for(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PersonaConfigInvalid) as info:
        load_personas(path)
    return str(info.value)


def test_bad_toml_is_a_clear_error(tmp_path: Path) -> None:
    message = _error_for(tmp_path, "[[personas]\nid = 'x'\n")
    assert "bad.toml" in message and "not valid TOML" in message


def test_duplicate_id_names_the_persona(tmp_path: Path) -> None:
    path = tmp_path / "dup.toml"
    path.write_text(EXTRA + EXTRA, encoding="utf-8")
    with pytest.raises(DuplicatePersonaId, match=r"persona 'arctic-shipping': field 'id'"):
        load_personas(path)


def test_unknown_topic_names_persona_and_field(tmp_path: Path) -> None:
    message = _error_for(tmp_path, EXTRA.replace('"shipping", "energy"', '"shipping", "cricket"'))
    assert "persona 'arctic-shipping'" in message
    assert "field 'beat.topics'" in message
    assert "unknown topic 'cricket'" in message


def test_bad_country_code_names_persona_and_field(tmp_path: Path) -> None:
    message = _error_for(tmp_path, EXTRA.replace('"GL", "CA"', '"GL", "XX"'))
    assert "persona 'arctic-shipping'" in message
    assert "field 'beat.countries'" in message and "'XX'" in message


def test_missing_and_extra_fields_are_named(tmp_path: Path) -> None:
    message = _error_for(tmp_path, EXTRA.replace('lens = "Routes and seasons."\n', "mood = 1\n"))
    assert "field 'lens': Field required" in message
    assert "field 'mood'" in message


def test_bad_slug_and_language(tmp_path: Path) -> None:
    message = _error_for(tmp_path, EXTRA.replace('"arctic-shipping"', '"Arctic Shipping"'))
    assert "must be a slug" in message
    message = _error_for(tmp_path, EXTRA.replace('"no", "ru"', '"norsk", "ru"'))
    assert "field 'beat.languages'" in message and "'norsk'" in message


def test_unknown_top_level_key_and_bad_remove(tmp_path: Path) -> None:
    assert "unknown top-level key" in _error_for(tmp_path, 'persona = "x"\n')
    path = tmp_path / "rm.toml"
    path.write_text('remove = ["no-such-persona"]\n', encoding="utf-8")
    with pytest.raises(UnknownPersona, match="no-such-persona"):
        load_personas(path)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(PersonaConfigInvalid, match="cannot read"):
        load_personas(tmp_path / "missing.toml")


Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke the app away from any ./newsdesk.toml, with a wide terminal."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])

    return invoke


def test_cli_list_and_show(run: Run) -> None:
    result = run("personas", "list")
    assert result.exit_code == 0, result.output
    for pid in DEFAULT_IDS:
        assert pid in result.output
    assert "Kwabena Adjei-Morel" in result.output and "9 personas" in result.output
    shown = run("personas", "show", "europe-sanctions")
    assert shown.exit_code == 0, shown.output
    assert "Elke Vandermolen" in shown.output
    assert "sanctions" in shown.output and "Rules and their enforcement" in shown.output
    assert "from score 0.30" in shown.output


def test_cli_file_option_and_errors(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('remove = ["americas"]\n' + EXTRA, encoding="utf-8")
    result = run("personas", "list", "--file", str(path))
    assert result.exit_code == 0, result.output
    assert "arctic-shipping" in result.output and "americas" not in result.output
    missing = run("personas", "show", "americas", "--file", str(path))
    assert missing.exit_code == 1
    assert "no persona 'americas'" in missing.output
    bad = tmp_path / "bad.toml"
    bad.write_text(EXTRA.replace('"GL", "CA"', '"GL", "QQ"'), encoding="utf-8")
    invalid = run("personas", "list", "--file", str(bad))
    assert invalid.exit_code == 2
    assert "field 'beat.countries'" in invalid.output and "Traceback" not in invalid.output
