"""Trust pages: about (analysts, how the newsroom works, what editors do), the sources we
monitor with their last good check, corrections and retractions, support, robots.txt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import func, select

from newsdesk.personas import load_personas
from newsdesk.publish.gate import members_only_sections
from newsdesk.store import Analysis, AnalysisStatus, FetchLog, FetchOutcome, Source
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.site.render import render_page
from newsdesk.write.model import SectionKey

router = APIRouter(include_in_schema=False)

# pages no crawler needs: the desk, the API, the member and newsletter forms and their links
ROBOTS_DISALLOW = (
    "/desk",
    "/api/",
    "/account",
    "/signin",
    "/signup",
    "/newsletter/",
    "/search",
    "/snapshots/",
    "/hooks/",
)


@dataclass
class SourceRow:
    """A monitored source as the sources page lists it."""

    outlet: str
    host: str
    kind: str
    country: str | None
    language: str | None
    tier: int
    every: str
    last_ok: dt.datetime | None
    state: str


def _every(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "every hour" if hours == 1 else f"every {hours} hours"
    return f"every {max(1, seconds // 60)} minutes"


@router.get("/about")
def about_page(request: Request) -> Response:
    """Who writes, how the newsroom works, what human editors do."""
    settings = app_settings(request)
    with app_store(request).reader() as s:
        sources = s.scalar(select(func.count()).select_from(Source).where(Source.enabled)) or 0
        outlets = s.scalar(select(func.count(func.distinct(Source.outlet)))) or 0
    closed = [SectionKey.TITLES.get(k, k) for k in sorted(members_only_sections(settings))]
    return render_page(
        request,
        "about.html",
        {
            "personas": load_personas(settings.personas_file),
            "settings": settings,
            "source_count": sources,
            "outlet_count": outlets,
            "poll_every": _every(settings.poll_interval),
            "min_every": _every(settings.min_poll_interval),
            "max_every": _every(settings.max_poll_interval),
            "closed_sections": closed,
        },
    )


@router.get("/sources")
def sources_page(request: Request) -> Response:
    """Every source we monitor, how often we check it, and when a check last worked."""
    settings = app_settings(request)
    with app_store(request).reader() as s:
        last_ok: dict[int, dt.datetime] = {
            int(sid): when
            for sid, when in s.execute(
                select(FetchLog.source_id, func.max(FetchLog.started_at))
                .where(FetchLog.outcome.in_((FetchOutcome.OK, FetchOutcome.NOT_MODIFIED)))
                .group_by(FetchLog.source_id)
            )
        }
        rows = []
        for src in s.scalars(select(Source).order_by(Source.outlet, Source.id)):
            if src.poll_policy == "entry_frequency":
                every = "as often as it publishes"
            else:
                every = _every(src.poll_interval or settings.poll_interval)
            state = (
                "suspended after errors"
                if src.suspended
                else ("paused" if not src.enabled else ("errors" if src.error_count else "ok"))
            )
            rows.append(
                SourceRow(
                    outlet=src.outlet or "(no outlet name)",
                    # the host only: a feed URL may carry a key or token in it
                    host=urlsplit(src.url).hostname or "",
                    kind=src.kind,
                    country=src.country,
                    language=src.language_hint,
                    tier=src.reliability_tier,
                    every=every,
                    last_ok=last_ok.get(src.id),
                    state=state,
                )
            )
    return render_page(request, "sources.html", {"sources": rows, "settings": settings})


@router.get("/corrections")
def corrections_page(request: Request) -> Response:
    """Every correction and retraction, newest first."""
    notes = []
    with app_store(request).reader() as s:
        for a in s.scalars(
            select(Analysis).where(
                Analysis.status.in_((AnalysisStatus.PUBLISHED, AnalysisStatus.RETRACTED))
            )
        ):
            for c in a.corrections or []:
                notes.append((c.get("at", ""), c.get("kind", "correction"), c.get("note", ""), a))
    notes.sort(key=lambda n: n[0], reverse=True)
    return render_page(request, "corrections.html", {"notes": notes})


@router.get("/support")
def support_page(request: Request) -> Response:
    """Why and how to support the newsroom (payment happens elsewhere)."""
    return render_page(request, "support.html", {"settings": app_settings(request)})


@router.get("/robots.txt", include_in_schema=False)
def robots_txt(request: Request) -> Response:
    """What crawlers may fetch, and where the sitemap is."""
    base = app_settings(request).site_url.rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in ROBOTS_DISALLOW), "Allow: /", ""]
    lines.append(f"Sitemap: {base}/sitemap.xml")
    return PlainTextResponse("\n".join(lines) + "\n")
