"""The article-extraction benchmark's metric: 4-token shingle precision, recall and F1.

Follows the scrapinghub article-extraction-benchmark evaluation: ``\\w+`` tokens (case kept),
4-token shingles counted as multisets, per-page tp/fp/fn normalised to sum to 1, precision and
recall averaged over pages, F1 the harmonic mean of the two averages.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class PageMatch:
    """Normalised shingle counts of one page: true positives, false positives, false negatives."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class ExtractionScore:
    """Benchmark scores averaged over pages."""

    f1: float
    precision: float
    recall: float
    pages: int


def tokenize_text(text: str | None) -> list[str]:
    """Split text into the benchmark's ``\\w+`` tokens, case kept."""
    return _TOKEN.findall(text or "")


def count_shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the token shingles of a text; a text shorter than `size` is one short shingle."""
    tokens = tokenize_text(text)
    if not tokens:
        return Counter()
    last = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(last))


def match_page(true: str | None, pred: str | None, size: int = SHINGLE_SIZE) -> PageMatch:
    """Compare predicted and true text of one page as normalised tp/fp/fn."""
    true_counts = count_shingles(true, size)
    pred_counts = count_shingles(pred, size)
    tp = float(sum((true_counts & pred_counts).values()))
    fp = float(sum((pred_counts - true_counts).values()))
    fn = float(sum((true_counts - pred_counts).values()))
    total = tp + fp + fn
    if total > 0:
        return PageMatch(tp / total, fp / total, fn / total)
    return PageMatch(tp, fp, fn)


def _precision(m: PageMatch) -> float:
    if m.fp == m.fn == 0:
        return 1.0
    if m.tp == m.fp == 0:
        return 0.0
    return m.tp / (m.tp + m.fp)


def _recall(m: PageMatch) -> float:
    if m.fp == m.fn == 0:
        return 1.0
    if m.tp == m.fn == 0:
        return 0.0
    return m.tp / (m.tp + m.fn)


def score_matches(matches: Iterable[PageMatch]) -> ExtractionScore:
    """Average per-page precision and recall and combine them into F1."""
    items = list(matches)
    precisions = [_precision(m) for m in items if m.tp + m.fp > 0]
    recalls = [_recall(m) for m in items if m.tp + m.fn > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return ExtractionScore(f1=f1, precision=precision, recall=recall, pages=len(items))


def score_extraction(pairs: Iterable[tuple[str | None, str | None]]) -> ExtractionScore:
    """Score (true, predicted) text pairs with the benchmark's metric."""
    return score_matches(match_page(true, pred) for true, pred in pairs)


@dataclass(frozen=True)
class BenchmarkPage:
    """One labelled page of the extraction benchmark."""

    page_id: str
    url: str | None
    html: bytes
    true_text: str


def find_benchmark_dir(repo_root: Path | None = None) -> Path:
    """Where the extraction benchmark lives: ../shared/bench/extraction from the repo root."""
    root = repo_root or Path(__file__).resolve().parents[3]
    return root.parent / "shared" / "bench" / "extraction"


def load_benchmark(folder: Path) -> list[BenchmarkPage]:
    """Load the benchmark's pages (html/<id>.html.gz) with their ground truth, sorted by id."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = folder / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        item = truth[page_id]
        pages.append(
            BenchmarkPage(
                page_id=page_id,
                url=item.get("url"),
                html=gzip.decompress(path.read_bytes()),
                true_text=item.get("articleBody") or "",
            )
        )
    return pages
