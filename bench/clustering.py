"""Clustering benchmark: embedding and clustering throughput, per-article cost as stories grow.

python -m bench clustering
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench._results import write_result
from newsdesk.embed import E5Embedder
from newsdesk.quality.clustering import bcubed
from newsdesk.stories import ArticleInput, LanguageCentering, Story, StoryClusterer
from newsdesk.stories.cluster import cluster_articles
from newsdesk.stories.features import extract_features
from newsdesk.stories.index import ProjectedIndex

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "newsdesk" / "demo" / "corpus" / "stories"
FIXTURE = ROOT / "tests" / "fixtures" / "cluster" / "invented_multilingual.jsonl"
DIM = 384
SIZES = [int(x) for x in os.environ.get("BENCH_CLUSTER_SIZES", "10000,50000,100000").split(",")]
QUERIES = 2000


def load_articles() -> tuple[list[ArticleInput], dict[str, str], str]:
    """Demo corpus articles in arrival order (or the invented fixture if it is missing)."""
    docs, gold = [], {}
    files = sorted(DEMO.glob("s*.json"))
    if files:
        rows = []
        for path in files:
            story = json.loads(path.read_text(encoding="utf-8"))
            for a in story["articles"]:
                rows.append((a["day"], a["hour"], a["id"], story["story"], a))
        for day, hour, ident, label, a in sorted(rows, key=lambda r: r[:3]):
            docs.append(
                ArticleInput(
                    id=ident,
                    text=a["text"],
                    title=a["title"],
                    lang=a["lang"],
                    published=f"2026-11-{9 + day:02d}T{hour:02d}:00:00+00:00",
                    duplicate_of=a.get("syndicated_from"),
                )
            )
            gold[ident] = label
        return docs, gold, f"demo corpus ({len(files)} stories)"
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        docs.append(ArticleInput(id=r["id"], text=r["text"], title=r.get("title")))
        gold[r["id"]] = r["story"]
    return docs, gold, "invented fixture"


def bench_embedding(docs: list[ArticleInput], gold: dict[str, str]) -> dict[str, Any]:
    """Articles/s of embedding alone at several lead lengths, and of embed + cluster."""
    embedder = E5Embedder()
    embedder.embed_passages(["warm up"])
    out: dict[str, Any] = {}
    sample = docs[:40]
    for chars in (300, 600, 1000):
        start = time.perf_counter()
        extract_features(sample, embedder, max_chars=chars)
        out[f"embed_articles_per_s_{chars}_chars"] = round(
            len(sample) / (time.perf_counter() - start), 2
        )
    # the other half of the trade-off: the same corpus clustered from each lead length
    for chars in (300, 600):
        labels = cluster_articles(docs, embedder, max_chars=chars)
        out[f"bcubed_f1_{chars}_chars"] = round(bcubed(labels, gold).f1, 4)
    start = time.perf_counter()
    labels = cluster_articles(docs, embedder)
    elapsed = time.perf_counter() - start
    out["embed_and_cluster_articles_per_s"] = round(len(docs) / elapsed, 2)
    out["bcubed_f1"] = round(bcubed(labels, gold).f1, 4)
    out["bcubed_f1_1000_chars"] = out["bcubed_f1"]  # the default, embed_max_chars
    out["articles"] = len(docs)
    features = extract_features(docs, embedder)
    start = time.perf_counter()
    clusterer = StoryClusterer()
    clusterer.add_many(features)
    out["cluster_only_articles_per_s"] = round(len(docs) / (time.perf_counter() - start), 1)
    return out


LATENT = 256


def synthetic_vectors(n: int, rng: np.random.Generator, basis: np.ndarray) -> np.ndarray:
    """Unit vectors with a low intrinsic dimension, like text embeddings (not uniform noise)."""
    latent = rng.standard_normal((n, LATENT), dtype=np.float32)
    vecs = latent @ basis + 0.15 * rng.standard_normal((n, DIM), dtype=np.float32) / np.sqrt(DIM)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def synthetic_stories(n: int, rng: np.random.Generator, basis: np.ndarray) -> list[Story]:
    """n one-member stories with synthetic vectors (no language centering applied)."""
    vecs = synthetic_vectors(n, rng, basis)
    stories = []
    for i in range(n):
        s = Story(key=i + 1, label=f"s{i + 1}", headline="", first_seen=0.0, last_seen=0.0)
        s.member_count = 1
        s.languages["en"] = 1
        s.vector_sum = vecs[i]
        stories.append(s)
    return stories


def rss_mb() -> float:
    """Current resident memory of this process."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def bench_scale(n: int) -> dict[str, Any]:
    """Per-article clustering cost with n stories already indexed."""
    rss_before = rss_mb()
    rng = np.random.default_rng(n)
    basis = np.random.default_rng(0).standard_normal((LATENT, DIM)).astype(np.float32)
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    stories = synthetic_stories(n, rng, basis)
    clusterer = StoryClusterer(
        dim=DIM, centering=LanguageCentering(DIM), index=ProjectedIndex(DIM), learn_centering=False
    )
    start = time.perf_counter()
    clusterer.restore_stories(stories, members=False)
    build = time.perf_counter() - start
    from newsdesk.stories import ArticleFeatures

    queries = []
    for i in range(QUERIES):
        if i % 2:  # half near an existing story, half new
            base = stories[int(rng.integers(n))].vector_sum
            v = base + 0.5 * synthetic_vectors(1, rng, basis)[0]
        else:
            v = synthetic_vectors(1, rng, basis)[0]
        v = (v / np.linalg.norm(v)).astype(np.float32)
        queries.append(ArticleFeatures(f"q{i}", v, "en", frozenset(), frozenset(), 1.0, "q"))
    start, cpu = time.perf_counter(), time.process_time()
    joined = sum(not clusterer.add(q).is_new for q in queries)
    per_article = (time.process_time() - cpu) / QUERIES
    wall = (time.perf_counter() - start) / QUERIES
    return {
        "stored": n,
        "index_build_s": round(build, 1),
        "per_article_ms": round(per_article * 1000, 3),
        "per_article_wall_ms": round(wall * 1000, 3),
        "joined_share": round(joined / QUERIES, 3),
        "rss_growth_mb": round(rss_mb() - rss_before, 1),
    }


STREAM_PER_DAY = 2_000
STREAM_STORY_SIZE = 2.0  # articles per story on average (the synthetic join share is ~0.5)
STREAM_POINTS = (10_000, 100_000, 1_000_000)
STREAM_ROUNDS = 20
STREAM_CHUNK = 200


def stream_state(stored: int, idle_days: float = 21.0) -> tuple[StoryClusterer, list[Any]]:
    """The clusterer a pipeline process holds after `stored` articles fed at STREAM_PER_DAY.

    Stories are spread over the days the archive spans; those idle for `idle_days` have left
    the index and memory (StoryClusterer evicts them as time passes). Returns the clusterer and
    its query stream: articles continuing the feed in time, half near a story of the last 3
    days, half new, so idle stories keep leaving while the cost is measured.
    """
    from newsdesk.stories import ArticleFeatures

    rng = np.random.default_rng(stored)
    basis = np.random.default_rng(0).standard_normal((LATENT, DIM)).astype(np.float32)
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    span_h = min(stored / STREAM_PER_DAY, idle_days) * 24.0
    now = stored / STREAM_PER_DAY * 24.0
    active = int(span_h / 24.0 * STREAM_PER_DAY / STREAM_STORY_SIZE)
    stories = synthetic_stories(active, rng, basis)
    times = np.sort(now - span_h * rng.random(active))
    for story, t in zip(stories, times, strict=True):
        story.first_seen = story.last_seen = float(t)
        story.members = [f"a{story.key}-0", f"a{story.key}-1"]
    clusterer = StoryClusterer(
        dim=DIM,
        centering=LanguageCentering(DIM),
        index=ProjectedIndex(DIM),
        learn_centering=False,
        max_idle_days=idle_days,
        remember_articles=False,
    )
    clusterer.restore_stories(stories)
    recent = [s for s, t in zip(stories, times, strict=True) if t >= now - 72.0]
    step_h = 24.0 / STREAM_PER_DAY
    queries = []
    for i in range(STREAM_ROUNDS * STREAM_CHUNK):
        if i % 2:
            base = recent[int(rng.integers(len(recent)))].vector_sum
            v = base + 0.5 * synthetic_vectors(1, rng, basis)[0]
        else:
            v = synthetic_vectors(1, rng, basis)[0]
        v = (v / np.linalg.norm(v)).astype(np.float32)
        hours = now + (i + 1) * step_h
        queries.append(ArticleFeatures(f"q{i}", v, "en", frozenset(), frozenset(), hours, "q"))
    return clusterer, queries


def bench_stream(idle_days: float = 21.0) -> list[dict[str, Any]]:
    """Per-article cost at 10k, 100k and 1M stored articles, measured side by side.

    The machine is shared and noisy, so the three states are built first and then fed in
    alternating chunks (the order rotating each round); a point's cost is the median chunk.
    """
    states = {}
    for stored in STREAM_POINTS:
        start = time.perf_counter()
        clusterer, queries = stream_state(stored, idle_days)
        states[stored] = (clusterer, queries, time.perf_counter() - start, len(clusterer.index))
    chunks: dict[int, list[float]] = {n: [] for n in STREAM_POINTS}
    walls: dict[int, list[float]] = {n: [] for n in STREAM_POINTS}
    joined = dict.fromkeys(STREAM_POINTS, 0)
    for r in range(STREAM_ROUNDS):
        order = STREAM_POINTS[r % 3 :] + STREAM_POINTS[: r % 3]
        for stored in order:
            clusterer, queries, _, _ = states[stored]
            batch = queries[r * STREAM_CHUNK : (r + 1) * STREAM_CHUNK]
            start, cpu = time.perf_counter(), time.process_time()
            joined[stored] += sum(not clusterer.add(q).is_new for q in batch)
            chunks[stored].append((time.process_time() - cpu) / len(batch))
            walls[stored].append((time.perf_counter() - start) / len(batch))
    out = []
    for stored in STREAM_POINTS:
        clusterer, queries, build, indexed = states[stored]
        times = chunks[stored]
        out.append(
            {
                "stored_articles": stored,
                "indexed_active_stories": indexed,
                "stories_in_memory_after": len(clusterer.stories),
                "state_build_s": round(build, 1),
                "per_article_ms": round(float(np.median(times)) * 1000, 3),
                "per_article_ms_min_chunk": round(min(times) * 1000, 3),
                "per_article_wall_ms": round(float(np.median(walls[stored])) * 1000, 3),
                "joined_share": round(joined[stored] / len(queries), 3),
            }
        )
    base = out[0]["per_article_ms"]
    for point in out:
        point["ratio_to_first"] = round(point["per_article_ms"] / base, 2)
    return out


STREAM_NOTE = (
    "stream: an archive fed at 2,000 articles/day (about 2 articles per story); stories idle "
    "for 21 days leave the index and memory, so at 100k and 1M stored articles the clusterer "
    "holds the last 21 days' ~21,000 stories (10k stored articles span 5 days: ~5,000). Each "
    "point's state is built on its own; then the three are fed alternately in chunks of "
    f"{STREAM_CHUNK} articles continuing the feed in time ({STREAM_ROUNDS} rounds), and a "
    "point's per-article cost is its median chunk in CPU time of this process (wall time, "
    "which includes waiting for a core on the shared machine, beside it). scale (below): the "
    "worst case, every stored story still active"
)


def main() -> dict[str, Any]:
    import os as _os

    if _os.environ.get("NEWSDESK_BENCH_SCALE_ONLY"):
        previous = json.loads((Path(__file__).parent / "results" / "clustering.json").read_text())
        previous["stream"] = bench_stream()
        previous["stream_note"] = STREAM_NOTE
        previous.pop("benchmark", None)
        previous.pop("measured_at", None)
        previous.pop("machine", None)
        return write_result("clustering", previous)
    docs, gold, corpus = load_articles()
    result: dict[str, Any] = {"corpus": corpus, **bench_embedding(docs, gold)}
    result["stream"] = bench_stream()
    result["stream_note"] = STREAM_NOTE
    curve = [bench_scale(n) for n in SIZES]
    base = curve[0]["per_article_ms"]
    for point in curve:
        point["ratio_to_first"] = round(point["per_article_ms"] / base, 2)
    result["scale"] = curve
    # HNSW search cost grows ~log(n): fit a + b*ln(n) on the measured points, predict 1M
    if len(curve) >= 2:
        xs = np.log([p["stored"] for p in curve])
        slope, intercept = np.polyfit(xs, [p["per_article_ms"] for p in curve], 1)
        at_1m = float(intercept + slope * np.log(1_000_000))
        result["extrapolated_1m_per_article_ms"] = round(at_1m, 3)
        result["extrapolated_1m_ratio_to_first"] = round(at_1m / base, 2)
        largest = curve[-1]
        result["extrapolated_1m_memory_mb"] = round(
            largest["rss_growth_mb"] * 1_000_000 / largest["stored"], 0
        )
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["notes"] = (
        "Synthetic vectors with a 256-d latent structure (text embeddings are far from uniform "
        "noise) for the stream and the scale curve; story centroids in a usearch HNSW graph "
        "(M=16, ef 64/64, 8-bit) over a seeded random orthogonal projection to 96 dims, "
        "searched for 4x the candidates and re-ranked exactly on the full 384-d centroids "
        "(ProjectedIndex), re-inserted when they drift below cosine 0.95. Removed and "
        "replaced keys are hidden from searches at once and leave the graph 512 at a time "
        "with their links (usearch compact), so idle stories leaving do not leave tombstones "
        "that searches keep walking; the stream's measured chunks include those batches. "
        "Scale (worst "
        "case, every story active, CPU time): 1M was not built (HNSW insertion on 2 shared "
        "cores runs at ~1,000-3,000 vectors/s, over 5 minutes): the 1M "
        "per-article cost is extrapolated with a + b*ln(n) fitted on the measured sizes, and "
        "the 1M memory linearly from the largest size (RSS growth while building it; "
        "Python may reuse freed memory, so treat it as a floor). max_rss_mb covers the whole run."
    )
    return write_result("clustering", result)


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
