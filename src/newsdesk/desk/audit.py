"""The audit log: who did what to which thing, when, and what changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import AuditEvent, User, utcnow

SYSTEM = "system"


def actor_name(actor: User | None) -> str:
    """How the log names an actor: the account's username, or 'system'."""
    return actor.username if actor is not None else SYSTEM


def record_event(
    session: Session,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the caller's transaction.

    Args:
        session: The caller's session (not committed here).
        actor: The account acting, or None for the system.
        action: What happened, e.g. "edit", "approve", "publish", "hold".
        target_type: The kind of thing acted on, e.g. "analysis", "user".
        target_id: Its id.
        detail: What changed (JSON-serialisable).

    Returns:
        The new AuditEvent (flushed, so it has an id).
    """
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor=actor_name(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=dict(detail or {}),
    )
    session.add(event)
    session.flush()
    return event


def audit_events(
    session: Session,
    *,
    target_type: str | None = None,
    target_id: str | int | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    """Audit events, newest first, optionally for one kind of target or one target."""
    stmt = select(AuditEvent)
    if target_type is not None:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditEvent.target_id == str(target_id))
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return list(session.scalars(stmt))
