"""Page metadata for the public pages: feeds to autodiscover, Open Graph / Twitter cards,
schema.org NewsArticle JSON-LD, reading time, timestamps, share links and follow buttons."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.publish.feeds import feed_links
from newsdesk.publish.gate import GatedAnalysis
from newsdesk.publish.items import first_published_at
from newsdesk.store import Analysis, Follow, Story
from newsdesk.text.language import detect_language
from newsdesk.web.app_state import app_settings
from newsdesk.web.readers import current_member
from newsdesk.web.site.render import absolute_url, json_ld
from newsdesk.web.templating import templates


@lru_cache(maxsize=4096)
def text_language(text: str) -> str | None:
    """The language of a short text (a headline) when it is confidently not English."""
    if len(text.strip()) < 12:
        return None
    lang, confidence = detect_language(text, min_chars=12)
    if lang is None or lang == "en" or confidence < 0.6:
        return None
    return lang


def lang_attr(text: str | None, known: str | None = None) -> Markup:
    """` lang="xx"` for text in a language other than the page's (empty for English)."""
    lang = (
        known if known and known != "en" else (None if known == "en" else text_language(text or ""))
    )
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


templates.env.filters["lang_attr"] = lang_attr


def followed_by(request: Request, session: Session) -> set[tuple[str, str]]:
    """(kind, key) of everything the signed-in member follows (empty for visitors)."""
    member = current_member(request)
    if member is None:
        return set()
    rows = session.execute(select(Follow.kind, Follow.key).where(Follow.member_id == member.id))
    return {(str(k), str(v)) for k, v in rows}


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share links (no third-party script): (label, href)."""
    return [
        ("E-mail", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"})),
        ("Mastodon", "https://mastodonshare.com/?" + urlencode({"text": title, "url": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
    ]


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def analysis_extras(
    request: Request,
    session: Session,
    a: Analysis,
    story: Story | None,
    gated: GatedAnalysis,
    retracted: bool,
) -> dict[str, Any]:
    """What the analysis page adds to its context besides the text and sources."""
    settings = app_settings(request)
    canonical = absolute_url(request, f"/analyses/{a.id}")
    first = first_published_at(session, a) or a.published_at
    updated = a.updated_at if a.updated_at and (not first or a.updated_at > first) else None
    image = absolute_url(request, f"/stories/{a.story_id}/chart.png") if story else None
    persona_url = absolute_url(request, f"/personas/{a.persona_id}")
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline[:110],
        "description": a.dek,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "datePublished": _iso(first),
        "dateModified": _iso(a.updated_at or a.published_at),
        "author": [{"@type": "Person", "name": a.byline, "url": persona_url}],
        "publisher": {
            "@type": "Organization",
            "name": settings.site_title,
            "url": settings.site_url.rstrip("/") + "/",
        },
        "inLanguage": "en",
        "wordCount": gated.words_total,
        "keywords": list(a.tags or []),
        "isAccessibleForFree": not gated.is_partial,
    }
    if image:
        article["image"] = [image]
    if gated.is_partial:
        # how search engines are told a part is for members (and not cloaking)
        article["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".members-only",
        }
    if retracted:
        article.pop("wordCount")
    followed = followed_by(request, session)
    feeds = feed_links("story", str(a.story_id), "This story's updates") + feed_links(
        "persona", a.persona_id, a.byline
    )
    return {
        "gated": gated,
        "reading_minutes": gated.reading_minutes,
        "first_published": first,
        "updated": updated,
        "share": share_links(canonical, a.headline),
        "following_story": ("story", str(a.story_id)) in followed,
        "following_persona": ("persona", a.persona_id) in followed,
        "feeds": feeds,
        "canonical": canonical,
        "og": {
            "type": "article",
            "title": a.headline,
            "description": a.dek,
            "image": image,
            "image_alt": "Who is in this story: the people, organisations and places its "
            "coverage names most.",
        },
        "jsonld": json_ld(article),
    }


def listing_extras(
    request: Request, session: Session, scope: str, key: str, label: str
) -> dict[str, Any]:
    """Feeds and follow state of a story, persona or tag page."""
    followed = followed_by(request, session)
    extras: dict[str, Any] = {
        "feeds": feed_links(scope, key, label),
        "following": (scope, key) in followed,
        "follow_kind": scope,
        "follow_key": key,
        "og": {"title": label},
    }
    if scope == "story":
        extras["og"]["image"] = absolute_url(request, f"/stories/{key}/chart.png")
        extras["og"]["type"] = "article"
    return extras
