"""Rendering a public page with what every page's head and masthead need: the site, the
reader (member or not), canonical URL, feed autodiscovery and share metadata."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup

from newsdesk.publish.feeds import feed_links, feed_path
from newsdesk.web.app_state import app_settings
from newsdesk.web.readers import current_member, member_csrf, reader_of
from newsdesk.web.templating import templates

SITE_FEEDS = "site"


def absolute_url(request: Request, path: str) -> str:
    """`path` on the configured public site."""
    return app_settings(request).site_url.rstrip("/") + path


def json_ld(data: dict[str, Any]) -> Markup:
    """Structured data for a <script type="application/ld+json"> block ("<" escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page of the public site; the context may set `feeds`, `canonical`, `og`, `jsonld`."""
    settings = app_settings(request)
    feeds = context.pop("feeds", None)
    site_feeds = feed_links("site", "", settings.site_title)
    base = {
        "site_title": settings.site_title,
        "site_url": settings.site_url.rstrip("/"),
        "member": current_member(request),
        "reader": reader_of(request),
        "member_csrf": member_csrf(request),
        "support_text": settings.support_text,
        "support_url": settings.support_url,
        "members_tier": settings.members_tier,
        "alternate_feeds": (feeds or []) + site_feeds,
        "canonical": absolute_url(request, request.url.path),
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _scope_feed_path(scope: str, key: str, fmt: str) -> str:
    return feed_path(scope, str(key), fmt)


templates.env.globals["feed_path"] = _scope_feed_path
