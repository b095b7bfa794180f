"""`newsdesk export-site DIR`: the public site as static files."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, console, state
from newsdesk.cli._progress import RichProgress
from newsdesk.publish.export import Fetched, export_site


@app.command("export-site")
def export_site_cmd(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the site to.")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Where the static copy will be served (default site_url)."),
    ] = None,
    clean: Annotated[bool, typer.Option("--clean", help="Empty the folder first.")] = False,
) -> None:
    """Write the public site — pages, feeds, assets, sitemap — as static files with relative
    links, for any static host. It is crawled as a visitor: members-only parts stay out;
    search, sign-in and the newsletter forms link to the live site (site_url).

    Example: newsdesk export-site ./public --base-url https://news.example.org --clean
    """
    with warnings.catch_warnings():
        # starlette's in-process client; its httpx deprecation note is not ours to act on
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from newsdesk.web import create_app

    settings = state(ctx).settings
    live = settings.site_url
    site = settings.model_copy(
        update={"dev_mode": True, "page_cache_seconds": 0.0, "site_url": base_url or live}
    )
    if out_dir.exists() and any(out_dir.iterdir()) and not clean:
        raise CLIError(f"{out_dir} is not empty: pass --clean to replace its contents", EXIT_USAGE)
    client = TestClient(create_app(site), base_url="http://export.invalid")

    def fetch(path: str) -> Fetched:
        r = client.get(path, follow_redirects=False)
        return Fetched(r.status_code, r.headers.get("content-type", ""), r.content)

    with RichProgress() as progress:
        report = export_site(
            fetch, out_dir, site_url=site.site_url, live_url=live, progress=progress, clean=clean
        )
    console.print(
        f"exported {report.pages} pages and {report.files - report.pages} other files "
        f"({report.bytes / 1e6:.1f} MB) to {out_dir}; {len(report.skipped)} links left to the "
        f"live site ({live})"
    )
