"""`newsdesk poll`, `run` (Ctrl-C exits cleanly), `articles list|show` through the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.monitor.sources import add_source
from newsdesk.store import Article, Store
from tests.feedkit import OTHER_STORIES, WIRE_STORY, paragraphs_html, rfc822, rss
from tests.localserver import LocalServer

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _site(server: LocalServer) -> str:
    items = [
        {
            "title": "Fire closes Lormont container terminal for a third day",
            "link": server.url("/a/0"),
            "pubDate": rfc822(T0),
            "content": paragraphs_html(WIRE_STORY),
        }
    ]
    for i, (title, text, _) in enumerate(OTHER_STORIES):
        items.append(
            {
                "title": title,
                "link": server.url(f"/a/{i + 1}"),
                "pubDate": rfc822(T0 + dt.timedelta(hours=i)),
                "content": paragraphs_html(text * 3),
            }
        )
    return server.static("/feed.xml", rss(items), "application/rss+xml")


def _store(data: Path, feed: str) -> Store:
    store = Store(f"sqlite:///{data / 'newsdesk.db'}")
    store.migrate()
    with store.session() as s:
        add_source(s, feed, outlet="Invented Wire", allow_private=True)
    return store


def test_poll_prints_summary_and_articles_commands_show_them(
    tmp_path: Path, server: LocalServer
) -> None:
    data = tmp_path / "d"
    data.mkdir()
    store = _store(data, _site(server))
    runner = CliRunner()
    result = runner.invoke(app, ["--data-dir", str(data), "poll"])
    assert result.exit_code == 0, result.output
    for column in ("sources polled", "not modified", "new articles", "duplicates", "errors"):
        assert column in result.output
    with store.reader() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 4
        wire_id = s.scalars(select(Article.id).where(Article.language == "en")).one()
    listed = runner.invoke(app, ["--data-dir", str(data), "articles", "list", "--lang", "ru"])
    assert listed.exit_code == 0 and "Новый музей" in listed.output
    assert "Lormont" not in listed.output
    shown = runner.invoke(
        app, ["--data-dir", str(data), "articles", "show", str(wire_id), "--passages"]
    )
    assert shown.exit_code == 0, shown.output
    assert f"{wire_id}:0" in shown.output and "Mara Velden" in shown.output
    missing = runner.invoke(app, ["--data-dir", str(data), "articles", "show", "9999"])
    assert missing.exit_code == 1 and "no article" in missing.output
    store.dispose()


def test_run_exits_cleanly_on_ctrl_c(tmp_path: Path, server: LocalServer) -> None:
    data = tmp_path / "d"
    data.mkdir()
    store = _store(data, _site(server))
    env = {**os.environ, "NEWSDESK_RUN_INTERVAL": "0.2", "NEWSDESK_PER_HOST_DELAY": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "--data-dir", str(data), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with store.reader() as s:
                if s.scalar(select(func.count()).select_from(Article)) == 4:
                    break
            time.sleep(0.1)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert "stopped cleanly" in out
    assert "Traceback" not in err
    store.dispose()
