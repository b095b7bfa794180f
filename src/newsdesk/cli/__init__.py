"""Command-line interface: a thin layer over the library."""

from newsdesk.cli import (  # noqa: F401  (importing registers the commands)
    audience_cmds,
    brief_cmd,
    config_cmds,
    demo_cmd,
    entities_cmds,
    export_cmd,
    extract_cmd,
    personas_cmds,
    pipeline_cmds,
    serve_cmd,
    sources_cmds,
    stories_cmds,
    understand_cmds,
    users_cmds,
    write_cmds,
)
from newsdesk.cli._app import app


def main() -> None:
    """Entry point of the `newsdesk` console script."""
    app()


__all__ = ["app", "main"]
