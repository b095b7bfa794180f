"""text/html.py: the one HTML-to-text helper, used by feed titles and by the read stage."""

from __future__ import annotations

import pytest

from newsdesk.monitor.feeds import parse_feed
from newsdesk.text.html import html_to_text


@pytest.mark.parametrize(
    ("fragment", "line", "paragraphs"),
    [
        ("AT&amp;T <b>wins</b> bid", "AT&T wins bid", "AT&T wins bid"),
        ("first<br>second", "first second", "first\n\nsecond"),
        ("<p>one</p><p>two  <i>three</i></p>", "one two three", "one\n\ntwo three"),
        ("<script>alert(1)</script><style>p{}</style>Title", "Title", "Title"),
        ("a < b and c > d", "a < b and c > d", "a < b and c > d"),
        ("&lt;not a tag&gt;", "<not a tag>", "<not a tag>"),
        ("   ", "", ""),
        ("<!-- only a comment -->", "", ""),
    ],
)
def test_html_to_text(fragment: str, line: str, paragraphs: str) -> None:
    assert html_to_text(fragment) == line
    assert html_to_text(fragment, paragraphs=True) == paragraphs


def test_feed_html_title_reads_as_text() -> None:
    feed = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Invented Wire</title>
<entry><id>urn:x:1</id>
<title type="html">Port &lt;b&gt;reopens&lt;/b&gt;&lt;br&gt;after storm</title>
<link href="https://wire.example/1"/><updated>2026-11-12T08:00:00Z</updated></entry></feed>"""
    parsed = parse_feed(feed, "https://wire.example/feed")
    assert parsed.entries[0].title == "Port reopens after storm"
