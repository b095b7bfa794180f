"""`newsdesk personas list|show`: the invented analysts and their beats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli._app import app, console, err_console, state
from newsdesk.personas import (
    Persona,
    PersonaConfigInvalid,
    UnknownPersona,
    find_persona,
    load_personas,
)

personas_app = typer.Typer(
    help="The personas who write analysis, and the beats stories are routed to.",
    no_args_is_help=True,
)
app.add_typer(personas_app, name="personas")

EXIT_UNKNOWN = 1  # no persona has that id
EXIT_INVALID = 2  # the personas file is unreadable or breaks the schema

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
        for line in str(exc).splitlines():
            err_console.print(f"[red]error:[/] {escape(line)}")
        raise typer.Exit(EXIT_INVALID) from exc


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
        err_console.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_UNKNOWN) from exc
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
