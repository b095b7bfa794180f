"""The story chart as a PNG: the image share cards (Open Graph, Twitter) point at.

Social sites do not show SVG, so the entity network the analysis page draws as SVG is
rasterised with resvg (a Rust renderer shipped in its wheel), 1200 px wide on white, and kept
in memory per story version.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import resvg_py
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from newsdesk.store import Story
from newsdesk.web.app_state import app_store
from newsdesk.web.site.charts import entity_network_svg

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

WIDTH = 1200
MAX_CACHED = 64


def render_chart_png(svg: str) -> bytes:
    """An SVG chart as PNG bytes, WIDTH pixels wide on a white background."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=WIDTH, background="#ffffff"))


@router.get("/stories/{raw_id}/chart.png")
def story_chart_png(request: Request, raw_id: str) -> Response:
    """Who is in a story, as a PNG (the share image of its analyses)."""
    if not raw_id.isdigit() or len(raw_id) > 18:
        raise HTTPException(404, "No such story.")
    cache: OrderedDict[tuple[int, str], bytes] = request.app.state.__dict__.setdefault(
        "chart_pngs", OrderedDict()
    )
    with app_store(request).reader() as s:
        story = s.get(Story, int(raw_id))
        if story is None or story.merged_into_id is not None:
            raise HTTPException(404, "No such story.")
        key = (story.id, story.updated_at.isoformat())
        png = cache.get(key)
        if png is None:
            try:
                png = render_chart_png(entity_network_svg(s, story.id))
            except ValueError as exc:
                log.warning("chart of story %s not rendered: %s", story.id, exc)
                raise HTTPException(404, "This story has no chart.") from exc
            cache[key] = png
            while len(cache) > MAX_CACHED:
                cache.popitem(last=False)
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})
