"""The claims ledger's records: sources in, claims, links and disputes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "Claim",
    "ClaimLink",
    "ClaimSource",
    "Dispute",
    "LinkKind",
    "Quantity",
    "SpeakerKind",
    "Stance",
]


class SpeakerKind(StrEnum):
    """Who makes a claim."""

    NAMED_PERSON = "named person"
    OFFICIAL_BODY = "official body"
    ANONYMOUS_SOURCES = "anonymous sources"
    OUTLET = "outlet"
    UNKNOWN = "unknown"


class Stance(StrEnum):
    """What a claim does with its content."""

    ASSERT = "assert"
    DENY = "deny"
    CONFIRM = "confirm"
    DISPUTE = "dispute"


class LinkKind(StrEnum):
    """How one claim contests another."""

    DENIAL = "denial"
    CONTRADICTION = "contradiction"


@dataclass(frozen=True)
class ClaimSource:
    """One passage to read claims from, with where it was published."""

    passage_id: str
    text: str
    lang: str
    article_id: str
    outlet: str
    published: datetime | None = None
    entities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Quantity:
    """A normalised figure: value in base units (1.2bn -> 1.2e9), a unit key, the source text."""

    value: float
    unit: str
    text: str
    high: float | None = None  # upper end of a range such as "0.4-0.5 percent"


@dataclass(frozen=True)
class Claim:
    """An attributed statement found in one passage."""

    id: str
    passage_id: str
    article_id: str
    outlet: str
    lang: str
    speaker: str
    speaker_kind: SpeakerKind
    according_to: str | None
    verb: str
    stance: Stance
    content: str
    numbers: tuple[Quantity, ...] = ()
    hedged: bool = False
    published: datetime | None = None
    speaker_keys: tuple[str, ...] = ()  # entity keys the speaker resolved to, if any were given
    entity_keys: tuple[str, ...] = ()  # entity keys mentioned in the passage, if any were given


@dataclass(frozen=True)
class ClaimLink:
    """A claim that contests another: a denial of it or a contradicting account or figure."""

    claim_id: str
    contests_claim_id: str
    kind: LinkKind
    reason: str
    passage_id: str = ""
    contests_passage_id: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class Dispute:
    """A contested claim with the claims that repeat it and the claims that contest it."""

    claim: Claim
    supporting: tuple[Claim, ...]
    contesting: tuple[Claim, ...]
    links: tuple[ClaimLink, ...]
    outlets: tuple[str, ...]
    passage_ids: tuple[str, ...]
    summary: str

    @property
    def article_ids(self) -> tuple[str, ...]:
        """Articles of every claim involved, in first-seen order."""
        seen = dict.fromkeys(c.article_id for c in (self.claim, *self.supporting, *self.contesting))
        return tuple(seen)
