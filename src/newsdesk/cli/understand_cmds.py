"""`newsdesk cluster` and `newsdesk similarity`: the Understand stage over JSONL files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from newsdesk.cli._app import EXIT_USAGE, CLIError, app, err_console
from newsdesk.embed import Embedder, EmbeddingFailed, make_embedder
from newsdesk.entities import DefaultExtractor
from newsdesk.stories.cluster import cluster_articles
from newsdesk.stories.evidence import with_entity_evidence
from newsdesk.stories.features import DEFAULT_EMBED_CHARS, ArticleInput, parse_time
from newsdesk.stories.scoring import score_article_pairs

PROGRESS_FROM = 64


class BadInputLine(ValueError):
    """A line of the input file is not the JSON object the command expects."""


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadInputLine(f"line {n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise BadInputLine(f"line {n}: expected a JSON object")
            yield n, row


def _article(row: dict[str, Any], n: int, ident: str, where: str = "") -> ArticleInput:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInputLine(f"line {n}: {where}'text' must be a non-empty string")
    for key in ("title", "lang", "duplicate_of"):
        if row.get(key) is not None and not isinstance(row[key], str):
            raise BadInputLine(f"line {n}: {where}'{key}' must be a string")
    published = row.get("published")
    try:
        parse_time(published)
    except (ValueError, TypeError) as exc:
        raise BadInputLine(f"line {n}: {where}'published' is not an ISO date-time") from exc
    return ArticleInput(
        id=ident,
        text=text,
        title=row.get("title") or None,
        lang=row.get("lang") or None,
        published=published,
        duplicate_of=row.get("duplicate_of") or None,
    )


def _ident(row: dict[str, Any], n: int, seen: set[str]) -> str:
    ident = row.get("id")
    if not isinstance(ident, str | int) or isinstance(ident, bool) or str(ident) == "":
        raise BadInputLine(f"line {n}: 'id' must be a non-empty string or integer")
    if str(ident) in seen:
        raise BadInputLine(f"line {n}: duplicate id {ident!r}")
    seen.add(str(ident))
    return str(ident)


def read_cluster_input(path: Path) -> list[ArticleInput]:
    """Read {"id", "text", optional "title", "lang", "published", "duplicate_of"} lines."""
    seen: set[str] = set()
    return [_article(row, n, _ident(row, n, seen)) for n, row in _read_jsonl(path)]


def read_pairs_input(path: Path) -> list[tuple[str, ArticleInput, ArticleInput]]:
    """Read {"id", "a": {"text", ...}, "b": {...}} lines."""
    seen: set[str] = set()
    out = []
    for n, row in _read_jsonl(path):
        ident = _ident(row, n, seen)
        sides = []
        for side in ("a", "b"):
            if not isinstance(row.get(side), dict):
                raise BadInputLine(f"line {n}: '{side}' must be an object with a 'text'")
            sides.append(_article(row[side], n, f"{ident}/{side}", f"{side}."))
        out.append((ident, sides[0], sides[1]))
    return out


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    if total < PROGRESS_FROM:
        yield lambda _n: None
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _embedder(kind: str, url: str, model: str, dim: int, api_key: str) -> Embedder:
    if kind == "openai":
        if not url or not model or dim <= 0:
            raise CLIError(
                "--embedder openai needs --embedding-url, --embedding-model and --embedding-dim",
                EXIT_USAGE,
            )
        return make_embedder("openai", base_url=url, model=model, dim=dim, api_key=api_key)
    if kind != "e5":
        raise CLIError(f"unknown embedder {kind!r} (e5 or openai)", EXIT_USAGE)
    return make_embedder("e5")


_Format = Annotated[str, typer.Option("--format", help="Output format (only jsonl).")]
_MaxChars = Annotated[
    int, typer.Option("--max-chars", help="Characters of title + lead that get embedded.")
]
_Kind = Annotated[str, typer.Option("--embedder", help="'e5' (offline default) or 'openai'.")]
_Url = Annotated[str, typer.Option("--embedding-url", help="Base URL ending in /v1 (openai).")]
_Model = Annotated[str, typer.Option("--embedding-model", help="Model name (openai).")]
_Dim = Annotated[int, typer.Option("--embedding-dim", help="Vector size (openai).")]
_Key = Annotated[
    str, typer.Option("--embedding-api-key", envvar="NEWSDESK_EMBEDDING_API_KEY", help="API key.")
]


_Entities = Annotated[
    bool,
    typer.Option(
        "--entities/--no-entities",
        help="Add people and organisations found in the text as evidence (the pipeline's "
        "cluster_entity_evidence setting; off by default in both).",
    ),
]


@app.command("cluster")
def cluster_cmd(
    path: Annotated[Path, typer.Argument(help="JSONL file, one article per line.")],
    fmt: _Format = "jsonl",
    max_chars: _MaxChars = DEFAULT_EMBED_CHARS,
    embedder: _Kind = "e5",
    embedding_url: _Url = "",
    embedding_model: _Model = "",
    embedding_dim: _Dim = 0,
    embedding_api_key: _Key = "",
    entities: _Entities = False,
) -> None:
    """Cluster articles into stories online, in file order; prints {"id", "story"} per line.

    Example: newsdesk cluster articles.jsonl --format jsonl > stories.jsonl
    """
    if fmt != "jsonl":
        raise CLIError(f"unsupported format {fmt!r}: only jsonl", EXIT_USAGE)
    try:
        docs = read_cluster_input(path)
    except (OSError, BadInputLine) as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    if entities:
        docs = with_entity_evidence(docs, DefaultExtractor())
    emb = _embedder(embedder, embedding_url, embedding_model, embedding_dim, embedding_api_key)
    try:
        with _progress(len(docs), "clustering") as advance:
            labels = cluster_articles(docs, emb, max_chars=max_chars, on_progress=advance)
    except EmbeddingFailed as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    for doc in docs:
        typer.echo(json.dumps({"id": doc.id, "story": labels[doc.id]}, ensure_ascii=False))


@app.command("similarity")
def similarity_cmd(
    path: Annotated[Path, typer.Argument(help="JSONL file, one article pair per line.")],
    fmt: _Format = "jsonl",
    max_chars: _MaxChars = DEFAULT_EMBED_CHARS,
    embedder: _Kind = "e5",
    embedding_url: _Url = "",
    embedding_model: _Model = "",
    embedding_dim: _Dim = 0,
    embedding_api_key: _Key = "",
    entities: _Entities = False,
) -> None:
    """Score article pairs (0..1, higher = more likely the same story); prints {"id", "score"}.

    Example: newsdesk similarity pairs.jsonl --format jsonl > scores.jsonl
    """
    if fmt != "jsonl":
        raise CLIError(f"unsupported format {fmt!r}: only jsonl", EXIT_USAGE)
    try:
        pairs = read_pairs_input(path)
    except (OSError, BadInputLine) as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    if entities:
        extractor = DefaultExtractor()
        sides = with_entity_evidence([d for _, a, b in pairs for d in (a, b)], extractor)
        pairs = [(ident, sides[2 * i], sides[2 * i + 1]) for i, (ident, _, _) in enumerate(pairs)]
    emb = _embedder(embedder, embedding_url, embedding_model, embedding_dim, embedding_api_key)
    try:
        with _progress(len(pairs), "scoring") as advance:
            scores = score_article_pairs(
                [(a, b) for _, a, b in pairs], emb, max_chars=max_chars, on_progress=advance
            )
    except EmbeddingFailed as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    for (ident, _, _), score in zip(pairs, scores, strict=True):
        typer.echo(json.dumps({"id": ident, "score": round(score, 6)}))
