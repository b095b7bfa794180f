"""Pairwise and BCubed clustering metrics, checked on hand-computed cases and properties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.quality.clustering import (
    LabelsMismatch,
    bcubed,
    evaluate_clustering,
    pairwise,
    read_labels,
)

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}


def test_perfect_clustering_scores_one() -> None:
    pred = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    assert bcubed(pred, GOLD).f1 == 1.0
    assert pairwise(pred, GOLD).f1 == 1.0


def test_bcubed_hand_computed() -> None:
    pred = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}
    b = bcubed(pred, GOLD)
    # precision per item: a,b 1; c 1/3; d,e 2/3 -> (2 + 1/3 + 4/3) / 5
    assert b.precision == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    # recall per item: a,b 2/3; c 1/3; d,e 1 -> (4/3 + 1/3 + 2) / 5
    assert b.recall == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)


def test_pairwise_hand_computed() -> None:
    pred = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}
    p = pairwise(pred, GOLD)
    # predicted pairs: ab, cd, ce, de (4); correct: ab, de (2); gold pairs: ab ac bc de (4)
    assert p.precision == pytest.approx(0.5)
    assert p.recall == pytest.approx(0.5)


def test_all_singletons_and_one_blob() -> None:
    single = {k: k for k in GOLD}
    assert bcubed(single, GOLD).precision == 1.0
    assert pairwise(single, GOLD).recall == 0.0
    blob = dict.fromkeys(GOLD, "z")
    assert bcubed(blob, GOLD).recall == 1.0
    assert bcubed(blob, GOLD).precision == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)


def test_mismatched_ids_raise() -> None:
    with pytest.raises(LabelsMismatch):
        bcubed({"a": "1"}, {"b": "1"})


def test_read_labels_and_evaluate(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(json.dumps({"id": k, "story": v}) for k, v in GOLD.items()) + "\n")
    labels = read_labels(path)
    assert labels == GOLD
    result = evaluate_clustering(labels, GOLD)
    assert result["bcubed_f1"] == 1.0 and result["gold_clusters"] == 2.0
    path.write_text('{"id": "a"}\n')
    with pytest.raises(ValueError, match=":1:"):
        read_labels(path)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=30))
def test_metrics_are_bounded_and_symmetric(labels: list[tuple[int, int]]) -> None:
    pred = {str(i): str(p) for i, (p, _) in enumerate(labels)}
    gold = {str(i): str(g) for i, (_, g) in enumerate(labels)}
    b = bcubed(pred, gold)
    assert 0.0 < b.precision <= 1.0 and 0.0 < b.recall <= 1.0
    swapped = bcubed(gold, pred)
    assert swapped.precision == pytest.approx(b.recall)
    assert bcubed(gold, gold).f1 == pytest.approx(1.0)
