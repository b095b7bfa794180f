"""The one typer application every command module registers on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from newsdesk.settings import ConfigNotFound, InvalidSettings, Settings, load_settings
from newsdesk.store import Store, open_store

EXIT_FAILED = 1  # the request cannot be done: unknown id, name taken, unreadable file, database
EXIT_USAGE = 2  # the input is wrong: bad option value, malformed file, unsupported format

console = Console()
err_console = Console(stderr=True)


class CLIError(Exception):
    """A command cannot do what was asked: printed as one line on stderr, then exit `code`.

    Commands raise it (never print errors themselves); `NewsdeskGroup` handles it once.
    """

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def print_error(message: str) -> None:
    """Print `message` as error lines on stderr: a red 'error:' label, the text verbatim."""
    for line in message.splitlines() or [""]:
        # Text (not markup) so brackets in paths and URLs print as they are
        err_console.print(Text.assemble(("error:", "red"), " ", line), soft_wrap=True)


class NewsdeskGroup(TyperGroup):
    """The root command group: turns a CLIError from any command into its message and exit code."""

    # ctx is Any: typer 0.2x vendors click privately (typer._click), so its Context has no
    # public name that matches the supertype's across typer versions
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CLIError as exc:
            print_error(exc.message)
            raise typer.Exit(exc.code) from exc


app = typer.Typer(
    name="newsdesk",
    help="Newsdesk: monitor multilingual sources, read them into cited passages, and more.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    cls=NewsdeskGroup,
)


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
            except (ConfigNotFound, InvalidSettings) as exc:
                raise CLIError(str(exc), EXIT_USAGE) from exc
        return self._settings

    def store(self) -> Store:
        return open_store(self.settings)


@contextmanager
def open_session(
    ctx: typer.Context,
    usage: tuple[type[Exception], ...] = (),
    failed: tuple[type[Exception], ...] = (),
) -> Iterator[Session]:
    """A committing session on the configured store; the listed errors become CLIErrors.

    Args:
        ctx: The running command's context.
        usage: Exceptions that mean the input is wrong (exit 2).
        failed: Exceptions that mean the store refuses the request (exit 1).
    """
    try:
        store = state(ctx).store()
    except SQLAlchemyError as exc:
        raise CLIError(f"cannot open the store: {exc}") from exc
    try:
        with store.session() as session:
            yield session
    except usage as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    except failed as exc:
        raise CLIError(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise CLIError(f"database error: {exc}") from exc
    finally:
        store.dispose()


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
