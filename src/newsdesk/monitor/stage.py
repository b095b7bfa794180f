"""The poll stage: due sources → conditional GET → parsed entries, stored with the source's state.

Each source's outcome (its new entries, its ETag/Last-Modified, its error count and next check)
is written in one transaction, so a crash either keeps all of it or none of it: a source whose
transaction was lost is simply fetched again, and entries are unique per (source, guid).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from newsdesk.monitor.feeds import (
    FeedEntry,
    MalformedFeed,
    UnsafeFeed,
    page_entry,
    parse_feed,
    parse_sitemap,
)
from newsdesk.monitor.fetch import (
    BlockedAddress,
    FetchResult,
    InvalidURL,
    PoliteFetcher,
    compute_next_check,
)
from newsdesk.progress import Progress, StageTimes, null_progress
from newsdesk.settings import Settings
from newsdesk.store import (
    Entry,
    FetchLog,
    FetchOutcome,
    PollPolicy,
    Source,
    SourceKind,
    Store,
    utcnow,
)

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass
class SourceOutcome:
    """What one source's check came to."""

    source_id: int
    outlet: str
    url: str
    outcome: str
    new_entries: int = 0
    reason: str | None = None


@dataclass
class PollReport:
    """Totals of one poll over the due sources."""

    outcomes: list[SourceOutcome] = field(default_factory=list)
    times: StageTimes = field(default_factory=StageTimes)

    @property
    def polled(self) -> int:
        return len(self.outcomes)

    @property
    def not_modified(self) -> int:
        return sum(o.outcome == FetchOutcome.NOT_MODIFIED for o in self.outcomes)

    @property
    def new_entries(self) -> int:
        return sum(o.new_entries for o in self.outcomes)

    @property
    def errors(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.outcome in (FetchOutcome.ERROR, FetchOutcome.BLOCKED)]


@dataclass(frozen=True)
class _SourceRef:
    """The fields of a Source the fetch needs, detached from any session."""

    id: int
    url: str
    kind: str
    allow_private: bool
    etag: str | None
    last_modified: str | None


def select_due_sources(session: Session, now: dt.datetime) -> list[Source]:
    """Enabled, unsuspended sources whose next check is due."""
    stmt = (
        select(Source)
        .where(Source.enabled.is_(True), Source.suspended.is_(False))
        .where(or_(Source.next_check_at.is_(None), Source.next_check_at <= now))
        .order_by(Source.id)
    )
    return list(session.scalars(stmt))


async def _fetch_sources(
    settings: Settings, refs: Sequence[_SourceRef], progress: Progress
) -> list[FetchResult]:
    async with PoliteFetcher(settings) as fetcher:

        async def one(ref: _SourceRef) -> FetchResult:
            result = await fetcher.fetch(
                ref.url,
                allow_private=ref.allow_private,
                etag=ref.etag,
                last_modified=ref.last_modified,
                accept=FEED_ACCEPT if ref.kind != SourceKind.PAGE else None,
            )
            progress.step("poll")
            return result

        return list(await asyncio.gather(*(one(r) for r in refs)))


def _parse_entries(
    source: Source, result: FetchResult, now: dt.datetime
) -> tuple[list[FeedEntry], int | None]:
    """Entries and RSS TTL (minutes) of a successful fetch; raises MalformedFeed/UnsafeFeed."""
    if not result.body.strip():
        raise MalformedFeed("empty response body")
    if source.kind == SourceKind.SITEMAP:
        return parse_sitemap(result.body, result.final_url), None
    if source.kind == SourceKind.PAGE:
        return [page_entry(result.final_url, now)], None
    feed = parse_feed(result.body, result.final_url, result.content_type)
    return feed.entries, feed.ttl_minutes


def _store_entries(session: Session, source: Source, entries: Sequence[FeedEntry]) -> int:
    """Insert the entries not seen before for this source; returns how many were new."""
    if not entries:
        return 0
    guids = [e.guid for e in entries]
    known = set(
        session.scalars(
            select(Entry.guid).where(Entry.source_id == source.id, Entry.guid.in_(guids))
        )
    )
    new = 0
    for e in entries:
        if e.guid in known:
            continue
        known.add(e.guid)
        session.add(
            Entry(
                source_id=source.id,
                guid=e.guid[:1024],
                link=e.link,
                title=e.title,
                author=(e.author or None) and e.author[:512],
                published_at=e.published,
                updated_at=e.updated,
                summary=e.summary,
                content=e.content,
                language=e.language,
            )
        )
        new += 1
    return new


def _recent_entry_times(session: Session, source_id: int, now: dt.datetime) -> list[dt.datetime]:
    since = now - dt.timedelta(days=7)
    rows = session.scalars(
        select(Entry.published_at).where(
            Entry.source_id == source_id,
            Entry.published_at.is_not(None),
            Entry.published_at >= since,
        )
    )
    return [t for t in rows if t is not None]


def record_fetch(
    session: Session, source: Source, result: FetchResult, settings: Settings, now: dt.datetime
) -> SourceOutcome:
    """Apply one fetch result to its source: entries, conditional-GET state, errors, schedule."""
    outcome = SourceOutcome(source.id, source.outlet, source.url, FetchOutcome.OK)
    ttl: int | None = None
    reason: str | None = None
    if result.error is not None:
        reason = result.error.reason
        blocked = isinstance(result.error, BlockedAddress | InvalidURL)
        outcome.outcome = FetchOutcome.BLOCKED if blocked else FetchOutcome.ERROR
    elif result.not_modified:
        outcome.outcome = FetchOutcome.NOT_MODIFIED
    else:
        try:
            entries, ttl = _parse_entries(source, result, now)
        except (MalformedFeed, UnsafeFeed) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            outcome.outcome = FetchOutcome.ERROR
        else:
            outcome.new_entries = _store_entries(session, source, entries)
            source.etag = result.headers.get("etag")
            source.last_modified = result.headers.get("last-modified")

    if outcome.outcome in (FetchOutcome.ERROR, FetchOutcome.BLOCKED):
        source.error_count += 1
        source.last_error = reason
        outcome.reason = reason
        if source.error_count >= settings.suspend_after_errors:
            source.suspended = True
            log.warning("suspending %s after %d errors: %s", source.url, source.error_count, reason)
    else:
        source.error_count = 0
        source.last_error = None

    policy = source.poll_policy or settings.poll_policy
    source.last_checked_at = now
    source.next_check_at = compute_next_check(
        now,
        policy=policy,
        interval=source.poll_interval or settings.poll_interval,
        min_interval=settings.min_poll_interval,
        max_interval=settings.max_poll_interval,
        headers=result.headers,
        ttl_minutes=ttl,
        entry_times=_recent_entry_times(session, source.id, now)
        if policy == PollPolicy.ENTRY_FREQUENCY
        else (),
        retry_after=result.retry_after,
        error_count=source.error_count,
    )
    session.add(
        FetchLog(
            source_id=source.id,
            url=source.url,
            started_at=now,
            status_code=result.status,
            outcome=outcome.outcome,
            reason=reason,
            bytes_received=len(result.body),
            duration_ms=int(result.elapsed * 1000),
            new_entries=outcome.new_entries,
            next_check_at=source.next_check_at,
        )
    )
    return outcome


def run(
    store: Store,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    source_ids: Sequence[int] | None = None,
    progress: Progress = null_progress,
) -> PollReport:
    """Check every due source once (or the given ones) and store what they list."""
    now = now or utcnow()
    with store.session() as s:
        if source_ids is None:
            due = select_due_sources(s, now)
        else:
            due = list(s.scalars(select(Source).where(Source.id.in_(source_ids))))
        refs = [
            _SourceRef(src.id, src.url, src.kind, src.allow_private, src.etag, src.last_modified)
            for src in due
        ]
    report = PollReport()
    if not refs:
        return report
    progress.begin("poll", len(refs))
    with report.times.time("fetch"):
        results = asyncio.run(_fetch_sources(settings, refs, progress))
    for ref, result in zip(refs, results, strict=True):
        with report.times.time("parse+store"), store.session() as s:
            source = s.get(Source, ref.id)
            if source is None:  # removed while we fetched
                continue
            report.outcomes.append(record_fetch(s, source, result, settings, now))
    return report
