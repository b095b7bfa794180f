"""`newsdesk extract`: main text and metadata of saved HTML pages as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, print_error
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
        raise CLIError(f"unsupported format {output_format!r} (use jsonl)", EXIT_USAGE)
    if url is not None and len(files) != 1:
        raise CLIError("--url applies to a single file", EXIT_USAGE)
    from newsdesk.text.language import detect_language  # loads its model on first use

    failed: list[str] = []
    for path in files:
        try:
            html = read_html_file(path)
        except OSError as exc:
            # the other files are still extracted; the command fails at the end
            print_error(f"cannot read {path}: {exc}")
            failed.append(str(path))
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
        raise CLIError(f"{len(failed)} of {len(files)} files could not be read")
