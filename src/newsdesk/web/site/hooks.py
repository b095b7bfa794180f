"""Webhooks for a payment or mail provider: set a member's tier, record a bounce.

Both take a JSON body signed with `webhook_secret`: the header `X-Newsdesk-Signature` holds
`sha256=<hex HMAC-SHA256 of the raw body>`. Without a configured secret they answer 404.

    POST /hooks/member-tier  {"email": "reader@example.org", "tier": "supporter"}
    POST /hooks/mail-event   {"email": "reader@example.org", "event": "bounce"|"complaint",
                              "reason": "550 5.1.1 no such user"}

A tier for an address that is not a member yet creates the member (they sign in by link
later). A complaint unsubscribes the address; a bounce counts towards `bounce_limit`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from newsdesk.accounts.members import (
    InvalidEmail,
    MemberError,
    create_member,
    find_member,
    set_tier,
)
from newsdesk.publish.newsletter.subscribers import find_subscriber, record_bounce
from newsdesk.store import SubscriberStatus, utcnow
from newsdesk.web.app_state import app_settings, app_store

log = logging.getLogger(__name__)

router = APIRouter(prefix="/hooks", include_in_schema=False)

SIGNATURE_HEADER = "x-newsdesk-signature"
MAX_BODY = 64 * 1024


def sign_body(secret: str, body: bytes) -> str:
    """The signature header value for `body` (what a sender computes)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def _verified_json(request: Request) -> dict[str, Any]:
    secret = app_settings(request).webhook_secret
    if not secret:
        raise HTTPException(404, "webhooks are not enabled")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise HTTPException(413, "body too large")
    sent = request.headers.get(SIGNATURE_HEADER, "")
    if not hmac.compare_digest(sent, sign_body(secret, body)):
        raise HTTPException(401, "bad or missing signature")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise HTTPException(400, f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("email"), str):
        raise HTTPException(400, "expected a JSON object with an email")
    return data


@router.post("/member-tier")
async def member_tier_hook(request: Request) -> JSONResponse:
    """Set a member's tier (creating the member if needed)."""
    data = await _verified_json(request)
    tier = data.get("tier")
    try:
        with app_store(request).session() as s:
            if find_member(s, data["email"]) is None:
                create_member(s, data["email"], source="webhook")
            member = set_tier(s, data["email"], str(tier), source="webhook", now=utcnow())
            out = {"email": member.email, "tier": member.tier}
    except (InvalidEmail, MemberError) as exc:
        raise HTTPException(400, str(exc)) from exc
    return JSONResponse(out)


@router.post("/mail-event")
async def mail_event_hook(request: Request) -> JSONResponse:
    """Record a bounce or complaint reported by the mail provider."""
    data = await _verified_json(request)
    event = data.get("event")
    if event not in ("bounce", "complaint"):
        raise HTTPException(400, "event must be bounce or complaint")
    settings = app_settings(request)
    try:
        with app_store(request).session() as s:
            sub = find_subscriber(s, data["email"])
            if sub is None:
                return JSONResponse({"email": data["email"], "status": "unknown"})
            if event == "complaint":
                sub.status = SubscriberStatus.UNSUBSCRIBED
                sub.unsubscribed_at = utcnow()
                sub.last_bounce = f"complaint: {str(data.get('reason', ''))[:400]}"
            else:
                record_bounce(s, settings, sub, str(data.get("reason", "bounce")))
            out = {"email": sub.email, "status": sub.status, "bounces": sub.bounce_count}
    except InvalidEmail as exc:
        raise HTTPException(400, str(exc)) from exc
    return JSONResponse(out)
