"""Embedding backends: a small protocol and one implementation per file, chosen by name."""

from __future__ import annotations

from typing import Any

from newsdesk.embed.base import Embedder, EmbeddingFailed, bound_text, normalise_rows
from newsdesk.embed.e5 import E5Embedder, load_e5_model
from newsdesk.embed.openai_compat import OpenAIEmbedder


class UnknownEmbedder(ValueError):
    """The configured embedder name matches no backend."""


def make_embedder(kind: str = "e5", **options: Any) -> Embedder:
    """Build the embedder named by config: 'e5' (default, offline) or 'openai'."""
    if kind == "e5":
        return E5Embedder(**options)
    if kind == "openai":
        return OpenAIEmbedder(**options)
    raise UnknownEmbedder(f"unknown embedder {kind!r}: expected 'e5' or 'openai'")


__all__ = [
    "E5Embedder",
    "Embedder",
    "EmbeddingFailed",
    "OpenAIEmbedder",
    "UnknownEmbedder",
    "bound_text",
    "load_e5_model",
    "make_embedder",
    "normalise_rows",
]
