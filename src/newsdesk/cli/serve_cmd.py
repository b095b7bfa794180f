"""`newsdesk serve`: the public site, the desk and the API in one web server."""

from __future__ import annotations

from typing import Annotated

import typer

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console, state


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to bind (default: web_host).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port to listen on (default: web_port).")
    ] = None,
) -> None:
    """Serve the public site, the editor desk and the API over the store.

    Example: newsdesk serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from newsdesk.web.app import InsecureSecretKey, create_app

    st = state(ctx)
    settings = st.settings
    try:
        web_app = create_app(settings, st.store())
    except InsecureSecretKey as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    bind_host = host or settings.web_host
    bind_port = port if port is not None else settings.web_port
    console.print(
        f"serving {settings.site_title} on http://{bind_host}:{bind_port}/ (Ctrl-C stops)"
    )
    uvicorn.run(web_app, host=bind_host, port=bind_port, log_level="warning")
