"""Sentence segmentation beyond English, and the citable passages built from it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsdesk.text.abbreviations import ABBREVIATIONS, ORDINAL_PERIOD_LANGUAGES
from newsdesk.text.words import is_wide

__all__ = ["PassageSpan", "split_passages", "split_sentences"]

# Every line break is whitespace to str.isspace, so nothing is lost between lines.
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_CLOSERS = "\"'”’»›)\\]}」』）】〕〉》〗］"
_OPENERS = "\"'“‘«‹([{¿¡„‚「『（【〔〈《〖［"
# Terminators that end a sentence with no space after them (CJK, Arabic, Urdu, Devanagari,
# Ethiopic, Myanmar, Armenian).
_STRONG = "。！？｡．؟۔।॥።။։"
_WESTERN = ".!?…‼⁇⁈⁉"
_TERMINATOR = re.compile(
    rf"(?P<strong>[{_STRONG}][{_STRONG}{_WESTERN}]*)(?P<sclose>[{_CLOSERS}]*)"
    # French sets a (narrow) space before closing guillemets: « Parce que. »
    rf"|(?P<western>[{_WESTERN}]+)(?P<wclose>(?:[{_CLOSERS}]|[ \u00a0\u202f]+[»›])*)(?=\s)"
)
_QUOTE_PARTICLES = set("とっ")
_MULTI_PERIOD = re.compile(r"(?:[^\W\d_]{1,3}\.){2,}")
_NO_START = set(",;:") | set(_CLOSERS) | set("，、；：")
# Breaks for over-long sentences: strongest class first.
_CLAUSE_BREAKS = (";；؛", ":：", ",，、،")
_SPACELESS_BREAKS = set("；؛：，、،")


@dataclass(frozen=True)
class PassageSpan:
    """One passage: its position in the article, its text and its span in the original text."""

    position: int
    text: str
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_abbreviation(line: str, dot: int, lang: str | None) -> bool:
    """Whether the period at `dot` closes an abbreviation, initial or ordinal."""
    begin = dot
    while begin > 0 and not line[begin - 1].isspace():
        begin -= 1
    token = line[begin : dot + 1].lstrip(_OPENERS)
    word = token[:-1]
    if not word:
        return False
    if token in ABBREVIATIONS or (token[0].isupper() and token.lower() in ABBREVIATIONS):
        return True  # also a lowercase abbreviation that starts a sentence: "Ул. Ленина"
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. R. Smith", "А. С. Пушкин"
    if _MULTI_PERIOD.fullmatch(token):
        return True  # U.S., e.g., z.B., EE.UU., т.е.
    return lang in ORDINAL_PERIOD_LANGUAGES and word.isdigit() and len(word) <= 3


def _next_visible(line: str, pos: int) -> str:
    """The first non-whitespace character at or after `pos`, or ''."""
    while pos < len(line) and line[pos].isspace():
        pos += 1
    return line[pos] if pos < len(line) else ""


def _ends_sentence(line: str, match: re.Match[str], lang: str | None) -> bool:
    """Whether a terminator match really ends a sentence."""
    if match.group("strong") is not None:
        mark = match.group("strong")
        if mark == "．":  # full-width period between digits is a decimal point
            before = line[match.start() - 1 : match.start()]
            after = line[match.end() : match.end() + 1]
            return not (before.isdigit() and after.isdigit())
        # Japanese quotes a finished sentence inside a longer one: 「賛成です。」と言った。
        return not (
            match.group("sclose") and line[match.end() : match.end() + 1] in _QUOTE_PARTICLES
        )
    marks = match.group("western")
    nxt = _next_visible(line, match.end())
    if not nxt or nxt.islower() or nxt in _NO_START:
        return False
    if marks != ".":
        return True  # ! ? … and runs of them before a plausible start
    return not _is_abbreviation(line, match.start("western"), lang)


def _split_line(line: str, offset: int, lang: str | None) -> Iterator[tuple[int, int]]:
    """Sentence spans of one line (no line breaks inside), shifted by `offset`."""
    start = 0
    for match in _TERMINATOR.finditer(line):
        if _ends_sentence(line, match, lang):
            span = _trim(line, start, match.end())
            if span is not None:
                yield span[0] + offset, span[1] + offset
            start = match.end()
    span = _trim(line, start, len(line))
    if span is not None:
        yield span[0] + offset, span[1] + offset


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, in order; line breaks always end one.

    Args:
        text: The text to segment.
        lang: ISO 639-1 code if known; enables rules such as German ordinals ("3. Oktober").

    Returns:
        (start, end) spans into `text`, each without surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in _LINE_BREAK.finditer(text):
        spans.extend(_split_line(text[start : brk.start()], start, lang))
        start = brk.end()
    spans.extend(_split_line(text[start:], start, lang))
    return spans


def _find_break(text: str, start: int, limit: int, max_chars: int) -> int | None:
    """Where to end a piece that starts at `start` and may not pass `limit`."""
    floor = start + max(1, max_chars // 2)
    for marks in _CLAUSE_BREAKS:
        for i in range(limit - 1, floor - 1, -1):
            ch = text[i]
            if ch in marks and (ch in _SPACELESS_BREAKS or text[i + 1].isspace()):
                return i + 1
    for i in range(limit, start, -1):
        if text[i].isspace():
            return i
    return None


def _split_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Pieces of an over-long sentence, each within max_chars unless a single token."""
    pos = start
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        if end - pos <= max_chars:
            yield pos, end
            return
        limit = pos + max_chars
        cut = _find_break(text, pos, limit, max_chars)
        if cut is None:
            if is_wide(text[limit - 1]) and is_wide(text[limit]):
                cut = limit
            else:
                cut = limit
                while cut < end and not text[cut].isspace():
                    cut += 1
        span = _trim(text, pos, cut)
        if span is not None:
            yield span
        pos = cut


def split_passages(text: str, lang: str | None = None, max_chars: int = 600) -> list[PassageSpan]:
    """Citable passages of `text`: one per sentence, over-long sentences split further.

    Args:
        text: The article text.
        lang: ISO 639-1 code if known.
        max_chars: Longest passage; only a single unbreakable token may exceed it.

    Returns:
        Passages numbered from 0, each with text == text[start:end].
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    passages: list[PassageSpan] = []
    for start, end in split_sentences(text, lang):
        pieces = (
            [(start, end)] if end - start <= max_chars else _split_long(text, start, end, max_chars)
        )
        for a, b in pieces:
            passages.append(PassageSpan(len(passages), text[a:b], a, b))
    return passages
