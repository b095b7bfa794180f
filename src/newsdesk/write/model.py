"""The shape of an analysis: sections → sentences → citations → passages, and a writer's input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum, nonmember
from typing import Protocol


class SectionKey(StrEnum):
    """The sections of an analysis, in reading order."""

    WHAT_HAPPENED = "what_happened"
    CONTEXT = "context"
    WHAT_IS_NEW = "what_is_new"
    DISPUTED = "disputed"
    WATCH = "watch"
    PERSPECTIVE = "perspective"
    ORDER = nonmember((WHAT_HAPPENED, CONTEXT, WHAT_IS_NEW, DISPUTED, WATCH, PERSPECTIVE))
    TITLES = nonmember(
        {
            WHAT_HAPPENED: "What happened",
            CONTEXT: "Context and precedents",
            WHAT_IS_NEW: "What is new",
            DISPUTED: "What is disputed",
            WATCH: "What to watch",
            PERSPECTIVE: "Another perspective",
        }
    )


@dataclass
class SourcePassage:
    """A passage a writer may cite, with what a reader needs to judge it."""

    passage_id: str
    text: str
    article_id: int
    outlet: str
    lang: str | None
    published: dt.datetime | None
    url: str | None = None
    title: str = ""
    position: int = 0


@dataclass
class WrittenSentence:
    """One sentence of an analysis and the passages that support it."""

    text: str
    citations: list[str]
    # "extractive": taken (lightly compressed) from a cited passage; "generated": written by a model
    kind: str = "extractive"
    lang: str | None = None
    # set when a sentence is quoted in its original language without translation
    quoted_original: bool = False


@dataclass
class WrittenSection:
    """A titled section of sentences."""

    key: str
    title: str
    sentences: list[WrittenSentence] = field(default_factory=list)
    persona_id: str | None = None


@dataclass
class Draft:
    """A writer's output for one story and persona, before verification and the desk."""

    story_id: int
    persona_id: str
    headline: str
    dek: str
    byline: str
    tags: list[str]
    sections: list[WrittenSection]
    writer: str
    model: str | None = None

    def sentences(self) -> list[WrittenSentence]:
        """Every sentence in reading order (headline and dek excluded)."""
        return [s for sec in self.sections for s in sec.sentences]


@dataclass
class WatchItem:
    """A dated upcoming event found in the sources."""

    date: dt.date
    text: str
    passage_id: str


@dataclass
class DisputeBrief:
    """A contested claim and what contests it, as the writer receives it."""

    summary: str
    passage_ids: list[str]
    claim_passage_ids: list[str]
    contesting_passage_ids: list[str]


@dataclass
class WritingBrief:
    """Everything a writer gets for one story: the persona, the passages, the ledger."""

    story_id: int
    persona_id: str
    persona_name: str
    lens: str
    voice: str
    headline_hint: str
    passages: list[SourcePassage]
    new_passage_ids: list[str] = field(default_factory=list)
    context_passages: list[SourcePassage] = field(default_factory=list)
    disputes: list[DisputeBrief] = field(default_factory=list)
    watch: list[WatchItem] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    target_lang: str = "en"
    perspective_persona_id: str | None = None
    perspective_lens: str | None = None


class Writer(Protocol):
    """A writing backend: extractive (default, no model) or an LLM."""

    name: str

    def write(self, brief: WritingBrief) -> Draft: ...
