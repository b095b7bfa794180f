"""`newsdesk personas route --story ID` on a small real SQLite store (invented story)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsdesk.cli import app
from newsdesk.personas import load_personas, route_story
from newsdesk.personas.profile import entity_counts, story_profile
from newsdesk.store import (
    Article,
    Entity,
    Mention,
    Passage,
    Store,
    Story,
    StoryArticle,
    passage_id,
)
from newsdesk.store.queries import story_articles

DAY = dt.datetime(2026, 11, 10, 8, tzinfo=dt.UTC)
# Invented: no such deal, ministry statement or outlets exist.
ARTICLES = [
    (
        "Steppe Courier (invented)",
        "en",
        [
            "Russia and Kazakhstan signed a gas transit protocol in Astana on Monday, "
            "officials said.",
            "Kazakhstan's energy ministry said pipeline volumes and the transit tariff were "
            "still open.",
        ],
    ),
    (
        "Volga Wire (invented)",
        "en",
        [
            "Russian gas exports through Kazakhstan could reach 8 bcm a year, a source in "
            "the Russian delegation said.",
            "Kazakhstan denied that a full agreement on gas transit had been signed.",
        ],
    ),
]


def build_store(data: Path) -> tuple[int, int]:
    """A store with one invented two-outlet story (with country mentions) and a merged one."""
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    store.migrate()
    with store.session() as s:
        story = Story(
            headline="Invented: Russia and Kazakhstan sign a gas transit protocol",
            first_seen=DAY,
            last_seen=DAY + dt.timedelta(hours=3),
            article_count=2,
            languages=["en"],
            outlets=[a[0] for a in ARTICLES],
        )
        s.add(story)
        s.flush()
        merged = Story(
            headline="Invented: gas transit talks",
            first_seen=DAY,
            last_seen=DAY,
            merged_into_id=story.id,
        )
        ru = Entity(key="place:RU", name="Russia", type="place")
        kz = Entity(key="place:KZ", name="Kazakhstan", type="place")
        s.add_all([merged, ru, kz])
        s.flush()
        for n, (outlet, lang, texts) in enumerate(ARTICLES):
            art = Article(
                url=f"https://invented.example/gas/{n}",
                title=texts[0][:60],
                outlet=outlet,
                language=lang,
                published_at=DAY + dt.timedelta(hours=n),
                content_hash=f"gas{n}",
                text=" ".join(texts),
            )
            s.add(art)
            s.flush()
            s.add(StoryArticle(article_id=art.id, story_id=story.id))
            for pos, text in enumerate(texts):
                pid = passage_id(art.id, pos)
                s.add(
                    Passage(
                        id=pid,
                        article_id=art.id,
                        position=pos,
                        text=text,
                        char_start=0,
                        char_end=len(text),
                    )
                )
                s.flush()
                for entity, name in ((ru, "Russia"), (kz, "Kazakhstan")):
                    if name in text or name[:5] in text:
                        at = text.find(name[:5])
                        s.add(
                            Mention(
                                article_id=art.id,
                                entity_id=entity.id,
                                passage_id=pid,
                                text=name,
                                char_start=at,
                                char_end=at + len(name),
                            )
                        )
        ids = (story.id, merged.id)
    store.dispose()
    return ids


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int, int]:
    """The data folder and the ids of the story and the story merged into it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    data = tmp_path / "data"
    data.mkdir()
    story_id, merged_id = build_store(data)
    return data, story_id, merged_id


def run(data: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--data-dir", str(data), "personas", "route", *args])


def test_route_shows_every_persona_with_what_matched(world: tuple[Path, int, int]) -> None:
    data, story_id, _ = world
    result = run(data, "--story", str(story_id))
    assert result.exit_code == 0, result.output
    personas = load_personas()
    for p in personas:
        assert p.id in result.output
    # the same routing the write stage computes, from the same profile
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    with store.reader() as s:
        story = s.get(Story, story_id)
        assert story is not None
        arts = story_articles(s, story_id)
        counts, names = entity_counts(s, [a.id for a in arts])
        routing = route_story(story_profile(story, arts, counts, names), personas)
    store.dispose()
    assert routing.lead == "russia-eurasia"
    assert f"lead: {routing.lead}" in result.output
    assert f"perspective: {routing.perspective or 'none'}" in result.output
    lead = routing.decision(routing.lead)
    assert {code for code, _ in lead.countries} >= {"RU", "KZ"}
    assert "RU " in result.output and "KZ " in result.output
    assert lead.topics and lead.topics[0][0] in result.output
    for d in routing.scores:
        assert d.explanation in result.output.replace("\n  ", "\n")


def test_route_follows_a_merge_and_refuses_an_unknown_story(
    world: tuple[Path, int, int],
) -> None:
    data, story_id, merged_id = world
    followed = run(data, "--story", str(merged_id))
    assert followed.exit_code == 0, followed.output
    assert f"was merged into story {story_id}" in followed.output
    assert "lead: russia-eurasia" in followed.output
    missing = run(data, "--story", "999")
    assert missing.exit_code == 1
    assert "no story with id 999" in missing.output
