"""`newsdesk write`, `newsdesk analyses list|show|export`, `newsdesk claims list`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console, state
from newsdesk.cli._progress import RichProgress
from newsdesk.desk import triage
from newsdesk.store import Analysis, Claim, ClaimLink
from newsdesk.write import stage as write_stage
from newsdesk.write.model import SectionKey
from newsdesk.write.provenance import ResolvedCitation, cited_articles, cited_ids, resolve_citations

analyses_app = typer.Typer(help="Read, inspect and export analyses.", no_args_is_help=True)
claims_app = typer.Typer(help="The claims ledger: who said what, and who denies it.")
app.add_typer(analyses_app, name="analyses")
app.add_typer(claims_app, name="claims")


@app.command()
def write(
    ctx: typer.Context,
    story: Annotated[int | None, typer.Option("--story", help="Only this story.")] = None,
    persona: Annotated[
        str | None, typer.Option("--persona", help="Write as this persona, not the routed one.")
    ] = None,
) -> None:
    """Write (or update) cited analyses of stories covered by two or more outlets.

    Example: newsdesk write --story 3 --persona russia-eurasia
    """
    st = state(ctx)
    store = st.store()
    with RichProgress() as progress:
        report = write_stage.run(
            store,
            st.settings,
            story_ids=[story] if story else None,
            persona_id=persona,
            progress=progress,
        )
        decided = triage.run(store, st.settings, progress=progress)
    console.print(
        f"analyses written: {len(report.written)} ({len(decided.published)} auto-published, "
        f"{len(decided.held)} waiting for an editor); sentences: {report.sentences}, "
        f"unsupported: {report.unsupported}"
    )


@analyses_app.command("list")
def analyses_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 30,
) -> None:
    """List analyses, newest first.

    Example: newsdesk analyses list --status needs_review
    """
    store = state(ctx).store()
    stmt = select(Analysis).order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Analysis.status == status)
    with store.reader() as s:
        rows = list(s.scalars(stmt))
        table = Table("id", "story", "persona", "v", "status", "verified", "headline")
        for a in rows:
            table.add_row(
                str(a.id),
                str(a.story_id),
                a.persona_id,
                str(a.version),
                a.status,
                "yes" if a.verified else f"[red]{a.unsupported_count} unsupported[/]",
                a.headline[:60],
            )
    console.print(table)


def _get(s: Session, analysis_id: int) -> Analysis:
    analysis = s.get(Analysis, analysis_id)
    if analysis is None:
        raise CLIError(f"no analysis with id {analysis_id}")
    return analysis


@analyses_app.command("show")
def analyses_show(
    ctx: typer.Context, analysis_id: Annotated[int, typer.Argument(help="Analysis id.")]
) -> None:
    """Show an analysis: sections, sentences with their citations, sources.

    Example: newsdesk analyses show 4
    """
    store = state(ctx).store()
    with store.reader() as s:
        a = _get(s, analysis_id)
        console.print(f"[bold]{a.headline}[/]\n[italic]{a.dek}[/]")
        console.print(f"by {a.byline} · {a.status} · tags: {', '.join(a.tags)}")
        if a.review_reasons:
            console.print("[yellow]needs an editor: " + "; ".join(a.review_reasons) + "[/]")
        section = None
        for sent in a.sentences:
            if sent.section != section:
                section = sent.section
                console.print(f"\n[bold]{SectionKey.TITLES.get(section, section)}[/]")
            marks = "".join(f"[{c}]" for c in sent.citations)
            flag = "" if sent.verified else f" [red](unsupported: {sent.reason})[/]"
            console.print(f"{sent.text} [dim]{marks}[/]{flag}")
        console.print("\n[bold]Sources[/]")
        for src in _sources(resolve_citations(s, cited_ids(a.sentences)).values()):
            console.print(
                f"- {src['outlet']} ({src['language']}, {src['published']}) {src['url']} "
                f"[dim]snapshot #{src['snapshot_id']}[/]"
            )


def _iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when else None


def _sources(citations: Iterable[ResolvedCitation]) -> list[dict[str, Any]]:
    """The cited articles by id, as `show` prints and `export` writes them."""
    return [
        {
            "article_id": art.id,
            "outlet": art.outlet,
            "language": art.language,
            "published": _iso(art.published),
            "url": art.url,
            "title": art.title,
            "snapshot_id": art.snapshot_id,
        }
        for art in sorted(cited_articles(citations), key=lambda x: x.id)
    ]


def _citation(c: ResolvedCitation) -> dict[str, Any]:
    art = c.article
    return {
        "passage_id": c.passage_id,
        "text": c.text,
        "outlet": art.outlet if art else None,
        "language": art.language if art else None,
        "published": _iso(art.published) if art else None,
        "url": art.url if art else None,
        "snapshot": {"id": art.snapshot_id, "url": art.snapshot_url}
        if art and art.snapshot_id
        else None,
    }


def export_analysis(s: Session, a: Analysis) -> dict[str, Any]:
    """An analysis as JSON: sentences with citations resolved to passage text and source URL."""
    resolved = resolve_citations(s, cited_ids(a.sentences))
    sections: list[dict[str, Any]] = []
    for sent in a.sentences:
        if not sections or sections[-1]["key"] != sent.section:
            sections.append(
                {
                    "key": sent.section,
                    "title": SectionKey.TITLES.get(sent.section, sent.section),
                    "sentences": [],
                }
            )
        sections[-1]["sentences"].append(
            {
                "text": sent.text,
                "kind": sent.kind,
                "language": sent.lang,
                "quoted_original": sent.quoted_original,
                "verified": sent.verified,
                "support": sent.support,
                "reason": sent.reason,
                "citations": [_citation(resolved[pid]) for pid in sent.citations],
            }
        )
    return {
        "id": a.id,
        "story_id": a.story_id,
        "persona": a.persona_id,
        "perspective_persona": a.perspective_persona_id,
        "version": a.version,
        "status": a.status,
        "headline": a.headline,
        "dek": a.dek,
        "byline": a.byline,
        "tags": a.tags,
        "writer": a.writer,
        "verified": a.verified,
        "review_reasons": a.review_reasons,
        "created_at": a.created_at.isoformat(),
        "sections": sections,
        "sources": _sources(resolved.values()),
    }


@analyses_app.command("export")
def analyses_export(
    ctx: typer.Context,
    analysis_id: Annotated[int, typer.Argument(help="Analysis id.")],
    fmt: Annotated[str, typer.Option("--format", help="Only json for now.")] = "json",
) -> None:
    """Export an analysis with every citation resolved to passage text and source URL.

    Example: newsdesk analyses export 4 --format json > analysis.json
    """
    if fmt != "json":
        raise CLIError(f"unknown format {fmt!r} (expected json)", EXIT_USAGE)
    store = state(ctx).store()
    with store.reader() as s:
        data = export_analysis(s, _get(s, analysis_id))
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@claims_app.command("list")
def claims_list(
    ctx: typer.Context,
    story: Annotated[int, typer.Option("--story", help="The story whose ledger to show.")],
) -> None:
    """List a story's attributed claims and the denials and contradictions between them.

    Example: newsdesk claims list --story 3
    """
    store = state(ctx).store()
    with store.reader() as s:
        claims = list(s.scalars(select(Claim).where(Claim.story_id == story).order_by(Claim.id)))
        if not claims:
            console.print(f"no claims recorded for story {story} (run `newsdesk write` first)")
            return
        table = Table("claim", "speaker", "stance", "content", "passage", title="claims")
        for c in claims:
            table.add_row(c.id, c.speaker[:30], c.stance, c.content[:70], c.passage_id)
        console.print(table)
        ids = [c.id for c in claims]
        links = s.scalars(select(ClaimLink).where(ClaimLink.claim_id.in_(ids))).all()
        lt = Table("claim", "kind", "contests", "reason", title="denials and contradictions")
        for link in links:
            lt.add_row(link.claim_id, link.kind, link.contests_claim_id, link.reason[:80])
        console.print(lt)
