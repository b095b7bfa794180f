"""`newsdesk entities list|show|merge`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console, open_session
from newsdesk.entities import (
    EntityNotFound,
    EntityType,
    InvalidMerge,
    describe_entity,
    find_entity,
    list_entities,
    merge_entities,
)

entities_app = typer.Typer(
    help="Browse and merge the people, organisations, places and things in the articles.",
    no_args_is_help=True,
)
app.add_typer(entities_app, name="entities")

# unknown entity, impossible merge, database error: exit 1; bad option value: exit 2
_FAILED = (EntityNotFound, InvalidMerge)


@entities_app.command("list")
def list_cmd(
    ctx: typer.Context,
    entity_type: Annotated[
        str | None,
        typer.Option("--type", "-t", help="person, org, place, platform, programme, agreement."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows to show.")] = 50,
) -> None:
    """List entities, most mentioned first.

    Example: newsdesk entities list --type org --limit 20
    """
    if entity_type is not None and entity_type not in EntityType.ALL:
        raise CLIError(
            f"unknown type {entity_type!r}; choose from {', '.join(EntityType.ALL)}", EXIT_USAGE
        )
    if limit < 1:
        raise CLIError("--limit must be at least 1", EXIT_USAGE)
    with open_session(ctx, failed=_FAILED) as s:
        rows = list_entities(s, entity_type=entity_type, limit=limit)
    table = Table("id", "type", "name", "key", "mentions", "aliases")
    for r in rows:
        table.add_row(
            str(r.id), r.type, escape(r.name), escape(r.key), str(r.mention_count),
            str(r.alias_count),
        )  # fmt: skip
    console.print(table)


@entities_app.command("show")
def show_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Entity id or key (e.g. 42 or place:RU).")],
) -> None:
    """Show an entity: aliases with languages, articles mentioning it, co-occurring entities.

    Example: newsdesk entities show place:RU
    """
    with open_session(ctx, failed=_FAILED) as s:
        d = describe_entity(s, ref)
        e = d.entity
        console.print(f"[bold]#{e.id} {escape(e.name)}[/]  {e.type}  {escape(e.key)}")
        console.print(f"mentions: {e.mention_count}")
        if e.merged_into_id is not None:
            console.print(f"merged into: #{e.merged_into_id}")
        aliases = ", ".join(f"{escape(a)} ({lang or '?'})" for a, lang in d.aliases)
        console.print(f"aliases: {aliases or '-'}")
        articles = Table("article", "title", "mentions", title="Articles")
        for aid, title, n in d.articles:
            articles.add_row(str(aid), escape(title), str(n))
        console.print(articles)
        co = Table("id", "type", "name", "shared articles", title="Co-occurring")
        for other, n in d.co_occurring:
            co.add_row(str(other.id), other.type, escape(other.name), str(n))
        console.print(co)


@entities_app.command("merge")
def merge_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Entity (id or key) to fold away.")],
    target: Annotated[str, typer.Argument(help="Entity (id or key) that absorbs it.")],
) -> None:
    """Merge SOURCE into TARGET: mentions and aliases move; SOURCE is marked merged.

    Example: newsdesk entities merge org:l-t org:larsen-and-toubro
    """
    with open_session(ctx, failed=_FAILED) as s:
        src = find_entity(s, source)
        dst = find_entity(s, target)
        merged = merge_entities(s, src.id, dst.id)
        console.print(
            f"merged #{src.id} {escape(src.name)} into #{merged.id} {escape(merged.name)} "
            f"({merged.mention_count} mentions)"
        )
