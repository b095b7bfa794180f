"""Follow and alerts: a member who follows a story, a persona or a tag gets an e-mail when a
new version is published (saying what changed), at most one mail per story per
`alert_interval`.

Each (member, analysis) pair is recorded before its mail goes out (`sending`) and marked
`sent` after, so a crash never alerts anyone twice; a pair left in `sending` becomes
`uncertain` and counts as sent for the throttle. Only pieces published after the follow was
made are alerted. What changed is the new version's sentences that the earlier one did not
have, among those the member may read (publish.gate).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from newsdesk.personas import load_personas
from newsdesk.progress import Progress, null_progress
from newsdesk.publish.gate import Reader, gate_analysis
from newsdesk.publish.items import current_published, previous_version
from newsdesk.publish.mail import MailError, MailSender, MailUnavailable, build_message
from newsdesk.publish.mail.message import make_message_id
from newsdesk.publish.newsletter.compose import render_mail
from newsdesk.settings import Settings
from newsdesk.store import (
    AlertDelivery,
    Analysis,
    DeliveryStatus,
    Follow,
    FollowKind,
    Member,
    Store,
    Story,
    utcnow,
)

log = logging.getLogger(__name__)

MAX_CHANGES = 5
# how far back a new piece may be and still be alerted (older ones are news no more)
LOOKBACK = dt.timedelta(days=7)


@dataclass
class AlertReport:
    """What one alert run did."""

    mails: int = 0
    pieces: int = 0
    throttled: int = 0
    uncertain: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class AlertPiece:
    """One new version in an alert mail."""

    analysis_id: int
    version: int
    headline: str
    dek: str
    byline: str
    url: str
    changes: list[str]
    coverage: str


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _matches(follow: Follow, a: Analysis) -> bool:
    if follow.kind == FollowKind.STORY:
        return follow.key == str(a.story_id)
    if follow.kind == FollowKind.PERSONA:
        return follow.key == a.persona_id
    return follow.key in (a.tags or [])


def _label(follow: Follow, personas: dict[str, str]) -> str:
    if follow.kind == FollowKind.STORY:
        return "this story"
    if follow.kind == FollowKind.PERSONA:
        return personas.get(follow.key, follow.key)
    return f"the tag {follow.key}"


def what_changed(
    session: Session, analysis: Analysis, settings: Settings, reader: Reader
) -> list[str]:
    """The new version's sentences the previous one lacked, that this reader may read."""
    previous = previous_version(session, analysis)
    before = {s.text.strip() for s in previous.sentences} if previous is not None else set()
    visible = gate_analysis(analysis.sentences, settings, reader).visible
    fresh = [s.text for s in visible if s.text.strip() not in before]
    return fresh[:MAX_CHANGES]


def _coverage(story: Story | None) -> str:
    if story is None:
        return ""
    langs = len(story.languages or [])
    return (
        f"The story now has {story.article_count} article"
        f"{'' if story.article_count == 1 else 's'} from {len(story.outlets or [])} outlets "
        f"in {langs} language{'' if langs == 1 else 's'}."
    )


def _interval_text(seconds: int) -> str:
    hours = seconds / 3600
    if hours >= 1 and hours == int(hours):
        return f"{int(hours)} hour{'' if hours == 1 else 's'}"
    return f"{max(1, seconds // 60)} minutes"


def _pending_for(
    session: Session, member: Member, follows: list[Follow], now: dt.datetime
) -> dict[int, list[tuple[Analysis, list[Follow]]]]:
    """New published pieces this member follows and was not alerted to, by story."""
    done = set(
        session.scalars(
            select(AlertDelivery.analysis_id).where(AlertDelivery.member_id == member.id)
        )
    )
    oldest_follow = min(_aware(f.created_at) for f in follows)
    since = max(oldest_follow, now - LOOKBACK)
    stmt = (
        current_published()
        .where(Analysis.published_at >= since)
        .options(selectinload(Analysis.sentences))
    )
    by_story: dict[int, list[tuple[Analysis, list[Follow]]]] = {}
    for a in session.scalars(stmt):
        if a.id in done or a.published_at is None:
            continue
        matched = [
            f for f in follows if _matches(f, a) and _aware(a.published_at) >= _aware(f.created_at)
        ]
        if matched:
            by_story.setdefault(a.story_id, []).append((a, matched))
    return by_story


def _throttled(
    session: Session, member_id: int, story_id: int, now: dt.datetime, interval: int
) -> bool:
    last = session.scalar(
        select(func.max(AlertDelivery.sent_at)).where(
            AlertDelivery.member_id == member_id,
            AlertDelivery.story_id == story_id,
            AlertDelivery.status.in_((DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN)),
        )
    )
    return last is not None and _aware(last) > now - dt.timedelta(seconds=interval)


def run(
    store: Store,
    settings: Settings,
    sender: MailSender,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> AlertReport:
    """Send every alert that is due: one mail per member and story, throttled per story."""
    now = now or utcnow()
    report = AlertReport()
    personas = {p.id: p.byline for p in load_personas(settings.personas_file)}
    base = settings.site_url.rstrip("/")
    with store.session() as s:
        # a pair left `sending` by a process that died may have gone out: never resent
        result = s.execute(
            update(AlertDelivery)
            .where(AlertDelivery.status == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.UNCERTAIN, sent_at=now)
            .execution_options(synchronize_session=False)
        )
        report.uncertain += int(getattr(result, "rowcount", 0) or 0)
        members = list(
            s.scalars(
                select(Member)
                .where(Member.disabled.is_(False), Member.id.in_(select(Follow.member_id)))
                .order_by(Member.id)
            )
        )
        member_ids = [m.id for m in members]
    progress.begin("alerts", len(member_ids))
    try:
        for member_id in member_ids:
            _alert_member(store, settings, sender, member_id, now, personas, base, report)
            progress.step("alerts")
    finally:
        sender.close()
    return report


def _alert_member(
    store: Store,
    settings: Settings,
    sender: MailSender,
    member_id: int,
    now: dt.datetime,
    personas: dict[str, str],
    base: str,
    report: AlertReport,
) -> None:
    with store.session() as s:
        member = s.get(Member, member_id)
        if member is None:
            return
        follows = list(s.scalars(select(Follow).where(Follow.member_id == member_id)))
        if not follows:
            return
        reader = Reader(tier=member.tier)
        stories = _pending_for(s, member, follows, now)
        mails = []
        for story_id, found in stories.items():
            if _throttled(s, member_id, story_id, now, settings.alert_interval):
                report.throttled += len(found)
                continue
            story = s.get(Story, story_id)
            pieces = [
                AlertPiece(
                    analysis_id=a.id,
                    version=a.version,
                    headline=a.headline,
                    dek=a.dek,
                    byline=personas.get(a.persona_id, a.byline),
                    url=f"{base}/analyses/{a.id}",
                    changes=what_changed(s, a, settings, reader) if a.version > 1 else [],
                    coverage=_coverage(story),
                )
                for a, _ in found
            ]
            followed = sorted({_label(f, personas) for _, fs in found for f in fs})
            headline = (story.headline if story else "") or pieces[0].headline
            # claim before sending: a crash after this commit never sends this mail again
            for a, _ in found:
                s.add(
                    AlertDelivery(
                        member_id=member_id,
                        story_id=story_id,
                        analysis_id=a.id,
                        status=DeliveryStatus.SENDING,
                    )
                )
            mails.append((story_id, headline, pieces, followed))
        email = member.email
    for n, (_story, headline, pieces, followed) in enumerate(mails):
        subject = f"Update: {headline}"
        text, html = render_mail(
            "alert",
            {
                "site_title": settings.site_title,
                "site_url": base,
                "subject": subject,
                "story_headline": headline,
                "pieces": pieces,
                "followed": followed,
                "interval": _interval_text(settings.alert_interval),
                "account_url": f"{base}/account",
                "support_text": settings.support_text,
                "support_url": settings.support_url,
            },
        )
        ids = [p.analysis_id for p in pieces]
        msg = build_message(
            settings,
            to=email,
            subject=subject,
            text=text,
            html=html,
            message_id=make_message_id(settings, f"alert.{member_id}.{'-'.join(map(str, ids))}"),
            list_id="alerts",
        )
        status, error = DeliveryStatus.SENT, None
        try:
            sender.send(msg)
            report.mails += 1
            report.pieces += len(ids)
        except MailUnavailable as exc:
            # nothing went out: forget this claim and the ones after it, so the next run
            # tries them again
            unsent = [p.analysis_id for _, _, ps, _ in mails[n:] for p in ps]
            with store.session() as s:
                for row in s.scalars(
                    select(AlertDelivery).where(
                        AlertDelivery.member_id == member_id,
                        AlertDelivery.analysis_id.in_(unsent),
                    )
                ):
                    s.delete(row)
            report.errors.append(str(exc))
            raise
        except MailError as exc:
            status, error = DeliveryStatus.FAILED, str(exc)
            report.errors.append(f"{email}: {exc}")
        with store.session() as s:
            s.execute(
                update(AlertDelivery)
                .where(AlertDelivery.member_id == member_id, AlertDelivery.analysis_id.in_(ids))
                .values(status=status, sent_at=now, error=error, message_id=msg["Message-ID"])
                .execution_options(synchronize_session=False)
            )
