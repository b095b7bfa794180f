"""Extractive selection, compression and `newsdesk brief` on invented stories.

All article text here and in tests/fixtures/brief is invented; no real event or person is meant.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsdesk.cli.brief_cmd  # noqa: F401  (importing registers the command)
from newsdesk.cli._app import app
from newsdesk.write.compress import compress_sentence, drop_repeated_attribution, strip_dateline
from newsdesk.write.selection import (
    BadDocumentLine,
    SourceDocument,
    count_words,
    parse_document_lines,
    summarize_documents,
    unwrap_lines,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "brief"
DEMO = Path(__file__).parents[2] / "src" / "newsdesk" / "demo" / "corpus" / "stories"


def _fixture(name: str) -> list[SourceDocument]:
    return parse_document_lines((FIXTURES / f"{name}.jsonl").read_text("utf-8").splitlines())


# --- compression -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LONDON (Wire) — The bank raised rates.", "The bank raised rates."),
        ("SINGAPORE, Nov 9 (Meridian Wire) - About 1,800 struck.", "About 1,800 struck."),
        ("WASHINGTON (AP) _ Congress passed the bill.", "Congress passed the bill."),
        ("NEW DELHI — India's navy chose a yard.", "India's navy chose a yard."),
        ("NATO leaders met on Monday.", "NATO leaders met on Monday."),
        ("UN - a lowercase start is not a dateline.", "UN - a lowercase start is not a dateline."),
    ],
)  # fmt: skip
def test_strips_datelines_only(text: str, expected: str) -> None:
    assert strip_dateline(text) == expected


def test_compression_drops_fillers_and_asides_but_keeps_numbers_names_acronyms() -> None:
    assert compress_sentence("However, the council approved the plan.", "en") == (
        "The council approved the plan."
    )
    assert compress_sentence("Meanwhile, prices rose 4 percent in May.") == (
        "Prices rose 4 percent in May."
    )
    assert compress_sentence("The dam (as expected) held overnight.", "en") == (
        "The dam held overnight."
    )
    kept = "The union (PEWU) said 4,000 containers (about 1,150 by another count) were stuck."
    assert compress_sentence(kept, "en") == kept
    named = "The deal was backed by the founders (the Dahl family) on Monday."
    assert compress_sentence(named, "en") == named
    # Fillers are English rules; other languages keep their first word.
    assert compress_sentence("However, la ville a refusé de payer.", "fr").startswith("However,")


def test_repeated_attribution_is_dropped_only_for_the_same_named_source() -> None:
    prev = "The airline will cut 40 routes next year, the transport ministry said."
    cur = "Fares on the remaining routes are expected to rise sharply, the transport ministry said."
    assert drop_repeated_attribution(prev, cur) == (
        "Fares on the remaining routes are expected to rise sharply."
    )
    other = "Fares on the remaining routes are expected to rise sharply, the union said."
    assert drop_repeated_attribution(prev, other) == other
    pronoun_prev = "The airline will cut 40 routes next year, he said."
    pronoun = "Fares on the remaining routes are expected to rise sharply, he said."
    assert drop_repeated_attribution(pronoun_prev, pronoun) == pronoun


def test_counts_cjk_characters_as_half_words() -> None:
    assert count_words("three plain words") == 3
    assert count_words("東京都") == 2
    assert count_words("港口罢工持续 two") == 4
    assert count_words("2026年11月") == 2  # 2 wide -> 1, plus one for the digits


# --- input parsing -------------------------------------------------------------------------


def test_parses_optional_fields_and_skips_blank_lines() -> None:
    docs = parse_document_lines(
        [
            '{"id": "a", "text": "One.", "published": "2026-03-02T06:10:00Z", "lang": "en"}',
            "",
            '{"id": 7, "text": "Two.", "title": "T", "outlet": "o", "published": 0}',
        ]
    )
    assert [d.id for d in docs] == ["a", "7"]
    assert docs[0].published == dt.datetime(2026, 3, 2, 6, 10, tzinfo=dt.UTC)
    assert docs[1].published == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert docs[1].title == "T" and docs[1].lang is None


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"text": "no id"}', "missing 'id'"),
        ('{"id": "x"}', "missing 'text'"),
        ('{"id": "a", "text": "dup"}', "duplicate id"),
        ('{"id": "y", "text": "t", "published": "yesterday"}', "not an ISO 8601 date"),
        ('{"id": "z", "text": "t", "lang": 5}', "'lang' must be a string"),
        ('{"id": "e", "text": "t", "published": 1e300}', "out of range"),
    ],
)
def test_bad_lines_name_their_number(bad: str, reason: str) -> None:
    with pytest.raises(BadDocumentLine) as info:
        parse_document_lines(['{"id": "a", "text": "fine"}', "", bad])
    assert info.value.line == 3
    assert reason in str(info.value) and str(info.value).startswith("line 3:")


# --- selection -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dam", "airline", "ransomware"])
@pytest.mark.parametrize("budget", [30, 100, 200])
def test_summary_keeps_budget_and_cites_real_passages(name: str, budget: int) -> None:
    docs = {d.id: d for d in _fixture(name)}
    summary = summarize_documents(list(docs.values()), budget)
    assert summary.sentences and not summary.truncated
    assert summary.words <= budget
    assert summary.language == "en"
    for sent in summary.sentences:
        assert docs[sent.doc_id].text[sent.start : sent.end] == sent.original
        assert count_words(sent.text) <= count_words(sent.original)
    keys = [(s.doc_id, s.position) for s in summary.sentences]
    assert len(set(keys)) == len(keys)


def test_dated_story_reads_chronologically_after_its_lead() -> None:
    docs = _fixture("dam")
    order = {d.id: (d.published, i) for i, d in enumerate(docs)}
    summary = summarize_documents(docs, 100)
    rest = [(order[s.doc_id], s.position) for s in summary.sentences[1:]]
    assert rest == sorted(rest)
    lead = summary.sentences[0].text
    assert not lead.startswith(('"', "\u201c")) and not lead.endswith("?")


def test_redundant_wire_copies_are_not_repeated() -> None:
    base = _fixture("airline")
    copies = [SourceDocument(f"{d.id}-copy", d.text, d.title, d.lang, d.published) for d in base]
    summary = summarize_documents(base + copies, 100)
    texts = [s.text for s in summary.sentences]
    assert len(texts) == len(set(texts))


def test_tiny_budget_cuts_one_sentence_and_says_so() -> None:
    summary = summarize_documents(_fixture("dam"), 3)
    assert summary.truncated and len(summary.sentences) == 1
    assert 0 < summary.words <= 3 and summary.text.endswith("…")


def test_selects_from_the_dominant_language() -> None:
    story = json.loads((DEMO / "s01.json").read_text("utf-8"))
    docs = [
        SourceDocument(a["id"], a["text"], a.get("title"), a.get("lang")) for a in story["articles"]
    ]
    english = {d.id for d in docs if d.lang == "en"}
    assert 1 < len(english) < len(docs)
    summary = summarize_documents(docs, 80)
    assert summary.language == "en"
    assert {s.doc_id for s in summary.sentences} <= english
    assert summary.words <= 80


def test_detects_missing_languages_and_picks_the_majority() -> None:
    de = (
        "Die Stadt Lindau hat am Montag eine neue Brücke über den Fluss eröffnet. "
        "Der Bau der Brücke dauerte drei Jahre und kostete zwölf Millionen Euro. "
        "Bürgermeisterin Anna Keller sagte, die Brücke verbinde zwei Stadtteile."
    )
    en = "The town of Lindau opened a new bridge across the river on Monday after three years."
    docs = [
        SourceDocument("de1", de),
        SourceDocument("de2", de.replace("Montag", "Dienstag")),
        SourceDocument("en1", en),
    ]
    summary = summarize_documents(docs, 40)
    assert summary.language == "de"
    assert summary.sentences and all(s.doc_id.startswith("de") for s in summary.sentences)


def test_rejects_a_non_positive_budget() -> None:
    with pytest.raises(ValueError):
        summarize_documents(_fixture("dam"), 0)


# --- the command -------------------------------------------------------------------------


def test_cli_prints_plain_summary_within_budget() -> None:
    result = CliRunner().invoke(
        app, ["brief", str(FIXTURES / "airline.jsonl"), "--max-words", "60", "--format", "text"]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert 20 <= len(text.split()) <= 60
    assert "[" not in text  # no citation markers
    assert "Northwind" in text


def test_cli_json_lists_sentences_with_sources() -> None:
    result = CliRunner().invoke(
        app, ["brief", str(FIXTURES / "dam.jsonl"), "--max-words", "80", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["words"] <= 80 and data["language"] == "en"
    assert data["summary"] == " ".join(s["text"] for s in data["sentences"])
    ids = {json.loads(line)["id"] for line in (FIXTURES / "dam.jsonl").read_text().splitlines()}
    for sent in data["sentences"]:
        assert sent["doc_id"] in ids and isinstance(sent["position"], int)


def test_cli_reports_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Fine text here."}\n{"id": "b"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["brief", str(bad), "--max-words", "50"])
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "missing 'text'" in result.stderr
    assert result.stdout == ""


def test_cli_rejects_unknown_format_and_missing_file(tmp_path: Path) -> None:
    runner = CliRunner()
    fmt = runner.invoke(app, ["brief", str(FIXTURES / "dam.jsonl"), "--format", "xml"])
    assert fmt.exit_code == 2 and "unsupported format" in fmt.stderr
    missing = runner.invoke(app, ["brief", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "cannot read" in missing.stderr


def test_cli_reads_stdin_and_handles_empty_input() -> None:
    lines = (FIXTURES / "ransomware.jsonl").read_text("utf-8")
    result = CliRunner().invoke(app, ["brief", "-", "--max-words", "50"], input=lines)
    assert result.exit_code == 0, result.output
    assert 0 < len(result.stdout.split()) <= 50
    empty = CliRunner().invoke(app, ["brief", "-"], input="")
    assert empty.exit_code == 0 and empty.stdout == ""


def test_hard_wrapped_archive_text_is_read_as_whole_sentences() -> None:
    wrapped = (
        "WASHINGTON (AP) _ The Senate voted on Tuesday to\n"
        "require new safety rules for all dams built\n"
        "before 1975, officials said after a long debate.\n"
        "\n"
        "The House must still act on the bill, which\n"
        "has broad support among members of both parties.\n"
    )
    assert unwrap_lines(wrapped).count("\n") == 2 and len(unwrap_lines(wrapped)) == len(wrapped)
    tidy = "One sentence here.\nAnother one here.\nA third.\nA fourth one.\n"
    assert unwrap_lines(tidy) == tidy
    docs = [SourceDocument(f"w{i}", wrapped, lang="en") for i in range(3)]
    summary = summarize_documents(docs, 40)
    assert summary.sentences[0].text.startswith("The Senate voted on Tuesday to require new")
    assert (
        summary.sentences[0].original
        == wrapped[summary.sentences[0].start : summary.sentences[0].end]
    )


def test_selected_sentences_are_compressed() -> None:
    lead = "LONDON (Harbour Wire) — However, the port of Tillbury closed its north quay on Monday."
    docs = [
        SourceDocument(f"c{i}", f"{lead} Ships waited in the estuary for {i + 2} hours.", lang="en")
        for i in range(3)
    ]
    summary = summarize_documents(docs, 25)
    first = summary.sentences[0]
    assert first.text == "The port of Tillbury closed its north quay on Monday."
    assert first.original == lead


def test_lead_is_an_article_lead_even_when_it_opens_with_a_quoted_name() -> None:
    # Story s03 of the invented demo corpus: Russian is its dominant language by text size.
    story = json.loads((DEMO / "s03.json").read_text("utf-8"))
    start = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
    docs = [
        SourceDocument(
            a["id"],
            a["text"],
            a.get("title"),
            a.get("lang"),
            start + dt.timedelta(days=a.get("day", 0), hours=a.get("hour", 0)),
        )
        for a in story["articles"]
    ]
    summary = summarize_documents(docs, 60)
    assert summary.language == "ru"
    assert summary.sentences[0].position <= 1
    english = summarize_documents(docs, 60, prefer_language="en")
    assert english.language == "en"
