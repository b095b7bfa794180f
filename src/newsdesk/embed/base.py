"""The Embedder protocol every embedding backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


class EmbeddingFailed(RuntimeError):
    """A backend could not embed the given texts (bad response, wrong shape, server error)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows; passages and queries may be prefixed apart."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed documents: an (n, dim) float32 array with unit-length rows."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries: an (n, dim) float32 array with unit-length rows."""
        ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (zero rows stay zero)."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = (arr / norms).astype(np.float32, copy=False)
    return unit


def bound_text(title: str | None, text: str | None, max_chars: int) -> str:
    """Title plus the lead of the text, cut at a sentence or word end near max_chars."""
    head = (title or "").strip()
    body = " ".join((text or "").split())
    if head and body.startswith(head):
        body = body[len(head) :].lstrip(" .:-—")
    room = max(0, max_chars - len(head))
    if len(body) > room:
        cut = body[:room]
        ends = [cut.rfind(p) for p in (". ", "。", "! ", "? ", "؟ ", "। ", "！", "？")]
        end = max(ends)
        if end >= room // 2:
            cut = cut[: end + 1]
        else:
            space = cut.rfind(" ")
            cut = cut[:space] if space >= room // 2 else cut
        body = cut
    return f"{head}\n{body}".strip() if head else body
