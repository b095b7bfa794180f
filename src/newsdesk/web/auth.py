"""Desk sign-in on the web: signed session cookies, role checks, CSRF tokens, safe redirects.

A session is a cookie signed with the app's secret key holding the user id, a random session
id and a fingerprint of the password hash. Signing out records a "logout" audit event for the
session id, so a copied cookie stops working everywhere (every process reads the same log);
changing the password or disabling the account ends every session too.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from starlette.datastructures import FormData

from newsdesk.store import AuditEvent, Role, Store, User
from newsdesk.web.app_state import app_settings, app_store

log = logging.getLogger(__name__)

SESSION_COOKIE = "nd_session"
ANON_COOKIE = "nd_csrf"  # before sign-in, the login form's CSRF token is bound to this cookie
CSRF_FIELD = "csrf_token"
LOGIN_PATH = "/desk/login"
HOME_PATH = "/desk"
SESSION_TARGET = "session"


class DeskSession:
    """What a valid session cookie says: whose it is and which sign-in it belongs to."""

    def __init__(self, user: User, sid: str) -> None:
        self.user = user
        self.sid = sid


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="newsdesk.desk.session")


def password_fingerprint(secret_key: str, password_hash: str) -> str:
    """A short keyed digest of the password hash: a new password ends old sessions."""
    digest = hmac.new(secret_key.encode(), password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def new_session_id() -> str:
    """A random id for one sign-in (32 hex characters)."""
    return secrets.token_hex(16)


def is_session_ended(store: Store, sid: str) -> bool:
    """True when the session was signed out."""
    with store.reader() as s:
        found = s.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.target_type == SESSION_TARGET,
                AuditEvent.target_id == sid,
                AuditEvent.action == "logout",
            )
            .limit(1)
        )
    return found is not None


def load_session(request: Request) -> DeskSession | None:
    """The valid session of this request, or None (cached on request.state)."""
    if hasattr(request.state, "desk_session"):
        cached: DeskSession | None = request.state.desk_session
        return cached
    request.state.desk_session = None
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=app_settings(request).session_max_age)
        uid, sid, fingerprint = int(data["u"]), str(data["s"]), str(data["p"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    store = app_store(request)
    with store.reader() as s:
        user = s.get(User, uid)
    if user is None or user.disabled:
        return None
    expected = password_fingerprint(request.app.state.secret_key, user.password_hash)
    if not hmac.compare_digest(fingerprint, expected) or is_session_ended(store, sid):
        return None
    session = DeskSession(user, sid)
    request.state.desk_session = session
    return session


def current_user(request: Request) -> User | None:
    """Dependency: the signed-in desk user, or None."""
    session = load_session(request)
    return session.user if session is not None else None


def safe_next(value: str | None) -> str:
    """`value` when it is a path on this site, else the desk home (no open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return HOME_PATH
    # browsers treat "\" as "/" and drop tabs/newlines, so "/\evil.com" would leave the site
    if "\\" in value or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return HOME_PATH
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return HOME_PATH
    return value


def login_redirect(request: Request) -> HTTPException:
    """A 303 to the sign-in page that comes back here afterwards."""
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    location = f"{LOGIN_PATH}?next={quote(safe_next(target), safe='')}"
    return HTTPException(status_code=303, detail="Please sign in.", headers={"Location": location})


def require_user(role: str = Role.CONTRIBUTOR) -> Callable[[Request], User]:
    """Dependency factory: the signed-in user with at least `role`; else sign-in or 403."""

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            if request.method in ("GET", "HEAD"):
                raise login_redirect(request)
            raise HTTPException(status_code=303, headers={"Location": LOGIN_PATH})
        if not Role.at_least(user.role, role):
            raise HTTPException(status_code=403, detail=f"This needs the {role} role.")
        return user

    return dependency


def set_session_cookie(request: Request, response: Response, user: User, sid: str) -> None:
    """Sign `user` in on `response` (also used to slide the expiry on each desk page)."""
    settings = app_settings(request)
    value = _serializer(request).dumps(
        {
            "u": user.id,
            "s": sid,
            "p": password_fingerprint(request.app.state.secret_key, user.password_hash),
        }
    )
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=settings.session_max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not settings.dev_mode,
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=not app_settings(request).dev_mode,
    )


def _hmac_token(secret_key: str, purpose: str, value: str) -> str:
    digest = hmac.new(secret_key.encode(), f"{purpose}|{value}".encode(), hashlib.sha256)
    return digest.hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token the desk's forms carry for this request's session ('' before sign-in)."""
    session = load_session(request)
    if session is None:
        return anon_csrf_token(request)
    return _hmac_token(request.app.state.secret_key, "csrf", session.sid)


def anon_csrf_token(request: Request) -> str:
    """The login form's token, bound to the nd_csrf cookie ('' when it is not set yet)."""
    value = getattr(request.state, "anon_csrf", None) or request.cookies.get(ANON_COOKIE, "")
    if not value:
        return ""
    return _hmac_token(request.app.state.secret_key, "csrf-anon", value)


def ensure_anon_cookie(request: Request, response: Response) -> None:
    """Give a browser without one the cookie the login form's CSRF token is bound to."""
    if request.cookies.get(ANON_COOKIE):
        return
    value = getattr(request.state, "anon_csrf", None) or secrets.token_urlsafe(24)
    request.state.anon_csrf = value
    response.set_cookie(
        ANON_COOKIE,
        value,
        path="/desk",
        httponly=True,
        samesite="lax",
        secure=not app_settings(request).dev_mode,
    )


def prepare_anon_csrf(request: Request) -> None:
    """Pick the nd_csrf value for this request before rendering, so the form's token matches."""
    if not request.cookies.get(ANON_COOKIE) and not getattr(request.state, "anon_csrf", None):
        request.state.anon_csrf = secrets.token_urlsafe(24)


def csrf_ok(request: Request, form: FormData, *, anonymous: bool = False) -> bool:
    """True when the form's csrf_token matches this session's (or the login cookie's)."""
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not sent:
        return False
    if anonymous:
        if not request.cookies.get(ANON_COOKIE):
            return False
        expected = anon_csrf_token(request)
    else:
        if load_session(request) is None:
            return False
        expected = csrf_token(request)
    return bool(expected) and hmac.compare_digest(sent, expected)


async def checked_form(request: Request, *, anonymous: bool = False) -> FormData:
    """The POSTed form after its CSRF token was checked; 403 on a missing or wrong token."""
    form = await request.form()
    if not csrf_ok(request, form, anonymous=anonymous):
        log.warning("CSRF check failed on %s", request.url.path)
        raise HTTPException(
            status_code=403,
            detail="This form has expired or did not come from the desk. Reload the page and "
            "try again.",
        )
    return form


def client_address(request: Request) -> str:
    """The address sign-in attempts are counted by."""
    return request.client.host if request.client else "unknown"
