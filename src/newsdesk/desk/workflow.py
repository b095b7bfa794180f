"""The desk's workflow: edit, approve, schedule, reject, retract, correct, publish when due.

Every function works in the caller's transaction (it flushes, never commits), checks the
actor's role, refuses transitions the status does not allow, and records an audit event.
`actor=None` is the system (the pipeline), which may do everything.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.desk._sources import (
    cited_sources,
    story_disputes,
    story_entity_keys,
    story_outlets,
    story_sources,
)
from newsdesk.desk.audit import actor_name, record_event
from newsdesk.desk.errors import (
    AnalysisNotFound,
    DeskError,
    InvalidTransition,
    NotAllowed,
    ReasonRequired,
)
from newsdesk.desk.policy import evaluate_policy, policy_tags
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisSentence, AnalysisStatus, Role, User, utcnow
from newsdesk.write.model import WrittenSentence
from newsdesk.write.verify import Verdict, verify_headline, verify_sentence

log = logging.getLogger(__name__)

TARGET = "analysis"
# statuses a contributor's edit may start from; published, approved and retracted pieces
# were decided by an editor
CONTRIBUTOR_EDITABLE = (
    AnalysisStatus.DRAFT,
    AnalysisStatus.WRITTEN,
    AnalysisStatus.NEEDS_REVIEW,
    AnalysisStatus.REJECTED,
)
APPROVABLE = (
    AnalysisStatus.DRAFT,
    AnalysisStatus.WRITTEN,
    AnalysisStatus.NEEDS_REVIEW,
    AnalysisStatus.APPROVED,
    AnalysisStatus.REJECTED,
)
REJECTABLE = (
    AnalysisStatus.DRAFT,
    AnalysisStatus.WRITTEN,
    AnalysisStatus.NEEDS_REVIEW,
    AnalysisStatus.APPROVED,
)


class UnknownSentence(DeskError, LookupError):
    """An edit names a sentence that is not part of the analysis."""


class EmptyEdit(DeskError, ValueError):
    """An edit that changes nothing."""


def _settings(settings: Settings | None) -> Settings:
    # the defaults, without reading a config file or the environment from inside the library
    return settings if settings is not None else Settings.model_construct()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _get(session: Session, analysis_id: int) -> Analysis:
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        raise AnalysisNotFound(f"no analysis {analysis_id}")
    return analysis


def is_editor(actor: User | None) -> bool:
    """True for the system and for enabled editors and admins."""
    if actor is None:
        return True
    return not actor.disabled and Role.at_least(actor.role, Role.EDITOR)


def require_role(actor: User | None, minimum: str, action: str) -> None:
    """Raise NotAllowed unless the actor (None: the system) has at least `minimum`."""
    if actor is None:
        return
    if actor.disabled:
        raise NotAllowed(f"account {actor.username!r} is disabled")
    if not Role.at_least(actor.role, minimum):
        raise NotAllowed(f"{actor.username!r} ({actor.role}) may not {action}: needs {minimum}")


def _require_text(value: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ReasonRequired(f"{what} is required")
    return text


# -- verification of edited text --------------------------------------------------------


def _verify_edit(session: Session, sent: AnalysisSentence, text: str) -> tuple[str, Verdict]:
    """Verify an edited sentence against its citations; returns the kind it verifies as."""
    cited = cited_sources(session, sent.citations)
    written = WrittenSentence(
        text=text,
        citations=list(sent.citations),
        kind=sent.kind,
        lang=sent.lang,
        quoted_original=sent.quoted_original,
    )
    verdict = verify_sentence(written, cited)
    if verdict.verified or sent.kind != "extractive":
        return sent.kind, verdict
    # an editor's rewording is no longer a copy: judge it as written text, facts still checked
    written.kind = "generated"
    return "generated", verify_sentence(written, cited)


def _apply_verdict(sent: AnalysisSentence, text: str, kind: str, verdict: Verdict) -> None:
    sent.text = text
    sent.kind = kind
    sent.verified = verdict.verified
    sent.support = verdict.support
    sent.reason = verdict.reason


def _reassess(session: Session, analysis: Analysis, settings: Settings) -> dict[str, Any]:
    """Recompute verified, unsupported_count, review_reasons and policy_rule from the store."""
    sources = story_sources(session, analysis.story_id)
    sources.update(cited_sources(session, {c for s in analysis.sentences for c in s.citations}))
    head = verify_headline(analysis.headline, sources)
    dek = verify_headline(analysis.dek, sources)
    unsupported = sum(1 for s in analysis.sentences if not s.verified)
    decision = evaluate_policy(
        settings,
        unsupported=unsupported,
        headline_ok=head.verified,
        dek_ok=dek.verified,
        outlets=story_outlets(session, analysis.story_id),
        disputes=story_disputes(session, analysis.story_id),
        tags=policy_tags(analysis.tags, story_entity_keys(session, analysis.story_id)),
        headline_reason=head.reason,
        dek_reason=dek.reason,
    )
    analysis.unsupported_count = unsupported
    analysis.verified = unsupported == 0 and head.verified and dek.verified
    analysis.review_reasons = list(decision.reasons)
    analysis.policy_rule = decision.rule
    return {"verified": analysis.verified, "unsupported": unsupported, "rule": decision.rule}


# -- editing ----------------------------------------------------------------------------


def _next_version(session: Session, analysis: Analysis) -> int:
    top = session.scalar(
        select(func.max(Analysis.version)).where(
            Analysis.story_id == analysis.story_id, Analysis.persona_id == analysis.persona_id
        )
    )
    return int(top or 0) + 1


def _copy_sentence(sent: AnalysisSentence, analysis_id: int, position: int) -> AnalysisSentence:
    return AnalysisSentence(
        analysis_id=analysis_id,
        section=sent.section,
        section_order=sent.section_order,
        position=position,
        text=sent.text,
        kind=sent.kind,
        lang=sent.lang,
        quoted_original=sent.quoted_original,
        citations=list(sent.citations),
        verified=sent.verified,
        support=sent.support,
        reason=sent.reason,
    )


def edit_analysis(
    session: Session,
    analysis_id: int,
    actor: User | None,
    *,
    headline: str | None = None,
    dek: str | None = None,
    sentences: dict[int, str] | None = None,
    note: str = "",
    settings: Settings | None = None,
    now: dt.datetime | None = None,
) -> Analysis:
    """Save an edit as a new version of the analysis, re-verified and waiting for an editor.

    Args:
        session: The caller's session.
        analysis_id: The version being edited.
        actor: Who edits (contributor or above; None: the system).
        headline: New headline, or None to keep it.
        dek: New dek, or None to keep it.
        sentences: AnalysisSentence.id of the edited version -> new text; an empty text
            removes the sentence.
        note: The editor's note, kept in the audit detail.
        settings: Policy settings (default: the built-in defaults).
        now: The time of the edit (default: now).

    Returns:
        The new Analysis version (status needs_review, edited_from_id = analysis_id).

    Raises:
        NotAllowed: a contributor editing a published, approved or retracted piece.
        UnknownSentence: a sentence id that is not in the analysis.
        EmptyEdit: nothing would change.
    """
    now = now or utcnow()
    old = _get(session, analysis_id)
    require_role(actor, Role.CONTRIBUTOR, "edit analyses")
    if old.status not in CONTRIBUTOR_EDITABLE and not is_editor(actor):
        raise NotAllowed(
            f"a contributor may not edit a {old.status} analysis; an editor can (or use correct)"
        )
    edits = dict(sentences or {})
    by_id = {s.id: s for s in old.sentences}
    unknown = sorted(set(edits) - set(by_id))
    if unknown:
        raise UnknownSentence(
            f"sentence(s) {', '.join(map(str, unknown))} not in analysis {analysis_id}"
        )
    edits = {sid: text.strip() for sid, text in edits.items() if text.strip() != by_id[sid].text}
    new_headline = headline.strip() if headline is not None else old.headline
    new_dek = dek.strip() if dek is not None else old.dek
    if not edits and new_headline == old.headline and new_dek == old.dek:
        raise EmptyEdit(f"the edit changes nothing in analysis {analysis_id}")
    if not new_headline:
        raise ReasonRequired("a headline is required")
    new = Analysis(
        story_id=old.story_id,
        persona_id=old.persona_id,
        perspective_persona_id=old.perspective_persona_id,
        version=_next_version(session, old),
        status=AnalysisStatus.NEEDS_REVIEW,
        headline=new_headline,
        dek=new_dek,
        byline=old.byline,
        tags=list(old.tags),
        writer=old.writer,
        model=old.model,
        routing=dict(old.routing),
        story_last_seen=old.story_last_seen,
        created_at=now,
        updated_at=now,
        edited_from_id=old.id,
        edited_by_id=actor.id if actor is not None else None,
        corrections=[],
    )
    session.add(new)
    session.flush()
    changed: list[dict[str, Any]] = []
    positions: dict[str, int] = {}
    for sent in old.sentences:
        text = edits.get(sent.id)
        if text == "":
            changed.append({"sentence": sent.id, "old": sent.text, "new": ""})
            continue
        position = positions.get(sent.section, 0)
        positions[sent.section] = position + 1
        copy = _copy_sentence(sent, new.id, position)
        if text is not None:
            kind, verdict = _verify_edit(session, sent, text)
            _apply_verdict(copy, text, kind, verdict)
            changed.append(
                {
                    "sentence": sent.id,
                    "old": sent.text,
                    "new": text,
                    "verified": verdict.verified,
                    "reason": verdict.reason,
                }
            )
        new.sentences.append(copy)
    session.flush()
    result = _reassess(session, new, _settings(settings))
    detail: dict[str, Any] = {
        "from_id": old.id,
        "from_version": old.version,
        "version": new.version,
        "note": note,
        "sentences": changed,
        **result,
    }
    if new_headline != old.headline:
        detail["headline"] = {"old": old.headline, "new": new_headline}
    if new_dek != old.dek:
        detail["dek"] = {"old": old.dek, "new": new_dek}
    record_event(session, actor, "edit", TARGET, new.id, detail)
    log.info("analysis %s edited into version %s (%s)", old.id, new.version, new.id)
    return new


# -- decisions --------------------------------------------------------------------------


def _publish(analysis: Analysis, now: dt.datetime) -> None:
    analysis.status = AnalysisStatus.PUBLISHED
    analysis.published_at = now
    analysis.scheduled_at = None
    analysis.updated_at = now


def approve(
    session: Session,
    analysis_id: int,
    actor: User | None,
    *,
    publish_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Analysis:
    """Approve an analysis: publish it now, or schedule it when `publish_at` is in the future.

    Args:
        session: The caller's session.
        analysis_id: The version to approve.
        actor: An editor or admin (None: the system).
        publish_at: When to publish; None or a past time publishes at once.
        now: The current time (default: now).

    Returns:
        The analysis, status published or approved (with scheduled_at).

    Raises:
        NotAllowed: the actor is below editor.
        InvalidTransition: the analysis is published or retracted.
    """
    now = now or utcnow()
    analysis = _get(session, analysis_id)
    require_role(actor, Role.EDITOR, "approve analyses")
    if analysis.status not in APPROVABLE:
        raise InvalidTransition(f"cannot approve a {analysis.status} analysis")
    before = analysis.status
    analysis.approved_by_id = actor.id if actor is not None else None
    analysis.approved_at = now
    analysis.rejected_reason = None
    detail: dict[str, Any] = {
        "from": before,
        "version": analysis.version,
        "unsupported": analysis.unsupported_count,
        "reasons": list(analysis.review_reasons or []),
    }
    if publish_at is not None and _aware(publish_at) > now:
        analysis.status = AnalysisStatus.APPROVED
        analysis.scheduled_at = _aware(publish_at)
        analysis.updated_at = now
        detail.update(to=AnalysisStatus.APPROVED, publish_at=analysis.scheduled_at.isoformat())
        record_event(session, actor, "schedule", TARGET, analysis.id, detail)
    else:
        _publish(analysis, now)
        detail.update(to=AnalysisStatus.PUBLISHED, published_at=now.isoformat())
        record_event(session, actor, "approve", TARGET, analysis.id, detail)
    session.flush()
    return analysis


def reject(session: Session, analysis_id: int, actor: User | None, reason: str) -> Analysis:
    """Reject an analysis with a reason (editor+); a scheduled one is unscheduled."""
    analysis = _get(session, analysis_id)
    require_role(actor, Role.EDITOR, "reject analyses")
    text = _require_text(reason, "a reason for rejecting")
    if analysis.status not in REJECTABLE:
        raise InvalidTransition(
            f"cannot reject a {analysis.status} analysis"
            + (" (retract it instead)" if analysis.status == AnalysisStatus.PUBLISHED else "")
        )
    before = analysis.status
    analysis.status = AnalysisStatus.REJECTED
    analysis.rejected_reason = text
    analysis.scheduled_at = None
    analysis.updated_at = utcnow()
    record_event(
        session,
        actor,
        "reject",
        TARGET,
        analysis.id,
        {"from": before, "to": AnalysisStatus.REJECTED, "reason": text},
    )
    session.flush()
    return analysis


def _note_entry(actor: User | None, note: str, kind: str, now: dt.datetime) -> dict[str, str]:
    return {"at": now.isoformat(), "by": actor_name(actor), "note": note, "kind": kind}


def retract(session: Session, analysis_id: int, actor: User | None, reason: str) -> Analysis:
    """Retract a published analysis (editor+), with a retraction note on the piece."""
    now = utcnow()
    analysis = _get(session, analysis_id)
    require_role(actor, Role.EDITOR, "retract analyses")
    text = _require_text(reason, "a reason for retracting")
    if analysis.status != AnalysisStatus.PUBLISHED:
        raise InvalidTransition(
            f"only a published analysis can be retracted, not a {analysis.status} one"
        )
    entry = _note_entry(actor, text, "retraction", now)
    # a new list, so the JSON column sees the change
    analysis.corrections = [*(analysis.corrections or []), entry]
    analysis.status = AnalysisStatus.RETRACTED
    analysis.updated_at = now
    record_event(
        session,
        actor,
        "retract",
        TARGET,
        analysis.id,
        {"from": AnalysisStatus.PUBLISHED, "to": AnalysisStatus.RETRACTED, "reason": text},
    )
    session.flush()
    return analysis


def correct(
    session: Session,
    analysis_id: int,
    actor: User | None,
    note: str,
    *,
    sentences: dict[int, str] | None = None,
    settings: Settings | None = None,
) -> Analysis:
    """Correct a published analysis in place (editor+): a correction note, optional re-verified
    sentence edits (old texts kept in the audit detail); it stays published."""
    now = utcnow()
    analysis = _get(session, analysis_id)
    require_role(actor, Role.EDITOR, "correct analyses")
    text = _require_text(note, "a correction note")
    if analysis.status != AnalysisStatus.PUBLISHED:
        raise InvalidTransition(
            f"only a published analysis can be corrected, not a {analysis.status} one "
            "(edit it instead)"
        )
    edits = dict(sentences or {})
    by_id = {s.id: s for s in analysis.sentences}
    unknown = sorted(set(edits) - set(by_id))
    if unknown:
        raise UnknownSentence(
            f"sentence(s) {', '.join(map(str, unknown))} not in analysis {analysis_id}"
        )
    changed: list[dict[str, Any]] = []
    for sid, new_text in edits.items():
        sent = by_id[sid]
        new_text = new_text.strip()
        if not new_text or new_text == sent.text:
            continue
        kind, verdict = _verify_edit(session, sent, new_text)
        changed.append(
            {
                "sentence": sid,
                "old": sent.text,
                "new": new_text,
                "verified": verdict.verified,
                "reason": verdict.reason,
            }
        )
        _apply_verdict(sent, new_text, kind, verdict)
    analysis.corrections = [
        *(analysis.corrections or []),
        _note_entry(actor, text, "correction", now),
    ]
    detail: dict[str, Any] = {"note": text, "sentences": changed}
    if changed:
        session.flush()
        detail.update(_reassess(session, analysis, _settings(settings)))
    analysis.updated_at = now
    record_event(session, actor, "correct", TARGET, analysis.id, detail)
    session.flush()
    return analysis


def publish_due(session: Session, now: dt.datetime | None = None) -> list[int]:
    """Publish every approved analysis whose scheduled time has come; returns their ids."""
    now = now or utcnow()
    due = list(
        session.scalars(
            select(Analysis)
            .where(
                Analysis.status == AnalysisStatus.APPROVED,
                Analysis.scheduled_at.is_not(None),
                Analysis.scheduled_at <= now,
            )
            .order_by(Analysis.scheduled_at, Analysis.id)
        )
    )
    for analysis in due:
        scheduled = analysis.scheduled_at
        _publish(analysis, now)
        record_event(
            session,
            None,
            "publish",
            TARGET,
            analysis.id,
            {
                "from": AnalysisStatus.APPROVED,
                "to": AnalysisStatus.PUBLISHED,
                "scheduled_at": scheduled.isoformat() if scheduled else None,
                "approved_by_id": analysis.approved_by_id,
            },
        )
    if due:
        session.flush()
        log.info("published %d scheduled analyses", len(due))
    return [a.id for a in due]
