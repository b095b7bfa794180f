"""`newsdesk extract`: main text and metadata of saved HTML pages as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsdesk.cli._app import app, err_console
from newsdesk.read.extract import extract_article, read_html_file


@app.command("extract")
def extract_files(
    files: Annotated[list[Path], typer.Argument(help="HTML files (.html or .html.gz).")],
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: jsonl (one object per file).")
    ] = "jsonl",
    url: Annotated[
        str | None, typer.Option("--url", help="The page's URL (only with a single file).")
    ] = None,
) -> None:
    """Extract the article text and metadata of saved pages, one JSON object per file.

    Example: newsdesk extract page.html.gz --url https://example.org/news/1 --format jsonl
    """
    if output_format != "jsonl":
        err_console.print(f"[red]error:[/] unsupported format {output_format!r} (use jsonl)")
        raise typer.Exit(2)
    if url is not None and len(files) != 1:
        err_console.print("[red]error:[/] --url applies to a single file")
        raise typer.Exit(2)
    from newsdesk.text.language import detect_language  # loads its model on first use

    failed = 0
    for path in files:
        try:
            html = read_html_file(path)
        except OSError as exc:
            err_console.print(
                f"[red]error:[/] cannot read {escape(str(path))}: {escape(str(exc))}",
                soft_wrap=True,
            )
            failed += 1
            continue
        page = extract_article(html, url)
        language = page.language
        if page.text:
            language, _confidence = detect_language(page.text, hint=page.language)
        record = {
            "path": str(path),
            "url": page.url,
            "title": page.title,
            "author": page.author,
            "published": page.published.isoformat() if page.published else None,
            "language": language,
            "text": page.text,
        }
        typer.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)
