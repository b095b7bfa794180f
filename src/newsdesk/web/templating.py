"""The Jinja2 environment shared by the site and the desk (autoescaping always on)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATES = Path(__file__).parent / "templates"

templates = Jinja2Templates(directory=TEMPLATES)
templates.env.autoescape = True


def format_date(value: dt.datetime | dt.date | None, fmt: str = "%d %b %Y") -> str:
    """A date as readers see it; empty for none."""
    if value is None:
        return ""
    return value.strftime(fmt)


def format_datetime(value: dt.datetime | None) -> str:
    """A timestamp in UTC, to the minute."""
    if value is None:
        return ""
    return value.strftime("%d %b %Y, %H:%M UTC")


templates.env.filters["date"] = format_date
templates.env.filters["datetime"] = format_datetime
