"""The cluster stage: articles join stories in arrival order, persisted in the store.

The clusterer lives in memory; the store is the truth. At start the stories active within
`story_idle_days` are rebuilt from their stored member vectors (never re-embedded), so a new
process, or one restarted after a crash, carries on where the last one stopped. Each article's
assignment, its story's new state, merges and developments are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newsdesk.progress import Progress, null_progress
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    ArticleStage,
    Development,
    Embedding,
    Entity,
    Mention,
    Store,
    StoryArticle,
    utcnow,
)
from newsdesk.store import Story as StoryRow
from newsdesk.store.vectors import vector_from_bytes, vector_to_bytes
from newsdesk.stories.cluster import Assignment, StoryClusterer
from newsdesk.stories.developments import record_developments, record_outlet, update_breaking
from newsdesk.stories.evidence import evidence_keys
from newsdesk.stories.features import ArticleFeatures, extract_names, extract_numbers

log = logging.getLogger(__name__)

REBUILD_MEMBERS = 60
LEXICAL_CHARS = 2000


@dataclass
class ClusterReport:
    """What one pass of the cluster stage did."""

    articles: int = 0
    new_stories: int = 0
    merges: int = 0
    developments: int = 0
    story_ids: set[int] = field(default_factory=set)


def _hours(t: dt.datetime | None) -> float | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.timestamp() / 3600.0


def _label_key(label: str) -> int:
    return int(label.rsplit("-", 1)[-1])


def entity_keys_by_article(session: Session, article_ids: Sequence[int]) -> dict[int, set[str]]:
    """Entity keys (after merges) mentioned in each article."""
    out: dict[int, set[str]] = defaultdict(set)
    if not article_ids:
        return out
    rows = session.execute(
        select(Mention.article_id, Entity.key, Entity.merged_into_id)
        .join(Entity, Entity.id == Mention.entity_id)
        .where(Mention.article_id.in_(article_ids))
    )
    merged: dict[int, str] = {}
    for art_id, key, merged_into in rows:
        if merged_into is not None:
            if merged_into not in merged:
                target = session.get(Entity, merged_into)
                merged[merged_into] = target.key if target is not None else key
            key = merged[merged_into]
        out[art_id].add(key)
    return out


def article_features(
    article: Article, vector: np.ndarray, entity_keys: set[str] | None = None
) -> ArticleFeatures:
    """The clusterer's view of a stored article, from its stored vector (no re-embedding)."""
    lexical = f"{article.title or ''}\n{article.text[:LEXICAL_CHARS]}"
    return ArticleFeatures(
        id=str(article.id),
        vector=vector,
        lang=(article.language or "und").lower().split("-")[0],
        names=extract_names(lexical),
        numbers=extract_numbers(lexical),
        hours=_hours(article.published_at or article.fetched_at),
        headline=(article.title or article.text[:120]).strip(),
        duplicate_of=str(article.duplicate_of_id) if article.duplicate_of_id else None,
        entity_ids=evidence_keys(entity_keys or ()),
    )


class StoryAssigner:
    """Runs the cluster stage against the store with one clusterer kept across cycles."""

    def __init__(self, store: Store, settings: Settings, dim: int = 384) -> None:
        self.store = store
        self.settings = settings
        self.dim = dim
        self.clusterer: StoryClusterer | None = None

    # -- restore ---------------------------------------------------------------------------
    def _load(self) -> StoryClusterer:
        clusterer = StoryClusterer(
            dim=self.dim, max_idle_days=self.settings.story_idle_days, remember_articles=False
        )
        with self.store.reader() as s:
            latest = s.scalar(select(func.max(StoryRow.last_seen)))
            max_id = s.scalar(select(func.max(StoryRow.id))) or 0
            if latest is not None:
                since = latest - dt.timedelta(days=self.settings.story_idle_days)
                hot = list(
                    s.scalars(
                        select(StoryRow)
                        .where(StoryRow.merged_into_id.is_(None), StoryRow.last_seen >= since)
                        .order_by(StoryRow.id)
                    )
                )
                for row in hot:
                    members = self._members(s, row.id)
                    if members:
                        clusterer.rebuild_story(row.id, members)
        clusterer.reserve_keys(max_id + 1)
        log.info("cluster stage: %d hot stories restored", len(clusterer.live_stories()))
        return clusterer

    def _members(self, session: Session, story_id: int) -> list[ArticleFeatures]:
        ids = list(
            session.scalars(
                select(StoryArticle.article_id)
                .where(StoryArticle.story_id == story_id)
                .order_by(StoryArticle.assigned_at.desc(), StoryArticle.article_id.desc())
                .limit(REBUILD_MEMBERS)
            )
        )[::-1]
        arts = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
        vectors = self._vectors(session, list(arts.values()))
        keys = entity_keys_by_article(session, ids) if self.settings.cluster_entity_evidence else {}
        return [
            article_features(arts[i], vectors[i], keys.get(i))
            for i in ids
            if i in arts and i in vectors
        ]

    def _vectors(self, session: Session, articles: Sequence[Article]) -> dict[int, np.ndarray]:
        """Stored vectors; a syndicated copy uses its original's."""
        wanted = {a.id: a.duplicate_of_id or a.id for a in articles}
        rows = session.execute(
            select(Embedding.article_id, Embedding.vector).where(
                Embedding.article_id.in_(set(wanted.values()))
            )
        )
        by_source = {art_id: vector_from_bytes(blob) for art_id, blob in rows}
        return {aid: by_source[src] for aid, src in wanted.items() if src in by_source}

    # -- the stage -------------------------------------------------------------------------
    def run(self, *, limit: int | None = None, progress: Progress = null_progress) -> ClusterReport:
        """Assign every article waiting at the cluster stage, in arrival order."""
        report = ClusterReport()
        with self.store.reader() as s:
            ids = list(
                s.scalars(
                    select(Article.id)
                    .where(Article.stage == ArticleStage.CLUSTER)
                    .order_by(Article.id)
                )
            )
        if limit is not None:
            ids = ids[:limit]
        if not ids:
            return report
        if self.clusterer is None:
            self.clusterer = self._load()
        progress.begin("cluster", len(ids))
        for art_id in ids:
            try:
                self._assign_one(art_id, report)
            except Exception:
                # memory may now disagree with the store: rebuild from the store next time
                self.clusterer = None
                raise
            progress.step("cluster")
        return report

    def _assign_one(self, art_id: int, report: ClusterReport) -> None:
        assert self.clusterer is not None
        now = utcnow()
        with self.store.session() as s:
            article = s.get(Article, art_id)
            if article is None or article.stage != ArticleStage.CLUSTER:
                return
            vectors = self._vectors(s, [article])
            vector = vectors.get(article.id)
            if vector is None:
                # nothing to place it by (empty text): it stays out of stories
                article.stage = ArticleStage.READY
                return
            keys = (
                entity_keys_by_article(s, [article.id]).get(article.id, set())
                if self.settings.cluster_entity_evidence
                else set()
            )
            assignment = self.clusterer.add(article_features(article, vector, keys))
            story = self._persist(s, article, assignment, now, report)
            article.stage = ArticleStage.READY
            report.articles += 1
            report.story_ids.add(story.id)

    def _persist(
        self,
        s: Session,
        article: Article,
        assignment: Assignment,
        now: dt.datetime,
        report: ClusterReport,
    ) -> StoryRow:
        assert self.clusterer is not None
        key = _label_key(assignment.story)
        live = self.clusterer.stories[key]
        row = s.get(StoryRow, key)
        when = article.published_at or article.fetched_at
        is_new = row is None
        if row is None:
            row = StoryRow(
                id=key,
                headline=live.headline,
                headline_lang=article.language,
                first_seen=when,
                last_seen=when,
                article_count=0,
                languages=[],
                outlets=[],
                entity_ids=[],
            )
            s.add(row)
            s.flush()
            report.new_stories += 1
        for gone_label in assignment.merged:
            self._merge_rows(s, _label_key(gone_label), row)
            report.merges += 1
        s.add(
            StoryArticle(
                article_id=article.id, story_id=row.id, score=assignment.score, assigned_at=now
            )
        )
        s.flush()
        record_outlet(s, row, article, now)
        devs = record_developments(s, row, article, is_new_story=is_new, now=now)
        report.developments += len(devs)
        self._refresh_row(s, row, live.headline, live.vector_sum)
        update_breaking(s, row, self.settings, now)
        return row

    def _merge_rows(self, s: Session, gone_id: int, keep: StoryRow) -> None:
        gone = s.get(StoryRow, gone_id)
        if gone is None or gone.id == keep.id:
            return
        s.execute(
            update(StoryArticle).where(StoryArticle.story_id == gone.id).values(story_id=keep.id)
        )
        s.execute(
            update(Development).where(Development.story_id == gone.id).values(story_id=keep.id)
        )
        gone.merged_into_id = keep.id
        gone.article_count = 0
        s.flush()

    def _refresh_row(
        self, s: Session, row: StoryRow, headline: str, vector_sum: np.ndarray
    ) -> None:
        members = s.execute(
            select(
                Article.language,
                Article.outlet,
                func.coalesce(Article.published_at, Article.fetched_at),
            )
            .join(StoryArticle, StoryArticle.article_id == Article.id)
            .where(StoryArticle.story_id == row.id)
        ).all()
        times = [t for _, _, t in members if t is not None]
        row.article_count = len(members)
        row.languages = sorted({lang for lang, _, _ in members if lang})
        row.outlets = sorted({outlet for _, outlet, _ in members if outlet})
        if times:
            row.first_seen = min(times)
            row.last_seen = max(times)
        row.headline = headline
        ids = s.scalars(
            select(Mention.entity_id)
            .join(StoryArticle, StoryArticle.article_id == Mention.article_id)
            .where(StoryArticle.story_id == row.id)
            .distinct()
        ).all()
        row.entity_ids = sorted(ids)
        norm = float(np.linalg.norm(vector_sum))
        if norm > 0:
            row.centroid = vector_to_bytes(vector_sum / norm)
        row.updated_at = utcnow()


def run(
    store: Store,
    settings: Settings,
    *,
    assigner: StoryAssigner | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> ClusterReport:
    """Assign every article waiting at the cluster stage to a story, in arrival order.

    A long-running caller passes the same `assigner` every time, so the clusterer's active
    stories stay in memory; without one, they are restored from the store.
    """
    assigner = assigner or StoryAssigner(store, settings)
    return assigner.run(limit=limit, progress=progress)
