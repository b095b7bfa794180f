"""`newsdesk similarity` and the pair score it shares with the clusterer."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

import newsdesk.cli.understand_cmds  # noqa: F401  (registers the commands)
from newsdesk.cli._app import app
from newsdesk.embed import E5Embedder
from newsdesk.stories import ArticleInput
from newsdesk.stories.scoring import score_article_pairs

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cluster" / "invented_multilingual.jsonl"


def fixture_rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def doc(row: dict[str, str]) -> ArticleInput:
    return ArticleInput(
        id=row["id"], text=row["text"], title=row.get("title"), lang=row.get("lang")
    )


def test_pair_scores_separate_same_story_from_distractors() -> None:
    rows = fixture_rows()
    pairs = list(combinations(range(len(rows)), 2))[::7]  # a spread of ~340 pairs
    scores = np.array(
        score_article_pairs([(doc(rows[i]), doc(rows[j])) for i, j in pairs], E5Embedder())
    )
    same = np.array([rows[i]["story"] == rows[j]["story"] for i, j in pairs])
    assert same.sum() >= 20
    assert ((scores > 0) & (scores < 1)).all()
    # measured on these pairs: r = 0.956, AUC = 1.0
    assert np.corrcoef(scores, same.astype(float))[0, 1] >= 0.85
    auc = (scores[same][:, None] > scores[~same][None, :]).mean()
    assert auc >= 0.98


def test_similarity_cli(tmp_path: Path) -> None:
    # invented articles: same recall in two languages vs. a different recall
    lines = [
        {"id": "same", "a": {"title": "Lumora recalls 120,000 e-bike batteries",
                             "text": "Lumora Systems recalls 120,000 batteries after 14 fires."},
         "b": {"text": "荷兰电动自行车制造商Lumora Systems因14起起火事故召回12万块电池。",
               "lang": "zh"}},
        {"id": "different", "a": {"text": "Lumora Systems recalls 120,000 e-bike batteries."},
         "b": {"text": "Kestrel Motors отзывает 48 тысяч автомобилей из-за подушек безопасности.",
               "lang": "ru"}},
    ]  # fmt: skip
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    result = CliRunner().invoke(app, ["similarity", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    out = {o["id"]: o["score"] for o in map(json.loads, result.stdout.splitlines())}
    assert out["same"] > 0.9 and out["different"] < out["same"] - 0.3


def test_similarity_cli_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        '{"id": 1, "a": {"text": "x"}, "b": {"text": "y"}}\n{"id": 2, "a": {"text": "x"}}\n'
    )
    result = CliRunner().invoke(app, ["similarity", str(path)])
    assert result.exit_code == 2 and "line 2: 'b'" in result.stderr
    path.write_text('{"id": 1, "a": {"text": "x"}, "b": {"title": "no text"}}\n')
    result = CliRunner().invoke(app, ["similarity", str(path)])
    assert result.exit_code == 2 and "line 1: b.'text'" in result.stderr
