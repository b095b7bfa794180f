"""Feeds out, parsed as a reader's feed reader would: RSS 2.0 and Atom with feedparser (no
bozo), JSON Feed 1.1 with our own poller's parser; every spec-required element present;
validators and 304; autodiscovery on the pages; corrections and retractions carried."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from newsdesk.monitor.feeds import parse_feed
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.publish.audience_site import (
    PERSONA,
    SENTINEL_WORD,
    T0,
    TAG,
    AudienceSite,
    build_audience_site,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Iterator[tuple[TestClient, AudienceSite]]:
    built = build_audience_site(store)
    settings = Settings(data_dir=tmp_path / "data", dev_mode=True, members_only=["what_to_watch"])
    yield TestClient(create_app(settings, store)), built


def _feed_paths(built: AudienceSite) -> list[str]:
    paths = []
    for scope, key in [
        ("", ""),
        ("personas", PERSONA),
        ("tags", TAG.replace(":", "%3A")),
        ("stories", str(built.story_id)),
    ]:
        for name in ("feed.xml", "atom.xml", "feed.json"):
            paths.append(f"/{name}" if not scope else f"/feeds/{scope}/{key}/{name}")
    return paths


def _check_rss(body: bytes) -> None:
    root = etree.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    items = channel.findall("item")
    assert items
    for item in items:
        # an item needs a title or a description; ours have both, a guid and a date
        assert item.findtext("title") and item.findtext("description") is not None
        assert item.findtext("guid") and item.find("guid").get("isPermaLink") == "false"
        parsedate_to_datetime(item.findtext("pubDate"))


def _check_atom(body: bytes) -> None:
    root = etree.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for e in entries:
        for required in ("id", "title", "updated", "published"):
            assert e.findtext(f"{ATOM}{required}"), required
        dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated"))
        assert e.find(f"{ATOM}content").get("type") == "html"


def _check_json(body: bytes, url: str) -> None:
    doc = json.loads(body)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] and doc["items"] and doc["feed_url"].endswith(".json")
    for item in doc["items"]:
        assert item["id"] and (item.get("content_html") or item.get("content_text"))
        dt.datetime.fromisoformat(item["date_published"])
    parsed = parse_feed(body, url)  # our own poller reads it back
    assert parsed.kind == "json" and len(parsed.entries) == len(doc["items"])


@pytest.mark.postgres
def test_every_feed_parses_clean_and_has_the_required_elements(
    site: tuple[TestClient, AudienceSite],
) -> None:
    client, built = site
    checked = 0
    for path in _feed_paths(built):
        r = client.get(path)
        assert r.status_code == 200, path
        if path.endswith(".json"):
            assert r.headers["content-type"].startswith("application/feed+json")
            _check_json(r.content, "http://127.0.0.1:8000" + path)
        else:
            parsed = feedparser.parse(r.content)
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            assert parsed.entries, path
            (_check_rss if path.endswith("feed.xml") else _check_atom)(r.content)
        # members-only text never goes into a feed
        assert SENTINEL_WORD not in r.text, path
        checked += 1
    assert checked == 12


@pytest.mark.postgres
def test_entries_carry_dates_corrections_and_retractions(
    site: tuple[TestClient, AudienceSite],
) -> None:
    client, built = site
    atom = feedparser.parse(client.get("/atom.xml").content)
    by_title = {e.title: e for e in atom.entries}
    corrected = next(e for t, e in by_title.items() if t.startswith("Corrected:"))
    # one entry per series: published when version 1 came out, updated by the correction
    assert corrected.published.startswith((T0 + dt.timedelta(hours=1)).date().isoformat())
    assert dt.datetime.fromisoformat(corrected.published) == T0 + dt.timedelta(hours=1)
    assert dt.datetime.fromisoformat(corrected.updated) == T0 + dt.timedelta(hours=4)
    assert "invented correction" in corrected.content[0].value
    assert f"/analyses/{built.v2_id}" in corrected.link
    retracted = next(e for t, e in by_title.items() if t.startswith("Retracted:"))
    assert "misread its source" in retracted.content[0].value
    assert "stay hidden" not in retracted.content[0].value
    # the members-only part is replaced by a pointer to the site
    assert "Members read on" in corrected.content[0].value
    # a story's feed lists every version
    story = feedparser.parse(client.get(f"/feeds/stories/{built.story_id}/atom.xml").content)
    assert len(story.entries) == 3
    assert any(
        e.title.startswith("Update (version 2)") or "Corrected" in e.title for e in story.entries
    )


@pytest.mark.postgres
def test_feeds_answer_304_to_a_current_copy(site: tuple[TestClient, AudienceSite]) -> None:
    client, _ = site
    first = client.get("/feed.xml")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"].startswith("public")
    again = client.get("/feed.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    by_date = client.get("/feed.xml", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    stale = client.get("/feed.xml", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content
    older = client.get("/feed.xml", headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert older.status_code == 200
    assert client.get("/feed", follow_redirects=False).headers["location"] == "/feed.xml"
    assert client.get("/rss", follow_redirects=False).status_code == 301
    assert client.get("/feeds/personas/nobody/atom.xml").status_code == 404
    assert client.get("/feeds/stories/999/feed.xml").status_code == 404
    assert client.get("/feeds/tags/x/other.xml").status_code == 404


@pytest.mark.postgres
def test_pages_announce_their_feeds(site: tuple[TestClient, AudienceSite]) -> None:
    client, built = site

    def alternates(path: str) -> list[str]:
        html = client.get(path).text
        return re.findall(
            r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"', html
        )

    home = alternates("/")
    assert ("application/rss+xml", "/feed.xml") in home
    assert ("application/atom+xml", "/atom.xml") in home
    assert ("application/feed+json", "/feed.json") in home
    assert ("application/atom+xml", f"/feeds/personas/{PERSONA}/atom.xml") in alternates(
        f"/personas/{PERSONA}"
    )
    assert ("application/rss+xml", "/feeds/tags/place%3AVL/feed.xml") in alternates(
        "/tags/place%3AVL"
    )
    story_feeds = alternates(f"/stories/{built.story_id}")
    assert ("application/atom+xml", f"/feeds/stories/{built.story_id}/atom.xml") in story_feeds
    analysis = alternates(f"/analyses/{built.v2_id}")
    assert ("application/atom+xml", f"/feeds/stories/{built.story_id}/atom.xml") in analysis
    # every feed the /feeds page lists answers
    listed = re.findall(
        r'href="(/feeds/[^"]+|/feed\.xml|/atom\.xml|/feed\.json)"', client.get("/feeds").text
    )
    assert len(listed) >= 12
    for path in set(listed):
        assert client.get(path).status_code == 200, path
