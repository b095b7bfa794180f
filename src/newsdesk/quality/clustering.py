"""Clustering quality: pairwise and BCubed precision, recall and F1 of predicted vs gold stories."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


class LabelsMismatch(ValueError):
    """Predicted and gold labels do not cover the same article ids."""


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _check(predicted: Mapping[str, str], gold: Mapping[str, str]) -> list[str]:
    if set(predicted) != set(gold):
        missing = sorted(set(gold) - set(predicted))[:5]
        extra = sorted(set(predicted) - set(gold))[:5]
        raise LabelsMismatch(f"ids differ: missing {missing}, unexpected {extra}")
    return list(gold)


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """BCubed P/R/F1: per-item overlap of its predicted and gold clusters, averaged over items."""
    ids = _check(predicted, gold)
    if not ids:
        return PRF(1.0, 1.0, 1.0)
    joint = Counter((predicted[i], gold[i]) for i in ids)
    pred_size = Counter(predicted[i] for i in ids)
    gold_size = Counter(gold[i] for i in ids)
    p = sum(joint[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in ids) / len(ids)
    r = sum(joint[(predicted[i], gold[i])] / gold_size[gold[i]] for i in ids) / len(ids)
    return PRF(p, r, _f1(p, r))


def pairwise(predicted: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """Pairwise P/R/F1 over all unordered pairs placed together (1.0 when there are none)."""
    ids = _check(predicted, gold)

    def pairs(counter: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counter)

    together = pairs(Counter((predicted[i], gold[i]) for i in ids).values())
    pred_pairs = pairs(Counter(predicted[i] for i in ids).values())
    gold_pairs = pairs(Counter(gold[i] for i in ids).values())
    p = together / pred_pairs if pred_pairs else 1.0
    r = together / gold_pairs if gold_pairs else 1.0
    return PRF(p, r, _f1(p, r))


def read_labels(path: Path, field: str = "story") -> dict[str, str]:
    """Read {"id", "story"} lines (extra keys ignored) into an id -> label map."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out[str(row["id"])] = str(row[field])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: expected a JSON object with id and {field}") from exc
    return out


def evaluate_clustering(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """All metrics in one flat dict, plus the number of items and of clusters on each side."""
    b = bcubed(predicted, gold)
    pw = pairwise(predicted, gold)
    return {
        "bcubed_precision": b.precision,
        "bcubed_recall": b.recall,
        "bcubed_f1": b.f1,
        "pairwise_precision": pw.precision,
        "pairwise_recall": pw.recall,
        "pairwise_f1": pw.f1,
        "items": float(len(gold)),
        "predicted_clusters": float(len(set(predicted.values()))),
        "gold_clusters": float(len(set(gold.values()))),
    }
