"""Entity keys, alias normalisation, transliteration and length-preserving folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

# Apostrophes and dashes that news text uses interchangeably.
_APOSTROPHES = "\u2019\u02bc\u2018\u0060\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_POSSESSIVE = re.compile(r"(?:'s|')$")
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|la|le|les|el|los|las|der|die|das)\s+|l')", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
# Words skipped when forming an acronym from an expansion ("Bank of England" -> "BE"/"BOE").
_ACRONYM_SKIP = frozenset(
    {"of", "and", "the", "for", "de", "des", "du", "la", "le", "et", "y", "del", "der", "und"}
)


def _fold_char(ch: str) -> str:
    """One character lower-cased and stripped of diacritics, or itself if that changes length."""
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low in _APOSTROPHES:
        return "'"
    if low in _DASHES:
        return "-"
    code = ord(low)
    # Strip marks only from Latin, Greek and Cyrillic letters: in Devanagari or Arabic the
    # combining marks are vowels and must stay.
    if 0x00C0 <= code <= 0x024F or 0x0370 <= code <= 0x03FF or 0x0400 <= code <= 0x04FF:
        base = unicodedata.normalize("NFD", low)[0]
        return base
    return low


@lru_cache(maxsize=4096)
def _fold_table_entry(ch: str) -> str:
    return _fold_char(ch)


def fold_text(text: str) -> str:
    """Lower-case and strip Latin/Greek/Cyrillic diacritics without changing the length.

    Offsets into the folded text are offsets into the original, so matches found on the folded
    form point at the original characters.
    """
    low = text.lower()
    if len(low) == len(text) and low.isascii():
        return low.replace("`", "'")
    return "".join(_fold_table_entry(ch) for ch in text)


def normalize_alias(text: str) -> str:
    """The form aliases are compared in: folded, no possessive, no leading article, one space."""
    text = unicodedata.normalize("NFC", text).strip()
    folded = fold_text(text)
    folded = _SPACES.sub(" ", folded).strip(" .,;:!?\"'()[]«»„“”「」『』")
    folded = _POSSESSIVE.sub("", folded)
    folded = _LEADING_ARTICLE.sub("", folded)
    return folded.strip()


def transliterate(text: str) -> str:
    """A Latin-script rendering of any name (unidecode's tables)."""
    return unidecode(text).strip()


def slugify(text: str) -> str:
    """A lower-case ASCII slug: 'Mara Velden' -> 'mara-velden', 'Россия' -> 'rossiia'."""
    ascii_text = transliterate(normalize_alias(text)).lower().replace("&", " and ")
    slug = _NON_WORD.sub("-", ascii_text).strip("-")
    return slug[:150] or "x"


def make_key(entity_type: str, name: str) -> str:
    """The stable key of an entity that has no canonical id: '<type>:<slug of name>'."""
    return f"{entity_type}:{slugify(name)}"


def compact_acronym(text: str) -> str:
    """An acronym written any way, compacted: 'L&T' -> 'LT', 'U.S.' -> 'US'."""
    return re.sub(r"[^0-9A-Za-z\u0400-\u04FF]", "", text).upper()


def is_acronym(text: str) -> bool:
    """Whether a surface form looks like an acronym (2-8 capitals, maybe with '&' or dots).

    Capitalised words are not one: "NEW DELHI" is a dateline, "L & T" an acronym.
    """
    if sum(len(w) > 1 for w in text.split() if w != "&") > 1:
        return False
    compact = compact_acronym(text)
    return (
        2 <= len(compact) <= 8
        and compact == re.sub(r"[\s.&]", "", text).upper()
        and (sum(ch.isupper() for ch in text) >= 2)
    )


def acronym_candidates(expansion: str) -> set[str]:
    """Acronyms an expansion may be abbreviated to: 'Larsen & Toubro' -> {'LT'}."""
    words = [w for w in re.split(r"[\s\-/]+", expansion) if w and w != "&"]
    if len(words) < 2:
        return set()
    all_initials = "".join(w[0] for w in words if w[0].isalnum()).upper()
    content = "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP and w[0].isalnum())
    return {a for a in (all_initials, content.upper()) if len(a) >= 2}


def is_acronym_of(acronym: str, expansion: str) -> bool:
    """Whether `acronym` abbreviates `expansion` ('L&T' / 'Larsen & Toubro')."""
    return is_acronym(acronym) and compact_acronym(acronym) in acronym_candidates(expansion)


_CYRILLIC_ENDING = re.compile(
    r"(?<=[\u0400-\u04ff]{4})(?:ами|ями|ого|его|ому|ему|ой|ей|ом|ем|ую|юю|ая|яя|ые|ие|ых|их|"
    r"а|я|у|ю|е|и|ы|о)$"
)


def strip_inflection(norm: str) -> str:
    """Russian case endings off each Cyrillic word, so «Уралгазэкспорта» links «...экспорт»."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in norm):
        return norm
    return " ".join(_CYRILLIC_ENDING.sub("", w) for w in norm.split())


# Particles that stay lower case inside a name written in capitals ("SAN PEDRO DE ATACAMA").
_NAME_PARTICLES = frozenset(
    {"de", "da", "do", "dos", "das", "del", "della", "di", "la", "le", "van", "von", "der", "den",
     "al", "el", "of", "and", "the", "on", "upon", "du", "des", "y", "e", "et", "sur", "am", "im"}
)  # fmt: skip


def is_shouted(text: str) -> bool:
    """Whether a name of several words is written all in capitals ("NEW DELHI")."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(text.split()) > 1 and len(letters) > 3 and all(ch.isupper() for ch in letters)


def title_case(text: str) -> str:
    """A name written in capitals, in title case: 'SÃO PAULO' -> 'São Paulo'."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        if i and low in _NAME_PARTICLES:
            out.append(low)
            continue
        out.append(re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), low))
    return " ".join(out)
