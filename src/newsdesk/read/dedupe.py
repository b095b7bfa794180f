"""Article identity: canonical URLs, content hashes and MinHash near-duplicates."""

from __future__ import annotations

import hashlib
import html
import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import idna
import numpy as np
from datasketch import MinHash, MinHashLSH

from newsdesk.read.tracking_params import TRACKING_PARAMS, TRACKING_PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "MINHASH_SCHEME",
    "MinHashSizeMismatch",
    "NearDuplicateIndex",
    "canonicalize_url",
    "compute_minhash",
    "content_hash",
    "is_tracking_param",
    "minhash_from_bytes",
    "minhash_to_bytes",
    "normalize_text",
]

# ---------------------------------------------------------------------------
# canonical URLs

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/"))
# '&' and '=' stay encoded inside a query name or value: they separate the pairs.
_QUERY_SAFE = frozenset(_UNRESERVED | set("!$'()*+,;:@/?"))
_HEX = frozenset("0123456789abcdefABCDEF")


def _normalize_percent(part: str, safe: frozenset[str]) -> str:
    """`part` with unreserved escapes decoded, other escapes upper-cased, unsafe chars encoded."""
    out: list[str] = []
    i, n = 0, len(part)
    while i < n:
        ch = part[i]
        if ch == "%" and i + 2 < n and part[i + 1] in _HEX and part[i + 2] in _HEX:
            byte = int(part[i + 1 : i + 3], 16)
            decoded = chr(byte)
            out.append(decoded if decoded in _UNRESERVED else f"%{byte:02X}")
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 for an absolute path."""
    output: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if output:
                output.pop()
        elif segment != ".":
            output.append(segment)
    last = path.rsplit("/", 1)[-1]
    trailing = last in (".", "..")
    return "/" + "/".join(output) + ("/" if trailing and output else "")


def _normalize_path(path: str) -> str:
    """A percent-normalised absolute path without '//', dot segments or trailing slash."""
    path = _normalize_percent(path, _PATH_SAFE)
    path = re.sub(r"/{2,}", "/", "/" + path)
    path = _remove_dot_segments(path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter name is a known click or campaign tracker."""
    key = unquote(name).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _normalize_query(query: str) -> str:
    """Query pairs without trackers or empties, percent-normalised and sorted."""
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, eq, value = piece.partition("=")
        if is_tracking_param(name):
            continue
        pairs.append(
            (_normalize_percent(name, _QUERY_SAFE), eq + _normalize_percent(value, _QUERY_SAFE))
        )
    pairs.sort()
    return "&".join(name + value for name, value in pairs)


@lru_cache(maxsize=4096)
def _normalize_host(host: str) -> str | None:
    """The ASCII (IDNA) form of a host name, or None when it is not a valid one."""
    host = host.rstrip(".").lower()
    if not host:
        return None
    if host.startswith("[") or ":" in host:
        return f"[{host.strip('[]')}]" if re.fullmatch(r"\[?[0-9a-f:.]+\]?", host) else None
    if host.isascii():
        labels = host.split(".")
        if all(re.fullmatch(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?", label) for label in labels):
            return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def canonicalize_url(url: str) -> str:
    """The canonical form of an http(s) URL; anything unparsable comes back stripped.

    Lower-cases scheme and host, encodes the host as IDNA, drops default ports, userinfo,
    fragments and tracking parameters (see newsdesk.read.tracking_params), sorts the query,
    normalises percent-encoding and resolves dot segments, duplicate and trailing slashes.
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return raw
        host = _normalize_host(parts.hostname)
        port = parts.port
    except ValueError:
        return raw
    if host is None:
        return raw
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    query = _normalize_query(parts.query)
    return f"{scheme}://{netloc}{_normalize_path(parts.path)}" + (f"?{query}" if query else "")


# ---------------------------------------------------------------------------
# exact content identity

_INVISIBLE = frozenset({0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})


class _SeparatorTable(dict[int, str | None]):
    """str.translate table, filled on demand: punctuation, symbols, controls become spaces."""

    def __missing__(self, cp: int) -> str | None:
        if cp in _INVISIBLE:
            value: str | None = None
        elif unicodedata.category(chr(cp)).startswith(("P", "S", "C", "Z")):
            value = " "
        else:
            value = chr(cp)
        if len(self) < 100_000:
            self[cp] = value
        return value


_SEPARATORS = _SeparatorTable()


def normalize_text(text: str) -> str:
    """Text reduced to casefolded words: NFKC, entities decoded, punctuation dropped."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return " ".join(text.translate(_SEPARATORS).split())


def content_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text; re-encoded copies share it."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# near-duplicates

# 64-bit affine permutations: hash values are uint64, stored as 8 bytes each.
MINHASH_SCHEME = "affine64"
SHINGLE_SIZE = 5
# Below this many spaces per non-space character the text is treated as unsegmented
# (Chinese, Japanese) and shingled by characters.
_SPACE_RATIO = 0.05


class MinHashSizeMismatch(ValueError):
    """Stored MinHash bytes do not hold the expected number of permutations."""


@lru_cache(maxsize=8)
def _template(num_perm: int) -> MinHash:
    """An empty MinHash whose permutations are shared by every sketch of this size."""
    return MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME)


def _shingles(text: str) -> set[bytes]:
    """5-word shingles, or character 5-grams for text written without spaces."""
    normalized = normalize_text(text)
    if not normalized:
        return set()
    visible = len("".join(text.split()))
    if (len(text) - visible) / max(1, visible) < _SPACE_RATIO:
        chars = normalized.replace(" ", "")
        if len(chars) <= SHINGLE_SIZE:
            return {chars.encode("utf-8")}
        return {
            chars[i : i + SHINGLE_SIZE].encode("utf-8")
            for i in range(len(chars) - SHINGLE_SIZE + 1)
        }
    words = normalized.split(" ")
    if len(words) <= SHINGLE_SIZE:
        return {" ".join(words).encode("utf-8")}
    return {
        " ".join(words[i : i + SHINGLE_SIZE]).encode("utf-8")
        for i in range(len(words) - SHINGLE_SIZE + 1)
    }


def shingle_containment(a: str, b: str) -> float:
    """Share of the smaller text's shingles found in the other (1.0: one contains the other)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def compute_minhash(text: str, num_perm: int = 128) -> MinHash:
    """The MinHash of a text's shingles (5 words, or 5 characters for CJK-like text)."""
    template = _template(num_perm)
    mh = MinHash(
        num_perm=num_perm,
        scheme=MINHASH_SCHEME,
        hashvalues=template.hashvalues.copy(),
        permutations=template.permutations,
    )
    shingles = _shingles(text)
    if shingles:
        mh.update_batch(list(shingles))
    return mh


def minhash_to_bytes(mh: MinHash) -> bytes:
    """The MinHash's hash values as little-endian uint64 bytes (8 per permutation)."""
    return np.asarray(mh.hashvalues, dtype="<u8").tobytes()


def minhash_from_bytes(b: bytes, num_perm: int = 128) -> MinHash:
    """A MinHash rebuilt from minhash_to_bytes output."""
    if len(b) != num_perm * 8:
        raise MinHashSizeMismatch(f"expected {num_perm * 8} bytes, got {len(b)}")
    template = _template(num_perm)
    values = np.frombuffer(b, dtype="<u8").astype(np.uint64)
    return MinHash(
        num_perm=num_perm,
        scheme=MINHASH_SCHEME,
        hashvalues=values,
        permutations=template.permutations,
    )


class NearDuplicateIndex:
    """MinHash LSH over articles; query returns keys whose estimated Jaccard passes threshold."""

    def __init__(
        self, threshold: float = 0.6, num_perm: int = 128, candidate_threshold: float | None = None
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        # The LSH bands are tuned below the threshold so that copies near it are still
        # candidates; the exact cut is applied on the estimated Jaccard (or by the caller, who
        # may verify low-Jaccard candidates by containment: a copy that dropped paragraphs).
        self.candidate_threshold = candidate_threshold or max(0.05, threshold - 0.1)
        self._lsh = MinHashLSH(threshold=self.candidate_threshold, num_perm=num_perm)
        self._sketches: dict[int, MinHash] = {}

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[int, bytes]],
        threshold: float = 0.6,
        num_perm: int = 128,
        candidate_threshold: float | None = None,
    ) -> NearDuplicateIndex:
        """An index rebuilt from stored (key, minhash bytes) rows; bad rows are skipped."""
        index = cls(threshold, num_perm, candidate_threshold)
        for key, blob in rows:
            try:
                index.add(key, minhash_from_bytes(blob, num_perm))
            except MinHashSizeMismatch:
                log.warning("skipping minhash of %s: wrong size %d", key, len(blob))
        return index

    def add(self, key: int, mh: MinHash) -> None:
        """Index `mh` under `key`; a repeated key keeps its first sketch; empty ones are skipped."""
        if key in self._sketches or mh.is_empty():
            return
        self._lsh.insert(key, mh)
        self._sketches[key] = mh

    def remove(self, key: int) -> None:
        """Forget `key` if it is indexed."""
        if self._sketches.pop(key, None) is not None:
            self._lsh.remove(key)

    def query(self, mh: MinHash, min_score: float | None = None) -> list[tuple[int, float]]:
        """Indexed keys near `mh` with their estimated Jaccard (>= min_score), best first."""
        found: list[tuple[int, float]] = []
        if mh.is_empty():
            return found
        floor = self.threshold if min_score is None else min_score
        for key in self._lsh.query(mh):
            score = float(mh.jaccard(self._sketches[key]))
            if score >= floor:
                found.append((key, score))
        found.sort(key=lambda item: (-item[1], item[0]))
        return found

    def __len__(self) -> int:
        return len(self._sketches)

    def __contains__(self, key: object) -> bool:
        return key in self._sketches
