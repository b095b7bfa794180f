"""What the public site may show, read from the store: published analyses and their provenance."""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    Entity,
    Mention,
    Snapshot,
    Story,
    StoryArticle,
    User,
)
from newsdesk.store.queries import newest_published_analyses
from newsdesk.web.sanitize import safe_url
from newsdesk.write import provenance
from newsdesk.write.model import SectionKey

PUBLIC_STATUSES = (AnalysisStatus.PUBLISHED, AnalysisStatus.RETRACTED)
# an archived page is shown as text; beyond this much it is cut (pages are capped at fetch anyway)
SNAPSHOT_MAX_BYTES = 5_000_000


@dataclass
class CitedPassage:
    """A cited passage with its marker number; text is None when the passage is gone."""

    number: int
    passage_id: str
    text: str | None
    article_id: int | None


@dataclass
class CitedSource:
    """An article the analysis cites, with the passages it cites from it."""

    article_id: int
    outlet: str
    language: str | None
    published: dt.datetime | None
    url: str | None
    href: str | None
    title: str
    snapshot_id: int | None
    passages: list[CitedPassage] = field(default_factory=list)


@dataclass
class Citations:
    """Every citation of an analysis resolved: numbers by passage, sources in citation order."""

    by_passage: dict[str, CitedPassage]
    sources: list[CitedSource]
    missing: list[CitedPassage]

    def source_of(self, passage_id: str) -> CitedSource | None:
        cited = self.by_passage.get(passage_id)
        if cited is None or cited.article_id is None:
            return None
        return next((s for s in self.sources if s.article_id == cited.article_id), None)


@dataclass
class Section:
    """A titled section of an analysis and its sentences, in reading order."""

    key: str
    title: str
    sentences: list[AnalysisSentence]


@dataclass
class Production:
    """True facts about how an analysis came to be, for the "How this was produced" box."""

    writer: str
    model: str | None
    source_count: int
    cited_outlets: list[str]
    story_outlets: list[str]
    story_languages: list[str]
    story_article_count: int
    sentences_verified: int
    sentences_total: int
    approved_by: str | None
    approved_at: dt.datetime | None
    published_automatically: bool
    edited_by: str | None
    corrections: list[dict[str, str]]


def latest_analyses(
    session: Session,
    *,
    limit: int | None = 20,
    persona_id: str | None = None,
    tag: str | None = None,
    story_id: int | None = None,
    exclude_story_id: int | None = None,
) -> list[Analysis]:
    """The newest published analyses, optionally of one persona, tag or story."""
    stmt = newest_published_analyses()
    if persona_id is not None:
        stmt = stmt.where(Analysis.persona_id == persona_id)
    if story_id is not None:
        stmt = stmt.where(Analysis.story_id == story_id)
    if exclude_story_id is not None:
        stmt = stmt.where(Analysis.story_id != exclude_story_id)
    if tag is None and limit is not None:
        stmt = stmt.limit(limit)
    rows = list(session.scalars(stmt))
    if tag is not None:
        # tags are a JSON list; filtering here keeps the query the same on every database
        rows = [a for a in rows if tag in (a.tags or [])]
        if limit is not None:
            rows = rows[:limit]
    return rows


def public_analysis(session: Session, analysis_id: int) -> Analysis | None:
    """The analysis when readers may see it (published or retracted), else None."""
    analysis = session.get(Analysis, analysis_id, options=[selectinload(Analysis.sentences)])
    if analysis is None or analysis.status not in PUBLIC_STATUSES:
        return None
    return analysis


def newer_version(session: Session, analysis: Analysis) -> Analysis | None:
    """The newest published version of the same story+persona when newer than this one."""
    return session.scalars(
        select(Analysis)
        .where(
            Analysis.story_id == analysis.story_id,
            Analysis.persona_id == analysis.persona_id,
            Analysis.status == AnalysisStatus.PUBLISHED,
            Analysis.version > analysis.version,
        )
        .order_by(Analysis.version.desc())
        .limit(1)
    ).first()


def sections_of(
    analysis: Analysis, sentences: list[AnalysisSentence] | None = None
) -> list[Section]:
    """The analysis's sentences (or the given subset: what the reader may read) grouped into
    sections, in the fixed reading order."""
    groups: dict[str, list[AnalysisSentence]] = {}
    chosen = analysis.sentences if sentences is None else sentences
    for sent in sorted(chosen, key=lambda s: (s.section_order, s.position)):
        groups.setdefault(sent.section, []).append(sent)

    def order(key: str) -> int:
        return SectionKey.ORDER.index(key) if key in SectionKey.ORDER else len(SectionKey.ORDER)

    return [
        Section(key, SectionKey.TITLES.get(key, key.replace("_", " ").capitalize()), sents)
        for key, sents in sorted(groups.items(), key=lambda kv: order(kv[0]))
    ]


def resolve_citations(
    session: Session, analysis: Analysis, sentences: list[AnalysisSentence] | None = None
) -> Citations:
    """Number each cited passage in reading order and resolve it to its article and snapshot
    (only the passages `sentences` cite, when given: a withheld sentence's sources stay too)."""
    order: list[str] = []
    for section in sections_of(analysis, sentences):
        for sent in section.sentences:
            order += [c for c in sent.citations if c not in order]
    resolved = provenance.resolve_citations(session, order)
    by_passage: dict[str, CitedPassage] = {}
    sources: dict[int, CitedSource] = {}
    missing: list[CitedPassage] = []
    for number, pid in enumerate(order, start=1):
        art = resolved[pid].article
        cited = CitedPassage(number, pid, resolved[pid].text, resolved[pid].article_id)
        by_passage[pid] = cited
        if art is None:
            missing.append(cited)
            continue
        if art.id not in sources:
            sources[art.id] = CitedSource(
                article_id=art.id,
                outlet=art.outlet,
                language=art.language,
                published=art.published,
                url=art.url,
                href=safe_url(art.url),
                title=art.title,
                snapshot_id=art.snapshot_id,
            )
        sources[art.id].passages.append(cited)
    return Citations(by_passage, list(sources.values()), missing)


def _user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None:
        return None
    return user.display_name or user.username


def production_of(
    session: Session, analysis: Analysis, story: Story | None, citations: Citations
) -> Production:
    """The facts of the "How this was produced" box, from the rows themselves."""
    approved_by = _user_name(session, analysis.approved_by_id)
    return Production(
        writer=analysis.writer,
        model=analysis.model,
        source_count=len(citations.sources),
        cited_outlets=sorted({s.outlet for s in citations.sources if s.outlet}),
        story_outlets=sorted(story.outlets or []) if story else [],
        story_languages=sorted(story.languages or []) if story else [],
        story_article_count=story.article_count if story else 0,
        sentences_verified=sum(1 for s in analysis.sentences if s.verified),
        sentences_total=len(analysis.sentences),
        approved_by=approved_by,
        approved_at=analysis.approved_at,
        # the desk stamps approved_at on every human (or system) approval
        published_automatically=analysis.approved_at is None,
        edited_by=_user_name(session, analysis.edited_by_id),
        corrections=list(analysis.corrections or []),
    )


def story_entities(session: Session, story_id: int, limit: int = 24) -> list[tuple[Entity, int]]:
    """The entities mentioned most in a story's articles, with their mention counts."""
    rows = session.execute(
        select(Mention.entity_id, func.count(Mention.id).label("n"))
        .join(StoryArticle, StoryArticle.article_id == Mention.article_id)
        .where(StoryArticle.story_id == story_id)
        .group_by(Mention.entity_id)
        .order_by(func.count(Mention.id).desc(), Mention.entity_id)
        .limit(limit)
    ).all()
    ents = {
        e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_([r[0] for r in rows])))
    }
    return [(ents[eid], n) for eid, n in rows if eid in ents]


def entity_stories(session: Session, entity_id: int, limit: int = 50) -> list[Story]:
    """Stories whose articles mention an entity, most recent first."""
    ids = (
        select(StoryArticle.story_id)
        .join(Mention, Mention.article_id == StoryArticle.article_id)
        .where(Mention.entity_id == entity_id)
    )
    return list(
        session.scalars(
            select(Story)
            .where(Story.id.in_(ids), Story.merged_into_id.is_(None))
            .order_by(Story.last_seen.desc(), Story.id.desc())
            .limit(limit)
        )
    )


def top_stories(session: Session, limit: int = 10) -> list[Story]:
    """The stories with the most articles."""
    return list(
        session.scalars(
            select(Story)
            .where(Story.merged_into_id.is_(None))
            .order_by(Story.article_count.desc(), Story.last_seen.desc(), Story.id)
            .limit(limit)
        )
    )


def breaking_stories(session: Session, limit: int = 5) -> list[Story]:
    """Stories flagged as breaking, most recent first."""
    return list(
        session.scalars(
            select(Story)
            .where(Story.breaking.is_(True), Story.merged_into_id.is_(None))
            .order_by(Story.last_seen.desc(), Story.id.desc())
            .limit(limit)
        )
    )


def stories_of(session: Session, story_ids: set[int]) -> dict[int, Story]:
    """Stories by id."""
    if not story_ids:
        return {}
    return {s.id: s for s in session.scalars(select(Story).where(Story.id.in_(story_ids)))}


def public_snapshot(session: Session, snapshot_id: int) -> Snapshot | None:
    """A snapshot an article was read from (others, if any, are not public)."""
    snap = session.get(Snapshot, snapshot_id)
    if snap is None:
        return None
    used = session.scalar(select(Article.id).where(Article.snapshot_id == snapshot_id).limit(1))
    return snap if used is not None else None


def snapshot_text(snap: Snapshot) -> str:
    """The archived bytes decoded for display as text (never as a live page)."""
    raw = snap.data
    if snap.encoding == "gzip":
        try:
            # bounded: a hostile page must not blow up in memory when unpacked
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, SNAPSHOT_MAX_BYTES)
        except (zlib.error, gzip.BadGzipFile):
            return "(this snapshot could not be unpacked)"
    charset = "utf-8"
    ctype = snap.content_type or ""
    for part in ctype.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ")
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")
