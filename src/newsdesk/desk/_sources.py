"""What the desk re-checks an edit against: the story's passages, outlets, disputes, entities."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import Article, Claim, ClaimLink, Entity, Mention, StoryArticle
from newsdesk.store.queries import story_articles
from newsdesk.write.model import SourcePassage
from newsdesk.write.provenance import (
    TITLE_PREFIX,
    load_cited_passages,
    load_cited_titles,
    original_passages,
    source_passage,
)


def _story_article_ids(session: Session, story_id: int) -> list[int]:
    return list(
        session.scalars(select(StoryArticle.article_id).where(StoryArticle.story_id == story_id))
    )


def cited_sources(session: Session, ids: Iterable[str]) -> dict[str, SourcePassage | str]:
    """The passages (and 'title:<article id>' titles) with these ids, as verify wants them."""
    ids = set(ids)
    out: dict[str, SourcePassage | str] = {
        pid: source_passage(p, a)
        for pid, (p, a) in load_cited_passages(session, ids).items()
        if a is not None
    }
    out.update({key: a.title for key, a in load_cited_titles(session, ids).items() if a.title})
    return out


def story_sources(session: Session, story_id: int) -> dict[str, SourcePassage | str]:
    """Every passage of the story's original articles and every title, for headline checks."""
    # by article id, as the passages were stored: the verifier reads them one after another
    articles = sorted(story_articles(session, story_id), key=lambda a: a.id)
    out: dict[str, SourcePassage | str] = {p.passage_id: p for p in original_passages(articles)}
    for a in articles:
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
