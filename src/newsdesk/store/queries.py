"""Queries that several stages and pages share (one home each)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from newsdesk.store.models import Analysis, AnalysisStatus, Article, StoryArticle

__all__ = [
    "newest_published_analyses",
    "published_counts_by_persona",
    "published_tag_counts",
    "story_articles",
]


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


def newest_published_analyses() -> Select[tuple[Analysis]]:
    """Published analyses, only the newest version of each story+persona, newest first."""
    newest = (
        select(
            Analysis.story_id,
            Analysis.persona_id,
            func.max(Analysis.version).label("version"),
        )
        .where(Analysis.status == AnalysisStatus.PUBLISHED)
        .group_by(Analysis.story_id, Analysis.persona_id)
        .subquery()
    )
    return (
        select(Analysis)
        .join(
            newest,
            (Analysis.story_id == newest.c.story_id)
            & (Analysis.persona_id == newest.c.persona_id)
            & (Analysis.version == newest.c.version),
        )
        .where(Analysis.status == AnalysisStatus.PUBLISHED)
        .order_by(Analysis.published_at.desc().nulls_last(), Analysis.id.desc())
    )


def published_tag_counts(session: Session) -> list[tuple[str, int]]:
    """Every tag of a current published analysis with how many carry it, most used first.

    Older published versions of the same analysis are not counted again.
    """
    counts: Counter[str] = Counter()
    # tags are a JSON list: counted here, which works the same on every database
    for tags in session.scalars(newest_published_analyses().with_only_columns(Analysis.tags)):
        counts.update(set(tags or []))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))


def published_counts_by_persona(session: Session) -> dict[str, int]:
    """Current published analyses per persona id (one per story, whatever its versions)."""
    counts: Counter[str] = Counter(
        session.scalars(newest_published_analyses().with_only_columns(Analysis.persona_id))
    )
    return dict(counts)
