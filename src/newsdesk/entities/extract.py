"""Extractors: combine gazetteer, domain patterns, NER or span heuristics; link within an article.

Overlaps are settled by origin (gazetteer > pattern > NER > span) except that an NER or
pattern span that strictly contains a gazetteer name wins ("Bank of Russia", "Russia-Ukraine
Treaty"); a losing NER or span mention is trimmed to the part nobody else claims. Then the
article's mentions are linked: the same normalised text, an acronym and its expansion
("Larsen & Toubro (L&T)"), and a surname or first name and the full name seen in the article
("Mr. Velden" -> "Mara Velden") become one entity, named by its longest form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from newsdesk.entities.base import EntityType, Mention, Origin
from newsdesk.entities.disambiguate import resolve_shared_names
from newsdesk.entities.gazetteer import Gazetteer, default_gazetteer, is_word_char
from newsdesk.entities.noise import drop_noise, find_dateline, outlet_forms
from newsdesk.entities.normalize import (
    is_acronym,
    is_acronym_of,
    is_shouted,
    make_key,
    normalize_alias,
    strip_inflection,
    title_case,
)
from newsdesk.entities.spacy_en import SpacyEnglishNer
from newsdesk.entities.spans import find_domain_mentions, find_name_spans, type_from_words

_NAME_TYPES = (EntityType.PERSON, EntityType.ORG, EntityType.PLACE)
_RANK = {origin: i for i, origin in enumerate(Origin.PRIORITY)}
_TITLE_PREFIX = re.compile(
    r"^(?:Mr|Mrs|Ms|Dr|Prof|President|Minister|Sen|Gen|M|Mme|Sr|Sra|Herr|Frau)\.?\s+"
)
_EDGE_WORDS = frozenset(
    {"for", "of", "and", "the", "to", "in", "on", "at", "with", "by", "&", "der", "die", "das",
     "den", "dem", "des", "und", "de", "du", "la", "le", "les", "el", "del", "y", "et"}
)  # fmt: skip
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&.\-]{1,9})\s*\)")
# How much a vote from each origin weighs when an article's mentions of one name disagree.
_TYPE_WEIGHT: dict[str, int] = {
    Origin.GAZETTEER: 4,
    Origin.PATTERN: 3,
    Origin.NER: 2,
    Origin.SPAN: 1,
}


def resolve_overlaps(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Non-overlapping mentions, settled by origin priority and containment (see module doc)."""
    gazetteer = [m for m in mentions if m.origin == Origin.GAZETTEER]
    beaten: set[int] = set()
    for m in mentions:
        if m.origin in (Origin.PATTERN, Origin.NER):
            for i, g in enumerate(gazetteer):
                inside = m.start <= g.start and g.end <= m.end
                if inside and (m.end - m.start) > (g.end - g.start) + 2:
                    beaten.add(i)
    candidates = [g for i, g in enumerate(gazetteer) if i not in beaten]
    candidates += [m for m in mentions if m.origin != Origin.GAZETTEER]
    candidates.sort(key=lambda m: (_RANK.get(m.origin, 9), -(m.end - m.start), m.start))
    taken: list[tuple[int, int]] = []
    accepted: list[Mention] = []
    for m in candidates:
        clash = [(s, e) for s, e in taken if s < m.end and m.start < e]
        if clash:
            if m.origin in (Origin.GAZETTEER, Origin.PATTERN):
                continue
            trimmed = _trim(m, clash, text)
            if trimmed is None:
                continue
            m = trimmed
        taken.append((m.start, m.end))
        accepted.append(m)
    return sorted(accepted, key=lambda m: m.start)


def _trim(m: Mention, clash: list[tuple[int, int]], text: str) -> Mention | None:
    """The longest part of `m` outside the clashing spans, cleaned of edge words."""
    free: list[tuple[int, int]] = []
    cursor = m.start
    for s, e in sorted(clash):
        if s > cursor:
            free.append((cursor, min(s, m.end)))
        cursor = max(cursor, e)
    if cursor < m.end:
        free.append((cursor, m.end))
    if not free:
        return None
    start, end = max(free, key=lambda se: se[1] - se[0])
    words = text[start:end].split()
    while words and (words[0].lower() in _EDGE_WORDS or not any(map(is_word_char, words[0]))):
        start = text.index(words[0], start) + len(words[0])
        words = words[1:]
    while words and (words[-1].lower() in _EDGE_WORDS or not any(map(is_word_char, words[-1]))):
        end = text.rindex(words[-1], start, end)
        words = words[:-1]
    while start < end and not is_word_char(text[start]):
        start += 1
    while end > start and not is_word_char(text[end - 1]):
        end -= 1
    if end - start < 2 or not text[start].isupper():
        return None
    if m.origin == Origin.SPAN and " " not in text[start:end] and not is_acronym(text[start:end]):
        return None  # a lone word left over from a heuristic run ("Ob Budapest")
    return replace(m, text=text[start:end], start=start, end=end)


def _strip_title(m: Mention) -> Mention:
    match = _TITLE_PREFIX.match(m.text)
    if not match or m.origin == Origin.GAZETTEER or match.end() >= len(m.text):
        return m
    cut = match.end()
    return replace(m, text=m.text[cut:], start=m.start + cut, type=EntityType.PERSON)


class _Groups:
    """Union-find over mention indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _add_parenthesised_acronyms(mentions: list[Mention], text: str) -> list[Mention]:
    """'Larsen & Toubro (L&T)' -> also a mention for 'L&T' when nothing found it."""
    covered = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []
    for match in _PAREN_ACRONYM.finditer(text):
        s, e = match.span(1)
        if any(cs < e and s < ce for cs, ce in covered) or not is_acronym(match.group(1)):
            continue
        before = [m for m in mentions if m.end <= match.start() and match.start() - m.end <= 2]
        if before and is_acronym_of(match.group(1), before[-1].text):
            extra.append(Mention(match.group(1), s, e, before[-1].type, origin=Origin.SPAN))
    return sorted([*mentions, *extra], key=lambda m: m.start)


def _retype(m: Mention) -> Mention:
    """An NER or span mention holding 'Labs', 'Wire', 'Bay', 'Strait'... takes that type."""
    if m.origin not in (Origin.NER, Origin.SPAN) or m.type not in _NAME_TYPES:
        return m
    if m.origin == Origin.SPAN and is_acronym(m.text) and " " not in m.text:
        return replace(m, type=EntityType.ORG)
    by_words = type_from_words(m.text.split())
    return m if by_words is None or by_words == m.type else replace(m, type=by_words)


def _name_rank(ms: list[Mention], idx: list[int]) -> Callable[[Mention], tuple[int, int, int, int]]:
    """Most words first; then, for inflected (Cyrillic) names, the most frequent, shortest form."""
    counts = Counter(ms[i].text for i in idx)

    def rank(m: Mention) -> tuple[int, int, int, int]:
        cased = 0 if is_shouted(m.text) else 1  # "New Delhi" names the entity, not "NEW DELHI"
        if any("\u0400" <= ch <= "\u04ff" for ch in m.text):
            return (len(m.text.split()), cased, counts[m.text], -len(m.text))
        return (len(m.text.split()), cased, len(m.text), 0)

    return rank


def _is_prefix(short: list[str], long: list[str]) -> bool:
    return len(short) < len(long) and long[: len(short)] == short


def link_mentions(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Give every mention its entity key and name, linking forms that name one entity."""
    ms = _add_parenthesised_acronyms([_retype(_strip_title(m)) for m in mentions], text)
    n = len(ms)
    groups = _Groups(n)
    norms = [strip_inflection(normalize_alias(m.text)) for m in ms]
    by_norm: dict[str, int] = {}
    for i, norm in enumerate(norms):
        if norm in by_norm:
            groups.union(by_norm[norm], i)
        else:
            by_norm[norm] = i
    multi = [i for i, m in enumerate(ms) if m.key is None and len(m.text.split()) > 1]
    for i, m in enumerate(ms):
        if is_acronym(m.text):
            for j in multi:
                if is_acronym_of(m.text, ms[j].text):
                    groups.union(j, i)
                    break
            continue
        if m.key is not None:
            continue
        words = m.text.split()
        for j in multi:
            other = ms[j].text.split()
            if ms[j].type == EntityType.PERSON and len(words) == 1:
                if m.text in other:  # "Velden" / "Mara Velden", "Leiva" / "Patricia Leiva Soto"
                    groups.union(j, i)
                    break
            elif ms[j].type == EntityType.ORG and _is_prefix(words, other):
                # "Konkan" / "Litio Cordillera" -> "Konkan Naval Shipyards", "... S.A."
                groups.union(j, i)
                break
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(groups.find(i), []).append(i)
    out: list[Mention] = []
    for idx in members.values():
        canon = next((ms[i] for i in idx if ms[i].key), None)
        if canon is not None:
            key, name, kind = canon.key, canon.display_name, canon.type
        else:
            longest = max((ms[i] for i in idx), key=_name_rank(ms, idx))
            name = re.sub(r"['’]s$", "", longest.text)
            if is_shouted(name):
                name = title_case(name)
            # the full name's own words ("... Shipyards Ltd") outvote NER guesses on its parts
            kind = type_from_words(name.split()) or ""
            if kind not in _NAME_TYPES or longest.type not in _NAME_TYPES:
                votes: Counter[str] = Counter()
                for i in idx:
                    votes[ms[i].type] += _TYPE_WEIGHT.get(ms[i].origin, 1)
                kind = votes.most_common(1)[0][0]
            key = make_key(kind, name)
        out.extend(replace(ms[i], key=key, name=name, type=kind) for i in idx)
    return sorted(out, key=lambda m: m.start)


class MultilingualExtractor:
    """Gazetteer, domain patterns and script-aware spans: any language, no model."""

    name = "multilingual"

    def __init__(self, gazetteer: Gazetteer | None = None, outlets: Sequence[str] = ()) -> None:
        self._gazetteer = gazetteer
        self.outlets = tuple(outlets)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer in use (the shared default unless one was given)."""
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def extract(
        self, text: str, language: str | None, outlets: Sequence[str] = ()
    ) -> list[Mention]:
        """Linked mentions in `text`, without outlet names, units and generic words."""
        return self._finish(text, language, outlets, find_name_spans(text, language))

    def _finish(
        self, text: str, language: str | None, outlets: Sequence[str], names: list[Mention]
    ) -> list[Mention]:
        dateline = find_dateline(text)
        found = self.gazetteer.find(text, language) + find_domain_mentions(text) + names
        if dateline is not None:
            found += dateline.places
        linked = link_mentions(resolve_overlaps(found, text), text)
        forms = _outlet_forms(tuple(sorted({*self.outlets, *outlets})))
        return resolve_shared_names(drop_noise(linked, text, forms, dateline))


class EnglishExtractor(MultilingualExtractor):
    """Gazetteer, domain patterns and spaCy NER for English text."""

    name = "english"

    def __init__(self, gazetteer: Gazetteer | None = None, outlets: Sequence[str] = ()) -> None:
        super().__init__(gazetteer, outlets)
        self.ner = SpacyEnglishNer()

    def extract(
        self, text: str, language: str | None = "en", outlets: Sequence[str] = ()
    ) -> list[Mention]:
        """Linked mentions in `text`, without outlet names, units and generic words."""
        return self._finish(text, language, outlets, self.ner.extract(text, language))


class DefaultExtractor:
    """English through spaCy NER, every other language through the multilingual extractor."""

    name = "default"

    def __init__(self, gazetteer: Gazetteer | None = None, outlets: Sequence[str] = ()) -> None:
        self.multilingual = MultilingualExtractor(gazetteer, outlets)
        self.english = EnglishExtractor(gazetteer, outlets)

    def extract(
        self, text: str, language: str | None, outlets: Sequence[str] = ()
    ) -> list[Mention]:
        """Linked mentions in `text`, by the extractor for its language.

        `outlets` names the article's outlet and any others known: their names are dropped.
        """
        lang = (language or "").split("-")[0].lower()
        if lang == "en":
            return self.english.extract(text, lang, outlets)
        return self.multilingual.extract(text, lang or None, outlets)


@lru_cache(maxsize=32)
def _outlet_forms(names: tuple[str, ...]) -> frozenset[str]:
    return outlet_forms(names)
