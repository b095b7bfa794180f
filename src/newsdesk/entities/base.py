"""The entity extractor protocol, entity types and the mention it yields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum, nonmember
from typing import Protocol


class EntityType(StrEnum):
    """Kinds of entity a geopolitical desk tracks."""

    PERSON = "person"
    ORG = "org"
    PLACE = "place"
    # weapons, military platforms and named products: "Bayraktar TB2", "F-35", "Scorpène-class"
    PLATFORM = "platform"
    # named government or industrial programmes: "Project 75I", "Make in India"
    PROGRAMME = "programme"
    # treaties, accords and deals: "Paris Agreement", "the grain deal", "transit agreement"
    AGREEMENT = "agreement"
    ALL = nonmember((PERSON, ORG, PLACE, PLATFORM, PROGRAMME, AGREEMENT))


class Origin(StrEnum):
    """Which part of the extractor found a mention; earlier in PRIORITY wins an overlap."""

    GAZETTEER = "gazetteer"
    PATTERN = "pattern"
    NER = "ner"
    SPAN = "span"
    PRIORITY = nonmember((GAZETTEER, PATTERN, NER, SPAN))


@dataclass(frozen=True)
class Mention:
    """One entity occurrence found in a text: offsets are into that text, end exclusive.

    `key` is set when the mention resolved to a canonical entity ("place:RU", "org:imf");
    otherwise the registry derives one from type and name. `name` is the canonical display name
    (the longest form seen in the article, or the gazetteer's English name).
    """

    text: str
    start: int
    end: int
    type: str
    key: str | None = None
    name: str | None = None
    origin: str = Origin.SPAN

    @property
    def display_name(self) -> str:
        """The name to show for the entity this mention points at."""
        return self.name or self.text


class EntityExtractor(Protocol):
    """Finds entity mentions in one article's text; implementations are safe to reuse."""

    name: str

    def extract(
        self, text: str, language: str | None, outlets: Sequence[str] = ()
    ) -> list[Mention]:
        """Mentions in `text` (written in `language`, an ISO 639-1 code or None), in order.

        `outlets` are names of news outlets (the article's own first): not entities of it.
        """
        ...
