"""Developments: what is new in a story when an article joins it, and when a story breaks.

A passage is new when it brings a figure or an actor the story's earlier coverage (in any
language) did not have and its words are not contained in an earlier passage of the same
language. Figures are compared as normalised numbers and actors as entity ids, so a
translation or a rewrite of known facts does not count as news. New outlets, new languages and
new entities are recorded too, and a story whose article rate jumps against its own baseline is
flagged as breaking. Claim developments (who said what, and whom they deny) are recorded by the
claims stage (newsdesk.claims.stage).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.read.dedupe import shingle_containment
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    Development,
    DevelopmentKind,
    Entity,
    Mention,
    Passage,
    Story,
    StoryArticle,
)
from newsdesk.stories.features import extract_numbers

log = logging.getLogger(__name__)

PRIOR_PASSAGES = 400
MAX_NEW_PASSAGES = 4
NOTABLE_TYPES = ("person", "org", "place", "platform", "programme", "agreement")


@dataclass
class NewPassage:
    """A passage judged new, with the figures and actors that make it so."""

    passage: Passage
    new_numbers: set[str]
    new_entities: set[int]


def _story_article_ids(session: Session, story_id: int, exclude: int) -> list[int]:
    rows = session.scalars(
        select(StoryArticle.article_id)
        .join(Article, Article.id == StoryArticle.article_id)
        .where(StoryArticle.story_id == story_id, StoryArticle.article_id != exclude)
        .where(Article.duplicate_of_id.is_(None))
        .order_by(StoryArticle.assigned_at.desc())
    )
    return list(rows)


def _passage_entities(session: Session, article_ids: Sequence[int]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    if not article_ids:
        return out
    rows = session.execute(
        select(Mention.passage_id, Mention.entity_id).where(Mention.article_id.in_(article_ids))
    )
    for pid, eid in rows:
        if pid is not None:
            out.setdefault(pid, set()).add(eid)
    return out


def find_new_passages(
    session: Session, article: Article, story_id: int, *, limit: int = MAX_NEW_PASSAGES
) -> list[NewPassage]:
    """Passages of `article` that bring figures or actors the story had not reported."""
    prior_ids = _story_article_ids(session, story_id, article.id)
    if not prior_ids:
        return []
    prior = list(
        session.scalars(
            select(Passage)
            .where(Passage.article_id.in_(prior_ids))
            .order_by(Passage.article_id.desc(), Passage.position)
            .limit(PRIOR_PASSAGES)
        )
    )
    langs: dict[int, str | None] = {
        art_id: lang
        for art_id, lang in session.execute(
            select(Article.id, Article.language).where(Article.id.in_(prior_ids))
        )
    }
    known_numbers: set[str] = set()
    for p in prior:
        known_numbers |= extract_numbers(p.text)
    prior_entities = _passage_entities(session, prior_ids)
    known_entities = set().union(*prior_entities.values()) if prior_entities else set()
    mine = _passage_entities(session, [article.id])

    found: list[NewPassage] = []
    for p in article.passages:
        new_numbers = set(extract_numbers(p.text)) - known_numbers
        new_entities = mine.get(p.id, set()) - known_entities
        if not new_numbers and not new_entities:
            continue
        same_lang = [q for q in prior if langs.get(q.article_id) == article.language]
        if any(shingle_containment(p.text, q.text) >= 0.6 for q in same_lang):
            continue
        found.append(NewPassage(p, new_numbers, new_entities))
    found.sort(key=lambda n: (-(len(n.new_numbers) + len(n.new_entities)), n.passage.position))
    return found[:limit]


def show_numbers(numbers: set[str]) -> list[str]:
    """Normalised figures ('2.1e+06', '4500') as readers write them, smallest first."""
    shown: list[tuple[float, str]] = []
    for text in numbers:
        try:
            value = float(text)
        except ValueError:
            shown.append((float("inf"), text))
            continue
        size = abs(value)
        if size >= 1e9:
            label = f"{value / 1e9:g} billion"
        elif size >= 1e6:
            label = f"{value / 1e6:g} million"
        elif size >= 1000 and value == int(value):
            label = f"{int(value):,}"
        else:
            label = f"{value:g}"
        shown.append((value, label))
    return [label for _, label in sorted(shown)]


def record_developments(
    session: Session, story: Story, article: Article, *, is_new_story: bool, now: dt.datetime
) -> list[Development]:
    """Write the developments `article` brings to `story` (call before updating the story)."""
    if article.duplicate_of_id is not None:
        return []  # a syndicated copy adds an outlet below, nothing else
    devs: list[Development] = []
    when = article.published_at or now
    if is_new_story:
        devs.append(
            Development(
                story_id=story.id,
                kind=DevelopmentKind.PASSAGE,
                detected_at=when,
                article_id=article.id,
                passage_id=article.passages[0].id if article.passages else None,
                detail=f"first report: {article.title}"[:500],
            )
        )
    else:
        for new in find_new_passages(session, article, story.id):
            reasons = []
            if new.new_numbers:
                reasons.append("new figures " + ", ".join(show_numbers(new.new_numbers)[:4]))
            if new.new_entities:
                names = session.scalars(
                    select(Entity.name).where(Entity.id.in_(sorted(new.new_entities)))
                ).all()
                reasons.append("new actors " + ", ".join(names[:4]))
            devs.append(
                Development(
                    story_id=story.id,
                    kind=DevelopmentKind.PASSAGE,
                    detected_at=when,
                    article_id=article.id,
                    passage_id=new.passage.id,
                    detail="; ".join(reasons),
                )
            )
        if article.language and article.language not in (story.languages or []):
            devs.append(
                Development(
                    story_id=story.id,
                    kind=DevelopmentKind.LANGUAGE,
                    detected_at=when,
                    article_id=article.id,
                    detail=f"first coverage in {article.language}",
                )
            )
        known = set(story.entity_ids or [])
        mentioned = session.execute(
            select(Mention.entity_id, Entity.name, Entity.type)
            .join(Entity, Entity.id == Mention.entity_id)
            .where(Mention.article_id == article.id, Entity.type.in_(NOTABLE_TYPES))
            .distinct()
        ).all()
        for eid, name, etype in mentioned:
            if eid not in known:
                devs.append(
                    Development(
                        story_id=story.id,
                        kind=DevelopmentKind.ENTITY,
                        detected_at=when,
                        article_id=article.id,
                        entity_id=eid,
                        detail=f"{etype} {name} enters the story",
                    )
                )
    session.add_all(devs)
    return devs


def record_outlet(session: Session, story: Story, article: Article, now: dt.datetime) -> None:
    """A development when an outlet covers the story for the first time."""
    if article.outlet and article.outlet not in (story.outlets or []) and story.article_count:
        session.add(
            Development(
                story_id=story.id,
                kind=DevelopmentKind.OUTLET,
                detected_at=article.published_at or now,
                article_id=article.id,
                detail=f"{article.outlet} covers the story"
                + (" (syndicated copy)" if article.duplicate_of_id else ""),
            )
        )


def update_breaking(session: Session, story: Story, settings: Settings, now: dt.datetime) -> bool:
    """Flag the story as breaking when its recent article rate jumps against its own baseline."""
    window = dt.timedelta(hours=settings.breaking_window_hours)
    times = [
        t
        for t in session.scalars(
            select(func.coalesce(Article.published_at, Article.fetched_at))
            .join(StoryArticle, StoryArticle.article_id == Article.id)
            .where(StoryArticle.story_id == story.id)
        )
        if t is not None
    ]
    if not times:
        return False
    latest = max(times)
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=dt.UTC)
    recent = [t for t in times if _aware(t) > latest - window]
    earlier = [_aware(t) for t in times if _aware(t) <= latest - window]
    if earlier:
        span_h = max((latest - window - min(earlier)).total_seconds() / 3600, 24.0)
        baseline = len(earlier) / span_h * settings.breaking_window_hours
    else:
        baseline = 0.5  # a new story: one article every other window is its baseline
    breaking = len(recent) >= settings.breaking_min_articles and len(
        recent
    ) >= settings.breaking_ratio * max(baseline, 0.5)
    if breaking and not story.breaking:
        session.add(
            Development(
                story_id=story.id,
                kind=DevelopmentKind.BREAKING,
                detected_at=latest,
                detail=f"{len(recent)} articles in {settings.breaking_window_hours:g} h "
                f"against a baseline of {baseline:.1f}",
                score=len(recent) / max(baseline, 0.5),
            )
        )
    story.breaking = breaking
    return breaking


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def developments_since(
    session: Session, story_id: int, since: dt.datetime | None = None
) -> list[Development]:
    """A story's developments after `since` (all when None), oldest first."""
    stmt = select(Development).where(Development.story_id == story_id)
    if since is not None:
        stmt = stmt.where(Development.detected_at > since)
    return list(session.scalars(stmt.order_by(Development.detected_at, Development.id)))
