"""Citation support checks: every sentence must be traceable to the passages it cites."""

from __future__ import annotations

import bisect
import calendar
import itertools
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from newsdesk.text.dates import find_date_mentions
from newsdesk.text.numbers import find_numbers
from newsdesk.write._verify_text import (
    Evidence,
    analyse_passage,
    find_dates,
    find_names,
    fold_tokens,
    fold_word,
    is_content,
    is_title_case,
    merge_evidence,
    normalise_text,
    split_words,
    stem_tokens,
    wrapper_stages,
)
from newsdesk.write.model import Draft, SourcePassage, WrittenSentence

if TYPE_CHECKING:
    from newsdesk.embed.base import Embedder

__all__ = [
    "DraftVerification",
    "Passages",
    "SentenceCheck",
    "Similarity",
    "Verdict",
    "embedder_similarity",
    "verify_draft",
    "verify_headline",
    "verify_sentence",
]

log = logging.getLogger(__name__)

Similarity = Callable[[str, Sequence[str]], float]
# Passage id to its text, or to the SourcePassage (whose outlet then vouches for attributions).
Passages = Mapping[str, str | SourcePassage]

# An extractive sentence must be traceable word for word; a generated one needs this much support.
MIN_GENERATED_SUPPORT = 0.45
# Cosines of the multilingual e5 model sit in a narrow band: unrelated ~0.75-0.80, same ~0.9.
SIMILARITY_FLOOR = 0.80
SIMILARITY_CEILING = 0.92
_UNIGRAM_WEIGHT = 0.7
_MAX_REPORTED_WORDS = 5
_GLOSS = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Verdict:
    """Whether a text is supported by its passages, how strongly, and if not, why."""

    verified: bool
    support: float
    reason: str | None = None


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one sentence of a draft and where the sentence sits."""

    section: str
    position: int
    text: str
    verdict: Verdict


@dataclass
class DraftVerification:
    """Verdicts for every sentence of a draft, its headline and its dek."""

    sentences: list[SentenceCheck] = field(default_factory=list)
    headline: Verdict = Verdict(True, 1.0)
    dek: Verdict = Verdict(True, 1.0)

    @property
    def unsupported_count(self) -> int:
        """Sentences that failed verification."""
        return sum(1 for s in self.sentences if not s.verdict.verified)

    @property
    def all_verified(self) -> bool:
        """True when every sentence, the headline and the dek are supported."""
        return self.unsupported_count == 0 and self.headline.verified and self.dek.verified

    def unsupported(self) -> list[SentenceCheck]:
        """The sentences that failed, in reading order."""
        return [s for s in self.sentences if not s.verdict.verified]


def _unsupported(reason: str, support: float = 0.0) -> Verdict:
    return Verdict(False, round(max(0.0, min(1.0, support)), 4), reason)


def _fact_problems(text: str, evidence: Evidence, *, title_case: bool = False) -> list[str]:
    """Numbers, names and dates in `text` that the evidence does not contain."""
    norm = normalise_text(text)
    problems: list[str] = []
    dates = find_dates(norm)
    for date in dates:
        if date.month_day not in evidence.dates:
            problems.append(f"date {date.surface} not in cited passages")
    for number in find_numbers(norm):
        if any(d.start <= number.start < d.end for d in dates):
            continue  # the day of a date is checked as a date
        if number.values & evidence.numbers:
            continue
        if number.parts and all(part & evidence.numbers for part in number.parts):
            continue
        problems.append(f"number {number.surface} not in cited passages")
    for name in find_names(norm, title_case=title_case):
        missing = [
            word
            for word in name.split()
            if any(not evidence.has_name_token(t) for t in fold_tokens(word))
        ]
        if missing:
            shown = name if len(missing) == len(name.split()) else " ".join(missing)
            problems.append(f"name '{shown}' not in cited passages")
    return problems


def _text_of(value: str | SourcePassage) -> str:
    return value if isinstance(value, str) else value.text


def _outlets_of(values: Sequence[str | SourcePassage]) -> list[str] | None:
    """The outlets of SourcePassages, with and without a trailing gloss; None for bare texts."""
    names = [v.outlet for v in values if isinstance(v, SourcePassage)]
    if not names:
        return None
    return [*names, *(_GLOSS.sub("", n) for n in names)]


def _show_label(label: tuple[int | None, int, int]) -> str:
    year, month, day = label
    name = calendar.month_name[month] if 1 <= month <= 12 else f"month {month}"
    return f"{name} {day}" + (f", {year}" if year else "")


def _label_problems(
    label: tuple[int | None, int, int] | None,
    values: Sequence[str | SourcePassage],
    evidence: Evidence,
) -> list[str]:
    """A watch item's date label must be a date its passage gives (resolved when it can be)."""
    if label is None:
        return []
    year, month, day = label
    resolved = {
        mention.date
        for v in values
        if isinstance(v, SourcePassage) and v.published is not None
        for mention in find_date_mentions(v.text, v.published.date(), v.lang)
    }
    if resolved:
        ok = any(
            d.month == month and d.day == day and (year is None or d.year == year) for d in resolved
        )
    else:
        # bare texts: only explicit dates can be checked; a relative one ("on Wednesday") cannot
        ok = not evidence.dates or (month, day) in evidence.dates
    return [] if ok else [f"watch date {_show_label(label)} not in cited passages"]


def _outlet_problems(
    wrappers: Sequence[tuple[str, str]], outlets: Collection[str] | None, evidence: Evidence
) -> list[str]:
    """Attributions naming neither a known outlet nor a speaker as the passages put it."""
    if outlets is None:
        return []
    known = {" ".join(fold_tokens(o)).removeprefix("the ") for o in outlets}
    problems = []
    for outlet, phrase in wrappers:
        if " ".join(fold_tokens(outlet)).removeprefix("the ") in known:
            continue
        if _is_traceable(phrase, evidence):
            continue  # "According to the union, …" as the passage itself says it
        problems.append(f"attribution to unknown outlet '{outlet}'")
    return problems


def _is_traceable(text: str, evidence: Evidence) -> bool:
    """Whether every word of `text` occurs in the evidence in this order."""
    tokens = fold_tokens(text)
    return bool(tokens) and not _first_gap(tokens, evidence.positions)


def _lcs_length(seq: Sequence[str], index: Mapping[str, list[int]]) -> int:
    """Longest common subsequence of `seq` and the indexed text (Hunt-Szymanski)."""
    thresholds: list[int] = []
    for token in seq:
        for pos in reversed(index.get(token, ())):
            k = bisect.bisect_left(thresholds, pos)
            if k == len(thresholds):
                thresholds.append(pos)
            else:
                thresholds[k] = pos
    return len(thresholds)


def _first_gap(seq: Sequence[str], index: Mapping[str, list[int]]) -> list[int]:
    """Indexes of the first run of tokens that cannot follow the earlier ones in order."""
    pos = -1
    gap: list[int] = []
    for i, token in enumerate(seq):
        places = index.get(token, [])
        k = bisect.bisect_right(places, pos)
        if k < len(places):
            if gap:
                return gap
            pos = places[k]
        else:
            gap.append(i)
    return gap


def _verify_extractive(body: str, evidence: Evidence, problems: list[str]) -> Verdict:
    words = split_words(normalise_text(body))
    if not words:
        return _unsupported("no words left to check after removing the attribution")
    tokens = [fold_word(w) for w, _, _ in words]
    index = evidence.positions
    gap = _first_gap(tokens, index)
    if not gap and not problems:
        return Verdict(True, 1.0, None)
    support = 1.0
    if gap:
        content = [t for t in tokens if is_content(t)] or tokens
        support = min(
            _lcs_length(content, index) / len(content), _lcs_length(tokens, index) / len(tokens)
        )
        shown = " ".join(words[i][0] for i in gap[:_MAX_REPORTED_WORDS])
        problems = [*problems, f"words '{shown}' not found in this order in cited passages"]
    return _unsupported("; ".join(problems), min(support, 0.97))


@lru_cache(maxsize=4096)
def _content_grams(text: str, lang: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Content stems of a passage and their adjacent pairs."""
    stems = stem_tokens([t for t in analyse_passage(text).tokens if is_content(t)], lang)
    return frozenset(stems), frozenset(f"{a} {b}" for a, b in itertools.pairwise(stems))


def _lexical_support(body: str, passages: Sequence[str], lang: str | None) -> float:
    """Recall of the sentence's content stems and stem pairs in the passages."""
    stems = stem_tokens([t for t in fold_tokens(body) if is_content(t)], lang)
    if not stems:
        return 0.0
    unigrams: set[str] = set()
    bigrams: set[str] = set()
    for text in passages:
        uni, bi = _content_grams(text, lang)
        unigrams |= uni
        bigrams |= bi
    uni_recall = sum(1 for s in stems if s in unigrams) / len(stems)
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(stems)]
    bi_recall = sum(1 for p in pairs if p in bigrams) / len(pairs) if pairs else uni_recall
    return _UNIGRAM_WEIGHT * uni_recall + (1 - _UNIGRAM_WEIGHT) * bi_recall


def _verify_generated(
    text: str,
    body: str,
    passages: Sequence[str],
    lang: str | None,
    problems: list[str],
    similarity: Similarity | None,
    min_support: float,
) -> Verdict:
    support = _lexical_support(body, passages, lang)
    if similarity is not None:
        cosine = float(similarity(text, list(passages)))
        scaled = (cosine - SIMILARITY_FLOOR) / (SIMILARITY_CEILING - SIMILARITY_FLOOR)
        scaled = max(0.0, min(1.0, scaled))
        # meaning can vouch for a paraphrase or a translation, never lower the word evidence
        support = max(support, (support + scaled) / 2)
    support = max(0.0, min(1.0, support))
    if support < min_support:
        problems = [*problems, f"low support {support:.2f}"]
    if problems:
        return _unsupported("; ".join(problems), support)
    return Verdict(True, round(support, 4), None)


def verify_sentence(
    sentence: WrittenSentence,
    cited: Passages,
    *,
    similarity: Similarity | None = None,
    outlets: Collection[str] | None = None,
    min_support: float = MIN_GENERATED_SUPPORT,
) -> Verdict:
    """Check one sentence against the passages it cites.

    Args:
        sentence: The sentence, its citations and kind ("extractive" or "generated").
        cited: Passage id to passage text (or SourcePassage) for (at least) the cited ids.
        similarity: Optional `similarity(sentence, passages) -> cosine`, e.g. from
            `embedder_similarity`; used for generated sentences only.
        outlets: When given, an attribution wrapper must name one of these outlets; by default
            the outlets of the cited SourcePassages when `cited` holds SourcePassages.
        min_support: Support a generated sentence needs besides its facts.

    Returns:
        A Verdict; an unsupported one says why (the first untraceable words, a missing number,
        name or date, an unknown passage, low support).
    """
    if not sentence.citations:
        return _unsupported("no citation")
    unknown = [pid for pid in sentence.citations if pid not in cited]
    if unknown:
        return _unsupported(f"cites unknown passage {', '.join(map(str, unknown))}")
    values = [cited[pid] for pid in dict.fromkeys(sentence.citations)]
    passages = [_text_of(v) for v in values]
    evidence = merge_evidence([analyse_passage(p) for p in passages])
    stages = wrapper_stages(sentence.text)
    body = stages[-1]
    if sentence.kind == "extractive":
        # the least stripped form that traces: wrappers copied from the passage stay checked
        body = next((b for b in stages if _is_traceable(b.text, evidence)), body)
    known = _outlets_of(values) if outlets is None else outlets
    problems = _outlet_problems(body.wrappers, known, evidence)
    problems += _label_problems(body.label, values, evidence)
    problems += _fact_problems(body.text, evidence)
    if sentence.kind == "extractive":
        return _verify_extractive(body.text, evidence, problems)
    return _verify_generated(
        sentence.text, body.text, passages, sentence.lang, problems, similarity, min_support
    )


def verify_headline(text: str, passages: Passages | Sequence[str]) -> Verdict:
    """Check that every number, name and date in a headline or dek is in some passage."""
    if not text.strip():
        return Verdict(True, 1.0, None)
    values: list[str | SourcePassage] = (
        list(passages.values()) if isinstance(passages, Mapping) else list(passages)
    )
    texts = [_text_of(v) for v in values]
    if not texts:
        return _unsupported("no passages to check against")
    evidence = merge_evidence([analyse_passage(p) for p in texts])
    problems = [
        p.replace("cited passages", "the sources")
        for p in _fact_problems(text, evidence, title_case=is_title_case(text))
    ]
    if problems:
        return _unsupported("; ".join(problems), 0.0)
    return Verdict(True, 1.0, None)


def verify_draft(
    draft: Draft,
    passages: Passages,
    *,
    similarity: Similarity | None = None,
    outlets: Collection[str] | None = None,
    min_support: float = MIN_GENERATED_SUPPORT,
) -> DraftVerification:
    """Verify every sentence of a draft against its citations, and its headline and dek.

    Args:
        draft: The writer's draft.
        passages: Passage id to text (or SourcePassage) for every passage of the brief.
        similarity: Optional semantic similarity callback for generated sentences.
        outlets: When given, attribution wrappers must name one of these outlets (by default
            the cited SourcePassages' outlets, when `passages` holds SourcePassages).
        min_support: Support a generated sentence needs besides its facts.

    Returns:
        A DraftVerification with one SentenceCheck per sentence in reading order.
    """
    result = DraftVerification(
        headline=verify_headline(draft.headline, passages),
        dek=verify_headline(draft.dek, passages),
    )
    for section in draft.sections:
        for position, sentence in enumerate(section.sentences):
            verdict = verify_sentence(
                sentence,
                passages,
                similarity=similarity,
                outlets=outlets,
                min_support=min_support,
            )
            result.sentences.append(SentenceCheck(section.key, position, sentence.text, verdict))
    log.debug(
        "draft %s/%s: %d of %d sentences unsupported",
        draft.story_id,
        draft.persona_id,
        result.unsupported_count,
        len(result.sentences),
    )
    return result


def embedder_similarity(embedder: Embedder, *, cache_size: int = 4096) -> Similarity:
    """A similarity callback: the best cosine between the sentence and any passage."""
    import numpy as np

    cache: dict[str, np.ndarray] = {}

    def similarity(sentence: str, passages: Sequence[str]) -> float:
        if not passages:
            return 0.0
        missing = list(dict.fromkeys(p for p in passages if p not in cache))
        if missing:
            if len(cache) + len(missing) > cache_size:
                cache.clear()
            for text, vec in zip(missing, embedder.embed_passages(missing), strict=True):
                cache[text] = vec
        query = embedder.embed_queries([sentence])[0]
        return float(max(float(np.dot(cache[p], query)) for p in passages))

    return similarity
