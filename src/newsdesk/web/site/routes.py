"""Routes of the public site: front page, analyses with their sources, stories, tags, search."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.personas import Persona, load_personas
from newsdesk.publish.gate import gate_analysis
from newsdesk.store import Analysis, AnalysisStatus, Entity, Story
from newsdesk.store.queries import (
    newest_published_analyses,
    published_counts_by_persona,
    published_tag_counts,
    story_articles,
)
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.readers import reader_of
from newsdesk.web.sanitize import safe_url, source_link
from newsdesk.web.site import published as pub
from newsdesk.web.site.meta import analysis_extras, listing_extras
from newsdesk.web.site.render import render_page
from newsdesk.web.site.search import search
from newsdesk.web.templating import templates

log = logging.getLogger(__name__)

router = APIRouter()

# the archived page is shown as inert text: a sandbox with nothing allowed, in case a browser
# ever renders it as something other than text/plain
SNAPSHOT_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
MAX_QUERY_CHARS = 200


def tag_url(tag: str) -> str:
    """The site path of a tag page."""
    return "/tags/" + quote(tag, safe="")


def format_iso(value: str | None) -> str:
    """An ISO timestamp kept in JSON (corrections) as readers see it."""
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%d %b %Y, %H:%M UTC")


templates.env.filters["tag_url"] = tag_url
templates.env.filters["iso"] = format_iso
templates.env.filters["source_link"] = source_link
templates.env.filters["safe_url"] = safe_url


def _personas(request: Request) -> dict[str, Persona]:
    """The configured personas by id, read once per app."""
    cached = getattr(request.app.state, "public_personas", None)
    if cached is None:
        cached = {p.id: p for p in load_personas(app_settings(request).personas_file)}
        request.app.state.public_personas = cached
    return dict(cached)


def _render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    return render_page(request, name, context, status_code)


def _parse_id(raw: str, message: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise HTTPException(404, message)
    return int(raw)


def _chart(name: str, session: Session, story_id: int) -> Markup | None:
    """An SVG chart from newsdesk.web.site.charts, or None when that module or chart is missing."""
    try:
        charts = importlib.import_module("newsdesk.web.site.charts")
    except ImportError:
        return None
    draw = getattr(charts, name, None)
    if draw is None:
        return None
    try:
        # the chart module escapes everything it draws: its SVG is the only markup trusted as is
        return Markup(draw(session, story_id))
    except Exception:
        # a broken chart must not take the page down with it
        log.exception("chart %s of story %s failed", name, story_id)
        return None


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    """The front page: newest analyses by persona, top and breaking stories."""
    personas = _personas(request)
    with app_store(request).reader() as s:
        latest = pub.latest_analyses(s, limit=60)
        groups: dict[str, list[Analysis]] = {}
        # the newest piece leads the page; the persona sections list the others
        for a in latest[1:]:
            if len(groups.setdefault(a.persona_id, [])) < 3:
                groups[a.persona_id].append(a)
        ordered = [pid for pid in personas if pid in groups]
        ordered += [pid for pid in groups if pid not in personas]
        top = pub.top_stories(s, 10)
        breaking = pub.breaking_stories(s, 5)
        stories = pub.stories_of(s, {a.story_id for a in latest})
        return _render(
            request,
            "home.html",
            {
                "lead": latest[0] if latest else None,
                "groups": [(pid, personas.get(pid), groups[pid]) for pid in ordered],
                "top_stories": top,
                "breaking": breaking,
                "stories": stories,
                "personas": personas,
            },
        )


@router.get("/analyses/{raw_id}", include_in_schema=False)
def analysis_page(request: Request, raw_id: str) -> Response:
    """One analysis: sections with citation markers, sources, how it was produced."""
    missing = f"No analysis {raw_id}: it may have been retracted or never published."
    analysis_id = _parse_id(raw_id, missing)
    personas = _personas(request)
    settings = app_settings(request)
    with app_store(request).reader() as s:
        a = pub.public_analysis(s, analysis_id)
        if a is None:
            raise HTTPException(404, missing)
        story = s.get(Story, a.story_id)
        retracted = a.status == AnalysisStatus.RETRACTED
        # what this reader may read: members-only sections and their sources stay behind
        gated = gate_analysis(a.sentences, settings, reader_of(request))
        citations = pub.resolve_citations(s, a, gated.visible if gated.sources_visible else [])
        primary_tag = a.tags[0] if a.tags else None
        more_in = (
            [
                x
                for x in pub.latest_analyses(s, tag=primary_tag, limit=6)
                if x.story_id != a.story_id
            ][:5]
            if primary_tag
            else []
        )
        more_from = pub.latest_analyses(
            s, persona_id=a.persona_id, exclude_story_id=a.story_id, limit=5
        )
        return _render(
            request,
            "analysis.html",
            {
                "a": a,
                "story": story,
                "retracted": retracted,
                "persona": personas.get(a.persona_id),
                "personas": personas,
                "perspective": personas.get(a.perspective_persona_id or ""),
                "sections": [] if retracted else pub.sections_of(a, gated.visible),
                "citations": citations,
                **analysis_extras(request, s, a, story, gated, retracted),
                "production": pub.production_of(s, a, story, citations),
                "newer": pub.newer_version(s, a),
                "primary_tag": primary_tag,
                "more_in": more_in,
                "more_from": more_from,
                "chart": None if retracted else _chart("entity_network_svg", s, a.story_id),
            },
        )


@router.get("/stories/{raw_id}", include_in_schema=False)
def story_page(request: Request, raw_id: str) -> Response:
    """A story: its coverage timeline, articles by date, entities and published analyses."""
    missing = f"No story {raw_id}: stories are numbered as they form; try search."
    story_id = _parse_id(raw_id, missing)
    with app_store(request).reader() as s:
        story = s.get(Story, story_id)
        if story is None:
            raise HTTPException(404, missing)
        if story.merged_into_id is not None:
            return RedirectResponse(f"/stories/{story.merged_into_id}", status_code=301)
        articles = story_articles(s, story.id)
        return _render(
            request,
            "story.html",
            {
                "story": story,
                "articles": articles,
                "entities": pub.story_entities(s, story.id),
                "analyses": pub.latest_analyses(s, story_id=story.id, limit=None),
                "personas": _personas(request),
                "chart": _chart("coverage_timeline_svg", s, story.id),
                **listing_extras(
                    request, s, "story", str(story.id), story.headline or f"Story {story.id}"
                ),
            },
        )


@router.get("/tags", include_in_schema=False)
def tags_page(request: Request) -> Response:
    """Every tag of a published analysis, with counts."""
    with app_store(request).reader() as s:
        return _render(request, "tags.html", {"tags": published_tag_counts(s)})


@router.get("/tags/{tag:path}", include_in_schema=False)
def tag_page(request: Request, tag: str) -> Response:
    """Published analyses carrying one tag."""
    with app_store(request).reader() as s:
        analyses = pub.latest_analyses(s, tag=tag, limit=None)
        if not analyses:
            raise HTTPException(404, f"No published analysis is tagged {tag!r}.")
        return _render(
            request,
            "tag.html",
            {
                "tag": tag,
                "analyses": analyses,
                "stories": pub.stories_of(s, {a.story_id for a in analyses}),
                "personas": _personas(request),
                **listing_extras(request, s, "tag", tag, f"Tagged {tag}"),
            },
        )


@router.get("/personas", include_in_schema=False)
def personas_page(request: Request) -> Response:
    """The analysts (invented personas) and their beats."""
    personas = _personas(request)
    with app_store(request).reader() as s:
        counts = published_counts_by_persona(s)
    return _render(
        request, "personas.html", {"personas": list(personas.values()), "counts": counts}
    )


@router.get("/personas/{persona_id}", include_in_schema=False)
def persona_page(request: Request, persona_id: str) -> Response:
    """One persona: bio, beat, lens and latest pieces."""
    persona = _personas(request).get(persona_id)
    if persona is None:
        raise HTTPException(404, f"No persona {persona_id!r}: see the list of personas.")
    with app_store(request).reader() as s:
        analyses = pub.latest_analyses(s, persona_id=persona.id, limit=20)
        return _render(
            request,
            "persona.html",
            {
                "persona": persona,
                "analyses": analyses,
                "stories": pub.stories_of(s, {a.story_id for a in analyses}),
                **listing_extras(request, s, "persona", persona.id, persona.byline),
            },
        )


@router.get("/entities/{raw_id}", include_in_schema=False)
def entity_page(request: Request, raw_id: str) -> Response:
    """An entity: name, type, aliases and the stories that mention it."""
    missing = f"No entity {raw_id}: it may have been merged into another; try search."
    entity_id = _parse_id(raw_id, missing)
    with app_store(request).reader() as s:
        entity = s.get(Entity, entity_id)
        if entity is None:
            raise HTTPException(404, missing)
        if entity.merged_into_id is not None:
            return RedirectResponse(f"/entities/{entity.merged_into_id}", status_code=301)
        aliases = sorted({al.alias for al in entity.aliases if al.alias != entity.name})
        return _render(
            request,
            "entity.html",
            {"entity": entity, "aliases": aliases, "stories": pub.entity_stories(s, entity.id)},
        )


@router.get("/search", include_in_schema=False)
def search_page(request: Request, q: str = "") -> Response:
    """Full-text search over published analyses and story coverage."""
    q = q.strip()[:MAX_QUERY_CHARS]
    hits = []
    if q:
        # search may (re)index what changed since the last search, so it needs a write session
        with app_store(request).session() as s:
            hits = search(s, q, limit=30, settings=app_settings(request))
    return _render(request, "search.html", {"q": q, "hits": hits})


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(request: Request) -> Response:
    """Every public page's absolute URL, for search engines."""
    base = app_settings(request).site_url.rstrip("/")
    entries: list[tuple[str, dt.datetime | None]] = [
        ("/", None),
        ("/personas", None),
        ("/tags", None),
        # the trust pages and ways to follow (issue 14)
        ("/about", None),
        ("/sources", None),
        ("/corrections", None),
        ("/feeds", None),
        ("/members", None),
    ]
    with app_store(request).reader() as s:
        for a in s.scalars(newest_published_analyses()):
            entries.append((f"/analyses/{a.id}", a.updated_at))
        for sid, last_seen in s.execute(
            select(Story.id, Story.last_seen)
            .where(Story.merged_into_id.is_(None), Story.article_count > 0)
            .order_by(Story.id)
        ):
            entries.append((f"/stories/{sid}", last_seen))
        tags = [t for t, _ in published_tag_counts(s)]
    entries += [(f"/personas/{pid}", None) for pid in _personas(request)]
    entries += [(tag_url(t), None) for t in tags]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for path, modified in entries:
        loc = f"<loc>{xml_escape(base + path)}</loc>"
        mod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        lines.append(f"<url>{loc}{mod}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", media_type="application/xml")


@router.get("/snapshots/{raw_id}", include_in_schema=False)
def snapshot_page(request: Request, raw_id: str) -> Response:
    """An archived source page, as plain text: never served as a live page from our origin."""
    missing = f"No archived page {raw_id}: only pages an article was read from are kept."
    snapshot_id = _parse_id(raw_id, missing)
    with app_store(request).reader() as s:
        snap = pub.public_snapshot(s, snapshot_id)
        if snap is None:
            raise HTTPException(404, missing)
        preamble = (
            f"Archived copy of {snap.url}\n"
            f"Fetched {snap.fetched_at:%Y-%m-%d %H:%M} UTC by {app_settings(request).site_title}; "
            f"{snap.size} bytes, sha256 {snap.sha256}.\n"
            "Shown as plain text: the raw page as it was read, not rendered.\n" + "-" * 72 + "\n\n"
        )
        body = preamble + pub.snapshot_text(snap)
    return Response(
        body.encode("utf-8"),
        media_type="text/plain; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="snapshot-{snapshot_id}.txt"',
            "Content-Security-Policy": SNAPSHOT_CSP,
            "X-Robots-Tag": "noindex",
        },
    )
