"""Issues of the briefing and their sending, with a per-recipient send log.

Sending an issue first writes one `deliveries` row per active subscriber. Each mail is then
claimed (`sending`, committed) before it goes to the SMTP server and marked `sent` after the
server accepted it. A process killed mid-send leaves at most one row in `sending`: the next
run marks it `uncertain` and never sends it again by itself (`--retry-uncertain` does, when an
editor decides to), so a crash never makes anyone receive the same issue twice. A lease on the
issue keeps two senders apart; a lease held by a dead process on this host is taken over.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from newsdesk.progress import Progress, null_progress
from newsdesk.publish.items import changed_between
from newsdesk.publish.mail import (
    MailDeferred,
    MailLost,
    MailRefused,
    MailSender,
    MailUnavailable,
    build_message,
    make_message_id,
)
from newsdesk.publish.newsletter.compose import (
    Briefing,
    compose_briefing,
    manage_url,
    unsubscribe_url,
)
from newsdesk.publish.newsletter.subscribers import record_bounce
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsletterIssue,
    Store,
    Subscriber,
    SubscriberStatus,
    utcnow,
)

log = logging.getLogger(__name__)

LIST_ID = "briefing"
MAX_ATTEMPTS = 3


class NewsletterError(Exception):
    """A newsletter operation that cannot be done; the message says why."""


class IssueNotFound(NewsletterError, LookupError):
    """No issue with this id."""


class IssueBusy(NewsletterError):
    """Another live process is sending this issue."""


class NothingToSend(NewsletterError):
    """Nothing was published or updated since the last issue."""


@dataclass
class SendReport:
    """What one sending run did."""

    issue_id: int
    sent: int = 0
    skipped: int = 0
    refused: int = 0
    failed: int = 0
    uncertain: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)
    finished: bool = False


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def last_sent_until(session: Session, kind: str = "daily") -> dt.datetime | None:
    """The end of the newest issue already sent (or being sent): the next one starts there."""
    value = session.scalar(
        select(NewsletterIssue.until)
        .where(
            NewsletterIssue.kind == kind,
            NewsletterIssue.status.in_((IssueStatus.SENDING, IssueStatus.SENT)),
        )
        .order_by(NewsletterIssue.until.desc())
        .limit(1)
    )
    return _aware(value) if value is not None else None


def issue_analyses(session: Session, issue: NewsletterIssue) -> list[Analysis]:
    """The analyses of an issue, in its order (rows deleted since are left out)."""
    rows = {
        a.id: a
        for a in session.scalars(select(Analysis).where(Analysis.id.in_(issue.analysis_ids)))
    }
    return [rows[i] for i in issue.analysis_ids if i in rows]


def preview_issue(
    session: Session,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    topics: list[str] | None = None,
) -> tuple[Briefing, dt.datetime | None]:
    """The briefing the next issue would carry, rendered for a reader of `topics`."""
    now = now or utcnow()
    since = last_sent_until(session)
    analyses = changed_between(session, since, now)
    briefing = compose_briefing(
        analyses,
        settings,
        since=since,
        date=now,
        topics=topics,
        unsubscribe_url=unsubscribe_url(settings, None),
        manage_url=manage_url(settings),
    )
    return briefing, since


def create_issue(
    session: Session,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    scheduled_at: dt.datetime | None = None,
    created_by: str = "system",
    allow_empty: bool = False,
) -> NewsletterIssue:
    """A new issue of what changed since the last one (scheduled when `scheduled_at` is given).

    Raises NothingToSend when nothing changed (unless `allow_empty`).
    """
    now = now or utcnow()
    open_issue = session.scalar(
        select(NewsletterIssue).where(
            NewsletterIssue.status.in_((IssueStatus.SCHEDULED, IssueStatus.SENDING))
        )
    )
    if open_issue is not None:
        raise NewsletterError(
            f"issue {open_issue.id} is {open_issue.status}: send or cancel it first"
        )
    since = last_sent_until(session)
    analyses = changed_between(session, since, now)
    if not analyses and not allow_empty:
        raise NothingToSend(
            "nothing was published or updated since "
            + (f"the last briefing ({since:%d %b %Y %H:%M} UTC)" if since else "the start")
        )
    briefing, _ = preview_issue(session, settings, now=now)
    issue = NewsletterIssue(
        kind="daily",
        subject=briefing.subject,
        since=since,
        until=now,
        analysis_ids=[a.id for a in analyses],
        status=IssueStatus.SCHEDULED
        if scheduled_at and _aware(scheduled_at) > now
        else IssueStatus.DRAFT,
        scheduled_at=scheduled_at,
        created_at=now,
        created_by=created_by[:200],
    )
    session.add(issue)
    session.flush()
    return issue


def cancel_issue(session: Session, issue_id: int) -> NewsletterIssue:
    """Cancel a draft or scheduled issue (one being sent cannot be called back)."""
    issue = session.get(NewsletterIssue, issue_id)
    if issue is None:
        raise IssueNotFound(f"no issue {issue_id}")
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        raise NewsletterError(f"issue {issue_id} is {issue.status} and cannot be cancelled")
    session.delete(issue)
    session.flush()
    return issue


def due_issues(session: Session, now: dt.datetime | None = None) -> list[NewsletterIssue]:
    """Scheduled issues whose time has come, and issues left half-sent."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(NewsletterIssue)
            .where(
                (
                    (NewsletterIssue.status == IssueStatus.SCHEDULED)
                    & (NewsletterIssue.scheduled_at <= now)
                )
                | (NewsletterIssue.status == IssueStatus.SENDING)
            )
            .order_by(NewsletterIssue.id)
        )
    )


# -- the lease: one sender per issue ------------------------------------------------------

LEASE = dt.timedelta(minutes=5)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _is_dead_local(owner: str) -> bool:
    """True when `owner` was a process on this host that is gone."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _take_lease(session: Session, issue: NewsletterIssue, now: dt.datetime) -> None:
    me = _owner()
    holder, until = issue.lease_owner, issue.lease_until
    if holder and holder != me and until is not None and _aware(until) > now:
        if not _is_dead_local(holder):
            raise IssueBusy(
                f"issue {issue.id} is being sent by {holder} (its claim holds until "
                f"{_aware(until):%H:%M:%S} UTC)"
            )
        log.warning("issue %s: taking over from %s, which is gone", issue.id, holder)
    issue.lease_owner = me
    issue.lease_until = now + LEASE
    session.flush()


def _release_lease(session: Session, issue: NewsletterIssue) -> None:
    if issue.lease_owner == _owner():
        issue.lease_owner = None
        issue.lease_until = None


# -- sending ------------------------------------------------------------------------------


def _add_deliveries(session: Session, issue: NewsletterIssue) -> int:
    """One pending delivery per active subscriber without one yet; returns how many."""
    have = set(session.scalars(select(Delivery.subscriber_id).where(Delivery.issue_id == issue.id)))
    added = 0
    for sid in session.scalars(
        select(Subscriber.id)
        .where(Subscriber.status == SubscriberStatus.ACTIVE)
        .order_by(Subscriber.id)
    ):
        if sid not in have:
            session.add(Delivery(issue_id=issue.id, subscriber_id=sid))
            added += 1
    session.flush()
    return added


def start_issue(session: Session, issue_id: int, now: dt.datetime | None = None) -> NewsletterIssue:
    """Move an issue to `sending` and write its send log (one row per active subscriber)."""
    now = now or utcnow()
    issue = session.get(NewsletterIssue, issue_id)
    if issue is None:
        raise IssueNotFound(f"no issue {issue_id}")
    if issue.status == IssueStatus.SENT:
        raise NewsletterError(f"issue {issue_id} was already sent")
    if issue.status in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        issue.status = IssueStatus.SENDING
        issue.started_at = now
        _add_deliveries(session, issue)
    return issue


def _mark_uncertain(session: Session, issue_id: int) -> int:
    """Deliveries a dead sender left in `sending` become `uncertain` (never resent by itself)."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.UNCERTAIN, error="the sender stopped while handing it over")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _requeue(session: Session, issue_id: int, statuses: tuple[str, ...]) -> int:
    result = session.execute(
        update(Delivery)
        .where(Delivery.issue_id == issue_id, Delivery.status.in_(statuses))
        .values(status=DeliveryStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _claim_next(store: Store, issue_id: int, now: dt.datetime, settings: Settings) -> int | None:
    """Claim the next pending delivery (committed as `sending`); None when none is left."""
    with store.session() as s:
        issue = s.get(NewsletterIssue, issue_id)
        if issue is None:
            raise IssueNotFound(f"no issue {issue_id}")
        _take_lease(s, issue, now)
        row = s.scalar(
            select(Delivery)
            .where(Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.PENDING)
            .order_by(Delivery.id)
            .limit(1)
        )
        if row is None:
            return None
        claimed = s.execute(
            update(Delivery)
            .where(Delivery.id == row.id, Delivery.status == DeliveryStatus.PENDING)
            .values(
                status=DeliveryStatus.SENDING,
                attempts=Delivery.attempts + 1,
                claimed_at=now,
                message_id=make_message_id(settings, f"briefing.{issue_id}.{row.subscriber_id}"),
            )
            .execution_options(synchronize_session=False)
        )
        return row.id if getattr(claimed, "rowcount", 0) == 1 else -1


def _finish(store: Store, delivery_id: int, **values: object) -> None:
    with store.session() as s:
        s.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


# stands in for each reader's own links in a briefing composed once per set of topics
_KEY_MARK = "NEWSDESKREADERKEY"


def _message_for(
    session: Session,
    settings: Settings,
    issue: NewsletterIssue,
    delivery: Delivery,
    composed: dict[tuple[str, ...], Briefing],
) -> tuple[Briefing, Subscriber] | None:
    sub = session.get(Subscriber, delivery.subscriber_id)
    if sub is None or sub.status != SubscriberStatus.ACTIVE:
        return None
    topics = tuple(sorted(sub.topics or []))
    shared = composed.get(topics)
    if shared is None:
        # readers with the same topics get the same mail but for their own key: compose once
        shared = composed[topics] = compose_briefing(
            issue_analyses(session, issue),
            settings,
            since=_aware(issue.since) if issue.since else None,
            date=_aware(issue.until),
            topics=list(topics),
            unsubscribe_url=unsubscribe_url(settings, None).replace("preview", _KEY_MARK),
            manage_url=settings.site_url.rstrip("/") + f"/newsletter/manage/{_KEY_MARK}",
        )
    if not shared.items:
        return None
    key = sub.unsubscribe_key
    own = Briefing(
        subject=shared.subject,
        date=shared.date,
        items=shared.items,
        html=shared.html.replace(_KEY_MARK, key),
        text=shared.text.replace(_KEY_MARK, key),
        topics=shared.topics,
    )
    return own, sub


def send_issue(
    store: Store,
    settings: Settings,
    issue_id: int,
    sender: MailSender,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
    retry_uncertain: bool = False,
) -> SendReport:
    """Send (or resume sending) an issue to every active subscriber, once each.

    Raises MailUnavailable when the server cannot be reached (what is left stays pending).
    """
    report = SendReport(issue_id)
    with store.session() as s:
        issue = start_issue(s, issue_id, now)
        _take_lease(s, issue, now or utcnow())
        report.uncertain += _mark_uncertain(s, issue_id)
        # a 4xx refusal handed nothing over: those are tried again, up to MAX_ATTEMPTS
        s.execute(
            update(Delivery)
            .where(
                Delivery.issue_id == issue_id,
                Delivery.status == DeliveryStatus.FAILED,
                Delivery.attempts < MAX_ATTEMPTS,
            )
            .values(status=DeliveryStatus.PENDING)
            .execution_options(synchronize_session=False)
        )
        if retry_uncertain:
            report.uncertain -= _requeue(s, issue_id, (DeliveryStatus.UNCERTAIN,))
        total = len(list(s.scalars(select(Delivery.id).where(Delivery.issue_id == issue_id))))
        done = total - len(
            list(
                s.scalars(
                    select(Delivery.id).where(
                        Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.PENDING
                    )
                )
            )
        )
    composed: dict[tuple[str, ...], Briefing] = {}
    stage = f"briefing {issue_id}"
    progress.begin(stage, total)
    progress.step(stage, done)
    try:
        while True:
            # the rate limit is slept off before a mail is claimed: a process killed while
            # it waits leaves nothing uncertain
            sender.wait_turn()
            at = now or utcnow()
            delivery_id = _claim_next(store, issue_id, at, settings)
            if delivery_id is None:
                break
            if delivery_id < 0:
                continue  # another sender took that one between our read and our claim
            _send_one(store, settings, issue_id, delivery_id, sender, report, composed)
            progress.step(stage)
    finally:
        sender.close()
    with store.session() as s:
        sent_issue = s.get(NewsletterIssue, issue_id)
        assert sent_issue is not None
        left = s.scalars(select(Delivery.status).where(Delivery.issue_id == issue_id)).all()
        report.pending = sum(1 for st in left if st == DeliveryStatus.PENDING)
        if report.pending == 0:
            sent_issue.status = IssueStatus.SENT
            sent_issue.finished_at = now or utcnow()
            report.finished = True
        _release_lease(s, sent_issue)
    log.info(
        "briefing %s: %d sent, %d skipped, %d refused, %d failed, %d uncertain",
        issue_id,
        report.sent,
        report.skipped,
        report.refused,
        report.failed,
        report.uncertain,
    )
    return report


def _send_one(
    store: Store,
    settings: Settings,
    issue_id: int,
    delivery_id: int,
    sender: MailSender,
    report: SendReport,
    composed: dict[tuple[str, ...], Briefing],
) -> None:
    with store.reader() as s:
        issue = s.get(NewsletterIssue, issue_id)
        delivery = s.get(Delivery, delivery_id)
        assert issue is not None and delivery is not None
        made = _message_for(s, settings, issue, delivery, composed)
        message_id = delivery.message_id or make_message_id(
            settings, f"briefing.{issue_id}.{delivery_id}"
        )
    if made is None:
        _finish(store, delivery_id, status=DeliveryStatus.SKIPPED, error="nothing for this reader")
        report.skipped += 1
        return
    briefing, sub = made
    msg = build_message(
        settings,
        to=sub.email,
        subject=briefing.subject,
        text=briefing.text,
        html=briefing.html,
        message_id=message_id,
        unsubscribe_url=unsubscribe_url(settings, sub),
        list_id=LIST_ID,
    )
    try:
        sender.send(msg)
    except MailUnavailable:
        # nothing was handed over: the delivery goes back to the queue and the run stops
        _finish(store, delivery_id, status=DeliveryStatus.PENDING)
        raise
    except MailRefused as exc:
        _finish(
            store, delivery_id, status=DeliveryStatus.REFUSED, smtp_code=exc.code, error=str(exc)
        )
        with store.session() as s:
            row = s.get(Subscriber, sub.id)
            if row is not None:
                record_bounce(s, settings, row, str(exc))
        report.refused += 1
        return
    except MailDeferred as exc:
        _finish(
            store, delivery_id, status=DeliveryStatus.FAILED, smtp_code=exc.code, error=str(exc)
        )
        report.failed += 1
        return
    except MailLost as exc:
        _finish(store, delivery_id, status=DeliveryStatus.UNCERTAIN, error=str(exc))
        report.uncertain += 1
        return
    _finish(store, delivery_id, status=DeliveryStatus.SENT, sent_at=utcnow(), error=None)
    report.sent += 1


def issue_counts(session: Session, issue_id: int) -> dict[str, int]:
    """Deliveries of an issue per status."""
    counts: dict[str, int] = {}
    for status in session.scalars(select(Delivery.status).where(Delivery.issue_id == issue_id)):
        counts[status] = counts.get(status, 0) + 1
    return counts


def list_issues(session: Session, limit: int = 20) -> list[NewsletterIssue]:
    """The newest issues first."""
    return list(
        session.scalars(select(NewsletterIssue).order_by(NewsletterIssue.id.desc()).limit(limit))
    )
