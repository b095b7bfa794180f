"""A poll killed with SIGKILL mid-run and started again loses and duplicates nothing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlalchemy import func, select

from newsdesk.monitor.sources import add_source
from newsdesk.store import Article, Entry, EntryState, Passage, Store
from tests.feedkit import page_html, rfc822, rss
from tests.localserver import LocalServer

N = 40
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _story(i: int) -> str:
    # invented, distinct texts so none is a near-duplicate of another
    words = " ".join(f"w{i}x{j}" for j in range(60))
    return (
        f"Invented report number {i} about the fictional river town of Ostrel-{i}. {words}.\n\n"
        f"Officials in Ostrel-{i} said the measure {i * 7} would be reviewed on day {i}."
    )


def _slow_page(i: int):
    body = page_html(f"Invented report {i}", _story(i))

    def fn(h: BaseHTTPRequestHandler) -> None:
        time.sleep(0.15)
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return fn


def _count(store: Store, model: type, *where: object) -> int:
    with store.reader() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_sigkill_mid_poll_loses_and_duplicates_nothing(
    store_url: str, tmp_path: Path, server: LocalServer
) -> None:
    items = []
    for i in range(N):
        server.route(f"/p/{i}.html", _slow_page(i))
        items.append(
            {
                "title": f"Invented report {i}",
                "link": server.url(f"/p/{i}.html"),
                "pubDate": rfc822(T0 + dt.timedelta(minutes=i)),
                "description": "Summary only.",
            }
        )
    server.static("/feed.xml", rss(items), "application/rss+xml")
    store = Store(store_url)
    store.migrate()
    with store.session() as s:
        add_source(s, server.url("/feed.xml"), outlet="Slow Outlet", allow_private=True)

    env = {
        **os.environ,
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_READ_BATCH_SIZE": "4",
        "NEWSDESK_DATABASE_URL": store_url,
    }
    cmd = [sys.executable, "-m", "newsdesk", "--data-dir", str(tmp_path / "d"), "poll"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while _count(store, Article) < 8 and time.monotonic() < deadline:
            assert proc.poll() is None, "poll finished before it could be killed"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    killed_at = _count(store, Article)
    assert 8 <= killed_at < N, "the kill should land mid-run"
    assert _count(store, Entry) == N  # the poll stage had committed every entry

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]

    assert _count(store, Article) == N
    assert _count(store, Entry, Entry.state == EntryState.DONE) == N
    with store.reader() as s:
        urls = list(s.scalars(select(Article.canonical_url)))
        assert len(set(urls)) == N
        per_article = s.execute(
            select(Passage.article_id, func.count()).group_by(Passage.article_id)
        ).all()
        assert len(per_article) == N and all(n >= 2 for _, n in per_article)
    store.dispose()
