"""Pydantic models of the JSON API's requests and responses (what /api/openapi.json shows)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class StorySummary(BaseModel):
    """A story as listed: what it is about and how widely it is covered."""

    id: int
    headline: str
    languages: list[str]
    outlets: list[str]
    article_count: int
    first_seen: dt.datetime
    last_seen: dt.datetime
    breaking: bool
    merged_into_id: int | None = Field(
        default=None, description="Set when the story was merged into another one."
    )


class StoryPage(BaseModel):
    """One page of stories, most recently active first."""

    total: int
    limit: int
    offset: int
    items: list[StorySummary]


class ArticleOut(BaseModel):
    """An article of a story as read from its outlet."""

    id: int
    title: str
    url: str | None
    outlet: str
    language: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    duplicate_of_id: int | None
    snapshot_id: int | None


class EntityRef(BaseModel):
    """An entity named in a story, with how often the story's articles name it."""

    id: int
    name: str
    type: str
    mentions: int


class AnalysisSummary(BaseModel):
    """An analysis as listed."""

    id: int
    story_id: int
    persona: str
    version: int
    status: str
    headline: str
    dek: str
    byline: str
    tags: list[str]
    verified: bool
    created_at: dt.datetime
    published_at: dt.datetime | None
    edited_from_id: int | None
    scheduled_at: dt.datetime | None = Field(
        default=None, description="When an approved analysis will publish (token holders only)."
    )


class StoryDetail(StorySummary):
    """A story with its articles, entities and public analyses."""

    articles: list[ArticleOut]
    entities: list[EntityRef]
    published_analysis_ids: list[int]
    analyses: list[AnalysisSummary]


class AnalysisPage(BaseModel):
    """One page of analyses, newest first."""

    total: int
    limit: int
    offset: int
    items: list[AnalysisSummary]


class SnapshotRef(BaseModel):
    """The stored copy of the page a citation came from."""

    id: int
    url: str | None


class CitationOut(BaseModel):
    """A cited passage resolved to its text and source."""

    passage_id: str
    text: str | None
    article_id: int | None
    article_url: str | None
    outlet: str | None
    language: str | None
    published_at: dt.datetime | None
    snapshot: SnapshotRef | None


class SentenceOut(BaseModel):
    """One sentence of an analysis with its citations and verification verdict."""

    id: int
    text: str
    kind: str
    language: str | None
    quoted_original: bool
    verified: bool
    support: float | None
    reason: str | None
    citations: list[CitationOut]


class SectionOut(BaseModel):
    """A section of an analysis ("What happened", "What is disputed", ...)."""

    key: str
    title: str
    sentences: list[SentenceOut]


class CorrectionOut(BaseModel):
    """A correction or retraction note shown on the piece."""

    at: str
    by: str
    note: str
    kind: str


class AnalysisDetail(AnalysisSummary):
    """An analysis in full: sections, sentences, resolved citations, corrections."""

    perspective_persona: str | None
    writer: str
    model: str | None
    review_reasons: list[str]
    unsupported_count: int
    approved_at: dt.datetime | None
    corrections: list[CorrectionOut]
    sections: list[SectionOut]
    rejected_reason: str | None = Field(
        default=None, description="Why an editor rejected it (token holders only)."
    )
    members_only_sentences: int = Field(
        default=0,
        description="Sentences withheld from this answer because they are for members (read "
        "them on the site when signed in; an API token sees everything).",
    )
    members_only_sections: list[str] = Field(
        default_factory=list, description="Titles of the sections those sentences are in."
    )
    sources_withheld: bool = Field(
        default=False,
        description="True when citations are left out because sources are for members.",
    )


class SourceOut(BaseModel):
    """A watched feed, page or sitemap (no credentials: they are removed from URLs)."""

    id: int
    outlet: str
    url: str
    kind: str
    language: str | None
    country: str | None
    reliability_tier: int
    enabled: bool
    suspended: bool
    error_count: int = Field(description="Consecutive failed checks.")
    errors_total: int = Field(description="Failed or blocked checks in the fetch log.")
    checks_total: int
    last_checked_at: dt.datetime | None


class BeatOut(BaseModel):
    """What a persona watches."""

    name: str
    regions: list[str]
    countries: list[str]
    topics: list[str]
    languages: list[str]


class PersonaOut(BaseModel):
    """An invented analyst."""

    id: str
    byline: str
    bio: str
    lens: str
    beat: BeatOut
    published_analyses: int


class PersonaDetail(PersonaOut):
    """A persona with its newest public analyses."""

    analyses: list[AnalysisSummary]


class EntityOut(BaseModel):
    """A person, organisation, place or other named thing."""

    id: int
    key: str
    name: str
    type: str
    mention_count: int
    merged_into_id: int | None


class EntityPage(BaseModel):
    """One page of entities, most-mentioned first."""

    total: int
    limit: int
    offset: int
    items: list[EntityOut]


class AliasOut(BaseModel):
    """A surface form of an entity."""

    alias: str
    lang: str | None


class EntityDetail(EntityOut):
    """An entity with its aliases and the stories that name it."""

    aliases: list[AliasOut]
    story_ids: list[int]


class TagOut(BaseModel):
    """A tag and how many public analyses carry it."""

    tag: str
    count: int


class QueueItemOut(BaseModel):
    """An analysis waiting on the desk and why."""

    analysis: AnalysisSummary
    story: StorySummary
    reasons: list[str]
    rule: str | None
    sentences: int
    verified_sentences: int


class ApproveIn(BaseModel):
    """Approve now, or at `publish_at` (a future time schedules the piece)."""

    publish_at: dt.datetime | None = None


class ReasonIn(BaseModel):
    """Why a piece is rejected or retracted."""

    reason: str = Field(min_length=1, max_length=4000)


class CorrectIn(BaseModel):
    """A correction note, with optional in-place sentence fixes (sentence id -> new text)."""

    note: str = Field(min_length=1, max_length=4000)
    sentences: dict[int, str] | None = None


class EditIn(BaseModel):
    """An edit saved as a new version: headline, dek and/or sentences (id -> new text)."""

    headline: str | None = Field(default=None, max_length=1000)
    dek: str | None = Field(default=None, max_length=4000)
    sentences: dict[int, str] | None = Field(
        default=None, description="AnalysisSentence id -> new text; an empty text removes it."
    )
    note: str = Field(default="", max_length=4000)
