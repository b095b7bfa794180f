"""The API's desk: the review queue and editor actions, for API tokens only."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from newsdesk import desk
from newsdesk.store import Analysis, User
from newsdesk.web.api.access import ApiRoute, Contributor, Editor, TokenHolder
from newsdesk.web.api.models import (
    AnalysisDetail,
    ApproveIn,
    CorrectIn,
    EditIn,
    QueueItemOut,
    ReasonIn,
)
from newsdesk.web.api.read import analysis_detail, analysis_summary, story_summary
from newsdesk.web.app_state import app_settings, app_store

log = logging.getLogger(__name__)

router = APIRouter(route_class=ApiRoute)


@router.get("/desk/queue", response_model=list[QueueItemOut], tags=["desk"])
def desk_queue(request: Request, holder: Contributor) -> list[QueueItemOut]:
    """What waits for an editor (publishing scheduled pieces that are due first)."""
    with app_store(request).session() as s:
        desk.publish_due(s)
        return [
            QueueItemOut(
                analysis=analysis_summary(item.analysis, private=True),
                story=story_summary(item.story),
                reasons=item.reasons,
                rule=item.rule,
                sentences=item.sentences,
                verified_sentences=item.verified_sentences,
            )
            for item in desk.review_queue(s)
        ]


def _act(
    request: Request, holder: TokenHolder, action: Callable[[Session, User], Analysis]
) -> AnalysisDetail:
    """Run one desk action in a transaction as the token holder; the result in full."""
    with app_store(request).session() as s:
        analysis = action(s, holder.actor())
        log.info("API: %s acted on analysis %s (%s)", holder.username, analysis.id, analysis.status)
        return analysis_detail(s, analysis, private=True)


@router.post("/analyses/{analysis_id}/approve", response_model=AnalysisDetail, tags=["desk"])
def approve_analysis(
    request: Request, analysis_id: int, holder: Editor, body: ApproveIn | None = None
) -> AnalysisDetail:
    """Publish now, or schedule for `publish_at` when that is in the future (editor)."""
    publish_at = body.publish_at if body else None
    return _act(
        request, holder, lambda s, u: desk.approve(s, analysis_id, u, publish_at=publish_at)
    )


@router.post("/analyses/{analysis_id}/reject", response_model=AnalysisDetail, tags=["desk"])
def reject_analysis(
    request: Request, analysis_id: int, holder: Editor, body: ReasonIn
) -> AnalysisDetail:
    """Reject with a reason (editor)."""
    return _act(request, holder, lambda s, u: desk.reject(s, analysis_id, u, body.reason))


@router.post("/analyses/{analysis_id}/retract", response_model=AnalysisDetail, tags=["desk"])
def retract_analysis(
    request: Request, analysis_id: int, holder: Editor, body: ReasonIn
) -> AnalysisDetail:
    """Retract a published analysis, with a retraction note shown on it (editor)."""
    return _act(request, holder, lambda s, u: desk.retract(s, analysis_id, u, body.reason))


@router.post("/analyses/{analysis_id}/correct", response_model=AnalysisDetail, tags=["desk"])
def correct_analysis(
    request: Request, analysis_id: int, holder: Editor, body: CorrectIn
) -> AnalysisDetail:
    """Add a correction note to a published analysis, optionally fixing sentences (editor)."""
    settings = app_settings(request)
    return _act(
        request,
        holder,
        lambda s, u: desk.correct(
            s, analysis_id, u, body.note, sentences=body.sentences, settings=settings
        ),
    )


@router.post("/analyses/{analysis_id}/edit", response_model=AnalysisDetail, tags=["desk"])
def edit_analysis(
    request: Request, analysis_id: int, holder: Contributor, body: EditIn
) -> AnalysisDetail:
    """Save an edit as a new version waiting for review (contributors: drafts only)."""
    settings = app_settings(request)
    return _act(
        request,
        holder,
        lambda s, u: desk.edit_analysis(
            s,
            analysis_id,
            u,
            headline=body.headline,
            dek=body.dek,
            sentences=body.sentences,
            note=body.note,
            settings=settings,
        ),
    )
