"""Who is reading: a member's session cookie, the Reader it makes, and members' CSRF tokens.

A member's session is a cookie (`nd_member`) signed with the app's secret key holding the
member id, the sign-in time and a random session id. It is valid while the member exists, is
not disabled and has not signed out everywhere since. A desk session reads as the desk (staff
see members-only text). Requests carrying either cookie bypass the page cache (web/cache.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData

from newsdesk.publish.gate import DESK, VISITOR, Reader
from newsdesk.store import Member
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.auth import load_session

MEMBER_COOKIE = "nd_member"
CSRF_FIELD = "csrf_token"


@dataclass
class MemberSession:
    """A valid member cookie: whose it is and which sign-in."""

    member: Member
    sid: str


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="newsdesk.member.session")


def _aware_ts(member: Member) -> float:
    after = member.sessions_valid_after
    return after.timestamp() if after is not None else 0.0


def load_member(request: Request) -> MemberSession | None:
    """The signed-in member of this request, or None (cached on request.state)."""
    if hasattr(request.state, "member_session"):
        cached: MemberSession | None = request.state.member_session
        return cached
    request.state.member_session = None
    raw = request.cookies.get(MEMBER_COOKIE)
    if not raw:
        return None
    settings = app_settings(request)
    try:
        data = _serializer(request).loads(raw, max_age=settings.member_session_max_age)
        member_id, issued, sid = int(data["m"]), float(data["t"]), str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    with app_store(request).reader() as s:
        member = s.get(Member, member_id)
    if member is None or member.disabled or issued < _aware_ts(member):
        return None
    session = MemberSession(member, sid)
    request.state.member_session = session
    return session


def current_member(request: Request) -> Member | None:
    """The signed-in member, or None."""
    session = load_member(request)
    return session.member if session is not None else None


def reader_of(request: Request) -> Reader:
    """What this request may read: the desk, a member of a tier, or a visitor."""
    if load_session(request) is not None:
        return DESK
    member = current_member(request)
    if member is not None:
        return Reader(tier=member.tier)
    return VISITOR


def set_member_cookie(request: Request, response: Response, member: Member) -> None:
    """Sign `member` in on this browser."""
    settings = app_settings(request)
    value = _serializer(request).dumps(
        {"m": member.id, "t": time.time(), "s": secrets.token_hex(12)}
    )
    response.set_cookie(
        MEMBER_COOKIE,
        value,
        max_age=settings.member_session_max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not settings.dev_mode,
    )


def clear_member_cookie(request: Request, response: Response) -> None:
    """Sign out on this browser."""
    response.delete_cookie(
        MEMBER_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not app_settings(request).dev_mode,
    )


def member_csrf(request: Request) -> str:
    """The CSRF token of the signed-in member's forms ('' without a member)."""
    session = load_member(request)
    if session is None:
        return ""
    digest = hmac.new(
        request.app.state.secret_key.encode(), f"member-csrf|{session.sid}".encode(), hashlib.sha256
    )
    return digest.hexdigest()


async def member_form(request: Request) -> tuple[Member, FormData]:
    """The signed-in member and their POSTed form after its CSRF token was checked."""
    form = await request.form()
    member = current_member(request)
    if member is None:
        raise HTTPException(303, "Please sign in.", headers={"Location": "/signin"})
    sent = form.get(CSRF_FIELD)
    expected = member_csrf(request)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            403, "This form has expired or did not come from this site. Reload and try again."
        )
    return member, form
