"""The app itself: security headers everywhere, secrets refused outside dev mode, error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.settings import load_settings
from newsdesk.web import create_app
from newsdesk.web.app import InsecureSecretKey


def test_every_response_carries_the_security_headers(tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(data_dir=tmp_path, dev_mode=True)))
    for path in ("/", "/no-such-page", "/api/v1/stories", "/static/site.css"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_api_errors_are_json_and_pages_are_html(tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(data_dir=tmp_path, dev_mode=True)))
    api = client.get("/api/v1/analyses/999999")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "front page" in page.text


def test_api_docs_page_allows_only_its_own_scripts(tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(data_dir=tmp_path, dev_mode=True)))
    r = client.get("/api/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()
    assert "cdn.jsdelivr.net" in r.headers["content-security-policy"]
    assert "cdn.jsdelivr.net" not in client.get("/").headers["content-security-policy"]
    assert "/api/v1/analyses/{analysis_id}" in client.get("/api/openapi.json").text


def test_no_secret_key_outside_dev_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InsecureSecretKey):
        create_app(load_settings(data_dir=tmp_path))
    with pytest.raises(InsecureSecretKey):
        create_app(load_settings(data_dir=tmp_path, secret_key="short"))
    create_app(load_settings(data_dir=tmp_path, secret_key="x" * 32))


def test_dev_mode_keeps_its_generated_key_across_restarts(tmp_path: Path) -> None:
    first = create_app(load_settings(data_dir=tmp_path, dev_mode=True)).state.secret_key
    second = create_app(load_settings(data_dir=tmp_path, dev_mode=True)).state.secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
