"""The editor desk: publishing policy, the review workflow, versions and the audit log."""

from newsdesk.desk.audit import audit_events, record_event
from newsdesk.desk.errors import DeskError, InvalidTransition, NotAllowed
from newsdesk.desk.policy import PolicyDecision, evaluate_policy
from newsdesk.desk.queue import QueueItem, review_queue
from newsdesk.desk.versions import DiffLine, analysis_versions, diff_versions
from newsdesk.desk.workflow import (
    approve,
    correct,
    edit_analysis,
    publish_due,
    reject,
    retract,
)

__all__ = [
    "DeskError",
    "DiffLine",
    "InvalidTransition",
    "NotAllowed",
    "PolicyDecision",
    "QueueItem",
    "analysis_versions",
    "approve",
    "audit_events",
    "correct",
    "diff_versions",
    "edit_analysis",
    "evaluate_policy",
    "publish_due",
    "record_event",
    "reject",
    "retract",
    "review_queue",
]
