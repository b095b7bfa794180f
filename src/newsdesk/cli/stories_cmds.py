"""`newsdesk stories list|show`: stories with their timeline, languages, outlets, developments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console, state
from newsdesk.store import Article, DevelopmentKind, Entity, Story, StoryArticle
from newsdesk.stories.developments import developments_since

stories_app = typer.Typer(help="Inspect stories: articles about one event, in any language.")
app.add_typer(stories_app, name="stories")


@stories_app.command("list")
def stories_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many, most recently active first.")] = 30,
    min_articles: Annotated[int, typer.Option(help="Hide smaller stories.")] = 1,
    breaking: Annotated[bool, typer.Option("--breaking", help="Only breaking stories.")] = False,
) -> None:
    """List stories, most recently active first.

    Example: newsdesk stories list --min-articles 2
    """
    store = state(ctx).store()
    stmt = (
        select(Story)
        .where(Story.merged_into_id.is_(None), Story.article_count >= min_articles)
        .order_by(Story.last_seen.desc())
        .limit(limit)
    )
    if breaking:
        stmt = stmt.where(Story.breaking.is_(True))
    with store.reader() as s:
        rows = list(s.scalars(stmt))
    table = Table("id", "last seen", "articles", "langs", "outlets", "headline")
    for st in rows:
        table.add_row(
            str(st.id),
            f"{st.last_seen:%Y-%m-%d %H:%M}",
            str(st.article_count),
            ",".join(st.languages or []),
            str(len(st.outlets or [])),
            ("[red]BREAKING[/] " if st.breaking else "") + st.headline[:70],
        )
    console.print(table)


@stories_app.command("show")
def stories_show(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="Story id.")],
    since: Annotated[
        str | None,
        typer.Option(help="Only developments after this ISO time (e.g. 2026-11-12T00:00)."),
    ] = None,
) -> None:
    """Show a story: timeline, languages, outlets, entities and developments.

    Example: newsdesk stories show 3 --since 2026-11-12T00:00
    """
    store = state(ctx).store()
    after = None
    if since:
        try:
            after = dt.datetime.fromisoformat(since)
        except ValueError as exc:
            raise CLIError(f"--since is not an ISO time: {since}", EXIT_USAGE) from exc
        if after.tzinfo is None:
            after = after.replace(tzinfo=dt.UTC)
    with store.reader() as s:
        story = s.get(Story, story_id)
        if story is None:
            raise CLIError(f"no story with id {story_id}")
        if story.merged_into_id:
            console.print(f"story {story_id} was merged into story {story.merged_into_id}")
            story = s.get(Story, story.merged_into_id)
            assert story is not None
        console.print(
            f"[bold]#{story.id} {story.headline}[/]"
            + (" [red]BREAKING[/]" if story.breaking else "")
        )
        console.print(
            f"first seen {story.first_seen:%Y-%m-%d %H:%M}, last seen "
            f"{story.last_seen:%Y-%m-%d %H:%M}; {story.article_count} articles"
        )
        console.print(f"languages: {', '.join(story.languages or [])}")
        console.print(f"outlets: {', '.join(story.outlets or [])}")
        ents = s.scalars(
            select(Entity)
            .where(Entity.id.in_(story.entity_ids or []))
            .order_by(Entity.mention_count.desc())
        ).all()
        if ents:
            console.print("entities: " + ", ".join(f"{e.name} ({e.type})" for e in ents[:20]))
        timeline = Table("published", "lang", "outlet", "title", "copy of", title="timeline")
        arts = s.scalars(
            select(Article)
            .join(StoryArticle, StoryArticle.article_id == Article.id)
            .where(StoryArticle.story_id == story.id)
            .order_by(Article.published_at, Article.id)
        ).all()
        for a in arts:
            timeline.add_row(
                f"{a.published_at:%m-%d %H:%M}" if a.published_at else "",
                a.language or "?",
                a.outlet,
                a.title[:60],
                str(a.duplicate_of_id or ""),
            )
        console.print(timeline)
        devs = developments_since(s, story.id, after)
        dev_table = Table("when", "kind", "what", "passage", title="developments")
        for d in devs:
            # a claim's line carries the denial or contradiction it makes after the quote
            width = 240 if d.kind == DevelopmentKind.CLAIM else 80
            dev_table.add_row(
                f"{d.detected_at:%m-%d %H:%M}", d.kind, d.detail[:width], d.passage_id or ""
            )
        console.print(dev_table)
