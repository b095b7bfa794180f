"""Embedder backed by any OpenAI-compatible POST /v1/embeddings endpoint."""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from typing import Any

import httpx
import numpy as np

from newsdesk.embed.base import EmbeddingFailed, normalise_rows

log = logging.getLogger(__name__)


class OpenAIEmbedder:
    """Calls `{base_url}/embeddings` in batches; vectors come back normalised float32."""

    def __init__(
        self,
        base_url: str,
        model: str,
        dim: int,
        api_key: str = "",
        batch_size: int = 64,
        timeout: float = 60.0,
        passage_prefix: str = "",
        query_prefix: str = "",
        send_input_type: bool = False,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = model
        self.dim = dim
        self.batch_size = max(1, batch_size)
        self.passage_prefix = passage_prefix
        self.query_prefix = query_prefix
        self.send_input_type = send_input_type
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client or httpx.Client(timeout=timeout, headers=headers)

    def _post(self, texts: list[str], input_type: str) -> np.ndarray:
        body: dict[str, Any] = {"model": self.model, "input": texts, "encoding_format": "float"}
        if self.send_input_type:
            body["input_type"] = input_type
        try:
            resp = self._client.post(f"{self.base_url}/embeddings", json=body)
        except httpx.HTTPError as exc:
            raise EmbeddingFailed(f"embedding request failed: {exc}") from exc
        if resp.status_code != 200:
            raise EmbeddingFailed(
                f"embedding server answered {resp.status_code}: {resp.text[:200]}"
            )
        try:
            data = sorted(resp.json()["data"], key=lambda d: d["index"])
            rows = [_decode(d["embedding"]) for d in data]
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbeddingFailed(f"malformed embedding response: {exc}") from exc
        arr = np.asarray(rows, dtype=np.float32)
        if arr.shape != (len(texts), self.dim):
            raise EmbeddingFailed(f"expected {(len(texts), self.dim)} vectors, got {arr.shape}")
        return arr

    def _embed(self, texts: Sequence[str], prefix: str, input_type: str) -> np.ndarray:
        items = [prefix + (t if t.strip() else "-") for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            self._post(items[i : i + self.batch_size], input_type)
            for i in range(0, len(items), self.batch_size)
        ]
        return normalise_rows(np.concatenate(parts, axis=0))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed documents (with passage_prefix, e.g. 'passage: ' for e5 models)."""
        return self._embed(texts, self.passage_prefix, "passage")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries (with query_prefix)."""
        return self._embed(texts, self.query_prefix, "query")

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


def _decode(value: Any) -> list[float]:
    if isinstance(value, str):
        floats: list[float] = np.frombuffer(base64.b64decode(value), dtype=np.float32).tolist()
        return floats
    return [float(x) for x in value]
