"""Mentions that are not entities of the story: outlet names, units, generic words, datelines.

- Outlets: the outlet that published the article and the outlets of the source registry are
  the messenger, not the story ("according to Delhi Dispatch", "told Meridian Wire"). Their
  names, short forms ("Meridian" for "Meridian Wire Service") and transliterations are dropped.
- Units and measures: "MW", "bcm", "bn", "USD", "Prozent"; currency codes only next to a figure.
- Generic words: a one-word name that is a common noun or adjective written with a capital
  (sentence start, headline, institutional usage: "the Centre", "Digital", "Ministry", "Monday")
  is no entity on its own. Signals: a compact list of such words (institutions, titles, calendar
  and compass words, headline labels), and the same word in lower case elsewhere in the text.
- Datelines: "NEW DELHI, Nov 11 (Meridian Wire) -" yields the place, in title case, and nothing
  for the date or the outlet in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from newsdesk.entities.base import EntityType, Mention, Origin
from newsdesk.entities.normalize import (
    is_acronym,
    make_key,
    normalize_alias,
    strip_inflection,
    title_case,
)
from newsdesk.entities.spans import type_from_words

# Unit and magnitude abbreviations, compared case-sensitively ("MW" is a unit, "Mw" is not).
_UNIT_ABBREVIATIONS = frozenset(
    {"kW", "MW", "GW", "TW", "kWh", "MWh", "GWh", "TWh", "MWe", "GWe", "MWp", "GWp", "MVA",
     "kV", "Wh", "bcm", "Bcm", "BCM", "tcf", "Tcf", "mcm", "cbm", "Mtpa", "MTPA", "mtpa",
     "bpd", "BPD", "bbl", "mb/d", "kb/d", "b/d", "MMBtu", "mmBtu", "MMBTU", "TEU", "TEUs",
     "FEU", "DWT", "dwt", "km", "Km", "kg", "Kg", "mm", "cm", "nmi", "km2", "m2", "m3", "bn",
     "Bn", "mln", "Mln", "MLN", "mn", "trn", "tn", "pct", "bps", "ppm", "ppb", "GHz", "MHz",
     "kHz", "Gbps", "Mbps", "kB", "mph", "kph", "km/h", "°C", "°F", "USD", "EUR", "GBP", "JPY",
     "CNY", "RMB", "INR", "RUB", "CHF"}
)  # fmt: skip
# Abbreviations that are also names ("HP", "TB", "MT" for Montana): units only after a figure.
_UNITS_AFTER_FIGURE = frozenset(
    {"W", "KV", "Mt", "MT", "mt", "kt", "GT", "KM", "KG", "nm", "NM", "mi", "ha", "sq", "BN",
     "Tn", "cr", "Cr", "TB", "GB", "MB", "PB", "KB", "Nm", "hp", "HP", "kn", "k", "K", "m", "M",
     "t", "g", "l", "L"}
)  # fmt: skip
# Unit and currency words, compared in lower case; German capitalises them ("Prozent").
_UNIT_WORDS = frozenset(
    {"percent", "prozent", "procent", "pourcent", "porcentaje", "процент", "процента",
     "процентов", "watt", "kilowatt", "kilowatts", "megawatt", "megawatts", "gigawatt",
     "gigawatts", "terawatt", "megawattstunden", "gigawattstunden", "kilowattstunden",
     "kilometer", "kilometre", "kilometres", "kilometers", "kilometern", "kilogramm", "tonne",
     "tonnes", "tonnen", "barrel", "barrels", "million", "millionen", "milliarde", "milliarden",
     "billion", "billionen", "milliard", "milliards", "crore", "lakh", "euro", "euros",
     "dollar", "dollars", "rupee", "rupees", "rupie", "rupien", "yuan", "renminbi", "yen",
     "rubel", "rouble", "roubles", "ruble", "rubles", "peso", "pesos", "reais", "franc",
     "francs", "franken", "lira", "dirham", "dirhams", "riyal", "riyals", "naira", "pfund",
     "grad", "knoten", "container"}
)  # fmt: skip
# Capitalised common nouns and adjectives that name nothing on their own: institutions used
# generically ("the Ministry", "the Centre" for India's central government), titles, calendar
# and compass words, headline and section labels, generic economic words.
GENERIC_WORDS = frozenset(
    {"government", "governments", "ministry", "ministries", "minister", "ministers", "cabinet",
     "parliament", "senate", "assembly", "council", "commission", "committee", "court",
     "courts", "tribunal", "agency", "authority", "authorities", "department", "office",
     "bureau", "board", "police", "army", "navy", "military", "forces", "state", "states",
     "centre", "center", "union", "federation", "republic", "kingdom", "empire",
     "administration", "treasury", "opposition", "coalition", "party", "regime", "embassy",
     "consulate", "presidency", "secretariat", "company", "companies", "group", "bank",
     "banks", "fund", "exchange", "university", "institute", "association", "forum",
     "alliance", "regulator", "ombudsman", "province", "region", "district", "city",
     "country", "nation", "capital", "port", "airport", "harbour", "harbor", "border",
     "president", "prime", "premier", "chancellor", "secretary", "chairman", "chairwoman",
     "chair", "chief", "director", "governor", "mayor", "king", "queen", "prince", "general",
     "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "official",
     "officials", "analyst", "analysts", "mr", "mrs", "ms", "dr", "sir",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "january", "february", "march", "april", "june", "july", "august", "september",
     "october", "november", "december", "spring", "summer", "autumn", "winter",
     "north", "south", "east", "west", "northern", "southern", "eastern", "western",
     "central", "national", "federal", "regional", "international", "global", "local",
     "domestic", "foreign", "public", "private", "digital", "new", "old", "great",
     "news", "business", "markets", "market", "world", "opinion", "analysis", "update",
     "updated", "exclusive", "breaking", "live", "editorial", "sport", "sports", "politics",
     "economy", "technology", "tech", "video", "photos", "latest", "briefing", "explainer",
     "factbox", "timeline", "interview", "comment", "insight", "focus", "report", "reports",
     "internet", "web", "online", "data", "cloud", "energy", "power", "industry", "trade",
     "finance", "defence", "defense", "security", "health", "education", "justice",
     "interior", "labour", "labor", "agriculture", "mining", "mines", "transport", "rules",
     "act", "bill", "law", "constitution", "budget", "strategy", "programme", "program"}
)  # fmt: skip
# Words a media name ends in that its short form drops ("Meridian Wire Service" -> "Meridian").
# Labels that open a line in capitals like a dateline but name no place ("UPDATE 2 -").
_LINE_LABELS = frozenset(
    {"breaking", "update", "updated", "exclusive", "live", "analysis", "opinion", "editorial",
     "factbox", "explainer", "timeline", "interview", "comment", "insight", "focus", "news",
     "correction", "corrected", "refile", "advisory", "wrapup", "preview", "review", "photo",
     "photos", "video", "watch", "read", "more", "summary", "note", "editor", "editors", "by",
     "and", "the", "de", "la", "urgent", "flash", "alert", "sponsored", "advertisement"}
)  # fmt: skip
_MEDIA_SUFFIXES = frozenset(
    {"service", "services", "agency", "news", "newswire", "newswires", "wire", "online",
     "daily", "media", "group", "network", "tv", "radio", "press", "digital"}
)  # fmt: skip
_LEADING_ARTICLES = frozenset({"the", "le", "la", "les", "el", "los", "las", "der", "die",
                               "das", "il", "lo", "o", "a", "al"})  # fmt: skip
_GUESSED_TYPES = (EntityType.ORG, EntityType.PLACE)
_PARTICLE_WORDS = frozenset({"of", "and", "for", "the", "de", "la", "du", "des", "del", "y"})
_NUMBER_BEFORE = re.compile(r"(?:\d[\d.,]*|[$€£¥₹])\s?$")

_UPPER = r"A-ZÀ-ÖØ-ÞА-ЯЁ"
_PLACE_WORD = rf"[{_UPPER}][{_UPPER}'’.\-]*"
# "NEW DELHI, Nov 11 (Meridian Wire) -", "SAN PEDRO DE ATACAMA, Chile, Nov 11 (Meridian) -",
# "LAGOS/DUBAI, Nov 10 -", "HYDERABAD:", "SANTIAGO. El ...", "МОСКВА, 10 ноября -"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<places>{_PLACE_WORD}(?:[ /]{_PLACE_WORD}){{0,5}})"
    r"(?:,\s*(?P<region>[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,2}))?"
    r"(?:,?\s*(?P<date>[^\W\d_]{3,10}\.?\s+\d{1,2}|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?))?"
    r"\s*(?:\((?P<outlet>[^()\n]{2,60})\))?"
    r"\s*(?:[-–—:|]|\.(?=\s))\s*(?=\S)",
    re.MULTILINE,
)
_DATELINE_WINDOW = 400  # datelines open the article (maybe after a title line)


@dataclass(frozen=True)
class Dateline:
    """A dateline found at the start of an article: its places and the span to blank out."""

    places: tuple[Mention, ...]
    start: int
    end: int


def outlet_forms(names: Iterable[str]) -> frozenset[str]:
    """Normalised forms an outlet is named by: full, without article, short, bracketed parts."""
    forms: set[str] = set()
    for name in names:
        for part in re.split(r"[()\[\]|]", name or ""):
            norm = normalize_alias(part)
            if len(norm) < 3 or "." in norm or "/" in norm:
                continue  # a host name is no name that appears in the text
            words = norm.split()
            if len(words) > 1 and words[0] in _LEADING_ARTICLES:
                words = words[1:]
            forms.add(" ".join(words))
            while len(words) > 1 and words[-1] in _MEDIA_SUFFIXES:
                words = words[:-1]
                forms.add(" ".join(words))
    return frozenset(strip_inflection(f) for f in forms if len(f) >= 3)


def is_outlet(m: Mention, forms: frozenset[str]) -> bool:
    """Whether a mention names one of the outlets."""
    if not forms:
        return False
    return any(strip_inflection(normalize_alias(t)) in forms for t in (m.text, m.display_name) if t)


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_unit(m: Mention, text: str) -> bool:
    """Whether a mention is a unit, measure or currency rather than a name."""
    surface = m.text.strip()
    after_figure = bool(_NUMBER_BEFORE.search(text[max(0, m.start - 24) : m.start]))
    units = (_UNIT_ABBREVIATIONS, _UNITS_AFTER_FIGURE, _currency_codes())
    if after_figure and any(surface in u for u in units):
        return True
    if m.origin == Origin.GAZETTEER:
        return False
    if surface in _UNIT_ABBREVIATIONS:
        return True
    return " " not in surface and surface.lower() in _UNIT_WORDS and m.type != EntityType.PERSON


def _lower_forms(text: str) -> frozenset[str]:
    """The words written in lower case in the text, with plural -s/-es folded off."""
    words = set(re.findall(r"\b[a-zà-ÿ][a-zà-ÿ'’]*", text))
    out = set(words)
    for w in words:
        if w.endswith("es"):
            out.add(w[:-2])
        if w.endswith("s"):
            out.add(w[:-1])
    return frozenset(out)


def is_generic_word(name: str, lower_forms: frozenset[str]) -> bool:
    """Whether a one-word name is a common word written with a capital."""
    if " " in name or is_acronym(name) or any(ch.isdigit() for ch in name):
        return False
    low = normalize_alias(name)
    return low in GENERIC_WORDS or low in lower_forms


def is_generic_phrase(m: Mention, lower_forms: frozenset[str]) -> bool:
    """Whether a guessed organisation or place is common words in title case ("Digital Loads").

    Every word also appears in lower case in the same text and none is an organisation or place
    word ("Ministry of Power" keeps its name).
    """
    words = normalize_alias(m.display_name).split()
    if m.origin not in (Origin.NER, Origin.SPAN) or m.type not in _GUESSED_TYPES:
        return False
    if len(words) < 2 or type_from_words(words) is not None:
        return False
    return all(w in lower_forms or w in _PARTICLE_WORDS for w in words)


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening the article, if any: its place mentions and its span."""
    for m in _DATELINE.finditer(text, 0, min(len(text), _DATELINE_WINDOW)):
        places = m.group("places")
        letters = [ch for ch in places if ch.isalpha()]
        if len(letters) < 3 or not all(ch.isupper() for ch in letters):
            continue
        words = [w for w in re.split(r"[ /]", places) if w]
        if any(w.lower() in _LINE_LABELS for w in words[:1]) or words[-1].lower() in _LINE_LABELS:
            continue  # "BREAKING:", "UPDATE -", "EXCLUSIVE:" are labels, not places
        found: list[Mention] = []
        cursor = m.start("places")
        for part in places.split("/"):
            s = text.index(part, cursor)
            cursor = s + len(part)
            stripped = part.strip()
            s += part.index(stripped)
            name = title_case(stripped)
            found.append(
                Mention(
                    stripped,
                    s,
                    s + len(stripped),
                    EntityType.PLACE,
                    key=make_key(EntityType.PLACE, name),
                    name=name,
                    origin=Origin.PATTERN,
                )
            )
        return Dateline(tuple(found), m.start("places"), m.end())
    return None


def drop_noise(
    mentions: Sequence[Mention],
    text: str,
    outlets: frozenset[str] = frozenset(),
    dateline: Dateline | None = None,
) -> list[Mention]:
    """Linked mentions without outlets, units, generic one-word names and dateline debris."""
    lower_forms = _lower_forms(text)
    place_spans = [(p.start, p.end) for p in dateline.places] if dateline else []
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(m.key or m.text, []).append(m)
    out: list[Mention] = []
    for group in groups.values():
        name = group[0].display_name
        unknown = all(m.origin != Origin.GAZETTEER for m in group)
        generic = unknown and (
            is_generic_word(name, lower_forms)
            or all(is_generic_phrase(m, lower_forms) for m in group)
        )
        if generic or any(is_outlet(m, outlets) for m in group):
            continue
        for m in group:
            if is_unit(m, text):
                continue
            inside = dateline is not None and dateline.start <= m.start < dateline.end
            if inside and (m.start, m.end) not in place_spans and m.origin != Origin.GAZETTEER:
                continue  # the date or the outlet in brackets
            out.append(m)
    return sorted(out, key=lambda m: m.start)
