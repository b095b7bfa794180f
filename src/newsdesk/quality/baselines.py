"""Classical extractive baselines for evaluation only: LexRank and centroid (MEAD-style)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from newsdesk.write._text import count_words, stopwords_for, tokenize
from newsdesk.write.selection import (
    Candidate,
    SelectionConfig,
    SourceDocument,
    build_candidates,
    choose_language,
)

__all__ = ["summarize_centroid", "summarize_lexrank"]

# Sentences more similar than this (tf-idf cosine) to one already chosen are skipped.
_REDUNDANCY = 0.5
_CENTROID_WORDS = 100


def _prepare(
    docs: Sequence[SourceDocument], max_words: int
) -> tuple[list[Candidate], np.ndarray, list[str | None]]:
    """Eligible sentences of the dominant language and their tf-idf rows (idf over documents)."""
    langs: list[str | None] = [doc.lang for doc in docs]
    dominant = choose_language(docs, langs)
    config = SelectionConfig(compress=False)
    cands = [
        c
        for c in build_candidates(docs, langs, max_words, config)
        if c.eligible and c.lang == dominant
    ]
    stop = stopwords_for(dominant)
    bags = [Counter(t for t in tokenize(c.text, c.lang) if t not in stop) for c in cands]
    df: Counter[str] = Counter()
    for doc, lang in zip(docs, langs, strict=True):
        df.update({t for t in tokenize(doc.text, lang) if t not in stop})
    vocab = {t: i for i, t in enumerate(sorted({t for bag in bags for t in bag}))}
    n = max(len(docs), 1)
    matrix = np.zeros((len(cands), len(vocab)))
    for row, bag in enumerate(bags):
        for t, tf in bag.items():
            matrix[row, vocab[t]] = tf * (math.log(n / df[t]) + 1.0 if df[t] else 1.0)
    return cands, matrix, langs


def _cosine(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit = matrix / np.where(norms == 0, 1.0, norms)
    result: np.ndarray = unit @ unit.T
    return result


def _fill(
    cands: Sequence[Candidate], scores: np.ndarray, sims: np.ndarray, max_words: int
) -> list[str]:
    """Best-scored sentences that fit the budget and repeat nothing chosen, in document order."""
    chosen: list[int] = []
    used = 0
    for j in np.argsort(-scores, kind="stable"):
        j = int(j)
        if used + cands[j].words > max_words:
            continue
        if any(sims[j, k] > _REDUNDANCY for k in chosen):
            continue
        chosen.append(j)
        used += cands[j].words
    chosen.sort(key=lambda j: (cands[j].doc_index, cands[j].position))
    return [cands[j].text for j in chosen]


def summarize_lexrank(
    docs: Sequence[SourceDocument], max_words: int = 100, damping: float = 0.85
) -> str:
    """LexRank (Erkan & Radev 2004), continuous: PageRank over the tf-idf cosine graph."""
    cands, matrix, _langs = _prepare(docs, max_words)
    if not cands:
        return ""
    sims = _cosine(matrix)
    rows = sims.sum(axis=1, keepdims=True)
    transition = sims / np.where(rows == 0, 1.0, rows)
    size = len(cands)
    scores = np.full(size, 1.0 / size)
    for _ in range(100):
        updated = (1 - damping) / size + damping * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-8:
            scores = updated
            break
        scores = updated
    text = " ".join(_fill(cands, scores, sims, max_words))
    assert count_words(text) <= max_words
    return text


def summarize_centroid(docs: Sequence[SourceDocument], max_words: int = 100) -> str:
    """Centroid summariser (MEAD, Radev et al. 2004): centroid, position, first-sentence overlap."""
    cands, matrix, _langs = _prepare(docs, max_words)
    if not cands:
        return ""
    centroid = matrix.sum(axis=0) / max(len(docs), 1)
    # MEAD keeps only the centroid's strongest words.
    if centroid.size > _CENTROID_WORDS:
        cutoff = np.sort(centroid)[-_CENTROID_WORDS]
        centroid = np.where(centroid >= cutoff, centroid, 0.0)
    c_score = (matrix > 0).astype(float) @ centroid
    c_max = float(c_score.max()) or 1.0
    first: dict[int, int] = {}
    rank: list[int] = []
    for j, c in enumerate(cands):
        first.setdefault(c.doc_index, j)
        rank.append(j - first[c.doc_index])
    doc_len = Counter(c.doc_index for c in cands)
    scores = np.zeros(len(cands))
    for j, c in enumerate(cands):
        lead = matrix[first[c.doc_index]]
        position = (doc_len[c.doc_index] - rank[j]) / doc_len[c.doc_index] * c_max
        overlap = float(matrix[j] @ lead) / (float(lead @ lead) or 1.0) * c_max
        scores[j] = c_score[j] + position + overlap
    sims = _cosine(matrix)
    text = " ".join(_fill(cands, scores, sims, max_words))
    assert count_words(text) <= max_words
    return text
