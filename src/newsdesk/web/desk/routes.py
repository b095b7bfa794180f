"""The editor desk: sign-in, the review queue, sentence-by-sentence review, edits, decisions.

Every POST carries the session's CSRF token (checked before anything else happens) and every
decision goes through `newsdesk.desk`, which checks roles and records the audit event; this
module only turns forms into calls and results into pages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from newsdesk.accounts import (
    AccountDisabled,
    InvalidCredentials,
    LoginRateLimited,
    UnknownRole,
    UserNotFound,
    authenticate,
    list_users,
    set_role,
)
from newsdesk.desk import (
    DeskError,
    DiffLine,
    InvalidTransition,
    NotAllowed,
    analysis_versions,
    approve,
    audit_events,
    correct,
    diff_versions,
    edit_analysis,
    publish_due,
    record_event,
    reject,
    retract,
    review_queue,
)
from newsdesk.desk.errors import AnalysisNotFound
from newsdesk.desk.workflow import EmptyEdit
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Role,
    Story,
    User,
)
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.auth import (
    SESSION_TARGET,
    checked_form,
    clear_session_cookie,
    client_address,
    csrf_token,
    current_user,
    ensure_anon_cookie,
    load_session,
    new_session_id,
    prepare_anon_csrf,
    require_user,
    safe_next,
    set_session_cookie,
)
from newsdesk.web.templating import templates
from newsdesk.write.provenance import ResolvedCitation, cited_ids, resolve_citations

log = logging.getLogger(__name__)

router = APIRouter(prefix="/desk", include_in_schema=False)

# messages shown after a redirect, chosen by code so a link cannot make the desk say anything
FLASH = {
    "signed-out": "You are signed out.",
    "published": "Approved and published.",
    "scheduled": "Approved; it will be published at the scheduled time.",
    "rejected": "Rejected. The reason is kept in the audit log.",
    "retracted": "Retracted. The retraction note shows on the piece.",
    "corrected": "Correction note added; the piece stays published.",
    "edited": "Your edit is saved as a new version and waits for review.",
    "no-change": "Nothing changed, so no new version was made.",
    "role": "Role updated.",
}

SignedIn = Depends(require_user(Role.CONTRIBUTOR))
EditorOnly = Depends(require_user(Role.EDITOR))
AdminOnly = Depends(require_user(Role.ADMIN))


def _render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A desk page; it also slides the session's expiry and keeps pages out of caches."""
    user = current_user(request)
    flash = FLASH.get(request.query_params.get("msg", ""))
    base = {
        "site_title": app_settings(request).site_title,
        "user": user,
        "is_editor": user is not None and Role.at_least(user.role, Role.EDITOR),
        "is_admin": user is not None and Role.at_least(user.role, Role.ADMIN),
        "csrf_token": csrf_token(request),
        "flash": flash,
        "error": None,
    }
    response = templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    session = load_session(request)
    if session is not None:
        set_session_cookie(request, response, session.user, session.sid)
    return response


def _redirect(path: str, msg: str | None = None) -> RedirectResponse:
    if msg:
        path += ("&" if "?" in path else "?") + f"msg={quote(msg)}"
    return RedirectResponse(path, status_code=303)


def _actor(session: Session, user: User) -> User:
    """The signed-in user loaded in this transaction (the desk writes its id and name)."""
    actor = session.get(User, user.id)
    if actor is None or actor.disabled:
        raise HTTPException(status_code=403, detail="This account can no longer act.")
    return actor


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# for the desk's other page modules (newsletter, members)
render_desk_page = _render
desk_redirect = _redirect
acting_user = _actor
form_field = _field


# -- sign-in ---------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    if current_user(request) is not None:
        return _redirect(safe_next(next))
    prepare_anon_csrf(request)
    response = _render(request, "desk/login.html", {"next": safe_next(next), "username": ""})
    ensure_anon_cookie(request, response)
    return response


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await checked_form(request, anonymous=True)
    username, password = _field(form, "username"), form.get("password")
    target = safe_next(_field(form, "next"))
    if not isinstance(password, str):
        password = ""
    sid = new_session_id()
    error, status, headers = "", 200, {}
    user: User | None = None
    with app_store(request).session() as s:
        # the attempt rows are committed with this transaction whatever the outcome
        try:
            user = authenticate(
                s,
                username,
                password,
                client=client_address(request),
                settings=app_settings(request),
            )
            record_event(s, user, "login", SESSION_TARGET, sid, {"client": client_address(request)})
        except LoginRateLimited as exc:
            error, status = f"{str(exc).capitalize()}.", 429
            headers = {"Retry-After": str(exc.retry_after)}
        except AccountDisabled:
            error, status = "This account is disabled. Ask an admin to enable it.", 403
        except InvalidCredentials:
            error, status = "Wrong username or password.", 401
    if user is None:
        response = _render(
            request,
            "desk/login.html",
            {"next": target, "username": username, "error": error},
            status_code=status,
        )
        response.headers.update(headers)
        return response
    response = _redirect(target)
    set_session_cookie(request, response, user, sid)
    return response


@router.post("/logout")
async def logout(request: Request, user: User = SignedIn) -> Response:
    await checked_form(request)
    session = load_session(request)
    with app_store(request).session() as s:
        if session is not None:
            record_event(s, _actor(s, user), "logout", SESSION_TARGET, session.sid)
    response = _redirect("/desk/login", "signed-out")
    clear_session_cookie(request, response)
    return response


# -- the queue -------------------------------------------------------------------------


@router.get("")
def queue_page(request: Request, user: User = SignedIn) -> Response:
    with app_store(request).session() as s:
        publish_due(s)
        items = review_queue(s)
        return _render(request, "desk/queue.html", {"items": items})


# -- one analysis ----------------------------------------------------------------------


@dataclass
class CitedPassage:
    """A passage a sentence cites, with where it comes from."""

    id: str
    text: str
    outlet: str
    language: str
    url: str | None
    title: str


@dataclass
class SentenceView:
    """A sentence as the desk reviews it: text, verdict and the passages it cites."""

    sentence: AnalysisSentence
    passages: list[CitedPassage] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class SectionView:
    """A section of the analysis with its sentences in order."""

    name: str
    sentences: list[SentenceView]


def _cited_passage(c: ResolvedCitation) -> CitedPassage | None:
    art = c.article
    if art is None or c.text is None:
        return None
    title = "headline" if c.headline else art.title
    return CitedPassage(
        c.passage_id, c.text, art.outlet, art.language or "", art.url or art.canonical_url, title
    )


def _sections(session: Session, analysis: Analysis) -> list[SectionView]:
    resolved = resolve_citations(session, cited_ids(analysis.sentences), titles=True)
    cited = {pid: _cited_passage(c) for pid, c in resolved.items()}
    sections: dict[str, SectionView] = {}
    for sent in sorted(analysis.sentences, key=lambda s: (s.section_order, s.position)):
        view = SentenceView(sent)
        for pid in sent.citations:
            passage = cited[pid]
            if passage is not None:
                view.passages.append(passage)
            else:
                view.missing.append(pid)
        sections.setdefault(sent.section, SectionView(sent.section, [])).sentences.append(view)
    return list(sections.values())


def _get_analysis(session: Session, analysis_id: int) -> Analysis:
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        raise HTTPException(status_code=404, detail=f"There is no analysis {analysis_id}.")
    return analysis


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all()
    return {uid: name for uid, name in rows}


def _analysis_page(
    request: Request, analysis_id: int, *, error: str | None = None, status_code: int = 200
) -> Response:
    with app_store(request).session() as s:
        publish_due(s)
        analysis = _get_analysis(s, analysis_id)
        story = s.get(Story, analysis.story_id)
        sections = _sections(s, analysis)
        versions = analysis_versions(s, analysis_id)
        events = audit_events(s, target_type="analysis", target_id=analysis_id, limit=50)
        sentences = [v.sentence for sec in sections for v in sec.sentences]
        context = {
            "analysis": analysis,
            "story": story,
            "sections": sections,
            "versions": versions,
            "newest": versions[-1] if versions else analysis,
            "events": events,
            "names": _user_names(s, {analysis.approved_by_id, analysis.edited_by_id}),
            "verified": sum(1 for x in sentences if x.verified),
            "total": len(sentences),
            "error": error,
            "form": {},
        }
        return _render(request, "desk/analysis.html", context, status_code=status_code)


@router.get("/analyses/{analysis_id}")
def analysis_page(request: Request, analysis_id: int, user: User = SignedIn) -> Response:
    return _analysis_page(request, analysis_id)


def _desk_failure(request: Request, analysis_id: int, exc: DeskError) -> Response:
    """A refused action: 403 for roles, 404 for missing pieces, else the page with the reason."""
    if isinstance(exc, NotAllowed):
        raise HTTPException(status_code=403, detail=f"Not allowed: {exc}.")
    if isinstance(exc, AnalysisNotFound):
        raise HTTPException(status_code=404, detail=str(exc))
    status = 409 if isinstance(exc, InvalidTransition) else 400
    return _analysis_page(request, analysis_id, error=str(exc), status_code=status)


@router.post("/analyses/{analysis_id}/edit")
async def edit_submit(request: Request, analysis_id: int, user: User = SignedIn) -> Response:
    form = await checked_form(request)
    edits: dict[int, str] = {}
    for key, value in form.multi_items():
        if key.startswith("sentence-") and key[9:].isdigit() and isinstance(value, str):
            edits[int(key[9:])] = value
    headline = form.get("headline")
    dek = form.get("dek")
    try:
        with app_store(request).session() as s:
            new = edit_analysis(
                s,
                analysis_id,
                _actor(s, user),
                headline=headline if isinstance(headline, str) else None,
                dek=dek if isinstance(dek, str) else None,
                sentences=edits,
                note=_field(form, "note"),
                settings=app_settings(request),
            )
            new_id = new.id
    except EmptyEdit:
        return _redirect(f"/desk/analyses/{analysis_id}", "no-change")
    except DeskError as exc:
        return _desk_failure(request, analysis_id, exc)
    return _redirect(f"/desk/analyses/{new_id}", "edited")


def parse_publish_at(value: str) -> dt.datetime | None:
    """A datetime-local value ("2026-11-12T09:30"), read as UTC; None when empty."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


@router.post("/analyses/{analysis_id}/approve")
async def approve_submit(request: Request, analysis_id: int, user: User = SignedIn) -> Response:
    form = await checked_form(request)
    try:
        publish_at = parse_publish_at(_field(form, "publish_at"))
    except ValueError:
        return _analysis_page(
            request,
            analysis_id,
            error="The publish time is not a date and time (use YYYY-MM-DDTHH:MM, UTC).",
            status_code=400,
        )
    try:
        with app_store(request).session() as s:
            status = approve(s, analysis_id, _actor(s, user), publish_at=publish_at).status
    except DeskError as exc:
        return _desk_failure(request, analysis_id, exc)
    msg = "scheduled" if status == AnalysisStatus.APPROVED else "published"
    return _redirect(f"/desk/analyses/{analysis_id}", msg)


async def _decide_with_text(
    request: Request,
    analysis_id: int,
    user: User,
    *,
    field: str,
    required: str,
    decide: Callable[[Session, int, User, str], Analysis],
    msg: str,
) -> Response:
    """A decision that needs a text from the form (a reason, a note): refused without one."""
    form = await checked_form(request)
    text = _field(form, field)
    if not text:
        return _analysis_page(request, analysis_id, error=required, status_code=400)
    try:
        with app_store(request).session() as s:
            decide(s, analysis_id, _actor(s, user), text)
    except DeskError as exc:
        return _desk_failure(request, analysis_id, exc)
    return _redirect(f"/desk/analyses/{analysis_id}", msg)


@router.post("/analyses/{analysis_id}/reject")
async def reject_submit(request: Request, analysis_id: int, user: User = SignedIn) -> Response:
    return await _decide_with_text(
        request,
        analysis_id,
        user,
        field="reason",
        required="Say why you reject this draft.",
        decide=reject,
        msg="rejected",
    )


@router.post("/analyses/{analysis_id}/retract")
async def retract_submit(request: Request, analysis_id: int, user: User = SignedIn) -> Response:
    return await _decide_with_text(
        request,
        analysis_id,
        user,
        field="reason",
        required="Say why you retract this piece.",
        decide=retract,
        msg="retracted",
    )


@router.post("/analyses/{analysis_id}/correct")
async def correct_submit(request: Request, analysis_id: int, user: User = SignedIn) -> Response:
    return await _decide_with_text(
        request,
        analysis_id,
        user,
        field="note",
        required="A correction needs a note for readers.",
        decide=correct,
        msg="corrected",
    )


# -- versions --------------------------------------------------------------------------


@dataclass
class DiffRow:
    """A diff line ready to show: for replacements, the words that changed."""

    line: DiffLine
    old_parts: list[tuple[str, str]]
    new_parts: list[tuple[str, str]]


def word_diff(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(op, text) runs of the old and new sentence; op is "same" or "changed"."""
    a, b = old.split(" "), new.split(" ")
    old_parts: list[tuple[str, str]] = []
    new_parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "same" if op == "equal" else "changed"
        if i2 > i1:
            old_parts.append((kind, " ".join(a[i1:i2])))
        if j2 > j1:
            new_parts.append((kind, " ".join(b[j1:j2])))
    return old_parts, new_parts


def _diff_rows(lines: list[DiffLine]) -> list[DiffRow]:
    rows = []
    for line in lines:
        if line.op == "replace":
            old_parts, new_parts = word_diff(line.old, line.new)
        else:
            old_parts = [("same", line.old)] if line.old else []
            new_parts = [("same", line.new)] if line.new else []
        rows.append(DiffRow(line, old_parts, new_parts))
    return rows


@router.get("/analyses/{analysis_id}/diff")
def diff_page(
    request: Request, analysis_id: int, against: int | None = None, user: User = SignedIn
) -> Response:
    with app_store(request).session() as s:
        new = _get_analysis(s, analysis_id)
        versions = analysis_versions(s, analysis_id)
        if against is None:
            older = [v for v in versions if v.version < new.version]
            against = new.edited_from_id or (older[-1].id if older else None)
        if against is None:
            raise HTTPException(status_code=404, detail="This is the first version: no diff.")
        old = _get_analysis(s, against)
        if (old.story_id, old.persona_id) != (new.story_id, new.persona_id):
            raise HTTPException(
                status_code=400, detail="Those are not versions of the same analysis."
            )
        rows = _diff_rows(diff_versions(s, old.id, new.id))
        context = {
            "old": old,
            "new": new,
            "rows": rows,
            "versions": versions,
            "changes": sum(1 for r in rows if r.line.op != "equal"),
        }
        return _render(request, "desk/diff.html", context)


# -- audit log and users ---------------------------------------------------------------


@router.get("/audit")
def audit_page(
    request: Request,
    target_type: str | None = None,
    target_id: str | None = None,
    user: User = SignedIn,
) -> Response:
    with app_store(request).session() as s:
        events = audit_events(s, target_type=target_type or None, target_id=target_id or None)
        context = {"events": events, "target_type": target_type, "target_id": target_id}
        return _render(request, "desk/audit.html", context)


def _users_page(request: Request, *, error: str | None = None, status_code: int = 200) -> Response:
    with app_store(request).session() as s:
        context = {"users": list_users(s), "roles": Role.ALL, "error": error}
        return _render(request, "desk/users.html", context, status_code=status_code)


@router.get("/users")
def users_page(request: Request, user: User = AdminOnly) -> Response:
    return _users_page(request)


class LastAdmin(Exception):
    """Demoting this account would leave the desk without an enabled admin."""


def _admin_count(session: Session) -> int:
    count = session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN, User.disabled.is_(False))
    )
    return int(count or 0)


@router.post("/users")
async def users_submit(request: Request, user: User = AdminOnly) -> Response:
    form = await checked_form(request)
    username, role = _field(form, "username"), _field(form, "role")
    try:
        with app_store(request).session() as s:
            actor = _actor(s, user)
            target = s.scalar(select(User).where(User.username == username))
            if target is None:
                raise UserNotFound(f"no user named {username!r}")
            before = target.role
            if before == Role.ADMIN and role != Role.ADMIN and _admin_count(s) <= 1:
                raise LastAdmin("this is the last admin: make another admin first")
            set_role(s, username, role)
            record_event(s, actor, "set_role", "user", target.id, {"from": before, "to": role})
    except LastAdmin as exc:
        return _users_page(request, error=str(exc), status_code=409)
    except (UnknownRole, UserNotFound) as exc:
        return _users_page(request, error=str(exc), status_code=400)
    return _redirect("/desk/users", "role")
