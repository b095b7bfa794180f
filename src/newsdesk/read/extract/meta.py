"""Page metadata read straight from the parsed HTML: canonical link, language, publication time."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")
_DATE_ONLY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MAX_JSONLD_CHARS = 1_000_000

# Meta tags that carry the publication time, most specific first.
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
)
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "blogposting",
    "liveblogposting",
    "webpage",
    "report",
    "scholarlyarticle",
    "techarticle",
}


def _attr(elem: HtmlElement, name: str) -> str:
    value = elem.get(name)
    return value.strip() if isinstance(value, str) else ""


def _meta_values(tree: HtmlElement) -> dict[str, str]:
    """Map lowercased meta name/property/itemprop to the first non-empty content."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _attr(meta, "content")
        if not content:
            continue
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = _attr(meta, key).lower()
            if name and name not in found:
                found[name] = content
    return found


def is_web_url(value: str | None) -> bool:
    """True for an absolute http(s) URL with a host."""
    if not value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def find_canonical_url(tree: HtmlElement, url: str | None) -> str | None:
    """The page's declared canonical URL (absolute http/https), else the given URL."""
    candidates = [
        _attr(link, "href")
        for link in tree.iter("link")
        if "canonical" in _attr(link, "rel").lower().split()
    ]
    candidates.append(_meta_values(tree).get("og:url", ""))
    for raw in candidates:
        if not raw:
            continue
        try:
            absolute = urljoin(url, raw) if url else raw
        except ValueError:
            continue
        if is_web_url(absolute):
            return absolute
    return url if is_web_url(url) else None


def _normalize_language(value: str) -> str | None:
    match = _LANG.match(value.strip())
    return match.group(1).lower() if match else None


def find_headlines(tree: HtmlElement) -> list[str]:
    """Headline candidates a page repeats at the top of its text: og/twitter title, <h1>."""
    meta = _meta_values(tree)
    found = [meta.get("og:title", ""), meta.get("twitter:title", "")]
    for h1 in tree.iter("h1"):
        found.append(" ".join(h1.text_content().split())[:300])
        break
    return [h for h in dict.fromkeys(found) if h]


def find_language(tree: HtmlElement) -> str | None:
    """Primary language subtag declared by <html lang>, xml:lang or meta tags."""
    root = tree.getroottree().getroot()
    for key in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        lang = _normalize_language(_attr(root, key))
        if lang:
            return lang
    meta = _meta_values(tree)
    for key in ("content-language", "og:locale", "language", "dc.language", "inlanguage"):
        if key in meta:
            lang = _normalize_language(meta[key].split(",")[0])
            if lang:
                return lang
    return None


def parse_datetime(value: str | None) -> dt.datetime | None:
    """Parse an ISO 8601 or RFC 2822 timestamp into an aware UTC datetime (naive taken as UTC)."""
    if not value:
        return None
    text = value.strip()
    if len(text) > 64:
        return None
    parsed: dt.datetime | None = None
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(iso)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            match = _ISO_PREFIX.match(text)
            if match:
                try:
                    parsed = dt.datetime.fromisoformat(match.group(0))
                except ValueError:
                    parsed = None
    if parsed is None or not 1900 <= parsed.year <= 2200:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def _walk_jsonld(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        graph = node.get("@graph")
        if graph is not None:
            yield from _walk_jsonld(graph, depth + 1)


def _jsonld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in _attr(script, "type").lower():
            continue
        raw = script.text or ""
        if not raw.strip() or len(raw) > _MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        objects.extend(_walk_jsonld(data))
    return objects


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _jsonld_articles(tree: HtmlElement) -> list[dict[str, Any]]:
    objects = _jsonld_objects(tree)
    return [o for o in objects if _types(o) & _ARTICLE_TYPES]


def parse_day(value: str | None) -> dt.datetime | None:
    """Midnight UTC of a YYYY-MM-DD date string, else None."""
    if not value or not _DATE_ONLY.match(value.strip()):
        return None
    return parse_datetime(value.strip())


def find_published(tree: HtmlElement) -> dt.datetime | None:
    """Publication time from JSON-LD article markup, meta tags or <time pubdate>."""
    for obj in _jsonld_articles(tree):
        value = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(value, str):
            parsed = parse_datetime(value)
            if parsed:
                return parsed
    meta = _meta_values(tree)
    for key in _DATE_META:
        parsed = parse_datetime(meta.get(key))
        if parsed:
            return parsed
    for time_el in tree.iter("time"):
        if time_el.get("pubdate") is not None or _attr(time_el, "itemprop") == "datePublished":
            parsed = parse_datetime(_attr(time_el, "datetime"))
            if parsed:
                return parsed
    return None


def _author_names(value: Any, depth: int = 0) -> list[str]:
    if depth > 3:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value for n in _author_names(item, depth + 1)]
    return []


_BY_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.IGNORECASE)


def clean_author(value: str) -> str | None:
    """An author string without a leading "By" and extra spaces; None when nothing is left."""
    cleaned = " ".join(_BY_PREFIX.sub("", value).split())
    if not cleaned or is_web_url(cleaned) or len(cleaned) >= 100:
        return None
    return cleaned


def find_author(tree: HtmlElement) -> str | None:
    """Author names from JSON-LD article markup or author meta tags, joined with '; '."""
    for obj in _jsonld_articles(tree):
        names = [c for c in map(clean_author, _author_names(obj.get("author"))) if c]
        if names:
            return "; ".join(dict.fromkeys(names))
    meta = _meta_values(tree)
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
        value = clean_author(meta.get(key, ""))
        if value:
            return value
    return None
