"""The default writer: an analysis built only from source sentences, each attributed and cited.

No model is involved. *What happened* is the extractive summary of the story's articles
(`summarize_documents`); the other sections take whole passages from the brief (context: the
precedent story's lead and the story's own background sentences; new developments, both sides of
every dispute, dated watch items). Sentences are only ever shortened
(`compress_sentence`), never rewritten: a sentence without its own attribution gets
'According to <outlet>, …', and one in another language than the desk's is quoted in the
original with its language named.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from babel.dates import format_date

from newsdesk.write._attribution import (
    attribute_sentence,
    display_outlet,
    has_attribution,
    language_name,
    quote_original,
)
from newsdesk.write._text import count_words, stopwords_for, tokenize
from newsdesk.write.background import is_background
from newsdesk.write.compress import compress_sentence
from newsdesk.write.model import (
    Draft,
    SectionKey,
    SourcePassage,
    WritingBrief,
    WrittenSection,
    WrittenSentence,
)
from newsdesk.write.selection import SourceDocument, summarize_documents

log = logging.getLogger(__name__)

__all__ = ["ArticleDocument", "ExtractiveWriter", "build_article_documents", "cite_span"]

_SEPARATOR = "\n\n"
_MIN_WORDS = 6


@dataclass(frozen=True)
class ArticleDocument:
    """One article rebuilt from its passages, with each passage's span in the joined text."""

    document: SourceDocument
    spans: tuple[tuple[int, int, str], ...]
    passages: tuple[SourcePassage, ...]


def build_article_documents(passages: Iterable[SourcePassage]) -> list[ArticleDocument]:
    """One document per article: its passages in position order joined by blank lines."""
    by_article: dict[int, list[SourcePassage]] = {}
    for passage in passages:
        by_article.setdefault(passage.article_id, []).append(passage)
    out: list[ArticleDocument] = []
    for article_id, group in by_article.items():
        group = sorted(group, key=lambda p: (p.position, p.passage_id))
        spans: list[tuple[int, int, str]] = []
        pieces: list[str] = []
        offset = 0
        for passage in group:
            text = passage.text.strip()
            if not text:
                continue
            if pieces:
                offset += len(_SEPARATOR)
            spans.append((offset, offset + len(text), passage.passage_id))
            pieces.append(text)
            offset += len(text)
        if not pieces:
            continue
        first = group[0]
        lang = next((p.lang for p in group if p.lang), None)
        published = next((p.published for p in group if p.published), None)
        document = SourceDocument(
            id=str(article_id),
            text=_SEPARATOR.join(pieces),
            title=first.title or None,
            lang=lang,
            published=published,
            outlet=first.outlet,
        )
        out.append(ArticleDocument(document, tuple(spans), tuple(group)))
    return out


def cite_span(spans: Sequence[tuple[int, int, str]], start: int, end: int) -> list[str]:
    """The passage ids whose spans overlap [start, end)."""
    return [pid for a, b, pid in spans if a < end and start < b]


@dataclass
class _Candidate:
    """A sentence ready to render: its (compressed) text and the passages it comes from."""

    text: str
    passages: list[SourcePassage]

    @property
    def citations(self) -> list[str]:
        return [p.passage_id for p in self.passages]

    @property
    def lang(self) -> str | None:
        return self.passages[0].lang


@dataclass
class _Ledger:
    """What the draft already says: content-word sets and cited passages, for redundancy."""

    threshold: float
    used: list[frozenset[str]] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)

    def is_redundant(self, content: frozenset[str]) -> bool:
        """Whether ≥threshold of `content` is contained in one sentence already used."""
        if not content:
            return False
        return any(len(content & seen) / len(content) >= self.threshold for seen in self.used)

    def add(self, content: frozenset[str], citations: Iterable[str]) -> None:
        """Record a sentence as used."""
        self.used.append(content)
        self.cited.update(citations)


def _content_words(text: str, lang: str | None) -> frozenset[str]:
    """Stemmed content tokens of `text`."""
    stop = stopwords_for(lang)
    return frozenset(t for t in tokenize(text, lang) if t not in stop and not t.isdigit())


def _common_words(passages: Iterable[SourcePassage]) -> frozenset[str]:
    """Words written in lower case more often than capitalised inside sentences (not names)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for passage in passages:
        for token in passage.text.split()[1:]:
            token = token.strip(".,;:!?\"'“”‘’()«»")
            if not token.isalpha():
                continue
            if token.islower():
                lower[token] += 1
            elif token[:1].isupper() and token[1:].islower():
                upper[token.lower()] += 1
    return frozenset(w for w, n in lower.items() if n > upper[w])


def _is_clean(passage: SourcePassage) -> bool:
    """Whether a passage reads as a whole sentence: long enough, capitalised, quotes balanced."""
    text = passage.text.strip()
    if count_words(text) < _MIN_WORDS or text[:1].islower():
        return False
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return False
    return text.count("«") == text.count("»")


def _best_text(text: str, original: str, lang: str | None) -> str:
    """The selector's text, unless compression dropped the attribution the original carries."""
    if has_attribution(original, lang) and not has_attribution(text, lang):
        return compress_sentence(original, lang)
    return text


def _truncate_words(text: str, max_words: int) -> str:
    """`text` cut at a word boundary to about `max_words` words, with an ellipsis if cut."""
    if count_words(text) <= max_words:
        return text
    out: list[str] = []
    for token in text.split():
        if count_words(" ".join([*out, token])) > max_words:
            break
        out.append(token)
    if not out:
        return text[: max_words * 2] + "…"
    return " ".join(out).rstrip(",;:—-") + "…"


def _format_day(day: dt.date, lang: str) -> str:
    """'November 16, 2026' in the desk's language."""
    try:
        return str(format_date(day, "long", locale=lang))
    except (ValueError, LookupError):
        return str(format_date(day, "long", locale="en"))


class ExtractiveWriter:
    """Writes a Draft from source sentences only: attributed, cited, lightly compressed."""

    def __init__(
        self,
        name: str = "extractive",
        *,
        summary_words: int = 120,
        context_sentences: int = 3,
        new_sentences: int = 5,
        perspective_sentences: int = 2,
        dek_words: int = 30,
        redundancy: float = 0.7,
        dispute_sources: int = 3,
    ) -> None:
        self.name = name
        self.summary_words = summary_words
        self.context_sentences = context_sentences
        self.new_sentences = new_sentences
        self.perspective_sentences = perspective_sentences
        self.dek_words = dek_words
        self.redundancy = redundancy
        # outlets shown per side of a dispute: a dispute is also who carries which account
        self.dispute_sources = dispute_sources

    def write(self, brief: WritingBrief) -> Draft:
        """Draft the analysis for `brief`; every sentence cites at least one of its passages."""
        return _DraftBuilder(self, brief).build()


class _DraftBuilder:
    """The state of one write: the brief's passages by id and what has been said."""

    def __init__(self, writer: ExtractiveWriter, brief: WritingBrief) -> None:
        self.writer = writer
        self.brief = brief
        self.target = brief.target_lang or "en"
        self.by_id: dict[str, SourcePassage] = {}
        for passage in [*brief.passages, *brief.context_passages]:
            self.by_id.setdefault(passage.passage_id, passage)
        self.common = _common_words(brief.passages)
        self.ledger = _Ledger(writer.redundancy)
        self.bare: dict[int, str] = {}  # id(WrittenSentence) -> sentence without its wrapper

    def build(self) -> Draft:
        """Every section in reading order, then the headline and dek."""
        brief = self.brief
        happened = self._what_happened()
        sections = [
            WrittenSection(SectionKey.WHAT_HAPPENED, "", happened),
            WrittenSection(SectionKey.CONTEXT, "", self._context()),
            WrittenSection(SectionKey.WHAT_IS_NEW, "", self._what_is_new()),
            WrittenSection(SectionKey.DISPUTED, "", self._disputed()),
            WrittenSection(SectionKey.WATCH, "", self._watch()),
        ]
        if brief.perspective_persona_id:
            sections.append(WrittenSection(SectionKey.PERSPECTIVE, "", self._perspective()))
        for section in sections:
            section.title = SectionKey.TITLES[section.key]
            section.persona_id = (
                brief.perspective_persona_id
                if section.key == SectionKey.PERSPECTIVE
                else brief.persona_id
            )
        dek = ""
        if happened:
            dek = _truncate_words(self.bare[id(happened[0])], self.writer.dek_words)
        return Draft(
            story_id=brief.story_id,
            persona_id=brief.persona_id,
            headline=self._headline(happened),
            dek=dek,
            byline=brief.persona_name,
            tags=list(brief.tags),
            sections=[s for s in sections if s.sentences],
            writer=self.writer.name,
        )

    # -- rendering -------------------------------------------------------------------------

    def _render(self, cand: _Candidate, *, force: bool = False) -> WrittenSentence | None:
        """The attributed sentence for `cand`, or None when it repeats what was said."""
        lang = cand.lang or self.target
        content = _content_words(cand.text, lang)
        if not force and self.ledger.is_redundant(content):
            return None
        outlet = display_outlet(cand.passages[0].outlet)
        quoted = lang != self.target
        if quoted:
            text = quote_original(cand.text, outlet, lang, self.target)
        elif has_attribution(cand.text, lang):
            text = cand.text
        else:
            text = attribute_sentence(cand.text, outlet, lang, self.common)
        self.ledger.add(content, cand.citations)
        sentence = WrittenSentence(
            text=text,
            citations=cand.citations,
            kind="extractive",
            lang=lang,
            quoted_original=quoted,
        )
        self.bare[id(sentence)] = cand.text
        return sentence

    def _from_passage(self, passage: SourcePassage) -> _Candidate:
        return _Candidate(compress_sentence(passage.text, passage.lang), [passage])

    def _summarize(self, passages: Sequence[SourcePassage], max_words: int) -> list[_Candidate]:
        """The extractive summary of `passages`, each sentence mapped back to its passages."""
        articles = build_article_documents(passages)
        if not articles:
            return []
        docs = [a.document for a in articles]
        summary = summarize_documents(docs, max_words, prefer_language=self.target)
        by_doc = {a.document.id: a for a in articles}
        out: list[_Candidate] = []
        for sel in summary.sentences:
            article = by_doc[sel.doc_id]
            cited = cite_span(article.spans, sel.start, sel.end)
            if not cited:
                log.warning("selected sentence maps to no passage: %.60r", sel.text)
                continue
            cited_passages = [self.by_id[pid] for pid in cited]
            text = _best_text(sel.text, sel.original, cited_passages[0].lang)
            out.append(_Candidate(text, cited_passages))
        return out

    def _ranked(self, passages: Iterable[SourcePassage]) -> list[SourcePassage]:
        """Passages in the desk's language first, then by date and position (stable)."""
        far = dt.datetime.max.replace(tzinfo=dt.UTC)

        def key(p: SourcePassage) -> tuple[bool, dt.datetime, int]:
            published = p.published or far
            if published.tzinfo is None:
                published = published.replace(tzinfo=dt.UTC)
            return ((p.lang or self.target) != self.target, published, p.position)

        return sorted(passages, key=key)

    # -- sections --------------------------------------------------------------------------

    def _what_happened(self) -> list[WrittenSentence]:
        out: list[WrittenSentence] = []
        for cand in self._summarize(self.brief.passages, self.writer.summary_words):
            sentence = self._render(cand)
            if sentence is not None:
                out.append(sentence)
        return out

    def _context(self) -> list[WrittenSentence]:
        """The precedent from the archive first, then the story's own background sentences."""
        cands: list[_Candidate] = []
        if self.brief.context_passages:
            cands = self._summarize(self.brief.context_passages, 60)
            if not cands:
                cands = [self._from_passage(p) for p in self._ranked(self.brief.context_passages)]
        # a side of a dispute is the story itself, however far back it reaches
        disputed = {pid for d in self.brief.disputes for pid in d.passage_ids}
        disputed |= {pid for d in self.brief.disputes for pid in d.claim_passage_ids}
        disputed |= {pid for d in self.brief.disputes for pid in d.contesting_passage_ids}
        cands += [
            self._from_passage(p)
            for p in self._ranked(self.brief.passages)
            if p.passage_id not in self.ledger.cited
            and p.passage_id not in disputed
            and _is_clean(p)
            and is_background(p)
        ]
        out: list[WrittenSentence] = []
        for cand in cands:
            if len(out) >= self.writer.context_sentences:
                break
            sentence = self._render(cand)
            if sentence is not None:
                out.append(sentence)
        return out

    def _what_is_new(self) -> list[WrittenSentence]:
        new = [self.by_id[pid] for pid in self.brief.new_passage_ids if pid in self.by_id]
        out: list[WrittenSentence] = []
        if not new:
            return out
        cands = self._summarize(new, 40 * self.writer.new_sentences)
        chosen = {pid for c in cands for pid in c.citations}
        # Whatever the summary left out may still be new: fill from the rest in order.
        rest = [p for p in self._ranked(new) if p.passage_id not in chosen and _is_clean(p)]
        cands += [self._from_passage(p) for p in rest]
        for cand in cands:
            if len(out) >= self.writer.new_sentences:
                break
            if set(cand.citations) <= self.ledger.cited:
                continue
            sentence = self._render(cand)
            if sentence is not None:
                out.append(sentence)
        return out

    def _side(self, ids: Sequence[str], avoid: set[str], limit: int) -> list[SourcePassage]:
        """One passage per article from `ids`, not in `avoid`: the desk's language first."""
        known = [self.by_id[pid] for pid in dict.fromkeys(ids) if pid in self.by_id]
        fresh = [p for p in known if p.passage_id not in avoid]
        ranked = sorted(
            enumerate(fresh),
            key=lambda ip: (
                (ip[1].lang or self.target) != self.target,
                not _is_clean(ip[1]),
                ip[0],
            ),
        )
        out: list[SourcePassage] = []
        articles: set[int] = set()
        for _, passage in ranked:
            if passage.article_id in articles:
                continue
            out.append(passage)
            articles.add(passage.article_id)
            if len(out) >= limit:
                break
        return out

    def _disputed(self) -> list[WrittenSentence]:
        """Both sides of every dispute, each as its sources put it, across the outlets."""
        out: list[WrittenSentence] = []
        shown: set[str] = set()
        per_side = self.writer.dispute_sources
        for dispute in self.brief.disputes:
            contesting = set(dispute.contesting_passage_ids)
            claim_ids = dispute.claim_passage_ids or [
                pid for pid in dispute.passage_ids if pid not in contesting
            ]
            claims = self._side(claim_ids, shown, per_side) or self._side(claim_ids, set(), 1)
            if not claims:
                log.warning("dispute %.60r cites no passage of the brief", dispute.summary)
                continue
            used = shown | {p.passage_id for p in claims}
            contest_ids = dispute.contesting_passage_ids or [
                pid
                for pid in dispute.passage_ids
                if pid not in used and pid not in dispute.claim_passage_ids
            ]
            contests = self._side(contest_ids, used, per_side)
            # "X said …; Y denied …": the contested claim, its rebuttal, then further outlets
            order = [p for pair in itertools.zip_longest(claims, contests) for p in pair if p]
            for passage in order:
                if passage.passage_id in shown:
                    continue
                # Every dispute must surface, even when What happened already said it.
                sentence = self._render(self._from_passage(passage), force=True)
                if sentence is not None:
                    out.append(sentence)
                    shown.add(passage.passage_id)
        return out

    def _watch(self) -> list[WrittenSentence]:
        out: list[WrittenSentence] = []
        # a sentence naming several dates ("until 8 December, and a hearing on 23 November") is
        # one watch line under its earliest date (the sentence itself gives the others), not the
        # same sentence once per date
        earliest: dict[tuple[str, str], dt.date] = {}
        for item in sorted(self.brief.watch, key=lambda w: w.date):
            earliest.setdefault((item.passage_id, item.text.strip()), item.date)
        for (passage_id, text), date in earliest.items():
            passage = self.by_id.get(passage_id)
            if passage is None or not text:
                log.warning("watch item %.60r has no passage in the brief", text)
                continue
            day = _format_day(date, self.target)
            lang = passage.lang or self.target
            quoted = lang != self.target
            if quoted:
                name = language_name(lang, self.target)
                marker = f"in {name}" if self.target == "en" else name
                body = f"{day} ({marker}): «{text}»"
            else:
                body = f"{day}: {text[:1].upper()}{text[1:]}"
                if body[-1] not in ".!?…":
                    body += "."
            sentence = WrittenSentence(body, [passage.passage_id], "extractive", lang, quoted)
            self.bare[id(sentence)] = text
            out.append(sentence)
        return out

    def _perspective(self) -> list[WrittenSentence]:
        lens = _content_words(self.brief.perspective_lens or "", self.target)
        pool = [
            p
            for p in self._ranked(self.brief.passages)
            if p.passage_id not in self.ledger.cited and _is_clean(p)
        ]
        scored = [(len(lens & _content_words(p.text, p.lang)), i, p) for i, p in enumerate(pool)]
        ranked = [p for score, _i, p in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]
        out: list[WrittenSentence] = []
        for passage in ranked or pool:
            if len(out) >= self.writer.perspective_sentences:
                break
            sentence = self._render(self._from_passage(passage))
            if sentence is not None:
                out.append(sentence)
        return out

    # -- headline --------------------------------------------------------------------------

    def _headline(self, happened: Sequence[WrittenSentence]) -> str:
        """The hint when it is in the desk's language, else the most central article's title."""
        from newsdesk.text.language import detect_language

        hint = self.brief.headline_hint.strip()
        if hint and detect_language(hint, min_chars=0)[0] == self.target:
            return hint
        weight: Counter[int] = Counter()
        for sentence in happened:
            for pid in sentence.citations:
                weight[self.by_id[pid].article_id] += 1
        titles: dict[int, str] = {}
        size: Counter[int] = Counter()
        for passage in self.brief.passages:
            if passage.title and (passage.lang or self.target) == self.target:
                titles.setdefault(passage.article_id, passage.title)
                size[passage.article_id] += 1
        if titles:
            order = list(titles)
            best = max(order, key=lambda a: (weight[a], size[a], -order.index(a)))
            return titles[best].strip()
        return hint
