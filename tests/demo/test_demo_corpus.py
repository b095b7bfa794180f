"""The invented demo corpus: loader validation and corpus-wide coverage checks."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsdesk.demo.corpus import (
    CORPUS_DIR,
    EPOCH,
    CorpusInvalid,
    DemoArticle,
    DemoCorpus,
    load_corpus,
)

EXPECTED_STORIES = 16


def _article(
    aid: str, outlet: str = "meridian-wire", lang: str = "en", **kw: Any
) -> dict[str, Any]:
    base = {
        "id": aid,
        "outlet": outlet,
        "lang": lang,
        "day": 1,
        "hour": 9,
        "title": f"Invented headline {aid}",
        "author": "Invented Byline",
        "text": "Invented first paragraph. It says little.\n\nInvented second paragraph.",
        "syndicated_from": None,
    }
    base.update(kw)
    return base


def _write_corpus(root: Path, articles: list[dict[str, Any]], story: str = "t01") -> Path:
    (root / "stories").mkdir(parents=True)
    shutil.copy(CORPUS_DIR / "outlets.json", root / "outlets.json")
    doc = {"story": story, "invented": True, "notice": "Invented.", "articles": articles}
    (root / "stories" / f"{story}.json").write_text(json.dumps(doc), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus() -> DemoCorpus:
    return load_corpus()


def test_loads_a_small_valid_corpus(tmp_path: Path) -> None:
    root = _write_corpus(
        tmp_path,
        [
            _article("t01-a01", hour=3),
            _article("t01-a02", outlet="capital-ledger", syndicated_from="t01-a01", hour=5),
            _article("t01-a03", outlet="vestnik-evrazii", lang="ru", title="Выдуманный заголовок"),
        ],
    )
    c = load_corpus(root)
    assert [a.id for a in c.articles] == ["t01-a01", "t01-a02", "t01-a03"]
    first = c.article("t01-a01")
    assert first.published.isoformat() == "2026-11-10T03:00:00+00:00"
    assert first.path == "/meridian-wire/2026/11/10/invented-headline-t01-a01-t01-a01.html"
    assert c.article("t01-a03").path == "/vestnik-evrazii/2026/11/10/t01-a03.html"
    assert first.paragraphs == [
        "Invented first paragraph. It says little.",
        "Invented second paragraph.",
    ]
    assert c.gold_labels() == {"t01-a01": "t01", "t01-a02": "t01", "t01-a03": "t01"}
    assert c.start == EPOCH and c.end > max(a.published for a in c.articles)
    assert [a.id for a in c.articles_of("meridian-wire")] == ["t01-a01"]


@pytest.mark.parametrize(
    ("articles", "message"),
    [
        ([_article("t01-a01", outlet="daily-nowhere")], "unknown outlet 'daily-nowhere'"),
        ([_article("t01-a01", lang="fr")], "field 'lang' is 'fr' but outlet 'meridian-wire'"),
        ([_article("t01-a01"), _article("t01-a01", hour=2)], "duplicate article id 't01-a01'"),
        ([_article("t01-a01", syndicated_from="t01-a99")], "unknown article 't01-a99'"),
        ([_article("t01-a01", day=7)], "field 'day' is 7, outside 0..6"),
        ([_article("t01-a01", hour=24)], "field 'hour' is 24"),
        ([{k: v for k, v in _article("t01-a01").items() if k != "title"}], "missing field 'title'"),
        (
            [
                _article("t01-a01"),
                _article("t01-a02", outlet="al-manara", lang="ar", syndicated_from="t01-a01"),
            ],
            "copies must be in the same language",
        ),
    ],
)
def test_bad_story_file_names_file_and_field(
    tmp_path: Path, articles: list[dict[str, Any]], message: str
) -> None:
    root = _write_corpus(tmp_path, articles)
    with pytest.raises(CorpusInvalid, match="t01") as exc:
        load_corpus(root)
    assert message in str(exc.value)
    assert "t01.json" in str(exc.value) or "story t01" in str(exc.value)


def test_duplicate_story_ids_across_files(tmp_path: Path) -> None:
    root = _write_corpus(tmp_path, [_article("t01-a01")])
    doc = {"story": "t01", "invented": True, "articles": [_article("t01-b01")]}
    (root / "stories" / "t01-copy.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CorpusInvalid, match=r"t01.json.*duplicate field 'story'"):
        load_corpus(root)


def test_not_invented_and_broken_json_are_refused(tmp_path: Path) -> None:
    root = _write_corpus(tmp_path, [_article("t01-a01")])
    (root / "stories" / "t02.json").write_text('{"story": "t02", "articles": []}', "utf-8")
    with pytest.raises(CorpusInvalid, match=r"t02.json: field 'invented' must be true"):
        load_corpus(root)
    (root / "stories" / "t02.json").write_text('{"story": ', "utf-8")
    with pytest.raises(CorpusInvalid, match=r"t02.json: not valid JSON"):
        load_corpus(root)


def test_outlets_match_the_schema_table(corpus: DemoCorpus) -> None:
    assert len(corpus.outlets) == 14
    langs = Counter(o.lang for o in corpus.outlets)
    assert langs["en"] == 5
    assert {o.format for o in corpus.outlets} == {"rss2", "atom", "rss1", "json"}
    assert sum(not o.full_text for o in corpus.outlets) == 5
    assert corpus.outlet("vestnik-evrazii").tier == 3
    assert (CORPUS_DIR / "README.md").read_text("utf-8").count("invented") >= 2


def test_every_story_file_follows_the_schema(corpus: DemoCorpus) -> None:
    by_story: dict[str, list[DemoArticle]] = {}
    for a in corpus.articles:
        by_story.setdefault(a.story, []).append(a)
    for story in corpus.stories:
        arts = by_story.get(story.id, [])
        where = f"story {story.id}"
        assert 8 <= len(arts) <= 12, f"{where}: {len(arts)} articles, schema wants 8-12"
        assert len({a.outlet for a in arts}) >= 4, f"{where}: fewer than 4 outlets"
        assert len({a.lang for a in arts}) >= 3, f"{where}: fewer than 3 languages"
        assert any(a.syndicated_from for a in arts), f"{where}: no syndicated copy"
        assert story.watch, f"{where}: no dated upcoming event in 'watch'"
        assert "nvent" in story.notice, f"{where}: notice must say the story is invented"
        for a in arts:
            assert 3 <= len(a.paragraphs) <= 7, f"{where} {a.id}: {len(a.paragraphs)} paragraphs"


def test_corpus_wide_coverage(corpus: DemoCorpus) -> None:
    assert len(corpus.outlets) >= 14
    if len(corpus.stories) < EXPECTED_STORIES:
        pytest.skip(f"only {len(corpus.stories)} of {EXPECTED_STORIES} story files present yet")
    langs = Counter(a.lang for a in corpus.articles)
    assert len(corpus.articles) >= 150, (
        f"full corpus needs >=150 articles, has {len(corpus.articles)}"
    )
    assert len(langs) >= 8, f"full corpus needs >=8 languages, has {sorted(langs)}"
    assert {"ru", "hi", "zh", "ar"} <= set(langs), f"full corpus lacks ru/hi/zh/ar: {sorted(langs)}"
    multi = [
        s.id for s in corpus.stories if len({corpus.article(i).outlet for i in s.article_ids}) >= 2
    ]
    assert len(multi) >= 15, f"full corpus needs >=15 stories with >=2 outlets, has {len(multi)}"
    lacking = [
        s.id
        for s in corpus.stories
        if not any(corpus.article(i).syndicated_from for i in s.article_ids)
    ]
    assert not lacking, f"full corpus: every story needs a syndicated copy; lacking: {lacking}"


def test_s01_spans_eight_languages(corpus: DemoCorpus) -> None:
    langs = {a.lang for a in corpus.articles if a.story == "s01"}
    assert len(langs) >= 8, f"s01 is the multilingual clustering gate; has {sorted(langs)}"
