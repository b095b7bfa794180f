"""`newsdesk users add|list|set-role` (being built)."""

from __future__ import annotations
