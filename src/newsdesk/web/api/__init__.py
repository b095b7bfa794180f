"""The JSON API under /api/v1: public reads of the newsroom, editor actions behind API tokens.

Reads need no account and only ever show published and retracted analyses; a valid token
(`Authorization: Bearer nd_...`) also shows drafts and the desk's notes. Editor actions take a
token only: session cookies are never read here, so the API needs no CSRF protection. The
routes live in `read` and `desk`; tokens and roles in `access`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from newsdesk.web.api import desk as api_desk
from newsdesk.web.api import read as api_read
from newsdesk.web.api.access import ApiRoute, optional_token
from newsdesk.web.api.read import analysis_detail, public_url

__all__ = ["analysis_detail", "public_url", "router"]

# every route checks a token it is given (a bad one is a 401 even on public reads); FastAPI
# caches the dependency, so routes that also ask for the holder check it once
router = APIRouter(prefix="/api/v1", route_class=ApiRoute, dependencies=[Depends(optional_token)])
router.include_router(api_read.router)
router.include_router(api_desk.router)
