"""`newsdesk demo --no-serve` over real HTTP on 127.0.0.1: every article stored, languages
detected, syndicated copies linked, bad sources recorded, stories formed against gold labels."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import delete, select
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.demo.corpus import DemoArticle, load_corpus
from newsdesk.quality.clustering import bcubed
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    Article,
    ArticleStage,
    Development,
    FetchLog,
    Source,
    Store,
    Story,
    StoryArticle,
)
from newsdesk.stories.stage import StoryAssigner
from tests.conftest import DemoBuild


@pytest.fixture(scope="module")
def demo(demo_build: DemoBuild) -> tuple[Path, str]:
    """The session's demo build (tests/conftest.py); these tests only read it."""
    return demo_build.data_dir, demo_build.output


def _gold(arts: list[Article]) -> dict[int, DemoArticle]:
    by_path = {a.path: a for a in load_corpus().articles}
    return {a.id: by_path[urlsplit(a.canonical_url or "").path] for a in arts}


def test_demo_stores_corpus_detects_languages_links_copies_records_errors(
    demo: tuple[Path, str],
) -> None:
    data, output = demo
    assert "articles stored: 160 of 160" in output.replace("\n", " ")
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        arts = list(s.scalars(select(Article)))
        gold = _gold(arts)
        assert len(arts) == len(load_corpus().articles)
        wrong_lang = [g.id for a in arts if a.language != (g := gold[a.id]).lang]
        assert not wrong_lang, f"language misdetected for {wrong_lang}"
        assert all(a.passages for a in arts)
        for a in arts:
            g = gold[a.id]
            if g.syndicated_from:
                assert a.duplicate_of_id is not None, f"{g.id} not linked"
                assert gold[a.duplicate_of_id].id == g.syndicated_from
            else:
                assert a.duplicate_of_id is None, f"{g.id} wrongly linked"
        bad = list(s.scalars(select(Source).where(Source.url.contains("/hostile/"))))
        assert len(bad) == 5 and all(src.last_error for src in bad)
        not_modified = s.scalars(select(FetchLog).where(FetchLog.outcome == "not_modified")).all()
        assert len(not_modified) >= 14
    store.dispose()


def test_demo_stories_match_gold_and_eight_languages_land_in_one(demo: tuple[Path, str]) -> None:
    data, output = demo
    assert "BCubed" in output
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        arts = list(s.scalars(select(Article)))
        gold = _gold(arts)
        assignment = dict(
            s.execute(select(StoryArticle.article_id, StoryArticle.story_id)).tuples().all()
        )
        assert set(assignment) == {a.id for a in arts}, "every article belongs to a story"
        predicted = {gold[a].id: str(st) for a, st in assignment.items()}
        truth = {gold[a].id: gold[a].story for a in assignment}
        score = bcubed(predicted, truth)
        assert score.f1 >= 0.95, score
        # the story told in ten languages is one story
        s01 = {st for a, st in assignment.items() if gold[a].story == "s01"}
        assert len(s01) == 1
        story = s.get(Story, s01.pop())
        assert story is not None and len(story.languages) >= 8
        # developments: new outlets, languages and passages with figures or actors
        kinds = Counter(d.kind for d in s.scalars(select(Development)))
        assert kinds["passage"] >= 16 and kinds["outlet"] >= 16 and kinds["language"] >= 10
    store.dispose()


def test_stories_commands_show_timeline_and_developments(demo: tuple[Path, str]) -> None:
    data, _ = demo
    runner = CliRunner()
    listed = runner.invoke(app, ["--data-dir", str(data), "stories", "list", "--min-articles", "5"])
    assert listed.exit_code == 0, listed.output
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        biggest = s.scalars(select(Story).order_by(Story.article_count.desc())).first()
        assert biggest is not None
    shown = runner.invoke(app, ["--data-dir", str(data), "stories", "show", str(biggest.id)])
    assert shown.exit_code == 0, shown.output
    assert "timeline" in shown.output and "developments" in shown.output
    assert biggest.outlets[0] in shown.output
    missing = runner.invoke(app, ["--data-dir", str(data), "stories", "show", "99999"])
    assert missing.exit_code == 1
    store.dispose()


def test_cluster_stage_restores_from_the_store_after_a_restart(demo: tuple[Path, str]) -> None:
    data, _ = demo
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.session() as s:
        before = dict(
            s.execute(select(StoryArticle.article_id, StoryArticle.story_id)).tuples().all()
        )
        last = sorted(before)[-30:]
        # forget the last 30 assignments, as if the process died before clustering them
        s.execute(delete(Development).where(Development.article_id.in_(last)))
        s.execute(delete(StoryArticle).where(StoryArticle.article_id.in_(last)))
        for art in s.scalars(select(Article).where(Article.id.in_(last))):
            art.stage = ArticleStage.CLUSTER
    report = StoryAssigner(store, Settings(data_dir=data)).run()
    assert report.articles == 30
    with store.reader() as s:
        after = dict(
            s.execute(select(StoryArticle.article_id, StoryArticle.story_id)).tuples().all()
        )
        assert set(after) == set(before)
        same = sum(after[a] == before[a] for a in last)
        assert same >= 27, f"only {same}/30 rejoined their story after the restore"
    store.dispose()


def test_every_multi_outlet_story_gets_a_verified_analysis_by_its_beat(
    demo: tuple[Path, str],
) -> None:
    from tests.gates.test_routing_demo import BEAT_PERSONAS

    data, output = demo
    assert "sentences verified" in output
    corpus = load_corpus()
    beats = {st.id: st.beat for st in corpus.stories}
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        arts = list(s.scalars(select(Article)))
        gold = _gold(arts)
        assignment = dict(
            s.execute(select(StoryArticle.article_id, StoryArticle.story_id)).tuples().all()
        )
        newest: dict[int, Analysis] = {}
        for a in s.scalars(select(Analysis).order_by(Analysis.version)):
            newest[a.story_id] = a
        for story in s.scalars(select(Story).where(Story.merged_into_id.is_(None))):
            if len(story.outlets or []) < 2:
                continue
            analysis = newest.get(story.id)
            assert analysis is not None, f"story {story.id} ({story.headline}) has no analysis"
            labels = Counter(gold[a].story for a, st in assignment.items() if st == story.id)
            beat = beats[labels.most_common(1)[0][0]]
            assert analysis.persona_id in BEAT_PERSONAS[beat], (story.headline, beat)
            sections = {x.section for x in analysis.sentences}
            assert {"what_happened", "watch"} <= sections, sections
            unverified = [(x.text, x.reason) for x in analysis.sentences if not x.verified]
            assert not unverified, unverified
            assert all(x.citations for x in analysis.sentences)
    store.dispose()


def test_disputed_claims_of_the_corpus_surface_in_what_is_disputed(
    demo: tuple[Path, str],
) -> None:
    data, _ = demo
    corpus = load_corpus()
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        arts = list(s.scalars(select(Article)))
        gold = _gold(arts)
        newest: dict[int, Analysis] = {}
        for a in s.scalars(select(Analysis).order_by(Analysis.version)):
            newest[a.story_id] = a
        cited_articles: set[str] = set()
        for analysis in newest.values():
            for sent in analysis.sentences:
                if sent.section == "disputed":
                    for pid in sent.citations:
                        cited_articles.add(gold[int(pid.split(":")[0])].id)
        entries = [(st.id, d) for st in corpus.stories for d in st.disputed]
        surfaced = [
            (sid, d["claim"]) for sid, d in entries if len(set(d["articles"]) & cited_articles) >= 2
        ]
    store.dispose()
    # 40/41 in tests/test_claims_section_gate.py 2026-12-01 (38, 34, 28 before); the miss is
    # a ledger gap listed there. The goal stays every entry.
    assert len(surfaced) >= 40, f"{len(surfaced)}/{len(entries)} disputed entries surfaced"


def test_rewriting_a_current_story_adds_a_version(demo: tuple[Path, str]) -> None:
    data, _ = demo
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        newest = s.scalars(select(Analysis).order_by(Analysis.id.desc())).first()
        assert newest is not None
        story_id, persona, version = newest.story_id, newest.persona_id, newest.version
    result = CliRunner().invoke(
        app, ["--data-dir", str(data), "write", "--story", str(story_id), "--persona", persona]
    )
    assert result.exit_code == 0, result.output
    with store.reader() as s:
        versions = s.scalars(
            select(Analysis.version).where(
                Analysis.story_id == story_id, Analysis.persona_id == persona
            )
        ).all()
        assert max(versions) == version + 1
        exported = CliRunner().invoke(
            app, ["--data-dir", str(data), "analyses", "export", str(newest.id)]
        )
    assert exported.exit_code == 0, exported.output
    payload = json.loads(exported.output)
    first = payload["sections"][0]["sentences"][0]
    assert first["citations"] and first["citations"][0]["text"] and first["citations"][0]["url"]
    store.dispose()
