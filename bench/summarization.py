"""Summarisation benchmark: ROUGE-1/2 and speed of our selector vs LexRank and centroid."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench._results import write_result
from newsdesk.quality.baselines import summarize_centroid, summarize_lexrank
from newsdesk.quality.summarization import average_rouge, load_summary_topics, rouge_n
from newsdesk.write.selection import (
    SelectionConfig,
    SourceDocument,
    parse_document_lines,
    summarize_documents,
)

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "brief"
DEMO_STORIES = (
    Path(__file__).resolve().parent.parent / "src" / "newsdesk" / "demo" / "corpus" / "stories"
)
MAX_WORDS = 100

Summarizer = Callable[[Sequence[SourceDocument], int], str]


def _ours(docs: Sequence[SourceDocument], max_words: int) -> str:
    return summarize_documents(docs, max_words).text


def _ours_greedy(docs: Sequence[SourceDocument], max_words: int) -> str:
    return summarize_documents(docs, max_words, SelectionConfig(use_ilp=False)).text


def _ours_uncompressed(docs: Sequence[SourceDocument], max_words: int) -> str:
    return summarize_documents(docs, max_words, SelectionConfig(compress=False)).text


SYSTEMS: dict[str, Summarizer] = {
    "ours": _ours,
    "ours_greedy": _ours_greedy,
    "ours_no_compression": _ours_uncompressed,
    "lexrank": summarize_lexrank,
    "centroid": summarize_centroid,
}


def measure_system(
    topics: Sequence[tuple[str, list[SourceDocument], list[str]]], summarize: Summarizer
) -> dict[str, Any]:
    """ROUGE-1/2 (stemmed, 100-word cut, pooled references) and time of one system."""
    r1, r2 = [], []
    started = time.perf_counter()
    outputs = [summarize(docs, MAX_WORDS) for _name, docs, _refs in topics]
    seconds = time.perf_counter() - started
    for (_name, _docs, refs), text in zip(topics, outputs, strict=True):
        r1.append(rouge_n(text, refs, 1, stem=True, word_limit=MAX_WORDS))
        r2.append(rouge_n(text, refs, 2, stem=True, word_limit=MAX_WORDS))
    a1, a2 = average_rouge(r1), average_rouge(r2)
    return {
        "rouge1_recall": round(a1.recall, 4),
        "rouge1_f1": round(a1.f1, 4),
        "rouge2_recall": round(a2.recall, 4),
        "rouge2_precision": round(a2.precision, 4),
        "rouge2_f1": round(a2.f1, 4),
        "per_topic_rouge2_recall": {
            name: round(s.recall, 4) for (name, _d, _r), s in zip(topics, r2, strict=True)
        },
        "seconds": round(seconds, 3),
        "topics_per_second": round(len(topics) / seconds, 2) if seconds else None,
    }


def _demo_speed() -> dict[str, Any]:
    """Time ours on the multilingual demo stories (one summary per story)."""
    stories = sorted(DEMO_STORIES.glob("*.json"))
    docs_per_story = []
    for path in stories:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs_per_story.append(
            [
                SourceDocument(a["id"], a["text"], a.get("title"), a.get("lang"))
                for a in data["articles"]
            ]
        )
    started = time.perf_counter()
    words = [summarize_documents(docs, MAX_WORDS).words for docs in docs_per_story]
    seconds = time.perf_counter() - started
    return {
        "stories": len(stories),
        "articles": sum(len(d) for d in docs_per_story),
        "seconds": round(seconds, 3),
        "words": words,
    }


def main() -> dict[str, Any]:
    """Score every system on the invented fixture topics and write the result."""
    topics = [
        (t.name, parse_document_lines(t.lines), t.references) for t in load_summary_topics(FIXTURES)
    ]
    summarize_documents(topics[0][1], MAX_WORDS)  # warm imports and the solver
    return write_result(
        "summarization",
        {
            "data": "tests/fixtures/brief (invented; 4 topics, 6-7 articles, 2 references each)",
            "metric": "ROUGE-N pooled over references, Porter stemming, candidate cut at 100 words",
            "max_words": MAX_WORDS,
            "systems": {name: measure_system(topics, fn) for name, fn in SYSTEMS.items()},
            "demo_corpus": _demo_speed(),
        },
    )
