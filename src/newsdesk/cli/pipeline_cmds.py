"""`newsdesk poll`, `newsdesk run`, `newsdesk articles list|show`."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import func, select

from newsdesk.cli._app import CLIError, app, console, err_console, state
from newsdesk.cli._progress import RichProgress
from newsdesk.pipeline import CycleReport, run_cycle, run_forever
from newsdesk.publish import stage as publish_stage
from newsdesk.store import Article, Passage

articles_app = typer.Typer(help="Inspect stored articles.", no_args_is_help=True)
app.add_typer(articles_app, name="articles")


def print_cycle(report: CycleReport) -> None:
    """The closing table of a poll: sources, 304s, new articles, duplicates, errors."""
    table = Table("poll", "count", title="poll summary")
    rows = [
        ("sources polled", report.poll.polled),
        ("not modified (304)", report.poll.not_modified),
        ("new entries", report.poll.new_entries),
        ("new articles", report.read.articles),
        ("duplicates", report.read.duplicates),
        ("errors", len(report.poll.errors) + len(report.read.failures)),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    if report.poll.errors:
        errs = Table("source", "url", "reason", title="source errors")
        for o in report.poll.errors:
            errs.add_row(o.outlet or str(o.source_id), o.url, o.reason or "")
        console.print(errs)
    if report.read.failures:
        console.print(f"[yellow]{len(report.read.failures)} entries could not be read yet[/]")


@app.command()
def poll(ctx: typer.Context) -> None:
    """Poll every due source once, read new entries into articles, print a summary.

    Example: newsdesk poll
    """
    st = state(ctx)
    store = st.store()
    with RichProgress() as progress:
        report = run_cycle(store, st.settings, progress=progress)
    print_cycle(report)


@app.command()
def run(ctx: typer.Context) -> None:
    """Poll continuously (every run_interval seconds), then send readers what is due (the
    daily briefing at newsletter_send_hour, scheduled issues, alerts) when smtp_url is set;
    Ctrl-C finishes the step and exits.

    Example: NEWSDESK_RUN_INTERVAL=120 newsdesk run
    """
    st = state(ctx)
    store = st.store()
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        err_console.print("[yellow]stopping after the current step (Ctrl-C again to abort)[/]")
        stop.set()

    def after_cycle(report: CycleReport) -> None:
        print_cycle(report)
        # then readers: the daily briefing when due, scheduled issues, alerts (needs smtp_url)
        sent = publish_stage.run(store, st.settings)
        for line in sent.errors:
            err_console.print(f"[yellow]mail: {line}[/]")

    previous = signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        cycles = run_forever(store, st.settings, stop=stop, on_cycle=after_cycle)
    finally:
        signal.signal(signal.SIGINT, previous)
    console.print(f"stopped cleanly after {cycles} cycle(s)")


@articles_app.command("list")
def articles_list(
    ctx: typer.Context,
    language: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 30,
    originals: Annotated[bool, typer.Option("--originals", help="Hide syndicated copies.")] = False,
) -> None:
    """List stored articles, newest first.

    Example: newsdesk articles list --lang ru --limit 10
    """
    store = state(ctx).store()
    stmt = select(Article).order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
    if language:
        stmt = stmt.where(Article.language == language)
    if originals:
        stmt = stmt.where(Article.duplicate_of_id.is_(None))
    with store.reader() as s:
        rows = list(s.scalars(stmt.limit(limit)))
    table = Table("id", "published", "lang", "outlet", "title", "dup of")
    for a in rows:
        table.add_row(
            str(a.id),
            a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else "",
            f"{a.language or '?'}",
            a.outlet,
            a.title[:70],
            str(a.duplicate_of_id or ""),
        )
    console.print(table)


@articles_app.command("show")
def articles_show(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="Article id.")],
    passages: Annotated[bool, typer.Option("--passages", help="List passages with ids.")] = False,
) -> None:
    """Show one article: metadata, duplicates, text (or its citable passages).

    Example: newsdesk articles show 12 --passages
    """
    store = state(ctx).store()
    with store.reader() as s:
        art = s.get(Article, article_id)
        if art is None:
            raise CLIError(f"no article with id {article_id}")
        copies = list(s.scalars(select(Article).where(Article.duplicate_of_id == art.id)))
        n_passages = s.scalar(
            select(func.count()).select_from(Passage).where(Passage.article_id == art.id)
        )
        console.print(f"[bold]{art.title}[/]")
        console.print(f"outlet: {art.outlet}   byline: {art.byline or '-'}")
        console.print(f"url: {art.url}\ncanonical: {art.canonical_url}")
        console.print(
            f"published: {art.published_at}   fetched: {art.fetched_at}   "
            f"language: {art.language} ({(art.language_confidence or 0):.2f})"
        )
        if art.duplicate_of_id:
            console.print(
                f"copy of article {art.duplicate_of_id} ({art.duplicate_kind}, "
                f"{(art.duplicate_score or 0):.2f})"
            )
        if copies:
            console.print("carried also by: " + ", ".join(f"{c.outlet} (#{c.id})" for c in copies))
        console.print(f"snapshot: #{art.snapshot_id}   passages: {n_passages}\n")
        if passages:
            for p in art.passages:
                console.print(f"[dim]{p.id:>10}[/]  {p.text}")
        else:
            console.print(art.text)
