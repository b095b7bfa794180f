"""Readers in the real Chromium (Debian's, through Playwright): a visitor subscribes, confirms
from the mail that reached a real SMTP server and unsubscribes with one click; a member signs
in by the e-mailed link and reads the members-only part a visitor cannot see. Screenshots of
the briefing as rendered HTML (desktop and phone) go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.publish.mail import SmtpMailSender
from newsdesk.publish.newsletter.send import create_issue, send_issue
from newsdesk.settings import Settings
from newsdesk.store import Store, Subscriber, SubscriberStatus
from newsdesk.web import create_app
from tests.publish.audience_site import SENTINEL, AudienceSite, build_audience_site
from tests.smtpserver import SmtpServer
from tests.webserver import AppServer, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/\S+")

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"chromium not found at {CHROMIUM}: .ci/run should install it")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def newsroom(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Store, Settings, SmtpServer, AudienceSite]]:
    tmp = tmp_path_factory.mktemp("audience")
    store = Store(f"sqlite:///{tmp / 'site.db'}")
    store.migrate()
    built = build_audience_site(store)
    port = free_port()
    with SmtpServer() as smtp:
        settings = Settings(
            data_dir=tmp / "data",
            dev_mode=True,
            site_url=f"http://127.0.0.1:{port}",
            smtp_url=smtp.url,
            mail_rate_per_minute=0,
            members_only=["what_to_watch"],
            support_url="https://support.example/give",
            page_cache_seconds=5.0,
        )
        server = AppServer(create_app(settings, store), port=port).start()
        try:
            yield server.base_url, store, settings, smtp, built
        finally:
            server.stop()
            store.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        try:
            yield b
        finally:
            b.close()


def _shot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def _link_in(smtp: SmtpServer, count: int, part: str) -> str:
    mail = smtp.wait_for(count)[count - 1].message
    text = mail.get_body(("plain",)).get_content()
    return next(u for u in LINK.findall(text) if part in u)


def test_visitor_subscribes_confirms_from_the_mail_and_unsubscribes_in_one_click(
    newsroom: tuple[str, Store, Settings, SmtpServer, AudienceSite], browser: object
) -> None:
    base, store, settings, smtp, _ = newsroom
    before = len(smtp.messages())
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/")
    page.click("nav >> text=Newsletter")
    page.fill("#newsletter-email", "ines.reader@example.org")
    page.click("#newsletter-submit")
    page.wait_for_selector("#check-mail")
    confirm = _link_in(smtp, before + 1, "/newsletter/confirm")
    page.goto(confirm)
    page.click("#confirm-submit")
    page.wait_for_selector("#confirmed-line")
    with store.reader() as s:
        status = s.scalar(
            select(Subscriber.status).where(Subscriber.email == "ines.reader@example.org")
        )
    assert status == SubscriberStatus.ACTIVE

    with store.session() as s:
        issue_id = create_issue(s, settings).id
    assert send_issue(store, settings, issue_id, SmtpMailSender(settings)).sent == 1
    briefing = smtp.wait_for(before + 2)[before + 1].message
    html = briefing.get_body(("html",)).get_content()
    mail_view = browser.new_page(viewport={"width": 800, "height": 900})  # type: ignore[attr-defined]
    mail_view.set_content(html)
    assert (
        mail_view.locator("text=Velmora's sluice closure stalls the canal (invented)").count() == 1
    )
    _shot(mail_view, "newsletter-briefing")
    phone = browser.new_page(viewport={"width": 375, "height": 800})  # type: ignore[attr-defined]
    phone.set_content(html)
    _shot(phone, "newsletter-briefing-phone")

    unsubscribe = briefing["List-Unsubscribe"].strip("<>")
    page.goto(unsubscribe)
    page.click("#unsubscribe-submit")
    page.wait_for_selector("#unsubscribed-line")
    with store.reader() as s:
        status = s.scalar(
            select(Subscriber.status).where(Subscriber.email == "ines.reader@example.org")
        )
    assert status == SubscriberStatus.UNSUBSCRIBED
    assert not errors, errors


def test_member_signs_in_by_link_and_reads_what_a_visitor_cannot(
    newsroom: tuple[str, Store, Settings, SmtpServer, AudienceSite], browser: object
) -> None:
    base, _, _, smtp, built = newsroom
    before = len(smtp.messages())
    visitor = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    visitor.goto(f"{base}/analyses/{built.v2_id}")
    assert SENTINEL not in visitor.content()
    assert visitor.locator("#members-only").is_visible()
    _shot(visitor, "analysis-visitor")

    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/analyses/{built.v2_id}")
    page.click("#members-only >> text=Sign in or join free")
    page.fill("#signin-email", "member@example.org")
    page.click("#signin-submit")
    page.wait_for_selector("#check-mail")
    link = _link_in(smtp, before + 1, "/signin/verify")
    page.goto(link)
    page.click("#verify-submit")
    page.wait_for_url(f"**/analyses/{built.v2_id}")
    assert page.locator(f"text={SENTINEL}").count() == 1
    assert page.locator("#members-only").count() == 0
    _shot(page, "analysis-member")
    # the visitor, straight after, still gets the public page (the page cache is on)
    visitor.reload()
    assert SENTINEL not in visitor.content()
    # the member follows the story from the page
    page.click("text=Follow this story")
    page.goto(f"{base}/account")
    assert page.locator("#follows li").count() == 1
    _shot(page, "account")
    context.close()
