"""Vector index over story vectors: a protocol, HNSW (usearch) and exact implementations."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class VectorIndex(Protocol):
    """Nearest neighbours by inner product over unit vectors, keyed by integer ids."""

    dim: int

    def upsert(self, key: int, vector: np.ndarray) -> None:
        """Insert the vector under key, replacing any vector already stored there."""
        ...

    def remove(self, key: int) -> None:
        """Forget the key (no error if absent)."""
        ...

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to k (key, inner product) pairs, best first."""
        ...

    def __len__(self) -> int: ...

    def save(self, path: Path) -> None:
        """Persist the index beside the store."""
        ...


class USearchIndex:
    """HNSW graph from the usearch package over 8-bit quantised unit vectors.

    The index only proposes candidates (each is then scored exactly against its current
    centroid), so 8-bit storage costs no decision quality, while a quarter of the float32
    bytes keeps the hot stories' graph in the CPU cache: measured on 2 shared cores, half-precision
    search cost tripled per distance between 5k and 21k stories as the graph left the cache.
    """

    def __init__(
        self,
        dim: int,
        connectivity: int = 16,
        expansion_add: int = 64,
        expansion_search: int = 64,
        dtype: str = "i8",
    ) -> None:
        from usearch.index import Index

        self.dim = dim
        self._index = Index(
            ndim=dim,
            # usearch scales i8 by the vector norm only under "cos"; on unit vectors cos == ip
            metric="cos" if dtype == "i8" else "ip",
            dtype=dtype,
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )

    def upsert(self, key: int, vector: np.ndarray) -> None:
        """Insert or replace one vector."""
        if self._index.contains(key):
            self._index.remove(key)
        self._index.add(key, np.asarray(vector, dtype=np.float32))

    def add_many(self, keys: Sequence[int], vectors: np.ndarray, threads: int = 0) -> None:
        """Bulk-insert new keys (used when rebuilding from stored vectors)."""
        if len(keys):
            self._index.add(
                np.asarray(keys, dtype=np.uint64), np.asarray(vectors, np.float32), threads=threads
            )

    def remove(self, key: int) -> None:
        """Remove one key if present."""
        if self._index.contains(key):
            self._index.remove(key)

    def remove_many(self, keys: Sequence[int]) -> None:
        """Remove keys and unlink them from the graph (a pass over the graph, so batch them)."""
        if len(keys):
            self._index.remove(np.asarray(keys, dtype=np.uint64), compact=True)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Approximate top-k by inner product."""
        if len(self._index) == 0 or k <= 0:
            return []
        m = self._index.search(np.asarray(vector, dtype=np.float32), min(k, len(self._index)))
        return [(int(key), 1.0 - float(d)) for key, d in zip(m.keys, m.distances, strict=True)]

    def search_keys(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Approximate top-k keys only, best first, as an array (no per-hit Python objects)."""
        if len(self._index) == 0 or k <= 0:
            return np.zeros(0, dtype=np.uint64)
        m = self._index.search(np.asarray(vector, dtype=np.float32), min(k, len(self._index)))
        return np.asarray(m.keys, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._index)

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the graph and its vectors."""
        return int(self._index.memory_usage)

    def save(self, path: Path) -> None:
        """Write the index file."""
        self._index.save(str(path))

    @classmethod
    def load(cls, path: Path, dim: int) -> USearchIndex:
        """Read an index written by save()."""
        obj = cls(dim)
        obj._index.load(str(path))
        return obj


class ProjectedIndex:
    """HNSW over a short search key, re-ranked exactly on the full vectors.

    The graph holds a fixed seeded random orthogonal projection of each vector (96 of 384
    dims, 8-bit), so a node costs about half the bytes and distances a quarter of the work;
    the search asks for `oversample` times k keys and the full vectors pick the best k by
    inner product. The same seed gives the same projection after a restart, when the index is
    rebuilt.

    The full vectors live in one contiguous matrix and the graph is keyed by row number, so a
    search gathers its candidates with one fancy index. Removal is where HNSW is fragile: a
    removed usearch node stays in the graph as a tombstone that searches still walk, and its
    slot is reused by the next insert while old neighbours keep their links to it. With idle
    stories leaving at about the rate new ones arrive, that doubled (reused keys: quintupled
    within 2,000 articles) the graph search cost at 21k stories. So a removed or replaced key
    only retires its row here (searches skip it at once); every `remove_batch` retired rows
    leave the graph together with their links (usearch `compact`, one pass over the graph,
    ~12 ms at 21k stories) and their rows are reused.
    """

    def __init__(
        self,
        dim: int,
        key_dim: int = 96,
        oversample: int = 4,
        seed: int = 20261201,
        connectivity: int = 16,
        expansion_add: int = 64,
        expansion_search: int = 64,
        remove_batch: int = 512,
    ) -> None:
        self.dim = dim
        self.key_dim = min(key_dim, dim)
        self.oversample = oversample
        gauss = np.random.default_rng(seed).standard_normal((dim, self.key_dim))
        self._proj = np.linalg.qr(gauss)[0].astype(np.float32)
        self._graph = USearchIndex(
            self.key_dim,
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        self._rows = np.zeros((64, dim), dtype=np.float32)
        self._key_of = np.zeros(64, dtype=np.int64)
        self._row_of: dict[int, int] = {}
        self._free: list[int] = []
        self._used = 0  # rows handed out so far (live or freed)
        self._pending: list[int] = []
        self.remove_batch = remove_batch

    def _key(self, vectors: np.ndarray) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32) @ self._proj

    def _allocate(self, key: int) -> int:
        """A row for a new key: a freed one, or the next (growing the matrix by doubling)."""
        if self._free:
            row = self._free.pop()
        else:
            row = self._used
            self._used += 1
            if row >= len(self._rows):
                size = max(2 * len(self._rows), row + 1)
                self._rows = np.resize(self._rows, (size, self.dim))
                self._key_of = np.resize(self._key_of, size)
        self._row_of[key] = row
        self._key_of[row] = key
        return row

    def upsert(self, key: int, vector: np.ndarray) -> None:
        """Insert or replace one vector (a replaced vector gets a new row; the old one retires)."""
        old = self._row_of.pop(key, None)
        if old is not None:
            self._retire(old)
        row = self._allocate(key)
        vec = np.asarray(vector, dtype=np.float32)
        self._rows[row] = vec
        self._graph.upsert(row, self._key(vec))

    def add_many(self, keys: Sequence[int], vectors: np.ndarray, threads: int = 0) -> None:
        """Bulk-insert new keys (used when rebuilding from stored vectors)."""
        if not len(keys):
            return
        mat = np.asarray(vectors, dtype=np.float32)
        rows = []
        for key, vec in zip(keys, mat, strict=True):
            key = int(key)
            old = self._row_of.pop(key, None)
            if old is not None:  # a key given again is replaced, as upsert does
                self._retire(old)
            row = self._allocate(key)
            self._rows[row] = vec
            rows.append(row)
        if rows:
            self._graph.add_many(rows, self._key(self._rows[rows]), threads=threads)

    def remove(self, key: int) -> None:
        """Remove one key if present; the graph drops it in the next batch (see _flush)."""
        row = self._row_of.pop(key, None)
        if row is not None:
            self._retire(row)

    def _retire(self, row: int) -> None:
        """Hide a row from searches at once; it leaves the graph with the next batch."""
        self._key_of[row] = -1
        self._pending.append(row)
        if len(self._pending) >= self.remove_batch:
            self._flush()

    def _flush(self) -> None:
        """Remove pending rows from the graph at once, unlinking them from their neighbours."""
        if self._pending:
            self._graph.remove_many(self._pending)
            self._free.extend(self._pending)
            self._pending = []

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Approximate top-k: oversampled search on the short key, exact re-rank."""
        if not self._row_of or k <= 0:
            return []
        q = np.asarray(vector, dtype=np.float32)
        rows = self._graph.search_keys(self._key(q), k * self.oversample).astype(np.intp)
        if not len(rows):
            return []
        keys = self._key_of[rows]
        if self._pending:
            live = keys >= 0
            rows, keys = rows[live], keys[live]
        sims = self._rows[rows] @ q
        top = np.argsort(-sims)[:k]
        keys = keys[top]
        return [(int(key), float(sim)) for key, sim in zip(keys, sims[top], strict=True)]

    def __len__(self) -> int:
        return len(self._row_of)

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the graph, its keys and the full vectors."""
        return self._graph.memory_bytes + self._rows.nbytes + self._key_of.nbytes

    def save(self, path: Path) -> None:
        """Write keys and full vectors as .npz (the graph is rebuilt from them on load)."""
        keys = list(self._row_of)
        rows = [self._row_of[k] for k in keys]
        vecs = self._rows[rows] if keys else np.zeros((0, self.dim), dtype=np.float32)
        with path.open("wb") as fh:
            np.savez(fh, keys=np.asarray(keys, dtype=np.int64), vectors=vecs)

    @classmethod
    def load(cls, path: Path, dim: int) -> ProjectedIndex:
        """Read an index written by save()."""
        data = np.load(path)
        obj = cls(dim)
        obj.add_many([int(k) for k in data["keys"]], data["vectors"])
        return obj


class ExactIndex:
    """Brute-force inner product over a numpy matrix: the reference for small sets and tests."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._keys: list[int] = []
        self._pos: dict[int, int] = {}
        self._mat = np.zeros((16, dim), dtype=np.float32)

    def upsert(self, key: int, vector: np.ndarray) -> None:
        """Insert or replace one vector."""
        pos = self._pos.get(key)
        if pos is None:
            pos = len(self._keys)
            if pos == len(self._mat):
                self._mat = np.concatenate([self._mat, np.zeros_like(self._mat)], axis=0)
            self._keys.append(key)
            self._pos[key] = pos
        self._mat[pos] = vector

    def remove(self, key: int) -> None:
        """Remove one key by moving the last row into its place."""
        pos = self._pos.pop(key, None)
        if pos is None:
            return
        last = len(self._keys) - 1
        if pos != last:
            moved = self._keys[last]
            self._keys[pos] = moved
            self._mat[pos] = self._mat[last]
            self._pos[moved] = pos
        self._keys.pop()

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Exact top-k by inner product."""
        n = len(self._keys)
        if n == 0 or k <= 0:
            return []
        sims = self._mat[:n] @ np.asarray(vector, dtype=np.float32)
        k = min(k, n)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        return [(self._keys[i], float(sims[i])) for i in top]

    def __len__(self) -> int:
        return len(self._keys)

    def save(self, path: Path) -> None:
        """Write keys and vectors as .npz."""
        n = len(self._keys)
        with path.open("wb") as fh:
            np.savez(fh, keys=np.asarray(self._keys, dtype=np.int64), vectors=self._mat[:n])

    @classmethod
    def load(cls, path: Path, dim: int) -> ExactIndex:
        """Read an index written by save()."""
        data = np.load(path)
        obj = cls(dim)
        for key, vec in zip(data["keys"], data["vectors"], strict=True):
            obj.upsert(int(key), vec)
        return obj


def make_index(dim: int, kind: str = "projected") -> VectorIndex:
    """Build an empty index: 'projected' (HNSW on a short key, default), 'usearch' or 'exact'."""
    if kind == "exact":
        return ExactIndex(dim)
    if kind == "usearch":
        return USearchIndex(dim)
    return ProjectedIndex(dim)


def rebuild_index(
    items: Iterable[tuple[int, np.ndarray]], dim: int, kind: str = "projected"
) -> VectorIndex:
    """Rebuild an index from stored (key, vector) rows, e.g. after the index file was lost."""
    index = make_index(dim, kind)
    keys: list[int] = []
    vecs: list[np.ndarray] = []
    for key, vec in items:
        keys.append(key)
        vecs.append(np.asarray(vec, dtype=np.float32))
    if isinstance(index, USearchIndex | ProjectedIndex) and keys:
        index.add_many(keys, np.stack(vecs))
    else:
        for key, vec in zip(keys, vecs, strict=True):
            index.upsert(key, vec)
    log.info("rebuilt %s index with %d vectors", kind, len(keys))
    return index
