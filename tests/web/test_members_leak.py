"""Members-only text never leaves the server for a visitor.

A sentinel sentence sits in the members-only part of an analysis. As a visitor, the test
crawls every public route (each route template of the app is visited), every API endpoint
in the OpenAPI document, every feed, search queries for the sentinel's words, the sitemap,
the newsletter and the static export: the sentinel appears nowhere. A signed-in member does
read it (so the test would notice if the sentinel were simply missing), and the page cache
never hands a member's page to a visitor. The export is then served by a plain static HTTP
server and crawled: no internal link is broken.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
import warnings
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx
import pytest
from starlette.routing import Match

from newsdesk.accounts.members import create_member, issue_signin_token
from newsdesk.publish.export import Fetched, export_site
from newsdesk.publish.newsletter.send import preview_issue
from newsdesk.settings import Settings
from newsdesk.store import Snapshot, Store, Tier
from newsdesk.web import create_app
from tests.publish.audience_site import (
    PERSONA,
    SENTINEL,
    SENTINEL_WORD,
    AudienceSite,
    build_audience_site,
)
from tests.webserver import free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "http://testserver"
LINK = re.compile(r"""\s(?:href|src|action|content)=(["'])(.*?)\1""", re.S)
# only a live server with a session answers these; the crawl sees their public entry pages
PRIVATE = ("/desk", "/api/docs", "/hooks")


def _gates() -> list[dict[str, object]]:
    return [
        {"members_only": ["what_to_watch"]},
        {"members_after_words": 12, "sources_visibility": "members"},
    ]


@pytest.fixture(params=_gates(), ids=["members-only-section", "continuation-and-sources"])
def leak_site(
    request: pytest.FixtureRequest, store: Store, tmp_path: Path
) -> Iterator[tuple[TestClient, Settings, AudienceSite, Store]]:
    built = build_audience_site(store)
    settings = Settings(
        data_dir=tmp_path / "data",
        dev_mode=True,
        site_url=BASE,
        page_cache_seconds=60.0,
        support_url="https://support.example/give",
        **request.param,  # type: ignore[arg-type]
    )
    app = create_app(settings, store)
    yield TestClient(app), settings, built, store


def _all_routes(app: object) -> list[Any]:
    """Every route of the app, routers included (FastAPI may wrap included routers)."""
    out: list[Any] = []
    for r in app.routes:  # type: ignore[attr-defined]
        candidates = getattr(r, "effective_candidates", None)
        out.extend(candidates() if callable(candidates) else [r])
    return out


def _links(body: str, page: str) -> list[str]:
    out = []
    for _, raw in LINK.findall(body):
        url = urljoin(page, html.unescape(raw))
        if url.startswith(BASE + "/"):
            out.append(url[len(BASE) :].split("#")[0])
    return out


def _seed_paths(client: TestClient, built: AudienceSite, store: Store) -> list[str]:
    with store.reader() as s:
        snapshots = [
            f"/snapshots/{sid}"
            for sid in s.scalars(Snapshot.__table__.select().with_only_columns(Snapshot.id))
        ]
    paths = [
        "/",
        "/robots.txt",
        "/sitemap.xml",
        "/api/openapi.json",
        "/feed",
        "/rss",
        "/signup",
        "/account",
        "/entities/1",
        "/feeds",
        f"/analyses/{built.v1_id}",
        f"/analyses/{built.v2_id}",
        f"/analyses/{built.retracted_id}",
        f"/stories/{built.story_id}/chart.png",
        "/search?q=" + SENTINEL_WORD,
        "/search?q=sluice+equinox",
        "/search?q=Quillon",
        "/newsletter/unsubscribe/unknown-key",
        "/signin/verify?token=x",
        "/newsletter/confirm?token=x",
        "/newsletter/manage/unknown-key",
        "/account/export.json",
        *snapshots,
    ]
    spec = client.get("/api/openapi.json").json()
    values = {
        "story_id": str(built.story_id),
        "analysis_id": str(built.v2_id),
        "persona_id": PERSONA,
        "entity_id": "1",
    }
    for path, ops in spec["paths"].items():
        if "get" not in ops:
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)
        paths.append(filled)
        if "analysis_id" in path:
            paths += [
                path.replace("{analysis_id}", str(i)) for i in (built.v1_id, built.retracted_id)
            ]
    return paths


def crawl_as_visitor(client: TestClient, seeds: list[str]) -> dict[str, httpx.Response]:
    """Every page reachable from the seeds by a visitor (no cookie kept)."""
    seen: dict[str, httpx.Response] = {}
    queue = deque(seeds)
    while queue:
        path = queue.popleft()
        if path in seen or path.startswith(PRIVATE) or len(seen) > 3000:
            continue
        client.cookies.clear()
        r = client.get(path, follow_redirects=False)
        seen[path] = r
        ctype = r.headers.get("content-type", "")
        if r.status_code in (301, 302, 303, 307, 308):
            queue.append(urlsplit(r.headers["location"]).path)
        if ctype.startswith(
            ("text/html", "application/rss", "application/atom", "application/xml")
        ):
            queue.extend(p for p in _links(r.text, BASE + path) if p not in seen)
    return seen


@pytest.mark.postgres
def test_the_sentinel_leaks_nowhere(
    leak_site: tuple[TestClient, Settings, AudienceSite, Store], tmp_path: Path
) -> None:
    client, settings, built, store = leak_site
    pages = crawl_as_visitor(client, _seed_paths(client, built, store))
    leaks = [
        p
        for p, r in pages.items()
        if SENTINEL.encode() in r.content or b"brackets the Zephyrine" in r.content
    ]
    assert leaks == []
    # the crawl covered every public GET route of the app
    routes = [
        r
        for r in _all_routes(client.app)
        if "GET" in (getattr(r, "methods", None) or set()) and not r.path.startswith(PRIVATE)
    ]
    templates = {r.path for r in routes}
    hit = set()
    for path in pages:
        scope = {"type": "http", "path": unquote(urlsplit(path).path), "method": "GET"}
        for route in routes:
            if route.matches(scope)[0] == Match.FULL:
                hit.add(route.path)
                break
    assert templates - hit == set()
    # search finds nothing for the members-only words, and no snippet shows them
    found = pages["/search?q=" + SENTINEL_WORD].text
    assert 'class="hit"' not in found
    assert SENTINEL_WORD not in pages["/search?q=sluice+equinox"].text
    # the analysis says that members read on, and where
    page = pages[f"/analyses/{built.v2_id}"].text
    assert 'id="members-only"' in page and "Members read on" in page
    api = client.get(f"/api/v1/analyses/{built.v2_id}").json()
    assert api["members_only_sentences"] >= 1
    # the newsletter carries headlines and deks, never the body
    with store.reader() as s:
        briefing, _ = preview_issue(s, settings)
    assert SENTINEL_WORD not in briefing.html + briefing.text
    print(f"\n{len(pages)} visitor answers crawled ({len(templates)} routes), 0 leaks")


@pytest.mark.postgres
def test_a_member_reads_it_and_their_page_is_never_cached_for_a_visitor(
    leak_site: tuple[TestClient, Settings, AudienceSite, Store],
) -> None:
    client, settings, built, store = leak_site
    app = client.app
    with store.session() as s:
        create_member(s, "member@example.org", tier=Tier.FREE)
        token = issue_signin_token(s, settings, app.state.secret_key, "member@example.org")  # type: ignore[attr-defined]
    member = TestClient(app)
    r = member.post("/signin/verify", data={"token": token}, follow_redirects=False)
    assert r.status_code == 303 and "nd_member" in r.headers["set-cookie"]
    page = member.get(f"/analyses/{built.v2_id}")
    assert SENTINEL in page.text
    assert page.headers["cache-control"] == "private, no-store"
    assert "Cookie" in page.headers["vary"]
    # straight after, a visitor asks for the same page (the cache holds pages for 60 s)
    visitor = TestClient(app)
    for _ in range(2):
        seen = visitor.get(f"/analyses/{built.v2_id}")
        assert SENTINEL not in seen.text and "Members read on" in seen.text
    assert SENTINEL in member.get(f"/analyses/{built.v2_id}").text
    # the API answers visitors and members alike with the public part; a desk token sees it
    assert SENTINEL not in member.get(f"/api/v1/analyses/{built.v2_id}").text


@pytest.mark.postgres
def test_the_static_export_leaks_nothing_and_has_no_broken_link(
    leak_site: tuple[TestClient, Settings, AudienceSite, Store], tmp_path: Path
) -> None:
    client, settings, _, _ = leak_site
    out = tmp_path / "public"

    def fetch(path: str) -> Fetched:
        client.cookies.clear()
        r = client.get(path, follow_redirects=False)
        return Fetched(r.status_code, r.headers.get("content-type", ""), r.content)

    report = export_site(fetch, out, site_url=settings.site_url, live_url="https://live.example")
    assert report.pages >= 10
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if SENTINEL.encode() in p.read_bytes()]
    for must in (
        "index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "static/site.css",
    ):
        assert (out / must).exists(), must
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(base, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        checked, broken = _crawl_static(base)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert broken == []
    assert checked >= report.pages
    print(
        f"\nexport: {report.pages} pages, {report.files} files; {checked} links crawled, 0 broken"
    )


def _crawl_static(base: str) -> tuple[int, list[str]]:
    seen: set[str] = set()
    broken: list[str] = []
    queue = deque([base])
    with httpx.Client(timeout=5.0) as http:
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            r = http.get(url)
            if r.status_code != 200:
                broken.append(url)
                continue
            if "text/html" not in r.headers.get("content-type", ""):
                continue
            for m in re.finditer(r"""\s(?:href|src)=(["'])(.*?)\1""", r.text):
                target = urljoin(url, html.unescape(m.group(2))).split("#")[0]
                if target.startswith(base) and target not in seen:
                    queue.append(target)
    return len(seen), broken
