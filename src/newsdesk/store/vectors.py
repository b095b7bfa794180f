"""Vectors as stored: little-endian float32 bytes."""

from __future__ import annotations

import numpy as np


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """A vector as little-endian float32 bytes."""
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    """A vector stored by vector_to_bytes."""
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)
