"""The review queue: what waits for an editor, oldest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from newsdesk.store import Analysis, AnalysisStatus, Story

WAITING = (
    AnalysisStatus.NEEDS_REVIEW,
    AnalysisStatus.DRAFT,
    AnalysisStatus.WRITTEN,
    AnalysisStatus.APPROVED,
)


@dataclass
class QueueItem:
    """One analysis waiting on the desk, with its story and why it waits."""

    analysis: Analysis
    story: Story
    reasons: list[str]
    rule: str | None
    sentences: int
    verified_sentences: int


def review_queue(session: Session) -> list[QueueItem]:
    """Analyses needing review, drafts and scheduled approvals, oldest first.

    Only the newest version of each (story, persona) pair is listed: an older version that a
    newer one replaced no longer waits for anyone.
    """
    newest = (
        select(Analysis.story_id, Analysis.persona_id, func.max(Analysis.version).label("top"))
        .group_by(Analysis.story_id, Analysis.persona_id)
        .subquery()
    )
    rows = session.execute(
        select(Analysis, Story)
        .join(Story, Story.id == Analysis.story_id)
        .join(
            newest,
            and_(
                newest.c.story_id == Analysis.story_id,
                newest.c.persona_id == Analysis.persona_id,
                newest.c.top == Analysis.version,
            ),
        )
        .where(Analysis.status.in_(WAITING))
        .order_by(Analysis.created_at, Analysis.id)
    ).all()
    items = []
    for analysis, story in rows:
        if analysis.status == AnalysisStatus.APPROVED and analysis.scheduled_at is None:
            continue
        sents = analysis.sentences
        items.append(
            QueueItem(
                analysis=analysis,
                story=story,
                reasons=list(analysis.review_reasons or []),
                rule=analysis.policy_rule,
                sentences=len(sents),
                verified_sentences=sum(1 for s in sents if s.verified),
            )
        )
    return items
