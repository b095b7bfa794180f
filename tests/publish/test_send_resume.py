"""A briefing send killed with SIGKILL mid-way resumes without mailing anyone twice.

The sender runs as a real `newsdesk newsletter send` process against a real SMTP server on
127.0.0.1; it is killed once some mails have arrived, then started again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.publish.newsletter.subscribers import subscribe
from newsdesk.store import Delivery, DeliveryStatus, Store
from tests.publish.audience_site import build_audience_site
from tests.smtpserver import SmtpServer

RECIPIENTS = 30


def _send(store: Store, tmp_path: Path, smtp: SmtpServer) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NEWSDESK_SMTP_URL": smtp.url,
        # one mail every 0.15 s: slow enough to be killed in the middle
        "NEWSDESK_MAIL_RATE_PER_MINUTE": "400",
        "NEWSDESK_SITE_URL": "http://news.invalid",
    }
    cmd = [
        sys.executable,
        "-m",
        "newsdesk",
        "--database-url",
        store.url,
        "--data-dir",
        str(tmp_path / "data"),
        "newsletter",
        "send",
    ]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_killed_send_resumes_with_no_duplicate(store: Store, tmp_path: Path) -> None:
    build_audience_site(store)
    with store.session() as s:
        for n in range(RECIPIENTS):
            subscribe(s, f"reader{n:02d}@example.org", confirmed=True)
    with SmtpServer() as smtp:
        first = _send(store, tmp_path, smtp)
        smtp.wait_for(8, timeout=120)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL
        at_kill = len(smtp.messages())
        assert at_kill < RECIPIENTS, "the send finished before it could be killed"

        second = _send(store, tmp_path, smtp)
        out, _ = second.communicate(timeout=180)
        assert second.returncode == 0, out.decode()
        time.sleep(0.2)
        received = Counter(r.rcpt[0] for r in smtp.messages())
        with store.reader() as s:
            rows = list(s.scalars(select(Delivery)))
        statuses = Counter(d.status for d in rows)
    # nobody got the briefing twice, and every reader got it or is marked uncertain
    duplicates = {k: n for k, n in received.items() if n > 1}
    assert duplicates == {}
    assert len(rows) == RECIPIENTS
    assert statuses[DeliveryStatus.UNCERTAIN] <= 1
    assert statuses[DeliveryStatus.SENT] + statuses[DeliveryStatus.UNCERTAIN] == RECIPIENTS
    assert len(received) >= RECIPIENTS - statuses[DeliveryStatus.UNCERTAIN]
    # one Message-ID per (issue, reader): a resend would have reused it
    ids = [r.message["Message-ID"] for r in smtp.messages()]
    assert len(ids) == len(set(ids))
    print(
        f"\nkilled after {at_kill} of {RECIPIENTS} mails; resumed: {len(received)} readers got "
        f"it once, {statuses[DeliveryStatus.UNCERTAIN]} uncertain, 0 duplicates"
    )
