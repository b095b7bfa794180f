"""The API's public reads: stories, analyses with resolved citations, sources, personas, entities.

Without a token only published and retracted analyses exist; a token also shows drafts and the
desk's scheduling and notes.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, HTTPException, Path, Query, Request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from newsdesk.personas import Persona, load_personas
from newsdesk.publish.gate import DESK, VISITOR, gate_analysis
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    AnalysisStatus,
    Article,
    Entity,
    EntityAlias,
    FetchLog,
    FetchOutcome,
    Mention,
    Source,
    Story,
    StoryArticle,
)
from newsdesk.store.queries import published_counts_by_persona, published_tag_counts
from newsdesk.web.api.access import ApiRoute, Holder, Limit, Offset, unauthorized
from newsdesk.web.api.models import (
    AliasOut,
    AnalysisDetail,
    AnalysisPage,
    AnalysisSummary,
    ArticleOut,
    BeatOut,
    CitationOut,
    CorrectionOut,
    EntityDetail,
    EntityOut,
    EntityPage,
    EntityRef,
    PersonaDetail,
    PersonaOut,
    SectionOut,
    SentenceOut,
    SnapshotRef,
    SourceOut,
    StoryDetail,
    StoryPage,
    StorySummary,
    TagOut,
)
from newsdesk.web.app_state import app_settings, app_store
from newsdesk.web.site.charts import count_story_entities
from newsdesk.web.site.published import PUBLIC_STATUSES
from newsdesk.write.model import SectionKey
from newsdesk.write.provenance import ResolvedCitation, cited_ids, resolve_citations

ALL_STATUSES = (
    AnalysisStatus.DRAFT,
    AnalysisStatus.NEEDS_REVIEW,
    AnalysisStatus.APPROVED,
    AnalysisStatus.PUBLISHED,
    AnalysisStatus.REJECTED,
    AnalysisStatus.RETRACTED,
)
# query parameters that may carry a credential in a source URL; their values are withheld
SECRET_PARAM_HINTS = ("key", "token", "secret", "pass", "auth", "sig", "session", "credential")

router = APIRouter(route_class=ApiRoute)


# -- conversions --------------------------------------------------------------------------


def story_summary(story: Story) -> StorySummary:
    """A story row as the API lists it."""
    return StorySummary(
        id=story.id,
        headline=story.headline,
        languages=list(story.languages or []),
        outlets=list(story.outlets or []),
        article_count=story.article_count,
        first_seen=story.first_seen,
        last_seen=story.last_seen,
        breaking=story.breaking,
        merged_into_id=story.merged_into_id,
    )


def analysis_summary(a: Analysis, private: bool = False) -> AnalysisSummary:
    """An analysis row as the API lists it; `private` adds the desk's scheduling."""
    return AnalysisSummary(
        id=a.id,
        story_id=a.story_id,
        persona=a.persona_id,
        version=a.version,
        status=a.status,
        headline=a.headline,
        dek=a.dek,
        byline=a.byline,
        tags=list(a.tags or []),
        verified=a.verified,
        created_at=a.created_at,
        published_at=a.published_at,
        edited_from_id=a.edited_from_id,
        scheduled_at=a.scheduled_at if private else None,
    )


def citation_out(c: ResolvedCitation) -> CitationOut:
    """A resolved citation as the API shows it (its fields null where the chain is broken)."""
    art = c.article
    snap = art.snapshot_id if art else None
    return CitationOut(
        passage_id=c.passage_id,
        text=c.text,
        article_id=art.id if art else None,
        article_url=art.url if art else None,
        outlet=art.outlet if art else None,
        language=art.language if art else None,
        published_at=art.published if art else None,
        snapshot=SnapshotRef(id=snap, url=art.snapshot_url) if art and snap is not None else None,
    )


def analysis_detail(
    s: Session, a: Analysis, private: bool = False, settings: Settings | None = None
) -> AnalysisDetail:
    """An analysis, every citation resolved (as `newsdesk analyses export` does).

    Without `private` (an API token) only what a visitor may read is included: members-only
    sentences, and citations when sources are for members, are left out (see publish.gate).
    """
    reader = DESK if private else VISITOR
    gated = gate_analysis(a.sentences, settings or Settings.model_construct(), reader)
    shown = [sent for sent in a.sentences if sent.id in gated.visible_ids]
    cited = {
        pid: citation_out(c)
        for pid, c in resolve_citations(s, cited_ids(shown)).items()
        if gated.sources_visible
    }
    sections: list[SectionOut] = []
    for sent in shown:
        if not sections or sections[-1].key != sent.section:
            title = SectionKey.TITLES.get(sent.section, sent.section)
            sections.append(SectionOut(key=sent.section, title=title, sentences=[]))
        sections[-1].sentences.append(
            SentenceOut(
                id=sent.id,
                text=sent.text,
                kind=sent.kind,
                language=sent.lang,
                quoted_original=sent.quoted_original,
                verified=sent.verified,
                support=sent.support,
                reason=sent.reason,
                citations=[cited[c] for c in sent.citations if c in cited],
            )
        )
    corrections = [
        CorrectionOut(
            at=str(c.get("at", "")),
            by=str(c.get("by", "")),
            note=str(c.get("note", "")),
            kind=str(c.get("kind", "correction")),
        )
        for c in a.corrections or []
    ]
    return AnalysisDetail(
        **analysis_summary(a, private).model_dump(),
        perspective_persona=a.perspective_persona_id,
        writer=a.writer,
        model=a.model,
        review_reasons=list(a.review_reasons or []),
        unsupported_count=a.unsupported_count,
        approved_at=a.approved_at,
        corrections=corrections,
        sections=sections,
        rejected_reason=a.rejected_reason if private else None,
        members_only_sentences=gated.withheld,
        members_only_sections=gated.withheld_sections,
        sources_withheld=not gated.sources_visible,
    )


def public_url(url: str) -> str:
    """A source URL without credentials: no user:password, no values of secret-looking params."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(h in k.lower() for k, _ in pairs for h in SECRET_PARAM_HINTS):
            query = urlencode(
                [
                    (k, "REDACTED" if any(h in k.lower() for h in SECRET_PARAM_HINTS) else v)
                    for k, v in pairs
                ]
            )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _page_of(s: Session, stmt: Select[Any], limit: int, offset: int) -> tuple[int, list[Any]]:
    total = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return int(total), list(s.scalars(stmt.limit(limit).offset(offset)))


def _newest_first(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(
        func.coalesce(Analysis.published_at, Analysis.created_at).desc(), Analysis.id.desc()
    )


# -- stories ------------------------------------------------------------------------------


@router.get("/stories", response_model=StoryPage, tags=["stories"])
def list_stories(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    breaking: Annotated[bool | None, Query(description="Only breaking (or other) stories.")] = None,
) -> StoryPage:
    """Stories, most recently active first (merged stories are left out)."""
    stmt = select(Story).where(Story.merged_into_id.is_(None))
    if breaking is not None:
        stmt = stmt.where(Story.breaking.is_(breaking))
    stmt = stmt.order_by(Story.last_seen.desc(), Story.id.desc())
    with app_store(request).reader() as s:
        total, rows = _page_of(s, stmt, limit, offset)
        items = [story_summary(x) for x in rows]
    return StoryPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/stories/{story_id}", response_model=StoryDetail, tags=["stories"])
def get_story(request: Request, story_id: Annotated[int, Path()], holder: Holder) -> StoryDetail:
    """A story with its articles, most-mentioned entities and analyses."""
    with app_store(request).reader() as s:
        story = s.get(Story, story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id}")
        arts = s.scalars(
            select(Article)
            .join(StoryArticle, StoryArticle.article_id == Article.id)
            .where(StoryArticle.story_id == story_id)
            .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
        )
        articles = [
            ArticleOut(
                id=a.id,
                title=a.title,
                url=a.url,
                outlet=a.outlet,
                language=a.language,
                published_at=a.published_at,
                fetched_at=a.fetched_at,
                duplicate_of_id=a.duplicate_of_id,
                snapshot_id=a.snapshot_id,
            )
            for a in arts
        ]
        entities = [
            EntityRef(id=e.entity.id, name=e.entity.name, type=e.entity.type, mentions=e.mentions)
            for e in count_story_entities(s, story_id)[:30]
        ]
        stmt = select(Analysis).where(Analysis.story_id == story_id)
        if holder is None:
            stmt = stmt.where(Analysis.status.in_(PUBLIC_STATUSES))
        analyses = list(s.scalars(_newest_first(stmt)))
        return StoryDetail(
            **story_summary(story).model_dump(),
            articles=articles,
            entities=entities,
            published_analysis_ids=[a.id for a in analyses if a.status == AnalysisStatus.PUBLISHED],
            analyses=[analysis_summary(a, holder is not None) for a in analyses],
        )


# -- analyses -----------------------------------------------------------------------------


@router.get("/analyses", response_model=AnalysisPage, tags=["analyses"])
def list_analyses(
    request: Request,
    holder: Holder,
    persona: Annotated[str | None, Query(description="Only this persona's analyses.")] = None,
    tag: Annotated[str | None, Query(description="Only analyses with this tag.")] = None,
    story_id: Annotated[int | None, Query(description="Only analyses of this story.")] = None,
    status: Annotated[
        str | None,
        Query(description="published or retracted; any status with an API token."),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AnalysisPage:
    """Analyses, newest first: published and retracted ones (every status with a token)."""
    stmt = select(Analysis)
    if status is not None:
        if status not in ALL_STATUSES:
            raise HTTPException(422, f"unknown status {status!r}")
        if holder is None and status not in PUBLIC_STATUSES:
            raise unauthorized(f"an API token is required to list {status} analyses")
        stmt = stmt.where(Analysis.status == status)
    elif holder is None:
        stmt = stmt.where(Analysis.status.in_(PUBLIC_STATUSES))
    if persona:
        stmt = stmt.where(Analysis.persona_id == persona)
    if story_id is not None:
        stmt = stmt.where(Analysis.story_id == story_id)
    stmt = _newest_first(stmt)
    with app_store(request).reader() as s:
        if tag:
            # tags are a JSON list: filtered here, which works the same on every database
            tagged = [
                aid
                for aid, tags in s.execute(stmt.with_only_columns(Analysis.id, Analysis.tags))
                if tag in (tags or [])
            ]
            total, ids = len(tagged), tagged[offset : offset + limit]
            by_id = {a.id: a for a in s.scalars(select(Analysis).where(Analysis.id.in_(ids)))}
            rows = [by_id[i] for i in ids]
        else:
            total, rows = _page_of(s, stmt, limit, offset)
        items = [analysis_summary(a, holder is not None) for a in rows]
    return AnalysisPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/analyses/{analysis_id}", response_model=AnalysisDetail, tags=["analyses"])
def get_analysis(request: Request, analysis_id: int, holder: Holder) -> AnalysisDetail:
    """An analysis: sections, sentences and citations resolved to passage text and source."""
    with app_store(request).reader() as s:
        a = s.get(Analysis, analysis_id)
        # an unpublished piece does not exist for readers without a token
        if a is None or (holder is None and a.status not in PUBLIC_STATUSES):
            raise HTTPException(404, f"no analysis {analysis_id}")
        return analysis_detail(s, a, holder is not None, app_settings(request))


# -- sources, personas, entities, tags ----------------------------------------------------


@router.get("/sources", response_model=list[SourceOut], tags=["sources"])
def list_sources(request: Request) -> list[SourceOut]:
    """The source registry with error counts (credentials removed from URLs)."""
    with app_store(request).reader() as s:
        checks: Counter[int] = Counter()
        errors: Counter[int] = Counter()
        for source_id, outcome, n in s.execute(
            select(FetchLog.source_id, FetchLog.outcome, func.count()).group_by(
                FetchLog.source_id, FetchLog.outcome
            )
        ):
            checks[source_id] += n
            if outcome in (FetchOutcome.ERROR, FetchOutcome.BLOCKED):
                errors[source_id] += n
        return [
            SourceOut(
                id=src.id,
                outlet=src.outlet,
                url=public_url(src.url),
                kind=src.kind,
                language=src.language_hint,
                country=src.country,
                reliability_tier=src.reliability_tier,
                enabled=src.enabled,
                suspended=src.suspended,
                error_count=src.error_count,
                errors_total=errors[src.id],
                checks_total=checks[src.id],
                last_checked_at=src.last_checked_at,
            )
            for src in s.scalars(select(Source).order_by(Source.outlet, Source.id))
        ]


def _persona_out(p: Persona, published: int) -> PersonaOut:
    beat = BeatOut(
        name=p.beat.name,
        regions=list(p.beat.regions),
        countries=list(p.beat.countries),
        topics=list(p.beat.topics),
        languages=list(p.beat.languages),
    )
    return PersonaOut(
        id=p.id, byline=p.byline, bio=p.bio, lens=p.lens, beat=beat, published_analyses=published
    )


@router.get("/personas", response_model=list[PersonaOut], tags=["personas"])
def list_personas(request: Request) -> list[PersonaOut]:
    """The invented analysts and their beats."""
    personas = load_personas(app_settings(request).personas_file)
    with app_store(request).reader() as s:
        counts = published_counts_by_persona(s)
    return [_persona_out(p, counts.get(p.id, 0)) for p in personas]


@router.get("/personas/{persona_id}", response_model=PersonaDetail, tags=["personas"])
def get_persona(request: Request, persona_id: str, limit: Limit = 20) -> PersonaDetail:
    """A persona with its newest published and retracted analyses."""
    persona = next(
        (p for p in load_personas(app_settings(request).personas_file) if p.id == persona_id), None
    )
    if persona is None:
        raise HTTPException(404, f"no persona {persona_id!r}")
    with app_store(request).reader() as s:
        counts = published_counts_by_persona(s)
        rows = s.scalars(
            _newest_first(
                select(Analysis).where(
                    Analysis.persona_id == persona_id, Analysis.status.in_(PUBLIC_STATUSES)
                )
            ).limit(limit)
        )
        analyses = [analysis_summary(a) for a in rows]
    return PersonaDetail(
        **_persona_out(persona, counts.get(persona_id, 0)).model_dump(), analyses=analyses
    )


def _entity_out(e: Entity) -> EntityOut:
    return EntityOut(
        id=e.id,
        key=e.key,
        name=e.name,
        type=e.type,
        mention_count=e.mention_count,
        merged_into_id=e.merged_into_id,
    )


@router.get("/entities", response_model=EntityPage, tags=["entities"])
def list_entities(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    type: Annotated[
        str | None, Query(description="person, org, place, platform, programme or agreement.")
    ] = None,
) -> EntityPage:
    """Entities, most-mentioned first (entities merged into another are left out)."""
    stmt = select(Entity).where(Entity.merged_into_id.is_(None))
    if type:
        stmt = stmt.where(Entity.type == type)
    stmt = stmt.order_by(Entity.mention_count.desc(), Entity.name, Entity.id)
    with app_store(request).reader() as s:
        total, rows = _page_of(s, stmt, limit, offset)
        items = [_entity_out(e) for e in rows]
    return EntityPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/entities/{entity_id}", response_model=EntityDetail, tags=["entities"])
def get_entity(request: Request, entity_id: int) -> EntityDetail:
    """An entity with its aliases and the stories (newest first) whose articles name it."""
    with app_store(request).reader() as s:
        ent = s.get(Entity, entity_id)
        if ent is None:
            raise HTTPException(404, f"no entity {entity_id}")
        merged = list(s.scalars(select(Entity.id).where(Entity.merged_into_id == entity_id)))
        aliases = s.scalars(
            select(EntityAlias)
            .where(EntityAlias.entity_id.in_([entity_id, *merged]))
            .order_by(EntityAlias.alias, EntityAlias.id)
        )
        stories = s.execute(
            select(Story.id, func.max(Story.last_seen))
            .join(StoryArticle, StoryArticle.story_id == Story.id)
            .join(Mention, Mention.article_id == StoryArticle.article_id)
            .where(Mention.entity_id.in_([entity_id, *merged]), Story.merged_into_id.is_(None))
            .group_by(Story.id)
            .order_by(func.max(Story.last_seen).desc(), Story.id.desc())
            .limit(100)
        )
        seen: set[tuple[str, str | None]] = set()
        alias_out = []
        for al in aliases:
            if (al.alias, al.lang) not in seen:
                seen.add((al.alias, al.lang))
                alias_out.append(AliasOut(alias=al.alias, lang=al.lang))
        return EntityDetail(
            **_entity_out(ent).model_dump(),
            aliases=alias_out,
            story_ids=[sid for sid, _ in stories],
        )


@router.get("/tags", response_model=list[TagOut], tags=["analyses"])
def list_tags(request: Request) -> list[TagOut]:
    """Tags of published analyses, most used first."""
    with app_store(request).reader() as s:
        counts = published_tag_counts(s)
    return [TagOut(tag=t, count=n) for t, n in counts]
