"""`newsdesk demo`: the offline demo end to end."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table
from sqlalchemy import select

from newsdesk.cli._app import app, console, state
from newsdesk.cli._progress import RichProgress
from newsdesk.demo.briefing import send_demo_briefing
from newsdesk.demo.corpus import load_corpus
from newsdesk.demo.mailsink import MailSink
from newsdesk.demo.runner import DemoReport, run_demo
from newsdesk.demo.server import DemoFeedServer
from newsdesk.settings import Settings
from newsdesk.store import Article, Store


def print_stories(report: DemoReport, developments_per_story: int = 4) -> None:
    """The stories the pipeline formed, with languages, outlets and latest developments."""
    multi = [st for st in report.stories if st.articles > 1]
    console.print(
        f"\n[bold]stories formed: {len(report.stories)}[/] "
        f"({len(multi)} with more than one article)"
    )
    for st in report.stories:
        flag = " [red]BREAKING[/]" if st.breaking else ""
        console.print(
            f"[bold]#{st.story_id}[/] {st.headline[:90]}{flag}\n"
            f"   {st.articles} articles · {len(st.languages)} languages "
            f"({', '.join(st.languages)}) · {len(st.outlets)} outlets · gold: {st.gold}"
        )
        for line in st.developments[-developments_per_story:]:
            console.print(f"   [dim]- {line[:110]}[/]")
    if report.clustering is not None:
        c = report.clustering
        console.print(
            f"clustering against the corpus's gold stories: BCubed precision {c.precision:.3f}, "
            f"recall {c.recall:.3f}, [bold]F1 {c.f1:.3f}[/]"
        )


def print_analyses(report: DemoReport) -> None:
    """The analyses written, verified, published or waiting for an editor."""
    table = Table(
        "id", "story", "persona", "v", "sentences", "verified", "status", title="analyses"
    )
    for a in report.analyses:
        table.add_row(
            str(a.analysis_id),
            str(a.story_id),
            a.persona_id,
            str(a.version),
            str(a.sentences),
            f"{a.verified_sentences}/{a.sentences}",
            a.status + (f" ({'; '.join(a.reasons)})" if a.reasons else ""),
        )
    console.print(table)
    total = sum(a.sentences for a in report.analyses)
    verified = sum(a.verified_sentences for a in report.analyses)
    console.print(
        f"{len(report.analyses)} analyses; {verified}/{total} sentences verified against "
        f"their cited passages; {sum(a.status == 'published' for a in report.analyses)} "
        f"auto-published, {sum(a.status == 'needs_review' for a in report.analyses)} waiting "
        "for an editor"
    )


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
    if report.stories:
        print_stories(report)
    if report.analyses:
        print_analyses(report)
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
        bool,
        typer.Option("--no-serve", help="Run to completion and exit (do not serve the site)."),
    ] = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start from an empty SQLite database.")
    ] = False,
) -> None:
    """Run the offline demo: a local feed server with an invented multilingual corpus on
    127.0.0.1, polled, read, clustered and written up by the real pipeline over simulated
    days; send the first briefing to an invented subscriber through a local SMTP sink (the
    .eml lands in <data-dir>/outbox); then serve the newsroom (site, desk, API, feeds,
    newsletter, members) on http://127.0.0.1:8000 and print a demo editor's sign-in.
    --no-serve stops after the report and the briefing.

    Example: newsdesk --data-dir /tmp/nd demo --fresh
    """
    st = state(ctx)
    with RichProgress() as progress:
        report = run_demo(st.settings, fresh=fresh, progress=progress)
    print_demo_report(report)
    sink = MailSink(st.settings.data_dir / "outbox").start()
    try:
        mail_settings = st.settings.model_copy(update={"smtp_url": sink.url})
        send_and_print_briefing(mail_settings, sink)
        if not no_serve:
            serve_demo_site(mail_settings, sink)
    finally:
        sink.stop()


def send_and_print_briefing(settings: Settings, sink: MailSink) -> None:
    """Send the first briefing to the invented subscriber and say where to read it."""
    from newsdesk.store import open_store

    store = open_store(settings)
    try:
        before = set(sink.messages())
        sent = send_demo_briefing(store, settings)
    finally:
        store.dispose()
    files = [p for p in sink.messages() if p not in before]
    if sent.issue_id is None:
        console.print(f"\nbriefing: {sent.note}; none sent.")
        return
    console.print(
        f"\n[bold]briefing #{sent.issue_id}[/] ({sent.items} pieces) sent over SMTP to "
        f"{sent.subscriber} (an invented subscriber) through the local mail sink at {sink.url}"
    )
    for path in files:
        console.print(f"   read it: {path.resolve()}")


def serve_demo_site(settings: Settings, sink: MailSink | None = None) -> None:
    """Serve the site, the desk and the API over the demo's store until Ctrl-C."""
    import uvicorn

    from newsdesk.demo.accounts import ensure_demo_editor
    from newsdesk.store import open_store
    from newsdesk.web import create_app

    site_settings = settings.model_copy(
        update={"dev_mode": True, "page_cache_seconds": settings.page_cache_seconds or 5.0}
    )
    store = open_store(site_settings)
    username, password = ensure_demo_editor(store)
    app = create_app(site_settings, store)
    feeds = serve_demo_sources(store, site_settings)
    base = f"http://{site_settings.web_host}:{site_settings.web_port}"
    console.print(
        f"\n[bold]The newsroom is at {base}/[/] — analyses, stories, personas, search.\n"
        f"Editor desk: {base}/desk  sign in as [bold]{username}[/] with password "
        f"[bold]{password}[/] (new each run)\nAPI: {base}/api/docs   Ctrl-C stops the server."
    )
    console.print(
        f"Readers: {base}/feeds (RSS, Atom, JSON Feed) · {base}/newsletter · {base}/members · "
        f"{base}/about · {base}/sources"
    )
    if sink is not None:
        console.print(
            f"Mail the site sends (sign-in links, confirmations, briefings) arrives as .eml "
            f"files in {sink.outbox.resolve()}"
        )
    try:
        uvicorn.run(
            app, host=site_settings.web_host, port=site_settings.web_port, log_level="warning"
        )
    finally:
        if feeds is not None:
            feeds.stop()


def serve_demo_sources(store: Store, settings: Settings) -> DemoFeedServer | None:
    """Serve the invented outlets again where the run found them, so "Read the source" works."""
    with store.reader() as s:
        url = s.scalar(select(Article.url).where(Article.url.is_not(None)).limit(1))
    port = urlsplit(url or "").port
    if port is None:
        return None
    try:
        server = DemoFeedServer(load_corpus(), host=settings.demo_host, port=port).start()
    except OSError as exc:
        console.print(f"[yellow]the invented sources cannot be served again on {port}: {exc}[/]")
        return None
    console.print(f"the invented outlets' pages are served again at {server.base_url}")
    return server
