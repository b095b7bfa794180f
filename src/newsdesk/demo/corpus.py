"""Load and validate the invented demo corpus: outlets.json plus one JSON file per story."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).parent / "corpus"
EPOCH = datetime(2026, 11, 9, tzinfo=UTC)
DAYS = 7
FEED_FORMATS = frozenset({"rss2", "atom", "rss1", "json"})


class CorpusInvalid(ValueError):
    """A corpus file breaks the schema; the message names the file and the field."""


@dataclass(frozen=True)
class DemoOutlet:
    """An invented outlet with a fixed language and feed format."""

    id: str
    name: str
    lang: str
    country: str
    format: str
    full_text: bool
    tier: int


@dataclass(frozen=True)
class DemoStory:
    """An invented story: its metadata and the ids of its articles."""

    id: str
    label: str
    beat: str
    countries: list[str]
    disputed: list[dict[str, Any]]
    watch: list[dict[str, str]]
    notice: str
    article_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoArticle:
    """One invented article as an outlet publishes it."""

    id: str
    story: str
    outlet: str
    lang: str
    published: datetime
    title: str
    author: str
    text: str
    syndicated_from: str | None
    path: str

    @property
    def paragraphs(self) -> list[str]:
        """Return the text split into non-empty paragraphs."""
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


@dataclass
class DemoCorpus:
    """The whole demo corpus: outlets, stories and articles sorted by publish time."""

    outlets: list[DemoOutlet]
    stories: list[DemoStory]
    articles: list[DemoArticle]
    start: datetime = EPOCH
    end: datetime = EPOCH + timedelta(days=DAYS)

    def outlet(self, outlet_id: str) -> DemoOutlet:
        """Return the outlet with this id (KeyError if unknown)."""
        for o in self.outlets:
            if o.id == outlet_id:
                return o
        raise KeyError(outlet_id)

    def article(self, article_id: str) -> DemoArticle:
        """Return the article with this id (KeyError if unknown)."""
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def articles_of(self, outlet_id: str, until: datetime | None = None) -> list[DemoArticle]:
        """Return one outlet's articles published at or before `until`, newest first."""
        found = [
            a
            for a in self.articles
            if a.outlet == outlet_id and (until is None or a.published <= until)
        ]
        return sorted(found, key=lambda a: (a.published, a.id), reverse=True)

    def gold_labels(self) -> dict[str, str]:
        """Return article id -> story id: the true clustering."""
        return {a.id: a.story for a in self.articles}

    def languages(self) -> set[str]:
        """Return the set of article languages."""
        return {a.lang for a in self.articles}


def slugify_title(title: str, article_id: str) -> str:
    """Return a URL slug: the ASCII words of the title (if any) then the article id."""
    ascii_title = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    )
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    words = words[:60].rstrip("-")
    return f"{words}-{article_id}" if words else article_id


def build_article_path(outlet_id: str, published: datetime, slug: str) -> str:
    """Return the server path of an article page."""
    return f"/{outlet_id}/{published:%Y/%m/%d}/{slug}.html"


def _require(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise CorpusInvalid(f"{where}: missing field '{key}'")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CorpusInvalid(f"{where}: field '{key}' has the wrong type ({type(value).__name__})")
    return value


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusInvalid(f"{path.name}: not valid JSON ({exc})") from exc


def load_outlets(path: Path) -> list[DemoOutlet]:
    """Read and validate outlets.json."""
    raw = _read_json(path)
    if not isinstance(raw, list):
        raise CorpusInvalid(f"{path.name}: expected a list of outlets")
    outlets: list[DemoOutlet] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"{path.name}[{i}]"
        if not isinstance(item, dict):
            raise CorpusInvalid(f"{where}: expected an object")
        oid = _require(item, "id", str, where)
        where = f"{path.name} outlet '{oid}'"
        if oid in seen:
            raise CorpusInvalid(f"{where}: duplicate field 'id'")
        seen.add(oid)
        fmt = _require(item, "format", str, where)
        if fmt not in FEED_FORMATS:
            raise CorpusInvalid(f"{where}: field 'format' must be one of {sorted(FEED_FORMATS)}")
        outlets.append(
            DemoOutlet(
                id=oid,
                name=_require(item, "name", str, where),
                lang=_require(item, "lang", str, where),
                country=_require(item, "country", str, where),
                format=fmt,
                full_text=_require(item, "full_text", bool, where),
                tier=_require(item, "tier", int, where),
            )
        )
    return outlets


def _parse_article(
    item: Any, story_id: str, fname: str, index: int, outlets: dict[str, DemoOutlet]
) -> DemoArticle:
    where = f"{fname} articles[{index}]"
    if not isinstance(item, dict):
        raise CorpusInvalid(f"{where}: expected an object")
    aid = _require(item, "id", str, where)
    where = f"{fname} article '{aid}'"
    outlet_id = _require(item, "outlet", str, where)
    if outlet_id not in outlets:
        raise CorpusInvalid(f"{where}: field 'outlet' names unknown outlet '{outlet_id}'")
    lang = _require(item, "lang", str, where)
    if lang != outlets[outlet_id].lang:
        raise CorpusInvalid(
            f"{where}: field 'lang' is '{lang}' but outlet '{outlet_id}' writes "
            f"'{outlets[outlet_id].lang}'"
        )
    day = _require(item, "day", int, where)
    if not 0 <= day < DAYS:
        raise CorpusInvalid(f"{where}: field 'day' is {day}, outside 0..{DAYS - 1}")
    hour = _require(item, "hour", int, where)
    if not 0 <= hour <= 23:
        raise CorpusInvalid(f"{where}: field 'hour' is {hour}, outside 0..23")
    title = _require(item, "title", str, where).strip()
    text = _require(item, "text", str, where)
    if not title:
        raise CorpusInvalid(f"{where}: field 'title' is empty")
    if not text.strip():
        raise CorpusInvalid(f"{where}: field 'text' is empty")
    synd = item.get("syndicated_from")
    if synd is not None and not isinstance(synd, str):
        raise CorpusInvalid(f"{where}: field 'syndicated_from' must be an id or null")
    published = EPOCH + timedelta(days=day, hours=hour)
    return DemoArticle(
        id=aid,
        story=story_id,
        outlet=outlet_id,
        lang=lang,
        published=published,
        title=title,
        author=_require(item, "author", str, where),
        text=text.strip(),
        syndicated_from=synd or None,
        path=build_article_path(outlet_id, published, slugify_title(title, aid)),
    )


def load_story(path: Path, outlets: dict[str, DemoOutlet]) -> tuple[DemoStory, list[DemoArticle]]:
    """Read and validate one story file (cross-file checks happen in load_corpus)."""
    raw = _read_json(path)
    fname = path.name
    if not isinstance(raw, dict):
        raise CorpusInvalid(f"{fname}: expected an object")
    sid = _require(raw, "story", str, fname)
    if raw.get("invented") is not True:
        raise CorpusInvalid(f"{fname}: field 'invented' must be true")
    items = _require(raw, "articles", list, fname)
    articles = [_parse_article(item, sid, fname, i, outlets) for i, item in enumerate(items)]
    watch = raw.get("watch", [])
    for i, w in enumerate(watch):
        if not isinstance(w, dict):
            raise CorpusInvalid(f"{fname} watch[{i}]: expected an object")
        try:
            datetime.strptime(_require(w, "date", str, f"{fname} watch[{i}]"), "%Y-%m-%d")
        except ValueError as exc:
            raise CorpusInvalid(f"{fname} watch[{i}]: field 'date' is not YYYY-MM-DD") from exc
    disputed = raw.get("disputed", [])
    if not isinstance(disputed, list):
        raise CorpusInvalid(f"{fname}: field 'disputed' must be a list")
    story = DemoStory(
        id=sid,
        label=str(raw.get("label", "")),
        beat=str(raw.get("beat", "")),
        countries=list(raw.get("countries", [])),
        disputed=disputed,
        watch=watch,
        notice=str(raw.get("notice", "")),
        article_ids=[a.id for a in articles],
    )
    return story, articles


def _check_cross_references(stories: list[DemoStory], articles: list[DemoArticle]) -> None:
    by_id: dict[str, DemoArticle] = {}
    for a in articles:
        if a.id in by_id:
            raise CorpusInvalid(
                f"story {a.story}: duplicate article id '{a.id}' (also in story "
                f"{by_id[a.id].story})"
            )
        by_id[a.id] = a
    paths: dict[str, str] = {}
    for a in articles:
        if a.path in paths:
            raise CorpusInvalid(f"story {a.story} article '{a.id}': page path clashes")
        paths[a.path] = a.id
        if a.syndicated_from is None:
            continue
        original = by_id.get(a.syndicated_from)
        if original is None:
            raise CorpusInvalid(
                f"story {a.story} article '{a.id}': field 'syndicated_from' points to "
                f"unknown article '{a.syndicated_from}'"
            )
        if original.lang != a.lang:
            raise CorpusInvalid(
                f"story {a.story} article '{a.id}': field 'syndicated_from' points to a "
                f"'{original.lang}' article; copies must be in the same language"
            )
    for s in stories:
        for i, d in enumerate(s.disputed):
            for ref in d.get("articles", []) if isinstance(d, dict) else []:
                if ref not in by_id:
                    raise CorpusInvalid(
                        f"story {s.id} disputed[{i}]: field 'articles' names unknown '{ref}'"
                    )


def load_corpus(path: Path | None = None) -> DemoCorpus:
    """Load outlets.json and every stories/*.json under `path` (default: the packaged corpus)."""
    root = path or CORPUS_DIR
    outlets = load_outlets(root / "outlets.json")
    by_id = {o.id: o for o in outlets}
    stories: list[DemoStory] = []
    articles: list[DemoArticle] = []
    story_files: dict[str, str] = {}
    for story_path in sorted((root / "stories").glob("*.json")):
        story, story_articles = load_story(story_path, by_id)
        if story.id in story_files:
            raise CorpusInvalid(
                f"{story_path.name}: duplicate field 'story' '{story.id}' "
                f"(also in {story_files[story.id]})"
            )
        story_files[story.id] = story_path.name
        stories.append(story)
        articles.extend(story_articles)
    _check_cross_references(stories, articles)
    articles.sort(key=lambda a: (a.published, a.id))
    logger.debug("demo corpus: %d stories, %d articles", len(stories), len(articles))
    return DemoCorpus(outlets=outlets, stories=stories, articles=articles)
