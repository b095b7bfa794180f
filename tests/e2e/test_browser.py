"""The site in a real headless Chromium (Debian's, driven by Playwright): a reader opens an
analysis and a citation; an editor signs in and approves a draft that then shows on the home
page. Screenshots of the home page, an analysis and the desk go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from newsdesk.accounts import create_user
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, Role, Store, open_store
from newsdesk.web import create_app
from tests.conftest import DemoBuild
from tests.webserver import AppServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery"

if not Path(CHROMIUM).exists():
    # CI installs Debian's chromium (.ci/run); there a missing browser is a failure, not a skip
    if os.environ.get("CI"):
        raise RuntimeError(f"chromium not found at {CHROMIUM}: .ci/run should install it")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(
    demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Store]]:
    """The session's demo build, copied: the editor here approves a draft, which changes it."""
    data = demo_build.copy(tmp_path_factory.mktemp("browser"))
    settings = Settings(data_dir=data, dev_mode=True, page_cache_seconds=5.0)
    store = open_store(settings)
    with store.session() as s:
        create_user(s, "editor", PASSWORD, Role.EDITOR, display_name="Demo Editor")
    server = AppServer(create_app(settings, store)).start()
    try:
        yield server.base_url, store
    finally:
        server.stop()
        store.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield b
        finally:
            b.close()


def _shot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_reader_opens_an_analysis_and_a_citation(site: tuple[str, Store], browser: object) -> None:
    base, _ = site
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/")
    _shot(page, "home")
    page.locator("a[href^='/analyses/']").first.click()
    page.wait_for_url("**/analyses/*")
    assert page.locator("h1").first.inner_text().strip()
    _shot(page, "analysis")
    marker = page.locator("a.cite").first
    passage_id = marker.get_attribute("data-passage-id")
    assert passage_id
    marker.click()
    popover = page.locator(".cite-popover")
    popover.wait_for(state="visible")
    text = popover.inner_text()
    assert len(text) > 40  # the supporting passage itself, not just a label
    source_link = popover.locator("a[href^='http']").first
    assert source_link.get_attribute("href")
    _shot(page, "citation")
    # the sources panel lists the cited source with outlet and language
    assert page.locator("#sources li").count() >= 1
    assert not errors, errors
    # a phone-sized screen still reads: no horizontal scrolling
    phone = browser.new_page(viewport={"width": 375, "height": 800})  # type: ignore[attr-defined]
    phone.goto(page.url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 380
    _shot(phone, "analysis-phone")


def test_editor_signs_in_and_approves_a_draft_that_then_shows_on_home(
    site: tuple[str, Store], browser: object
) -> None:
    base, store = site
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page.goto(base + "/desk")
    page.wait_for_selector("#login-form")
    page.fill("#login-form input[name=username]", "editor")
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector(".queue-item")
    _shot(page, "desk")
    # the queue says why each draft waits
    assert "outlet" in page.content() or "denial" in page.content()
    page.locator(".queue-item .open-draft").first.click()
    page.wait_for_selector("#approve-submit")
    draft_id = int(page.url.rstrip("/").split("/")[-1].split("?")[0])
    with store.reader() as s:
        headline = s.get(Analysis, draft_id).headline  # type: ignore[union-attr]
    _shot(page, "desk-draft")
    page.click("#approve-submit")
    page.wait_for_load_state()
    with store.reader() as s:
        approved = s.get(Analysis, draft_id)
        assert approved is not None and approved.status == AnalysisStatus.PUBLISHED
        assert approved.approved_by_id is not None
    reader = browser.new_page()  # type: ignore[attr-defined]
    reader.goto(base + "/")
    link = reader.locator(f"a[href='/analyses/{draft_id}']").first
    assert link.inner_text().strip() == headline.strip()
    with store.reader() as s:
        published = s.scalars(
            select(Analysis.id).where(Analysis.status == AnalysisStatus.PUBLISHED)
        ).all()
    assert draft_id in published
