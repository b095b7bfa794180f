"""The desk's newsletter page: an editor previews the next briefing, sends it (it arrives at a
real SMTP server), schedules the next and cancels it; an admin sets a member's tier."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

from sqlalchemy import select

from newsdesk.accounts import create_user
from newsdesk.accounts.members import create_member
from newsdesk.publish.newsletter.subscribers import subscribe
from newsdesk.settings import Settings
from newsdesk.store import IssueStatus, Member, NewsletterIssue, Role, Store
from newsdesk.web import create_app
from tests.publish.audience_site import build_audience_site
from tests.smtpserver import SmtpServer
from tests.web.test_web_desk import login, token_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"


def test_editor_previews_sends_and_schedules_the_briefing(store: Store, tmp_path: Path) -> None:
    build_audience_site(store)
    with store.session() as s:
        create_user(s, "ed", PASSWORD, Role.EDITOR, display_name="Ed Itor")
        create_user(s, "root", PASSWORD, Role.ADMIN)
        subscribe(s, "desk.reader@example.org", confirmed=True)
        create_member(s, "fan@example.org")
    with SmtpServer() as smtp:
        settings = Settings(
            data_dir=tmp_path / "data", dev_mode=True, smtp_url=smtp.url, mail_rate_per_minute=0
        )
        client = TestClient(create_app(settings, store))
        assert client.get("/desk/newsletter", follow_redirects=False).status_code == 303
        login(client, "ed", PASSWORD)
        page = client.get("/desk/newsletter")
        assert page.status_code == 200 and "2 pieces" in page.text
        assert "1 active" in page.text
        preview = client.get("/desk/newsletter/preview")
        assert "Velmora&#39;s sluice closure" in preview.text or "Velmora's sluice" in preview.text
        assert (
            "text/plain"
            in client.get("/desk/newsletter/preview?format=text").headers["content-type"]
        )
        sent = client.post(
            "/desk/newsletter", data={"csrf_token": token_of(page), "action": "send"}
        )
        assert sent.status_code == 200 and "being sent" in sent.text
        mail = smtp.wait_for(1)[0]
        assert mail.rcpt == ["desk.reader@example.org"]
        after = client.get("/desk/newsletter")
        assert "1 sent" in after.text and "nothing was published" not in after.text
        # nothing new since: a second send is refused with the reason
        again = client.post(
            "/desk/newsletter", data={"csrf_token": token_of(after), "action": "send"}
        )
        assert again.status_code == 409 and "nothing was published or updated" in again.text
        when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        with store.session() as s:
            # something new to schedule
            issue = s.scalar(select(NewsletterIssue))
            assert issue is not None and issue.status == IssueStatus.SENT
            issue.until = issue.until - dt.timedelta(days=3650)
        scheduled = client.post(
            "/desk/newsletter",
            data={"csrf_token": token_of(after), "action": "schedule", "at": when},
        )
        assert scheduled.status_code == 200 and "scheduled" in scheduled.text
        with store.reader() as s:
            row = s.scalar(
                select(NewsletterIssue).where(NewsletterIssue.status == IssueStatus.SCHEDULED)
            )
            assert row is not None
            issue_id = row.id
        cancel = client.post(
            "/desk/newsletter",
            data={"csrf_token": token_of(scheduled), "action": "cancel", "issue_id": str(issue_id)},
        )
        assert cancel.status_code == 200 and "cancelled" in cancel.text
        # members' tiers are for admins
        assert client.get("/desk/members").status_code == 403
        admin = TestClient(create_app(settings, store))
        login(admin, "root", PASSWORD)
        members = admin.get("/desk/members")
        assert "fan@example.org" in members.text
        done = admin.post(
            "/desk/members",
            data={"csrf_token": token_of(members), "email": "fan@example.org", "tier": "supporter"},
        )
        assert done.status_code == 200 and "Tier updated" in done.text
        with store.reader() as s:
            fan = s.scalar(select(Member).where(Member.email == "fan@example.org"))
            assert fan is not None and fan.tier == "supporter" and fan.tier_source == "admin:root"
