"""`newsdesk personas list|show|route`: the invented analysts, their beats and story routing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console, state
from newsdesk.personas import (
    Persona,
    PersonaConfigInvalid,
    UnknownPersona,
    find_persona,
    load_personas,
    route_story,
)
from newsdesk.personas.profile import entity_counts, story_profile
from newsdesk.store import Story
from newsdesk.store.queries import story_articles

personas_app = typer.Typer(
    help="The personas who write analysis, and the beats stories are routed to.",
    no_args_is_help=True,
)
app.add_typer(personas_app, name="personas")

FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="Personas TOML that adds, replaces or removes default personas.",
        dir_okay=False,
    ),
]


def _load(ctx: typer.Context, path: Path | None) -> list[Persona]:
    """Personas from --file, else the `personas_file` setting when it exists, else defaults."""
    if path is None:
        path = getattr(state(ctx).settings, "personas_file", None)
    try:
        return load_personas(path)
    except (PersonaConfigInvalid, UnknownPersona) as exc:
        # the personas file is unreadable or breaks the schema
        raise CLIError(str(exc), EXIT_USAGE) from exc


@personas_app.command("list")
def list_cmd(ctx: typer.Context, file: FileOption = None) -> None:
    """List the personas: id, byline, beat regions and topics.

    Example: newsdesk personas list --file my-personas.toml
    """
    personas = _load(ctx, file)
    table = Table(title=f"{len(personas)} personas (invented)")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("byline")
    table.add_column("beat")
    table.add_column("regions")
    table.add_column("topics")
    for p in personas:
        table.add_row(
            p.id,
            escape(p.byline),
            escape(p.beat.name),
            escape(", ".join(p.beat.regions)),
            ", ".join(p.beat.topics),
        )
    console.print(table)


@personas_app.command("show")
def show_cmd(
    ctx: typer.Context,
    persona_id: Annotated[str, typer.Argument(metavar="ID", help="Persona id.")],
    file: FileOption = None,
) -> None:
    """Show one persona: bio, beat, lens, voice and perspective rule.

    Example: newsdesk personas show russia-eurasia
    """
    personas = _load(ctx, file)
    try:
        p = find_persona(personas, persona_id)
    except UnknownPersona as exc:
        raise CLIError(str(exc)) from exc
    beat = p.beat
    rows = [
        ("byline", p.byline),
        ("bio", p.bio),
        ("beat", beat.name),
        ("regions", ", ".join(beat.regions) or "-"),
        ("countries", ", ".join(beat.countries) or "global (no country focus)"),
        ("topics", ", ".join(beat.topics)),
        ("entities", ", ".join(beat.entities) or "-"),
        ("languages", ", ".join(beat.languages)),
        ("lens", p.lens),
        ("voice", p.voice),
        (
            "perspective",
            f"from score {p.perspective.threshold:.2f}" if p.perspective.enabled else "never",
        ),
    ]
    table = Table(title=f"{p.id} (invented persona)", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for name, value in rows:
        table.add_row(name, escape(value))
    console.print(table)


def _matches(pairs: list[tuple[str, float]], fmt: str) -> str:
    """Matched items with their weight, or '-' when none matched."""
    return ", ".join(fmt.format(name, value) for name, value in pairs) or "-"


@personas_app.command("route")
def route_cmd(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Option("--story", help="Story id.")],
    file: FileOption = None,
) -> None:
    """Score every persona against a story and say why: countries, entities, topics matched.

    The lead persona writes the analysis; a perspective persona, when one qualifies, adds a
    short section. The scores are the ones the write stage computes.

    Example: newsdesk personas route --story 3
    """
    personas = _load(ctx, file)
    store = state(ctx).store()
    with store.reader() as s:
        story = s.get(Story, story_id)
        if story is None:
            raise CLIError(f"no story with id {story_id}")
        while story.merged_into_id:
            console.print(f"story {story.id} was merged into story {story.merged_into_id}")
            merged = s.get(Story, story.merged_into_id)
            assert merged is not None  # merged_into_id is a foreign key
            story = merged
        articles = story_articles(s, story.id)
        counts, names = entity_counts(s, [a.id for a in articles])
        routing = route_story(story_profile(story, articles, counts, names), personas)
        headline = story.headline
    console.print(f"[bold]#{story_id} {escape(headline)}[/]")
    console.print(f"lead: [bold]{routing.lead}[/]")
    console.print(f"perspective: {routing.perspective or 'none'}")
    table = Table(title=f"routing of story {story_id} ({len(routing.scores)} personas)")
    table.add_column("persona", style="bold", no_wrap=True)
    table.add_column("role")
    table.add_column("score", justify="right")
    table.add_column("countries", overflow="fold")
    table.add_column("entities", overflow="fold")
    table.add_column("topics", overflow="fold")
    for d in routing.scores:
        role = (
            "lead"
            if d.persona_id == routing.lead
            else "perspective"
            if d.persona_id == routing.perspective
            else ""
        )
        table.add_row(
            d.persona_id,
            role,
            f"{d.score:.2f}",
            escape(_matches(d.countries, "{} {:.2f}")),
            escape(_matches(d.entities, "{} x{:g}")),
            escape(_matches(d.topics, "{} {:.2f}")),
        )
    console.print(table)
    console.print("explanation:")
    for d in routing.scores:
        console.print("  " + escape(d.explanation), soft_wrap=True)
