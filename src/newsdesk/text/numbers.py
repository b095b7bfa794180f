"""Reading numerals written in digits, in any script and any grouping convention.

The one home of what a digit string means: every script's decimal digits folded to ASCII
(`fold_digits`), the value of one numeral (`read_number`: as written in a language when it is
known, else the likeliest reading), every value it could mean (`number_readings`), and the
numbers of a text with their scale words applied (`find_numbers`). The clustering features,
the claims ledger and sentence verification read figures through these; each keeps only what
its purpose adds (distinctive quantities, units, evidence keys).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "COMMA_DECIMAL_LANGS",
    "SCALES",
    "NumberMention",
    "find_numbers",
    "fold_digits",
    "number_readings",
    "read_number",
    "value_key",
]

# Languages that write "1.150,5" (a comma before the decimals, points or spaces in groups).
COMMA_DECIMAL_LANGS = frozenset({"de", "es", "fr", "it", "nl", "pl", "pt", "ru", "tr"})

# Spaces that group digits: no-break, narrow no-break, thin and plain.
_SPACES = "\u00a0\u202f\u2009 "


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, int]:
    """Every non-ASCII decimal digit (Unicode category Nd) mapped to its ASCII digit."""
    table: dict[int, int] = {}
    for code in range(0x80, 0x1FC00):  # the decimal digits all sit below U+1FC00
        ch = chr(code)
        if unicodedata.category(ch) == "Nd":
            table[code] = 0x30 + unicodedata.decimal(ch)
    return table


def fold_digits(text: str) -> str:
    """The text with every decimal digit (Arabic-Indic, Devanagari, full-width ...) as ASCII.

    One character stays one character, so offsets into the result hold for the input.
    """
    if text.isascii():
        return text
    return text.translate(_digit_table())


def read_number(token: str, lang: str | None = None) -> float | None:
    """The value of one numeral, or None when it cannot be read.

    Args:
        token: Digits with grouping or decimal marks: "40,000", "40.000", "1,20,000", "6,8".
        lang: ISO 639-1 code. Given, the numeral is read as that language writes it ("1.150" is
            1150 in German, 1.15 in English). None: the likeliest reading in any language, where
            three-digit groups mean thousands ("40.000" and "40,000" are both 40000).
    """
    t = fold_digits(token).replace("\u00a0", " ").replace("\u202f", " ")
    if lang is None:
        return _likeliest_value(t.strip())
    t = t.replace(" ", "")
    if lang in COMMA_DECIMAL_LANGS:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t) or "," in t:
            t = t.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
            t = t.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?", t):
        t = t.replace(",", "")  # 4,000 and Indian grouping 1,15,000
    elif re.fullmatch(r"\d+,\d{1,2}", t):
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def _likeliest_value(raw: str) -> float | None:
    """A numeral's value without knowing its language; None when the marks are ambiguous."""
    groups = re.split(r"[.,\u00a0\u202f ]", raw)
    seps = re.findall(r"[.,\u00a0\u202f ]", raw)
    try:
        if len(groups) == 1:
            return float(raw)
        tail = groups[1:]
        if all(len(g) == 3 for g in tail) and (len(tail) > 1 or len(groups[0]) <= 3):
            return float("".join(groups))  # 40,000 / 40.000 / 40 000
        if len(set(seps)) == 1 and seps[0] == "," and len(tail[-1]) == 3:
            return float("".join(groups))  # Indian grouping 1,20,000
        if len(groups) == 2 and seps[0] in ".,":
            return float(f"{groups[0]}.{groups[1]}")  # 6,8 / 6.8
    except ValueError:
        return None
    return None


def number_readings(token: str) -> set[float]:
    """Every value a digit string can mean (grouping and decimal marks vary by language)."""
    compact = "".join(ch for ch in fold_digits(token) if ch not in _SPACES)
    readings: set[float] = set()
    if "," in compact and "." in compact:
        dec = "." if compact.rfind(".") > compact.rfind(",") else ","
        grp = "," if dec == "." else "."
        readings.add(float(compact.replace(grp, "").replace(dec, ".")))
        return readings
    for mark in (",", "."):
        if mark in compact:
            groups = compact.split(mark)
            if all(len(g) == 3 for g in groups[1:]):
                readings.add(float(compact.replace(mark, "")))
            if len(groups) == 2:
                readings.add(float(compact.replace(mark, ".")))
            return readings
    readings.add(float(compact))
    return readings


def value_key(value: float) -> str:
    """A comparable key for a value: nine significant digits."""
    return f"{value:.9g}"


# Scale words after a figure: "1.2bn", "4 000 тыс", "3万", "18 percent" (a percent scales by 1).
SCALES = {
    "thousand": 1e3, "k": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "千": 1e3,
    "万": 1e4, "萬": 1e4, "lakh": 1e5, "crore": 1e7, "लाख": 1e5, "करोड़": 1e7,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "млн": 1e6, "mio": 1e6,
    "millones": 1e6, "millón": 1e6, "milhões": 1e6, "milhão": 1e6, "millionen": 1e6,
    "亿": 1e8, "億": 1e8,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "млрд": 1e9, "mrd": 1e9,
    "milliard": 1e9, "milliards": 1e9, "milliarden": 1e9, "mil millones": 1e9,
    "trillion": 1e12, "tn": 1e12, "трлн": 1e12,
    "percent": 1.0, "per cent": 1.0, "%": 1.0, "процента": 1.0, "процентов": 1.0,
    "pour cent": 1.0, "por ciento": 1.0, "prozent": 1.0,
}  # fmt: skip
_SCALE_RE = "|".join(
    re.escape(s).replace(r"\ ", r"\s+") for s in sorted(SCALES, key=len, reverse=True)
)
_NUMBER = re.compile(
    r"(?<![0-9.,])(?<![A-Za-z\u00c0-\u024f\u0400-\u04ff])"
    r"(?P<num>\d{1,3}(?:[,.\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
    rf"(?:\s?(?P<scale>{_SCALE_RE})\.?(?![A-Za-z\u00c0-\u024f\u0400-\u04ff]))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    """A number in text: how it was written and what it can mean."""

    surface: str
    start: int
    end: int
    values: frozenset[str]
    parts: tuple[frozenset[str], ...]  # space-grouped "5 100" may be two numbers


def find_numbers(text: str) -> list[NumberMention]:
    """Numbers written in ASCII digits, with their scale word applied (1.2bn, 18%, 4 000).

    Fold other scripts' digits first (`fold_digits`) to read them too.
    """
    found: list[NumberMention] = []
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        scale_word = m.group("scale")
        scale = SCALES.get(" ".join(scale_word.lower().split()), 1.0) if scale_word else 1.0
        values = frozenset(value_key(v * scale) for v in number_readings(num))
        parts: tuple[frozenset[str], ...] = ()
        if any(ch in num for ch in _SPACES):
            pieces = [p for p in re.split(f"[{_SPACES}]", num) if p]
            parts = tuple(frozenset(value_key(v) for v in number_readings(p)) for p in pieces)
        surface = m.group(0).strip().rstrip(".")
        found.append(NumberMention(surface, m.start(), m.end(), values, parts))
    return found
