"""Who may call the JSON API: API tokens, the roles they carry, and errors as JSON.

Reads need no account; a valid token (`Authorization: Bearer nd_...`) also shows drafts and the
desk's notes. Editor actions take a token only: session cookies are never read here, so the API
needs no CSRF protection.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk import desk
from newsdesk.accounts.tokens import user_for_token
from newsdesk.desk.errors import AnalysisNotFound
from newsdesk.store import Role, User
from newsdesk.web.app_state import app_store

REALM = 'Bearer realm="newsdesk"'


def _desk_status(exc: desk.DeskError) -> int:
    """The HTTP status of a refused desk action."""
    if isinstance(exc, desk.NotAllowed):
        return 403
    if isinstance(exc, desk.InvalidTransition):
        return 409
    if isinstance(exc, AnalysisNotFound):
        return 404
    # unknown sentence ids, empty reasons, edits that change nothing: the request is at fault
    if isinstance(exc, LookupError | ValueError):
        return 422
    return 400


class ApiRoute(APIRoute):
    """A route whose errors are JSON with their headers kept (WWW-Authenticate on a 401)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except StarletteHTTPException as exc:
                return JSONResponse(
                    {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
                )
            except desk.DeskError as exc:
                return JSONResponse({"detail": str(exc)}, status_code=_desk_status(exc))

        return handle


bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiToken",
    description="An API token: `Authorization: Bearer nd_...` (ask an admin for one).",
)


# -- tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenHolder:
    """Who a valid token acts for, and with which role (the lower of token's and account's)."""

    user_id: int
    username: str
    display_name: str
    role: str

    def actor(self) -> User:
        """A detached stand-in account carrying the token's role, for the desk's role checks.

        The desk checks `actor.role`; a contributor token of an editor account must act as a
        contributor, so the real row (with the account's role) is not passed. The stand-in is
        never added to a session.
        """
        return User(
            id=self.user_id,
            username=self.username,
            display_name=self.display_name,
            role=self.role,
            disabled=False,
        )


def unauthorized(detail: str, error: str | None = None) -> HTTPException:
    """A 401 with the Bearer challenge (and the OAuth error code, when there is one)."""
    challenge = REALM + (f', error="{error}"' if error else "")
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": challenge})


def optional_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> TokenHolder | None:
    """The token holder, None without a token; a token that grants nothing is a 401."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise unauthorized("use an API token: Authorization: Bearer <token>", "invalid_request")
        return None
    with app_store(request).session() as s:
        found = user_for_token(s, credentials.credentials)
        if found is None:
            raise unauthorized("invalid, revoked or disabled API token", "invalid_token")
        user, role = found
        return TokenHolder(user.id, user.username, user.display_name, role)


Holder = Annotated[TokenHolder | None, Depends(optional_token)]


def require_token(minimum: str) -> Callable[[TokenHolder | None], TokenHolder]:
    """A dependency that needs a token with at least `minimum` (401 without one, else 403)."""

    def dependency(holder: Holder) -> TokenHolder:
        if holder is None:
            raise unauthorized("an API token is required")
        if not Role.at_least(holder.role, minimum):
            raise HTTPException(403, f"this token ({holder.role}) may not do this: needs {minimum}")
        return holder

    return dependency


Contributor = Annotated[TokenHolder, Depends(require_token(Role.CONTRIBUTOR))]
Editor = Annotated[TokenHolder, Depends(require_token(Role.EDITOR))]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
