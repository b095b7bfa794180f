"""Same-story scores: one calibrated logit for article pairs and article-vs-story decisions.

The logit adds four kinds of evidence:
  * embedding similarity after per-language centering (LanguageCentering), scaled and offset so
    that 0 means "as likely the same story as not" when nothing else is known;
  * shared named-ish tokens (capitalised words, acronyms; folded to Latin) and entity ids;
  * shared distinctive numbers (magnitudes, rates, tolls, amounts), which survive translation;
  * time: a story inactive for longer than a grace period loses evidence day by day.
The sigmoid of the logit is the probability-like score printed by `newsdesk similarity`; the
clusterer joins the best candidate story whose score passes `join_threshold`.
Weights were set by a regularised logistic fit on invented labelled pairs and rounded toward
caution (lexical weights below the fit, which over-trusts clean invented numbers).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from newsdesk.stories.features import ArticleFeatures, LanguageCentering


@dataclass(frozen=True)
class ScoreWeights:
    """Coefficients of the same-story logit and the clustering thresholds."""

    sim_scale: float = 15.0
    sim_offset: float = 0.32
    name_weight: float = 0.5
    name_cap: int = 3
    number_weight: float = 1.0
    number_cap: int = 2
    entity_weight: float = 0.8
    entity_cap: int = 3
    grace_days: float = 3.0
    decay_per_day: float = 0.6
    join_threshold: float = 0.5
    merge_threshold: float = 0.85


DEFAULT_WEIGHTS = ScoreWeights()


def sigmoid(z: float) -> float:
    """Logistic function, safe for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def count_shared(a: Collection[str], b: Collection[str]) -> int:
    """Number of keys in both collections."""
    if len(a) > len(b):
        a, b = b, a
    return sum(1 for k in a if k in b)


def combine_evidence(
    similarity: float,
    shared_names: int,
    shared_numbers: int,
    shared_entities: int = 0,
    gap_hours: float | None = None,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
) -> float:
    """The same-story logit from centered cosine, lexical overlaps and the time gap."""
    w = weights
    z = w.sim_scale * (similarity - w.sim_offset)
    z += w.name_weight * min(shared_names, w.name_cap)
    z += w.number_weight * min(shared_numbers, w.number_cap)
    z += w.entity_weight * min(shared_entities, w.entity_cap)
    if gap_hours is not None:
        idle_days = abs(gap_hours) / 24.0 - w.grace_days
        if idle_days > 0:
            z -= w.decay_per_day * idle_days
    return z


def score_pair(
    a: ArticleFeatures,
    b: ArticleFeatures,
    centering: LanguageCentering,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
) -> float:
    """Probability-like score in (0, 1) that two articles cover the same story."""
    va = centering.center(a.lang, a.vector)
    vb = centering.center(b.lang, b.vector)
    gap = a.hours - b.hours if a.hours is not None and b.hours is not None else None
    z = combine_evidence(
        float(np.dot(va, vb)),
        count_shared(a.names, b.names),
        count_shared(a.numbers, b.numbers),
        count_shared(a.entity_ids, b.entity_ids),
        gap,
        weights,
    )
    return sigmoid(z)
