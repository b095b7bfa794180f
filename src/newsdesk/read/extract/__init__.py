"""Main text and metadata of an article page, built on trafilatura with extra cleaning."""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import logging
import re
import threading
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

import lxml.html
import trafilatura
from lxml.etree import ParserError, XMLSyntaxError
from lxml.html import HtmlElement
from trafilatura.settings import Document, set_date_params

from newsdesk.read.extract.clean import (
    TextBlock,
    clean_blocks,
    collect_blocks,
    join_blocks,
    normalize_link_text,
    widen_within_span,
)
from newsdesk.read.extract.meta import (
    find_author,
    find_canonical_url,
    find_headlines,
    find_language,
    find_published,
    is_web_url,
    parse_day,
)

logger = logging.getLogger(__name__)

Focus = Literal["precision", "balanced", "recall"]

__all__ = [
    "ExtractedPage",
    "HtmlFileTooLarge",
    "decode_html",
    "extract_article",
    "read_html_file",
]

MAX_HTML_CHARS = 10_000_000
MAX_FILE_BYTES = 50_000_000
FAST_ABOVE_CHARS = 2_000_000
# Below this many characters the precise pass may have missed the article: try a wider pass.
SHORT_TEXT_CHARS = 250

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
# Characters XML (and so lxml) refuses: control characters, lone surrogates, non-characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# Dates come from markup first (find_published); htmldate's extensive search is slow on big pages.
_DATE_PARAMS = set_date_params(extensive=False)
_PARSERS = threading.local()


def _parser() -> lxml.html.HTMLParser:
    """This thread's HTML parser (lxml parsers must not be shared across threads)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        # Comments and processing instructions carry no article text and confuse trafilatura.
        parser = lxml.html.HTMLParser(
            collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
        )
        _PARSERS.parser = parser
    return parser


@dataclass
class ExtractedPage:
    """What extract_article found on one page; empty strings and None when absent."""

    url: str | None
    canonical_url: str | None
    title: str | None
    author: str | None
    published: dt.datetime | None
    language: str | None
    text: str
    description: str | None
    site_name: str | None


class HtmlFileTooLarge(OSError):
    """A saved page (after decompression) is larger than MAX_FILE_BYTES."""


def read_html_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a saved page, gunzipping .gz files; raises OSError when unreadable or too large."""
    with path.open("rb") as raw:
        is_gzip = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        if not is_gzip:
            data = raw.read(max_bytes + 1)
        else:
            try:
                with gzip.GzipFile(fileobj=raw) as unpacked:
                    data = unpacked.read(max_bytes + 1)
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                raise OSError(f"corrupt gzip data in {path}: {exc}") from exc
    if len(data) > max_bytes:
        raise HtmlFileTooLarge(f"{path} is larger than {max_bytes} bytes")
    return data


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(html: bytes | str) -> str:
    """Decode page bytes: BOM, then a declared charset, then UTF-8, then Windows-1252."""
    if isinstance(html, str):
        text = html
    else:
        raw = bytes(html)
        text = ""
        for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
            if raw.startswith(bom):
                text = raw.decode(codec, errors="replace")
                break
        else:
            candidates = ["utf-8"]
            match = _CHARSET.search(raw[:4096])
            declared = _known_codec(match.group(1).decode("ascii")) if match else None
            if declared and declared != "utf-8":
                candidates.insert(0, declared)
            for codec in candidates:
                try:
                    text = raw.decode(codec)
                    break
                except (UnicodeDecodeError, LookupError):
                    continue
            else:
                text = raw.decode("cp1252", errors="replace")
    text = _CONTROL.sub("", text[:MAX_HTML_CHARS])
    return _XML_DECL.sub("", text)


def _parse(text: str) -> HtmlElement | None:
    if not text.strip() or "<" not in text:
        return None
    try:
        tree = lxml.html.document_fromstring(text, parser=_parser())
    except (ParserError, XMLSyntaxError, ValueError) as exc:
        logger.debug("unparseable HTML: %s", exc)
        return None
    return tree if isinstance(tree, HtmlElement) else None


_EMBED_CLASS = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed", re.I)
_WRAPPER_CLASS = re.compile(r"social|embed|share|tweet", re.I)


def unwrap_embedded_posts(tree: HtmlElement) -> None:
    """Lift quoted social-media posts out of "social"/"embed" wrappers trafilatura discards."""
    posts = [q for q in tree.iter("blockquote") if _EMBED_CLASS.search(q.get("class") or "")]
    for post in posts:
        wrapper = None
        parent = post.getparent()
        for _ in range(3):
            if parent is None or parent.tag in ("body", "article", "main"):
                break
            if _WRAPPER_CLASS.search(f"{parent.get('class') or ''} {parent.get('id') or ''}"):
                wrapper = parent
            parent = parent.getparent()
        if wrapper is not None and wrapper.getparent() is not None:
            post.attrib.pop("class", None)
            post.tail = None
            wrapper.addprevious(post)


def _run_trafilatura(
    source: str,
    url: str | None,
    focus: Focus,
    *,
    tree: HtmlElement | None = None,
    with_metadata: bool = False,
    fast: bool = False,
) -> Document | None:
    """Run trafilatura with one focus on a tree (parsed from source unless given; it is pruned)."""
    tree = tree if tree is not None else _parse(source)
    if tree is None:
        return None
    unwrap_embedded_posts(tree)
    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            with_metadata=with_metadata,
            favor_precision=focus == "precision",
            favor_recall=focus == "recall",
            # On huge pages skip trafilatura's second-opinion extractors: slow, little gain.
            fast=fast or len(source) > FAST_ABOVE_CHARS,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # a third-party parser on hostile input: any failure means "no text"
        logger.warning("trafilatura failed on %s: %r", url, exc)
        return None
    return result if isinstance(result, Document) else None


def _blocks_of(doc: Document | None) -> list[TextBlock]:
    if doc is None or doc.body is None:
        return []
    return collect_blocks(doc.body)


def find_link_texts(tree: HtmlElement, limit: int = 5000) -> frozenset[str]:
    """Normalised texts of the page's links with at least three words."""
    found: set[str] = set()
    for count, anchor in enumerate(tree.iter("a")):
        if count >= limit:
            break
        words = normalize_link_text(anchor.text_content())
        if words.count(" ") >= 2:
            found.add(words)
    return frozenset(found)


def _clean_str(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _empty_page(url: str | None) -> ExtractedPage:
    return ExtractedPage(
        url=url,
        canonical_url=url if is_web_url(url) else None,
        title=None,
        author=None,
        published=None,
        language=None,
        text="",
        description=None,
        site_name=None,
    )


def extract_article(html: bytes | str, url: str | None = None) -> ExtractedPage:
    """Extract the main text and metadata of an article page; never raises on bad HTML.

    Args:
        html: the page as bytes (any common encoding) or text.
        url: where the page was fetched from, used to resolve relative links.

    Returns:
        An ExtractedPage whose text is plain paragraphs separated by blank lines
        (empty when no article text was found).
    """
    try:
        return _extract_page(html, url)
    except Exception:  # the contract is "never raises": a bad page must not stop the pipeline
        logger.exception("gave up extracting %s", url)
        return _empty_page(url)


def _extract_page(html: bytes | str, url: str | None) -> ExtractedPage:
    source = decode_html(html)
    tree = _parse(source)
    if tree is None:
        return _empty_page(url)
    # Read what we need from the tree before trafilatura, which prunes the tree it is given.
    canonical_url = find_canonical_url(tree, url)
    language = find_language(tree)
    declared_author = find_author(tree)
    published = find_published(tree)
    links = find_link_texts(tree)
    headlines = find_headlines(tree)
    doc = _run_trafilatura(source, url, "precision", tree=tree, with_metadata=True)
    title = _clean_str(doc.title) if doc else None
    author = declared_author or (_clean_str(doc.author) if doc else None)
    clean = partial(clean_blocks, titles=[title, *headlines], author=author, link_texts=links)
    precise = clean(_blocks_of(doc))
    # The balanced pass keeps headings and lists that the precise pass drops inside the article.
    balanced = clean(_blocks_of(_run_trafilatura(source, url, "balanced", fast=True)))
    text = join_blocks(widen_within_span(precise, balanced))
    if len(text) < SHORT_TEXT_CHARS:
        # Both passes may have thrown the article away: retry favouring recall.
        wider = join_blocks(clean(_blocks_of(_run_trafilatura(source, url, "recall"))))
        if len(wider) > len(text):
            text = wider
    if published is None and doc is not None:
        # trafilatura's date (htmldate) is a day without a time: midnight UTC.
        published = parse_day(doc.date)
    return ExtractedPage(
        url=url,
        canonical_url=canonical_url,
        title=title,
        author=author,
        published=published,
        language=language,
        text=text,
        description=_clean_str(doc.description) if doc else None,
        site_name=_clean_str(doc.sitename) if doc else None,
    )
