"""`newsdesk serve`: the public site, the desk and the API (being built)."""

from __future__ import annotations
