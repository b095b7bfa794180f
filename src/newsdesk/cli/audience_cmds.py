"""`newsdesk newsletter preview|send|issues`, `subscribers add|list|export|delete`,
`members add|list|set-tier|export|delete`, `alerts send`, `export-site DIR`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from newsdesk.accounts.members import (
    InvalidEmail,
    MemberError,
    create_member,
    delete_member,
    export_member,
    list_members,
    set_tier,
)
from newsdesk.cli._app import EXIT_FAILED, EXIT_USAGE, CLIError, app, console, state
from newsdesk.cli._progress import RichProgress
from newsdesk.publish import alerts
from newsdesk.publish.mail import MailError, SmtpMailSender
from newsdesk.publish.newsletter.send import (
    NewsletterError,
    NothingToSend,
    create_issue,
    due_issues,
    issue_counts,
    list_issues,
    preview_issue,
    send_issue,
)
from newsdesk.publish.newsletter.subscribers import (
    SubscriberError,
    delete_subscriber,
    export_subscriber,
    list_subscribers,
    subscribe,
)
from newsdesk.store import IssueStatus, Store

newsletter_app = typer.Typer(help="The daily briefing: preview it, send it.", no_args_is_help=True)
subscribers_app = typer.Typer(help="Newsletter subscribers.", no_args_is_help=True)
members_app = typer.Typer(help="Readers' accounts (members) and their tiers.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts to members who follow stories.", no_args_is_help=True)
app.add_typer(newsletter_app, name="newsletter")
app.add_typer(subscribers_app, name="subscribers")
app.add_typer(members_app, name="members")
app.add_typer(alerts_app, name="alerts")


@contextmanager
def _store(ctx: typer.Context) -> Iterator[Store]:
    try:
        store = state(ctx).store()
    except SQLAlchemyError as exc:
        raise CLIError(f"cannot open the store: {exc}", EXIT_FAILED) from exc
    try:
        yield store
    finally:
        store.dispose()


@contextmanager
def _session(ctx: typer.Context) -> Iterator[Session]:
    """A committing session; the audience's errors become one line and an exit code."""
    with _store(ctx) as store:
        try:
            with store.session() as session:
                yield session
        except (InvalidEmail, ValueError) as exc:
            raise CLIError(str(exc), EXIT_USAGE) from exc
        except (MemberError, SubscriberError, NewsletterError) as exc:
            raise CLIError(str(exc), EXIT_FAILED) from exc


# -- newsletter ---------------------------------------------------------------------------


@newsletter_app.command("preview")
def newsletter_preview(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="text or html.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="As a reader of persona:<id> / tag:<t>.")
    ] = None,
) -> None:
    """Show the next briefing: what was published or updated since the last one.

    Example: newsdesk newsletter preview --format html --out /tmp/briefing.html
    """
    if format not in ("text", "html"):
        raise CLIError("--format must be text or html", EXIT_USAGE)
    with _session(ctx) as s:
        briefing, _ = preview_issue(s, state(ctx).settings, topics=list(topic or []))
    body = briefing.text if format == "text" else briefing.html
    if out is not None:
        out.write_text(body, encoding="utf-8")
        console.print(f"{briefing.subject}\n{len(briefing.items)} item(s); written to {out}")
        return
    typer.echo(f"Subject: {briefing.subject}\n")
    typer.echo(body)


@newsletter_app.command("send")
def newsletter_send(
    ctx: typer.Context,
    issue: Annotated[int | None, typer.Option("--issue", help="Resume this issue.")] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Only send scheduled issues that are due.")
    ] = False,
    retry_uncertain: Annotated[
        bool,
        typer.Option(
            "--retry-uncertain",
            help="Also resend deliveries left uncertain by a crash (may duplicate those).",
        ),
    ] = False,
) -> None:
    """Send the briefing over SMTP (smtp_url): resume a half-sent issue, or make and send a
    new one with what changed since the last. Each recipient gets an issue once: a killed
    send resumes where it stopped.

    Example: NEWSDESK_SMTP_URL=smtp://127.0.0.1:2525 newsdesk newsletter send
    """
    settings = state(ctx).settings
    with _store(ctx) as store:
        try:
            with store.session() as s:
                if issue is not None:
                    ids = [issue]
                else:
                    ids = [i.id for i in due_issues(s)]
                    if not ids and not due:
                        ids = [create_issue(s, settings, created_by="cli").id]
        except NothingToSend as exc:
            console.print(f"{exc}; no briefing sent.")
            return
        except NewsletterError as exc:
            raise CLIError(str(exc), EXIT_FAILED) from exc
        if not ids:
            console.print("no issue is due.")
            return
        for issue_id in ids:
            try:
                with RichProgress() as progress:
                    report = send_issue(
                        store,
                        settings,
                        issue_id,
                        SmtpMailSender(settings),
                        progress=progress,
                        retry_uncertain=retry_uncertain,
                    )
            except (MailError, NewsletterError) as exc:
                raise CLIError(f"briefing {issue_id}: {exc}", EXIT_FAILED) from exc
            console.print(
                f"briefing {issue_id}: {report.sent} sent, {report.skipped} with nothing for "
                f"the reader, {report.refused} refused, {report.failed} deferred, "
                f"{report.uncertain} uncertain" + ("" if report.finished else "; not finished")
            )


@newsletter_app.command("issues")
def newsletter_issues(ctx: typer.Context) -> None:
    """List the newest issues with their send logs.

    Example: newsdesk newsletter issues
    """
    table = Table("id", "status", "items", "subject", "send log")
    with _session(ctx) as s:
        for i in list_issues(s):
            counts = issue_counts(s, i.id)
            log = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "-"
            when = i.scheduled_at if i.status == IssueStatus.SCHEDULED else i.created_at
            table.add_row(
                str(i.id),
                f"{i.status} {when:%Y-%m-%d %H:%M}",
                str(len(i.analysis_ids)),
                i.subject,
                log,
            )
    console.print(table)


# -- subscribers --------------------------------------------------------------------------


@subscribers_app.command("add")
def subscribers_add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The address.")],
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="persona:<id> or tag:<tag>; repeatable.")
    ] = None,
) -> None:
    """Add an address that already agreed (an import): it is active at once, no confirmation.

    Example: newsdesk subscribers add reader@example.org --topic persona:americas
    """
    with _session(ctx) as s:
        sub = subscribe(s, email, topics=list(topic or []), source="cli", confirmed=True)
        console.print(f"{sub.email}: {sub.status}")


@subscribers_app.command("list")
def subscribers_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
) -> None:
    """List subscribers.

    Example: newsdesk subscribers list --status active
    """
    table = Table("email", "status", "topics", "since", "bounces")
    with _session(ctx) as s:
        for sub in list_subscribers(s, status):
            table.add_row(
                sub.email,
                sub.status,
                ", ".join(sub.topics or []) or "everything",
                f"{sub.created_at:%Y-%m-%d}",
                str(sub.bounce_count),
            )
    console.print(table)


@subscribers_app.command("export")
def subscribers_export(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The address.")]
) -> None:
    """Print everything stored about one address (sign-up and every mail sent), as JSON.

    Example: newsdesk subscribers export reader@example.org > reader.json
    """
    with _session(ctx) as s:
        data = export_subscriber(s, email)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@subscribers_app.command("delete")
def subscribers_delete(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The address.")]
) -> None:
    """Delete an address and its send log.

    Example: newsdesk subscribers delete reader@example.org
    """
    with _session(ctx) as s:
        n = delete_subscriber(s, email)
    console.print(f"deleted {email.strip().lower()} and {n} delivery record(s)")


# -- members ------------------------------------------------------------------------------


@members_app.command("add")
def members_add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member's address.")],
    tier: Annotated[str, typer.Option("--tier", help="free or supporter.")] = "free",
) -> None:
    """Create a member (they sign in by e-mailed link; there is no password).

    Example: newsdesk members add reader@example.org --tier supporter
    """
    with _session(ctx) as s:
        m = create_member(s, email, tier=tier, source="cli")
        console.print(f"{m.email}: {m.tier}")


@members_app.command("list")
def members_list(
    ctx: typer.Context,
    tier: Annotated[str | None, typer.Option("--tier", help="Only this tier.")] = None,
) -> None:
    """List members.

    Example: newsdesk members list --tier supporter
    """
    table = Table("email", "tier", "set by", "since", "last sign-in")
    with _session(ctx) as s:
        for m in list_members(s, tier=tier):
            last = f"{m.last_login_at:%Y-%m-%d %H:%M}" if m.last_login_at else "never"
            table.add_row(m.email, m.tier, m.tier_source, f"{m.created_at:%Y-%m-%d}", last)
    console.print(table)


@members_app.command("set-tier")
def members_set_tier(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member's address.")],
    tier: Annotated[str, typer.Argument(help="free or supporter.")],
) -> None:
    """Set a member's tier (recorded as set by the CLI).

    Example: newsdesk members set-tier reader@example.org supporter
    """
    with _session(ctx) as s:
        m = set_tier(s, email, tier, source="cli")
        console.print(f"{m.email}: {m.tier}")


@members_app.command("export")
def members_export(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The member's address.")]
) -> None:
    """Print everything stored about a member (account, follows, alerts), as JSON.

    Example: newsdesk members export reader@example.org
    """
    with _session(ctx) as s:
        data = export_member(s, email)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@members_app.command("delete")
def members_delete(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The member's address.")]
) -> None:
    """Delete a member with their follows and alert log.

    Example: newsdesk members delete reader@example.org
    """
    with _session(ctx) as s:
        delete_member(s, email)
    console.print(f"deleted member {email.strip().lower()}")


# -- alerts -------------------------------------------------------------------------------


@alerts_app.command("send")
def alerts_send(ctx: typer.Context) -> None:
    """Mail members about new versions of what they follow (throttled per story).

    Example: newsdesk alerts send
    """
    settings = state(ctx).settings
    with _store(ctx) as store:
        try:
            with RichProgress() as progress:
                report = alerts.run(store, settings, SmtpMailSender(settings), progress=progress)
        except MailError as exc:
            raise CLIError(str(exc), EXIT_FAILED) from exc
    console.print(
        f"{report.mails} alert mail(s) about {report.pieces} piece(s); "
        f"{report.throttled} held back by the per-story interval"
    )
