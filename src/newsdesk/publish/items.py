"""What has been published, as the audience side lists it: series, versions, changes.

A series is one persona's analysis of one story through its versions. Feeds and the site show
each series once, at its newest published version; a series whose every version is
retracted is shown as retracted (the feed carries the retraction, see README).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from newsdesk.store import Analysis, AnalysisStatus

PUBLIC_STATUSES = (AnalysisStatus.PUBLISHED, AnalysisStatus.RETRACTED)


def current_published() -> Select[tuple[Analysis]]:
    """Published analyses, only the newest version of each story+persona, newest first."""
    newest = (
        select(
            Analysis.story_id,
            Analysis.persona_id,
            func.max(Analysis.version).label("version"),
        )
        .where(Analysis.status == AnalysisStatus.PUBLISHED)
        .group_by(Analysis.story_id, Analysis.persona_id)
        .subquery()
    )
    return (
        select(Analysis)
        .join(
            newest,
            (Analysis.story_id == newest.c.story_id)
            & (Analysis.persona_id == newest.c.persona_id)
            & (Analysis.version == newest.c.version),
        )
        .where(Analysis.status == AnalysisStatus.PUBLISHED)
        .order_by(Analysis.published_at.desc().nulls_last(), Analysis.id.desc())
    )


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


@dataclass
class Series:
    """One story+persona as the audience sees it: the version shown and its dates."""

    analysis: Analysis
    first_published: dt.datetime
    updated: dt.datetime
    retracted: bool
    versions: int

    @property
    def story_id(self) -> int:
        return self.analysis.story_id

    @property
    def persona_id(self) -> str:
        return self.analysis.persona_id


def _when(a: Analysis) -> dt.datetime:
    return _aware(a.published_at or a.updated_at or a.created_at)


def _series_of(rows: list[Analysis]) -> list[Series]:
    groups: dict[tuple[int, str], list[Analysis]] = {}
    for a in rows:
        groups.setdefault((a.story_id, a.persona_id), []).append(a)
    out: list[Series] = []
    for versions in groups.values():
        versions.sort(key=lambda a: a.version)
        published = [a for a in versions if a.status == AnalysisStatus.PUBLISHED]
        shown = published[-1] if published else versions[-1]
        first = min(_when(a) for a in versions)
        # a correction or retraction moves updated_at; a new version moves published_at
        updated = max(_when(shown), _aware(shown.updated_at))
        out.append(Series(shown, first, updated, not published, len(versions)))
    out.sort(key=lambda s: (s.updated, s.analysis.id), reverse=True)
    return out


def public_series(
    session: Session,
    *,
    persona_id: str | None = None,
    tag: str | None = None,
    story_id: int | None = None,
    limit: int | None = 50,
) -> list[Series]:
    """Every series readers can see (newest activity first), optionally of a persona, tag or
    story; sentences are loaded."""
    stmt = (
        select(Analysis)
        .where(Analysis.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Analysis.sentences))
    )
    if persona_id is not None:
        stmt = stmt.where(Analysis.persona_id == persona_id)
    if story_id is not None:
        stmt = stmt.where(Analysis.story_id == story_id)
    rows = list(session.scalars(stmt))
    series = _series_of(rows)
    if tag is not None:
        # tags are a JSON list: filtered here, the same on every database
        series = [s for s in series if tag in (s.analysis.tags or [])]
    return series[:limit] if limit is not None else series


def story_versions(session: Session, story_id: int, limit: int = 50) -> list[Analysis]:
    """Every public version of every analysis of a story, newest first: the story's updates."""
    return list(
        session.scalars(
            select(Analysis)
            .where(Analysis.story_id == story_id, Analysis.status.in_(PUBLIC_STATUSES))
            .options(selectinload(Analysis.sentences))
            .order_by(
                func.coalesce(Analysis.published_at, Analysis.updated_at).desc(),
                Analysis.id.desc(),
            )
            .limit(limit)
        )
    )


def previous_version(session: Session, analysis: Analysis) -> Analysis | None:
    """The newest earlier published (or retracted) version of the same series, if any."""
    return session.scalars(
        select(Analysis)
        .where(
            Analysis.story_id == analysis.story_id,
            Analysis.persona_id == analysis.persona_id,
            Analysis.version < analysis.version,
            Analysis.status.in_(PUBLIC_STATUSES),
        )
        .options(selectinload(Analysis.sentences))
        .order_by(Analysis.version.desc())
        .limit(1)
    ).first()


def changed_between(
    session: Session, since: dt.datetime | None, until: dt.datetime
) -> list[Analysis]:
    """Public analyses published, corrected or retracted in [since, until), newest first.

    Only the version a reader would be sent to counts: the newest published version of its
    series, or a retracted one.
    """
    stmt = select(Analysis).where(Analysis.status.in_(PUBLIC_STATUSES))
    window = [Analysis.updated_at < until]
    if since is not None:
        stmt = stmt.where(or_(Analysis.published_at >= since, Analysis.updated_at >= since))
    stmt = stmt.where(*window).options(selectinload(Analysis.sentences))
    current = {s.analysis.id for s in _series_of(list(session.scalars(stmt)))}
    newest = {a.id for a in session.scalars(current_published())}
    rows = [
        a
        for a in session.scalars(
            select(Analysis)
            .where(Analysis.id.in_(current))
            .options(selectinload(Analysis.sentences))
        )
        if a.id in newest or a.status == AnalysisStatus.RETRACTED
    ]
    rows.sort(key=lambda a: (_when(a), a.id), reverse=True)
    return rows


def first_published_at(session: Session, analysis: Analysis) -> dt.datetime | None:
    """When the series of this analysis was first published (its first public version)."""
    value = session.scalar(
        select(func.min(Analysis.published_at)).where(
            Analysis.story_id == analysis.story_id,
            Analysis.persona_id == analysis.persona_id,
            Analysis.status.in_(PUBLIC_STATUSES),
        )
    )
    return _aware(value) if value is not None else None
