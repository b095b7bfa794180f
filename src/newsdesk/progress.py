"""How stages report: a tiny progress protocol (rendered by the CLI with rich) and stage timing."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    """Receives progress of long stages; the CLI renders it with rich."""

    def begin(self, stage: str, total: int) -> None: ...

    def step(self, stage: str, n: int = 1) -> None: ...


class _NullProgress:
    def begin(self, stage: str, total: int) -> None:
        return None

    def step(self, stage: str, n: int = 1) -> None:
        return None


null_progress: Progress = _NullProgress()


class StageTimes:
    """Seconds spent per named stage, accumulated across calls."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    @contextmanager
    def time(self, stage: str) -> Iterator[None]:
        """Add the time spent inside the block to `stage`."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start

    def merge(self, other: StageTimes) -> None:
        """Add another accounting into this one."""
        for k, v in other.seconds.items():
            self.seconds[k] += v

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in sorted(self.seconds.items())}
