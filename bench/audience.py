"""Audience side on the demo newsroom: feed render time per format, briefing composition per
reader, newsletter send rate to a local SMTP server (rate limit off), static export time.

Uses the demo store in $NEWSDESK_BENCH_DEMO_DIR when set (a data dir `newsdesk demo` wrote),
else runs the demo first. Writes bench/results/audience.json.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from bench._results import write_result
from newsdesk.demo.mailsink import MailSink
from newsdesk.demo.runner import run_demo
from newsdesk.publish.export import Fetched, export_site
from newsdesk.publish.feeds import build_feed, render_feed
from newsdesk.publish.items import changed_between
from newsdesk.publish.mail import SmtpMailSender
from newsdesk.publish.newsletter.compose import compose_briefing
from newsdesk.publish.newsletter.send import create_issue, send_issue
from newsdesk.publish.newsletter.subscribers import subscribe
from newsdesk.settings import Settings
from newsdesk.store import open_store

RECIPIENTS = 200


def _median_ms(fn: Any, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        source = os.environ.get("NEWSDESK_BENCH_DEMO_DIR")
        if source:
            shutil.copytree(source, data)
        else:
            run_demo(Settings(data_dir=data), fresh=True)
        settings = Settings(data_dir=data, dev_mode=True, page_cache_seconds=0)
        store = open_store(settings)
        feeds: dict[str, float] = {}
        with store.reader() as s:
            for fmt in ("rss", "atom", "json"):
                feeds[f"site_{fmt}_ms"] = _median_ms(
                    lambda fmt=fmt: render_feed(build_feed(s, settings, "site"), settings, fmt), 20
                )
            entries = len(build_feed(s, settings, "site").entries)
            analyses = changed_between(s, None, time_now())
            compose_ms = _median_ms(
                lambda: compose_briefing(
                    analyses,
                    settings,
                    since=None,
                    date=time_now(),
                    unsubscribe_url="x",
                    manage_url="y",
                ),
                20,
            )
        with store.session() as s:
            for n in range(RECIPIENTS):
                subscribe(s, f"bench{n:03d}@example.org", confirmed=True)
        with MailSink(Path(tmp) / "outbox") as sink:
            mail = settings.model_copy(update={"smtp_url": sink.url, "mail_rate_per_minute": 0})
            with store.session() as s:
                issue_id = create_issue(s, mail).id
            t = time.perf_counter()
            report = send_issue(store, mail, issue_id, SmtpMailSender(mail, rate_per_minute=0))
            send_s = time.perf_counter() - t
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient

            from newsdesk.web import create_app

            client = TestClient(create_app(settings, store))

        def fetch(path: str) -> Fetched:
            r = client.get(path, follow_redirects=False)
            return Fetched(r.status_code, r.headers.get("content-type", ""), r.content)

        t = time.perf_counter()
        exported = export_site(fetch, Path(tmp) / "public", site_url=settings.site_url)
        export_s = time.perf_counter() - t
        store.dispose()
    return write_result(
        "audience",
        {
            "feeds": {"site_entries": entries, **feeds},
            "briefing": {"items": len(analyses), "compose_ms_per_reader": compose_ms},
            "newsletter_send": {
                "recipients": RECIPIENTS,
                "sent": report.sent,
                "seconds": round(send_s, 2),
                "mails_per_second": round(report.sent / send_s, 1),
                "note": "rate limit off, local aiosmtpd sink writing .eml files",
            },
            "static_export": {
                "pages": exported.pages,
                "files": exported.files,
                "megabytes": round(exported.bytes / 1e6, 2),
                "seconds": round(export_s, 1),
            },
        },
    )


def time_now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)
