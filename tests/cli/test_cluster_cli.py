"""`newsdesk cluster` through the CLI runner, on invented articles."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import newsdesk.cli.understand_cmds  # noqa: F401  (registers the commands)
from newsdesk.cli._app import app

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cluster" / "invented_multilingual.jsonl"

# invented: two distinct stories, one line without title/lang/date, one syndicated copy
LINES = [
    {"id": "a", "title": "Lumora recalls 120,000 e-bike batteries",
     "text": "Dutch e-bike maker Lumora Systems is recalling 120,000 batteries after 14 fires.",
     "lang": "en", "published": "2026-11-06T08:00:00Z"},
    {"id": "b", "text": "Lumora ruft 120.000 E-Bike-Akkus wegen Brandgefahr zurück."},
    {"id": "c", "title": "基普罗诺在柏林马拉松打破世界纪录",
     "text": "肯尼亚选手阿莫斯·基普罗诺周日以2小时00分35秒赢得柏林马拉松。", "lang": "zh",
     "published": "2026-11-08T12:00:00+00:00"},
    {"id": 7, "title": "Lumora Systems recalls e-bike batteries",
     "text": "AMSTERDAM - Lumora Systems is recalling 120,000 batteries after 14 fires.",
     "duplicate_of": "a"},
]  # fmt: skip


def write_lines(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    return path


def test_cluster_prints_a_story_for_every_id(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "in.jsonl", [*LINES, ""])
    result = CliRunner().invoke(app, ["cluster", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "7"]
    story = {o["id"]: o["story"] for o in out}
    assert story["a"] == story["b"] == story["7"] != story["c"]


def test_cluster_reports_the_bad_line(tmp_path: Path) -> None:
    runner = CliRunner()
    cases: list[tuple[list[object], str]] = [
        ([LINES[0], "{not json"], "line 2: not valid JSON"),
        ([LINES[0], {"id": "x"}], "line 2: 'text'"),
        ([{"text": "no id"}], "line 1: 'id'"),
        ([LINES[0], LINES[0]], "line 2: duplicate id"),
        ([{"id": "d", "text": "t", "published": "yesterday"}], "line 1: 'published'"),
        ([[1, 2]], "line 1: expected a JSON object"),
    ]
    for rows, message in cases:
        path = write_lines(tmp_path / "bad.jsonl", rows)
        result = CliRunner().invoke(app, ["cluster", str(path)])
        assert result.exit_code == 2, (rows, result.output)
        assert message in result.stderr, (message, result.stderr)
    missing = runner.invoke(app, ["cluster", str(tmp_path / "absent.jsonl")])
    assert missing.exit_code == 2 and "absent.jsonl" in missing.stderr
    wrong = runner.invoke(app, ["cluster", str(path), "--format", "csv"])
    assert wrong.exit_code == 2 and "only jsonl" in wrong.stderr


def test_cluster_fixture_shows_progress_and_groups_languages(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["cluster", str(FIXTURE)])
    assert result.exit_code == 0, result.stderr
    out = {o["id"]: o["story"] for o in map(json.loads, result.stdout.splitlines())}
    gold = {r["id"]: r["story"] for r in map(json.loads, FIXTURE.read_text().splitlines())}
    assert set(out) == set(gold)
    cyclone = {out[i] for i, g in gold.items() if g == "cyclone-nilam"}
    assert len(cyclone) == 1
    assert "clustering" in result.stderr  # the rich progress bar (input above 64 lines)


def test_cluster_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["cluster", "--help"])
    assert result.exit_code == 0 and "newsdesk cluster articles.jsonl" in result.stdout
