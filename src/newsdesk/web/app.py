"""The FastAPI application: public site, desk and API routers over one store."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.web import api
from newsdesk.web.cache import PageCache, PageCacheMiddleware, PrivatePagesMiddleware
from newsdesk.web.desk import newsletter as desk_newsletter
from newsdesk.web.desk import routes as desk_routes
from newsdesk.web.security import SecurityHeadersMiddleware
from newsdesk.web.site import about as site_about
from newsdesk.web.site import feeds as site_feeds
from newsdesk.web.site import hooks as site_hooks
from newsdesk.web.site import images as site_images
from newsdesk.web.site import members as site_members
from newsdesk.web.site import newsletter as site_newsletter
from newsdesk.web.site import routes as site_routes
from newsdesk.web.templating import templates

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com; frame-ancestors 'none'"
)


class InsecureSecretKey(RuntimeError):
    """No secret key is configured and the app is not in dev mode."""


def resolve_secret_key(settings: Settings) -> str:
    """The configured key; in dev mode a generated one kept in data_dir (refused otherwise)."""
    if settings.secret_key:
        if len(settings.secret_key) < 16:
            raise InsecureSecretKey("secret_key must be at least 16 characters")
        return settings.secret_key
    if not settings.dev_mode:
        raise InsecureSecretKey(
            "set secret_key (or NEWSDESK_SECRET_KEY) before serving the desk outside dev mode"
        )
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app over a store (opened and migrated from the settings when not given)."""
    app = FastAPI(
        title=f"{settings.site_title} API",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.state.secret_key = resolve_secret_key(settings)
    app.state.page_cache = PageCache(settings.page_cache_seconds)
    app.add_middleware(PageCacheMiddleware, cache=app.state.page_cache)
    app.add_middleware(PrivatePagesMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(desk_routes.router)
    app.include_router(desk_newsletter.router)
    # the audience side (issue 14): feeds, trust pages, members, newsletter, webhooks
    for audience in (
        site_feeds,
        site_about,
        site_members,
        site_newsletter,
        site_hooks,
        site_images,
    ):
        app.include_router(audience.router)
    app.include_router(site_routes.router)

    @app.get("/api/docs", include_in_schema=False)
    async def _api_docs() -> HTMLResponse:
        # Swagger UI is a script from a CDN plus an inline bootstrap: allow just those here
        page = get_swagger_ui_html(openapi_url="/api/openapi.json", title=app.title)
        page.headers["content-security-policy"] = DOCS_CSP
        return page

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": exc.detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return HTMLResponse(
            templates.get_template("error.html").render(
                request=request, status=500, detail="Something went wrong on our side."
            ),
            status_code=500,
        )

    return app
