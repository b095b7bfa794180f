"""Which characters are 'wide': the one home of the CJK, kana and hangul ranges.

Two predicates, built from one table of Unicode blocks:

- `is_spaceless(ch)`: a letter of a script written without spaces between words (Chinese
  characters, Japanese kana). Word boundaries cannot be read off the text, so callers use
  characters or character bigrams as words, and a sentence in these scripts ends without a
  Latin period.
- `is_wide(ch)`: a character set full-width in East Asian text, where one character is about
  one unit of meaning: the spaceless letters plus hangul (Korean separates words with spaces,
  but a syllable block carries what a short word does), CJK symbols and punctuation, and the
  full-width and half-width forms. Word budgets count these at two characters per word.

Each range is a whole Unicode block (or a run of one) so nothing is guessed per character.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["SPACELESS_CLASS", "WIDE_CLASS", "is_spaceless", "is_wide"]

# Chinese characters (Han): every CJK Unified Ideographs block and the compatibility ones.
_HAN = (
    (0x2E80, 0x2FDF),  # CJK Radicals Supplement, Kangxi Radicals
    (0x3005, 0x3007),  # 々 〆 〇: the iteration mark, closing mark and ideographic zero
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303B),  # more Hangzhou numerals, the vertical iteration mark
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x3FFFF),  # Extensions B to H and the compatibility supplement (planes 2 and 3)
)
# Japanese kana (and the Bopomofo phonetic letters of Chinese).
_KANA = (
    (0x3031, 0x3035),  # kana repeat marks
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo Extended
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x1AFF0, 0x1B16F),  # Kana Extended-B, Kana Supplement, Kana Extended-A, Small Kana
)
# Korean hangul: syllables and the jamo they are built from.
_HANGUL = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7AF),  # Hangul Syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xFFA0, 0xFFDC),  # half-width hangul
)
# Wide symbols: punctuation, strokes, enclosed and compatibility forms, full-width ASCII.
_WIDE_SYMBOLS = (
    (0x2FF0, 0x303F),  # Ideographic Description Characters, CJK Symbols and Punctuation
    (0x3190, 0x319F),  # Kanbun
    (0x31C0, 0x31EF),  # CJK Strokes
    (0x3200, 0x33FF),  # Enclosed CJK Letters and Months, CJK Compatibility
    (0x4DC0, 0x4DFF),  # Yijing Hexagram Symbols (between Extension A and the main block)
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms (vertical punctuation)
    (0xFF00, 0xFF65),  # full-width ASCII, half-width CJK punctuation
    (0xFFE0, 0xFFEF),  # full-width signs, half-width symbols
)


def _merge(*groups: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The ranges sorted, with overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(r for group in groups for r in group):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


_SPACELESS = _merge(_HAN, _KANA)
_WIDE = _merge(_HAN, _KANA, _HANGUL, _WIDE_SYMBOLS)
_SPACELESS_STARTS = [lo for lo, _ in _SPACELESS]
_WIDE_STARTS = [lo for lo, _ in _WIDE]


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regex character class (without brackets) of the given code point ranges."""
    return "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges)


# For regexes: f"[{WIDE_CLASS}]" matches one wide character, f"[{SPACELESS_CLASS}]+" a run.
WIDE_CLASS = _char_class(_WIDE)
SPACELESS_CLASS = _char_class(_SPACELESS)


def _in(ranges: tuple[tuple[int, int], ...], starts: list[int], ch: str) -> bool:
    o = ord(ch)
    i = bisect_right(starts, o) - 1
    return i >= 0 and o <= ranges[i][1]


def is_spaceless(ch: str) -> bool:
    """Whether `ch` is a Chinese character or Japanese kana (scripts written without spaces)."""
    return ch >= "\u2e80" and len(ch) == 1 and _in(_SPACELESS, _SPACELESS_STARTS, ch)


def is_wide(ch: str) -> bool:
    """Whether `ch` is wide in East Asian text: Han, kana, hangul, CJK symbols, full-width forms."""
    return ch >= "\u1100" and len(ch) == 1 and _in(_WIDE, _WIDE_STARTS, ch)
