"""The offline demo: the invented corpus served on 127.0.0.1, read by the real pipeline."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newsdesk.demo.corpus import DemoArticle, DemoCorpus, load_corpus
from newsdesk.demo.server import DemoFeedServer
from newsdesk.monitor.sources import SourceExists, add_source
from newsdesk.pipeline import CycleReport, Pipeline
from newsdesk.progress import Progress, null_progress
from newsdesk.quality.clustering import PRF, bcubed
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    Article,
    Development,
    Entry,
    EntryState,
    FetchLog,
    Passage,
    Source,
    Store,
    Story,
    StoryArticle,
    open_store,
)

log = logging.getLogger(__name__)

STEP = dt.timedelta(hours=6)


@dataclass
class DemoStorySummary:
    """One story the pipeline formed, as the demo prints it."""

    story_id: int
    headline: str
    articles: int
    languages: list[str]
    outlets: list[str]
    developments: list[str]
    breaking: bool
    gold: str


@dataclass
class DemoAnalysisSummary:
    """The newest analysis of one story, as the demo prints it."""

    analysis_id: int
    story_id: int
    persona_id: str
    version: int
    status: str
    headline: str
    sentences: int
    verified_sentences: int
    disputed_sentences: int
    reasons: list[str]


@dataclass
class DemoReport:
    """What the demo run stored, checked against the corpus's gold labels."""

    cycles: int = 0
    corpus_articles: int = 0
    articles: int = 0
    passages: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    outlets: int = 0
    syndicated_in_corpus: int = 0
    duplicates_linked: int = 0
    duplicates_correct: int = 0
    not_modified: int = 0
    fetched_ok: int = 0
    source_errors: dict[str, str] = field(default_factory=dict)
    suspended: list[str] = field(default_factory=list)
    unread_entries: int = 0
    missing: list[str] = field(default_factory=list)
    stories: list[DemoStorySummary] = field(default_factory=list)
    analyses: list[DemoAnalysisSummary] = field(default_factory=list)
    clustering: PRF | None = None
    cycle_reports: list[CycleReport] = field(default_factory=list)


def demo_settings(settings: Settings) -> Settings:
    """The demo's own server is on loopback: no politeness delay needed against it."""
    return settings.model_copy(
        update={"per_host_delay": 0.0, "per_host_concurrency": 8, "fetch_concurrency": 16}
    )


def register_sources(store: Store, server: DemoFeedServer) -> int:
    """Add the demo server's feeds (and its hostile sources) to the registry."""
    added = 0
    with store.session() as s:
        for spec in server.source_specs():
            try:
                add_source(
                    s,
                    spec["url"],
                    kind=spec.get("kind", "feed"),
                    outlet=spec.get("outlet", ""),
                    language=spec.get("language"),
                    country=spec.get("country"),
                    reliability_tier=spec.get("reliability_tier", 2),
                    allow_private=True,
                )
                added += 1
            except SourceExists:
                pass
    return added


def _force_due(store: Store, now: dt.datetime) -> None:
    with store.session() as s:
        s.execute(update(Source).where(Source.suspended.is_(False)).values(next_check_at=now))


def summarise(store: Store, corpus: DemoCorpus, report: DemoReport) -> DemoReport:
    """Fill the report from what is in the store, matched to the corpus by URL path."""
    by_path = {a.path: a for a in corpus.articles}
    report.corpus_articles = len(corpus.articles)
    report.syndicated_in_corpus = sum(1 for a in corpus.articles if a.syndicated_from)
    with store.reader() as s:
        arts = list(s.scalars(select(Article)))
        report.articles = len(arts)
        report.passages = s.scalar(select(func.count()).select_from(Passage)) or 0
        report.languages = Counter(a.language or "?" for a in arts)
        report.outlets = len({a.outlet for a in arts})
        corpus_id_of = {}
        for a in arts:
            path = urlsplit(a.canonical_url or a.url or "").path
            if path in by_path:
                corpus_id_of[a.id] = by_path[path].id
        stored_ids = set(corpus_id_of.values())
        report.missing = sorted(a.id for a in corpus.articles if a.id not in stored_ids)
        corpus_by_id = {a.id: a for a in corpus.articles}
        for a in arts:
            if a.duplicate_of_id is None:
                continue
            report.duplicates_linked += 1
            mine = corpus_by_id.get(corpus_id_of.get(a.id, ""))
            orig = corpus_id_of.get(a.duplicate_of_id)
            if mine is None or orig is None:
                continue
            root_of_mine = mine.syndicated_from or mine.id
            orig_art = corpus_by_id[orig]
            root_of_orig = orig_art.syndicated_from or orig_art.id
            if root_of_mine == root_of_orig:
                report.duplicates_correct += 1
        report.not_modified = (
            s.scalar(
                select(func.count()).select_from(FetchLog).where(FetchLog.outcome == "not_modified")
            )
            or 0
        )
        report.fetched_ok = (
            s.scalar(select(func.count()).select_from(FetchLog).where(FetchLog.outcome == "ok"))
            or 0
        )
        for src in s.scalars(select(Source).where(Source.last_error.is_not(None))):
            report.source_errors[src.url] = src.last_error or ""
        report.suspended = [src.url for src in s.scalars(select(Source).where(Source.suspended))]
        _summarise_stories(s, corpus_id_of, corpus_by_id, report)
        _summarise_analyses(s, report)
        report.unread_entries = (
            s.scalar(select(func.count()).select_from(Entry).where(Entry.state != EntryState.DONE))
            or 0
        )
    return report


def _summarise_stories(
    s: Session,
    corpus_id_of: dict[int, str],
    corpus_by_id: dict[str, DemoArticle],
    report: DemoReport,
) -> None:
    """Stories formed, their developments, and BCubed against the corpus's gold labels."""
    assignments = dict(
        s.execute(select(StoryArticle.article_id, StoryArticle.story_id)).tuples().all()
    )
    predicted = {corpus_id_of[a]: str(st) for a, st in assignments.items() if a in corpus_id_of}
    gold = {cid: corpus_by_id[cid].story for cid in predicted}
    if predicted:
        report.clustering = bcubed(predicted, gold)
    for story in s.scalars(
        select(Story).where(Story.merged_into_id.is_(None)).order_by(Story.first_seen)
    ):
        members = [corpus_id_of[a] for a, st in assignments.items() if st == story.id]
        gold_labels = Counter(corpus_by_id[m].story for m in members if m in corpus_by_id)
        devs = s.scalars(
            select(Development)
            .where(
                Development.story_id == story.id,
                Development.kind.in_(("passage", "breaking", "language")),
            )
            .order_by(Development.detected_at, Development.id)
        ).all()
        report.stories.append(
            DemoStorySummary(
                story_id=story.id,
                headline=story.headline,
                articles=story.article_count,
                languages=list(story.languages or []),
                outlets=list(story.outlets or []),
                developments=[f"{d.detected_at:%b %d %H:%M} {d.kind}: {d.detail}" for d in devs],
                breaking=story.breaking,
                gold=", ".join(f"{k}×{v}" for k, v in gold_labels.most_common()),
            )
        )


def _summarise_analyses(s: Session, report: DemoReport) -> None:
    """The newest analysis per story and persona with its verification counts."""
    newest: dict[tuple[int, str], Analysis] = {}
    for a in s.scalars(select(Analysis).order_by(Analysis.version)):
        newest[(a.story_id, a.persona_id)] = a
    for a in sorted(newest.values(), key=lambda x: x.story_id):
        report.analyses.append(
            DemoAnalysisSummary(
                analysis_id=a.id,
                story_id=a.story_id,
                persona_id=a.persona_id,
                version=a.version,
                status=a.status,
                headline=a.headline,
                sentences=len(a.sentences),
                verified_sentences=sum(x.verified for x in a.sentences),
                disputed_sentences=sum(x.section == "disputed" for x in a.sentences),
                reasons=list(a.review_reasons or []),
            )
        )


def run_demo(
    settings: Settings,
    *,
    fresh: bool = False,
    progress: Progress = null_progress,
    corpus_path: Path | None = None,
    step: dt.timedelta | None = STEP,
    understand: bool = True,
) -> DemoReport:
    """Serve the corpus on 127.0.0.1 and run the pipeline over simulated days.

    With `step=None` the whole corpus is released at once and read in one cycle (the bench).
    """
    settings = demo_settings(settings)
    if fresh and not settings.database_url:
        db = settings.data_dir / "newsdesk.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    corpus = load_corpus(corpus_path)
    store = open_store(settings)
    server = DemoFeedServer(corpus, host=settings.demo_host, port=settings.demo_port)
    server.start()
    report = DemoReport()
    pipeline = Pipeline(store, settings)
    try:
        register_sources(store, server)
        t = corpus.start if step is not None else corpus.end
        while t <= corpus.end:
            server.clock = t
            # analyses are written once a simulated day (and at the end), as a desk would
            write = step is None or t.hour == 0
            report.cycle_reports.append(
                pipeline.run_cycle(now=t, progress=progress, understand=understand, write=write)
            )
            report.cycles += 1
            if step is None:
                break
            t += step
        # one more check of every feed with nothing new: conditional GET answers 304
        _force_due(store, t)
        report.cycle_reports.append(
            pipeline.run_cycle(now=t, progress=progress, understand=understand)
        )
        report.cycles += 1
    finally:
        server.stop()
    summarise(store, corpus, report)
    store.dispose()
    return report
