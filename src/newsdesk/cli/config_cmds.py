"""`newsdesk init` and `newsdesk doctor`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from newsdesk.cli._app import CLIError, app, console, state
from newsdesk.cli.doctor import run_checks
from newsdesk.cli.starter import write_starter_config


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.")] = Path(
        "newsdesk.toml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter config with a starter source list.

    Example: newsdesk init ./newsdesk.toml
    """
    if path.exists() and not force:
        raise CLIError(f"{path} exists (use --force to overwrite)")
    write_starter_config(path)
    console.print(f"wrote {path}")


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check the config, the database and the bundled models.

    Example: newsdesk doctor
    """
    checks = run_checks(state(ctx).settings)
    table = Table("check", "status", "detail")
    for check in checks:
        table.add_row(check.name, "[green]ok[/]" if check.ok else "[red]FAIL[/]", check.detail)
    console.print(table)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
