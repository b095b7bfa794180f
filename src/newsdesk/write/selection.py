"""Extractive multi-document selection: weighted-bigram coverage under a word budget.

The method follows ICSISumm (Gillick & Favre 2009): concepts are content bigrams of stemmed
tokens, weighted by how many documents contain them (bigrams of two stopwords are dropped), and
the summary is the set of whole sentences that covers the most concept weight within the budget,
solved exactly as an integer programme (HiGHS through scipy) with a greedy cost-scaled fallback.
A small position prior favours early sentences of each article, near-duplicate sentences may not
be chosen together, and sentences are lightly compressed (datelines, fillers, asides) before their
length is counted so more content fits. The configuration is fixed (``SelectionConfig``) and was
set from the published method, not tuned on any evaluation set.

Languages: sentences come from the dominant language (most documents; ties go to
``prefer_language``, then to the most text); documents without a tag are detected. Only when the
dominant language's eligible sentences cannot fill the budget are other languages' sentences
added. Tokens are Unicode words (one per character in CJK scripts), Snowball-stemmed where a
stemmer exists (Porter for English); English adds a stopword list, every language treats tokens
found in over 40% of sentences as stopwords.

Words are counted by ``count_words``: whitespace-separated tokens, a run of n CJK characters
costing ceil(n / 2). Sentences read chronologically (document date, then position) when any
document is dated, else by salience; the first sentence is an article lead that is neither a
quote nor a question when one was selected. Only when no whole sentence fits is one cut.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsdesk.read.passages import split_passages
from newsdesk.write._text import count_words, stopwords_for, tokenize
from newsdesk.write.compress import compress_sentence, drop_repeated_attribution

log = logging.getLogger(__name__)

__all__ = [
    "BadDocumentLine",
    "Candidate",
    "SelectedSentence",
    "SelectionConfig",
    "SourceDocument",
    "Summary",
    "build_candidates",
    "choose_language",
    "count_words",
    "parse_document_lines",
    "summarize_documents",
    "unwrap_lines",
]

_TERMINAL = tuple(".!?。！？।؟…\"'”’»)」』")
_SINGLE_BREAK = re.compile(r"(?<![\r\n])\r?\n(?![\r\n]|[ \t]*\r?\n)")
_QUOTE_CLOSE = frozenset("\"”’'»“」』")
_QUOTE_MIN_WORDS = 4
_QUOTE_OPEN = tuple("\"“‘'«„「『")
# English openers that point back to something the summary may not contain.
_DANGLING = frozenset(
    "he she it they his her its their this these those that such them him both".split()  # noqa: SIM905  # terse
)


class BadDocumentLine(ValueError):
    """A line of the input is not a valid document object."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class SourceDocument:
    """One article of the story to summarise."""

    id: str
    text: str
    title: str | None = None
    lang: str | None = None
    published: dt.datetime | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class SelectionConfig:
    """Fixed settings of the selector (from ICSISumm and common practice, not tuned on data)."""

    min_sentence_words: int = 8
    max_sentence_words: int = 55
    # A concept must occur in this many documents (ICSISumm uses 3 for 10-document sets);
    # smaller stories use max(1, ceil(docs * min_df_share)) capped at this.
    min_df: int = 3
    min_df_share: float = 0.3
    # Position prior: bonus (in document-count units) of a document's first passage, decaying.
    lead_bonus: float = 1.0
    lead_decay: float = 0.5
    # Two sentences whose content-token overlap / smaller set exceeds this are near duplicates.
    duplicate_overlap: float = 0.7
    # Tokens in more than this share of sentences act as stopwords (any language).
    frequent_token_share: float = 0.4
    max_candidates: int = 400
    solver_seconds: float = 5.0
    # False selects by the cost-scaled greedy algorithm instead of the exact integer programme.
    use_ilp: bool = True
    compress: bool = True


@dataclass(frozen=True)
class Candidate:
    """A passage that may enter the summary."""

    doc_index: int
    doc_id: str
    position: int
    start: int
    end: int
    original: str
    text: str
    words: int
    concepts: frozenset[tuple[str, str]]
    content: frozenset[str]
    lang: str | None
    eligible: bool


@dataclass(frozen=True)
class SelectedSentence:
    """One sentence of a summary and where it came from (the writer cites it)."""

    doc_id: str
    position: int
    start: int
    end: int
    text: str
    original: str
    words: int
    score: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "doc_id": self.doc_id,
            "position": self.position,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "original": self.original,
            "words": self.words,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Summary:
    """The selected sentences in reading order and what they cost."""

    sentences: list[SelectedSentence]
    max_words: int
    language: str | None
    truncated: bool = False
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The summary as one paragraph."""
        return " ".join(s.text for s in self.sentences)

    @property
    def words(self) -> int:
        """Words used, counted by `count_words`."""
        return count_words(self.text)


def _parse_published(value: Any, line: int) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadDocumentLine(line, "'published' must be an ISO 8601 date or a Unix time")
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise BadDocumentLine(line, f"'published' is out of range: {value!r}") from exc
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise BadDocumentLine(line, f"'published' is not an ISO 8601 date: {value!r}") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    raise BadDocumentLine(line, "'published' must be an ISO 8601 date or a Unix time")


def _optional_str(obj: dict[str, Any], key: str, line: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadDocumentLine(line, f"{key!r} must be a string")
    return value.strip() or None


def parse_document_lines(lines: Iterable[str]) -> list[SourceDocument]:
    """Documents from JSON lines {"id", "text", "title"?, "lang"?, "published"?, "outlet"?}.

    Blank lines are skipped; any other bad line raises `BadDocumentLine` naming its number.
    """
    docs: list[SourceDocument] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BadDocumentLine(number, f"not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise BadDocumentLine(number, "expected a JSON object")
        doc_id = obj.get("id")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise BadDocumentLine(number, "missing 'id' (a non-empty string)")
        if doc_id in seen:
            raise BadDocumentLine(number, f"duplicate id {doc_id!r}")
        text = obj.get("text")
        if not isinstance(text, str):
            raise BadDocumentLine(number, "missing 'text' (a string)")
        seen.add(doc_id)
        docs.append(
            SourceDocument(
                id=doc_id,
                text=text,
                title=_optional_str(obj, "title", number),
                lang=_optional_str(obj, "lang", number),
                published=_parse_published(obj.get("published"), number),
                outlet=_optional_str(obj, "outlet", number),
            )
        )
    return docs


def _resolve_languages(docs: Sequence[SourceDocument]) -> list[str | None]:
    """Each document's language: its own tag, else detected from the text."""
    from newsdesk.text.language import detect_language, normalize_language_code

    langs: list[str | None] = []
    for doc in docs:
        lang = normalize_language_code(doc.lang)
        if lang is None and doc.text.strip():
            detected, _confidence = detect_language(doc.text[:1000])
            lang = normalize_language_code(detected)
        langs.append(lang)
    return langs


def choose_language(
    docs: Sequence[SourceDocument], langs: Sequence[str | None], prefer: str | None = None
) -> str | None:
    """The dominant language: most documents, then `prefer`, then most text; None if unknown."""
    count: Counter[str | None] = Counter()
    size: Counter[str | None] = Counter()
    for doc, lang in zip(docs, langs, strict=True):
        if doc.text.strip():
            count[lang] += 1
            size[lang] += len(doc.text)
    if not count:
        return None
    return max(
        count,
        key=lambda lang: (count[lang], lang == prefer, size[lang], lang is not None, lang or ""),
    )


def unwrap_lines(text: str) -> str:
    """`text` with hard line wraps inside paragraphs turned into spaces (offsets unchanged).

    Some archives (e.g. older newswire) break lines every ~70 characters; a line break always
    ends a sentence for `split_sentences`, so such text is unwrapped when most of its lines end
    without sentence punctuation. Paragraph breaks (blank lines) stay.
    """
    lines = [line.strip() for line in text.split("\n")]
    inner = [line for line in lines if line]
    if len(inner) < 4:
        return text
    open_ended = sum(1 for line in inner if not line.endswith(_TERMINAL))
    if open_ended / len(inner) <= 0.5:
        return text
    return _SINGLE_BREAK.sub(lambda m: " " * len(m.group(0)), text)


def _is_eligible(
    text: str, words: int, config: SelectionConfig, max_words: int, lang: str | None
) -> bool:
    """Whether a sentence is a plausible summary sentence (not a fragment, heading, question)."""
    if words > max_words or not config.min_sentence_words <= words <= config.max_sentence_words:
        return False
    stripped = text.rstrip()
    if not stripped.endswith(_TERMINAL) or stripped.endswith(("?", "？", "؟")):
        return False
    if lang in (None, "en") and stripped.split(maxsplit=1)[0].lower().strip(",") in _DANGLING:
        return False
    return not stripped[:1].islower() and _quotes_balanced(stripped)


def _quotes_balanced(text: str) -> bool:
    """Whether quotation marks open and close within the sentence (not a piece of a quote)."""
    if text.count('"') % 2 or text.count("\u201c") != text.count("\u201d"):
        return False
    return text.count("\u00ab") == text.count("\u00bb") and text.count("「") == text.count("」")


def build_candidates(
    docs: Sequence[SourceDocument],
    langs: Sequence[str | None],
    max_words: int,
    config: SelectionConfig,
) -> list[Candidate]:
    """Every passage of the documents, compressed, tokenised into concept bigrams."""
    raw: list[tuple[int, Any, str, str | None, list[str]]] = []
    for index, (doc, lang) in enumerate(zip(docs, langs, strict=True)):
        for passage in split_passages(unwrap_lines(doc.text), lang):
            text = compress_sentence(passage.text, lang) if config.compress else passage.text
            raw.append((index, passage, text, lang, tokenize(text, lang)))
    # Tokens frequent across sentences behave as stopwords in any language.
    sentence_freq: Counter[str] = Counter()
    for *_rest, tokens in raw:
        sentence_freq.update(set(tokens))
    limit = config.frequent_token_share * max(len(raw), 1)
    frequent = {t for t, c in sentence_freq.items() if c > limit and len(raw) >= 10}
    stop_cache: dict[str | None, frozenset[str]] = {}
    candidates: list[Candidate] = []
    for index, passage, text, lang, tokens in raw:
        if lang not in stop_cache:
            # The bundled list (as ICSISumm) plus tokens in over 40% of sentences.
            stop_cache[lang] = stopwords_for(lang) | frozenset(frequent)
        stop = stop_cache[lang]
        concepts = frozenset(
            (a, b) for a, b in itertools.pairwise(tokens) if not (a in stop and b in stop)
        )
        words = count_words(text)
        candidates.append(
            Candidate(
                doc_index=index,
                doc_id=docs[index].id,
                position=passage.position,
                start=passage.start,
                end=passage.end,
                original=docs[index].text[passage.start : passage.end],
                text=text,
                words=words,
                concepts=concepts,
                content=frozenset(t for t in tokens if t not in stop),
                lang=lang,
                eligible=_is_eligible(text, words, config, max_words, lang),
            )
        )
    return candidates


def _concept_weights(
    pool: Sequence[Candidate], n_docs: int, config: SelectionConfig
) -> dict[tuple[str, str], float]:
    """Weight of each concept: documents containing it (sentences, for a single document)."""
    docs_of: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
    sentences_of: Counter[tuple[str, str]] = Counter()
    for cand in pool:
        for concept in cand.concepts:
            docs_of[concept].add(cand.doc_index)
            sentences_of[concept] += 1
    if n_docs <= 1:
        weights = {c: float(n) for c, n in sentences_of.items() if n >= 2}
        return weights or {c: 1.0 for c in sentences_of}
    threshold = max(1, min(config.min_df, math.ceil(n_docs * config.min_df_share)))
    while threshold >= 1:
        weights = {c: float(len(d)) for c, d in docs_of.items() if len(d) >= threshold}
        if len(weights) >= 10 or threshold == 1:
            return weights
        threshold -= 1
    return {}


def _position_bonus(cand: Candidate, config: SelectionConfig) -> float:
    return config.lead_bonus * config.lead_decay**cand.position


def _duplicate_pairs(pool: Sequence[Candidate], config: SelectionConfig) -> list[tuple[int, int]]:
    """Pairs of candidates that say nearly the same thing."""
    pairs = []
    for i, a in enumerate(pool):
        for j in range(i + 1, len(pool)):
            b = pool[j]
            small = min(len(a.content), len(b.content))
            if small and len(a.content & b.content) / small > config.duplicate_overlap:
                pairs.append((i, j))
    return pairs


def _solve_ilp(
    pool: Sequence[Candidate],
    weights: dict[tuple[str, str], float],
    bonus: Sequence[float],
    budget: int,
    pairs: Sequence[tuple[int, int]],
    seconds: float,
) -> list[int] | None:
    """Exact selection by integer programming; None if the solver gives no feasible answer."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    concepts = sorted({c for cand in pool for c in cand.concepts if c in weights})
    index = {c: k for k, c in enumerate(concepts)}
    m, k = len(pool), len(concepts)
    objective = -np.concatenate([np.asarray(bonus, dtype=float), [weights[c] for c in concepts]])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for j, cand in enumerate(pool):  # budget row
        rows.append(0)
        cols.append(j)
        vals.append(float(cand.words))
    for ci in index.values():  # a concept counts only if some chosen sentence holds it
        rows.append(1 + ci)
        cols.append(m + ci)
        vals.append(1.0)
    for j, cand in enumerate(pool):
        for c in cand.concepts:
            if c in index:
                rows.append(1 + index[c])
                cols.append(j)
                vals.append(-1.0)
    for p, (a, b) in enumerate(pairs):
        rows += [1 + k + p, 1 + k + p]
        cols += [a, b]
        vals += [1.0, 1.0]
    n_rows = 1 + k + len(pairs)
    matrix = coo_array((vals, (rows, cols)), shape=(n_rows, m + k)).tocsr()
    upper = np.concatenate([[float(budget)], np.zeros(k), np.ones(len(pairs))])
    result = milp(
        objective,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(m + k),
        bounds=Bounds(0, 1),
        options={"time_limit": seconds, "disp": False},
    )
    if result.x is None:
        log.warning("ILP solver gave no solution (%s); using greedy selection", result.message)
        return None
    return [j for j in range(m) if result.x[j] > 0.5]


def _solve_greedy(
    pool: Sequence[Candidate],
    weights: dict[tuple[str, str], float],
    bonus: Sequence[float],
    budget: int,
    pairs: Sequence[tuple[int, int]],
) -> list[int]:
    """Cost-scaled greedy coverage (Lin & Bilmes 2010), compared with the best single sentence."""
    blocked: defaultdict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        blocked[a].add(b)
        blocked[b].add(a)
    chosen: list[int] = []
    covered: set[tuple[str, str]] = set()
    used = 0
    excluded: set[int] = set()
    while True:
        best, best_ratio = -1, 0.0
        for j, cand in enumerate(pool):
            if j in excluded or j in chosen or used + cand.words > budget:
                continue
            gain = sum(weights.get(c, 0.0) for c in cand.concepts - covered) + bonus[j]
            ratio = gain / max(cand.words, 1)
            if ratio > best_ratio:
                best, best_ratio = j, ratio
        if best < 0:
            break
        chosen.append(best)
        covered |= pool[best].concepts
        used += pool[best].words
        excluded |= blocked[best]

    def value(sel: Iterable[int]) -> float:
        sel = list(sel)
        cov = set().union(*(pool[j].concepts for j in sel)) if sel else set()
        return sum(weights.get(c, 0.0) for c in cov) + sum(bonus[j] for j in sel)

    singles = [j for j, c in enumerate(pool) if c.words <= budget]
    if singles:
        top = max(singles, key=lambda j: value([j]))
        if value([top]) > value(chosen):
            return [top]
    return chosen


def _is_weak_lead(text: str) -> bool:
    """Whether a sentence reads badly as the first of a summary (a quote or a question)."""
    stripped = text.strip()
    if stripped.endswith(("?", "？", "؟")):
        return True
    if not stripped.startswith(_QUOTE_OPEN):
        return False
    # A quoted name («Уралгазэкспорт», "Project X") is not a quote: the quote must run on.
    closing = next((i for i, ch in enumerate(stripped[1:], 1) if ch in _QUOTE_CLOSE), None)
    return closing is None or len(stripped[1:closing].split()) >= _QUOTE_MIN_WORDS


def _order(
    chosen: list[tuple[Candidate, float]], docs: Sequence[SourceDocument]
) -> list[tuple[Candidate, float]]:
    """Chronological by document date then position; by salience when no date is known."""
    if any(doc.published is not None for doc in docs):
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        chosen = sorted(
            chosen,
            key=lambda cs: (
                docs[cs[0].doc_index].published or far,
                cs[0].doc_index,
                cs[0].position,
            ),
        )
    else:
        chosen = sorted(chosen, key=lambda cs: (-cs[1], cs[0].position, cs[0].doc_index))
    # The first sentence should introduce the story: prefer an article's own lead (its first or
    # second passage) that is neither a quote nor a question, else any such sentence.
    if not chosen:
        return chosen
    strong = [i for i, cs in enumerate(chosen) if not _is_weak_lead(cs[0].text)]
    best = next((i for i in strong if chosen[i][0].position <= 1), None)
    if best is None and _is_weak_lead(chosen[0][0].text) and strong:
        best = strong[0]
    if best is not None:
        chosen.insert(0, chosen.pop(best))
    return chosen


def _truncate_words(text: str, max_words: int) -> str:
    """The longest prefix of whole tokens within `max_words`, ending with an ellipsis."""
    out: list[str] = []
    for token in text.split():
        if count_words(" ".join([*out, token])) > max_words:
            break
        out.append(token)
    if not out and max_words > 0:  # one long CJK token: cut characters
        out = [text.split()[0][: max_words * 2]] if text.split() else []
    return (" ".join(out).rstrip(",;:") + "…") if out else ""


def summarize_documents(
    docs: Sequence[SourceDocument],
    max_words: int = 100,
    config: SelectionConfig | None = None,
    prefer_language: str | None = None,
) -> Summary:
    """The 'What happened' summary of one story's documents, at most `max_words` words.

    Args:
        docs: The story's articles (any languages; titles, dates and languages optional).
        max_words: Budget counted by `count_words` (CJK characters count half a word).
        config: Fixed selector settings; the defaults are the documented configuration.
        prefer_language: Wins a tie for the most documents (e.g. the desk's language).

    Returns:
        Whole sentences from the dominant language in reading order; only when no sentence fits
        at all is the best one cut to the budget (``truncated``).
    """
    config = config or SelectionConfig()
    if max_words < 1:
        raise ValueError("max_words must be positive")
    langs = _resolve_languages(docs)
    lang_counts = Counter(lang or "und" for lang in langs)
    dominant = choose_language(docs, langs, prefer_language)
    candidates = build_candidates(docs, langs, max_words, config)
    pool = [c for c in candidates if c.eligible and c.lang == dominant]
    # When the dominant language cannot fill the budget, the other languages may help.
    if sum(c.words for c in pool) < max_words:
        pool += [c for c in candidates if c.eligible and c.lang != dominant]
    if not pool:  # nothing passes the filters: take any sentence that fits
        pool = [c for c in candidates if c.lang == dominant and 0 < c.words <= max_words]
    n_docs = len({c.doc_index for c in pool})
    weights = _concept_weights(pool, n_docs, config)
    bonus = [_position_bonus(c, config) for c in pool]
    if len(pool) > config.max_candidates:
        ranked = sorted(
            range(len(pool)),
            key=lambda j: -(sum(weights.get(c, 0.0) for c in pool[j].concepts) + bonus[j]),
        )[: config.max_candidates]
        keep = sorted(ranked)
        pool = [pool[j] for j in keep]
        bonus = [bonus[j] for j in keep]
    pairs = _duplicate_pairs(pool, config)
    picked: list[int] | None = None
    if pool and weights and config.use_ilp:
        picked = _solve_ilp(pool, weights, bonus, max_words, pairs, config.solver_seconds)
    if picked is None:
        picked = _solve_greedy(pool, weights, bonus, max_words, pairs)
    scored = [
        (pool[j], sum(weights.get(c, 0.0) for c in pool[j].concepts) + bonus[j]) for j in picked
    ]
    ordered = _order(scored, docs)
    sentences: list[SelectedSentence] = []
    for cand, score in ordered:
        text = cand.text
        if sentences and config.compress and cand.lang in (None, "en"):
            text = drop_repeated_attribution(sentences[-1].text, text)
        sentences.append(
            SelectedSentence(
                doc_id=cand.doc_id,
                position=cand.position,
                start=cand.start,
                end=cand.end,
                text=text,
                original=cand.original,
                words=count_words(text),
                score=score,
            )
        )
    truncated = False
    if not sentences:
        fallback = next(
            (c for c in candidates if c.lang == dominant and c.words > 0),
            next((c for c in candidates if c.words > 0), None),
        )
        if fallback is not None:
            cut = _truncate_words(fallback.text, max_words)
            sentences.append(
                SelectedSentence(
                    fallback.doc_id,
                    fallback.position,
                    fallback.start,
                    fallback.end,
                    cut,
                    fallback.original,
                    count_words(cut),
                    0.0,
                )
            )
            truncated = True
    while sentences and count_words(" ".join(s.text for s in sentences)) > max_words:
        sentences.pop()  # cannot happen with whole sentences; guards the contract regardless
    return Summary(sentences, max_words, dominant, truncated, dict(lang_counts))
