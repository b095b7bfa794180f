"""Extraction benchmark: F1, precision, recall and speed of ours vs trafilatura defaults."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import trafilatura

from bench._results import write_result
from newsdesk.quality.extraction import (
    BenchmarkPage,
    find_benchmark_dir,
    load_benchmark,
    score_extraction,
)
from newsdesk.read.extract import extract_article


def _extract_ours(page: BenchmarkPage) -> str:
    return extract_article(page.html, page.url).text


def _extract_defaults(page: BenchmarkPage) -> str:
    return trafilatura.extract(page.html) or ""


def measure_extractor(
    pages: list[BenchmarkPage], extract: Callable[[BenchmarkPage], str]
) -> dict[str, Any]:
    """Run one extractor over the pages and score it with the benchmark's metric."""
    started = time.perf_counter()
    predictions = [extract(page) for page in pages]
    seconds = time.perf_counter() - started
    score = score_extraction(
        (page.true_text, pred) for page, pred in zip(pages, predictions, strict=True)
    )
    return {
        "f1": round(score.f1, 4),
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "pages": score.pages,
        "seconds": round(seconds, 2),
        "pages_per_second": round(len(pages) / seconds, 1) if seconds else None,
    }


def main() -> dict[str, Any]:
    """Measure ours and trafilatura's defaults on the benchmark pages and write the result."""
    folder = find_benchmark_dir()
    if not folder.exists():
        return write_result("extraction", {"skipped": f"benchmark data not found at {folder}"})
    pages = load_benchmark(folder)
    # Warm both code paths (imports, lazily built regexes) before timing.
    _extract_ours(pages[0])
    _extract_defaults(pages[0])
    return write_result(
        "extraction",
        {
            "dataset": str(folder),
            "metric": "article-extraction-benchmark 4-token shingle F1 (macro over pages)",
            "trafilatura_version": trafilatura.__version__,
            "ours": measure_extractor(pages, _extract_ours),
            "trafilatura_defaults": measure_extractor(pages, _extract_defaults),
        },
    )


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
