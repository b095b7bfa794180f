"""`newsdesk extract` through typer's CliRunner on pages written for these tests.

The article text is invented for these tests; no real event or person is meant.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

import newsdesk.cli.extract_cmd  # noqa: F401  (importing registers the command)
from newsdesk.cli._app import app

# Invented article text.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Glassblowers of Orrin Bay win the lantern fair</title>
<meta name="author" content="Pella Strand">
<meta property="article:published_time" content="2026-05-02T10:00:00Z">
</head><body><nav><a href="/">Home</a></nav><article>
<h1>Glassblowers of Orrin Bay win the lantern fair</h1>
<p>The glassblowers of Orrin Bay won the spring lantern fair on Saturday with a lantern shaped
like a sleeping whale, beating eleven other workshops from along the northern coast.</p>
<p>The judges said the entry stood out because its glass changed colour as the candle inside
burned down, from a deep green at dusk to a pale blue by midnight.</p>
<p>The workshop will show the lantern in the town hall for the rest of the month before it
travels to the winter market in the capital, where it will be sold for charity.</p>
</article></body></html>"""


def _write(tmp_path: Path) -> tuple[Path, Path]:
    plain = tmp_path / "page.html"
    plain.write_text(PAGE, encoding="utf-8")
    packed = tmp_path / "page2.html.gz"
    packed.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    return plain, packed


def test_prints_one_json_object_per_file(tmp_path: Path) -> None:
    plain, packed = _write(tmp_path)
    result = CliRunner().invoke(app, ["extract", str(plain), str(packed), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in records] == [str(plain), str(packed)]
    first = records[0]
    assert set(first) == {"path", "url", "title", "author", "published", "language", "text"}
    assert first["title"] == "Glassblowers of Orrin Bay win the lantern fair"
    assert first["author"] == "Pella Strand"
    assert first["published"] == "2026-05-02T10:00:00+00:00"
    assert first["language"] == "en"
    assert first["url"] is None
    assert first["text"].startswith("The glassblowers of Orrin Bay won the spring lantern fair")
    assert first["text"].count("\n\n") == 2
    assert records[1]["text"] == first["text"]


def test_url_option_applies_to_a_single_file(tmp_path: Path) -> None:
    plain, packed = _write(tmp_path)
    url = "https://orrin.example/news/lantern-fair"
    result = CliRunner().invoke(app, ["extract", str(plain), "--url", url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["url"] == url
    both = CliRunner().invoke(app, ["extract", str(plain), str(packed), "--url", url])
    assert both.exit_code == 2
    assert "single file" in both.stderr


def test_unreadable_file_is_reported_and_others_still_processed(tmp_path: Path) -> None:
    plain, _packed = _write(tmp_path)
    missing = tmp_path / "missing.html"
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    result = CliRunner().invoke(app, ["extract", str(missing), str(broken), str(plain)])
    assert result.exit_code == 1
    assert "missing.html" in result.stderr
    assert "broken.html.gz" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in records] == [str(plain)]


def test_rejects_an_unknown_format(tmp_path: Path) -> None:
    plain, _packed = _write(tmp_path)
    result = CliRunner().invoke(app, ["extract", str(plain), "--format", "xml"])
    assert result.exit_code == 2
    assert "unsupported format" in result.stderr
