"""The demo's first briefing: an invented subscriber gets it over real SMTP (the mail sink)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.publish.mail import SmtpMailSender
from newsdesk.publish.newsletter.send import NothingToSend, create_issue, due_issues, send_issue
from newsdesk.publish.newsletter.subscribers import subscribe
from newsdesk.settings import Settings
from newsdesk.store import Store

# invented, on a domain reserved for examples: nobody real gets the demo's mail
DEMO_SUBSCRIBER = "ada.reader@example.org"


@dataclass
class DemoBriefing:
    """What the demo sent."""

    issue_id: int | None
    subscriber: str
    sent: int = 0
    items: int = 0
    subject: str = ""
    note: str = ""
    files: list[Path] = field(default_factory=list)


def send_demo_briefing(store: Store, settings: Settings) -> DemoBriefing:
    """Subscribe the invented reader (confirmed) and send them the next briefing."""
    with store.session() as s:
        subscribe(s, DEMO_SUBSCRIBER, source="demo", confirmed=True)
        open_ids = [i.id for i in due_issues(s)]
        try:
            issue = create_issue(s, settings, created_by="demo") if not open_ids else None
        except NothingToSend as exc:
            return DemoBriefing(None, DEMO_SUBSCRIBER, note=str(exc))
        issue_id = issue.id if issue is not None else open_ids[0]
        items = len(issue.analysis_ids) if issue is not None else 0
        subject = issue.subject if issue is not None else ""
    report = send_issue(store, settings, issue_id, SmtpMailSender(settings, rate_per_minute=0))
    return DemoBriefing(issue_id, DEMO_SUBSCRIBER, report.sent, items, subject)
