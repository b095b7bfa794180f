"""The read stage: pending entries → fetched pages → clean articles with passages and snapshots.

Every entry is turned into its article (with language, identity, duplicate link, snapshot and
passages) in one transaction that also marks the entry done, so a crash loses nothing and
re-running never stores an article twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from datasketch import MinHash
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from newsdesk.monitor.fetch import (
    BlockedAddress,
    FetchResult,
    InvalidURL,
    PoliteFetcher,
    RobotsCache,
    RobotsDisallowed,
)
from newsdesk.progress import Progress, StageTimes, null_progress
from newsdesk.read.dedupe import (
    NearDuplicateIndex,
    canonicalize_url,
    compute_minhash,
    content_hash,
    minhash_from_bytes,
    minhash_to_bytes,
    shingle_containment,
)
from newsdesk.read.extract import ExtractedPage, extract_article
from newsdesk.read.passages import split_passages
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    Entry,
    EntryState,
    Passage,
    Snapshot,
    Source,
    SourceKind,
    Store,
    passage_id,
    utcnow,
)
from newsdesk.text.html import html_to_text
from newsdesk.text.language import detect_article_language

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# LSH candidates below the Jaccard threshold are verified by exact shingle containment
CANDIDATE_JACCARD = 0.3


@dataclass
class ReadReport:
    """Totals of one read pass over pending entries."""

    entries: int = 0
    articles: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    already_known: int = 0
    pages_fetched: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    times: StageTimes = field(default_factory=StageTimes)

    @property
    def duplicates(self) -> int:
        return self.exact_duplicates + self.near_duplicates + self.already_known


@dataclass(frozen=True)
class _EntryRef:
    id: int
    link: str | None
    needs_page: bool
    allow_private: bool


def _needs_page(entry: Entry, source: Source, settings: Settings) -> bool:
    if not entry.link:
        return False
    if source.kind in (SourceKind.PAGE, SourceKind.SITEMAP):
        return True
    feed_text = html_to_text(entry.content or entry.summary, paragraphs=True)
    return len(feed_text) < settings.fetch_full_text_below


async def _fetch_pages(
    settings: Settings, refs: Sequence[_EntryRef], robots: RobotsCache
) -> dict[int, FetchResult]:
    todo = [r for r in refs if r.needs_page and r.link]
    if not todo:
        return {}
    async with PoliteFetcher(settings, robots=robots) as fetcher:

        async def one(ref: _EntryRef) -> tuple[int, FetchResult]:
            assert ref.link is not None
            res = await fetcher.fetch(
                ref.link, allow_private=ref.allow_private, check_robots=settings.respect_robots
            )
            return ref.id, res

        pairs = await asyncio.gather(*(one(r) for r in todo))
    return dict(pairs)


class DuplicateFinder:
    """Exact and near-duplicate lookup over stored articles, with the MinHash index in memory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.index = NearDuplicateIndex(
            threshold=settings.near_duplicate_threshold,
            num_perm=settings.minhash_permutations,
            candidate_threshold=CANDIDATE_JACCARD,
        )
        self._loaded = False

    def load(self, session: Session) -> None:
        """Rebuild the in-memory index from the stored MinHash signatures (once)."""
        if self._loaded:
            return
        rows = session.execute(
            select(Article.id, Article.minhash).where(Article.minhash.is_not(None))
        )
        self.index = NearDuplicateIndex.from_rows(
            ((art_id, blob) for art_id, blob in rows),
            threshold=self.settings.near_duplicate_threshold,
            num_perm=self.settings.minhash_permutations,
            candidate_threshold=CANDIDATE_JACCARD,
        )
        self._loaded = True


def _root_of(session: Session, article_id: int) -> Article:
    art = session.get(Article, article_id)
    assert art is not None
    seen = {art.id}
    while art.duplicate_of_id is not None and art.duplicate_of_id not in seen:
        parent = session.get(Article, art.duplicate_of_id)
        if parent is None:
            break
        seen.add(parent.id)
        art = parent
    return art


def _link_duplicate(
    session: Session, article: Article, root: Article, kind: str, score: float
) -> None:
    """Point `article` at the earliest copy; if it is itself earlier, it becomes the root."""
    a_time = article.published_at or article.fetched_at
    r_time = root.published_at or root.fetched_at
    if a_time < r_time:
        session.execute(
            update(Article)
            .where(or_(Article.id == root.id, Article.duplicate_of_id == root.id))
            .values(duplicate_of_id=article.id)
            .execution_options(synchronize_session="fetch")
        )
        root.duplicate_kind = kind
        root.duplicate_score = score
        article.duplicate_of_id = None
    else:
        article.duplicate_of_id = root.id
        article.duplicate_kind = kind
        article.duplicate_score = score


def _link_if_duplicate(
    session: Session,
    article: Article,
    digest: str,
    mh: MinHash,
    finder: DuplicateFinder,
    report: ReadReport,
) -> None:
    """Link a new article to its original by content hash, else by MinHash near-duplicate."""
    exact = session.scalars(
        select(Article.id)
        .where(Article.content_hash == digest, Article.id != article.id)
        .order_by(Article.id)
        .limit(1)
    ).first()
    if exact is not None:
        _link_duplicate(session, article, _root_of(session, exact), "exact", 1.0)
        report.exact_duplicates += 1
        return
    settings = finder.settings
    for key, score in finder.index.query(mh, min_score=finder.index.candidate_threshold):
        if key == article.id:
            continue
        if score < settings.near_duplicate_threshold:
            other = session.get(Article, key)
            if other is None:
                continue
            contained = shingle_containment(article.text, other.text)
            if contained < settings.near_duplicate_containment:
                continue
            score = contained
        _link_duplicate(session, article, _root_of(session, key), "near", score)
        report.near_duplicates += 1
        return


def _outlet_for(source: Source, page: ExtractedPage | None, url: str | None) -> str:
    if source.outlet:
        return source.outlet
    if page is not None and page.site_name:
        return page.site_name
    return urlsplit(url or source.url).hostname or ""


def read_entry(
    session: Session,
    entry: Entry,
    source: Source,
    page: FetchResult | None,
    settings: Settings,
    finder: DuplicateFinder,
    now: dt.datetime,
    report: ReadReport,
) -> Article | None:
    """Turn one entry into an article (or a known duplicate, or a recorded failure)."""
    entry.attempts += 1
    feed_html = entry.content or entry.summary or ""
    with report.times.time("extract"):
        feed_text = html_to_text(feed_html, paragraphs=True)
    extracted: ExtractedPage | None = None
    raw: bytes = feed_html.encode("utf-8")
    raw_url = entry.link or source.url
    content_type: str | None = "text/html; charset=utf-8"
    text = feed_text

    if page is not None:
        if page.ok:
            report.pages_fetched += 1
            with report.times.time("extract"):
                extracted = extract_article(page.body, page.final_url)
            if len(extracted.text) >= len(feed_text) * 0.5 or not feed_text:
                text = extracted.text
                raw, raw_url, content_type = page.body, page.final_url, page.content_type
        else:
            reason = page.error.reason if page.error else "not modified"
            entry.last_error = f"page: {reason}"
            if not feed_text:
                if entry.attempts >= MAX_ATTEMPTS or _is_permanent(page):
                    entry.state = EntryState.FAILED
                report.failures.append((entry.id, entry.last_error))
                return None

    if not text.strip():
        entry.last_error = "no article text found"
        entry.state = EntryState.FAILED
        report.failures.append((entry.id, entry.last_error))
        return None

    title = (entry.title or (extracted.title if extracted else "") or "").strip()
    url = (page.final_url if page is not None and page.ok else None) or entry.link
    canonical_src = extracted.canonical_url if extracted and extracted.canonical_url else url
    canonical = canonicalize_url(canonical_src) if canonical_src else None

    if canonical:
        known = session.scalars(
            select(Article.id).where(Article.canonical_url == canonical).limit(1)
        ).first()
        if known is not None:
            entry.state = EntryState.DONE
            entry.last_error = None
            report.already_known += 1
            return None

    with report.times.time("language"):
        lang, confidence = detect_article_language(
            title,
            text,
            source.language_hint or entry.language,
            min_chars=settings.language_min_chars,
        )
    with report.times.time("dedupe"):
        digest = content_hash(text)
        mh = compute_minhash(text, num_perm=settings.minhash_permutations)
    snapshot = Snapshot(
        url=raw_url,
        fetched_at=now,
        content_type=content_type,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        data=gzip.compress(raw),
    )
    session.add(snapshot)
    article = Article(
        source_id=source.id,
        entry_id=entry.id,
        guid=entry.guid,
        url=url,
        canonical_url=canonical,
        title=title,
        byline=(entry.author or (extracted.author if extracted else None) or None),
        outlet=_outlet_for(source, extracted, url),
        published_at=entry.published_at or (extracted.published if extracted else None),
        updated_at=entry.updated_at,
        fetched_at=now,
        language=lang,
        language_confidence=confidence,
        text=text,
        content_hash=digest,
        minhash=minhash_to_bytes(mh),
        snapshot=snapshot,
    )
    session.add(article)
    session.flush()

    with report.times.time("dedupe"):
        _link_if_duplicate(session, article, digest, mh, finder, report)

    with report.times.time("passages"):
        spans = split_passages(text, lang, max_chars=settings.passage_max_chars)
    for span in spans:
        session.add(
            Passage(
                id=passage_id(article.id, span.position),
                article_id=article.id,
                position=span.position,
                text=span.text,
                char_start=span.start,
                char_end=span.end,
            )
        )
    entry.state = EntryState.DONE
    entry.last_error = None
    report.articles += 1
    return article


def _is_permanent(page: FetchResult) -> bool:
    status = page.status or 0
    permanent = isinstance(page.error, BlockedAddress | InvalidURL | RobotsDisallowed)
    return status in (404, 410) or permanent


def run(
    store: Store,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    batch_size: int | None = None,
    limit: int | None = None,
    progress: Progress = null_progress,
) -> ReadReport:
    """Read every pending entry into articles, fetching pages where the feed lacks full text."""
    now = now or utcnow()
    report = ReadReport()
    finder = DuplicateFinder(settings)
    robots = RobotsCache(settings.user_agent)
    with store.session() as s:
        pending = list(
            s.scalars(
                select(Entry.id)
                .where(Entry.state == EntryState.PENDING, Entry.attempts < MAX_ATTEMPTS)
                .order_by(Entry.published_at.is_(None), Entry.published_at, Entry.id)
            )
        )
        finder.load(s)
    if limit is not None:
        pending = pending[:limit]
    if not pending:
        return report
    progress.begin("read", len(pending))
    batch_size = batch_size or settings.read_batch_size
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        with store.session() as s:
            refs = []
            for eid in batch:
                entry = s.get(Entry, eid)
                source = s.get(Source, entry.source_id) if entry else None
                if entry is None or source is None:
                    continue
                refs.append(
                    _EntryRef(
                        entry.id,
                        entry.link,
                        _needs_page(entry, source, settings),
                        source.allow_private,
                    )
                )
        with report.times.time("fetch"):
            pages = asyncio.run(_fetch_pages(settings, refs, robots))
        for ref in refs:
            added: Article | None = None
            store_start = time.perf_counter()
            inner_before = sum(report.times.seconds.values())
            with store.session() as s:
                entry = s.get(Entry, ref.id)
                if entry is None or entry.state != EntryState.PENDING:
                    continue
                source = s.get(Source, entry.source_id)
                assert source is not None
                report.entries += 1
                added = read_entry(
                    s, entry, source, pages.get(ref.id), settings, finder, now, report
                )
                added_id = added.id if added is not None else None
                added_mh = added.minhash if added is not None else None
            inner = sum(report.times.seconds.values()) - inner_before
            report.times.seconds["store"] += time.perf_counter() - store_start - inner
            if added_id is not None and added_mh is not None:
                finder.index.add(
                    added_id, minhash_from_bytes(added_mh, settings.minhash_permutations)
                )
            progress.step("read")
    return report
