"""What the desk re-checks an edit against: the story's passages, outlets, disputes, entities."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import Article, Claim, ClaimLink, Entity, Mention, Passage, StoryArticle
from newsdesk.write.model import SourcePassage

TITLE_PREFIX = "title:"


def _source_passage(p: Passage, a: Article) -> SourcePassage:
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


def _story_article_ids(session: Session, story_id: int) -> list[int]:
    return list(
        session.scalars(select(StoryArticle.article_id).where(StoryArticle.story_id == story_id))
    )


def cited_sources(session: Session, ids: Iterable[str]) -> dict[str, SourcePassage | str]:
    """The passages (and 'title:<article id>' titles) with these ids, as verify wants them."""
    ids = set(ids)
    out: dict[str, SourcePassage | str] = {}
    passage_ids = [i for i in ids if not i.startswith(TITLE_PREFIX)]
    if passage_ids:
        rows = session.execute(
            select(Passage, Article)
            .join(Article, Article.id == Passage.article_id)
            .where(Passage.id.in_(passage_ids))
        ).all()
        for p, a in rows:
            out[p.id] = _source_passage(p, a)
    title_ids = [i.removeprefix(TITLE_PREFIX) for i in ids if i.startswith(TITLE_PREFIX)]
    numeric = [int(t) for t in title_ids if t.isdigit()]
    if numeric:
        for a in session.scalars(select(Article).where(Article.id.in_(numeric))):
            if a.title:
                out[f"{TITLE_PREFIX}{a.id}"] = a.title
    return out


def story_sources(session: Session, story_id: int) -> dict[str, SourcePassage | str]:
    """Every passage of the story's original articles and every title, for headline checks."""
    ids = _story_article_ids(session, story_id)
    out: dict[str, SourcePassage | str] = {}
    if not ids:
        return out
    rows = session.execute(
        select(Passage, Article)
        .join(Article, Article.id == Passage.article_id)
        .where(Article.id.in_(ids), Article.duplicate_of_id.is_(None))
        .order_by(Article.id, Passage.position)
    ).all()
    for p, a in rows:
        out[p.id] = _source_passage(p, a)
    for a in session.scalars(select(Article).where(Article.id.in_(ids))):
        if a.title:
            out[f"{TITLE_PREFIX}{a.id}"] = a.title
    return out


def story_outlets(session: Session, story_id: int) -> int:
    """Independent outlets covering the story (as the write stage counts them)."""
    rows = session.scalars(
        select(Article.outlet)
        .join(StoryArticle, StoryArticle.article_id == Article.id)
        .where(StoryArticle.story_id == story_id)
    )
    return len({o for o in rows if o})


def story_disputes(session: Session, story_id: int) -> int:
    """Disputes in the story's stored claims ledger: connected groups of denials/contradictions."""
    rows = session.execute(
        select(ClaimLink.claim_id, ClaimLink.contests_claim_id)
        .join(Claim, Claim.id == ClaimLink.claim_id)
        .where(Claim.story_id == story_id)
    ).all()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in rows:
        parent[find(a)] = find(b)
    return len({find(x) for x in list(parent)})


def story_entity_keys(session: Session, story_id: int) -> list[str]:
    """Keys of the entities mentioned in the story's articles ('place:KP', 'org:…')."""
    ids = _story_article_ids(session, story_id)
    if not ids:
        return []
    rows = session.scalars(
        select(Entity.key)
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Mention.article_id.in_(ids))
    )
    return sorted(set(rows))
