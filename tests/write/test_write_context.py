"""Context and precedents: an earlier story is background only when it is related to this one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import select

from newsdesk.store import Entity, Store, Story
from newsdesk.store.vectors import vector_to_bytes
from newsdesk.write.context import MIN_ARCHIVE, precedent_story

DIM = 384
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


class Archive:
    """Stories whose raw centroids all share one strong direction, as e5 centroids do."""

    def __init__(self, store: Store, seed: int = 5) -> None:
        self.store = store
        self.rng = np.random.default_rng(seed)
        self.common = _unit(self.rng.standard_normal(DIM))
        self.day = 0
        self.entities: dict[str, int] = {}

    def entity(self, key: str, kind: str) -> int:
        if key not in self.entities:
            with self.store.session() as s:
                ent = Entity(key=key, name=key.split(":", 1)[1], type=kind)
                s.add(ent)
                s.flush()
                self.entities[key] = ent.id
        return self.entities[key]

    def topic(self) -> np.ndarray:
        return _unit(self.rng.standard_normal(DIM))

    def story(self, topic: np.ndarray, entity_ids: list[int], noise: float = 0.25) -> int:
        """A story whose centroid is mostly the common direction plus its topic."""
        vec = _unit(3.0 * self.common + topic + noise * _unit(self.rng.standard_normal(DIM)))
        self.day += 1
        when = T0 + dt.timedelta(days=self.day)
        with self.store.session() as s:
            st = Story(
                headline=f"invented story {self.day}",
                first_seen=when,
                last_seen=when,
                article_count=2,
                entity_ids=entity_ids,
                centroid=vector_to_bytes(vec),
            )
            s.add(st)
            s.flush()
            return st.id

    def precedent_of(self, story_id: int) -> int | None:
        with self.store.session() as s:
            story = s.scalars(select(Story).where(Story.id == story_id)).one()
            return precedent_story(s, story)


@pytest.fixture
def archive(store: Store) -> Archive:
    arch = Archive(store)
    country = arch.entity("place:XX", "place")
    for i in range(10):  # unrelated background stories, all in the same country
        arch.story(arch.topic(), [country, arch.entity(f"org:Background Org {i}", "org")])
    return arch


def test_related_earlier_story_sharing_an_actor_is_the_precedent(archive: Archive) -> None:
    topic = archive.topic()
    refinery = archive.entity("org:Invented Refining Co", "org")
    country = archive.entities["place:XX"]
    earlier = archive.story(topic, [refinery, country])
    archive.story(archive.topic(), [country])
    now = archive.story(topic, [refinery, country])
    assert archive.precedent_of(now) == earlier


def test_a_shared_country_alone_is_not_a_precedent(archive: Archive) -> None:
    topic = archive.topic()
    country = archive.entities["place:XX"]
    archive.story(topic, [country])  # close in meaning, but no actor in common
    now = archive.story(topic, [country, archive.entity("org:Someone New", "org")])
    assert archive.precedent_of(now) is None


def test_the_nearest_unrelated_story_is_not_a_precedent(archive: Archive) -> None:
    # every raw cosine here is high (the shared direction); the nearest story by raw cosine
    # still has nothing to do with this one
    refinery = archive.entity("org:Invented Refining Co", "org")
    archive.story(archive.topic(), [refinery])  # same actor, different topic
    now = archive.story(archive.topic(), [refinery])
    assert archive.precedent_of(now) is None


def test_an_actor_most_stories_mention_does_not_relate_them(archive: Archive) -> None:
    ministry = archive.entity("org:Finance Ministry", "org")
    topic = archive.topic()
    for _ in range(6):  # a generic actor in a third of the archive
        archive.story(archive.topic(), [ministry])
    archive.story(topic, [ministry], noise=0.6)
    now = archive.story(topic, [ministry], noise=0.6)
    assert archive.precedent_of(now) is None


def test_no_precedent_from_a_tiny_archive(store: Store) -> None:
    arch = Archive(store, seed=9)
    refinery = arch.entity("org:Invented Refining Co", "org")
    topic = arch.topic()
    for _ in range(MIN_ARCHIVE - 3):
        arch.story(arch.topic(), [])
    first = arch.story(topic, [refinery])
    now = arch.story(topic, [refinery])
    assert arch.precedent_of(now) is None
    # the same pair with a little more archive to centre on is related
    arch.story(arch.topic(), [])
    later = arch.story(topic, [refinery])
    assert arch.precedent_of(later) in {first, now}
