"""Render an outlet's demo feed as RSS 2.0, Atom 1.0, RSS 1.0 (RDF) or JSON Feed 1.1."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from newsdesk.demo.corpus import DemoArticle, DemoOutlet

MAX_ITEMS = 50
# Outlets whose feed links carry tracking parameters, so URL canonicalisation matters.
TRACKING_OUTLETS = frozenset(
    {"capital-ledger", "dongfang-guancha", "gazeta-atlantico", "sahel-monitor"}
)
TRACKING_QUERY = "?utm_source=rss&utm_medium=feed"
# The one RSS outlet that announces a channel-level <ttl> (minutes).
TTL_OUTLETS = {"meridian-wire": 30}
CONTENT_TYPES = {
    "rss2": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rss1": "application/rdf+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|(?<=[।؟])\s*")


def summarize_text(text: str) -> str:
    """Return the first one or two sentences of the first paragraph."""
    first = text.strip().split("\n\n", 1)[0].strip()
    sentences = [s.strip() for s in _SENTENCE_END.split(first) if s.strip()]
    if not sentences:
        return first
    summary = sentences[0]
    if len(summary) < 80 and len(sentences) > 1:
        sep = "" if re.search(r"[。！？]$", summary) else " "
        summary = summary + sep + sentences[1]
    return summary


def render_paragraphs_html(article: DemoArticle) -> str:
    """Return the article text as HTML paragraphs."""
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs)


def build_item_link(base_url: str, outlet: DemoOutlet, article: DemoArticle) -> str:
    """Return the link an outlet's feed gives for an article (maybe with tracking params)."""
    link = base_url + article.path
    return link + TRACKING_QUERY if outlet.id in TRACKING_OUTLETS else link


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc822(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def _tag_id(base_url: str, article: DemoArticle) -> str:
    host = base_url.split("://", 1)[-1].split(":", 1)[0]
    return f"tag:{host},2026:{article.outlet}/{article.id}"


def _channel_description(outlet: DemoOutlet) -> str:
    return f"Invented demo outlet for Newsdesk ({outlet.country}). Not real news."


def render_rss2(
    outlet: DemoOutlet, articles: list[DemoArticle], base_url: str, built: datetime
) -> str:
    """Render RSS 2.0 with dc:creator and content:encoded for full-text outlets."""
    home = f"{base_url}/{outlet.id}/"
    ttl = TTL_OUTLETS.get(outlet.id)
    items = []
    for a in articles:
        parts = [
            f"<title>{escape(a.title)}</title>",
            f"<link>{escape(build_item_link(base_url, outlet, a))}</link>",
            f'<guid isPermaLink="true">{escape(base_url + a.path)}</guid>',
            f"<pubDate>{_rfc822(a.published)}</pubDate>",
            f"<dc:creator>{escape(a.author)}</dc:creator>",
            f"<description>{escape(summarize_text(a.text))}</description>",
        ]
        if outlet.full_text:
            parts.append(
                f"<content:encoded><![CDATA[{render_paragraphs_html(a)}]]></content:encoded>"
            )
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        "<channel>"
        f"<title>{escape(outlet.name)}</title>"
        f"<link>{escape(home)}</link>"
        f"<description>{escape(_channel_description(outlet))}</description>"
        f"<language>{outlet.lang}</language>"
        f"<lastBuildDate>{_rfc822(built)}</lastBuildDate>"
        + (f"<ttl>{ttl}</ttl>" if ttl else "")
        + f'<atom:link href="{escape(base_url)}/{outlet.id}/feed" rel="self" '
        'type="application/rss+xml"/>' + "".join(items) + "</channel></rss>\n"
    )


def render_atom(
    outlet: DemoOutlet, articles: list[DemoArticle], base_url: str, built: datetime
) -> str:
    """Render Atom 1.0 with html content for full-text outlets, summary otherwise."""
    entries = []
    for a in articles:
        body = (
            f'<content type="html">{escape(render_paragraphs_html(a))}</content>'
            if outlet.full_text
            else f"<summary>{escape(summarize_text(a.text))}</summary>"
        )
        entries.append(
            "<entry>"
            f"<id>{escape(_tag_id(base_url, a))}</id>"
            f"<title>{escape(a.title)}</title>"
            f'<link rel="alternate" type="text/html" '
            f'href="{escape(build_item_link(base_url, outlet, a))}"/>'
            f"<author><name>{escape(a.author)}</name></author>"
            f"<published>{_iso(a.published)}</published>"
            f"<updated>{_iso(a.published)}</updated>" + body + "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">'
        f"<id>{escape(base_url)}/{outlet.id}/</id>"
        f"<title>{escape(outlet.name)}</title>"
        f"<subtitle>{escape(_channel_description(outlet))}</subtitle>"
        f"<updated>{_iso(built)}</updated>"
        f'<link rel="self" type="application/atom+xml" href="{escape(base_url)}/{outlet.id}/feed"/>'
        f'<link rel="alternate" type="text/html" href="{escape(base_url)}/{outlet.id}/"/>'
        + "".join(entries)
        + "</feed>\n"
    )


def render_rss1(
    outlet: DemoOutlet, articles: list[DemoArticle], base_url: str, built: datetime
) -> str:
    """Render RSS 1.0 (RDF) with dc:date, dc:creator and content:encoded."""
    home = f"{base_url}/{outlet.id}/"
    seq = "".join(f'<rdf:li rdf:resource="{escape(base_url + a.path)}"/>' for a in articles)
    items = []
    for a in articles:
        content = (
            f"<content:encoded><![CDATA[{render_paragraphs_html(a)}]]></content:encoded>"
            if outlet.full_text
            else ""
        )
        items.append(
            f'<item rdf:about="{escape(base_url + a.path)}">'
            f"<title>{escape(a.title)}</title>"
            f"<link>{escape(build_item_link(base_url, outlet, a))}</link>"
            f"<description>{escape(summarize_text(a.text))}</description>"
            f"<dc:creator>{escape(a.author)}</dc:creator>"
            f"<dc:date>{_iso(a.published)}</dc:date>"
            f"<dc:language>{outlet.lang}</dc:language>" + content + "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f'<channel rdf:about="{escape(base_url)}/{outlet.id}/feed">'
        f"<title>{escape(outlet.name)}</title>"
        f"<link>{escape(home)}</link>"
        f"<description>{escape(_channel_description(outlet))}</description>"
        f"<dc:language>{outlet.lang}</dc:language>"
        f"<dc:date>{_iso(built)}</dc:date>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items>"
        "</channel>" + "".join(items) + "</rdf:RDF>\n"
    )


def render_json_feed(
    outlet: DemoOutlet, articles: list[DemoArticle], base_url: str, built: datetime
) -> str:
    """Render JSON Feed 1.1 with content_html for full-text outlets, summary otherwise."""
    items = []
    for a in articles:
        item: dict[str, object] = {
            "id": base_url + a.path,
            "url": build_item_link(base_url, outlet, a),
            "title": a.title,
            "authors": [{"name": a.author}],
            "language": a.lang,
            "date_published": _iso(a.published),
            "date_modified": _iso(a.published),
            "summary": summarize_text(a.text),
        }
        if outlet.full_text:
            item["content_html"] = render_paragraphs_html(a)
        else:
            item["content_text"] = item["summary"]
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": f"{base_url}/{outlet.id}/",
        "feed_url": f"{base_url}/{outlet.id}/feed",
        "description": _channel_description(outlet),
        "language": outlet.lang,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


RENDERERS = {
    "rss2": render_rss2,
    "atom": render_atom,
    "rss1": render_rss1,
    "json": render_json_feed,
}


def render_feed(
    outlet: DemoOutlet, articles: list[DemoArticle], base_url: str, built: datetime
) -> tuple[str, str]:
    """Return (body, content type) of the outlet's feed over the newest MAX_ITEMS articles."""
    body = RENDERERS[outlet.format](outlet, articles[:MAX_ITEMS], base_url, built)
    return body, CONTENT_TYPES[outlet.format]
