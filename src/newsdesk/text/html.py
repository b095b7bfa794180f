"""Plain text of HTML fragments (feed titles, summaries and content)."""

from __future__ import annotations

import lxml.etree
import lxml.html

__all__ = ["collapse_space", "html_to_text"]

# elements that start a new paragraph; <br> ends one too
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"}
)
_DROPPED = "//script|//style|//noscript|//iframe|//template"


def collapse_space(text: str) -> str:
    """Runs of whitespace reduced to one space, ends stripped."""
    return " ".join(text.split())


def html_to_text(fragment: str | None, *, paragraphs: bool = False) -> str:
    """Plain text of an HTML fragment: entities decoded, scripts and styles dropped.

    Args:
        fragment: HTML (or plain text; it comes back with its whitespace collapsed).
        paragraphs: Keep block elements and <br> as paragraphs separated by a blank line;
            otherwise everything is one line.
    """
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return collapse_space(fragment)
    for bad in root.xpath(_DROPPED):
        bad.drop_tree()
    found: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = collapse_space("".join(buf))
        if text:
            found.append(text)
        buf.clear()

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            flush()
        if el.text and isinstance(el.tag, str):
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return "\n\n".join(found) if paragraphs else " ".join(found)
