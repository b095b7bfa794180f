"""The monitor → read pipeline end to end against a real local server and real databases."""

from __future__ import annotations

import datetime as dt
import gzip
from http.server import BaseHTTPRequestHandler

from sqlalchemy import select, update

from newsdesk.monitor.sources import add_source
from newsdesk.pipeline import run_cycle
from newsdesk.settings import Settings
from newsdesk.store import Article, FetchLog, Passage, Source, Store
from tests.feedkit import (
    OTHER_STORIES,
    SYNDICATED_COPY,
    WIRE_STORY,
    page_html,
    paragraphs_html,
    rfc822,
    rss,
)
from tests.localserver import LocalServer

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""


def conditional(body: bytes, etag: str, content_type: str = "application/rss+xml"):
    def fn(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("ETag", etag)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return fn


def redirect_to(location: str):
    def fn(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return fn


def build_site(server: LocalServer) -> dict[str, str]:
    """Two good feeds and a row of hostile sources; returns their URLs by name."""
    wire_items = [
        {
            "title": "Fire closes Lormont container terminal for a third day",
            "link": server.url("/wire/lormont-fire"),
            "pubDate": rfc822(T0),
            "content": paragraphs_html(WIRE_STORY),
        }
    ]
    for i, (title, text, _lang) in enumerate(OTHER_STORIES):
        wire_items.append(
            {
                "title": title,
                "link": server.url(f"/wire/other-{i}"),
                "pubDate": rfc822(T0 + dt.timedelta(hours=i + 1)),
                "content": paragraphs_html(text),
            }
        )
    server.route("/wire/feed.xml", conditional(rss(wire_items), '"wire-v1"'))
    daily_items = [
        {
            "title": "Lormont terminal stays shut after fire",
            "link": server.url("/daily/lormont.html?utm_source=rss&utm_medium=feed"),
            "pubDate": rfc822(T0 + dt.timedelta(hours=3)),
            "description": "The terminal stays closed.",
        }
    ]
    server.route("/daily/feed.xml", conditional(rss(daily_items, title="Daily"), '"daily-v1"'))
    server.static(
        "/daily/lormont.html",
        page_html(
            "Lormont terminal stays shut after fire",
            SYNDICATED_COPY,
            canonical=server.url("/daily/lormont.html"),
        ),
    )
    server.static(
        "/bad/malformed.xml", b"<rss><channel><item><title>x</title></chan", "application/xml"
    )
    server.static("/bad/bomb.xml", BOMB, "application/xml")
    server.route("/bad/metadata.xml", redirect_to("http://169.254.169.254/latest/meta-data/"))
    server.static("/bad/gone.xml", b"gone", status=410)
    server.static("/bad/busy.xml", b"slow down", status=429, headers={"Retry-After": "7200"})
    server.static("/bad/broken.xml", b"oops", status=500)
    server.static("/bad/empty.xml", b"", "application/rss+xml")
    names = ["malformed", "bomb", "metadata", "gone", "busy", "broken", "empty"]
    urls = {"wire": server.url("/wire/feed.xml"), "daily": server.url("/daily/feed.xml")}
    urls.update({n: server.url(f"/bad/{n}.xml") for n in names})
    return urls


def register(store: Store, urls: dict[str, str]) -> None:
    with store.session() as s:
        for name, url in urls.items():
            add_source(s, url, outlet=name.title(), allow_private=True)


def test_pipeline_reads_feeds_links_copies_and_records_bad_sources(
    store: Store, settings: Settings, server: LocalServer
) -> None:
    urls = build_site(server)
    register(store, urls)

    report = run_cycle(store, settings, now=T0 + dt.timedelta(hours=6))

    assert report.poll.polled == len(urls)
    assert report.read.articles == 5
    assert len(report.poll.errors) == 7
    with store.reader() as s:
        arts = {a.title: a for a in s.scalars(select(Article))}
        assert len(arts) == 5
        langs = sorted(a.language or "?" for a in arts.values())
        assert langs == ["de", "en", "en", "fr", "ru"]
        wire = arts["Fire closes Lormont container terminal for a third day"]
        copy = arts["Lormont terminal stays shut after fire"]
        # the syndicated copy links to the wire original and keeps its own outlet
        assert copy.duplicate_of_id == wire.id
        assert copy.duplicate_kind == "near"
        assert copy.outlet == "Daily" and wire.outlet == "Wire"
        # canonical URL without tracking parameters; the raw page kept as a snapshot
        assert copy.canonical_url == server.url("/daily/lormont.html")
        assert copy.snapshot is not None
        assert b"Saint-Ivre" in gzip.decompress(copy.snapshot.data)
        assert "Subscribe" not in copy.text and "Saint-Ivre" in copy.text
        # passages: stable ids, spans into the text
        ps = list(s.scalars(select(Passage).where(Passage.article_id == wire.id)))
        assert len(ps) >= 5
        for p in ps:
            assert p.id == f"{wire.id}:{p.position}"
            assert wire.text[p.char_start : p.char_end].strip() == p.text
        # every bad source has a readable reason and an error count; nothing was suspended yet
        bad = {src.url: src for src in s.scalars(select(Source).where(Source.error_count > 0))}
        assert set(bad) == {urls[n] for n in urls if n not in ("wire", "daily")}
        reasons = {n: bad[urls[n]].last_error or "" for n in urls if n not in ("wire", "daily")}
        assert "169.254.169.254" in reasons["metadata"]
        assert "410" in reasons["gone"] and "429" in reasons["busy"] and "500" in reasons["broken"]
        assert "empty" in reasons["empty"].lower()
        assert "entit" in reasons["bomb"].lower() or "unsafe" in reasons["bomb"].lower()
        assert all(reasons.values())
        busy = bad[urls["busy"]]
        assert busy.next_check_at is not None
        assert busy.next_check_at >= T0 + dt.timedelta(hours=6, seconds=7200)
        blocked = s.scalars(select(FetchLog).where(FetchLog.url == urls["metadata"])).one()
        assert blocked.outcome == "blocked"

    # second poll: the good feeds answer 304, nothing is stored twice
    later = T0 + dt.timedelta(hours=12)
    with store.session() as s:
        s.execute(update(Source).values(next_check_at=None))
    again = run_cycle(store, settings, now=later)
    assert again.poll.not_modified == 2
    assert again.read.articles == 0
    with store.reader() as s:
        assert len(list(s.scalars(select(Article)))) == 5
