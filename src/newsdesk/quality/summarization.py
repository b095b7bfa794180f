"""ROUGE-N for summaries, tokenised the way ROUGE-1.5.5 does it (lowercase ASCII alphanumerics).

Multiple references are pooled as ROUGE-1.5.5 does with ``-f A``: hits and reference n-gram
counts are summed over references, so recall = sum(hits) / sum(reference n-grams) and precision =
sum(hits) / (candidate n-grams x references). Stemming (``-m``) applies the Porter stemmer to
tokens longer than three characters, as the widely used Python re-implementation does.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

__all__ = [
    "NoReferences",
    "RougeScore",
    "SummaryTopic",
    "average_rouge",
    "load_summary_topics",
    "rouge_n",
    "tokenize_rouge",
    "truncate_summary",
]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


class NoReferences(ValueError):
    """ROUGE needs at least one reference summary."""


@dataclass(frozen=True)
class RougeScore:
    """Recall, precision and F1 of one ROUGE-N comparison."""

    recall: float
    precision: float
    f1: float


@lru_cache(maxsize=65536)
def _stem(token: str) -> str:
    return str(_porter().stemWord(token))


@lru_cache(maxsize=1)
def _porter() -> snowballstemmer.basestemmer.BaseStemmer:
    return snowballstemmer.stemmer("porter")


def tokenize_rouge(
    text: str, *, stem: bool = False, stopwords: frozenset[str] = frozenset()
) -> list[str]:
    """Lowercase ASCII alphanumeric tokens of `text`, optionally stemmed, stopwords removed."""
    tokens = [t for t in _NON_ALNUM.sub(" ", text.lower()).split() if t not in stopwords]
    if stem:
        tokens = [_stem(t) if len(t) > 3 else t for t in tokens]
    return tokens


def truncate_summary(
    text: str, word_limit: int | None = None, byte_limit: int | None = None
) -> str:
    """The first `word_limit` whitespace words (ROUGE -l) or `byte_limit` bytes (ROUGE -b)."""
    if word_limit is not None:
        text = " ".join(text.split()[:word_limit])
    if byte_limit is not None:
        text = text.encode("utf-8")[:byte_limit].decode("utf-8", errors="ignore")
    return text


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def rouge_n(
    candidate: str,
    references: Sequence[str],
    n: int = 2,
    *,
    stem: bool = True,
    word_limit: int | None = None,
    byte_limit: int | None = None,
    stopwords: frozenset[str] = frozenset(),
) -> RougeScore:
    """ROUGE-N of a candidate summary against one or more references.

    Args:
        candidate: The system summary; truncated to `word_limit` words / `byte_limit` bytes.
        references: Human reference summaries (pooled, as ROUGE-1.5.5 -f A).
        n: N-gram order.
        stem: Porter-stem tokens longer than three characters (ROUGE -m).
        word_limit: Candidate words to keep (ROUGE -l).
        byte_limit: Candidate bytes to keep (ROUGE -b).
        stopwords: Tokens to drop before counting (ROUGE -s uses its own list; none by default).

    Returns:
        The pooled recall, precision and F1.
    """
    if not references:
        raise NoReferences("rouge_n needs at least one reference")
    cand = _ngrams(
        tokenize_rouge(
            truncate_summary(candidate, word_limit, byte_limit), stem=stem, stopwords=stopwords
        ),
        n,
    )
    cand_total = sum(cand.values())
    hits = ref_total = 0
    for ref in references:
        grams = _ngrams(tokenize_rouge(ref, stem=stem, stopwords=stopwords), n)
        ref_total += sum(grams.values())
        hits += sum(min(count, cand[g]) for g, count in grams.items())
    recall = hits / ref_total if ref_total else 0.0
    precision = hits / (cand_total * len(references)) if cand_total else 0.0
    return RougeScore(recall, precision, _f1(precision, recall))


def average_rouge(scores: Iterable[RougeScore]) -> RougeScore:
    """Macro average over topics (ROUGE-1.5.5 reports the mean of per-topic scores)."""
    items = list(scores)
    if not items:
        return RougeScore(0.0, 0.0, 0.0)
    k = len(items)
    return RougeScore(
        sum(s.recall for s in items) / k,
        sum(s.precision for s in items) / k,
        sum(s.f1 for s in items) / k,
    )


@dataclass(frozen=True)
class SummaryTopic:
    """One evaluation topic: its documents as JSON lines and its reference summaries."""

    name: str
    lines: list[str]
    references: list[str]


def load_summary_topics(folder: Path) -> list[SummaryTopic]:
    """Topics of a folder holding <topic>.jsonl files and references.json {"references": {...}}."""
    refs = json.loads((folder / "references.json").read_text(encoding="utf-8"))["references"]
    topics = []
    for path in sorted(folder.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        topics.append(SummaryTopic(path.stem, lines, list(refs[path.stem])))
    return topics
