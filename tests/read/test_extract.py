"""Main-text and metadata extraction on small pages written for these tests.

Every article text below is invented for these tests; no real event, person or outlet is meant.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.quality.extraction import count_shingles, match_page, score_extraction
from newsdesk.read.extract import ExtractedPage, decode_html, extract_article, read_html_file
from newsdesk.read.extract.clean import (
    TextBlock,
    clean_blocks,
    normalize_link_text,
    widen_within_span,
)

# Invented article paragraphs (fiction, marked as such).
PARAGRAPHS = [
    "The harbour town of Velmora opened its new tidal library on Tuesday, a floating building "
    "that rises and falls with the sea and lends books to fishing crews before dawn.",
    "Mayor Ilse Varnholt said the library had taken four years to plan and would stay open "
    "through the winter storms, when the old reading room on the quay usually closes.",
    "Engineers from the regional water board tested the pontoons for six weeks. They reported "
    "that the structure held steady in waves of up to two metres during the autumn trials.",
    "Local children were the first visitors. Many of them asked whether the library would "
    "drift away at night, and the librarians promised that it was anchored in three places.",
    "The council expects about four hundred visitors a week and plans a second floating "
    "branch further along the coast if the first year goes well.",
]
TITLE = "Velmora opens a floating tidal library"


def _article_page(head_extra: str = "", body_extra: str = "", lang: str = "en-GB") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{TITLE} | The Velmora Courier</title>
  <meta property="og:title" content="{TITLE}">
  <meta property="og:site_name" content="The Velmora Courier">
  <meta name="description" content="A floating library now lends books to fishing crews.">
  <link rel="canonical" href="/news/2026/floating-library">
  <style>.ad {{ color: red; }} body {{ font-family: serif; }}</style>
  <script>window.trackingPixel = "tracker-code-should-not-appear";</script>
  {head_extra}
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News desk navigation</a></li>
  <li><a href="/sport">Sport section link</a></li></ul></nav>
  <main><article>
    <h1>{TITLE}</h1>
    <p class="byline">By Maren Oost</p>
    {paragraphs}
    {body_extra}
  </article></main>
  <aside><h3>Most read</h3><ul>
    <li><a href="/a">Invented teaser headline about a missing lighthouse keeper</a></li>
    <li><a href="/b">Another invented teaser about a record tuna catch</a></li></ul></aside>
  <footer><p>Copyright 2026 The Velmora Courier. All rights reserved.</p></footer>
</body>
</html>"""


JSON_LD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "HEADLINE",
 "datePublished": "2026-03-04T09:30:00+01:00",
 "author": [{"@type": "Person", "name": "Maren Oost"}, {"@type": "Person", "name": "Tjark Bell"}]}
</script>""".replace("HEADLINE", TITLE)


def test_reads_metadata_from_json_ld_meta_and_canonical_link() -> None:
    page = extract_article(_article_page(JSON_LD), "https://courier.example/news/today?ref=rss")
    assert isinstance(page, ExtractedPage)
    assert page.title == TITLE
    assert page.author == "Maren Oost; Tjark Bell"
    assert page.published == dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC)
    assert page.published.tzinfo is not None
    assert page.canonical_url == "https://courier.example/news/2026/floating-library"
    assert page.url == "https://courier.example/news/today?ref=rss"
    assert page.language == "en"
    assert page.site_name == "The Velmora Courier"
    assert page.description == "A floating library now lends books to fishing crews."


def test_reads_published_time_and_author_from_meta_tags() -> None:
    head = (
        '<meta property="article:published_time" content="2026-01-15T22:05:00-05:00">'
        '<meta name="author" content="By Tjark Bell">'
    )
    page = extract_article(_article_page(head, lang="de"))
    assert page.published == dt.datetime(2026, 1, 16, 3, 5, tzinfo=dt.UTC)
    assert page.author == "Tjark Bell"
    assert page.language == "de"
    # A relative canonical link without a page URL cannot be made absolute.
    assert page.canonical_url is None


def test_naive_timestamp_is_taken_as_utc() -> None:
    head = '<meta property="article:published_time" content="2026-02-01 07:45:00">'
    page = extract_article(_article_page(head))
    assert page.published == dt.datetime(2026, 2, 1, 7, 45, tzinfo=dt.UTC)


def test_text_keeps_paragraphs_and_drops_page_furniture() -> None:
    page = extract_article(_article_page(JSON_LD), "https://courier.example/x")
    paragraphs = page.text.split("\n\n")
    assert paragraphs == PARAGRAPHS
    for junk in ("tracker-code", "font-family", "navigation", "Most read", "Copyright", TITLE):
        assert junk not in page.text


def test_drops_boilerplate_lines_inside_the_article() -> None:
    extra = """
      <p>Read more: Invented story about the harbour festival</p>
      <p>Sign up for our newsletter to get the morning briefing.</p>
      <p>Share this article</p>
      <p>Follow us on Twitter and Facebook</p>
    """
    page = extract_article(_article_page(body_extra=extra), "https://courier.example/x")
    assert page.text.split("\n\n") == PARAGRAPHS


def test_link_teasers_go_unless_links_are_the_content() -> None:
    deals = [f"Invented deal number {i} on a brass ship lantern set" for i in range(6)]
    links = frozenset(normalize_link_text(d) for d in [*deals, "An invented teaser headline"])
    article = [TextBlock("p", p) for p in PARAGRAPHS]
    with_teaser = clean_blocks(
        [*article, TextBlock("p", "An invented teaser headline")], link_texts=links
    )
    assert [b.text for b in with_teaser] == PARAGRAPHS
    roundup = clean_blocks([*article[:2], *(TextBlock("item", d) for d in deals)], link_texts=links)
    assert [b.text for b in roundup] == [*PARAGRAPHS[:2], *deals]


def test_hostile_markup_never_reaches_the_text() -> None:
    extra = """
      <p onclick="alert('owned')">Click handlers must not leak <a href="javascript:alert(1)">here
      in this invented sentence about harbour tides and the moon</a>.</p>
      <script>document.write('<p>injected paragraph from script</p>')</script>
      <p>&lt;script&gt;alert("escaped")&lt;/script&gt; The tide tables were printed twice.</p>
      <iframe src="https://evil.example/"></iframe>
      <noscript><img src=x onerror=alert(1)></noscript>
    """
    html = _article_page(body_extra=extra).replace(
        'href="/news/2026/floating-library"', 'href="javascript:alert(1)"'
    )
    page = extract_article(html, "https://courier.example/x")
    assert "injected paragraph" not in page.text
    assert "alert('owned')" not in page.text
    assert "<script" not in page.text.lower()
    assert "onerror" not in page.text
    assert "The tide tables were printed twice." in page.text
    assert page.canonical_url == "https://courier.example/x"


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   \n  ",
        "plain text without any markup",
        b"\x00\x01\x02\xff\xfe\x00<<<>>>",
        random.Random(7).randbytes(20_000),
        "<html><head><script>var a = 1;</script></head><body><script>var b;</script></body>",
        "<html><body><p>unclosed <b><i><div>nested <table><tr><td>cell",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        "<html>" + "<div>" * 50_000 + "deep" + "</div>" * 50_000 + "</html>",
        "<html><body>" + "<div><span>" * 3_000 + "deep text" + "</span></div>" * 3_000,
    ],
    ids=[
        "empty-str",
        "empty-bytes",
        "whitespace",
        "no-markup",
        "control-bytes",
        "random-bytes",
        "script-only",
        "unclosed-tags",
        "xml-declaration",
        "very-deep-divs",
        "deep-mixed-nesting",
    ],
)
def test_hostile_or_broken_input_returns_a_page(html: str | bytes) -> None:
    page = extract_article(html, "https://courier.example/broken")
    assert isinstance(page, ExtractedPage)
    assert isinstance(page.text, str)
    assert "<script" not in page.text.lower()
    assert page.url == "https://courier.example/broken"


def test_script_only_page_has_empty_text() -> None:
    page = extract_article("<html><head><script>var x = 'secret';</script></head></html>")
    assert page.text == ""


def test_five_megabyte_page_is_handled() -> None:
    long_paragraph = " ".join(PARAGRAPHS)
    filler = "".join(f"<div><p>{i}. {long_paragraph}</p></div>" for i in range(6_000))
    html = _article_page(body_extra=filler).encode("utf-8")
    assert len(html) > 5_000_000
    page = extract_article(html, "https://courier.example/big")
    assert page.title == TITLE
    assert page.text.startswith(PARAGRAPHS[0])
    assert "5999. The harbour town" in page.text


def test_declared_legacy_charset_is_decoded() -> None:
    html = _article_page(body_extra="<p>Le café du port sert des crêpes aux pêcheurs.</p>")
    raw = html.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("iso-8859-1")
    page = extract_article(raw)
    assert "Le café du port sert des crêpes aux pêcheurs." in page.text


def test_undeclared_non_utf8_bytes_do_not_break_extraction() -> None:
    raw = (
        _article_page(body_extra="<p>Smörgåsbord für die Fischer im Hafen.</p>")
        .replace('<meta charset="utf-8">', "")
        .encode("cp1252")
    )
    page = extract_article(raw)
    assert "Smörgåsbord für die Fischer im Hafen." in page.text
    assert decode_html(b"\xef\xbb\xbf<p>bom</p>") == "<p>bom</p>"


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.text(max_size=2_000), st.binary(max_size=2_000)))
def test_never_raises_on_arbitrary_input(data: str | bytes) -> None:
    page = extract_article(data)
    assert isinstance(page.text, str)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<script>", "</script>", "x ", "&lt;",
                                 "<a href='javascript:x'>", "</a>", "<!--", "-->", "\x00"]),
                max_size=200))  # fmt: skip
def test_never_raises_on_tag_soup(parts: list[str]) -> None:
    page = extract_article("<html><body>" + "".join(parts))
    assert "<script" not in page.text.lower()


def test_read_html_file_reads_plain_and_gzipped_pages(tmp_path: Path) -> None:
    plain = tmp_path / "a.html"
    plain.write_bytes(b"<p>plain</p>")
    packed = tmp_path / "b.html.gz"
    packed.write_bytes(gzip.compress(b"<p>packed</p>"))
    broken = tmp_path / "c.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00broken")
    assert read_html_file(plain) == b"<p>plain</p>"
    assert read_html_file(packed) == b"<p>packed</p>"
    with pytest.raises(OSError):
        read_html_file(broken)
    with pytest.raises(OSError):
        read_html_file(tmp_path / "missing.html")
    with pytest.raises(OSError):
        read_html_file(plain, max_bytes=4)


def test_metric_counts_shingles_like_the_benchmark() -> None:
    assert count_shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert count_shingles("short text") == {("short", "text"): 1}
    assert count_shingles("  ") == {}
    perfect = match_page("one two three four five", "one two three four five")
    assert (perfect.tp, perfect.fp, perfect.fn) == (1.0, 0.0, 0.0)
    half = match_page("one two three four five", "one two three four")
    assert (half.tp, half.fp, half.fn) == (0.5, 0.0, 0.5)


def test_metric_averages_pages_and_skips_empty_predictions() -> None:
    score = score_extraction(
        [
            ("one two three four five", "one two three four five"),
            ("one two three four five", "one two three four"),
            ("six seven eight nine ten", ""),
        ]
    )
    # precision over the two pages that predicted something; recall over all three.
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx((1.0 + 0.5 + 0.0) / 3)
    assert score.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert score.pages == 3


def test_short_article_is_still_found() -> None:
    # Invented one-paragraph brief.
    brief = "The Velmora ferry will run an extra evening crossing on Fridays from next month."
    html = (
        "<html><head><title>Extra ferry crossing</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Extra ferry crossing</h1><p>{brief}</p></article>"
        "<footer>Contact the desk</footer></body></html>"
    )
    page = extract_article(html, "https://courier.example/brief")
    assert page.text == brief
    assert page.title == "Extra ferry crossing"


def test_balanced_pass_widens_only_inside_the_precise_span() -> None:
    precise = [TextBlock("p", PARAGRAPHS[0]), TextBlock("p", PARAGRAPHS[1])]
    balanced = [
        TextBlock("p", "Invented menu line before the article"),
        TextBlock("p", PARAGRAPHS[0]),
        TextBlock("head", "An invented subheading"),
        TextBlock("p", PARAGRAPHS[1]),
        TextBlock("p", "Invented footer line after the article"),
    ]
    widened = widen_within_span(precise, balanced)
    assert [b.text for b in widened] == [PARAGRAPHS[0], "An invented subheading", PARAGRAPHS[1]]
    # When the passes disagree, the precise paragraphs stand.
    assert widen_within_span(precise, balanced[:2]) == precise


def test_embedded_social_post_is_kept_as_a_quote() -> None:
    # Invented post by an invented account.
    tweet = (
        '<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">'
        "The tidal library just floated past my window with a queue of fishermen on deck"
        '</p>— Invented Resident (@invented_resident) <a href="https://x.example/s/1">'
        "March 4, 2026</a></blockquote>"
        '<script async src="https://platform.example/widgets.js"></script></div>'
    )
    body = f"<p>{PARAGRAPHS[1]}</p>{tweet}<p>{PARAGRAPHS[2]}</p>"
    html = _article_page(body_extra=body)
    page = extract_article(html, "https://courier.example/x")
    assert "a queue of fishermen on deck" in page.text
    assert "widgets.js" not in page.text
