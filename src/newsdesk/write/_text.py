"""Tokens, stems, stopwords and word counts for selection, in any language."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import snowballstemmer

from newsdesk.text.words import is_wide

_WORD = re.compile(r"\w+")

# Snowball algorithm per ISO 639-1 code; English uses the original Porter stemmer, as ROUGE does.
_STEMMERS = {
    "en": "porter",
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "eo": "esperanto",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "fa": "persian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

ENGLISH_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according mr mrs ms one two may might must shall us per via within without
    yet since upon among across last next new""".split()  # noqa: SIM905  # readable as prose
)


def count_words(text: str) -> int:
    """Words in `text`: whitespace-separated tokens, a run of CJK characters counting chars/2.

    A whitespace token holding n wide (CJK, kana, hangul) characters costs ceil(n / 2) words, plus
    one if it also holds other letters or digits; any other token costs one word.
    """
    total = 0
    for token in text.split():
        wide = sum(1 for ch in token if is_wide(ch))
        if not wide:
            total += 1
            continue
        rest = any(ch.isalnum() and not is_wide(ch) for ch in token)
        total += math.ceil(wide / 2) + (1 if rest else 0)
    return total


@lru_cache(maxsize=64)
def _stemmer(lang: str | None) -> snowballstemmer.basestemmer.BaseStemmer | None:
    name = _STEMMERS.get(lang or "")
    return snowballstemmer.stemmer(name) if name else None


def tokenize(text: str, lang: str | None) -> list[str]:
    """Lowercased word tokens, stemmed when a stemmer exists; wide scripts give one per char."""
    stemmer = _stemmer(lang)
    tokens: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0)
        if any(is_wide(ch) for ch in word):
            tokens.extend(word)  # CJK: characters are the unit; bigrams of them act as words
            continue
        tokens.append(stemmer.stemWord(word) if stemmer is not None and len(word) > 3 else word)
    return tokens


def stopwords_for(lang: str | None) -> frozenset[str]:
    """A stopword list for `lang` (stemmed like the tokens), empty when none is bundled."""
    if lang != "en":
        return frozenset()
    stemmer = _stemmer("en")
    assert stemmer is not None
    return frozenset(stemmer.stemWord(w) if len(w) > 3 else w for w in ENGLISH_STOPWORDS)
