"""Background sentences inside a story's own articles: what came before the event.

Reporters put the precedent into the article ("A similar scheme announced in 2023 was shelved",
"Turkey's defence exports reached a record last year"). Such a passage belongs under *Context
and precedents*, not in *What happened*. A passage is background when it names a year before the
article's own year, or carries a phrase that points to the past beyond the event ("last year",
"in recent years", "l'an dernier", "в прошлом году", "去年"). Days of the week and "since
Monday" are not background: they are the event itself, and so is a direct quote (a statement
made in the story) and, in the writer, a side of a dispute. The cues are deliberately few: a missed
background sentence stays in *What happened*, a wrong one would move news out of it.
"""

from __future__ import annotations

import re

from newsdesk.write.model import SourcePassage

# a four-digit year standing alone: not part of 1,900 / 2.000 / $2024 / 2024% / 20245
_Y = r"(?<![\d.,$€£¥#№])(19[4-9]\d|20\d\d)(?![\d%]|[.,]\d)"
# the year as a time ("in 2023", "depuis 2020", "с 2024 года", "2019年"), not as a name ("the
# 1997 treaty" is usually today's news about an old treaty)
_YEAR_FRAMES = {
    "en": rf"\b(?:in|since|until|from|by|during|early|late|mid-?|between)\s+{_Y}",
    "fr": rf"\b(?:en|depuis|dès|début|fin|jusqu'en|jusqu’en)\s+{_Y}",
    "es": rf"\b(?:en|desde|hasta|de)\s+{_Y}",
    "pt": rf"\b(?:em|desde|até|de)\s+{_Y}",
    "de": rf"\b(?:im Jahr|seit|bis|von|Anfang|Ende)\s+{_Y}",
    "ru": rf"(?<!\w)(?:в|с|до|по)\s+{_Y}",
    "hi": rf"{_Y}\s*(?:में|से|तक)",
    "ar": rf"(?:عام|منذ|في|العام)\s+{_Y}",
    "ja": rf"{_Y}\s*年",
    "zh": rf"{_Y}\s*年",
}
_YEAR_PATTERNS = {lang: re.compile(p, re.IGNORECASE) for lang, p in _YEAR_FRAMES.items()}
_BARE_YEAR = re.compile(_Y)

_PAST_PHRASES = {
    "en": (
        r"\blast year\b",
        r"\bin recent years\b",
        r"\bfor (?:years|decades)\b",
        r"\byears ago\b",
        r"\b(?:has|have) long\b",
        r"\bin the past\b",
        r"\bhas faced\b",
    ),
    "fr": (
        r"\bl'an dernier\b",
        r"\bl’an dernier\b",
        r"\bl'année dernière\b",
        r"\bl’année dernière\b",
        r"\bces dernières années\b",
        r"\bdepuis des (?:années|décennies)\b",
        r"\bil y a \d+ ans\b",
    ),
    "es": (
        r"\bel año pasado\b",
        r"\ben los últimos años\b",
        r"\bhace (?:años|décadas|\d+ años)\b",
    ),
    "pt": (r"\bno ano passado\b", r"\bnos últimos anos\b", r"\bhá (?:anos|décadas)\b"),
    "de": (
        r"\bim vergangenen Jahr\b",
        r"\bletztes Jahr\b",
        r"\bin den (?:vergangenen|letzten) Jahren\b",
        r"\bseit (?:Jahren|Jahrzehnten)\b",
        r"\bvor \d+ Jahren\b",
    ),
    "ru": (r"\bв прошлом году\b", r"\bв последние годы\b", r"\bнесколько лет назад\b"),
    "ar": (r"العام الماضي", r"في السنوات الأخيرة", r"منذ سنوات"),
    "hi": (r"पिछले (?:साल|वर्ष)", r"पिछले कुछ वर्षों"),
    "ja": (r"昨年", r"近年"),
    "zh": (r"去年", r"近年来", r"多年来"),
}
_PATTERNS = {
    lang: re.compile("|".join(phrases), re.IGNORECASE) for lang, phrases in _PAST_PHRASES.items()
}


# a direct quote is somebody's statement in the story, whatever years it names
_QUOTE = re.compile(r'"[^"]{12,}"|“[^”]{12,}”|«[^»]{12,}»|„[^“”]{12,}[“”]|「[^」]{6,}」')


def is_background(passage: SourcePassage) -> bool:
    """Whether the passage tells what came before the story rather than the story itself."""
    text = passage.text
    if _QUOTE.search(text):
        return False
    lang = (passage.lang or "en").split("-")[0].lower()
    year = passage.published.year if passage.published else None
    years = _YEAR_PATTERNS.get(lang, _BARE_YEAR)
    if year is not None and any(int(y) < year for y in years.findall(text)):
        return True
    pattern = _PATTERNS.get(lang)
    return bool(pattern and pattern.search(text))
