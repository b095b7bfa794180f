"""The orchestrator: the stages in order, run in-process (the embedded default)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.poll import PollReport, poll_sources
from newsdesk.progress import Progress, null_progress
from newsdesk.read import ReadReport, read_entries
from newsdesk.settings import Settings
from newsdesk.sources import sync_config_sources
from newsdesk.store import Store, utcnow

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    """What one pass of the pipeline did, stage by stage."""

    poll: PollReport
    read: ReadReport


def run_cycle(
    store: Store,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> CycleReport:
    """One pass: register config sources, poll the due ones, read pending entries."""
    now = now or utcnow()
    if settings.sources:
        with store.session() as s:
            sync_config_sources(s, settings.sources, default_policy=settings.poll_policy)
    poll = poll_sources(store, settings, now=now, progress=progress)
    read = read_entries(store, settings, now=now, progress=progress)
    return CycleReport(poll=poll, read=read)


def run_forever(
    store: Store,
    settings: Settings,
    *,
    stop: threading.Event,
    on_cycle: Callable[[CycleReport], None] | None = None,
    progress: Progress = null_progress,
) -> int:
    """Run cycles until `stop` is set; returns the number of cycles completed."""
    cycles = 0
    while not stop.is_set():
        report = run_cycle(store, settings, progress=progress)
        cycles += 1
        if on_cycle is not None:
            on_cycle(report)
        stop.wait(settings.run_interval)
    return cycles
