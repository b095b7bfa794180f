"""The data model: sources, fetch log, entries, articles, passages, snapshots."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum, nonmember

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from newsdesk.store.types import UTCDateTime


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; every stored time is UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class SourceKind(StrEnum):
    """Kinds of source a registry row may hold."""

    FEED = "feed"
    PAGE = "page"
    SITEMAP = "sitemap"
    ALL = nonmember((FEED, PAGE, SITEMAP))


class PollPolicy(StrEnum):
    """How the next check of a source is scheduled."""

    FIXED = "fixed"
    ENTRY_FREQUENCY = "entry_frequency"
    ALL = nonmember((FIXED, ENTRY_FREQUENCY))


class Source(Base):
    """A feed, page or sitemap we watch."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=SourceKind.FEED)
    outlet: Mapped[str] = mapped_column(String(200), default="")
    language_hint: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(8))
    reliability_tier: Mapped[int] = mapped_column(Integer, default=2)
    poll_policy: Mapped[str] = mapped_column(String(32), default=PollPolicy.FIXED)
    poll_interval: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_private: Mapped[bool] = mapped_column(Boolean, default=False)

    # conditional GET and scheduling state
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    last_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    fetches: Mapped[list[FetchLog]] = relationship(back_populates="source")


class FetchOutcome(StrEnum):
    """What one check of a source came to."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"
    BLOCKED = "blocked"


class FetchLog(Base):
    """One check of a source: status, outcome, reason, size, timing."""

    __tablename__ = "fetch_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    bytes_received: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    new_entries: Mapped[int] = mapped_column(Integer, default=0)
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    source: Mapped[Source] = relationship(back_populates="fetches")


class EntryState(StrEnum):
    """Where a discovered entry is in the read stage."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    ALL = nonmember((PENDING, DONE, FAILED))


class Entry(Base):
    """An item discovered in a feed (or a page source), waiting to become an article.

    Entries are written in the same transaction as the source's conditional-GET state, so a crash
    after a poll never loses an item: pending entries are simply read on the next run.
    """

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("source_id", "guid", name="uq_entries_source_guid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(1024))
    link: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(512))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=EntryState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    discovered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Snapshot(Base):
    """The raw bytes we read, compressed, so a citation resolves after the original link dies."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    content_type: Mapped[str | None] = mapped_column(String(200))
    encoding: Mapped[str] = mapped_column(String(16), default="gzip")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleStage(StrEnum):
    """The next stage an article waits for; each stage moves it on in its own transaction."""

    EMBED = "embed"
    ENTITIES = "entities"
    CLUSTER = "cluster"
    READY = "ready"
    ORDER = nonmember((EMBED, ENTITIES, CLUSTER, READY))


class Article(Base):
    """One article as read: clean text, metadata, language, identity and duplicate link."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_canonical_url", "canonical_url"),
        Index("ix_articles_content_hash", "content_hash"),
        Index("ix_articles_guid", "guid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("entries.id", ondelete="SET NULL"), unique=True
    )
    guid: Mapped[str | None] = mapped_column(String(1024))
    url: Mapped[str | None] = mapped_column(String(2048))
    canonical_url: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str | None] = mapped_column(String(512))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    language_confidence: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    duplicate_kind: Mapped[str | None] = mapped_column(String(16))
    duplicate_score: Mapped[float | None] = mapped_column(Float)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id", ondelete="SET NULL"))
    # the next pipeline stage to run on this article (see ArticleStage)
    stage: Mapped[str] = mapped_column(String(32), default="embed", index=True)

    passages: Mapped[list[Passage]] = relationship(
        back_populates="article", order_by="Passage.position", cascade="all, delete-orphan"
    )
    snapshot: Mapped[Snapshot | None] = relationship()
    source: Mapped[Source | None] = relationship()


class Passage(Base):
    """A citable sentence-sized span of an article; id = '<article id>:<position>' is stable."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("article_id", "position", name="uq_passages_article_pos"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)

    article: Mapped[Article] = relationship(back_populates="passages")


def passage_id(article_id: int, position: int) -> str:
    """The stable id of the passage at `position` of article `article_id`."""
    return f"{article_id}:{position}"


class Embedding(Base):
    """An article's vector (title + lead), stored once and never recomputed."""

    __tablename__ = "embeddings"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(100))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Entity(Base):
    """A person, organisation, place or domain thing, with one id across languages."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32), index=True)
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan"
    )


class EntityAlias(Base):
    """A surface form of an entity ("L&T", "Larsen & Toubro", "Россия")."""

    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "normalized", name="uq_alias_entity_norm"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300), index=True)
    lang: Mapped[str | None] = mapped_column(String(16))

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Mention(Base):
    """One occurrence of an entity in an article (and the passage it falls in)."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_article", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    passage_id: Mapped[str | None] = mapped_column(
        ForeignKey("passages.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(String(300))
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)


class Story(Base):
    """Articles in any language about the same event, tracked over time."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    headline: Mapped[str] = mapped_column(Text, default="")
    headline_lang: Mapped[str | None] = mapped_column(String(16))
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    outlets: Mapped[list[str]] = mapped_column(JSON, default=list)
    entity_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )
    breaking: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoryArticle(Base):
    """Which story an article belongs to (one each), and how strongly it matched."""

    __tablename__ = "story_articles"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DevelopmentKind(StrEnum):
    """What kind of new thing a development records."""

    PASSAGE = "passage"
    ENTITY = "entity"
    OUTLET = "outlet"
    LANGUAGE = "language"
    CLAIM = "claim"
    BREAKING = "breaking"


class Development(Base):
    """Something new in a story at a moment: a novel passage, entity, outlet or claim."""

    __tablename__ = "developments"
    __table_args__ = (Index("ix_developments_story_time", "story_id", "detected_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    passage_id: Mapped[str | None] = mapped_column(ForeignKey("passages.id", ondelete="SET NULL"))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)


class AnalysisStatus(StrEnum):
    """Where an analysis is between the writer and the reader."""

    DRAFT = "draft"
    # written and verified by the write stage; the desk's triage decides what happens next
    WRITTEN = "written"
    NEEDS_REVIEW = "needs_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"
    RETRACTED = "retracted"


class Analysis(Base):
    """A persona's cited analysis of a story; rewritten (new version) as the story develops."""

    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("story_id", "persona_id", "version", name="uq_analysis_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    persona_id: Mapped[str] = mapped_column(String(64), index=True)
    perspective_persona_id: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default=AnalysisStatus.DRAFT, index=True)
    headline: Mapped[str] = mapped_column(Text)
    dek: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    writer: Mapped[str] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(200))
    routing: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    review_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # what triage decides on besides the sentences: headline/dek verdicts, outlets, disputes
    checks: Mapped[dict[str, object] | None] = mapped_column(JSON)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    unsupported_count: Mapped[int] = mapped_column(Integer, default=0)
    story_last_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # -- the desk: who decided what, and when (issue 5) -------------------------
    policy_rule: Mapped[str | None] = mapped_column(String(64))
    scheduled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    edited_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("analyses.id", ondelete="SET NULL")
    )
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # [{"at": iso, "by": name, "note": text}], shown on the page as correction notes
    corrections: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)

    sentences: Mapped[list[AnalysisSentence]] = relationship(
        back_populates="analysis",
        order_by="(AnalysisSentence.section_order, AnalysisSentence.position)",
        cascade="all, delete-orphan",
    )


class AnalysisSentence(Base):
    """One sentence of an analysis with its citations and its verification verdict."""

    __tablename__ = "analysis_sentences"
    __table_args__ = (Index("ix_analysis_sentences_analysis", "analysis_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(32))
    section_order: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="extractive")
    lang: Mapped[str | None] = mapped_column(String(16))
    quoted_original: Mapped[bool] = mapped_column(Boolean, default=False)
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    support: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)

    analysis: Mapped[Analysis] = relationship(back_populates="sentences")


class Claim(Base):
    """An attributed statement in a story: who said what, according to whom, in which passage."""

    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    passage_id: Mapped[str] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str | None] = mapped_column(String(16))
    speaker: Mapped[str] = mapped_column(Text, default="")
    speaker_kind: Mapped[str] = mapped_column(String(32), default="unknown")
    according_to: Mapped[str | None] = mapped_column(Text)
    verb: Mapped[str] = mapped_column(String(64), default="")
    stance: Mapped[str] = mapped_column(String(16), default="assert")
    content: Mapped[str] = mapped_column(Text, default="")
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    numbers: Mapped[list[str]] = mapped_column(JSON, default=list)


class ClaimLink(Base):
    """A denial or contradiction: `claim_id` contests `contests_claim_id`."""

    __tablename__ = "claim_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    contests_claim_id: Mapped[str] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)


class Role(StrEnum):
    """What an account may do: contributors edit drafts, editors publish, admins manage."""

    CONTRIBUTOR = "contributor"
    EDITOR = "editor"
    ADMIN = "admin"
    ALL = nonmember((CONTRIBUTOR, EDITOR, ADMIN))

    @classmethod
    def at_least(cls, role: str, minimum: str) -> bool:
        """True when `role` includes everything `minimum` may do (admin > editor > contributor)."""
        if role not in cls.ALL or minimum not in cls.ALL:
            return False
        return cls.ALL.index(role) >= cls.ALL.index(minimum)


class User(Base):
    """A desk account (reading the public site needs none)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default=Role.CONTRIBUTOR)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A bearer token for the editor API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttempt(Base):
    """One sign-in attempt, kept so rate limiting works across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_time", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    """Who did what to which thing, when, and what changed: the desk's audit log."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(200), default="system")
    action: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
