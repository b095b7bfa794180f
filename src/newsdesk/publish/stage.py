"""The publish stage: after each pipeline cycle, send what is due to readers.

    the daily briefing (at newsdesk_send_hour) → scheduled or half-sent issues → alerts

It needs `smtp_url`; without one it does nothing and says so. Each part keeps its own send
log, so the stage can be re-run after a crash without mailing anyone twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from newsdesk.progress import Progress, null_progress
from newsdesk.publish import alerts
from newsdesk.publish.mail import MailError, MailSender, SmtpMailSender
from newsdesk.publish.newsletter.send import (
    NewsletterError,
    NothingToSend,
    SendReport,
    create_issue,
    due_issues,
    send_issue,
)
from newsdesk.settings import Settings
from newsdesk.store import NewsletterIssue, Store, utcnow

log = logging.getLogger(__name__)


@dataclass
class PublishReport:
    """What the publish stage did."""

    skipped: str = ""
    created_issue: int | None = None
    briefings: list[SendReport] = field(default_factory=list)
    alerts: alerts.AlertReport | None = None
    errors: list[str] = field(default_factory=list)


def _daily_due(store: Store, settings: Settings, now: dt.datetime) -> bool:
    """True when today's briefing hour has come and no issue was made today."""
    hour = settings.newsletter_send_hour
    if hour < 0 or now.hour < hour:
        return False
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with store.reader() as s:
        made = s.scalar(
            select(NewsletterIssue.id).where(NewsletterIssue.created_at >= start).limit(1)
        )
    return made is None


def run(
    store: Store,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
    sender_factory: Callable[[Settings], MailSender] = SmtpMailSender,
) -> PublishReport:
    """Make today's briefing when due, send due issues, then send due alerts."""
    now = now or utcnow()
    report = PublishReport()
    if not settings.smtp_url:
        report.skipped = "no smtp_url: no mail is sent"
        return report
    if _daily_due(store, settings, now):
        try:
            with store.session() as s:
                report.created_issue = create_issue(s, settings, now=now).id
        except NothingToSend:
            log.info("daily briefing: nothing new to send")
        except NewsletterError as exc:
            report.errors.append(str(exc))
    with store.reader() as s:
        due = [i.id for i in due_issues(s, now)]
    for issue_id in due:
        try:
            report.briefings.append(
                send_issue(store, settings, issue_id, sender_factory(settings), progress=progress)
            )
        except (MailError, NewsletterError) as exc:
            report.errors.append(f"briefing {issue_id}: {exc}")
    try:
        report.alerts = alerts.run(
            store, settings, sender_factory(settings), now=now, progress=progress
        )
    except MailError as exc:
        report.errors.append(f"alerts: {exc}")
    return report
