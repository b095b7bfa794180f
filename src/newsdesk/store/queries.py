"""Queries that several stages and pages share (one home each)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store.models import Article, StoryArticle

__all__ = ["story_articles"]


def story_articles(session: Session, story_id: int) -> list[Article]:
    """The story's articles in publication order, undated ones last (same on every database)."""
    return list(
        session.scalars(
            select(Article)
            .join(StoryArticle, StoryArticle.article_id == Article.id)
            .where(StoryArticle.story_id == story_id)
            .order_by(Article.published_at.is_(None), Article.published_at, Article.id)
        )
    )
