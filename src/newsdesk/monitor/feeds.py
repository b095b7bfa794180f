"""Parse RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1 and sitemaps into entries."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import json
import logging
import re
import time
import xml.sax
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

# feedparser's own HTML clean-up, applied to JSON Feed content too (private in 6.0.x, which
# pyproject pins; it is what every XML feed's content already goes through)
from feedparser.sanitizer import _sanitize_html
from feedparser.urls import resolve_relative_uris

from newsdesk.text.html import collapse_space, html_to_text

log = logging.getLogger(__name__)

MAX_ENTRIES = 500
MAX_SITEMAP_ENTRIES = 50_000
MAX_SITEMAP_BYTES = 50_000_000

__all__ = [
    "MAX_ENTRIES",
    "FeedEntry",
    "MalformedFeed",
    "ParsedFeed",
    "SitemapIndex",
    "UnsafeFeed",
    "check_xml_safety",
    "page_entry",
    "parse_feed",
    "parse_sitemap",
]


class MalformedFeed(ValueError):
    """The body is not a feed we can read (HTML page, broken XML, empty, invalid JSON)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsafeFeed(ValueError):
    """The XML declares entities in a DOCTYPE (entity bomb, external entity); refused unparsed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SitemapIndex(MalformedFeed):
    """A sitemap index: lists child sitemaps (in `sitemaps`) rather than pages."""

    def __init__(self, sitemaps: list[str]) -> None:
        super().__init__("sitemap index (not supported yet)")
        self.sitemaps = sitemaps


@dataclass
class FeedEntry:
    """One item of a feed, sitemap or page source; datetimes are tz-aware UTC."""

    guid: str
    link: str | None
    title: str
    author: str | None
    published: dt.datetime | None
    updated: dt.datetime | None
    summary: str | None
    content: str | None
    language: str | None


@dataclass
class ParsedFeed:
    """A parsed feed: its kind ('rss', 'atom', 'rdf', 'json'), metadata and entries."""

    kind: str
    title: str
    link: str | None
    language: str | None
    ttl_minutes: int | None
    entries: list[FeedEntry] = field(default_factory=list)


# -- safety ----------------------------------------------------------------

# Each encoding an XML parser could read the bytes in; the needles are searched in each.
_SNIFF_CODECS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037", "cp500")
_NEEDLES = [("<!DOCTYPE".encode(c), "<!ENTITY".encode(c)) for c in _SNIFF_CODECS]
_DECLARED_ENCODING = re.compile(rb"""^[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _declares_entities(text_or_bytes: bytes, doctype: bytes, entity: bytes) -> bool:
    start = text_or_bytes.find(doctype)
    return start >= 0 and text_or_bytes.find(entity, start) >= 0


def check_xml_safety(body: bytes, content_type: str | None = None) -> None:
    """Raise UnsafeFeed when the XML has a DOCTYPE that declares entities, in any encoding."""
    for doctype, entity in _NEEDLES:
        if _declares_entities(body, doctype, entity):
            raise UnsafeFeed("DOCTYPE declares entities (entity expansion refused)")
    # an encoding declared in the prolog or the header (e.g. utf-7) could hide the needles
    declared: set[str] = set()
    match = _DECLARED_ENCODING.match(body.lstrip(b"\xef\xbb\xbf"))
    if match:
        declared.add(match.group(1).decode("ascii").lower())
    if content_type and "charset=" in content_type.lower():
        declared.add(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    for name in declared - {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1"}:
        try:
            text = body.decode(name, errors="ignore")
        except (LookupError, ValueError):
            continue
        if _declares_entities(text.encode("utf-8"), b"<!DOCTYPE", b"<!ENTITY"):
            raise UnsafeFeed("DOCTYPE declares entities (entity expansion refused)")


# -- text helpers ------------------------------------------------------------


def _str_or_none(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _resolve(base: str, link: str | None) -> str | None:
    if not link:
        return None
    try:
        return urljoin(base, link.strip())
    except ValueError:
        return link.strip() or None


def _fallback_guid(title: str, published: dt.datetime | None, body: str | None) -> str:
    key = title + "\n" + (published.isoformat() if published else "")
    if not title and published is None:
        key += "\n" + (body or "")  # nothing else identifies the item
    return "sha1:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def _normalise_language(value: Any) -> str | None:
    lang = _str_or_none(value)
    return lang.lower()[:16] if lang else None


# -- feedparser formats -----------------------------------------------------

# Bozo exceptions that say nothing about the feed itself: a missing or odd content type.
_BENIGN_BOZO = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
)

_SY_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def _struct_to_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _kind_of_version(version: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    return "rss"


def _title_of(detail: Any, fallback: Any) -> str:
    value = fallback if isinstance(fallback, str) else ""
    kind = detail.get("type", "text/plain") if isinstance(detail, dict) else "text/plain"
    if kind in ("text/html", "application/xhtml+xml"):
        return html_to_text(value)
    return collapse_space(value)


def _ttl_of(feed: Any) -> int | None:
    ttl = _str_or_none(feed.get("ttl"))
    if ttl and ttl.isdigit():
        return int(ttl)
    period = _SY_PERIOD_MINUTES.get((_str_or_none(feed.get("sy_updateperiod")) or "").lower())
    if period is None:
        return None
    frequency = _str_or_none(feed.get("sy_updatefrequency")) or "1"
    freq = int(frequency) if frequency.isdigit() and int(frequency) > 0 else 1
    return max(1, period // freq)


def _content_of(entry: Any) -> str | None:
    best: str | None = None
    for part in entry.get("content") or []:
        value = _str_or_none(part.get("value"))
        if value and (best is None or len(value) > len(best)):
            best = value
    return best


def _entry_from_feedparser(entry: Any, url: str, feed_language: str | None) -> FeedEntry:
    title = _title_of(entry.get("title_detail"), entry.get("title"))
    updated = _struct_to_datetime(entry.get("updated_parsed"))
    # dc:date and a lone Atom <updated> are the only date many feeds give: use it as published
    published = _struct_to_datetime(entry.get("published_parsed")) or updated
    content = _content_of(entry)
    summary = _str_or_none(entry.get("summary"))
    if summary is not None and summary == content:
        summary = None  # feedparser copies content:encoded into summary when there is none
    link = _resolve(url, _str_or_none(entry.get("link")))
    author = _str_or_none(entry.get("author"))
    language = _normalise_language(entry.get("language"))
    for key in ("title_detail", "summary_detail"):
        if language:
            break
        detail = entry.get(key)
        if isinstance(detail, dict) and detail.get("language"):
            language = _normalise_language(detail.get("language"))
            break
    guid = (
        _str_or_none(entry.get("id"))
        or link
        or _fallback_guid(title, published, content or summary)
    )
    return FeedEntry(
        guid=guid,
        link=link,
        title=title,
        author=collapse_space(author) if author else None,
        published=published,
        updated=updated,
        summary=summary,
        content=content,
        language=language or feed_language,
    )


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
_XML_DECLS = tuple("<?xml".encode(c) for c in _SNIFF_CODECS)


def _has_xml_declaration(body: bytes) -> bool:
    for bom in _BOMS:
        if body.startswith(bom):
            body = body[len(bom) :]
            break
    return body.startswith(_XML_DECLS)


def _is_usable(entry: Any) -> bool:
    return bool(
        _str_or_none(entry.get("link"))
        or _str_or_none(entry.get("id"))
        or _content_of(entry)
        or _str_or_none(entry.get("summary"))
    )


def _describe_bozo(exc: Any, body: bytes) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        # feedparser prepends a declaration line to documents that lack one
        line = (exc.getLineNumber() or 1) - (0 if _has_xml_declaration(body) else 1)
        return f"malformed XML: {exc.getMessage()} at line {max(line, 1)}"
    return f"malformed XML: {exc}"


def _parse_with_feedparser(
    body: bytes, url: str, content_type: str | None, max_entries: int
) -> ParsedFeed:
    # Always an XML media type, so the BOM and the prolog decide the encoding unless the
    # server named a charset: without one feedparser assumes ISO-8859-1 or US-ASCII.
    xml_type = "application/xml"
    if content_type and "charset=" in content_type.lower():
        xml_type += "; charset=" + content_type.lower().split("charset=", 1)[1].split(";")[0]
    headers = {"content-location": url, "content-type": xml_type}
    try:
        # a stream, never bytes: feedparser treats bytes as a file name first
        result = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except Exception as exc:  # feedparser's loose parser can fail in unforeseen ways
        log.warning("feed parser failed on %s: %r", url, exc)
        raise MalformedFeed(f"unreadable feed: {type(exc).__name__}") from exc
    version = result.get("version") or ""
    raw_entries = result.get("entries") or []
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    if not version and not raw_entries:
        if _HTML_START.match(body):
            raise MalformedFeed("not a feed: HTML page")
        if bozo is not None and not isinstance(bozo, _BENIGN_BOZO):
            raise MalformedFeed(_describe_bozo(bozo, body))
        raise MalformedFeed("not a feed: no RSS, Atom or JSON Feed root element")
    if bozo is not None and not isinstance(bozo, _BENIGN_BOZO):
        # from a broken document keep only entries that point somewhere or carry text:
        # a lone title recovered from a truncated file is debris, not an item
        raw_entries = [e for e in raw_entries if _is_usable(e)]
        if not raw_entries:
            raise MalformedFeed(_describe_bozo(bozo, body))
        log.warning("accepting feed %s despite %s", url, _describe_bozo(bozo, body))
    feed = result.get("feed") or {}
    language = _normalise_language(feed.get("language"))
    if len(raw_entries) > max_entries:
        log.info("feed %s has %d entries; keeping the first %d", url, len(raw_entries), max_entries)
    return ParsedFeed(
        kind=_kind_of_version(version),
        title=_title_of(feed.get("title_detail"), feed.get("title")),
        link=_resolve(url, _str_or_none(feed.get("link"))),
        language=language,
        ttl_minutes=_ttl_of(feed),
        entries=[_entry_from_feedparser(e, url, language) for e in raw_entries[:max_entries]],
    )


# -- JSON Feed --------------------------------------------------------------


def _iso_datetime(value: Any) -> dt.datetime | None:
    text = _str_or_none(value)
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def _json_author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    if isinstance(authors, list):
        names = [_str_or_none(a.get("name")) for a in authors if isinstance(a, dict)]
        joined = ", ".join(n for n in names if n)
        if joined:
            return joined
    author = item.get("author")
    return _str_or_none(author.get("name")) if isinstance(author, dict) else None


def _clean_html(html: str | None, base: str) -> str | None:
    """JSON Feed HTML treated as feedparser treats XML feeds: links resolved, then sanitised."""
    if html is None:
        return None
    try:
        resolved = resolve_relative_uris(html, base, "utf-8", "text/html")
        return _str_or_none(_sanitize_html(resolved, "utf-8", "text/html"))
    except Exception as exc:  # feedparser's HTML processor on hostile markup: keep nothing
        log.warning("unreadable content_html in %s: %r", base, exc)
        return None


def _entry_from_json(item: dict[str, Any], base: str, feed_language: str | None) -> FeedEntry:
    title = collapse_space(_str_or_none(item.get("title")) or "")
    published = _iso_datetime(item.get("date_published"))
    updated = _iso_datetime(item.get("date_modified"))
    link = _resolve(base, _str_or_none(item.get("url")) or _str_or_none(item.get("external_url")))
    html_body = _clean_html(_str_or_none(item.get("content_html")), base)
    content = html_body or _str_or_none(item.get("content_text"))
    raw_id = item.get("id")
    guid = (
        str(raw_id).strip()
        if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool)
        else ""
    )
    return FeedEntry(
        guid=guid or link or _fallback_guid(title, published, content),
        link=link,
        title=title,
        author=_json_author(item),
        published=published,
        updated=updated,
        summary=_str_or_none(item.get("summary")),
        content=content,
        language=_normalise_language(item.get("language")) or feed_language,
    )


def _parse_json_feed(body: bytes, url: str, max_entries: int) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise MalformedFeed(f"invalid JSON: not UTF-8 ({exc.reason})") from exc
    except RecursionError as exc:
        raise MalformedFeed("invalid JSON: nested too deeply") from exc
    except ValueError as exc:
        raise MalformedFeed(f"invalid JSON: {exc}") from exc
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise MalformedFeed("not a feed: JSON without a JSON Feed version")
    items = data.get("items")
    if not isinstance(items, list):
        raise MalformedFeed("malformed JSON Feed: 'items' is not a list")
    home = _resolve(url, _str_or_none(data.get("home_page_url")))
    language = _normalise_language(data.get("language"))
    entries = [
        _entry_from_json(item, url, language)
        for item in items[:max_entries]
        if isinstance(item, dict)
    ]
    return ParsedFeed(
        kind="json",
        title=collapse_space(_str_or_none(data.get("title")) or ""),
        link=home,
        language=language,
        ttl_minutes=None,
        entries=entries,
    )


def _looks_like_json(body: bytes, content_type: str | None) -> bool:
    """The body's first character decides; the Content-Type only when that is unclear."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        return True
    if start == b"<":
        return False
    return bool(content_type and "json" in content_type.lower())


def parse_feed(
    body: bytes, url: str, content_type: str | None = None, *, max_entries: int = MAX_ENTRIES
) -> ParsedFeed:
    """Parse an RSS, RDF, Atom or JSON Feed body fetched from `url` into entries.

    Args:
        body: the raw response bytes.
        url: the feed's URL, against which relative links are resolved.
        content_type: the Content-Type header, if any.
        max_entries: entries kept at most (the first ones in document order).

    Raises:
        MalformedFeed: the body is not a feed (empty, HTML, broken XML, invalid JSON).
        UnsafeFeed: the XML declares entities in a DOCTYPE; refused before any parsing.
    """
    if not body or not body.strip():
        raise MalformedFeed("empty body")
    if _looks_like_json(body, content_type):
        return _parse_json_feed(body, url, max_entries)
    check_xml_safety(body, content_type)
    return _parse_with_feedparser(body, url, content_type, max_entries)


# -- sitemaps ---------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(elem: Element, *path: str) -> str | None:
    node: Element | None = elem
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if isinstance(c.tag, str) and _local(c.tag) == name), None)
    return _str_or_none(node.text) if node is not None else None


def _gunzip(body: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(body, MAX_SITEMAP_BYTES)
    except zlib.error as exc:
        raise MalformedFeed(f"broken gzip: {exc}") from exc
    if inflater.unconsumed_tail:
        raise MalformedFeed(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes uncompressed")
    return data


def parse_sitemap(
    body: bytes, url: str, *, max_entries: int = MAX_SITEMAP_ENTRIES
) -> list[FeedEntry]:
    """Entries of a sitemap.xml or Google News sitemap (gzip accepted).

    A sitemap index raises SitemapIndex (a MalformedFeed whose `sitemaps` lists the child
    sitemap URLs), so the caller may register those as sources of their own.
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    if not body.strip():
        raise MalformedFeed("empty body")
    check_xml_safety(body)
    try:
        root = SafeET.fromstring(body)
    except DefusedXmlException as exc:
        raise UnsafeFeed(f"refused XML construct: {exc}") from exc
    except ParseError as exc:
        raise MalformedFeed(f"malformed XML: {exc}") from exc
    except (LookupError, ValueError) as exc:  # e.g. an unknown declared encoding
        raise MalformedFeed(f"malformed XML: {exc}") from exc
    root_name = _local(root.tag) if isinstance(root.tag, str) else ""
    if root_name == "sitemapindex":
        children = [_child_text(s, "loc") for s in root if _local(str(s.tag)) == "sitemap"]
        raise SitemapIndex([u for u in (_resolve(url, c) for c in children) if u])
    if root_name != "urlset":
        raise MalformedFeed(f"not a sitemap: root element <{root_name}>")
    entries: list[FeedEntry] = []
    for node in root:
        if not isinstance(node.tag, str) or _local(node.tag) != "url":
            continue
        link = _resolve(url, _child_text(node, "loc"))
        if not link:
            continue
        title = collapse_space(_child_text(node, "news", "title") or "")
        entries.append(
            FeedEntry(
                guid=link,
                link=link,
                title=title,
                author=None,
                published=_iso_datetime(_child_text(node, "news", "publication_date")),
                updated=_iso_datetime(_child_text(node, "lastmod")),
                summary=None,
                content=None,
                language=_normalise_language(_child_text(node, "news", "publication", "language")),
            )
        )
        if len(entries) >= max_entries:
            log.info("sitemap %s truncated at %d entries", url, max_entries)
            break
    return entries


# -- pages -------------------------------------------------------------------


def canonical_page_url(url: str) -> str:
    """The URL with scheme and host lower-cased, default port and fragment dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = (
        parts.port
        if parts.port
        and (parts.scheme, parts.port)
        not in (
            ("http", 80),
            ("https", 443),
        )
        else None
    )
    netloc = f"{host}:{port}" if port else host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def page_entry(url: str, fetched_at: dt.datetime) -> FeedEntry:
    """The single entry of a 'page' source: the page itself, keyed by its canonical URL."""
    try:
        canonical = canonical_page_url(url)
    except ValueError:  # an unparsable port: keep the URL as given
        canonical = url.strip()
    when = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=dt.UTC)
    return FeedEntry(
        guid=canonical,
        link=canonical,
        title="",
        author=None,
        published=None,
        updated=when.astimezone(dt.UTC),
        summary=None,
        content=None,
        language=None,
    )
