"""Claims of a story's ledger become developments once each, with denials noted.

All rows below are invented for the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.claims.stage import claim_detail, record_claim_developments
from newsdesk.store import (
    Article,
    Claim,
    ClaimLink,
    Development,
    DevelopmentKind,
    Passage,
    Store,
    Story,
    StoryArticle,
)
from newsdesk.stories.developments import developments_since

T0 = dt.datetime(2026, 11, 10, 8, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 12, 12, 0, tzinfo=dt.UTC)


def _article(s: Session, ident: int, outlet: str, published: dt.datetime | None) -> Article:
    art = Article(
        id=ident,
        title=f"Invented report {ident}",
        outlet=outlet,
        published_at=published,
        fetched_at=T0 + dt.timedelta(hours=ident),
        language="en",
        text=f"Invented text {ident}.",
        content_hash=f"h{ident}",
    )
    s.add(art)
    s.flush()
    s.add(Passage(id=f"p{ident}", article_id=ident, position=0, text=art.text, char_start=0,
                  char_end=len(art.text)))  # fmt: skip
    s.add(StoryArticle(article_id=ident, story_id=1, score=0.9, assigned_at=T0))
    return art


def _claim(
    ident: str, article_id: int, speaker: str, verb: str, content: str, **kw: object
) -> Claim:
    return Claim(
        id=ident,
        story_id=1,
        article_id=article_id,
        passage_id=f"p{article_id}",
        outlet="Invented Wire",
        lang="en",
        speaker=speaker,
        verb=verb,
        content=content,
        **kw,
    )


def _seed(store: Store) -> None:
    with store.session() as s:
        s.add(Story(id=1, headline="Invented port strike", first_seen=T0, last_seen=T0))
        s.flush()
        _article(s, 1, "Invented Wire", T0)
        _article(s, 2, "Invented Daily", None)  # no published time: the fetch time counts
        s.flush()
        s.add_all(
            [
                _claim("p1#0", 1, "The port authority", "said", "12,000 containers are stranded"),
                _claim(
                    "p2#0",
                    2,
                    "The dockers' union",
                    "denied",
                    "that any ship was turned away",
                    stance="deny",
                ),
                _claim("p2#1", 2, "", "reported", "   the strike   entered its third day "),
            ]
        )
        s.flush()
        s.add(ClaimLink(claim_id="p2#0", contests_claim_id="p1#0", kind="denial", reason="x"))


def _claim_devs(store: Store) -> list[Development]:
    with store.reader() as s:
        return list(
            s.scalars(
                select(Development)
                .where(Development.kind == DevelopmentKind.CLAIM)
                .order_by(Development.id)
            )
        )


def test_claims_are_recorded_once_with_denials(store: Store) -> None:
    _seed(store)
    ids = ["p1#0", "p2#0", "p2#1"]
    with store.session() as s:
        assert record_claim_developments(s, 1, ids, NOW) == 3
    devs = _claim_devs(store)
    assert [d.passage_id for d in devs] == ["p1", "p2", "p2"]
    by_detail = {d.detail: d for d in devs}
    first = by_detail["The port authority said: 12,000 containers are stranded"]
    assert first.article_id == 1 and first.detected_at == T0 and first.score is None
    denial = next(d for d in devs if d.detail.startswith("The dockers' union denied:"))
    assert denial.detail.endswith(" — denies The port authority: 12,000 containers are stranded")
    assert denial.score == 1.0
    # article 2 has no published time: its fetch time is the moment of the development
    assert denial.detected_at == T0 + dt.timedelta(hours=2)
    assert "unattributed reported: the strike entered its third day" in by_detail

    # the ledger is refreshed (claims deleted and re-extracted with the same ids): nothing new
    with store.session() as s:
        assert record_claim_developments(s, 1, ids, NOW) == 0
        assert record_claim_developments(s, 1, [], NOW) == 0
        assert record_claim_developments(s, 1, ["missing#9"], NOW) == 0
    assert len(_claim_devs(store)) == 3


def test_only_new_claims_are_added_and_shown(store: Store) -> None:
    _seed(store)
    with store.session() as s:
        assert record_claim_developments(s, 1, ["p1#0"], NOW) == 1
    with store.session() as s:
        _article(s, 3, "Invented Times", None)
        s.flush()
        s.add(_claim("p3#0", 3, "The ministry", "confirmed", "talks resume on Friday"))
        s.flush()
        # p1#0 is recorded already: only the two others are added
        assert record_claim_developments(s, 1, ["p1#0", "p2#0", "p3#0"], NOW) == 2
    with store.reader() as s:
        shown = [d for d in developments_since(s, 1) if d.kind == DevelopmentKind.CLAIM]
        assert [d.article_id for d in shown] == [1, 2, 3]
        assert shown[-1].detail == "The ministry confirmed: talks resume on Friday"


def test_claim_detail_is_short() -> None:
    claim = Claim(id="x", speaker="A spokesman", verb="said", content="word " * 200)
    line = claim_detail(claim)
    assert line.startswith("A spokesman said: word word")
    assert len(line) <= 200 and line.endswith("…")


def test_claims_from_a_refreshed_ledger_are_recorded_once(store: Store) -> None:
    """The ledger's own refresh re-creates claims with the same ids: still recorded once."""
    from newsdesk.claims.stage import refresh_claims

    texts = {
        1: "The port authority said on Monday that 12,000 containers were stranded at the docks.",
        2: "The dockers' union denied that 12,000 containers were stranded, saying 3,000 were.",
    }
    with store.session() as s:
        s.add(Story(id=1, headline="Invented port strike", first_seen=T0, last_seen=T0))
        s.flush()
        for ident, text in texts.items():
            art = _article(s, ident, f"Invented Outlet {ident}", T0 + dt.timedelta(hours=ident))
            art.passages[0].text = text
        s.flush()
    for _attempt in range(2):
        # the claims stage's refresh_claims records the developments itself, once
        with store.session() as s:
            articles = list(s.scalars(select(Article).order_by(Article.id)))
            refresh_claims(s, 1, articles)
            ids = list(s.scalars(select(Claim.id)))
            assert ids and record_claim_developments(s, 1, ids, NOW) == 0
        assert len(_claim_devs(store)) == len(ids)
    details = [d.detail for d in _claim_devs(store)]
    assert len(details) == len(ids)
    assert any("port authority" in d.lower() for d in details), details
    # the union contests the authority's figure: the contest is noted on its line
    assert any(" — " in d and "union" in d.lower() for d in details), details


def test_stories_show_prints_claim_developments(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsdesk.cli import app

    data = tmp_path / "data"
    data.mkdir()
    store = Store(f"sqlite:///{(data / 'newsdesk.db').resolve()}")
    store.migrate()
    try:
        _seed(store)
        with store.session() as s:
            assert record_claim_developments(s, 1, ["p1#0", "p2#0"], NOW) == 2
    finally:
        store.dispose()
    result = CliRunner().invoke(
        app, ["--data-dir", str(data), "stories", "show", "1"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "claim" in out
    assert "The port authority said: 12,000 containers are stranded" in out
    assert "denies The port authority" in out


def test_new_figures_read_as_written() -> None:
    from newsdesk.stories.developments import show_numbers

    assert show_numbers({"2.1e+06", "14", "4500", "3e+08", "7.8", "1.2e+09"}) == [
        "7.8",
        "14",
        "4,500",
        "2.1 million",
        "300 million",
        "1.2 billion",
    ]
