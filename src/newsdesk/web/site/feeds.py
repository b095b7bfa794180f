"""Feeds on the site: RSS, Atom and JSON Feed for the site, personas, tags and stories, with
ETag / Last-Modified and 304 answers; the /feeds page lists them all."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from newsdesk.personas import load_personas
from newsdesk.publish.feeds import (
    FORMATS,
    SCOPE_SEGMENTS,
    FeedNotFound,
    build_feed,
    etag_of,
    render_feed,
)
from newsdesk.store.queries import published_tag_counts
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.site import published as pub
from newsdesk.web.site.render import render_page

router = APIRouter()

SCOPES = {segment: scope for scope, segment in SCOPE_SEGMENTS.items()}
FILES = {name: fmt for fmt, (name, _) in FORMATS.items()}
# feed readers poll; a few minutes of freshness spares us and them
FEED_MAX_AGE = 300


def _not_modified(request: Request, etag: str, updated: dt.datetime) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags or "*" in tags
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        return updated.replace(microsecond=0) <= since
    return False


def serve_feed(request: Request, scope: str, key: str, fmt: str) -> Response:
    """One feed with validators; 304 when the reader's copy is current."""
    settings = app_settings(request)
    with app_store(request).reader() as s:
        try:
            feed = build_feed(s, settings, scope, key)
        except FeedNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        body = render_feed(feed, settings, fmt)
    etag = etag_of(body)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(feed.updated.astimezone(dt.UTC), usegmt=True),
        "Cache-Control": f"public, max-age={FEED_MAX_AGE}",
    }
    if _not_modified(request, etag, feed.updated):
        return Response(status_code=304, headers=headers)
    media = FORMATS[fmt][1] + "; charset=utf-8"
    return Response(body, media_type=media, headers=headers)


@router.get("/feed.xml", include_in_schema=False)
def site_rss(request: Request) -> Response:
    """The whole site as RSS 2.0."""
    return serve_feed(request, "site", "", "rss")


@router.get("/atom.xml", include_in_schema=False)
def site_atom(request: Request) -> Response:
    """The whole site as Atom 1.0."""
    return serve_feed(request, "site", "", "atom")


@router.get("/feed.json", include_in_schema=False)
def site_json(request: Request) -> Response:
    """The whole site as JSON Feed 1.1."""
    return serve_feed(request, "site", "", "json")


@router.get("/feed", include_in_schema=False)
@router.get("/rss", include_in_schema=False)
def feed_alias() -> Response:
    """The usual guesses lead to the RSS feed."""
    return RedirectResponse("/feed.xml", status_code=301)


@router.get("/feeds/{scope}/{rest:path}", include_in_schema=False)
def scoped_feed(request: Request, scope: str, rest: str) -> Response:
    """/feeds/personas/<id>/atom.xml, /feeds/tags/<tag>/feed.json, /feeds/stories/<id>/feed.xml"""
    key, _, name = rest.rpartition("/")
    if scope not in SCOPES or name not in FILES or not key:
        raise HTTPException(404, "No such feed: see /feeds for the list.")
    return serve_feed(request, SCOPES[scope], key, FILES[name])


@router.get("/feeds", include_in_schema=False)
def feeds_page(request: Request) -> Response:
    """Every feed: the site's, each persona's, each tag's and each story's."""
    settings = app_settings(request)
    personas = load_personas(settings.personas_file)
    with app_store(request).reader() as s:
        tags = published_tag_counts(s)
        analyses = pub.latest_analyses(s, limit=None)
        stories = pub.stories_of(s, {a.story_id for a in analyses})
    story_list = sorted(stories.values(), key=lambda st: st.last_seen, reverse=True)
    return render_page(
        request,
        "feeds.html",
        {"personas": personas, "tags": tags, "stories": story_list},
    )
