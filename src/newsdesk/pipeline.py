"""The orchestrator: the stages in order, run in-process (the embedded default).

poll → read → embed → entities → cluster. Each stage reads the rows waiting for it and moves
them on in its own transactions, so any stage can be re-run after a crash and a later process
(or a Celery worker) picks up where another stopped.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from newsdesk.desk import publish_due
from newsdesk.embed import Embedder
from newsdesk.embed.stage import embedder_from_settings, run_embed_stage
from newsdesk.entities import DefaultExtractor
from newsdesk.entities.registry import run_entities_stage
from newsdesk.poll import PollReport, poll_sources
from newsdesk.progress import Progress, null_progress
from newsdesk.read import ReadReport, read_entries
from newsdesk.settings import Settings
from newsdesk.sources import sync_config_sources
from newsdesk.store import Store, utcnow
from newsdesk.stories.assign import ClusterReport, StoryAssigner
from newsdesk.timing import StageTimes
from newsdesk.write.stage import WriteReport, run_write_stage

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    """What one pass of the pipeline did, stage by stage."""

    poll: PollReport
    read: ReadReport
    embedded: int = 0
    entities: int = 0
    cluster: ClusterReport = field(default_factory=ClusterReport)
    written: WriteReport | None = None
    times: StageTimes = field(default_factory=StageTimes)


class Pipeline:
    """The stages with their long-lived parts (models, the clusterer) kept across cycles."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._embedder: Embedder | None = None
        self._extractor: DefaultExtractor | None = None
        self.assigner = StoryAssigner(store, settings)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_from_settings(self.settings)
        return self._embedder

    @property
    def extractor(self) -> DefaultExtractor:
        if self._extractor is None:
            self._extractor = DefaultExtractor()
        return self._extractor

    def understand(self, report: CycleReport, progress: Progress = null_progress) -> None:
        """Embed, extract entities and cluster whatever is waiting."""
        with report.times.time("embed"):
            report.embedded = run_embed_stage(
                self.store, self.settings, embedder=self.embedder, progress=progress
            )
        with report.times.time("entities"):
            report.entities = run_entities_stage(
                self.store, self.settings, extractor=self.extractor, progress=progress
            )
        with report.times.time("cluster"):
            report.cluster = self.assigner.run(progress=progress)

    def write(self, report: CycleReport, progress: Progress = null_progress) -> None:
        """Write or update the analyses of stories that developed."""
        with report.times.time("write"):
            report.written = run_write_stage(self.store, self.settings, progress=progress)

    def run_cycle(
        self,
        *,
        now: dt.datetime | None = None,
        progress: Progress = null_progress,
        understand: bool = True,
        write: bool = True,
    ) -> CycleReport:
        """One pass: register config sources, poll the due ones, read, understand, write."""
        now = now or utcnow()
        if self.settings.sources:
            with self.store.session() as s:
                sync_config_sources(
                    s, self.settings.sources, default_policy=self.settings.poll_policy
                )
        times = StageTimes()
        with times.time("poll"):
            poll = poll_sources(self.store, self.settings, now=now, progress=progress)
        with times.time("read"):
            read = read_entries(self.store, self.settings, now=now, progress=progress)
        report = CycleReport(poll=poll, read=read, times=times)
        if understand:
            self.understand(report, progress)
        if understand and write:
            self.write(report, progress)
        with self.store.session() as s:
            publish_due(s, now=now)  # approved analyses whose scheduled time has come
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
