"""The orchestrator: the stages in order, run in-process (the embedded default).

    poll → read → embed → entities → stories → write (claims, verify) → triage → publish due

Each stage is a `run(store, settings, *, now, progress, ...) -> Report` function in its
package's `stage.py` (triage in `desk/triage.py`). A stage reads the rows waiting for it and
moves them on in its own transactions, so any stage can be re-run after a crash and a later
process (or a Celery worker) picks up where another stopped. Only the long-lived parts — the
embedder, the entity extractor and the story clusterer's memory — are kept here across cycles.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from newsdesk.desk import publish_due
from newsdesk.desk import triage as triage_stage
from newsdesk.embed import Embedder
from newsdesk.embed import stage as embed_stage
from newsdesk.entities import DefaultExtractor
from newsdesk.entities import stage as entities_stage
from newsdesk.monitor import stage as poll_stage
from newsdesk.monitor.sources import sync_config_sources
from newsdesk.progress import Progress, StageTimes, null_progress
from newsdesk.read import stage as read_stage
from newsdesk.settings import Settings
from newsdesk.store import Store, utcnow
from newsdesk.stories import stage as stories_stage
from newsdesk.write import stage as write_stage

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    """What one pass of the pipeline did, stage by stage."""

    poll: poll_stage.PollReport
    read: read_stage.ReadReport
    embed: embed_stage.EmbedReport = field(default_factory=embed_stage.EmbedReport)
    entities: entities_stage.EntitiesReport = field(default_factory=entities_stage.EntitiesReport)
    cluster: stories_stage.ClusterReport = field(default_factory=stories_stage.ClusterReport)
    written: write_stage.WriteReport | None = None
    triage: triage_stage.TriageReport | None = None
    published_due: list[int] = field(default_factory=list)
    times: StageTimes = field(default_factory=StageTimes)


class Pipeline:
    """The stages with their long-lived parts (models, the clusterer) kept across cycles."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._embedder: Embedder | None = None
        self._extractor: DefaultExtractor | None = None
        self.assigner = stories_stage.StoryAssigner(store, settings)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embed_stage.embedder_from_settings(self.settings)
        return self._embedder

    @property
    def extractor(self) -> DefaultExtractor:
        if self._extractor is None:
            self._extractor = DefaultExtractor()
        return self._extractor

    def understand(
        self,
        report: CycleReport,
        progress: Progress = null_progress,
        now: dt.datetime | None = None,
    ) -> None:
        """Embed, extract entities and cluster whatever is waiting."""
        store, settings = self.store, self.settings
        with report.times.time("embed"):
            report.embed = embed_stage.run(
                store, settings, embedder=self.embedder, now=now, progress=progress
            )
        with report.times.time("entities"):
            report.entities = entities_stage.run(
                store, settings, extractor=self.extractor, now=now, progress=progress
            )
        with report.times.time("cluster"):
            report.cluster = stories_stage.run(
                store, settings, assigner=self.assigner, now=now, progress=progress
            )

    def write(self, report: CycleReport, progress: Progress = null_progress) -> None:
        """Write or update the analyses of stories that developed, then triage them."""
        with report.times.time("write"):
            report.written = write_stage.run(self.store, self.settings, progress=progress)
        with report.times.time("triage"):
            report.triage = triage_stage.run(self.store, self.settings, progress=progress)

    def run_cycle(
        self,
        *,
        now: dt.datetime | None = None,
        progress: Progress = null_progress,
        understand: bool = True,
        write: bool = True,
    ) -> CycleReport:
        """One pass: register config sources, then every stage in order."""
        now = now or utcnow()
        store, settings = self.store, self.settings
        if settings.sources:
            with store.session() as s:
                sync_config_sources(s, settings.sources, default_policy=settings.poll_policy)
        times = StageTimes()
        with times.time("poll"):
            poll = poll_stage.run(store, settings, now=now, progress=progress)
        with times.time("read"):
            read = read_stage.run(store, settings, now=now, progress=progress)
        report = CycleReport(poll=poll, read=read, times=times)
        if understand:
            self.understand(report, progress, now)
        if understand and write:
            self.write(report, progress)
        with store.session() as s:
            # approved analyses whose scheduled time has come
            report.published_due = publish_due(s, now=now)
        return report


def run_cycle(
    store: Store,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> CycleReport:
    """One pass of every stage with a fresh Pipeline (long runs keep one Pipeline instead)."""
    return Pipeline(store, settings).run_cycle(now=now, progress=progress)


def run_forever(
    store: Store,
    settings: Settings,
    *,
    stop: threading.Event,
    on_cycle: Callable[[CycleReport], None] | None = None,
    progress: Progress = null_progress,
) -> int:
    """Run cycles until `stop` is set; returns the number of cycles completed."""
    pipeline = Pipeline(store, settings)
    cycles = 0
    while not stop.is_set():
        report = pipeline.run_cycle(progress=progress)
        cycles += 1
        if on_cycle is not None:
            on_cycle(report)
        stop.wait(settings.run_interval)
    return cycles
