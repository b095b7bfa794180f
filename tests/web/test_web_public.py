"""The public site over a real store: analyses with resolved citations, stories, search, safety."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from newsdesk.cli import app as cli_app
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    Entity,
    EntityAlias,
    Mention,
    Passage,
    Snapshot,
    Store,
    Story,
    StoryArticle,
    User,
    passage_id,
)
from newsdesk.web import create_app
from newsdesk.web.sanitize import safe_url, source_link
from newsdesk.web.site.search import search, sync_index
from tests.webserver import free_port

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
XSS_TITLE = "<script>alert(1)</script> Velmora talks stall <img src=x onerror=alert(1)>"
XSS_URL = "javascript:alert(1)"
SNAPSHOT_HTML = b"<html><body><script>alert('snap')</script><p>Invented page.</p></body></html>"


@dataclass
class Site:
    """Ids of the invented rows the tests look for."""

    story_id: int
    other_story_id: int
    published_id: int
    older_id: int
    draft_id: int
    retracted_id: int
    other_id: int
    snapshot_id: int
    entity_id: int
    passages: dict[str, str]


def _article(s: Session, story: Story, n: int, **kw: Any) -> Article:
    snap = Snapshot(
        url=kw["url"] if kw["url"].startswith("http") else f"https://invalid.example/{n}",
        sha256=f"{n:064d}",
        size=len(SNAPSHOT_HTML),
        data=gzip.compress(SNAPSHOT_HTML),
        content_type="text/html; charset=utf-8",
        fetched_at=T0,
    )
    s.add(snap)
    s.flush()
    art = Article(content_hash=f"h{n}", snapshot_id=snap.id, stage="ready", **kw)
    s.add(art)
    s.flush()
    s.add(StoryArticle(article_id=art.id, story_id=story.id, score=0.9))
    return art


def _passages(s: Session, art: Article, texts: list[str]) -> list[str]:
    ids = []
    pos = 0
    for i, t in enumerate(texts):
        pid = passage_id(art.id, i)
        s.add(
            Passage(
                id=pid, article_id=art.id, position=i, text=t, char_start=pos, char_end=pos + len(t)
            )
        )
        pos += len(t) + 1
        ids.append(pid)
    return ids


def _analysis(
    s: Session, story: Story, persona: str, status: str, version: int, **kw: Any
) -> Analysis:
    sentences = kw.pop("sentences")
    a = Analysis(
        story_id=story.id,
        persona_id=persona,
        version=version,
        status=status,
        writer=kw.pop("writer", "extractive"),
        created_at=T0 + dt.timedelta(hours=version),
        updated_at=T0 + dt.timedelta(hours=version),
        published_at=(T0 + dt.timedelta(hours=version))
        if status in (AnalysisStatus.PUBLISHED, AnalysisStatus.RETRACTED)
        else None,
        **kw,
    )
    s.add(a)
    s.flush()
    for order, (section, sents) in enumerate(sentences):
        for pos, (txt, cites, ok) in enumerate(sents):
            s.add(
                AnalysisSentence(
                    analysis_id=a.id,
                    section=section,
                    section_order=order,
                    position=pos,
                    text=txt,
                    citations=cites,
                    verified=ok,
                )
            )
    return a


def build_site(store: Store) -> Site:
    """An invented story in two languages (one hostile source) and analyses in every state."""
    with store.session() as s:
        editor = User(
            username="ada", display_name="Ada Quillfeather", password_hash="x", role="editor"
        )
        story = Story(
            headline="Invented: dockworkers strike at the port of Velmora",
            headline_lang="en",
            first_seen=T0,
            last_seen=T0 + dt.timedelta(hours=6),
            article_count=3,
            languages=["de", "en"],
            outlets=["Harbour Ledger", "Tageblatt Velmora", "Hostile Wire"],
            updated_at=T0,
        )
        other = Story(
            headline="Invented: Velmora ferry fares rise",
            first_seen=T0,
            last_seen=T0 + dt.timedelta(hours=1),
            article_count=1,
            languages=["en"],
            outlets=["Harbour Ledger"],
            updated_at=T0,
        )
        s.add_all([editor, story, other])
        s.flush()
        a1 = _article(
            s,
            story,
            1,
            url="https://ledger.example/velmora-strike",
            title="Dockworkers walk out at Velmora port (invented)",
            outlet="Harbour Ledger",
            language="en",
            published_at=T0,
            text="Invented.",
        )
        a2 = _article(
            s,
            story,
            2,
            url="https://tageblatt.example/streik",
            title="Streik im Hafen von Velmora (erfunden)",
            outlet="Tageblatt Velmora",
            language="de",
            published_at=T0 + dt.timedelta(hours=2),
            text="Erfunden.",
        )
        a3 = _article(
            s,
            story,
            3,
            url=XSS_URL,
            title=XSS_TITLE,
            outlet="Hostile Wire",
            language="en",
            published_at=T0 + dt.timedelta(hours=3),
            text="Invented hostile text.",
        )
        a4 = _article(
            s,
            other,
            4,
            url="https://ledger.example/ferry",
            title="Ferry fares rise in Velmora (invented)",
            outlet="Harbour Ledger",
            language="en",
            published_at=T0,
            text="Invented.",
        )
        p1 = _passages(
            s,
            a1,
            [
                "Dockworkers at the invented port of Velmora stopped work on Friday.",
                "The union said the strike would last three days.",
            ],
        )
        p2 = _passages(s, a2, ["Die Hafenbehörde nannte den Streik unbegründet."])
        p3 = _passages(s, a3, [f"Hostile passage {XSS_TITLE}"])
        p4 = _passages(s, a4, ["Ferry fares in Velmora rose by a tenth."])
        ent = Entity(key="org:velmora-port-union", name="Velmora Port Union", type="org")
        s.add(ent)
        s.flush()
        s.add(EntityAlias(entity_id=ent.id, alias="VPU", normalized="vpu", lang="en"))
        s.add(
            Mention(
                article_id=a1.id,
                entity_id=ent.id,
                passage_id=p1[1],
                text="union",
                char_start=4,
                char_end=9,
            )
        )
        story.entity_ids = [ent.id]
        older = _analysis(
            s,
            story,
            "asia-pacific-economy",
            AnalysisStatus.PUBLISHED,
            1,
            headline="Velmora strike: first read (invented)",
            byline="Imogen Tanaka-Reyes",
            tags=["Velmora"],
            sentences=[("what_happened", [("Dockworkers walked out.", [p1[0]], True)])],
        )
        published = _analysis(
            s,
            story,
            "asia-pacific-economy",
            AnalysisStatus.PUBLISHED,
            2,
            headline="Velmora's port strike tests a fragile supply chain (invented)",
            dek="An invented analysis for tests.",
            byline="Imogen Tanaka-Reyes",
            perspective_persona_id="russia-eurasia",
            tags=["Velmora", "labour"],
            approved_by_id=editor.id,
            approved_at=T0 + dt.timedelta(hours=3),
            corrections=[
                {
                    "at": (T0 + dt.timedelta(hours=4)).isoformat(),
                    "by": "Ada Quillfeather",
                    "note": "The strike length was corrected.",
                    "kind": "correction",
                }
            ],
            sentences=[
                (
                    "what_happened",
                    [
                        ("Dockworkers at Velmora stopped work on Friday.", [p1[0]], True),
                        ("The union expects a three-day stoppage.", [p1[1], p2[0]], True),
                    ],
                ),
                ("disputed", [("The port authority calls the strike baseless.", [p2[0]], True)]),
                ("watch", [("Talks are reported to have stalled.", [p3[0]], False)]),
                ("perspective", [("Freight insurers watch the quayside closely.", [p1[0]], True)]),
            ],
        )
        draft = _analysis(
            s,
            story,
            "south-asia-security",
            AnalysisStatus.NEEDS_REVIEW,
            1,
            headline="Unreviewed draft about Velmora (invented)",
            byline="Devika Raghunathan-Holt",
            tags=["Velmora"],
            sentences=[("what_happened", [("Zanzibarish draftword sentence.", [p1[0]], True)])],
        )
        retracted = _analysis(
            s,
            story,
            "russia-eurasia",
            AnalysisStatus.RETRACTED,
            1,
            headline="Withdrawn Velmora piece (invented)",
            byline="Mirela Korsakova-Dunne",
            tags=["Velmora"],
            corrections=[
                {
                    "at": (T0 + dt.timedelta(hours=5)).isoformat(),
                    "by": "Ada Quillfeather",
                    "note": "It misattributed the union's statement.",
                    "kind": "retraction",
                }
            ],
            sentences=[("what_happened", [("Quarantinedword retracted body.", [p1[0]], True)])],
        )
        other_a = _analysis(
            s,
            other,
            "asia-pacific-economy",
            AnalysisStatus.PUBLISHED,
            1,
            headline="Ferry fares climb in Velmora (invented)",
            byline="Imogen Tanaka-Reyes",
            tags=["Velmora"],
            sentences=[("what_happened", [("Ferry fares rose by a tenth.", [p4[0]], True)])],
        )
        texts = {
            pid: t
            for pid, t in zip(
                p1 + p2 + p3,
                [
                    "Dockworkers at the invented port of Velmora stopped work on Friday.",
                    "The union said the strike would last three days.",
                    "Die Hafenbehörde nannte den Streik unbegründet.",
                    f"Hostile passage {XSS_TITLE}",
                ],
                strict=True,
            )
        }
        return Site(
            story_id=story.id,
            other_story_id=other.id,
            published_id=published.id,
            older_id=older.id,
            draft_id=draft.id,
            retracted_id=retracted.id,
            other_id=other_a.id,
            snapshot_id=a1.snapshot_id or 0,
            entity_id=ent.id,
            passages=texts,
        )


@pytest.fixture
def site(store: Store) -> Site:
    return build_site(store)


@pytest.fixture
def client(tmp_path: Path, store: Store, site: Site) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        site_title="Velmora Desk",
        site_url="https://news.example.test/",
        secret_key="s" * 32,
    )
    with TestClient(create_app(settings, store)) as c:
        yield c


def test_home_lists_published_not_draft(client: TestClient, site: Site) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "Velmora Desk" in r.text
    assert f'href="/analyses/{site.published_id}"' in r.text
    assert "Unreviewed draft" not in r.text
    assert "Withdrawn Velmora piece" not in r.text
    # only the newest version of a story+persona is listed
    assert f'href="/analyses/{site.older_id}"' not in r.text
    assert "Imogen Tanaka-Reyes" in r.text
    # top stories by article count, with their coverage
    assert f'href="/stories/{site.story_id}"' in r.text
    assert "3 articles" in r.text


def test_analysis_page_resolves_citations(client: TestClient, site: Site) -> None:
    r = client.get(f"/analyses/{site.published_id}")
    assert r.status_code == 200
    html = r.text
    # headline, dek, byline to persona, tags to tag pages
    assert "Velmora&#39;s port strike tests a fragile supply chain" in html
    assert 'href="/personas/asia-pacific-economy"' in html
    assert 'href="/tags/labour"' in html
    # sections in reading order, the perspective named after its persona
    order = [
        html.index(h)
        for h in (
            "What happened",
            "What is disputed",
            "What to watch",
            "Another perspective: Mirela Korsakova-Dunne",
        )
    ]
    assert order == sorted(order)
    # each sentence followed by markers that jump to the Sources entry and name the passage
    first_pid = next(iter(site.passages))
    assert re.search(
        rf'Friday\.</span><a class="cite" href="#src-1" data-passage-id="{first_pid}"', html
    )
    assert '<a class="cite" href="#src-2"' in html and '<a class="cite" href="#src-3"' in html
    # the Sources panel: passage text, outlet, language, URL and snapshot link
    sources = html[html.index('id="sources"') :]
    assert 'id="src-1"' in sources
    assert site.passages[first_pid] in sources
    assert "Harbour Ledger" in sources and "Tageblatt Velmora" in sources
    assert "Die Hafenbehörde nannte den Streik unbegründet." in sources
    assert 'href="https://ledger.example/velmora-strike"' in sources
    assert f'href="/snapshots/{site.snapshot_id}"' in sources
    assert '<span class="lang">de</span>' in sources
    assert '<script src="/static/cite.js" defer></script>' in html
    # the lead illustration: the story's entity network, inline SVG with a caption
    figure = html[html.index('<figure class="lead-chart">') :]
    assert figure.index("<svg") < figure.index("<figcaption>Who is in this story")


def test_analysis_page_states_how_it_was_produced(client: TestClient, site: Site) -> None:
    html = client.get(f"/analyses/{site.published_id}").text
    how = html[html.index("How this was produced") :]
    assert "Extractive" in how
    assert "Mirela Korsakova-Dunne" in how and "added the perspective" in how
    assert "3 sources cited from 3 outlets" in how
    assert "3 articles from 3 outlets" in how and "2 languages (de, en)" in how
    assert "4/5 sentences verified" in how
    assert "Approved by Ada Quillfeather on 20 Nov 2026, 11:00 UTC" in how
    assert "The strike length was corrected." in how
    # more in the primary tag, more from the persona: the other story's piece, not this story's
    more = html[html.index('class="more"') :]
    assert "More in" in more and 'href="/tags/Velmora"' in more
    assert "More from" in more
    assert f'href="/analyses/{site.other_id}"' in more
    assert f'href="/analyses/{site.older_id}"' not in more


def test_auto_published_analysis_says_so(client: TestClient, site: Site) -> None:
    html = client.get(f"/analyses/{site.other_id}").text
    assert "Published automatically: no policy rule held it" in html


def test_older_version_links_to_newer(client: TestClient, site: Site) -> None:
    r = client.get(f"/analyses/{site.older_id}")
    assert r.status_code == 200
    assert (
        f'A newer version of this analysis exists: <a href="/analyses/{site.published_id}">'
        in r.text
    )
    newest = client.get(f"/analyses/{site.published_id}").text
    assert "A newer version" not in newest


def test_draft_and_unknown_analyses_404_helpfully(client: TestClient, site: Site) -> None:
    for path in (f"/analyses/{site.draft_id}", "/analyses/99999", "/analyses/nope"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "it may have been retracted or never published" in r.text
        assert "Unreviewed draft" not in r.text
        assert 'action="/search"' in r.text  # the 404 page offers a way on


def test_retracted_analysis_shows_notice_not_body(client: TestClient, site: Site) -> None:
    r = client.get(f"/analyses/{site.retracted_id}")
    assert r.status_code == 200
    assert "This analysis has been retracted" in r.text
    assert "It misattributed the union&#39;s statement." in r.text
    assert "Quarantinedword" not in r.text
    assert 'id="sources"' not in r.text


def test_story_tag_persona_entity_pages(client: TestClient, site: Site) -> None:
    story = client.get(f"/stories/{site.story_id}").text
    assert "Dockworkers walk out at Velmora port (invented)" in story
    assert "Streik im Hafen von Velmora (erfunden)" in story
    assert story.index("Dockworkers walk out") < story.index("Streik im Hafen")  # by date
    assert f'href="/analyses/{site.published_id}"' in story
    assert "Unreviewed draft" not in story
    assert f'href="/entities/{site.entity_id}"' in story
    assert "<svg" in story  # the coverage timeline

    tags = client.get("/tags").text
    assert 'href="/tags/Velmora"' in tags and 'href="/tags/labour"' in tags
    tag = client.get("/tags/labour").text
    assert f'href="/analyses/{site.published_id}"' in tag
    assert f'href="/analyses/{site.other_id}"' not in tag
    assert client.get("/tags/no-such-tag").status_code == 404

    personas = client.get("/personas").text
    assert 'href="/personas/asia-pacific-economy"' in personas
    persona = client.get("/personas/asia-pacific-economy").text
    assert "Invented persona" in persona  # the bio
    assert f'href="/analyses/{site.published_id}"' in persona
    assert client.get("/personas/nobody").status_code == 404

    entity = client.get(f"/entities/{site.entity_id}").text
    assert "Velmora Port Union" in entity and "VPU" in entity
    assert f'href="/stories/{site.story_id}"' in entity
    assert client.get("/entities/424242").status_code == 404
    assert client.get("/stories/424242").status_code == 404


def test_search_finds_published_words_only(store: Store, site: Site) -> None:
    with store.session() as s:
        hits = search(s, "quayside")  # a word of a perspective sentence
        assert [(h.kind, h.ref_id) for h in hits] == [("analysis", site.published_id)]
        assert "<mark>quayside</mark>" in str(hits[0].snippet).lower()
        assert search(s, "Zanzibarish") == []  # the draft
        assert search(s, "Quarantinedword") == []  # the retracted one
        assert search(s, "draftword OR 1") == []  # query syntax is just words
        assert search(s, '"*^:') == []
        stories = search(s, "Streik")  # an article title in German
        assert ("story", site.story_id) in [(h.kind, h.ref_id) for h in stories]
        # the older version of the same story+persona is not indexed, only the newest
        found = [(h.kind, h.ref_id) for h in search(s, "Dockworkers")]
        assert ("analysis", site.published_id) in found
        assert ("analysis", site.older_id) not in found
    with store.session() as s:
        assert sync_index(s) == 0  # nothing changed since: nothing re-indexed
        a = s.get(Analysis, site.published_id)
        assert a is not None
        a.status = AnalysisStatus.RETRACTED
        a.updated_at = a.updated_at + dt.timedelta(minutes=1)
    with store.session() as s:
        assert search(s, "quayside") == []
        # the older version is now the newest published one, so it becomes searchable
        assert [(h.kind, h.ref_id) for h in search(s, "walked")] == [("analysis", site.older_id)]


def test_search_page(client: TestClient, site: Site) -> None:
    r = client.get("/search", params={"q": "fragile supply"})
    assert r.status_code == 200
    assert f'href="/analyses/{site.published_id}"' in r.text
    empty = client.get("/search", params={"q": "Zanzibarish"})
    assert "Nothing published matches" in empty.text
    assert client.get("/search").status_code == 200
    assert client.get("/search", params={"q": "velmora " * 800}).status_code == 200


def test_index_is_created_by_migration(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM search_index")).scalar() == 0
    assert "search_index" in store.table_names()


def test_sitemap_lists_absolute_urls(client: TestClient, site: Site) -> None:
    r = client.get("/sitemap.xml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", r.text)
    base = "https://news.example.test"
    assert f"{base}/analyses/{site.published_id}" in locs
    assert f"{base}/analyses/{site.other_id}" in locs
    assert f"{base}/analyses/{site.draft_id}" not in locs
    assert f"{base}/analyses/{site.retracted_id}" not in locs
    assert f"{base}/stories/{site.story_id}" in locs
    assert f"{base}/personas/asia-pacific-economy" in locs
    assert f"{base}/tags/labour" in locs
    assert all(loc.startswith(base + "/") for loc in locs)


def test_snapshot_served_as_inert_text(client: TestClient, site: Site) -> None:
    r = client.get(f"/snapshots/{site.snapshot_id}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["content-disposition"].startswith("inline")
    assert r.headers["content-security-policy"].startswith("sandbox")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>alert('snap')</script>" in r.text  # the raw page, as text
    assert "Archived copy of https://ledger.example/velmora-strike" in r.text
    assert client.get("/snapshots/999999").status_code == 404


def _assert_inert(html: str, shown: bool = True) -> None:
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html  # only the escaped text form may appear
    assert 'href="javascript:' not in html.lower()
    if shown:  # the hostile text itself is kept, as text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_source_renders_inert(client: TestClient, site: Site) -> None:
    _assert_inert(client.get(f"/analyses/{site.published_id}").text)
    _assert_inert(client.get(f"/stories/{site.story_id}").text)
    hits = client.get("/search", params={"q": "stall"}).text
    assert f'href="/stories/{site.story_id}"' in hits
    assert "talks <mark>stall</mark>" in hits
    # PostgreSQL's headline drops tag-like tokens from snippets; SQLite keeps them escaped
    _assert_inert(hits, shown=False)
    # the hostile source keeps its text, but no link is made from its URL
    html = client.get(f"/analyses/{site.published_id}").text
    assert "(not a web link: not linked)" in html


def test_security_headers_present(client: TestClient, site: Site) -> None:
    for path in ("/", f"/analyses/{site.published_id}", "/analyses/0", "/search?q=x"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "<script>" not in r.text  # no inline script anywhere
    js = client.get("/static/cite.js")
    assert js.status_code == 200 and "textContent" in js.text and "innerHTML" not in js.text


def test_safe_url_and_source_link() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in (
        XSS_URL,
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "//evil.example/",
        "/relative",
        "",
        None,
        "http://",
    ):
        assert safe_url(bad) is None, bad
    assert (
        str(source_link(XSS_URL, "<b>t</b>")) == '<span class="nolink">&lt;b&gt;t&lt;/b&gt;</span>'
    )
    link = str(source_link('https://ex.org/?a="><script>', "x"))
    assert "<script>" not in link and 'rel="noopener noreferrer nofollow"' in link


def test_serve_help_has_example() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example: newsdesk serve" in result.output


@pytest.mark.slow
def test_serve_runs_a_real_server(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "NEWSDESK_DEV_MODE": "true", "NEWSDESK_SITE_TITLE": "Served Desk"}
    cmd = [
        sys.executable,
        "-m",
        "newsdesk",
        "--data-dir",
        str(tmp_path / "d"),
        "serve",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError as exc:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(
                        f"newsdesk serve did not answer (exit {proc.poll()})"
                    ) from exc
                time.sleep(0.2)
        assert r.status_code == 200
        assert "Served Desk" in r.text
        assert "No analysis published yet" in r.text
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert b"Traceback" not in err, err.decode(errors="replace")
