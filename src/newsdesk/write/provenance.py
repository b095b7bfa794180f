"""Provenance, the spine: cited ids resolved to passage, article, outlet and archived snapshot.

A sentence cites passage ids ("12:3") or an article's headline ("title:12"); a passage belongs
to an article whose raw snapshot is kept. Everything that shows where a sentence comes from
(the public site, the API, the desk, `newsdesk analyses export`) resolves citations here, and
the writer and the desk's re-checks read a story's citable passages from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import AnalysisSentence, Article, Passage, Snapshot
from newsdesk.write.model import SourcePassage

__all__ = [
    "TITLE_PREFIX",
    "ResolvedCitation",
    "SourceArticle",
    "cited_articles",
    "cited_ids",
    "load_cited_passages",
    "load_cited_titles",
    "original_passages",
    "resolve_citations",
    "source_passage",
]

TITLE_PREFIX = "title:"


@dataclass(frozen=True)
class SourceArticle:
    """The article a citation comes from, with where it was published and archived."""

    id: int
    title: str
    url: str | None
    canonical_url: str | None
    outlet: str
    language: str | None
    published: dt.datetime | None
    snapshot_id: int | None
    snapshot_url: str | None


@dataclass(frozen=True)
class ResolvedCitation:
    """A cited id resolved along the chain; article is None when the chain is broken."""

    passage_id: str
    text: str | None
    article: SourceArticle | None
    # the citation is an article's headline ("title:<article id>"), not a passage
    headline: bool = False

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article else None


def cited_ids(sentences: Iterable[AnalysisSentence]) -> list[str]:
    """Every id the sentences cite, once each, in the order first cited."""
    return list(dict.fromkeys(c for sent in sentences for c in sent.citations))


def _title_article_id(cited: str) -> int | None:
    rest = cited.removeprefix(TITLE_PREFIX)
    return int(rest) if rest != cited and rest.isdigit() else None


def load_cited_passages(
    session: Session, ids: Iterable[str]
) -> dict[str, tuple[Passage, Article | None]]:
    """The cited passages that exist, each with its article ('title:' ids are not passages)."""
    wanted = [i for i in set(ids) if not i.startswith(TITLE_PREFIX)]
    if not wanted:
        return {}
    rows = session.execute(
        select(Passage, Article)
        .outerjoin(Article, Article.id == Passage.article_id)
        .where(Passage.id.in_(wanted))
    ).all()
    return {p.id: (p, a) for p, a in rows}


def load_cited_titles(session: Session, ids: Iterable[str]) -> dict[str, Article]:
    """The articles cited by their headline ('title:<article id>'), by citation id."""
    numeric = {n for n in map(_title_article_id, set(ids)) if n is not None}
    if not numeric:
        return {}
    return {
        f"{TITLE_PREFIX}{a.id}": a
        for a in session.scalars(select(Article).where(Article.id.in_(numeric)))
    }


def _snapshot_urls(session: Session, articles: Iterable[Article]) -> dict[int, str]:
    ids = {a.snapshot_id for a in articles if a.snapshot_id is not None}
    if not ids:
        return {}
    # only the URL: the archived bytes stay in the database
    rows = session.execute(select(Snapshot.id, Snapshot.url).where(Snapshot.id.in_(ids)))
    return {sid: url for sid, url in rows}


def _source_article(a: Article, snapshots: dict[int, str]) -> SourceArticle:
    return SourceArticle(
        id=a.id,
        title=a.title,
        url=a.url,
        canonical_url=a.canonical_url,
        outlet=a.outlet,
        language=a.language,
        published=a.published_at,
        snapshot_id=a.snapshot_id,
        snapshot_url=snapshots.get(a.snapshot_id) if a.snapshot_id is not None else None,
    )


def resolve_citations(
    session: Session, ids: Iterable[str], *, titles: bool = False
) -> dict[str, ResolvedCitation]:
    """Each cited id (once, in the order given) resolved to its passage, article and snapshot.

    With `titles`, 'title:<article id>' ids resolve to that article's headline; without, they
    stay unresolved like any id not in the store.
    """
    order = list(dict.fromkeys(ids))
    passages = load_cited_passages(session, order)
    headlines = load_cited_titles(session, order) if titles else {}
    articles = [a for _, a in passages.values() if a is not None] + list(headlines.values())
    snapshots = _snapshot_urls(session, articles)
    out: dict[str, ResolvedCitation] = {}
    for cited in order:
        if cited in passages:
            p, a = passages[cited]
            art = _source_article(a, snapshots) if a is not None else None
            out[cited] = ResolvedCitation(cited, p.text, art)
        elif cited in headlines:
            a = headlines[cited]
            out[cited] = ResolvedCitation(cited, a.title, _source_article(a, snapshots), True)
        else:
            out[cited] = ResolvedCitation(cited, None, None)
    return out


def cited_articles(citations: Iterable[ResolvedCitation]) -> list[SourceArticle]:
    """The articles behind the citations, once each, in the order first cited."""
    seen: dict[int, SourceArticle] = {}
    for c in citations:
        if c.article is not None:
            seen.setdefault(c.article.id, c.article)
    return list(seen.values())


# -- what a story offers to cite -----------------------------------------------------------


def source_passage(p: Passage, a: Article) -> SourcePassage:
    """A stored passage as a writer (and the verifier) sees it."""
    return SourcePassage(
        passage_id=p.id,
        text=p.text,
        article_id=a.id,
        outlet=a.outlet,
        lang=a.language,
        published=a.published_at,
        url=a.url,
        title=a.title,
        position=p.position,
    )


def original_passages(articles: Iterable[Article]) -> list[SourcePassage]:
    """Every passage of the original articles, in article then position order (copies add
    outlets, not text)."""
    return [source_passage(p, a) for a in articles if a.duplicate_of_id is None for p in a.passages]
