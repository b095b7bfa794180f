"""Members on the site: sign-in by e-mailed link, the account page, follows, data export.

The link in the mail opens a page with one button that signs in by POST: mail scanners that
fetch links cannot use up the single-use token.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from newsdesk.accounts.email_tokens import TokenError
from newsdesk.accounts.members import (
    InvalidEmail,
    InvalidFollow,
    MemberError,
    TooManyLinks,
    check_link_rate,
    delete_member,
    export_member,
    follow,
    follows_of,
    issue_signin_token,
    redeem_signin_token,
    sign_out_everywhere,
    unfollow,
)
from newsdesk.personas import load_personas
from newsdesk.publish.mail import MailError, send_single
from newsdesk.publish.newsletter.compose import compose_signin
from newsdesk.store import Member, Story, Subscriber
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.auth import client_address, safe_next
from newsdesk.web.readers import (
    clear_member_cookie,
    current_member,
    member_form,
    set_member_cookie,
)
from newsdesk.web.site.render import render_page

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

NOTICES = {
    "signed-in": "You are signed in.",
    "followed": "Following. You will get an e-mail when it changes.",
    "unfollowed": "You no longer follow it.",
    "signed-out-everywhere": "Every other browser is signed out.",
}


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _field(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@router.get("/members")
def members_page(request: Request) -> Response:
    """What membership is, what members read, and the sign-up form."""
    settings = app_settings(request)
    return render_page(
        request,
        "members.html",
        {"settings": settings, "personas": load_personas(settings.personas_file)},
    )


@router.get("/signin")
@router.get("/signup")
def signin_page(request: Request, next: str = "") -> Response:
    """Ask for a sign-in link (the first one opened creates the account)."""
    return render_page(request, "signin.html", {"next": safe_next(next or "/account")})


@router.post("/signin")
async def signin_submit(request: Request) -> Response:
    """Mail a sign-in link; the same answer whether or not the address is a member."""
    form = await request.form()
    email = _field(form.get("email"))
    nxt = safe_next(_field(form.get("next")) or "/account")
    settings = app_settings(request)
    try:
        with app_store(request).session() as s:
            check_link_rate(s, settings, email.lower(), client_address(request))
            token = issue_signin_token(s, settings, request.app.state.secret_key, email)
            address = email.strip().lower()
        link = settings.site_url.rstrip("/") + "/signin/verify?token=" + token
        if nxt != "/account":
            link += "&next=" + quote(nxt, safe="/")
        subject, text, html = compose_signin(settings, address, link)
        send_single(settings, to=address, subject=subject, text=text, html=html, kind="signin")
    except (InvalidEmail, TooManyLinks, MemberError) as exc:
        return render_page(
            request, "signin.html", {"error": str(exc), "email": email, "next": nxt}, 400
        )
    except MailError as exc:
        log.error("sign-in mail to %s failed: %s", email, exc)
        return render_page(
            request,
            "signin.html",
            {"error": "We could not send the mail just now. Try again later.", "email": email},
            503,
        )
    return render_page(request, "check_mail.html", {"email": address, "what": "sign-in link"})


@router.get("/signin/verify")
def signin_verify_page(request: Request, token: str = "", next: str = "") -> Response:
    """The page the mailed link opens: one button signs in."""
    if not token:
        raise HTTPException(404, "This sign-in link is incomplete. Ask for a new one.")
    return _private(
        render_page(request, "signin_verify.html", {"token": token, "next": safe_next(next)})
    )


@router.post("/signin/verify")
async def signin_verify(request: Request) -> Response:
    """Use the sign-in token once, set the member's cookie and go on."""
    form = await request.form()
    token = _field(form.get("token"))
    nxt = safe_next(_field(form.get("next")) or "/account")
    if nxt.startswith("/desk"):
        nxt = "/account"
    settings = app_settings(request)
    try:
        with app_store(request).session() as s:
            member = redeem_signin_token(s, settings, request.app.state.secret_key, token)
    except (TokenError, MemberError) as exc:
        return render_page(request, "signin.html", {"error": str(exc)}, 400)
    response = RedirectResponse(nxt + ("?msg=signed-in" if nxt == "/account" else ""), 303)
    set_member_cookie(request, response, member)
    return _private(response)


@router.post("/signout")
async def signout(request: Request) -> Response:
    """Sign out on this browser."""
    await member_form(request)
    response = RedirectResponse("/", 303)
    clear_member_cookie(request, response)
    return response


def _back(value: object, msg: str) -> str:
    """Where a follow button returns to: a page of this site, else the account page."""
    path = safe_next(_field(value))
    if path.startswith("/desk") or path.startswith("/account"):
        return f"/account?msg={msg}"
    return path


def _member_or_redirect(request: Request) -> Member | Response:
    member = current_member(request)
    if member is None:
        return RedirectResponse("/signin?next=/account", 303)
    return member


@router.get("/account")
def account_page(request: Request, msg: str = "") -> Response:
    """The member's account: tier, follows, newsletter, sign-out, export and delete."""
    found = _member_or_redirect(request)
    if isinstance(found, Response):
        return found
    member = found
    settings = app_settings(request)
    personas = {p.id: p for p in load_personas(settings.personas_file)}
    with app_store(request).reader() as s:
        follows = follows_of(s, member.id)
        story_ids = [int(f.key) for f in follows if f.kind == "story" and f.key.isdigit()]
        stories = {st.id: st for st in s.scalars(select(Story).where(Story.id.in_(story_ids)))}
        sub = s.scalar(select(Subscriber).where(Subscriber.email == member.email))
    return _private(
        render_page(
            request,
            "account.html",
            {
                "follows": follows,
                "stories": stories,
                "personas": personas,
                "subscriber": sub,
                "notice": NOTICES.get(msg),
                "settings": settings,
            },
        )
    )


@router.post("/account/follow")
async def account_follow(request: Request) -> Response:
    """Follow a story, persona or tag, then go back to where the button was."""
    member, form = await member_form(request)
    kind, key = _field(form.get("kind")), _field(form.get("key"))
    try:
        with app_store(request).session() as s:
            row = s.get(Member, member.id)
            assert row is not None
            follow(s, row, kind, key)
    except InvalidFollow as exc:
        raise HTTPException(400, str(exc)) from exc
    return RedirectResponse(_back(form.get("back"), "followed"), 303)


@router.post("/account/unfollow")
async def account_unfollow(request: Request) -> Response:
    """Stop following."""
    member, form = await member_form(request)
    with app_store(request).session() as s:
        row = s.get(Member, member.id)
        assert row is not None
        unfollow(s, row, _field(form.get("kind")), _field(form.get("key")))
    return RedirectResponse(_back(form.get("back"), "unfollowed"), 303)


@router.post("/account/signout-everywhere")
async def account_signout_everywhere(request: Request) -> Response:
    """End every session of this member, then sign in again here."""
    member, _ = await member_form(request)
    with app_store(request).session() as s:
        row = s.get(Member, member.id)
        assert row is not None
        sign_out_everywhere(s, row)
    response = RedirectResponse("/signin", 303)
    clear_member_cookie(request, response)
    return response


@router.get("/account/export.json")
def account_export(request: Request) -> Response:
    """Everything we hold about the signed-in member, as JSON."""
    found = _member_or_redirect(request)
    if isinstance(found, Response):
        return found
    with app_store(request).reader() as s:
        data = export_member(s, found.email)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _private(
        Response(
            body,
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="my-newsdesk-data.json"'},
        )
    )


@router.post("/account/delete")
async def account_delete(request: Request) -> Response:
    """Delete the account (follows and alert log go with it)."""
    member, form = await member_form(request)
    if _field(form.get("confirm")) != "delete":
        raise HTTPException(400, "Type delete to confirm.")
    with app_store(request).session() as s:
        delete_member(s, member.email)
    response = RedirectResponse("/", 303)
    clear_member_cookie(request, response)
    return response
