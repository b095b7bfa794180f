"""The demo feed server: real HTTP on 127.0.0.1, feeds per format, clock gating, hostile sources."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta

import feedparser
import httpx
import pytest

from newsdesk.demo.corpus import DemoCorpus, load_corpus
from newsdesk.demo.pages import DEMO_BANNER
from newsdesk.demo.server import METADATA_URL, DemoFeedServer

FEEDPARSER_VERSIONS = {"rss2": "rss20", "atom": "atom10", "rss1": "rss10"}


@pytest.fixture(scope="module")
def corpus() -> DemoCorpus:
    return load_corpus()


@pytest.fixture
def demo(corpus: DemoCorpus) -> Iterator[DemoFeedServer]:
    srv = DemoFeedServer(corpus).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0, follow_redirects=False) as c:
        yield c


def _parse_entries(body: bytes, fmt: str) -> list[dict[str, str]]:
    """Return (id, link, title, author, published, has_content) per entry."""
    if fmt == "json":
        feed = json.loads(body)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        return [
            {
                "id": i["id"],
                "link": i["url"],
                "title": i["title"],
                "author": i["authors"][0]["name"],
                "published": i["date_published"],
                "updated": i["date_modified"],
                "content": i.get("content_html", ""),
            }
            for i in feed["items"]
        ]
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == FEEDPARSER_VERSIONS[fmt]
    return [
        {
            "id": e.id,
            "link": e.link,
            "title": e.title,
            "author": e.author,
            "published": e.get("published") or e.get("updated"),
            "updated": e.get("updated", ""),
            "content": e.content[0].value if "content" in e else "",
        }
        for e in parsed.entries
    ]


def test_every_outlet_feed_parses_as_its_format(
    demo: DemoFeedServer, client: httpx.Client, corpus: DemoCorpus
) -> None:
    assert corpus.articles, "the packaged corpus has no stories yet"
    for outlet in corpus.outlets:
        resp = client.get(demo.feed_url(outlet.id))
        assert resp.status_code == 200, outlet.id
        assert "max-age=" in resp.headers["cache-control"]
        assert resp.headers["etag"] and resp.headers["last-modified"]
        entries = _parse_entries(resp.content, outlet.format)
        expected = corpus.articles_of(outlet.id, until=demo.clock)[:50]
        assert [e["title"] for e in entries] == [a.title for a in expected], outlet.id
        for entry, art in zip(entries, expected, strict=True):
            assert entry["author"] == art.author and entry["id"] and entry["published"]
            assert art.path in entry["link"]
            if outlet.full_text:
                assert entry["content"].count("<p>") == len(art.paragraphs), art.id
            else:
                assert entry["content"] == "", f"{outlet.id} is summary-only"
            if outlet.format in ("atom", "json"):
                assert entry["updated"]


def test_feed_extras_tracking_links_and_ttl(
    demo: DemoFeedServer, client: httpx.Client, corpus: DemoCorpus
) -> None:
    ledger = client.get(demo.feed_url("capital-ledger")).json()
    if ledger["items"]:
        assert ledger["items"][0]["url"].endswith("?utm_source=rss&utm_medium=feed")
    wire = client.get(demo.feed_url("meridian-wire"))
    assert "<ttl>30</ttl>" in wire.text
    assert "utm_source" not in wire.text
    assert (
        client.get(demo.feed_url("harbour-times"))
        .headers["content-type"]
        .startswith("application/atom+xml")
    )


def test_clock_gates_feed_items(
    demo: DemoFeedServer, client: httpx.Client, corpus: DemoCorpus
) -> None:
    first = corpus.articles[0]
    outlet = corpus.outlet(first.outlet)
    demo.clock = first.published - timedelta(minutes=1)
    before = _parse_entries(client.get(demo.feed_url(outlet.id)).content, outlet.format)
    assert first.title not in [e["title"] for e in before]
    demo.advance(1 / 60)
    after = _parse_entries(client.get(demo.feed_url(outlet.id)).content, outlet.format)
    assert after[0]["title"] == first.title
    demo.clock = corpus.start
    for o in corpus.outlets:
        assert _parse_entries(client.get(demo.feed_url(o.id)).content, o.format) == []


def test_conditional_get_gives_304(
    demo: DemoFeedServer, client: httpx.Client, corpus: DemoCorpus
) -> None:
    url = demo.feed_url("meridian-wire")
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert demo.served(304) == 2 and demo.served(200) == 2
    # A new item changes the ETag.
    wire = corpus.articles_of("meridian-wire")
    if len(wire) >= 2:
        demo.clock = wire[0].published - timedelta(minutes=1)
        old = client.get(url).headers["etag"]
        demo.advance(1 / 60)
        assert client.get(url, headers={"If-None-Match": old}).status_code == 200


def test_article_page_404_before_release_and_realistic_after(
    demo: DemoFeedServer, client: httpx.Client, corpus: DemoCorpus
) -> None:
    art = corpus.articles[len(corpus.articles) // 2]
    url = demo.base_url + art.path
    demo.clock = art.published - timedelta(hours=1)
    assert client.get(url).status_code == 404
    demo.advance(1)
    resp = client.get(url + "?utm_source=rss&utm_medium=feed")
    assert resp.status_code == 200
    html = resp.text
    outlet = corpus.outlet(art.outlet)
    assert f'<html lang="{art.lang}"' in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert 'property="og:site_name"' in html and 'property="article:published_time"' in html
    assert DEMO_BANNER in html
    body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    assert DEMO_BANNER not in body and body.count("<p>") == len(art.paragraphs)
    for marker in ("<nav", "most-read", "newsletter", "cookie-banner", "<footer"):
        assert marker in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld is not None
    data = json.loads(ld.group(1))
    assert data["@type"] == "NewsArticle" and data["author"][0]["name"] == art.author
    assert data["publisher"]["name"] == outlet.name


def test_hostile_sources_and_robots(demo: DemoFeedServer, client: httpx.Client) -> None:
    base = demo.base_url
    malformed = client.get(base + "/hostile/malformed.xml")
    parsed = feedparser.parse(malformed.content)
    assert malformed.status_code == 200 and parsed.bozo and not parsed.entries
    assert client.get(base + "/hostile/gone.xml").status_code == 410
    redirect = client.get(base + "/hostile/metadata-redirect.xml")
    assert redirect.status_code == 302 and redirect.headers["location"] == METADATA_URL
    assert client.get(base + "/hostile/flaky.xml").status_code == 500
    empty = client.get(base + "/hostile/empty.xml")
    assert empty.status_code == 200 and empty.content == b""
    robots = client.get(base + "/robots.txt").text
    assert "Disallow: /private/" in robots
    assert client.get(base + "/nowhere/feed").status_code == 404
    assert demo.served(410) == 1 and demo.served(500) == 1 and demo.served(302) == 1


def test_source_specs_list_every_outlet_and_hostile_source(
    demo: DemoFeedServer, client: httpx.Client, corpus: DemoCorpus
) -> None:
    specs = demo.source_specs()
    feeds = [s for s in specs if "/hostile/" not in s["url"]]
    assert len(feeds) == len(corpus.outlets) == 14
    assert len(specs) - len(feeds) == 5
    assert all(s["kind"] == "feed" and s["allow_private"] is True for s in specs)
    samachar = next(s for s in feeds if s["language"] == "hi")
    assert samachar["country"] == "IN" and samachar["reliability_tier"] == 2
    assert client.get(samachar["url"]).status_code == 200
    opml = client.get(demo.base_url + "/demo.opml").text
    assert opml.count("<outline") == 14
