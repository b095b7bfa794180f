"""The entities stage: people, organisations and places of each waiting article, with aliases."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select

from newsdesk.entities.base import EntityExtractor
from newsdesk.entities.extract import DefaultExtractor
from newsdesk.entities.registry import extract_and_store, registry_outlets
from newsdesk.progress import Progress, null_progress
from newsdesk.settings import Settings
from newsdesk.store import Article, ArticleStage, Store

log = logging.getLogger(__name__)


@dataclass
class EntitiesReport:
    """What one pass of the entities stage did."""

    articles: int = 0


def run(
    store: Store,
    settings: Settings,
    *,
    limit: int | None = None,
    progress: Progress = null_progress,
    extractor: EntityExtractor | None = None,
    batch_size: int = 50,
    now: dt.datetime | None = None,
) -> EntitiesReport:
    """Extract entities for every article waiting at the entities stage.

    One transaction per article; each article moves on to the cluster stage.
    """
    extractor = extractor or DefaultExtractor()
    with store.reader() as s:
        query = (
            select(Article.id).where(Article.stage == ArticleStage.ENTITIES).order_by(Article.id)
        )
        if limit is not None:
            query = query.limit(limit)
        ids = list(s.scalars(query))
        outlets = registry_outlets(s)
    progress.begin("entities", len(ids))
    done = 0
    for offset in range(0, len(ids), batch_size):
        for article_id in ids[offset : offset + batch_size]:
            try:
                with store.session() as session:
                    article = session.get(Article, article_id)
                    if article is None or article.stage != ArticleStage.ENTITIES:
                        continue
                    extract_and_store(session, article, list(article.passages), extractor, outlets)
                    article.stage = ArticleStage.CLUSTER
            except Exception:
                # one bad article must not block every later run: move it on without entities
                log.exception("entity extraction failed for article %s; continuing", article_id)
                with store.session() as session:
                    article = session.get(Article, article_id)
                    if article is not None and article.stage == ArticleStage.ENTITIES:
                        article.stage = ArticleStage.CLUSTER
            done += 1
            progress.step("entities")
    log.info("entities stage: %d articles", done)
    return EntitiesReport(articles=done)
