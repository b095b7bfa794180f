"""Attribution for extractive sentences: detect it, add 'According to <outlet>', quote originals."""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from newsdesk.claims._lexicon import ACCORDING, SPEECH
from newsdesk.text.words import is_wide
from newsdesk.write._text import ENGLISH_STOPWORDS

__all__ = [
    "attribute_sentence",
    "display_outlet",
    "has_attribution",
    "language_name",
    "quote_original",
    "strip_wrapper",
]

# Prefix templates where a sentence may follow the attribution unchanged (no verb inversion).
_PREFIX = {
    "en": "According to {outlet}, ",
    "fr": "Selon {outlet}, ",
    "es": "Según {outlet}, ",
    "pt": "Segundo {outlet}, ",
    "it": "Secondo {outlet}, ",
}
# Languages whose word order changes after a fronted phrase take a suffix instead.
_SUFFIX = {"de": ", so {outlet}", "nl": ", aldus {outlet}"}
_QUOTE_INTRO = {
    "en": "According to {outlet} (in {language}): ",
    "fr": "Selon {outlet} (en {language}) : ",
    "es": "Según {outlet} (en {language}): ",
    "pt": "Segundo {outlet} (em {language}): ",
    "it": "Secondo {outlet} (in {language}): ",
    "de": "{outlet} ({language}): ",
}
_OPEN, _CLOSE = "«", "»"
_NESTED = re.compile("[«»]")
_GLOSS = re.compile(r"\s*\([^()]*\)\s*$")
_EXTRA_EN = ("according to", "denied", "denies", "told", "reported", "citing")
_WORDLIKE = re.compile(r"[\w'’\-]+")
_TERMINAL = ".!?。！？।؟…"


@lru_cache(maxsize=32)
def _cue_pattern(lang: str) -> re.Pattern[str] | None:
    """One regex matching any speech verb or 'according to' cue of `lang`."""
    verbs = SPEECH.get(lang, {})
    forms = [form for stance in verbs.values() for form in stance]
    prefix, suffix = ACCORDING.get(lang, ((), ()))
    forms += [re.escape(cue) for cue in (*prefix, *suffix)]
    if lang == "en":
        forms += [re.escape(cue) for cue in _EXTRA_EN]
    if not forms:
        return None
    body = "|".join(sorted(forms, key=len, reverse=True))
    if lang in ("zh", "ja"):
        return re.compile(f"(?:{body})")
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def has_attribution(text: str, lang: str | None) -> bool:
    """Whether `text` already says who says so (a speech verb or an 'according to' cue)."""
    pattern = _cue_pattern(lang or "en")
    return bool(pattern and pattern.search(text))


def language_name(code: str | None, in_lang: str = "en") -> str:
    """The name of language `code` written in `in_lang` ('ru' → 'Russian'); the code if unknown."""
    if not code:
        return "an unknown language"
    try:
        locale = Locale.parse(in_lang)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return str(locale.languages.get(code) or code)


def _can_lowercase(word: str, common: frozenset[str]) -> bool:
    """Whether a sentence-initial word is a common word rather than a name or an acronym."""
    if not word or not word[0].isupper() or any(ch.isupper() for ch in word[1:]):
        return False
    lower = word.lower()
    return lower in ENGLISH_STOPWORDS or lower in common


def display_outlet(outlet: str) -> str:
    """The outlet's name without a trailing gloss ('X (Vestnik Evrazii)' → 'X')."""
    short = _GLOSS.sub("", outlet).strip()
    return short or outlet.strip()


def attribute_sentence(
    text: str, outlet: str, lang: str | None, common: frozenset[str] = frozenset()
) -> str:
    """`text` with '<According to> <outlet>, ' in front (or the language's suffix form).

    The first letter is lower-cased only when the first word is a stopword or occurs in lower
    case elsewhere in the sources (`common`), so names and acronyms keep their capitals.
    """
    lang = lang or "en"
    if lang in _SUFFIX:
        body = text.rstrip()
        end = body[-1] if body and body[-1] in _TERMINAL else "."
        body = body.rstrip(_TERMINAL)
        return body + _SUFFIX[lang].format(outlet=outlet) + end
    match = _WORDLIKE.match(text)
    if lang in _PREFIX:
        if match and _can_lowercase(match.group(0), common):
            text = text[:1].lower() + text[1:]
        return _PREFIX[lang].format(outlet=outlet) + text
    return f"{outlet}: {text}"


def quote_original(text: str, outlet: str, source_lang: str | None, target_lang: str) -> str:
    """`text` quoted in its own language: 'According to <outlet> (in Russian): «…»'."""
    template = _QUOTE_INTRO.get(target_lang, "{outlet} ({language}): ")
    intro = template.format(outlet=outlet, language=language_name(source_lang, target_lang))
    opening, closing = (_OPEN, _CLOSE) if not _NESTED.search(text) else ("“", "”")
    return f"{intro}{opening}{text.strip()}{closing}"


def strip_wrapper(text: str, outlet: str) -> str:
    """A sentence without the attribution or quotation this module added (for the dek)."""
    for opening, closing in ((_OPEN, _CLOSE), ("“", "”")):
        if text.endswith(closing) and f"): {opening}" in text:
            return text[text.index(f"): {opening}") + 4 : -1]
    for template in _PREFIX.values():
        prefix = template.format(outlet=outlet)
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            return rest[:1].upper() + rest[1:] if not is_wide(rest[:1]) else rest
    for template in _SUFFIX.values():
        suffix = template.format(outlet=outlet)
        if suffix in text:
            return text.replace(suffix, "", 1)
    prefix = f"{outlet}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
