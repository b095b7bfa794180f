"""A story as routing sees it: texts, languages, countries, entities and its centroid."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.personas.routing import StoryProfile
from newsdesk.store import Article, Entity, Mention, Story
from newsdesk.store.vectors import vector_from_bytes

COUNTRY_KEY_LEN = len("place:XX")


def entity_counts(session: Session, article_ids: list[int]) -> tuple[Counter[str], dict[str, str]]:
    """Mentions per entity key in the articles, and each key's display name."""
    rows = session.execute(
        select(Entity.key, Entity.name, func.count())
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Mention.article_id.in_(article_ids))
        .group_by(Entity.key, Entity.name)
    ).all()
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for key, name, n in rows:
        counts[key] += n
        names[key] = name
    return counts, names


def story_profile(
    story: Story, articles: list[Article], counts: Counter[str], names: dict[str, str]
) -> StoryProfile:
    """What routing needs: texts, languages, countries and entities of the story."""
    originals = [a for a in articles if a.duplicate_of_id is None]
    countries = {k[-2:] for k in counts if k.startswith("place:") and len(k) == COUNTRY_KEY_LEN}
    return StoryProfile(
        story_id=str(story.id),
        headline=story.headline,
        texts=[f"{a.title}\n{a.text[:3000]}" for a in originals],
        languages=[a.language for a in originals],
        countries=countries,
        entities=dict(counts),
        entity_names=list(names.values()),
        centroid=vector_from_bytes(story.centroid) if story.centroid else None,
    )
