"""The newsletter over a real SMTP server on 127.0.0.1: double opt-in, the briefing as a
multipart mail with inline CSS and RFC 8058 one-click unsubscribe, refusals recorded as
bounces, the rate limit, STARTTLS with AUTH, and the subscriber CLI."""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from newsdesk.cli import app as cli_app
from newsdesk.publish.mail import MailUnavailable, SmtpMailSender
from newsdesk.publish.newsletter.send import create_issue, send_issue
from newsdesk.publish.newsletter.subscribers import subscribe
from newsdesk.settings import Settings
from newsdesk.store import Delivery, DeliveryStatus, Store, Subscriber, SubscriberStatus
from newsdesk.web import create_app
from tests.publish.audience_site import SENTINEL_WORD, build_audience_site
from tests.smtpserver import SmtpServer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer(refuse={"gone@example.org"}) as server:
        yield server


def _settings(tmp_path: Path, smtp: SmtpServer, **kw: object) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        dev_mode=True,
        smtp_url=smtp.url,
        mail_rate_per_minute=0,
        site_url="http://testserver",
        members_only=["what_to_watch"],
        support_url="https://support.example/give",
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.postgres
def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(
    store: Store, tmp_path: Path, smtp: SmtpServer
) -> None:
    build_audience_site(store)
    settings = _settings(tmp_path, smtp)
    client = TestClient(create_app(settings, store))
    r = client.post("/newsletter", data={"email": "Reader@Example.org", "scope": "all"})
    assert r.status_code == 200 and "Check your mail" in r.text
    confirmation = smtp.wait_for(1)[0].message
    assert confirmation["To"] == "reader@example.org"
    text = confirmation.get_body(("plain",)).get_content()
    link = next(u for u in LINK.findall(text) if "/newsletter/confirm" in u)
    with store.reader() as s:
        assert s.scalar(select(Subscriber.status)) == SubscriberStatus.PENDING
    # nothing goes to a pending address
    path = link.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200 and 'id="confirm-form"' in page.text
    token = path.split("token=")[1]
    done = client.post("/newsletter/confirm", data={"token": token})
    assert done.status_code == 200 and "You are subscribed" in done.text
    again = client.post("/newsletter/confirm", data={"token": token})
    assert again.status_code == 400 and "already used" in again.text
    forged = client.post("/newsletter/confirm", data={"token": token[:-3] + "abc"})
    assert forged.status_code == 400

    with store.session() as s:
        issue_id = create_issue(s, settings).id
    report = send_issue(store, settings, issue_id, SmtpMailSender(settings))
    assert report.sent == 1 and report.finished
    mail = smtp.wait_for(2)[1].message
    assert mail.get_content_type() == "multipart/alternative"
    html = mail.get_body(("html",)).get_content()
    plain = mail.get_body(("plain",)).get_content()
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert 'style="' in html  # CSS inlined for mail clients
    assert "Velmora's sluice closure stalls the canal (invented)" in plain
    assert "Imogen Tanaka-Reyes" in plain and "http://testserver/analyses/" in plain
    assert "Support the newsroom: https://support.example/give" in plain
    assert SENTINEL_WORD not in plain and SENTINEL_WORD not in html
    unsubscribe = mail["List-Unsubscribe"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe.strip("<>")
    assert url in plain and url in html
    # a GET only shows the button (link scanners must not unsubscribe anyone) ...
    assert "unsubscribe-form" in client.get(url.removeprefix("http://testserver")).text
    with store.reader() as s:
        assert s.scalar(select(Subscriber.status)) == SubscriberStatus.ACTIVE
    # ... and the mail client's one-click POST (RFC 8058) does it
    one_click = client.post(
        url.removeprefix("http://testserver"), data={"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200 and "unsubscribed" in one_click.text
    with store.reader() as s:
        assert s.scalar(select(Subscriber.status)) == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.postgres
def test_refusals_are_recorded_as_bounces_and_the_rest_still_go(
    store: Store, tmp_path: Path, smtp: SmtpServer
) -> None:
    build_audience_site(store)
    settings = _settings(tmp_path, smtp, bounce_limit=1)
    with store.session() as s:
        for email in ("one@example.org", "gone@example.org", "two@example.org"):
            subscribe(s, email, confirmed=True)
        issue_id = create_issue(s, settings).id
    report = send_issue(store, settings, issue_id, SmtpMailSender(settings))
    assert (report.sent, report.refused) == (2, 1)
    assert sorted(r.rcpt[0] for r in smtp.messages()) == ["one@example.org", "two@example.org"]
    with store.reader() as s:
        gone = s.scalar(select(Subscriber).where(Subscriber.email == "gone@example.org"))
        assert gone is not None and gone.status == SubscriberStatus.BOUNCED
        assert gone.bounce_count == 1 and "550" in (gone.last_bounce or "")
        refused = s.scalar(select(Delivery).where(Delivery.status == DeliveryStatus.REFUSED))
        assert refused is not None and refused.smtp_code == 550


@pytest.mark.postgres
def test_topics_narrow_a_briefing_and_empty_ones_are_skipped(
    store: Store, tmp_path: Path, smtp: SmtpServer
) -> None:
    build_audience_site(store)
    settings = _settings(tmp_path, smtp)
    with store.session() as s:
        subscribe(s, "tagged@example.org", topics=["tag:place:VL"], confirmed=True)
        subscribe(s, "other@example.org", topics=["persona:americas"], confirmed=True)
        issue_id = create_issue(s, settings).id
    report = send_issue(store, settings, issue_id, SmtpMailSender(settings))
    assert (report.sent, report.skipped) == (1, 1)
    assert smtp.messages()[0].rcpt == ["tagged@example.org"]


def test_the_rate_limit_spaces_mails(store: Store, tmp_path: Path, smtp: SmtpServer) -> None:
    build_audience_site(store)
    settings = _settings(tmp_path, smtp).model_copy(update={"mail_rate_per_minute": 600.0})
    with store.session() as s:
        for n in range(4):
            subscribe(s, f"r{n}@example.org", confirmed=True)
        issue_id = create_issue(s, settings).id
    started = time.monotonic()
    report = send_issue(store, settings, issue_id, SmtpMailSender(settings))
    # 600 a minute is one every 0.1 s: four mails need at least three gaps
    assert report.sent == 4 and time.monotonic() - started >= 0.3


def test_starttls_and_auth(store: Store, tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    build_audience_site(store)
    with SmtpServer(tls_context=context, auth=("newsroom", "s3cret pass")) as server:
        base = f"smtp+starttls://newsroom:s3cret%20pass@127.0.0.1:{server.port}?cafile={cert}"
        settings = _settings(tmp_path, server).model_copy(update={"smtp_url": base})
        with store.session() as s:
            subscribe(s, "tls@example.org", confirmed=True)
            issue_id = create_issue(s, settings).id
        assert send_issue(store, settings, issue_id, SmtpMailSender(settings)).sent == 1
        assert server.wait_for(1)[0].rcpt == ["tls@example.org"]
        before = len(server.messages())
        wrong = settings.model_copy(
            update={"smtp_url": base.replace("s3cret%20pass", "wrong"), "mail_timeout": 3.0}
        )
        # a wrong password is one clear error, and nothing is handed over
        with pytest.raises(MailUnavailable, match=r"newsroom@127\.0\.0\.1"):
            SmtpMailSender(wrong).send(server.messages()[0].message)
        assert len(server.messages()) == before


def test_subscriber_export_and_delete_from_the_cli(
    store: Store, tmp_path: Path, smtp: SmtpServer
) -> None:
    build_audience_site(store)
    settings = _settings(tmp_path, smtp)
    with store.session() as s:
        subscribe(s, "keep@example.org", confirmed=True)
        issue_id = create_issue(s, settings).id
    send_issue(store, settings, issue_id, SmtpMailSender(settings))
    runner = CliRunner()
    args = ["--database-url", store.url, "--data-dir", str(tmp_path / "data")]
    out = runner.invoke(cli_app, [*args, "subscribers", "export", "keep@example.org"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["email"] == "keep@example.org" and data["deliveries"][0]["status"] == "sent"
    gone = runner.invoke(cli_app, [*args, "subscribers", "delete", "keep@example.org"])
    assert gone.exit_code == 0 and "1 delivery record" in gone.output
    missing = runner.invoke(cli_app, [*args, "subscribers", "export", "keep@example.org"])
    assert missing.exit_code == 1 and "no subscriber" in missing.output
    bad = runner.invoke(cli_app, [*args, "subscribers", "add", "not-an-address"])
    assert bad.exit_code == 2 and "not an e-mail address" in bad.output
    with store.reader() as s:
        assert s.scalar(select(Subscriber.id)) is None
        assert s.scalar(select(Delivery.id)) is None
