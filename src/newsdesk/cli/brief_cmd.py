"""`newsdesk brief`: the extractive 'What happened' summary of one story's articles."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsdesk.cli._app import app, err_console


@app.command("brief")
def brief_story(
    source: Annotated[
        Path, typer.Argument(help="JSON lines, one article each: id, text, title?, lang?, ...")
    ],
    max_words: Annotated[
        int, typer.Option("--max-words", min=1, help="Most words (CJK: characters / 2).")
    ] = 100,
    output_format: Annotated[
        str, typer.Option("--format", help="text (the summary) or json (with sources).")
    ] = "text",
) -> None:
    """Print the 'What happened' summary of one story's articles, at most --max-words words.

    Each input line is {"id", "text", "title"?, "lang"?, "published"?, "outlet"?}; use - for stdin.

    Example: newsdesk brief story.jsonl --max-words 100 --format text
    """
    if output_format not in ("text", "json"):
        err_console.print(f"[red]error:[/] unsupported format {output_format!r} (use text or json)")
        raise typer.Exit(2)
    from newsdesk.write.selection import BadDocumentLine, parse_document_lines, summarize_documents

    try:
        if str(source) == "-":
            docs = parse_document_lines(sys.stdin)
        else:
            with source.open(encoding="utf-8") as handle:
                docs = parse_document_lines(handle)
    except OSError as exc:
        err_console.print(
            f"[red]error:[/] cannot read {escape(str(source))}: {escape(str(exc))}", soft_wrap=True
        )
        raise typer.Exit(1) from exc
    except UnicodeDecodeError as exc:
        err_console.print(f"[red]error:[/] {escape(str(source))} is not UTF-8 text", soft_wrap=True)
        raise typer.Exit(1) from exc
    except BadDocumentLine as exc:
        err_console.print(
            f"[red]error:[/] {escape(str(source))}: {escape(str(exc))}", soft_wrap=True
        )
        raise typer.Exit(1) from exc
    summary = summarize_documents(docs, max_words)
    if output_format == "text":
        if summary.text:
            typer.echo(summary.text)
        return
    typer.echo(
        json.dumps(
            {
                "summary": summary.text,
                "words": summary.words,
                "max_words": summary.max_words,
                "language": summary.language,
                "languages": summary.languages,
                "truncated": summary.truncated,
                "sentences": [s.as_dict() for s in summary.sentences],
            },
            ensure_ascii=False,
        )
    )
