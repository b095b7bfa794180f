"""What a reader may read of an analysis: the members-only sections and continuation.

Every place text leaves the server (pages, API, feeds, search, newsletter, alerts, static
export) asks this module for the sentences a reader may see; nothing else decides it. A
visitor gets the public part only, a member at or above `members_tier` gets everything, and
so does the desk. Cited sources follow `sources_visibility`, and a withheld sentence's
citations are withheld with it (an extractive sentence is nearly its cited passage).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsdesk.settings import Settings
from newsdesk.store import AnalysisSentence, Tier
from newsdesk.write._text import count_words
from newsdesk.write.model import SectionKey

# reading speed for the "n min read" line: a common figure for news prose
WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Reader:
    """Who reads: a visitor (no tier), a member with a tier, or the desk (sees everything)."""

    tier: str | None = None
    desk: bool = False

    @property
    def is_member(self) -> bool:
        return self.tier is not None


VISITOR = Reader()
DESK = Reader(desk=True)


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


# a section may be named by its key ("watch") or by its title ("what_to_watch")
_SECTION_NAMES = {
    **{key: key for key in SectionKey.ORDER},
    **{_slug(title): key for key, title in SectionKey.TITLES.items()},
}


def section_key(name: str) -> str:
    """The section key a `members_only` entry names (its key or its title as a slug)."""
    return _SECTION_NAMES.get(_slug(name), _slug(name))


def members_only_sections(settings: Settings) -> set[str]:
    """The section keys `members_only` names."""
    return {section_key(n) for n in settings.members_only}


def is_gated(settings: Settings) -> bool:
    """True when some analysis text is for members only."""
    return bool(settings.members_only) or settings.members_after_words > 0


def reads_members_content(reader: Reader, settings: Settings) -> bool:
    """True when this reader may read members-only text."""
    if reader.desk:
        return True
    return reader.tier is not None and Tier.at_least(reader.tier, settings.members_tier)


def sees_sources(reader: Reader, settings: Settings) -> bool:
    """True when this reader may see the cited sources (passages, links, archived copies)."""
    return settings.sources_visibility == "public" or reads_members_content(reader, settings)


def _section_rank(key: str) -> int:
    return SectionKey.ORDER.index(key) if key in SectionKey.ORDER else len(SectionKey.ORDER)


def in_reading_order(sentences: Iterable[AnalysisSentence]) -> list[AnalysisSentence]:
    """Sentences as readers meet them: sections in the fixed order, then by position."""
    return sorted(sentences, key=lambda s: (_section_rank(s.section), s.section_order, s.position))


@dataclass
class GatedAnalysis:
    """The sentences a reader may read, and what is withheld from them."""

    visible: list[AnalysisSentence]
    withheld: int = 0
    withheld_sections: list[str] = field(default_factory=list)
    words_visible: int = 0
    words_total: int = 0
    sources_visible: bool = True

    @property
    def is_partial(self) -> bool:
        return self.withheld > 0

    @property
    def visible_ids(self) -> set[int]:
        return {s.id for s in self.visible}

    def citations(self) -> list[str]:
        """Passage ids the visible sentences cite (none when sources are for members)."""
        if not self.sources_visible:
            return []
        seen: list[str] = []
        for sent in self.visible:
            seen += [c for c in sent.citations if c not in seen]
        return seen

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the whole piece (what the reader is offered, not only the free part)."""
        return max(1, math.ceil(self.words_total / WORDS_PER_MINUTE))


def gate_analysis(
    sentences: Sequence[AnalysisSentence], settings: Settings, reader: Reader
) -> GatedAnalysis:
    """Split an analysis's sentences into what `reader` may read and what is withheld.

    Members-only sections are withheld whole; with `members_after_words`, the public part ends
    at the last whole sentence within that many words (at least one sentence).
    """
    ordered = in_reading_order(sentences)
    total = sum(count_words(s.text) for s in ordered)
    full = reads_members_content(reader, settings)
    sources = sees_sources(reader, settings)
    if full or not is_gated(settings):
        return GatedAnalysis(ordered, 0, [], total, total, sources)
    closed = members_only_sections(settings)
    limit = settings.members_after_words
    visible: list[AnalysisSentence] = []
    withheld_titles: list[str] = []
    words = 0
    cut = False
    for sent in ordered:
        title = SectionKey.TITLES.get(sent.section, sent.section)
        if sent.section in closed:
            if title not in withheld_titles:
                withheld_titles.append(title)
            continue
        n = count_words(sent.text)
        if limit > 0 and (cut or (visible and words + n > limit)):
            cut = True
            if title not in withheld_titles:
                withheld_titles.append(title)
            continue
        visible.append(sent)
        words += n
    return GatedAnalysis(
        visible, len(ordered) - len(visible), withheld_titles, words, total, sources
    )


def public_text(sentences: Sequence[AnalysisSentence], settings: Settings) -> str:
    """The text a visitor may read, sentences joined in reading order (for indexes, snippets)."""
    gated = gate_analysis(sentences, settings, VISITOR)
    return " ".join(s.text for s in gated.visible)


def gate_fingerprint(settings: Settings) -> str:
    """What identifies the gate's configuration (indexes built under another one are stale)."""
    if not is_gated(settings):
        return "open"
    closed = ",".join(sorted(members_only_sections(settings)))
    return f"{closed}|{settings.members_after_words}"
