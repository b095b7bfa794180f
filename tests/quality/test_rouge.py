"""ROUGE-N on worked examples computed by hand."""

from __future__ import annotations

import pytest

from newsdesk.quality.summarization import (
    NoReferences,
    RougeScore,
    average_rouge,
    rouge_n,
    tokenize_rouge,
    truncate_summary,
)


def test_tokenises_like_rouge_155() -> None:
    # Lowercase, every non-alphanumeric is a separator: "U.S." -> u s, "2.5%" -> 2 5.
    assert tokenize_rouge("U.S. GDP rose 2.5%, analysts said.") == [
        "u", "s", "gdp", "rose", "2", "5", "analysts", "said",
    ]  # fmt: skip


def test_stems_only_tokens_longer_than_three_characters() -> None:
    assert tokenize_rouge("The strikes continued as ponies ran", stem=True) == [
        "the", "strike", "continu", "as", "poni", "ran",
    ]  # fmt: skip


def test_unigrams_and_bigrams_of_one_reference() -> None:
    cand, ref = "the cat sat on the mat", "the cat was on the mat"
    # Unigrams: 6 each side; clipped hits the x2, cat, on, mat = 5.
    r1 = rouge_n(cand, [ref], 1)
    assert r1.recall == pytest.approx(5 / 6)
    assert r1.precision == pytest.approx(5 / 6)
    # Bigrams: 5 each side; shared "the cat", "on the", "the mat" = 3.
    r2 = rouge_n(cand, [ref], 2)
    assert (r2.recall, r2.precision, r2.f1) == pytest.approx((0.6, 0.6, 0.6))


def test_pools_several_references_like_average_mode() -> None:
    cand = "police arrested two men"
    refs = ["police arrested two men on friday", "two men were arrested"]
    # Bigram hits: 3 of 5 in the first reference, 1 ("two men") of 3 in the second.
    score = rouge_n(cand, refs, 2)
    assert score.recall == pytest.approx(4 / 8)
    assert score.precision == pytest.approx(4 / (3 * 2))
    assert score.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_clips_repeated_ngrams() -> None:
    score = rouge_n("the the the", ["the cat"], 1, stem=False)
    assert score.recall == pytest.approx(1 / 2)
    assert score.precision == pytest.approx(1 / 3)


def test_stemming_matches_inflections() -> None:
    assert rouge_n("The strikes continued", ["strike continues"], 1, stem=False).recall == 0
    stemmed = rouge_n("The strikes continued", ["strike continues"], 1, stem=True)
    assert stemmed.recall == 1.0
    assert stemmed.precision == pytest.approx(2 / 3)


def test_word_limit_truncates_the_candidate_only() -> None:
    assert truncate_summary("a b c d", word_limit=2) == "a b"
    assert rouge_n("alpha beta gamma delta", ["gamma delta"], 1, word_limit=2).recall == 0
    assert rouge_n("gamma delta alpha", ["gamma delta alpha beta"], 1, word_limit=2).recall == 0.5


def test_byte_limit_never_splits_a_character() -> None:
    assert truncate_summary("café au lait", byte_limit=4) == "caf"
    assert truncate_summary("café au lait", byte_limit=5) == "café"


def test_empty_candidate_scores_zero_and_references_are_required() -> None:
    assert rouge_n("", ["some reference"], 2) == RougeScore(0.0, 0.0, 0.0)
    with pytest.raises(NoReferences):
        rouge_n("text", [], 2)


def test_averages_per_topic_scores() -> None:
    avg = average_rouge([RougeScore(0.2, 0.4, 0.3), RougeScore(0.4, 0.2, 0.1)])
    assert (avg.recall, avg.precision, avg.f1) == pytest.approx((0.3, 0.3, 0.2))
