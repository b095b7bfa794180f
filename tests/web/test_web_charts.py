"""SVG charts of a story: coverage per day by language and the entity network (invented rows)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.orm import Session

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
from newsdesk.web.site.charts import (
    build_entity_network,
    count_coverage,
    count_story_entities,
    coverage_timeline_svg,
    entity_network_caption,
    entity_network_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
DAY1 = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)

# (day offset, language) for each invented article: 3 languages over 3 days
ARTICLES = [
    (0, "en"),
    (0, "en"),
    (0, "fr"),
    (1, "en"),
    (1, "ru"),
    (1, "ru"),
    (1, "fr"),
    (2, "ru"),
    (2, "en"),
]


def _story(s: Session, headline: str = "Invented story") -> Story:
    story = Story(headline=headline, first_seen=DAY1, last_seen=DAY1)
    s.add(story)
    s.flush()
    return story


def _article(s: Session, story: Story, n: int, when: dt.datetime | None, lang: str) -> Article:
    art = Article(
        title=f"Invented article {n}",
        outlet=f"Invented Outlet {n % 3}",
        language=lang,
        published_at=when,
        fetched_at=when or DAY1,
        content_hash=f"hash-{story.id}-{n}",
        text="Invented text.",
    )
    s.add(art)
    s.flush()
    s.add(StoryArticle(article_id=art.id, story_id=story.id))
    return art


def _passage(s: Session, art: Article, pos: int) -> Passage:
    p = Passage(
        id=passage_id(art.id, pos),
        article_id=art.id,
        position=pos,
        text="Invented.",
        char_start=0,
        char_end=9,
    )
    s.add(p)
    s.flush()
    return p


def _entity(s: Session, key: str, name: str, kind: str) -> Entity:
    ent = Entity(key=key, name=name, type=kind)
    s.add(ent)
    s.flush()
    return ent


def _mention(s: Session, ent: Entity, art: Article, p: Passage | None) -> None:
    s.add(
        Mention(
            article_id=art.id,
            entity_id=ent.id,
            passage_id=p.id if p else None,
            text=ent.name,
            char_start=0,
            char_end=len(ent.name),
        )
    )


@pytest.fixture
def story_id(store: Store) -> int:
    """A story with 9 articles in en/fr/ru over 3 days, 5 entities (one hostile, one merged)."""
    with store.session() as s:
        story = _story(s)
        arts = [
            _article(s, story, i, DAY1 + dt.timedelta(days=d, hours=i), lang)
            for i, (d, lang) in enumerate(ARTICLES)
        ]
        alice = _entity(s, "person:alice", "Alice Invented", "person")
        acme = _entity(s, "org:acme", "Acme Invented Corp", "org")
        place = _entity(s, "place:XX", "Invented Land", "place")
        hostile = _entity(s, "person:hostile", HOSTILE, "person")
        # a duplicate of Alice merged into her: its mentions count as hers
        alias = _entity(s, "person:alice-2", "A. Invented", "person")
        alias.merged_into_id = alice.id
        for art in arts:
            p0, p1 = _passage(s, art, 0), _passage(s, art, 1)
            _mention(s, alice, art, p0)  # Alice: 9 mentions + 2 through her alias
            _mention(s, acme, art, p0)  # Acme with Alice in 9 passages
            if art.language == "ru":
                _mention(s, place, art, p1)  # the place alone, 3 mentions
        _mention(s, alias, arts[0], _passage(s, arts[0], 2))
        _mention(s, alias, arts[1], s.get(Passage, passage_id(arts[1].id, 1)))
        _mention(s, hostile, arts[1], s.get(Passage, passage_id(arts[1].id, 1)))
        return story.id


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.get("viewBox")
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}desc") is not None
    return root


def test_coverage_counts_per_day_and_language(store: Store, story_id: int) -> None:
    with store.reader() as s:
        cov = count_coverage(s, story_id)
        svg = coverage_timeline_svg(s, story_id)
    assert [b.isoformat() for b in cov.buckets] == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert cov.languages == ["en", "ru", "fr"]  # most articles first
    assert cov.totals == {"en": 4, "ru": 3, "fr": 2}
    root = _parse(svg)
    bars = {g.get("data-day"): g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"}
    assert {d: int(g.get("data-count", "0")) for d, g in bars.items()} == {
        "2024-03-04": 3,
        "2024-03-05": 4,
        "2024-03-06": 2,
    }
    segments = {
        (day, r.get("data-lang")): int(r.get("data-count", "0"))
        for day, g in bars.items()
        for r in g.iter(f"{SVG}rect")
    }
    assert segments == {
        ("2024-03-04", "en"): 2,
        ("2024-03-04", "fr"): 1,
        ("2024-03-05", "en"): 1,
        ("2024-03-05", "ru"): 2,
        ("2024-03-05", "fr"): 1,
        ("2024-03-06", "ru"): 1,
        ("2024-03-06", "en"): 1,
    }
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    # count labels above each bar, dates on the axis, a legend with each language's total
    for label in ("3", "4", "2", "4 Mar", "5 Mar", "6 Mar", "en 4", "ru 3", "fr 2"):
        assert label in texts
    assert "2024-03-05, ru: 2 articles" in svg
    assert "9 articles in 3 languages" in root.get("aria-label", "")
    colours = {r.get("data-lang"): r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert len({colours["en"], colours["fr"], colours["ru"]}) == 3


def test_coverage_one_day_and_sixty_days(store: Store) -> None:
    with store.session() as s:
        one = _story(s)
        _article(s, one, 1, DAY1, "de")
        long = _story(s)
        for i in range(60):
            _article(s, long, 100 + i, DAY1 + dt.timedelta(days=i), "en" if i % 2 else "ar")
        # no published date: the fetch time counts
        _article(s, long, 999, None, "en")
        one_id, long_id = one.id, long.id
    with store.reader() as s:
        root = _parse(coverage_timeline_svg(s, one_id))
        assert [g.get("data-day") for g in root.iter(f"{SVG}g") if g.get("data-day")] == [
            "2024-03-04"
        ]
        long_svg = coverage_timeline_svg(s, long_id)
        cov = count_coverage(s, long_id)
    root = _parse(long_svg)
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert len(bars) == 60 == len(cov.buckets)
    assert bars[0].get("data-count") == "2"  # the undated article fell on DAY1 (fetched_at)
    assert sum(int(b.get("data-count", "0")) for b in bars) == 61
    # dates are thinned so they do not overlap: at most about 8 labels
    dates = [t for t in root.iter(f"{SVG}text") if "Mar" in "".join(t.itertext())]
    assert 2 <= len(dates) <= 9


def test_long_stories_are_drawn_per_week(store: Store) -> None:
    with store.session() as s:
        story = _story(s)
        _article(s, story, 1, DAY1, "en")
        _article(s, story, 2, DAY1 + dt.timedelta(days=200), "en")
        sid = story.id
    with store.reader() as s:
        cov = count_coverage(s, sid)
        svg = coverage_timeline_svg(s, sid)
    assert cov.bucket_days == 7
    assert all(b.weekday() == 0 for b in cov.buckets)
    assert "per week" in _parse(svg).get("aria-label", "")


def test_empty_story_says_no_coverage(store: Store) -> None:
    with store.session() as s:
        sid = _story(s).id
    with store.reader() as s:
        timeline = coverage_timeline_svg(s, sid)
        network = entity_network_svg(s, sid)
        caption = entity_network_caption(s, sid)
    assert "no coverage yet" in "".join(_parse(timeline).itertext())
    assert "no people" in "".join(_parse(network).itertext())
    assert caption == ("No people, organisations or places have been recognised yet in this story.")


def test_network_nodes_edges_and_escaping(store: Store, story_id: int) -> None:
    with store.reader() as s:
        svg = entity_network_svg(s, story_id)
        net = build_entity_network(s, story_id)
        ranked = count_story_entities(s, story_id)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    root = _parse(svg)
    nodes = {
        g.get("data-entity-id"): int(g.get("data-mentions", "0"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
    }
    by_name = {e.entity.name: e.mentions for e in ranked}
    assert by_name == {
        "Alice Invented": 11,
        "Acme Invented Corp": 9,
        "Invented Land": 3,
        HOSTILE: 1,
    }
    assert sorted(nodes.values()) == [1, 3, 9, 11]  # the merged alias is not a node of its own
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert HOSTILE[:21] in "".join(labels)  # the name is shown as text, not markup
    weights = {
        frozenset((ln.get("data-source"), ln.get("data-target"))): int(ln.get("data-weight", "0"))
        for ln in root.iter(f"{SVG}line")
    }
    ids = {e.entity.name: str(e.entity.id) for e in ranked}
    alice, acme = ids["Alice Invented"], ids["Acme Invented Corp"]
    assert weights[frozenset((alice, acme))] == 9
    # the hostile person shares article 1's second passage with Alice's merged alias
    assert weights[frozenset((alice, ids[HOSTILE]))] == 1
    assert frozenset((ids["Invented Land"], ids[HOSTILE])) not in weights
    assert frozenset((acme, ids["Invented Land"])) not in weights
    assert net.unit == "passage"
    # node radius grows with mentions
    radii = {
        g.get("data-entity-id"): float(g.find(f"{SVG}circle").get("r", "0"))  # type: ignore[union-attr]
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
    }
    assert radii[alice] > radii[ids["Invented Land"]] > radii[ids[HOSTILE]]


def test_network_is_deterministic_and_capped(store: Store, story_id: int) -> None:
    with store.reader() as s:
        first = entity_network_svg(s, story_id, max_nodes=2)
        again = entity_network_svg(s, story_id, max_nodes=2)
        caption = entity_network_caption(s, story_id, max_nodes=2)
    assert first == again
    root = _parse(first)
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]) == 2
    assert caption == (
        "Who appears with whom in the 9 articles of this story: the 2 most-mentioned people and "
        "organisations; a line joins two that are named in the same passage, thicker when more "
        "often."
    )


def test_caption_numbers_are_true(store: Store, story_id: int) -> None:
    with store.reader() as s:
        caption = entity_network_caption(s, story_id)
        svg = entity_network_svg(s, story_id)
    assert caption == (
        "Who appears with whom in the 9 articles of this story: all 4 people, organisations and "
        "places recognised; a line joins two that are named in the same passage, thicker when "
        "more often."
    )
    assert _parse(svg).get("aria-label") == caption


def test_caption_without_passages_falls_back_to_articles(store: Store) -> None:
    with store.session() as s:
        story = _story(s)
        art = _article(s, story, 1, DAY1, "en")
        a = _entity(s, "person:solo", "Solo Invented", "person")
        b = _entity(s, "place:YY", "Elsewhere Invented", "place")
        _mention(s, a, art, None)
        _mention(s, b, art, None)
        sid = story.id
    with store.reader() as s:
        caption = entity_network_caption(s, sid)
        net = build_entity_network(s, sid)
    assert net.unit == "article"
    assert net.edges == {(a.id, b.id): 1}
    assert caption.startswith("Who appears with whom in the one article of this story: all 2")
    assert "named in the same article" in caption
