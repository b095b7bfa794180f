"""Figures with units in many languages: "$1.2bn", "1 150 conteneurs", "约4000个集装箱", "18%"."""

from __future__ import annotations

import re
import unicodedata

from newsdesk.claims._lexicon import (
    CURRENCY_PREFIXES,
    SCALES,
    UNITS,
    WORD_NUMBERS,
)
from newsdesk.claims.model import Quantity
from newsdesk.text.numbers import fold_digits, read_number

__all__ = ["find_quantities", "parse_number"]

_NUM = r"\d{1,3}(?:(?:[,.\u00a0\u202f]| (?=\d{3}\b))\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![0-9A-Za-z\u00c0-\u024f\u0400-\u04ff.,/-])(?P<a>{_NUM}|(?i:{_WORDS})\b)"
    rf"(?:\s*(?:-|–|to|à|a|bis|до|至|～|〜|و)\s*(?P<b>{_NUM}|(?i:{_WORDS})\b))?"
)
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_UNIT_ALTS = [(key, alt) for key, alts in UNITS.items() for alt in alts]
_WORDISH = re.compile(r"[a-zA-Z\u00c0-\u024f\u0400-\u04ff]")
_UNIT = "|".join(
    f"(?P<u{i}>{alt})" + (r"(?![\w])" if _WORDISH.search(alt[-3:]) else "")
    for i, (_, alt) in enumerate(_UNIT_ALTS)
)
_AFTER = re.compile(
    rf"-?\s*(?:(?P<scale>{_SCALE})(?![a-zA-Z\u00c0-\u024f\u0400-\u04ff]))?\.?\s*"
    r"(?:(?:of (?:its|their|the)|de (?:ses|leurs|sus|seus|suas)|of|de|d'|d’|des|del|do|da|dos"
    r"|das|из|的|の|من|से)\s*)?"
    rf"(?:{_UNIT})",
    re.IGNORECASE,
)
_SCALE_ONLY = re.compile(
    rf"\s*(?P<scale>{_SCALE})(?![a-zA-Z\u00c0-\u024f\u0400-\u04ff])\.?", re.IGNORECASE
)
# "1,150 of the roughly 1,400 employees": the part takes the whole's unit.
_SHARE_OF = re.compile(
    rf"\s+of\s+(?:the\s+|its\s+|their\s+)?(?:roughly\s+|about\s+|some\s+|around\s+|nearly\s+)?"
    rf"(?:{_NUM})\s*(?:{_UNIT})",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    "(?:"
    + "|".join(re.escape(p) for p in sorted(CURRENCY_PREFIXES, key=len, reverse=True))
    + r")\s*$"
)
_PERCENT_PREFIX = re.compile(r"百分之$")
_MONTH_AFTER = re.compile(
    r"\.?\s*(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|févr|avr|juin|juil|"
    r"août|déc|ene|abr|ago|dic|set|out|январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|"
    r"октябр|ноябр|декабр)",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|avr|juil|déc|märz|okt|dez|"
    r"ene|dic|abr|ago|set|out)[a-zäéû]*\.?\s*$",
    re.IGNORECASE,
)
# "between 0.4 and 0.5 percent": a range written with a conjunction.
_BETWEEN_BEFORE = re.compile(r"(?:between|entre|zwischen|между|от)\s+$", re.IGNORECASE)
_BETWEEN = re.compile(rf"\s+(?:and|et|y|e|und|и|до)\s+({_NUM})")
_COUNTERS = set("个個本隻艘名人件台")
# A bare figure followed by one of these ("the 4,000 claimed", "environ 4 000.") takes the
# unit of the figure before it, or of a unit word just before it.
_BARE_NEXT = re.compile(
    r"\s*(?:[.,;:)»”\"]|$|(?:claimed|reported|cited|said|estimated|on|in|by|at|were|was|"
    r"figure|avancés?|annoncés?|selon|angegeben|genannt|según|segundo|por|de la|от|по)\b)",
    re.IGNORECASE,
)
_UNIT_BEFORE = re.compile(rf"(?:{_UNIT})[^.;\d]{{0,30}}$", re.IGNORECASE)


def parse_number(token: str, lang: str) -> float | None:
    """The value of one numeral as written in `lang` ("1.150" in German is 1150), or None."""
    word = WORD_NUMBERS.get(token.lower())
    if word is not None:
        return float(word)
    return read_number(token, lang)


def _scale_of(word: str | None) -> float:
    """Multiplier of a scale word, 1 when there is none."""
    if not word:
        return 1.0
    return SCALES.get(word.lower(), SCALES.get(word, 1.0))


def _unit_before(text: str, start: int) -> str | None:
    """The unit named by a word just before `start` ("containers at 1,150")."""
    m = _UNIT_BEFORE.search(text[max(0, start - 50) : start])
    if m is None:
        return None
    key = next(k for i, (k, _) in enumerate(_UNIT_ALTS) if m.group(f"u{i}"))
    return None if key.endswith("*") or key in ("%", "USD", "EUR", "rupee") else key


def _is_compound(span: str, a: float, b: float) -> bool:
    """Whether "<units> و<tens>" is one Arabic numeral (units before tens), not a range."""
    return "و" in span and 0 < a < 10 <= b < 100 and b % 10 == 0


def find_quantities(text: str, lang: str, unit_hint: str | None = None) -> list[Quantity]:
    """Figures with a recognised unit in `text`; bare numbers (years, dates, ids) are skipped.

    Args:
        text: Text to read.
        lang: ISO 639-1 code: decides whether "1.150" is 1150 or 1.15.
        unit_hint: Unit of a figure just before `text`, for bare figures such as "1150个".
    """
    # digits folded to ASCII one for one, so offsets into `text` hold
    text = fold_digits(unicodedata.normalize("NFKC", text))
    found: list[Quantity] = []
    last_unit: str | None = unit_hint
    skip_until = 0
    for m in _NUMBER.finditer(text):
        if m.start() < skip_until:
            continue
        a = parse_number(m.group("a"), lang)
        if a is None:
            continue
        b = parse_number(m.group("b"), lang) if m.group("b") else None
        if b is not None and _is_compound(m.group(0), a, b):
            a, b = a + b, None  # "سبعة وأربعين" is seven-and-forty, 47, not a range
        num_end = m.end()
        between = _BETWEEN.match(text, m.end()) if b is None else None
        if between is not None and _BETWEEN_BEFORE.search(text, 0, m.start()):
            b, num_end = parse_number(between.group(1), lang), between.end()
            skip_until = num_end
        before = text[max(0, m.start() - 6) : m.start()]
        prefix = _PREFIX.search(before)
        after = _AFTER.match(text, num_end)
        unit: str | None = None
        scale = 1.0
        end = num_end
        if after is not None:
            key = next(k for i, (k, _) in enumerate(_UNIT_ALTS) if after.group(f"u{i}"))
            unit, scale, end = key, _scale_of(after.group("scale")), after.end()
        if prefix is not None and unit in (None, "count"):
            cur = prefix.group(0).strip()
            unit = CURRENCY_PREFIXES[cur]
            only = _SCALE_ONLY.match(text, m.end())
            scale, end = (_scale_of(only.group("scale")), only.end()) if only else (1.0, m.end())
        elif _PERCENT_PREFIX.search(before):
            unit = "%"
        if unit is None:
            share = _SHARE_OF.match(text, m.end())
            if share is not None:
                key = next(k for i, (k, _) in enumerate(_UNIT_ALTS) if share.group(f"u{i}"))
                unit = None if key.endswith("*") else key
        if unit is None:
            nxt = text[m.end() : m.end() + 1]
            is_year = re.fullmatch(r"(?:19|20)\d\d", m.group("a")) is not None
            if nxt in _COUNTERS and last_unit is not None:
                unit, end = last_unit, m.end() + 1
            elif (
                not is_year
                # a spelled-out number takes no unit from context: "four votes to three"
                and m.group("a").lower() not in WORD_NUMBERS
                and not _MONTH_BEFORE.search(text, 0, m.start())
                and not _MONTH_AFTER.match(text, m.end())
                and _BARE_NEXT.match(text, m.end())
            ):
                unit = last_unit or _unit_before(text, m.start())
                if unit is None:
                    continue
            else:
                continue
        if m.group("a").lower() in WORD_NUMBERS and unit in ("%", "USD", "EUR"):
            continue  # "one percent" style wording is rare in reported figures; avoid noise
        if unit.endswith("*"):  # unit spelled with its own scale: bcm -> 1e9 m3
            base, _, mult = unit[:-1].partition("@")
            unit, scale = base, scale * float(mult)
        if unit != "%":
            last_unit = unit
        start = prefix.start() + max(0, m.start() - 6) if prefix else m.start()
        found.append(
            Quantity(
                value=a * scale,
                unit=unit,
                text=text[start:end].strip(),
                high=b * scale if b is not None else None,
            )
        )
    return found
