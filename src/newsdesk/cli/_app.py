"""The one typer application every command module registers on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from newsdesk.settings import ConfigNotFound, Settings, load_settings
from newsdesk.store import Store, open_store

app = typer.Typer(
    name="newsdesk",
    help="Newsdesk: monitor multilingual sources, read them into cited passages, and more.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int) -> typer.Exit:
    """Print a red error on stderr and return the Exit to raise."""
    err_console.print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(code)


@dataclass
class CliState:
    """What the global options decided, passed to each command through the context."""

    config: Path | None = None
    data_dir: Path | None = None
    database_url: str | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(
                    self.config, data_dir=self.data_dir, database_url=self.database_url
                )
            except ConfigNotFound as exc:
                err_console.print(f"[red]error:[/] {exc}")
                raise typer.Exit(2) from exc
        return self._settings

    def store(self) -> Store:
        return open_store(self.settings)


@app.callback()
def _global_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="TOML config file (default: ./newsdesk.toml)."),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Folder for local state.")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="SQLAlchemy URL of the store.")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what each stage does.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, show_time=False)],
        force=True,
    )
    ctx.obj = CliState(config=config, data_dir=data_dir, database_url=database_url)


def state(ctx: typer.Context) -> CliState:
    """The CliState of the running command."""
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj
