"""The triage stage: each newly written analysis publishes itself or waits for an editor.

The write stage stores a verified analysis as `written` with the facts the policy needs; this
stage applies the desk's policy (newsdesk.desk.policy) to it, records the first matching rule
and every reason on the analysis, and writes the decision to the audit log. It runs right after
the write stage in the pipeline, and picks up anything a crash left `written`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.desk._sources import story_entity_keys
from newsdesk.desk.audit import record_event
from newsdesk.desk.policy import PolicyDecision, evaluate_policy, policy_tags
from newsdesk.progress import Progress, null_progress
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, Store, utcnow

__all__ = ["TriageReport", "run", "triage_analysis"]


@dataclass
class TriageReport:
    """What one pass of triage decided."""

    published: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)


def _decide(session: Session, analysis: Analysis, settings: Settings) -> PolicyDecision:
    checks = analysis.checks or {}
    head_reason = checks.get("headline_reason")
    dek_reason = checks.get("dek_reason")
    return evaluate_policy(
        settings,
        unsupported=analysis.unsupported_count,
        headline_ok=bool(checks.get("headline_ok", True)),
        dek_ok=bool(checks.get("dek_ok", True)),
        outlets=int(str(checks.get("outlets", 0))),
        disputes=int(str(checks.get("disputes", 0))),
        tags=policy_tags(analysis.tags, story_entity_keys(session, analysis.story_id)),
        headline_reason=str(head_reason) if head_reason else None,
        dek_reason=str(dek_reason) if dek_reason else None,
    )


def triage_analysis(
    session: Session, analysis: Analysis, settings: Settings, now: dt.datetime | None = None
) -> PolicyDecision:
    """Publish a written analysis or hold it for the desk, by the policy; audited."""
    now = now or analysis.created_at or utcnow()
    decision = _decide(session, analysis, settings)
    analysis.status = AnalysisStatus.NEEDS_REVIEW if decision.hold else AnalysisStatus.PUBLISHED
    analysis.review_reasons = list(decision.reasons)
    analysis.policy_rule = decision.rule
    analysis.published_at = None if decision.hold else now
    record_event(
        session,
        None,
        "hold" if decision.hold else "auto_publish",
        "analysis",
        analysis.id,
        {
            "story_id": analysis.story_id,
            "persona_id": analysis.persona_id,
            "version": analysis.version,
            "rule": decision.rule,
            "reasons": list(decision.reasons),
            "unsupported": analysis.unsupported_count,
        },
    )
    session.flush()
    return decision


def run(
    store: Store,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> TriageReport:
    """Triage every analysis the write stage left `written`, oldest first."""
    report = TriageReport()
    with store.reader() as s:
        ids = list(
            s.scalars(
                select(Analysis.id)
                .where(Analysis.status == AnalysisStatus.WRITTEN)
                .order_by(Analysis.id)
            )
        )
    progress.begin("triage", len(ids))
    for analysis_id in ids:
        with store.session() as s:
            analysis = s.get(Analysis, analysis_id)
            if analysis is not None and analysis.status == AnalysisStatus.WRITTEN:
                decision = triage_analysis(s, analysis, settings, now)
                (report.held if decision.hold else report.published).append(analysis_id)
        progress.step("triage")
    return report
