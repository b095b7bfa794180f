"""The embed stage: articles waiting for a vector get one (title + bounded lead), in batches."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from newsdesk.embed import Embedder, bound_text, make_embedder
from newsdesk.progress import Progress, null_progress
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    ArticleStage,
    Embedding,
    Store,
)
from newsdesk.store.vectors import vector_to_bytes

log = logging.getLogger(__name__)


@dataclass
class EmbedReport:
    """What one pass of the embed stage did."""

    articles: int = 0


def embedder_from_settings(settings: Settings) -> Embedder:
    """The embedding backend the settings name."""
    if settings.embedder == "openai":
        return make_embedder(
            "openai",
            base_url=settings.embed_base_url,
            model=settings.embed_model,
            dim=settings.embed_dim,
            api_key=settings.embed_api_key,
            batch_size=settings.embed_batch_size,
        )
    return make_embedder(settings.embedder, batch_size=settings.embed_batch_size)


def run(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> EmbedReport:
    """Embed every article waiting at the embed stage; copies reuse their original's vector."""
    with store.reader() as s:
        ids = list(
            s.scalars(
                select(Article.id).where(Article.stage == ArticleStage.EMBED).order_by(Article.id)
            )
        )
    if limit is not None:
        ids = ids[:limit]
    if not ids:
        return EmbedReport()
    embedder = embedder or embedder_from_settings(settings)
    progress.begin("embed", len(ids))
    batch = max(1, settings.embed_batch_size)
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with store.reader() as s:
            rows = list(s.scalars(select(Article).where(Article.id.in_(chunk))))
            todo = [
                (a.id, bound_text(a.title, a.text, settings.embed_max_chars))
                for a in rows
                if a.duplicate_of_id is None
            ]
        vectors = embedder.embed_passages([t for _, t in todo]) if todo else np.zeros((0, 0))
        with store.session() as s:
            have = set(
                s.scalars(select(Embedding.article_id).where(Embedding.article_id.in_(chunk)))
            )
            for (art_id, _), vec in zip(todo, vectors, strict=True):
                if art_id not in have:
                    s.add(
                        Embedding(
                            article_id=art_id,
                            model=embedder.name,
                            dim=int(vec.shape[0]),
                            vector=vector_to_bytes(vec),
                        )
                    )
            for art in s.scalars(select(Article).where(Article.id.in_(chunk))):
                if art.stage == ArticleStage.EMBED:
                    art.stage = ArticleStage.ENTITIES
        done += len(chunk)
        progress.step("embed", len(chunk))
    return EmbedReport(articles=done)
