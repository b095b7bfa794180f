"""The public page cache: served from memory for anonymous readers, cleared by any write."""

from __future__ import annotations

import time

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.testclient import TestClient

from newsdesk.web.cache import PageCache, PageCacheMiddleware


def _app(seconds: float) -> tuple[FastAPI, dict[str, int]]:
    app = FastAPI()
    renders = {"n": 0}

    @app.get("/page")
    def page() -> HTMLResponse:
        renders["n"] += 1
        return HTMLResponse(f"<p>render {renders['n']}</p>")

    @app.get("/missing")
    def missing() -> HTMLResponse:
        renders["n"] += 1
        return HTMLResponse("gone", status_code=404)

    @app.get("/api/thing")
    def thing() -> JSONResponse:
        renders["n"] += 1
        return JSONResponse({"n": renders["n"]})

    @app.post("/desk/approve")
    def approve() -> JSONResponse:
        return JSONResponse({"ok": True})

    app.add_middleware(PageCacheMiddleware, cache=PageCache(seconds))
    return app, renders


def test_anonymous_page_is_rendered_once_within_the_lifetime() -> None:
    app, renders = _app(60)
    client = TestClient(app)
    first = client.get("/page").text
    assert client.get("/page").text == first
    assert renders["n"] == 1
    assert client.get("/page?x=1").text != first  # the query string is part of the key


def test_a_post_clears_the_cache_and_errors_are_never_kept() -> None:
    app, renders = _app(60)
    client = TestClient(app)
    client.get("/page")
    client.post("/desk/approve")
    assert client.get("/page").text == "<p>render 2</p>"
    client.get("/missing")
    client.get("/missing")
    assert renders["n"] == 4


def test_signed_in_readers_api_and_expired_pages_bypass_it() -> None:
    app, renders = _app(0.2)
    client = TestClient(app)
    client.get("/page")
    assert client.get("/page", headers={"cookie": "nd_session=x"}).text == "<p>render 2</p>"
    client.get("/api/thing")
    client.get("/api/thing")
    assert renders["n"] == 4
    time.sleep(0.3)
    assert client.get("/page").text == "<p>render 5</p>"


def test_zero_seconds_turns_it_off() -> None:
    app, renders = _app(0)
    client = TestClient(app)
    client.get("/page")
    client.get("/page")
    assert renders["n"] == 2


def test_readers_arriving_during_a_render_wait_for_it_instead_of_rendering_again() -> None:
    import asyncio

    import httpx

    app = FastAPI()
    renders = {"n": 0}

    @app.get("/slow")
    async def slow() -> HTMLResponse:
        renders["n"] += 1
        await asyncio.sleep(0.2)
        return HTMLResponse("<p>slow page</p>")

    app.add_middleware(PageCacheMiddleware, cache=PageCache(60))

    async def burst() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            replies = await asyncio.gather(*(client.get("/slow") for _ in range(20)))
        return [r.text for r in replies]

    texts = asyncio.run(burst())
    assert texts == ["<p>slow page</p>"] * 20
    assert renders["n"] == 1
