"""Members and alerts: tiers from the CLI and the signed webhook, sign-in links used once,
and alert mails over real SMTP when a followed story gets a new version (what changed, one
mail per story per interval, members-only text only for members who may read it)."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from newsdesk.accounts.email_tokens import ExpiredToken, UsedToken
from newsdesk.accounts.members import (
    TooManyLinks,
    check_link_rate,
    create_member,
    follow,
    issue_signin_token,
    redeem_signin_token,
)
from newsdesk.cli import app as cli_app
from newsdesk.publish import alerts
from newsdesk.publish.mail import SmtpMailSender
from newsdesk.settings import Settings
from newsdesk.store import (
    AlertDelivery,
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    FollowKind,
    Member,
    Store,
    Tier,
)
from newsdesk.web import create_app
from newsdesk.web.site.hooks import sign_body
from tests.publish.audience_site import PERSONA, SENTINEL_WORD, T0, build_audience_site
from tests.smtpserver import SmtpServer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _settings(tmp_path: Path, smtp_url: str = "", **kw: object) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        dev_mode=True,
        smtp_url=smtp_url,
        mail_rate_per_minute=0,
        site_url="http://news.invalid",
        members_only=["what_to_watch"],
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.postgres
def test_sign_in_links_work_once_and_expire(store: Store, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with store.session() as s:
        token = issue_signin_token(s, settings, "k" * 32, "new@example.org", now=T0)
    with store.session() as s:
        member = redeem_signin_token(s, settings, "k" * 32, token, now=T0)
        assert member.email == "new@example.org" and member.tier == Tier.FREE
    with pytest.raises(UsedToken), store.session() as s:
        redeem_signin_token(s, settings, "k" * 32, token, now=T0)
    with store.session() as s:
        late = issue_signin_token(s, settings, "k" * 32, "new@example.org", now=T0)
    later = T0 + dt.timedelta(seconds=settings.member_link_max_age + 1)
    with pytest.raises(ExpiredToken), store.session() as s:
        redeem_signin_token(s, settings, "k" * 32, late, now=later)
    with store.session() as s:
        for _ in range(settings.login_max_attempts):
            check_link_rate(s, settings, "x@example.org", "1.2.3.4")
    with pytest.raises(TooManyLinks), store.session() as s:
        check_link_rate(s, settings, "x@example.org", "1.2.3.4")


@pytest.mark.postgres
def test_tiers_from_the_cli_and_the_signed_webhook(store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--database-url", store.url, "--data-dir", str(tmp_path / "data")]
    assert runner.invoke(cli_app, [*args, "members", "add", "m@example.org"]).exit_code == 0
    out = runner.invoke(cli_app, [*args, "members", "set-tier", "m@example.org", "supporter"])
    assert out.exit_code == 0 and "supporter" in out.output
    bad = runner.invoke(cli_app, [*args, "members", "set-tier", "m@example.org", "gold"])
    assert bad.exit_code == 2 and "unknown tier" in bad.output
    exported = json.loads(
        runner.invoke(cli_app, [*args, "members", "export", "m@example.org"]).stdout
    )
    assert exported["tier"] == "supporter" and exported["tier_source"] == "cli"

    settings = _settings(tmp_path, webhook_secret="an invented webhook secret")
    client = TestClient(create_app(settings, store))
    body = json.dumps({"email": "payer@example.org", "tier": "supporter"}).encode()
    unsigned = client.post("/hooks/member-tier", content=body)
    assert unsigned.status_code == 401
    signed = client.post(
        "/hooks/member-tier",
        content=body,
        headers={"X-Newsdesk-Signature": sign_body("an invented webhook secret", body)},
    )
    assert signed.status_code == 200 and signed.json() == {
        "email": "payer@example.org",
        "tier": "supporter",
    }
    with store.reader() as s:
        m = s.scalar(select(Member).where(Member.email == "payer@example.org"))
        assert m is not None and m.tier_source == "webhook"
    gone = runner.invoke(cli_app, [*args, "members", "delete", "m@example.org"])
    assert gone.exit_code == 0


@pytest.mark.postgres
def test_a_new_version_alerts_followers_once_per_interval(store: Store, tmp_path: Path) -> None:
    built = build_audience_site(store)
    with SmtpServer() as smtp:
        settings = _settings(tmp_path, smtp.url, alert_interval=3600)
        with store.session() as s:
            free = create_member(s, "free@example.org", now=T0)
            backer = create_member(s, "backer@example.org", tier=Tier.SUPPORTER, now=T0)
            # they followed before anything was published (T0)
            follow(s, free, FollowKind.STORY, str(built.story_id)).created_at = T0
            follow(s, backer, FollowKind.PERSONA, PERSONA).created_at = T0
        now = T0 + dt.timedelta(hours=6)
        report = alerts.run(store, settings, SmtpMailSender(settings), now=now)
        # both follow it (the story; the persona): one mail each, about the current version
        assert report.mails == 2
        mails = {m.rcpt[0]: m.message for m in smtp.wait_for(2)}
        free_text = mails["free@example.org"].get_body(("plain",)).get_content()
        assert "Velmora's sluice closure stalls the canal (invented)" in free_text
        assert "What changed:" in free_text and "Barge traffic" in free_text
        # members-only text in "what changed" only for a tier that may read it
        assert SENTINEL_WORD in free_text  # members_tier is free: any member reads it
        # nothing new: nothing sent again
        assert alerts.run(store, settings, SmtpMailSender(settings), now=now).mails == 0

        with store.session() as s:
            v3 = Analysis(
                story_id=built.story_id,
                persona_id=PERSONA,
                version=3,
                status=AnalysisStatus.PUBLISHED,
                headline="Velmora reopens one sluice (invented)",
                dek="Invented.",
                byline="Imogen Tanaka-Reyes",
                tags=["Velmora"],
                writer="extractive",
                created_at=now,
                updated_at=now,
                published_at=now + dt.timedelta(minutes=10),
            )
            s.add(v3)
            s.flush()
            s.add(
                AnalysisSentence(
                    analysis_id=v3.id,
                    section="what_happened",
                    section_order=0,
                    position=0,
                    text="One invented sluice reopened on Sunday.",
                    citations=[],
                    verified=True,
                )
            )
        # within the interval the new version waits ...
        soon = now + dt.timedelta(minutes=20)
        held = alerts.run(store, settings, SmtpMailSender(settings), now=soon)
        assert held.mails == 0 and held.throttled == 2
        # ... and goes out once the interval has passed
        later = now + dt.timedelta(hours=2)
        sent = alerts.run(store, settings, SmtpMailSender(settings), now=later)
        assert sent.mails == 2
        third = smtp.wait_for(4)[2:]
        assert all(
            "One invented sluice reopened" in m.message.get_body(("plain",)).get_content()
            for m in third
        )
        with store.reader() as s:
            # one row per member and version alerted: v2, then v3
            assert len(list(s.scalars(select(AlertDelivery)))) == 4


def test_supporters_only_content_stays_out_of_a_free_members_alert(
    store: Store, tmp_path: Path
) -> None:
    built = build_audience_site(store)
    with SmtpServer() as smtp:
        settings = _settings(tmp_path, smtp.url, members_tier="supporter")
        with store.session() as s:
            free = create_member(s, "free@example.org", now=T0)
            follow(s, free, FollowKind.STORY, str(built.story_id)).created_at = T0
        alerts.run(store, settings, SmtpMailSender(settings), now=T0 + dt.timedelta(hours=6))
        text = smtp.wait_for(1)[0].message.get_body(("plain",)).get_content()
    assert "Barge traffic" in text and SENTINEL_WORD not in text
