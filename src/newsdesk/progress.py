"""A tiny progress protocol so library stages can report without depending on rich."""

from __future__ import annotations

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
