"""Turn trafilatura's body tree into paragraphs and drop leftover boilerplate paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml.etree import _Element

# Elements of trafilatura's output tree that hold one paragraph of text each.
_BLOCKS = {"p", "head", "item", "row", "code", "quote"}
# Elements that only group paragraphs.
_CONTAINERS = {"body", "list", "table", "div", "doc", "main"}
_SKIP = {"graphic", "fw", "note"}

_SPACES = re.compile(r"[^\S\n]+")
# HTML-looking tags left in text: a known tag name, bare or with name=value attributes.
_TAG_LIKE = re.compile(
    r"</?(?:script|style|iframe|frame|object|embed|img|svg|math|form|input|button|link|meta|base|"
    r"html|head|body|div|span|p|a|br|hr|b|i|u|em|strong|table|tr|td|ul|ol|li|h[1-6]|noscript|"
    r"template|video|audio|source)(?:\s*/?>|\s[^<>]*=[^<>]*>)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")

# Short calls to action and navigation prompts that are never article prose.
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        (?:related|see\ also|see\ more|read\ more|read\ also|also\ read|more\ from|more\ on|
           recommended|don'?t\ miss|must\ read|trending|popular|watch|listen|more|next|previous|
           advertisement|sponsored|promoted|click\ here|tap\ here|filed\ under|posted\ in|
           tags|tagged|categories|category|source)\b\W*(?::|$|\[)
      | (?:you\ (?:may|might)\ also\ (?:like|enjoy)|most\ (?:read|popular|viewed|shared)\b|
           more\ stories|top\ stories|recommended\ for\ you|trending\ now)
      | follow\b.{0,60}\bon\s+(?:twitter|facebook|instagram|youtube|linkedin|tiktok|x)\b
      | follow\b.{0,40}\bcoverage\b
      | (?:advertisement|sponsored\ content|skip\ advert(?:isement)?)\W*$
      | (?:follow|like)\ (?:us|me|him|her|them|[\w.@-]+)\ on\b
      | (?:sign\ up|subscribe|register)\b
        (?:.{0,80}\b(?:newsletter|alerts|inbox)\b|\s+(?:to|for)\s+our\b|\W*$)
      | (?:get|receive)\b.{0,60}\b(?:newsletter|delivered|in\ your\ inbox|straight\ to\ your)\b
      | (?:share|share\ this|share\ on|tweet|email)\W*(?:this|article|story|facebook|twitter)?\W*$
      | (?:tell\ us\ what\ you\ think|leave\ a\ (?:comment|reply)|
           join\ the\ (?:conversation|discussion))
      | (?:\d+\s+)?comments?\W*$
      | (?:copyright|©|\(c\))\s
      | (?:all\ rights\ reserved)
      | (?:updated|published|posted|last\ updated|last\ modified)\b(?:\s+(?:at|on))?
        \s*[\d:.,apm\s/-]{1,30}
        (?:[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})?[\d:.,apm\s/-]*(?:[a-z]{2,4})?\W*$
      | \d+\s*min(?:ute)?s?\s+read\W*$
      | reading\ time\b.{0,30}$
      | photo(?:graph)?s?\s*(?:credit)?\s*:
      | (?:image|picture|video)\s+(?:credit|source)\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Calls to action recognisable at any paragraph length.
_PROMPT = re.compile(
    r"""^\W*(?:
        if\ you\ (?:enjoyed|liked|value|appreciate|found)\ (?:this|our|reading)
      | have\ a\ (?:news\ )?tip\b
      | (?:sign\ up|subscribe)\b.{0,80}\bnewsletter\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_PROMPT_CHARS = 400
# Photo credits and copyright lines: a short line with a copyright sign.
_CREDIT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.IGNORECASE)
# Headline-like teasers: "Some other story [VIDEO]".
_TEASER_TAG = re.compile(r"\[(?:[A-Z]{3,}\s?){1,3}\]\W*$")
# Leftover WordPress shortcodes such as "[button link=...]...[/button]".
_SHORTCODE = re.compile(r"\[(?:/[a-z_]+|[a-z_]+(?:\s+[a-z_-]+\s*=[^\]]*)+)\]")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av)\s+\S+(?:\s+\S+){0,5}$", re.IGNORECASE)
_MAX_BOILERPLATE_CHARS = 160
_SENTENCE_END = re.compile(r"[.!?:;。！？：]\W{0,3}$")
# When more than this share of paragraphs are bare links, the links are the content (a list
# of deals, a link roundup) rather than teasers around an article.
_MAX_TEASER_SHARE = 0.25
# Share of the precise paragraphs the balanced pass must also have before it may widen them.
_MIN_SPAN_MATCH = 0.9
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")


@dataclass
class TextBlock:
    """One paragraph of extracted text and the kind of element it came from."""

    kind: str
    text: str


def _is_structural(elem: _Element) -> bool:
    return elem.tag in _BLOCKS or elem.tag in _CONTAINERS


def _inline_text(elem: _Element, parts: list[str]) -> None:
    """Collect the text of elem's inline content, leaving out nested paragraphs."""
    if elem.text:
        parts.append(elem.text)
    for child in elem:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and (_is_structural(child) or tag in _SKIP):
            # A nested paragraph's tail is walked as a paragraph of its own, in order.
            if tag in _SKIP and child.tail:
                parts.append(child.tail)
            continue
        if tag == "lb":
            parts.append("\n")
        elif tag == "cell":
            parts.append(" | " if parts and parts[-1].strip() else "")
            _inline_text(child, parts)
        elif tag:
            _inline_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def _normalize(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _paragraph(text: str, kind: str) -> TextBlock | None:
    cleaned = _normalize(text.strip(" |"))
    return TextBlock(kind=kind, text=cleaned) if cleaned else None


def collect_blocks(body: _Element) -> list[TextBlock]:
    """Flatten an extracted body tree into paragraphs in document order."""
    found: list[TextBlock | None] = []
    # Iterative walk, so deep trees cannot exhaust Python's recursion limit. Text lying between
    # paragraphs (a container's own text, a nested paragraph's tail) is a paragraph of its own.
    stack: list[_Element | str] = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(_paragraph(item, "p"))
            continue
        is_block = item.tag in _BLOCKS
        if is_block:
            parts: list[str] = []
            _inline_text(item, parts)
            found.append(_paragraph("".join(parts), str(item.tag)))
        elif item.text:
            found.append(_paragraph(item.text, "p"))
        pending: list[_Element | str] = []
        for child in item:
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                if not is_block and child.tail:
                    pending.append(child.tail)
            elif _is_structural(child):
                pending.append(child)
                if child.tail:
                    pending.append(child.tail)
            elif not is_block:
                parts = []
                _inline_text(child, parts)
                pending.append("".join(parts) + (child.tail or ""))
        stack.extend(reversed(pending))
    return [b for b in found if b is not None]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _is_same_words(text: str, other: str | None, threshold: float = 0.8) -> bool:
    """True when text's words are (nearly) those of other, e.g. the headline repeated."""
    if not other:
        return False
    a, b = _words(text), _words(other)
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = set(a), set(b)
    overlap = len(sa & sb) / len(sa | sb)
    return overlap >= threshold or (len(a) >= 4 and " ".join(a) in " ".join(b))


def is_boilerplate(text: str) -> bool:
    """True for a line that is a call to action, a credit, a teaser or navigation."""
    if len(text) <= _MAX_PROMPT_CHARS and _PROMPT.search(text):
        return True
    if len(text) > _MAX_BOILERPLATE_CHARS:
        return False
    if _BOILERPLATE.search(text) or _TEASER_TAG.search(text) or _CREDIT.search(text):
        return True
    return bool(_SHORTCODE.match(text.strip()))


def normalize_link_text(text: str) -> str:
    """Lowercased words of a link's text, for comparing with extracted paragraphs."""
    return " ".join(_words(text))


def is_link_teaser(text: str, link_texts: frozenset[str]) -> bool:
    """True for a short paragraph that is nothing but the text of a link on the page."""
    if len(text) > _MAX_BOILERPLATE_CHARS or _SENTENCE_END.search(text):
        return False
    words = normalize_link_text(text)
    if words in link_texts:
        return True
    # "Related: <link>" and similar: a short label followed by the link text.
    head, sep, rest = text.partition(":")
    return bool(sep) and len(head) <= 20 and normalize_link_text(rest) in link_texts


def clean_blocks(
    blocks: Iterable[TextBlock],
    titles: Iterable[str | None] = (),
    author: str | None = None,
    link_texts: frozenset[str] = frozenset(),
) -> list[TextBlock]:
    """Drop boilerplate paragraphs, teaser links, a repeated headline or byline."""
    items = list(blocks)
    headlines = [t for t in titles if t]
    teasers = [is_link_teaser(b.text, link_texts) for b in items]
    if sum(teasers) > _MAX_TEASER_SHARE * len(items):
        teasers = [False] * len(items)
    kept: list[TextBlock] = []
    for block, is_teaser in zip(items, teasers, strict=True):
        text = block.text
        at_top = not kept
        if at_top and any(_is_same_words(text, h) for h in headlines):
            continue
        if is_teaser or is_byline(text, author):
            continue
        lines = [line for line in text.split("\n") if not is_boilerplate(line)]
        block.text = _SHORTCODE.sub("", _TAG_LIKE.sub("", "\n".join(lines))).strip()
        if _WORD.search(block.text):
            kept.append(block)
    return kept


def is_byline(text: str, author: str | None) -> bool:
    """True for a short line naming the author: "By A. Writer", "5:45 AM 11/19 by A. Writer"."""
    if len(text) > 100 or _SENTENCE_END.search(text):
        return False
    if _BYLINE.match(text):
        return True
    if not author:
        return False
    names = [n for n in (" ".join(_words(a)) for a in author.split(";")) if n.count(" ") >= 1]
    words = " ".join(_words(text))
    return any(words == name or (f"by {name}" in words) for name in names)


def widen_within_span(
    precise: list[TextBlock], balanced: list[TextBlock], min_match: float = _MIN_SPAN_MATCH
) -> list[TextBlock]:
    """Paragraphs of the balanced pass from the first to the last paragraph the precise pass kept.

    Boilerplate sits around an article, not inside it: what only the balanced pass found between
    two precise paragraphs (headings, lists, captioned links) is kept, what lies outside is not.
    When the two passes disagree too much the precise paragraphs are returned unchanged.
    """
    wanted = {b.text for b in precise}
    found = [i for i, b in enumerate(balanced) if b.text in wanted]
    if not found or len({balanced[i].text for i in found}) < min_match * len(wanted):
        return precise
    return balanced[found[0] : found[-1] + 1]


def join_blocks(blocks: Iterable[TextBlock]) -> str:
    """Join paragraphs with blank lines."""
    return "\n\n".join(b.text for b in blocks)
