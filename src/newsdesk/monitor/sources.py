"""The source registry: add, find, enable, refresh and remove sources; OPML in and out."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import (
    Element,
    ParseError,
    SubElement,
    indent,
    register_namespace,
    tostring,
)

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from newsdesk.monitor.fetch.guard import PRIVATE_CLASSES, classify_host
from newsdesk.settings import SourceConfig
from newsdesk.store import PollPolicy, Source, SourceKind, utcnow

log = logging.getLogger(__name__)

OPML_NAMESPACE = "https://github.com/newsdesk/newsdesk/opml"
MAX_OPML_OUTLINES = 20_000
MAX_URL_LENGTH = 2048
MAX_OUTLET_LENGTH = 200
MAX_POLL_INTERVAL = 366 * 86400  # a year: fits the 32-bit column with room to spare

__all__ = [
    "OPML_NAMESPACE",
    "ImportReport",
    "InvalidSource",
    "MalformedOpml",
    "SourceExists",
    "SourceNotFound",
    "add_source",
    "export_opml",
    "get_source",
    "import_opml",
    "list_sources",
    "normalise_source_url",
    "refresh_source",
    "remove_source",
    "set_source_enabled",
    "sync_config_sources",
]


class InvalidSource(ValueError):
    """A source's URL or fields are not acceptable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SourceExists(ValueError):
    """A source with this URL is already registered."""

    def __init__(self, url: str) -> None:
        super().__init__(f"source already registered: {url}")
        self.url = url


class SourceNotFound(LookupError):
    """No source has this id or URL."""

    def __init__(self, ref: str | int) -> None:
        super().__init__(f"no source with id or URL {ref!r}")
        self.ref = ref


class MalformedOpml(ValueError):
    """The OPML document cannot be read; nothing was imported."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ImportReport:
    """What an OPML import did: URLs added, URLs already present, and outlines refused."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# -- validation ---------------------------------------------------------------

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def normalise_source_url(url: str, *, allow_private: bool = True) -> str:
    """The URL as stored: stripped, scheme and host lower-cased, fragment dropped.

    Raises InvalidSource unless it is an http(s) URL with a host; with allow_private=False a
    loopback, private or link-local literal address (or localhost) is refused too.
    """
    text = url.strip() if isinstance(url, str) else ""
    if not text:
        raise InvalidSource("URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidSource(f"URL longer than {MAX_URL_LENGTH} characters")
    if any(c.isspace() or ord(c) < 32 for c in text):
        raise InvalidSource(f"URL contains whitespace or control characters: {text!r}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidSource(f"unparsable URL {text!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidSource(f"not an http(s) URL: {text!r}")
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidSource(f"URL has no host: {text!r}")
    # a name is checked by the fetcher's guard against what it resolves to, at connect time
    kind = classify_host(host)
    if kind is not None and not (allow_private and kind in PRIVATE_CLASSES):
        if kind in PRIVATE_CLASSES:
            raise InvalidSource(
                f"private or loopback address {host!r} "
                "(permit it with allow_private / --allow-private)"
            )
        raise InvalidSource(f"non-public address {host!r} ({kind}): it is never fetched")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    if parts.username or parts.password:
        raise InvalidSource("URL carries credentials; they would be stored in clear")
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _check_fields(
    kind: str,
    language: str | None,
    country: str | None,
    reliability_tier: int,
    poll_policy: str,
    poll_interval: int | None,
    outlet: str,
) -> tuple[str | None, str | None]:
    """Validate a source's fields; returns the normalised (language, country)."""
    if kind not in SourceKind.ALL:
        raise InvalidSource(f"kind must be one of {', '.join(SourceKind.ALL)}, not {kind!r}")
    if poll_policy not in PollPolicy.ALL:
        raise InvalidSource(
            f"poll policy must be one of {', '.join(PollPolicy.ALL)}, not {poll_policy!r}"
        )
    if isinstance(reliability_tier, bool) or reliability_tier not in (1, 2, 3):
        raise InvalidSource(f"reliability tier must be 1, 2 or 3, not {reliability_tier!r}")
    if poll_interval is not None and (
        isinstance(poll_interval, bool) or not 1 <= poll_interval <= MAX_POLL_INTERVAL
    ):
        raise InvalidSource(
            f"poll interval must be 1 to {MAX_POLL_INTERVAL} seconds, not {poll_interval}"
        )
    if len(outlet) > MAX_OUTLET_LENGTH:
        raise InvalidSource(f"outlet name longer than {MAX_OUTLET_LENGTH} characters")
    lang = language.strip().lower().replace("_", "-") if language else None
    if lang is not None and not _LANGUAGE.match(lang):
        raise InvalidSource(f"language must be a short code like 'en' or 'pt-br', not {language!r}")
    ctry = country.strip().upper() if country else None
    if ctry is not None and not _COUNTRY.match(ctry):
        raise InvalidSource(f"country must be two letters (ISO 3166-1), not {country!r}")
    return lang or None, ctry or None


# -- registry -----------------------------------------------------------------


def add_source(
    session: Session,
    url: str,
    *,
    kind: str = SourceKind.FEED,
    outlet: str = "",
    language: str | None = None,
    country: str | None = None,
    reliability_tier: int = 2,
    poll_policy: str | None = None,
    poll_interval: int | None = None,
    enabled: bool = True,
    allow_private: bool = False,
) -> Source:
    """Register a source; raises InvalidSource for bad fields, SourceExists for a known URL.

    Args:
        session: an open session; the caller commits.
        url: http(s) URL of the feed, page or sitemap.
        kind: one of SourceKind.ALL.
        outlet: the publication's display name.
        language: language hint (a short code such as 'en' or 'pt-br').
        country: two-letter country code.
        reliability_tier: 1 (wire, paper of record) to 3 (unverified).
        poll_policy: one of PollPolicy.ALL; None means PollPolicy.FIXED.
        poll_interval: seconds between checks for this source; None uses the settings.
        enabled: whether the source is polled.
        allow_private: allow loopback/private addresses (for local test servers).
    """
    policy = poll_policy or PollPolicy.FIXED
    outlet = (outlet or "").strip()
    lang, ctry = _check_fields(
        kind, language, country, reliability_tier, policy, poll_interval, outlet
    )
    clean_url = normalise_source_url(url, allow_private=allow_private)
    if session.scalar(select(Source.id).where(Source.url == clean_url)) is not None:
        raise SourceExists(clean_url)
    source = Source(
        url=clean_url,
        kind=kind,
        outlet=outlet,
        language_hint=lang,
        country=ctry,
        reliability_tier=reliability_tier,
        poll_policy=policy,
        poll_interval=poll_interval,
        enabled=enabled,
        allow_private=allow_private,
        error_count=0,
        suspended=False,
    )
    session.add(source)
    session.flush()
    log.info("added source %d %s (%s)", source.id, clean_url, kind)
    return source


def get_source(session: Session, ref: str | int) -> Source:
    """The source with this id or URL; raises SourceNotFound."""
    source: Source | None = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        number = int(ref)
        if -(2**31) <= number < 2**31:  # the id column is a 32-bit integer on PostgreSQL
            source = session.get(Source, number)
    elif isinstance(ref, str):
        try:
            url = normalise_source_url(ref)
        except InvalidSource:
            url = ref.strip()
        source = session.scalar(select(Source).where(Source.url == url))
    if source is None:
        raise SourceNotFound(ref)
    return source


def list_sources(session: Session) -> list[Source]:
    """Every registered source, oldest first."""
    return list(session.scalars(select(Source).order_by(Source.id)))


def remove_source(session: Session, ref: str | int) -> Source:
    """Delete a source with its fetch log and entries (articles keep a null source)."""
    source = get_source(session, ref)
    session.expunge(source)
    # Core delete: the database's ON DELETE rules remove the fetch log and entries
    session.execute(delete(Source).where(Source.id == source.id))
    log.info("removed source %d %s", source.id, source.url)
    return source


def set_source_enabled(session: Session, ref: str | int, enabled: bool) -> Source:
    """Enable or disable polling of a source."""
    source = get_source(session, ref)
    source.enabled = enabled
    session.flush()
    return source


def refresh_source(session: Session, ref: str | int) -> Source:
    """Manual refresh: clear suspension and error count, and make the source due now."""
    source = get_source(session, ref)
    source.suspended = False
    source.error_count = 0
    source.next_check_at = utcnow()
    session.flush()
    return source


def sync_config_sources(
    session: Session, configs: Sequence[SourceConfig], *, default_policy: str = PollPolicy.FIXED
) -> int:
    """Add the config file's [[sources]] that are not registered yet; returns how many."""
    added = 0
    for config in configs:
        try:
            url = normalise_source_url(config.url, allow_private=config.allow_private)
        except InvalidSource as exc:
            log.error("config source %r refused: %s", config.url, exc.reason)
            continue
        if session.scalar(select(Source.id).where(Source.url == url)) is not None:
            continue
        try:
            add_source(
                session,
                url,
                kind=config.kind,
                outlet=config.outlet,
                language=config.language,
                country=config.country,
                reliability_tier=config.reliability_tier,
                poll_policy=config.poll_policy or default_policy,
                poll_interval=config.poll_interval,
                allow_private=config.allow_private,
            )
        except InvalidSource as exc:
            log.error("config source %r refused: %s", config.url, exc.reason)
            continue
        added += 1
    return added


# -- OPML -------------------------------------------------------------------

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _own(outline: Element, name: str) -> str | None:
    """Our attribute `name`, namespaced or written plainly as 'newsdesk:name'."""
    value = outline.get(f"{{{OPML_NAMESPACE}}}{name}")
    if value is None:
        for key, candidate in outline.attrib.items():
            if key.endswith("}" + name) and "newsdesk" in key:
                value = candidate
                break
    return value.strip() if value is not None else None


def _parse_bool(value: str | None, default: bool, name: str) -> bool:
    if value is None or value == "":
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise InvalidSource(f"{name} must be true or false, not {value!r}")


def _parse_int(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise InvalidSource(f"{name} must be a whole number, not {value!r}") from exc


def _outline_fields(outline: Element, allow_private: bool) -> dict[str, Any] | None:
    """The add_source arguments an outline describes, or None for a category outline."""
    url = outline.get("xmlUrl")
    kind = _own(outline, "kind")
    if not url and (outline.get("type") or "").lower() == "link" and outline.get("url"):
        url = outline.get("url")
        kind = kind or SourceKind.PAGE
    if not url:
        return None
    tier = _parse_int(_own(outline, "tier"), "newsdesk:tier")
    return {
        "url": url,
        "kind": kind or SourceKind.FEED,
        # title wins when present, even empty: export writes the host as text for no outlet
        "outlet": (outline.get("title", outline.get("text")) or "").strip(),
        "language": outline.get("language") or None,
        "country": _own(outline, "country") or None,
        "reliability_tier": 2 if tier is None else tier,
        "poll_policy": _own(outline, "policy") or None,
        "poll_interval": _parse_int(_own(outline, "interval"), "newsdesk:interval"),
        "enabled": _parse_bool(_own(outline, "enabled"), True, "newsdesk:enabled"),
        "allow_private": allow_private
        and _parse_bool(_own(outline, "allowPrivate"), True, "newsdesk:allowPrivate"),
    }


def _declare_own_prefix(data: bytes) -> bytes:
    """Bind a plain 'newsdesk:' prefix to our namespace when the document forgot to."""
    if b"newsdesk:" not in data or b"xmlns:newsdesk" in data:
        return data
    match = re.search(rb"<opml\b", data)
    if match is None:
        return data
    declaration = b' xmlns:newsdesk="' + OPML_NAMESPACE.encode() + b'"'
    return data[: match.end()] + declaration + data[match.end() :]


def _read_opml(data: bytes | str) -> Element:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if isinstance(data, str):
        # the text is already decoded: drop a declared encoding that no longer applies
        raw = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", raw, count=1)
    if not raw.strip():
        raise MalformedOpml("empty OPML document")
    raw = _declare_own_prefix(raw)
    try:
        root: Element = SafeET.fromstring(raw)
    except DefusedXmlException as exc:
        raise MalformedOpml(f"refused OPML: {exc}") from exc
    except ParseError as exc:
        raise MalformedOpml(f"malformed OPML: {exc}") from exc
    except (LookupError, ValueError) as exc:  # e.g. an unknown declared encoding
        raise MalformedOpml(f"malformed OPML: {exc}") from exc
    if root.tag != "opml":
        raise MalformedOpml(f"not OPML: the root element is <{root.tag}>")
    body = root.find("body")
    if body is None:
        raise MalformedOpml("malformed OPML: no <body> element")
    return body


def import_opml(
    session: Session, data: bytes | str, *, allow_private: bool = False
) -> ImportReport:
    """Register the feeds an OPML document lists (nested categories included).

    A document that cannot be read raises MalformedOpml before anything is added; outlines
    with bad fields are listed in the report's errors and the rest are added. Our own
    attributes (newsdesk:kind, country, tier, policy, interval, enabled, allowPrivate) are read
    whether namespaced or written plainly. Private addresses need allow_private=True; then an
    outline's newsdesk:allowPrivate (default true) decides for that source.
    """
    body = _read_opml(data)
    candidates: list[tuple[str, dict[str, Any] | None, str | None]] = []
    stack = list(reversed(body.findall("outline")))
    seen = 0
    while stack:
        outline = stack.pop()
        seen += 1
        if seen > MAX_OPML_OUTLINES:
            raise MalformedOpml(f"more than {MAX_OPML_OUTLINES} outlines; split the file")
        stack.extend(reversed(outline.findall("outline")))
        where = outline.get("xmlUrl") or outline.get("url") or outline.get("text") or "outline"
        try:
            fields = _outline_fields(outline, allow_private)
        except InvalidSource as exc:
            candidates.append((where, None, exc.reason))
            continue
        if fields is not None:
            candidates.append((where, fields, None))
    report = ImportReport()
    for where, fields, problem in candidates:
        if fields is None:
            report.errors.append(f"{where}: {problem}")
            continue
        try:
            source = add_source(session, **fields)
        except SourceExists as exc:
            report.skipped.append(exc.url)
        except InvalidSource as exc:
            report.errors.append(f"{where}: {exc.reason}")
        else:
            report.added.append(source.url)
    log.info(
        "OPML import: %d added, %d skipped, %d errors",
        len(report.added),
        len(report.skipped),
        len(report.errors),
    )
    return report


def _outline_of(parent: Element, source: Source) -> None:
    ns = f"{{{OPML_NAMESPACE}}}"
    name = source.outlet or (urlsplit(source.url).hostname or source.url)
    attrs = {"text": name, "title": source.outlet}
    if source.kind == SourceKind.PAGE:
        attrs.update(type="link", url=source.url)
    else:
        attrs.update(type="rss", xmlUrl=source.url)
    if source.language_hint:
        attrs["language"] = source.language_hint
    attrs[ns + "kind"] = source.kind
    if source.country:
        attrs[ns + "country"] = source.country
    attrs[ns + "tier"] = str(source.reliability_tier)
    attrs[ns + "policy"] = source.poll_policy
    if source.poll_interval is not None:
        attrs[ns + "interval"] = str(source.poll_interval)
    attrs[ns + "enabled"] = "true" if source.enabled else "false"
    attrs[ns + "allowPrivate"] = "true" if source.allow_private else "false"
    SubElement(parent, "outline", attrs)


def export_opml(session: Session, *, now: dt.datetime | None = None) -> str:
    """Every source as an OPML 2.0 document that import_opml reads back field for field."""
    register_namespace("newsdesk", OPML_NAMESPACE)
    root = Element("opml", {"version": "2.0"})
    head = SubElement(root, "head")
    SubElement(head, "title").text = "Newsdesk sources"
    SubElement(head, "dateCreated").text = format_datetime(now or utcnow(), usegmt=True)
    body = SubElement(root, "body")
    for source in list_sources(session):
        _outline_of(body, source)
    indent(root)
    text = tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
