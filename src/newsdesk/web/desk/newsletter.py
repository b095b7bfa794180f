"""The desk's newsletter and members pages: preview the next briefing, send it now or at a
time, see each issue's send log; set members' tiers (admins)."""

from __future__ import annotations

import datetime as dt
import logging

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.accounts.members import (
    MemberError,
    MemberNotFound,
    UnknownTier,
    count_members,
    list_members,
    set_tier,
)
from newsdesk.desk import record_event
from newsdesk.publish.mail import MailError, SmtpMailSender
from newsdesk.publish.newsletter.send import (
    NewsletterError,
    NothingToSend,
    cancel_issue,
    create_issue,
    issue_counts,
    list_issues,
    preview_issue,
    send_issue,
)
from newsdesk.publish.newsletter.subscribers import count_subscribers
from newsdesk.settings import Settings
from newsdesk.store import Role, Store, Tier, User
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.auth import checked_form, require_user
from newsdesk.web.desk.routes import acting_user, desk_redirect, form_field, render_desk_page

log = logging.getLogger(__name__)

router = APIRouter(prefix="/desk", include_in_schema=False)

EditorOnly = require_user(Role.EDITOR)
AdminOnly = require_user(Role.ADMIN)

NOTICES = {
    "sending": "The briefing is being sent; reload to follow the send log.",
    "scheduled": "The briefing is scheduled; `newsdesk run` (or `newsletter send --due`) sends it.",
    "cancelled": "The scheduled briefing is cancelled.",
    "tier": "Tier updated.",
}


def send_in_background(store: Store, settings: Settings, issue_id: int) -> None:
    """Send an issue after the response went out (errors end up in the send log and logs)."""
    try:
        send_issue(store, settings, issue_id, SmtpMailSender(settings))
    except (MailError, NewsletterError) as exc:
        log.error("briefing %s: sending stopped: %s", issue_id, exc)


def _newsletter_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    settings = app_settings(request)
    with app_store(request).reader() as s:
        briefing, since = preview_issue(s, settings)
        issues = [(i, issue_counts(s, i.id)) for i in list_issues(s)]
        context = {
            "briefing": briefing,
            "since": since,
            "issues": issues,
            "subscribers": count_subscribers(s),
            "members": count_members(s),
            "mail_ready": bool(settings.smtp_url),
            "notice": NOTICES.get(request.query_params.get("msg", "")),
            "error": error,
        }
    return render_desk_page(request, "desk/newsletter.html", context, status_code=status)


@router.get("/newsletter")
def newsletter_page(request: Request) -> Response:
    """The next briefing, the subscribers, and every issue's send log."""
    EditorOnly(request)
    return _newsletter_page(request)


@router.get("/newsletter/preview")
def newsletter_preview(request: Request, format: str = "html") -> Response:
    """The next briefing as it will arrive (HTML, or its plain-text part)."""
    EditorOnly(request)
    with app_store(request).reader() as s:
        briefing, _ = preview_issue(s, app_settings(request))
    if format == "text":
        return Response(briefing.text, media_type="text/plain; charset=utf-8")
    return HTMLResponse(briefing.html, headers={"Cache-Control": "no-store"})


@router.post("/newsletter")
async def newsletter_submit(request: Request, background: BackgroundTasks) -> Response:
    """Send the next briefing now, schedule it, or cancel a scheduled one."""
    user = EditorOnly(request)
    form = await checked_form(request)
    action = form_field(form, "action")
    settings = app_settings(request)
    store = app_store(request)
    try:
        with store.session() as s:
            actor = acting_user(s, user)
            if action == "cancel":
                issue = cancel_issue(s, int(form_field(form, "issue_id") or 0))
                record_event(s, actor, "cancel_briefing", "newsletter", issue.id, {})
                return desk_redirect("/desk/newsletter", "cancelled")
            at = None
            if action == "schedule":
                raw = form_field(form, "at")
                try:
                    at = dt.datetime.fromisoformat(raw).replace(tzinfo=dt.UTC)
                except ValueError as exc:
                    raise NewsletterError(f"not a date and time: {raw!r}") from exc
            elif action != "send":
                raise HTTPException(400, f"unknown action {action!r}")
            if not settings.smtp_url:
                raise NewsletterError("no smtp_url is set: the site cannot send mail")
            issue = create_issue(
                s, settings, scheduled_at=at, created_by=actor.display_name or actor.username
            )
            issue_id = issue.id
            record_event(
                s,
                actor,
                "schedule_briefing" if at else "send_briefing",
                "newsletter",
                issue_id,
                {"items": len(issue.analysis_ids), "at": at.isoformat() if at else None},
            )
    except (NothingToSend, NewsletterError) as exc:
        return _newsletter_page(request, error=str(exc), status=409)
    if at is None:
        background.add_task(send_in_background, store, settings, issue_id)
        return desk_redirect("/desk/newsletter", "sending")
    return desk_redirect("/desk/newsletter", "scheduled")


def _members_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    with app_store(request).reader() as s:
        context = {
            "member_rows": list_members(s),
            "counts": count_members(s),
            "tiers": Tier.ALL,
            "notice": NOTICES.get(request.query_params.get("msg", "")),
            "error": error,
        }
    return render_desk_page(request, "desk/members.html", context, status_code=status)


@router.get("/members")
def members_page(request: Request) -> Response:
    """Reader accounts and their tiers (admins)."""
    AdminOnly(request)
    return _members_page(request)


@router.post("/members")
async def members_submit(request: Request) -> Response:
    """Set a member's tier (admins); recorded with who set it, and in the audit log."""
    user: User = AdminOnly(request)
    form = await checked_form(request)
    email, tier = form_field(form, "email"), form_field(form, "tier")
    try:
        with app_store(request).session() as s:
            actor = acting_user(s, user)
            member = set_tier(s, email, tier, source=f"admin:{actor.username}")
            record_event(s, actor, "set_tier", "member", member.id, {"tier": tier})
    except (UnknownTier, MemberNotFound, MemberError) as exc:
        return _members_page(request, error=str(exc), status=400)
    return desk_redirect("/desk/members", "tier")
