"""Context and precedents: an earlier story from the archive that this one continues or echoes.

A precedent must be related, not merely the nearest story. Raw e5 centroids of unrelated stories
score 0.87-0.94 against each other (a shared "news text" direction), so a nearest-neighbour with
a raw cosine threshold finds a precedent for every story, usually a wrong one (on the demo: a
Singapore port strike as the context of a Congo cobalt deal). Here the archive's mean centroid
is removed before the cosine, and the earlier story must also share an actor with this one: a
person, organisation, programme, platform or agreement, not just a country, and not an actor
that half the archive mentions. No precedent is better than a wrong one.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.entities.base import EntityType
from newsdesk.store import Entity, Story
from newsdesk.store.queries import story_articles
from newsdesk.store.vectors import vector_from_bytes
from newsdesk.write.model import SourcePassage
from newsdesk.write.provenance import original_passages

# earlier stories compared (newest first): the archive's recent past, bounded
CANDIDATES = 500
# centred cosine a precedent needs; unrelated demo stories stay below 0.16, related ones
# (EU sanctions on Russia's shadow fleet / Russia inspecting vessels) reach 0.22
MIN_CENTERED_SIM = 0.2
# with fewer stories than this, the archive's mean direction is too noisy to centre on
MIN_ARCHIVE = 8
# an actor in more than this share of the compared stories (and in more than MAX_ACTOR_STORIES
# of them) does not make two stories related: "Finance Ministry", "National Assembly"
MAX_ACTOR_SHARE = 0.2
MAX_ACTOR_STORIES = 3
ACTOR_TYPES = (
    EntityType.PERSON,
    EntityType.ORG,
    EntityType.PROGRAMME,
    EntityType.PLATFORM,
    EntityType.AGREEMENT,
)


def precedent_story(session: Session, story: Story) -> int | None:
    """The id of the closest related earlier story, or None when none is related enough."""
    if story.centroid is None:
        return None
    mine = set(story.entity_ids or [])
    actors = set(
        session.scalars(select(Entity.id).where(Entity.id.in_(mine), Entity.type.in_(ACTOR_TYPES)))
    )
    if not actors:
        return None
    rows = session.execute(
        select(Story.id, Story.centroid, Story.entity_ids)
        .where(
            Story.id != story.id,
            Story.merged_into_id.is_(None),
            Story.first_seen < story.first_seen,
            Story.centroid.is_not(None),
        )
        .order_by(Story.first_seen.desc(), Story.id.desc())
        .limit(CANDIDATES)
    ).all()
    if len(rows) + 1 < MIN_ARCHIVE:
        return None
    seen = {a: sum(a in (ents or ()) for _, _, ents in rows) for a in actors}
    cap = max(MAX_ACTOR_SHARE * len(rows), MAX_ACTOR_STORIES)
    specific = {a for a, n in seen.items() if n <= cap}
    if not specific:
        return None
    matrix = np.stack(
        [vector_from_bytes(story.centroid)] + [vector_from_bytes(c) for _, c, _ in rows]
    ).astype(np.float64)
    matrix -= matrix.mean(axis=0)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    sims = matrix[1:] @ matrix[0]
    related = [
        (float(sim), sid)
        for (sid, _, ents), sim in zip(rows, sims, strict=True)
        if sim >= MIN_CENTERED_SIM and specific & set(ents or ())
    ]
    return max(related)[1] if related else None


def context_passages(session: Session, story: Story, limit: int = 2) -> list[SourcePassage]:
    """The lead passages of the story's precedent (background from the archive), if any."""
    sid = precedent_story(session, story)
    if sid is None:
        return []
    arts = [a for a in story_articles(session, sid) if a.duplicate_of_id is None][:1]
    return original_passages(arts)[:limit]
