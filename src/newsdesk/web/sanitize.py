"""Source-derived links and HTML made inert: only http(s) hrefs, no scripts, no handlers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer nofollow"
# what a fragment of source HTML may keep; everything else is stripped to its text
ALLOWED_TAGS = frozenset({"a", "b", "strong", "i", "em", "p", "br", "blockquote", "q"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str | None) -> str | None:
    """The URL when a reader may follow it (absolute http or https), else None."""
    if not url:
        return None
    url = url.strip()
    # browsers drop tabs and newlines inside a URL ("java\tscript:"), so refuse any control char
    if _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return url


def clean_html(fragment: str) -> Markup:
    """An HTML fragment from a source with only harmless tags and http(s) links left."""
    return Markup(
        nh3.clean(
            fragment,
            tags=set(ALLOWED_TAGS),
            clean_content_tags={"script", "style"},
            attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(SAFE_SCHEMES),
            link_rel=LINK_REL,
        )
    )


def source_link(url: str | None, text: str) -> Markup:
    """A link out to a source; plain escaped text when its URL is not http(s)."""
    href = safe_url(url)
    if href is None:
        return Markup('<span class="nolink">{}</span>').format(text)
    # built escaped, then passed through nh3 as well so no attribute can survive that we did not
    # mean to write
    return clean_html(str(Markup('<a href="{}">{}</a>').format(href, text)))
