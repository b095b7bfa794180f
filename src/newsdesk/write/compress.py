"""Light sentence compression that never changes meaning: datelines, fillers, asides."""

from __future__ import annotations

import re

__all__ = ["compress_sentence", "drop_repeated_attribution", "strip_dateline"]

# "LONDON (Wire) —", "SINGAPORE, Nov 9 (Meridian Wire) - ", "WASHINGTON (AP) _ ", "PARIS —".
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'\- ]{1,40}[A-Z.]"
    r"(?:,\s*[A-Z][A-Za-z.]{1,15}(?:,?\s*[A-Z][A-Za-z.]{1,15})?)?"  # ", Calif." / ", Nov 9"
    r"(?:\s*\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^()]{1,40}\))?"
    r"\s*[-—–_]{1,2}\s+"
)
# Discourse fillers whose removal leaves the proposition intact (English only).
_FILLERS = (
    "however",
    "meanwhile",
    "in addition",
    "additionally",
    "moreover",
    "furthermore",
    "also",
    "separately",
    "still",
    "indeed",
    "nevertheless",
    "nonetheless",
    "besides",
    "likewise",
    "similarly",
    "of course",
    "in fact",
    "overall",
    "at the same time",
    "on the other hand",
    "as a result",
    "in the meantime",
)
_FILLER = re.compile(rf"^(?:{'|'.join(re.escape(f) for f in _FILLERS)}),\s+", re.IGNORECASE)
_CONJUNCTION = re.compile(r"^(?:and|but|so)\s+(?=[A-Za-z])", re.IGNORECASE)
_PAREN = re.compile(r"\s*[(（]([^()（）]{1,120})[)）]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{0,9}s?$")
_ATTRIBUTION = re.compile(
    r",\s+(?P<who>(?:[A-Za-z][\w.'\-]*\s+){0,5}?)(?P<verb>said|says|added|told reporters)"
    r"(?P<tail>\s+(?:on\s+)?\w+day)?\s*\.$"
)
_SPACE = re.compile(r"\s{2,}")
# A pronoun may name someone else in the next sentence: never drop its attribution.
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})


def strip_dateline(text: str) -> str:
    """The sentence without a leading wire dateline such as 'LONDON (Wire) —'."""
    match = _DATELINE.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    # A real dateline is followed by the sentence proper, which starts with a capital or digit.
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'"):
        return text
    return rest


def _is_aside(inner: str) -> bool:
    """Whether a parenthetical is only an aside: no digits, names or acronyms inside."""
    words = inner.split()
    if not words or len(words) > 12:
        return False
    if any(ch.isdigit() for ch in inner):
        return False
    if len(words) == 1 and _ACRONYM.match(words[0].strip(".,")):
        return False
    # Capitalised words are names (or start a quoted sentence): keep them.
    return not any(w[:1].isupper() for w in words)


def _drop_asides(text: str) -> str:
    """The text without parenthetical asides."""

    def replace(match: re.Match[str]) -> str:
        return "" if _is_aside(match.group(1)) else match.group(0)

    out = _PAREN.sub(replace, text)
    return re.sub(r"\s+([,.;:!?])", r"\1", out)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def compress_sentence(text: str, lang: str | None = None) -> str:
    """A shorter sentence with the same meaning.

    Drops a leading dateline, parenthetical asides (never numbers, names or acronyms) and, in
    English, a leading discourse filler such as 'However,' or 'Meanwhile,'.
    """
    out = _SPACE.sub(" ", text.strip())
    out = strip_dateline(out)
    out = _drop_asides(out)
    if lang in (None, "en"):
        stripped = _FILLER.sub("", out, count=1)
        stripped = _CONJUNCTION.sub("", stripped, count=1)
        if stripped != out and len(stripped.split()) >= 4:
            out = _capitalise(stripped)
    return out.strip()


def drop_repeated_attribution(previous: str, current: str) -> str:
    """`current` without its trailing ', X said.' when `previous` ends with the same attribution."""
    prev = _ATTRIBUTION.search(previous)
    cur = _ATTRIBUTION.search(current)
    if prev is None or cur is None:
        return current
    same_who = prev.group("who").strip().lower() == cur.group("who").strip().lower()
    who = cur.group("who").strip().lower()
    if not same_who or not who or who in _PRONOUNS:
        return current
    body = current[: cur.start()].rstrip()
    if len(body.split()) < 6 or body.count("\u201c") != body.count("\u201d"):
        return current
    return body + "."
