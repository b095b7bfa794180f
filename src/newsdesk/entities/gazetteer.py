"""A cross-lingual gazetteer: country names from CLDR (Babel) and pycountry, curated bodies.

The names of every country in every desk language resolve to one key ("Россия", "Russia",
"روسيا", "俄罗斯", "रूस" -> place:RU). Matching runs one Aho-Corasick automaton over a
length-preserving folded copy of the text, then checks word boundaries by script: Latin,
Cyrillic, Greek and Devanagari need them (Cyrillic may add up to three inflection letters,
Latin a genitive -s); Arabic may carry one-letter clitics (و ف ب ل ك) in front; Han, kana and
Hangul need none.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick
import pycountry
from babel import Locale

from newsdesk.entities._names import BODIES, COUNTRY_EXTRAS, TERRITORY_BODIES
from newsdesk.entities.base import EntityType, Mention, Origin
from newsdesk.entities.normalize import fold_text, make_key
from newsdesk.text.words import is_spaceless

log = logging.getLogger(__name__)

# Locales whose CLDR territory names go into the gazetteer (the demo's ten languages and a few
# neighbours); adding one costs about 300 names.
DEFAULT_LOCALES = (
    "en", "ru", "zh", "zh_Hant", "ar", "hi", "es", "fr", "de", "ja", "pt", "it", "uk", "ko",
    "tr", "id",
)  # fmt: skip

# Country names that are also common words or first names in a desk language.
_AMBIGUOUS_FORMS = frozenset({"chad", "jersey", "guernsey", "georgia", "jordan", "man", "turkey"})
_ARABIC_CLITICS = "وفبلك"
_CITY_REGIONS = {"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                 "Pacific"}  # fmt: skip
# Exemplar cities that are also first names, surnames or common words.
_AMBIGUOUS_CITIES = frozenset(
    {"regina", "casey", "davis", "palmer", "mawson", "troll", "vostok", "center", "stanley",
     "darwin", "easter", "wake", "midway", "johnston", "male", "jersey", "guernsey", "hebron",
     "victoria", "adelaide", "eucla", "currie", "lindeman", "nome", "boise", "phoenix",
     "marengo", "denver", "detroit", "chatham", "norfolk", "kingston", "sydney", "santiago",
     "dili"}
)  # fmt: skip
_CASED_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


class Rule:
    """How a gazetteer form must sit in the text."""

    EXACT_CASE = 1  # acronyms: "UN" must not match French "un"
    CAPITALISED = 2  # proper names in cased scripts start with a capital
    ANY_CASE = 3  # lower-case generic phrases ("grain deal")


@dataclass(frozen=True)
class GazetteerEntry:
    """A canonical entity the gazetteer knows."""

    key: str
    type: str
    name: str


@dataclass(frozen=True)
class _Form:
    entry: int
    surface: str
    rule: int
    script: str
    stem: bool = False  # a Cyrillic stem without its last vowel, or Arabic without "ال"
    langs: frozenset[str] | None = None  # languages whose text it may match; None: any


def script_of(ch: str) -> str:
    """The Unicode script family of a letter: LATIN, CYRILLIC, ARABIC, CJK, ... or OTHER."""
    code = ord(ch)
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "LATIN"
    if 0x0370 <= code <= 0x03FF:
        return "GREEK"
    if 0x0400 <= code <= 0x052F:
        return "CYRILLIC"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
        return "ARABIC"
    if 0x0900 <= code <= 0x097F:
        return "DEVANAGARI"
    if is_spaceless(ch):
        return "CJK"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
        return "HANGUL"
    return "OTHER"


def is_word_char(ch: str) -> bool:
    """Letters, marks and digits (Devanagari vowel signs are marks, not letters)."""
    return unicodedata.category(ch)[0] in "LMN"


def _rule_for(form: str) -> int:
    first = next((c for c in form if c.isalpha()), "")
    if not first or script_of(first) not in _CASED_SCRIPTS:
        return Rule.ANY_CASE
    letters = [c for c in form if c.isalpha()]
    if len(letters) <= 8 and all(c.isupper() for c in letters):
        return Rule.EXACT_CASE
    return Rule.CAPITALISED if first.isupper() else Rule.ANY_CASE


def _clean_cldr_name(name: str) -> list[str]:
    """'Myanmar (Burma)' -> ['Myanmar', 'Burma']; 'Congo - Kinshasa' -> ['Congo - Kinshasa']."""
    match = re.match(r"^(.*?)\s*[(（](.*?)[)）]$", name)
    if match:
        inner = match.group(2).strip()
        # "Outlying Islands (US)": an abbreviation in brackets names another country
        if inner.isupper() or len(inner) <= 4:
            return [match.group(1).strip()]
        return [match.group(1).strip(), inner]
    return [name.strip()]


class Gazetteer:
    """Known names in many languages, matched in one pass over a text.

    A form taken from one locale's CLDR names only matches text in that language (the French
    "Argentine" is an English adjective); English, pycountry and curated forms match anywhere.
    """

    def __init__(
        self,
        entries: Sequence[GazetteerEntry],
        forms: Iterable[tuple[int, str] | tuple[int, str, str | None]],
    ):
        self.entries = list(entries)
        self._automaton = ahocorasick.Automaton()
        # folded pattern -> entry -> [surface, stem?, languages (None: any)]
        table: dict[str, dict[int, tuple[str, bool, set[str] | None]]] = {}

        def note(folded: str, entry: int, surface: str, stem: bool, lang: str | None) -> None:
            per_entry = table.setdefault(folded, {})
            if entry not in per_entry:
                per_entry[entry] = (surface, stem, None if lang is None else {lang})
                return
            known_surface, known_stem, langs = per_entry[entry]
            if langs is not None:
                langs = None if lang is None else langs | {lang}
            per_entry[entry] = (known_surface, known_stem and stem, langs)

        for item in forms:
            entry_index, raw = item[0], item[1]
            lang = item[2] if len(item) > 2 else None
            surface = unicodedata.normalize("NFC", raw.strip())
            if len(surface) < 2:
                continue
            folded = fold_text(surface)
            if folded in _AMBIGUOUS_FORMS:
                continue
            first = next((c for c in surface if c.isalpha()), "a")
            note(folded, entry_index, surface, False, lang)
            for variant, stem in _variants(surface, folded, script_of(first)):
                note(variant, entry_index, surface, stem, lang)
        for folded, per_entry in table.items():
            built = []
            for entry_index, (surface, stem, langs) in per_entry.items():
                first = next((c for c in surface if c.isalpha()), "a")
                built.append(
                    _Form(
                        entry_index,
                        surface,
                        _rule_for(surface),
                        script_of(first),
                        stem=stem,
                        langs=None if langs is None else frozenset(langs),
                    )
                )
            self._automaton.add_word(folded, (len(folded), tuple(built)))
        self._automaton.make_automaton()
        self.size = len(table)

    def find(self, text: str, language: str | None = None) -> list[Mention]:
        """Every gazetteer name in `text`, leftmost-longest, without overlaps."""
        lang = (language or "").split("-")[0].lower() or None
        folded = fold_text(text)
        candidates: list[Mention] = []
        for end_index, (length, forms) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            for form in forms:
                if form.langs is not None and lang is not None and lang not in form.langs:
                    continue
                span = self._accept(text, folded, start, end, form)
                if span is not None:
                    entry = self.entries[form.entry]
                    s, e = span
                    candidates.append(
                        Mention(
                            text[s:e], s, e, entry.type, entry.key, entry.name, Origin.GAZETTEER
                        )
                    )
                    break
        return select_longest(candidates)

    def _accept(
        self, text: str, folded: str, start: int, end: int, form: _Form
    ) -> tuple[int, int] | None:
        """The (start, end) the match covers if it sits properly in the text, else None."""
        if form.rule == Rule.EXACT_CASE:
            surface = text[start:end].replace("\u2019", "'")
            if surface != form.surface.replace("\u2019", "'"):
                return None
        elif form.rule == Rule.CAPITALISED and not text[start].isupper():
            return None
        if form.script == "CJK" or form.script == "HANGUL":
            if _is_katakana(form.surface) and (
                (start > 0 and _is_katakana(text[start - 1]))
                or (end < len(text) and _is_katakana(text[end]))
            ):
                return None  # "タイ" (Thailand) inside "タイミング"
            return start, end
        if form.script == "ARABIC":
            return _arabic_span(text, start, end, form)
        if start > 0 and is_word_char(text[start - 1]):
            return None
        tail = end
        while tail < len(text) and is_word_char(text[tail]):
            tail += 1
        extra = text[end:tail]
        if not extra and not form.stem:
            return start, end
        if form.script == "CYRILLIC" and 0 < len(extra) <= 3 and extra.isalpha():
            return start, tail
        if form.stem and not extra:
            return None
        if form.script == "LATIN" and extra == "s" and form.rule == Rule.CAPITALISED:
            return start, tail
        return None


def _variants(surface: str, folded: str, script: str) -> list[tuple[str, bool]]:
    """Extra folded patterns: Cyrillic stems for declension, Arabic forms without 'ال'."""
    out: list[tuple[str, bool]] = []
    if script == "CYRILLIC" and len(folded) >= 5 and folded[-1] in "аяйьеиоыу":
        out.append((folded[:-1], True))
    if script == "ARABIC" and folded.startswith("ال") and len(folded) >= 5:
        out.append((folded[2:], True))
    return out


def _is_katakana(text: str) -> bool:
    return all("\u30a0" <= ch <= "\u30ff" for ch in text)


def _arabic_span(text: str, start: int, end: int, form: _Form) -> tuple[int, int] | None:
    if end < len(text) and is_word_char(text[end]):
        return None
    word_start = start
    while word_start > 0 and is_word_char(text[word_start - 1]):
        word_start -= 1
    prefix = text[word_start:start]
    if form.stem:  # "للصين" = ل + الصين, written without the alif
        return (start, end) if prefix.endswith("لل") and len(prefix) <= 3 else None
    if len(prefix) <= 2 and all(c in _ARABIC_CLITICS for c in prefix):
        return start, end
    return None


def select_longest(mentions: Iterable[Mention]) -> list[Mention]:
    """Non-overlapping mentions, preferring the earliest start, then the longest."""
    chosen: list[Mention] = []
    last_end = -1
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if m.start >= last_end:
            chosen.append(m)
            last_end = m.end
    return chosen


def build_gazetteer(locales: Sequence[str] = DEFAULT_LOCALES) -> Gazetteer:
    """Assemble the gazetteer from CLDR territory names, pycountry and the curated bodies."""
    started = time.perf_counter()
    entries: list[GazetteerEntry] = []
    index: dict[str, int] = {}
    forms: list[tuple[int, str, str | None]] = []

    def entry_for(key: str, type_: str, name: str) -> int:
        if key not in index:
            index[key] = len(entries)
            entries.append(GazetteerEntry(key, type_, name))
        return index[key]

    # curated bodies first: their forms win a tie with a country name
    for key, type_, name, names in BODIES:
        i = entry_for(key, type_, name)
        forms.extend((i, n, None) for n in (name, *names))
    english = Locale.parse("en").territories
    # curated country forms before CLDR's, so "США" is the US before any bracketed use of it
    for code, extras in COUNTRY_EXTRAS.items():
        i = entry_for(f"place:{code}", EntityType.PLACE, _clean_cldr_name(english[code])[0])
        forms.extend((i, n, None) for n in extras)
    for code in sorted(english):
        if len(code) != 2 or not code.isalpha() or code in {"ZZ", "XA", "XB", "QO", "EZ"}:
            continue
        if code in TERRITORY_BODIES:
            i = index[TERRITORY_BODIES[code]]
        else:
            i = entry_for(f"place:{code}", EntityType.PLACE, _clean_cldr_name(english[code])[0])
        for loc in locales:
            local = Locale.parse(loc).territories.get(code)
            if local:
                tag = None if loc == "en" else loc.split("_")[0]
                forms.extend((i, n, tag) for n in _clean_cldr_name(str(local)))
    for country in pycountry.countries:
        key = f"place:{country.alpha_2}"
        if key not in index:
            continue
        i = index[key]
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                forms.extend((i, n, None) for n in _clean_cldr_name(value))
    _add_cities(locales, entries, index, forms)
    gazetteer = Gazetteer(entries, forms)
    log.info(
        "gazetteer: %d entities, %d patterns in %.2fs",
        len(entries),
        gazetteer.size,
        time.perf_counter() - started,
    )
    return gazetteer


def _add_cities(
    locales: Sequence[str],
    entries: list[GazetteerEntry],
    index: dict[str, int],
    forms: list[tuple[int, str, str | None]],
) -> None:
    """CLDR time-zone exemplar cities (about 400, localised): 'Москва', 'داكار' -> a place."""
    english = Locale.parse("en").time_zones
    local_tables = {loc: Locale.parse(loc).time_zones for loc in locales}
    zones = sorted(set().union(*(t.keys() for t in local_tables.values())))
    for zone in zones:
        if "/" not in zone or zone.split("/")[0] not in _CITY_REGIONS:
            continue
        if zone.count("/") > 1:  # America/Indiana/Knox and the like: small US towns
            continue
        name = english.get(zone, {}).get("city") or zone.split("/")[-1].replace("_", " ")
        if fold_text(name) in _AMBIGUOUS_CITIES:
            continue
        key = make_key(EntityType.PLACE, name)
        if key not in index:
            index[key] = len(entries)
            entries.append(GazetteerEntry(key, EntityType.PLACE, name))
        i = index[key]
        forms.append((i, name, None))
        for loc, table in local_tables.items():
            city = table.get(zone, {}).get("city")
            if city:
                forms.append((i, str(city), None if loc == "en" else loc.split("_")[0]))


_LOCK = threading.Lock()
_DEFAULT: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _DEFAULT
    with _LOCK:
        if _DEFAULT is None:
            _DEFAULT = build_gazetteer()
        return _DEFAULT
