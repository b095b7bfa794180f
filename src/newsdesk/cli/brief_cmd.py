"""`newsdesk brief`: the extractive 'What happened' summary of one story's articles."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from newsdesk.cli._app import EXIT_USAGE, CLIError, app


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
        raise CLIError(f"unsupported format {output_format!r} (use text or json)", EXIT_USAGE)
    from newsdesk.write.selection import BadDocumentLine, parse_document_lines, summarize_documents

    try:
        if str(source) == "-":
            docs = parse_document_lines(sys.stdin)
        else:
            with source.open(encoding="utf-8") as handle:
                docs = parse_document_lines(handle)
    except OSError as exc:
        raise CLIError(f"cannot read {source}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CLIError(f"{source} is not UTF-8 text") from exc
    except BadDocumentLine as exc:
        raise CLIError(f"{source}: {exc}") from exc
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
