"""Online cross-lingual story clustering: each article joins its best story or starts one.

Per article the work is bounded: one ANN search over story vectors for `candidates` stories,
then an exact score for each candidate (centroid and recent members, names, numbers, time).
Nothing scans all stories, and stories idle for `max_idle_days` leave the hot index.

Merging: after an article joins story S, the other candidates T of that search are scored
against S as stories (centroid cosine, shared names and numbers, time gap); if the score
reaches `merge_threshold` the smaller story is folded into the larger one: members, counters,
vector sums and recent vectors are combined, the absorbed story leaves the index and its label
becomes an alias, so `story_of()` of its articles returns the surviving label.
"""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsdesk.embed.base import Embedder
from newsdesk.stories.features import (
    DEFAULT_EMBED_CHARS,
    ArticleFeatures,
    ArticleInput,
    LanguageCentering,
    extract_features,
    make_centering,
)
from newsdesk.stories.index import ProjectedIndex, USearchIndex, VectorIndex, make_index
from newsdesk.stories.scoring import (
    DEFAULT_WEIGHTS,
    KeyRarity,
    ScoreWeights,
    combine_evidence,
    sigmoid,
    weigh_shared,
)

log = logging.getLogger(__name__)

PROFILE_KEYS = 48
REINDEX_COSINE = 0.95


@dataclass
class Story:
    """A live story: its vector sums, lexical profile and the facts shown to editors."""

    key: int
    label: str
    headline: str
    first_seen: float | None
    last_seen: float | None
    member_count: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    vector_sum: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    names: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    recent: deque[tuple[str, np.ndarray]] = field(default_factory=deque)
    members: list[str] = field(default_factory=list)
    headline_sim: float = -1.0
    indexed: np.ndarray | None = None
    # centered centroid and recent-member matrix, valid for (member_count, centering version)
    cache_key: tuple[int, int] | None = field(default=None, repr=False)
    centroid: np.ndarray | None = field(default=None, repr=False)
    recent_centered: np.ndarray | None = field(default=None, repr=False)

    def profile(self, counter: Counter[str]) -> set[str]:
        """The most frequent keys of a lexical counter (bounded so big stories stay fair)."""
        if len(counter) <= PROFILE_KEYS:
            return set(counter)
        return {k for k, _ in counter.most_common(PROFILE_KEYS)}


@dataclass
class Assignment:
    """Where one article went and why."""

    article_id: str
    story: str
    score: float
    is_new: bool
    merged: list[str] = field(default_factory=list)


class StoryClusterer:
    """Assigns articles in arrival order to stories; no number of stories is fixed."""

    def __init__(
        self,
        dim: int = 384,
        centering: LanguageCentering | None = None,
        rarity: KeyRarity | None = None,
        index: VectorIndex | None = None,
        weights: ScoreWeights = DEFAULT_WEIGHTS,
        candidates: int = 12,
        recent_members: int = 6,
        max_idle_days: float = 21.0,
        learn_centering: bool = True,
        label_prefix: str = "story-",
        remember_articles: bool = True,
        reindex_cosine: float = REINDEX_COSINE,
    ) -> None:
        self.dim = dim
        # a batch needs story_of() for every article; a long-running stage only for hot ones
        self.remember_articles = remember_articles
        self.reindex_cosine = reindex_cosine
        self.centering = centering or LanguageCentering(dim)
        self.rarity = rarity or KeyRarity()
        self.index = index if index is not None else make_index(dim)
        self.weights = weights
        self.candidates = candidates
        self.recent_members = recent_members
        self.max_idle_days = max_idle_days
        self.learn_centering = learn_centering
        self.label_prefix = label_prefix
        self.stories: dict[int, Story] = {}
        self._doc_story: dict[str, int] = {}
        self._alias: dict[int, int] = {}
        self._by_activity: OrderedDict[int, float] = OrderedDict()
        self._next_key = 1
        self._now: float | None = None

    # -- public API ----------------------------------------------------------------------
    def add(self, article: ArticleFeatures) -> Assignment:
        """Assign one article (in arrival order) and update its story."""
        if self.learn_centering:
            self.centering.observe(article.lang, article.vector)
            self.rarity.observe(article.names | article.numbers)
        if article.hours is not None:
            self._now = article.hours if self._now is None else max(self._now, article.hours)
        q = self.centering.center(article.lang, article.vector)

        original = self._doc_story.get(article.duplicate_of) if article.duplicate_of else None
        if original is not None and self._resolve(original) in self.stories:
            story = self.stories[self._resolve(original)]
            self._attach(story, article, q)
            self._evict_idle(keep=story.key)
            return Assignment(article.id, story.label, 1.0, False)

        scored = self._score_candidates(article, q)
        if scored and scored[0][0] >= self.weights.join_threshold:
            best_score, story = scored[0]
            self._attach(story, article, q)
            merged = self._merge_converging(story, [s for _, s in scored[1:]])
            story = self.stories[self._resolve(story.key)]
            self._evict_idle(keep=story.key)
            return Assignment(article.id, story.label, best_score, False, merged)
        story = self._new_story(article)
        self._attach(story, article, q)
        self._evict_idle(keep=story.key)
        return Assignment(article.id, story.label, scored[0][0] if scored else 0.0, True)

    def add_many(self, articles: Iterable[ArticleFeatures]) -> list[Assignment]:
        """Assign articles one by one in the given order."""
        return [self.add(a) for a in articles]

    def restore_stories(self, stories: Iterable[Story], members: bool = True) -> None:
        """Register stories rebuilt from the store and bulk-index their centroids."""
        keys: list[int] = []
        vectors: list[np.ndarray] = []
        for story in stories:
            self.stories[story.key] = story
            self._next_key = max(self._next_key, story.key + 1)
            if members:
                for article_id in story.members:
                    self._doc_story[article_id] = story.key
            if story.last_seen is not None:
                self._by_activity[story.key] = story.last_seen
            keys.append(story.key)
            story.indexed = self._centroid(story)
            vectors.append(story.indexed)
        if isinstance(self.index, USearchIndex | ProjectedIndex) and keys:
            self.index.add_many(keys, np.stack(vectors))
        else:
            for key, vec in zip(keys, vectors, strict=True):
                self.index.upsert(key, vec)

    def rebuild_story(self, key: int, members: Sequence[ArticleFeatures]) -> Story:
        """Rebuild a stored story under its own key by replaying its members (no scoring)."""
        story = self._new_story(members[0], key=key)
        for article in members:
            if self.learn_centering:
                self.centering.observe(article.lang, article.vector)
                self.rarity.observe(article.names | article.numbers)
            if article.hours is not None:
                self._now = article.hours if self._now is None else max(self._now, article.hours)
            self._attach(story, article, self.centering.center(article.lang, article.vector))
        return story

    def reserve_keys(self, next_key: int) -> None:
        """Never hand out a story key below `next_key` (keys already used in the store)."""
        self._next_key = max(self._next_key, next_key)

    def story_of(self, article_id: str) -> str:
        """The current label of the story holding an article (after merges and eviction)."""
        return f"{self.label_prefix}{self._resolve(self._doc_story[article_id])}"

    def live_stories(self) -> list[Story]:
        """Stories held in memory (not absorbed by a merge, not idle), oldest first."""
        return list(self.stories.values())

    def score_article(self, article: ArticleFeatures, story: Story) -> float:
        """Probability-like score that the article belongs to the story."""
        q = self.centering.center(article.lang, article.vector)
        return sigmoid(self._article_logit(article, q, story))

    # -- scoring ---------------------------------------------------------------------------
    def _refresh_cache(self, story: Story) -> None:
        """Recompute the centered centroid and recent members when the story or means moved."""
        key = (story.member_count, self.centering.version)
        if story.cache_key == key:
            return
        shift = np.zeros(self.dim, dtype=np.float32)
        for lang, n in story.languages.items():
            shift += n * self.centering.mean(lang)
        vec = story.vector_sum - shift
        norm = float(np.linalg.norm(vec))
        story.centroid = (vec / norm).astype(np.float32) if norm > 0 else vec.astype(np.float32)
        if story.recent:
            mat = np.stack([v for _, v in story.recent]).astype(np.float32)
            mat -= np.stack([self.centering.mean(lang) for lang, _ in story.recent])
            mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
            story.recent_centered = mat
        else:
            story.recent_centered = None
        story.cache_key = key

    def _centroid(self, story: Story) -> np.ndarray:
        self._refresh_cache(story)
        assert story.centroid is not None
        return story.centroid

    def _story_similarity(self, q: np.ndarray, story: Story) -> tuple[float, np.ndarray]:
        centroid = self._centroid(story)
        c_sim = float(np.dot(q, centroid))
        mat = story.recent_centered
        if mat is None:
            return c_sim, centroid
        m_sim = float(np.max(mat @ q))
        # centroid speaks for the whole story, the best recent member for its latest turn
        return 0.5 * (c_sim + max(c_sim, m_sim)), centroid

    def _article_logit(self, article: ArticleFeatures, q: np.ndarray, story: Story) -> float:
        sim, _ = self._story_similarity(q, story)
        gap = (
            article.hours - story.last_seen
            if article.hours is not None and story.last_seen is not None
            else None
        )
        return combine_evidence(
            sim,
            weigh_shared(article.names, story.profile(story.names), self.rarity),
            weigh_shared(article.numbers, story.profile(story.numbers), self.rarity),
            weigh_shared(article.entity_ids, story.profile(story.entities)),
            gap,
            self.weights,
        )

    def _score_candidates(
        self, article: ArticleFeatures, q: np.ndarray
    ) -> list[tuple[float, Story]]:
        out = []
        seen = set()
        for key, _ in self.index.search(q, self.candidates):
            key = self._resolve(key)
            if key in seen or key not in self.stories:
                continue
            seen.add(key)
            story = self.stories[key]
            out.append((sigmoid(self._article_logit(article, q, story)), story))
        out.sort(key=lambda t: -t[0])
        return out

    # -- updates ---------------------------------------------------------------------------
    def _resolve(self, key: int) -> int:
        while key in self._alias:
            key = self._alias[key]
        return key

    def _new_story(self, article: ArticleFeatures, key: int | None = None) -> Story:
        if key is None:
            key = self._next_key
        self._next_key = max(self._next_key, key + 1)
        story = Story(
            key=key,
            label=f"{self.label_prefix}{key}",
            headline=article.headline,
            first_seen=article.hours,
            last_seen=article.hours,
            vector_sum=np.zeros(self.dim, dtype=np.float32),
            recent=deque(maxlen=self.recent_members),
        )
        self.stories[key] = story
        return story

    def _attach(self, story: Story, article: ArticleFeatures, q: np.ndarray) -> None:
        story.member_count += 1
        story.members.append(article.id)
        story.languages[article.lang] += 1
        story.vector_sum += article.vector
        story.names.update(article.names)
        story.numbers.update(article.numbers)
        story.entities.update(article.entity_ids)
        story.recent.append((article.lang, article.vector.astype(np.float16)))
        if article.hours is not None:
            story.first_seen = min(story.first_seen or article.hours, article.hours)
            story.last_seen = max(story.last_seen or article.hours, article.hours)
            self._by_activity[story.key] = story.last_seen
            self._by_activity.move_to_end(story.key)
        self._doc_story[article.id] = story.key
        centroid = self._centroid(story)
        # representative headline: the member closest to the story's centre so far
        sim = float(np.dot(q, centroid))
        if story.member_count == 1 or sim > story.headline_sim:
            story.headline, story.headline_sim = article.headline, sim
        # Re-inserting into the HNSW graph dominates the per-article cost, so the indexed
        # centroid is refreshed only when it has drifted: candidates come from the index, but
        # every candidate is then scored exactly against its current centroid. At cosine 0.95
        # (was 0.995) half the inserts go; decisions matched an exact index on 99.8% of a
        # synthetic stream and every demo and fixture label stayed the same.
        if story.indexed is None or float(np.dot(story.indexed, centroid)) < self.reindex_cosine:
            self.index.upsert(story.key, centroid)
            story.indexed = centroid

    def _story_logit(self, a: Story, b: Story) -> float:
        sim = float(np.dot(self._centroid(a), self._centroid(b)))
        gap = None
        if a.last_seen is not None and b.last_seen is not None:
            gap = a.last_seen - b.last_seen
        return combine_evidence(
            sim,
            weigh_shared(a.profile(a.names), b.profile(b.names), self.rarity),
            weigh_shared(a.profile(a.numbers), b.profile(b.numbers), self.rarity),
            weigh_shared(a.profile(a.entities), b.profile(b.entities)),
            gap,
            self.weights,
        )

    def _merge_converging(self, story: Story, others: list[Story]) -> list[str]:
        merged = []
        for other in others:
            if other.key in self._alias or other.key == story.key:
                continue
            if sigmoid(self._story_logit(story, other)) < self.weights.merge_threshold:
                continue
            keep, gone = (
                (story, other) if story.member_count >= other.member_count else (other, story)
            )
            self._absorb(keep, gone)
            merged.append(gone.label)
            log.info("merged story %s into %s", gone.label, keep.label)
            story = keep
        return merged

    def _absorb(self, keep: Story, gone: Story) -> None:
        keep.member_count += gone.member_count
        keep.members.extend(gone.members)
        keep.languages.update(gone.languages)
        keep.vector_sum += gone.vector_sum
        keep.names.update(gone.names)
        keep.numbers.update(gone.numbers)
        keep.entities.update(gone.entities)
        for item in gone.recent:
            keep.recent.append(item)
        if gone.first_seen is not None:
            keep.first_seen = min(keep.first_seen or gone.first_seen, gone.first_seen)
        if gone.last_seen is not None:
            keep.last_seen = max(keep.last_seen or gone.last_seen, gone.last_seen)
        self._alias[gone.key] = keep.key
        self.index.remove(gone.key)
        self._by_activity.pop(gone.key, None)
        # the absorbed story lives on as an alias only
        self.stories.pop(gone.key, None)
        keep.indexed = self._centroid(keep)
        self.index.upsert(keep.key, keep.indexed)

    def _evict_idle(self, keep: int | None = None) -> None:
        """Idle stories leave the index and memory (the store keeps them), oldest first.

        Only the front of the activity order is examined, so the work per article is bounded
        by the stories that actually leave; `keep` (the story just assigned) always stays.
        """
        if self._now is None:
            return
        horizon = self._now - self.max_idle_days * 24.0
        while self._by_activity:
            key, last = next(iter(self._by_activity.items()))
            if last >= horizon or key == keep:
                break
            self._by_activity.popitem(last=False)
            self.index.remove(key)
            gone = self.stories.pop(key, None)
            if gone is not None and not self.remember_articles:
                for article_id in gone.members:
                    self._doc_story.pop(article_id, None)
            log.debug("story %s left the hot index after %.0f idle days", key, self.max_idle_days)


def cluster_articles(
    docs: list[ArticleInput],
    embedder: Embedder,
    max_chars: int = DEFAULT_EMBED_CHARS,
    batch_size: int = 32,
    warm_start: bool = True,
    on_progress: Callable[[int], None] | None = None,
    **options: Any,
) -> dict[str, str]:
    """Cluster documents online in the given order; returns id -> final story label.

    warm_start fits the per-language means on the whole batch before clustering (a batch knows
    its future; the pipeline instead starts from the persisted running means).
    """
    features: list[ArticleFeatures] = []
    for start in range(0, len(docs), batch_size):
        chunk = docs[start : start + batch_size]
        features.extend(extract_features(chunk, embedder, max_chars))
        if on_progress is not None:
            on_progress(len(chunk))
    options.setdefault("centering", make_centering(embedder))
    clusterer = StoryClusterer(dim=embedder.dim, learn_centering=not warm_start, **options)
    if warm_start and features:
        clusterer.centering.fit([f.lang for f in features], np.stack([f.vector for f in features]))
        for f in features:
            clusterer.rarity.observe(f.names | f.numbers)
    clusterer.add_many(features)
    return {f.id: clusterer.story_of(f.id) for f in features}
