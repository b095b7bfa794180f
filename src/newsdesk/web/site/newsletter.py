"""The newsletter on the site: sign-up with double opt-in, confirmation, preferences by the
key in every mail, and one-click unsubscribe (RFC 8058: a POST to the List-Unsubscribe URL).

The sign-up answer never says whether an address is already subscribed; an address that is
gets a mail with its preferences link instead of a second confirmation.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from newsdesk.accounts.email_tokens import TokenError
from newsdesk.accounts.members import InvalidEmail, TooManyLinks, check_link_rate
from newsdesk.personas import load_personas
from newsdesk.publish.mail import MailError, send_single
from newsdesk.publish.newsletter.compose import compose_confirmation, render_mail
from newsdesk.publish.newsletter.subscribers import (
    InvalidTopic,
    SubscriberNotFound,
    by_unsubscribe_key,
    clean_topics,
    confirm,
    confirmation_token,
    find_subscriber,
    subscribe,
    unsubscribe,
)
from newsdesk.store import SubscriberStatus
from newsdesk.store.queries import published_tag_counts
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.auth import client_address
from newsdesk.web.readers import current_member
from newsdesk.web.site.render import render_page

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

TOPIC_TAGS = 30


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _choices(request: Request) -> dict[str, object]:
    settings = app_settings(request)
    with app_store(request).reader() as s:
        tags = [t for t, _ in published_tag_counts(s)[:TOPIC_TAGS]]
    return {"personas": load_personas(settings.personas_file), "tags": tags}


def _topics_of(form_values: list[str]) -> list[str]:
    return clean_topics([v for v in form_values if isinstance(v, str)])


@router.get("/newsletter")
def newsletter_page(request: Request) -> Response:
    """The sign-up form: the whole daily briefing, or only some analysts or tags."""
    member = current_member(request)
    return render_page(
        request,
        "newsletter.html",
        {**_choices(request), "email": member.email if member else "", "chosen": []},
    )


@router.post("/newsletter")
async def newsletter_submit(request: Request) -> Response:
    """Record a pending sign-up and mail the confirmation link."""
    form = await request.form()
    email = str(form.get("email") or "").strip()
    settings = app_settings(request)
    raw_topics = [str(v) for v in form.getlist("topic")] if form.get("scope") == "some" else []
    try:
        topics = _topics_of(raw_topics)
        with app_store(request).session() as s:
            check_link_rate(s, settings, email.lower(), client_address(request))
            existing = find_subscriber(s, email)
            if existing is not None and existing.status == SubscriberStatus.ACTIVE:
                to, key, token = existing.email, existing.unsubscribe_key, None
            else:
                sub = subscribe(s, email, topics=topics, source="site")
                to, key = sub.email, sub.unsubscribe_key
                token = confirmation_token(s, settings, request.app.state.secret_key, sub)
        base = settings.site_url.rstrip("/")
        if token is not None:
            subject, text, html = compose_confirmation(
                settings, to, f"{base}/newsletter/confirm?token={token}"
            )
        else:
            subject = f"You already get the {settings.site_title} briefing"
            text, html = render_mail(
                "already",
                {
                    "site_title": settings.site_title,
                    "site_url": base,
                    "email": to,
                    "manage_url": f"{base}/newsletter/manage/{key}",
                },
            )
        send_single(settings, to=to, subject=subject, text=text, html=html, kind="confirm")
    except (InvalidEmail, InvalidTopic, TooManyLinks) as exc:
        context = {**_choices(request), "error": str(exc), "email": email, "chosen": raw_topics}
        return render_page(request, "newsletter.html", context, 400)
    except MailError as exc:
        log.error("confirmation mail to %s failed: %s", email, exc)
        context = {
            **_choices(request),
            "error": "We could not send the confirmation mail just now. Try again later.",
            "email": email,
            "chosen": raw_topics,
        }
        return render_page(request, "newsletter.html", context, 503)
    return _private(
        render_page(request, "check_mail.html", {"email": to, "what": "confirmation link"})
    )


@router.get("/newsletter/confirm")
def confirm_page(request: Request, token: str = "") -> Response:
    """The page the confirmation link opens: one button confirms."""
    if not token:
        raise HTTPException(404, "This confirmation link is incomplete.")
    return _private(render_page(request, "newsletter_confirm.html", {"token": token}))


@router.post("/newsletter/confirm")
async def confirm_submit(request: Request) -> Response:
    """Use the confirmation token: the address starts receiving the briefing."""
    form = await request.form()
    token = str(form.get("token") or "")
    settings = app_settings(request)
    try:
        with app_store(request).session() as s:
            sub = confirm(s, settings, request.app.state.secret_key, token)
            email, key, topics = sub.email, sub.unsubscribe_key, list(sub.topics or [])
    except (TokenError, SubscriberNotFound) as exc:
        return _private(render_page(request, "newsletter_done.html", {"error": str(exc)}, 400))
    return _private(
        render_page(
            request,
            "newsletter_done.html",
            {"confirmed": True, "email": email, "key": key, "topics": topics},
        )
    )


@router.get("/newsletter/manage/{key}")
def manage_page(request: Request, key: str) -> Response:
    """Preferences of the address this key belongs to (the link in every briefing)."""
    with app_store(request).reader() as s:
        try:
            sub = by_unsubscribe_key(s, key)
        except SubscriberNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        context = {"sub": sub, "chosen": list(sub.topics or []), "key": key}
    return _private(
        render_page(request, "newsletter_manage.html", {**_choices(request), **context})
    )


@router.post("/newsletter/manage/{key}")
async def manage_submit(request: Request, key: str) -> Response:
    """Change what this address receives."""
    form = await request.form()
    raw = [str(v) for v in form.getlist("topic")] if form.get("scope") == "some" else []
    try:
        topics = _topics_of(raw)
        with app_store(request).session() as s:
            sub = by_unsubscribe_key(s, key)
            sub.topics = topics
            context = {"sub": sub, "chosen": topics, "key": key, "saved": True}
    except SubscriberNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except InvalidTopic as exc:
        raise HTTPException(400, str(exc)) from exc
    return _private(
        render_page(request, "newsletter_manage.html", {**_choices(request), **context})
    )


@router.get("/newsletter/unsubscribe/{key}")
def unsubscribe_page(request: Request, key: str) -> Response:
    """The unsubscribe link in a mail: a page with one button (a GET never unsubscribes, so
    link scanners cannot do it by accident)."""
    with app_store(request).reader() as s:
        try:
            sub = by_unsubscribe_key(s, key)
        except SubscriberNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        context = {"email": sub.email, "key": key, "status": sub.status}
    return _private(render_page(request, "newsletter_unsubscribe.html", context))


@router.post("/newsletter/unsubscribe/{key}")
def unsubscribe_submit(request: Request, key: str) -> Response:
    """One-click unsubscribe: the button on the page, or a mail client's RFC 8058 POST."""
    with app_store(request).session() as s:
        try:
            sub = unsubscribe(s, key)
        except SubscriberNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        email = sub.email
    return _private(
        render_page(
            request, "newsletter_done.html", {"unsubscribed": True, "email": email, "key": key}
        )
    )
