"""`newsdesk demo`: the offline demo end to end."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from newsdesk.cli._app import app, console, state
from newsdesk.cli._progress import RichProgress
from newsdesk.demo.runner import DemoReport, run_demo


def print_demo_report(report: DemoReport) -> None:
    """The demo's closing summary."""
    console.rule("[bold]Newsdesk demo (invented corpus)")
    console.print(
        f"{report.cycles} poll cycles over simulated days; "
        f"{report.fetched_ok} feed fetches with content, {report.not_modified} answered 304."
    )
    console.print(
        f"articles stored: [bold]{report.articles}[/] of {report.corpus_articles} in the corpus, "
        f"from {report.outlets} outlets; passages: {report.passages}"
    )
    langs = Table("language", "articles", title="articles per language")
    for lang, n in report.languages.most_common():
        langs.add_row(lang, str(n))
    console.print(langs)
    console.print(
        f"syndicated copies in corpus: {report.syndicated_in_corpus}; "
        f"linked as duplicates: {report.duplicates_linked} "
        f"({report.duplicates_correct} to the right original)"
    )
    if report.source_errors:
        errs = Table(
            "source", "recorded reason", title="sources with errors (recorded, run went on)"
        )
        for url, reason in report.source_errors.items():
            errs.add_row(url, reason)
        console.print(errs)
    if report.suspended:
        console.print(f"suspended after repeated errors: {len(report.suspended)}")
    if report.missing:
        console.print(f"[yellow]corpus articles not stored: {', '.join(report.missing[:20])}[/]")
    if report.unread_entries:
        console.print(f"[yellow]entries not read: {report.unread_entries}[/]")


@app.command()
def demo(
    ctx: typer.Context,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Run to completion and exit (no server left up).")
    ] = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start from an empty SQLite database.")
    ] = False,
) -> None:
    """Run the offline demo: a local feed server with an invented multilingual corpus on
    127.0.0.1, polled and read by the real pipeline over simulated days.

    Example: newsdesk --data-dir /tmp/nd demo --no-serve --fresh
    """
    st = state(ctx)
    with RichProgress() as progress:
        report = run_demo(st.settings, fresh=fresh, progress=progress)
    print_demo_report(report)
    if not no_serve:
        from newsdesk.demo.corpus import load_corpus
        from newsdesk.demo.server import DemoFeedServer

        server = DemoFeedServer(load_corpus(), host=st.settings.demo_host, port=8765)
        server.start()
        console.print(
            f"demo feeds stay up at {server.base_url} (Ctrl-C to stop); "
            "the stored articles are in " + st.settings.resolved_database_url
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.stop()
