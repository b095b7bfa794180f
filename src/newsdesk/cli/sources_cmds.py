"""`newsdesk sources add|list|remove|enable|disable|refresh|import-opml|export-opml`."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from newsdesk.cli._app import (
    EXIT_FAILED,
    EXIT_USAGE,
    CLIError,
    app,
    console,
    err_console,
    state,
)
from newsdesk.cli._app import open_session as _open_store_session
from newsdesk.monitor.sources import (
    InvalidSource,
    MalformedOpml,
    SourceExists,
    SourceNotFound,
    add_source,
    export_opml,
    import_opml,
    list_sources,
    refresh_source,
    remove_source,
    set_source_enabled,
)
from newsdesk.store import Source

sources_app = typer.Typer(
    help="Manage the sources Newsdesk watches (feeds, pages, sitemaps).", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")

PIPED_WIDTH = 240


def open_session(ctx: typer.Context) -> AbstractContextManager[Session]:
    """A committing session on the configured store; registry errors become CLIErrors.

    The input is wrong (bad URL or field, unreadable OPML): exit 2; the registry's state refuses
    the request (unknown id, URL already present): exit 1.
    """
    return _open_store_session(
        ctx, usage=(InvalidSource, MalformedOpml), failed=(SourceExists, SourceNotFound)
    )


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return "now"
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def describe_source(source: Source) -> str:
    """One line naming a source: id, outlet and URL."""
    name = f" {source.outlet}" if source.outlet else ""
    return f"#{source.id}{name} <{source.url}>"


@sources_app.command("add")
def add_cmd(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="http(s) URL of the feed, page or sitemap.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="feed, page or sitemap.")] = "feed",
    outlet: Annotated[str, typer.Option("--outlet", "-o", help="Publication name.")] = "",
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Language hint, e.g. en, pt-br.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Two-letter country code.")
    ] = None,
    tier: Annotated[int, typer.Option("--tier", help="Reliability tier: 1 (highest) to 3.")] = 2,
    policy: Annotated[
        str | None,
        typer.Option("--policy", help="fixed or entry_frequency (default: the setting)."),
    ] = None,
    interval: Annotated[
        int | None, typer.Option("--interval", help="Seconds between checks of this source.")
    ] = None,
    enabled: Annotated[
        bool, typer.Option("--enabled/--disabled", help="Poll the source or keep it idle.")
    ] = True,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow loopback/private addresses (local servers)."),
    ] = False,
) -> None:
    """Register a source.

    Example: newsdesk sources add https://example.org/rss.xml --outlet "Example" -l en --tier 1
    """
    with open_session(ctx) as s:
        source = add_source(
            s,
            url,
            kind=kind,
            outlet=outlet,
            language=language,
            country=country,
            reliability_tier=tier,
            poll_policy=policy or state(ctx).settings.poll_policy,
            poll_interval=interval,
            enabled=enabled,
            allow_private=allow_private,
        )
        line = describe_source(source)
    console.print(f"added {escape(line)}")


@sources_app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """Show every source with its state.

    Example: newsdesk sources list
    """
    with open_session(ctx) as s:
        sources = list_sources(s)
        table = Table(title=f"{len(sources)} sources")
        for column in ("id", "outlet", "kind", "url", "lang", "country", "tier"):
            table.add_column(column, overflow="fold", justify="right" if column == "id" else "left")
        for column in ("enabled", "errors", "suspended", "next check"):
            table.add_column(column)
        for src in sources:
            table.add_row(
                str(src.id),
                escape(src.outlet),
                src.kind,
                escape(src.url),
                src.language_hint or "",
                src.country or "",
                str(src.reliability_tier),
                "yes" if src.enabled else "[yellow]no[/]",
                f"[red]{src.error_count}[/]" if src.error_count else "0",
                "[red]yes[/]" if src.suspended else "no",
                _when(src.next_check_at),
            )
    # piped output is not cut at 80 columns, so URLs survive `| grep`
    out = console if console.is_terminal else Console(width=PIPED_WIDTH)
    out.print(table)


Ref = Annotated[str, typer.Argument(help="Source id or URL.")]


@sources_app.command("remove")
def remove_cmd(ctx: typer.Context, ref: Ref) -> None:
    """Delete a source with its fetch log and pending entries (articles stay).

    Example: newsdesk sources remove 3
    """
    with open_session(ctx) as s:
        line = describe_source(remove_source(s, ref))
    console.print(f"removed {escape(line)}")


@sources_app.command("enable")
def enable_cmd(ctx: typer.Context, ref: Ref) -> None:
    """Resume polling a source.

    Example: newsdesk sources enable https://example.org/rss.xml
    """
    with open_session(ctx) as s:
        line = describe_source(set_source_enabled(s, ref, True))
    console.print(f"enabled {escape(line)}")


@sources_app.command("disable")
def disable_cmd(ctx: typer.Context, ref: Ref) -> None:
    """Stop polling a source (it stays registered).

    Example: newsdesk sources disable 3
    """
    with open_session(ctx) as s:
        line = describe_source(set_source_enabled(s, ref, False))
    console.print(f"disabled {escape(line)}")


@sources_app.command("refresh")
def refresh_cmd(ctx: typer.Context, ref: Ref) -> None:
    """Lift a suspension, reset the error count and make the source due now.

    Example: newsdesk sources refresh 3
    """
    with open_session(ctx) as s:
        line = describe_source(refresh_source(s, ref))
    console.print(f"refreshed {escape(line)}: due now")


@sources_app.command("import-opml")
def import_opml_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="OPML file to read.")],
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow loopback/private addresses (local servers)."),
    ] = False,
) -> None:
    """Add the feeds an OPML file lists; exits 1 if some outlines were refused.

    Example: newsdesk sources import-opml subscriptions.opml
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CLIError(f"cannot read {file}: {exc.strerror or exc}", EXIT_USAGE) from exc
    with open_session(ctx) as s:
        report = import_opml(s, data, allow_private=allow_private)
    console.print(
        f"added {len(report.added)}, already present {len(report.skipped)}, "
        f"refused {len(report.errors)}"
    )
    for error in report.errors:
        err_console.print(f"[yellow]refused:[/] {escape(error)}")
    if report.errors:
        raise typer.Exit(EXIT_FAILED)


@sources_app.command("export-opml")
def export_opml_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Where to write; standard output when omitted or '-'.")
    ] = None,
) -> None:
    """Write every source as OPML 2.0 (with Newsdesk's own attributes, so import restores all).

    Example: newsdesk sources export-opml sources.opml
    """
    with open_session(ctx) as s:
        text = export_opml(s)
    if file is None or str(file) == "-":
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CLIError(f"cannot write {file}: {exc.strerror or exc}", EXIT_USAGE) from exc
    err_console.print(f"wrote {escape(str(file))}")
