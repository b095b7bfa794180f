"""The write stage: route each developed story to its persona, brief the writer, verify, store.

A story gets an analysis once two or more outlets cover it; it gets a new version when it has
developed since the persona's last analysis. Each analysis is verified sentence by sentence
against its cited passages and stored as `written`, with the facts the desk's policy needs
(headline and dek verdicts, outlets, disputes). Whether it publishes itself or waits for an
editor is decided next, by the desk's triage stage (newsdesk.desk.triage).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.claims.model import Dispute
from newsdesk.claims.stage import refresh_claims
from newsdesk.llm.base import LLMBadResponse, LLMUnavailable
from newsdesk.personas import Persona, load_personas, route_story
from newsdesk.personas.profile import entity_counts, story_profile
from newsdesk.personas.routing import Routing
from newsdesk.progress import Progress, null_progress
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    Development,
    DevelopmentKind,
    Store,
    Story,
    utcnow,
)
from newsdesk.store.queries import story_articles
from newsdesk.write.context import context_passages
from newsdesk.write.extractive import ExtractiveWriter
from newsdesk.write.factory import writer_from_settings
from newsdesk.write.model import (
    DisputeBrief,
    Draft,
    SectionKey,
    SourcePassage,
    Writer,
    WritingBrief,
)
from newsdesk.write.provenance import original_passages
from newsdesk.write.verify import verify_draft
from newsdesk.write.watch import find_watch_items

log = logging.getLogger(__name__)

MAX_PASSAGES = 400
COUNTRY_KEY_LEN = len("place:XX")


@dataclass
class WriteReport:
    """What one pass of the write stage did."""

    written: list[int] = field(default_factory=list)
    sentences: int = 0
    unsupported: int = 0


# -- the story as the writer sees it -------------------------------------------------------


def source_passages(articles: list[Article]) -> list[SourcePassage]:
    """Citable passages of the story's original articles (copies add outlets, not text)."""
    return original_passages(articles)[:MAX_PASSAGES]


def story_tags(
    routing: Routing, lead: Persona, counts: Counter[str], names: dict[str, str]
) -> list[str]:
    """Countries, topics and the most mentioned actors, for the analysis's tag list."""
    decision = routing.decision(lead.id)
    tags: list[str] = []
    for key, _ in counts.most_common():
        if key.startswith("place:") and len(key) == COUNTRY_KEY_LEN and len(tags) < 4:
            tags.append(names[key])
    tags += [topic for topic, _ in decision.topics[:3]]
    actors = [k for k, _ in counts.most_common() if k.startswith(("person:", "org:"))][:3]
    tags += [names[k] for k in actors]
    unique: dict[str, str] = {}
    for tag in tags:
        unique.setdefault(tag.lower(), tag)
    return list(unique.values())


def new_passage_ids(
    session: Session, story_id: int, since: dt.datetime | None, latest: dt.datetime
) -> list[str]:
    """Passages recorded as developments since the last analysis (or in the last day)."""
    after = since or (latest - dt.timedelta(hours=24))
    devs = session.scalars(
        select(Development)
        .where(
            Development.story_id == story_id,
            Development.kind == DevelopmentKind.PASSAGE,
            Development.detected_at > after,
            Development.passage_id.is_not(None),
        )
        .order_by(Development.detected_at)
    ).all()
    return [d.passage_id for d in devs if d.passage_id and not d.detail.startswith("first report")]


# -- writing, verifying, storing -----------------------------------------------------------


def latest_analysis(session: Session, story_id: int, persona_id: str) -> Analysis | None:
    """The persona's newest analysis of the story, if any."""
    return session.scalars(
        select(Analysis)
        .where(Analysis.story_id == story_id, Analysis.persona_id == persona_id)
        .order_by(Analysis.version.desc())
        .limit(1)
    ).first()


def is_current(story: Story, analysis: Analysis | None) -> bool:
    """True when the analysis already covers everything the story has."""
    return (
        analysis is not None
        and analysis.story_last_seen is not None
        and story.last_seen <= analysis.story_last_seen
    )


def dispute_briefs(found: list[Dispute]) -> list[DisputeBrief]:
    """The ledger's disputes as the writer is briefed on them."""
    return [
        DisputeBrief(
            summary=d.summary,
            passage_ids=list(d.passage_ids),
            claim_passage_ids=[d.claim.passage_id] + [c.passage_id for c in d.supporting],
            contesting_passage_ids=[c.passage_id for c in d.contesting],
        )
        for d in found
    ]


def store_analysis(
    session: Session,
    draft: Draft,
    *,
    version: int,
    routing: Routing,
    story: Story,
    passages: dict[str, SourcePassage | str],
    outlets: int,
    disputes_found: int,
    now: dt.datetime,
) -> Analysis:
    """Verify a draft and store it as `written`, with its sentences, verdicts and checks.

    `checks` holds what the desk's triage decides on besides the sentences: the headline and
    dek verdicts, the independent outlets and the disputes of the story when it was written.
    """
    check = verify_draft(draft, passages)
    analysis = Analysis(
        story_id=story.id,
        persona_id=draft.persona_id,
        perspective_persona_id=routing.perspective,
        version=version,
        status=AnalysisStatus.WRITTEN,
        headline=draft.headline,
        dek=draft.dek,
        byline=draft.byline,
        tags=draft.tags,
        writer=draft.writer,
        model=draft.model,
        routing={"explanation": routing.explain(), "lead": routing.lead},
        checks={
            "headline_ok": check.headline.verified,
            "headline_reason": check.headline.reason,
            "dek_ok": check.dek.verified,
            "dek_reason": check.dek.reason,
            "outlets": outlets,
            "disputes": disputes_found,
        },
        verified=check.all_verified,
        unsupported_count=check.unsupported_count,
        story_last_seen=story.last_seen,
        created_at=now,
        updated_at=now,
    )
    session.add(analysis)
    session.flush()
    verdicts = {(v.section, v.position): v.verdict for v in check.sentences}
    for order, section in enumerate(draft.sections):
        for pos, sent in enumerate(section.sentences):
            verdict = verdicts.get((section.key, pos))
            session.add(
                AnalysisSentence(
                    analysis_id=analysis.id,
                    section=section.key,
                    section_order=SectionKey.ORDER.index(section.key)
                    if section.key in SectionKey.ORDER
                    else order,
                    position=pos,
                    text=sent.text,
                    kind=sent.kind,
                    lang=sent.lang,
                    quoted_original=sent.quoted_original,
                    citations=list(sent.citations),
                    verified=bool(verdict and verdict.verified),
                    support=verdict.support if verdict else None,
                    reason=verdict.reason if verdict else "not verified",
                )
            )
    session.flush()
    return analysis


def write_story(
    session: Session,
    story: Story,
    personas: list[Persona],
    writer: Writer,
    *,
    persona_id: str | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> Analysis | None:
    """Route, brief, write, verify and store one story's analysis (None: already current)."""
    now = now or utcnow()
    articles = story_articles(session, story.id)
    counts, names = entity_counts(session, [a.id for a in articles])
    profile = story_profile(story, articles, counts, names)
    routing = route_story(profile, personas)
    lead_id = persona_id or routing.lead
    lead = next(p for p in personas if p.id == lead_id)
    prev = latest_analysis(session, story.id, lead.id)
    if is_current(story, prev) and not force:
        return None
    passages = source_passages(articles)
    disputes_found = dispute_briefs(refresh_claims(session, story.id, articles))
    watch = find_watch_items(
        [(p.passage_id, p.text, p.lang, p.published) for p in passages], now=None
    )
    perspective = next((p for p in personas if p.id == routing.perspective), None)
    brief = WritingBrief(
        story_id=story.id,
        persona_id=lead.id,
        persona_name=lead.byline,
        lens=lead.lens,
        voice=lead.voice,
        headline_hint=story.headline,
        passages=passages,
        new_passage_ids=new_passage_ids(
            session, story.id, prev.created_at if prev else None, story.last_seen
        ),
        context_passages=context_passages(session, story),
        disputes=disputes_found,
        watch=[w for w in watch if w.date > story.last_seen.date()],
        tags=story_tags(routing, lead, counts, names),
        target_lang="en",
        perspective_persona_id=perspective.id if perspective else None,
        perspective_lens=perspective.lens if perspective else None,
    )
    try:
        draft = writer.write(brief)
    except (LLMUnavailable, LLMBadResponse) as exc:
        # a model that is down or answers nonsense must not stop the newsroom: the extractive
        # writer needs no model, and its draft is verified the same way
        log.warning("story %s: %s; writing it extractively instead", story.id, exc)
        draft = ExtractiveWriter().write(brief)
    # SourcePassages (not bare texts) let verification check each attribution's outlet too
    texts: dict[str, SourcePassage | str] = {
        p.passage_id: p for p in passages + brief.context_passages
    }
    # headlines come from article titles, which are sources too
    texts.update({f"title:{a.id}": a.title for a in articles if a.title})
    outlets = len({a.outlet for a in articles if a.outlet})
    return store_analysis(
        session,
        draft,
        version=(prev.version + 1) if prev else 1,
        routing=routing,
        story=story,
        passages=texts,
        outlets=outlets,
        disputes_found=len(disputes_found),
        now=now,
    )


def run(
    store: Store,
    settings: Settings,
    *,
    writer: Writer | None = None,
    story_ids: list[int] | None = None,
    persona_id: str | None = None,
    min_outlets: int = 2,
    progress: Progress = null_progress,
) -> WriteReport:
    """Write or update the analysis of every story covered by at least `min_outlets` outlets."""
    writer = writer or writer_from_settings(settings)
    personas = load_personas(settings.personas_file)
    report = WriteReport()
    with store.reader() as s:
        stmt = select(Story.id, Story.outlets).where(Story.merged_into_id.is_(None))
        if story_ids:
            stmt = stmt.where(Story.id.in_(story_ids))
        todo = [sid for sid, outlets in s.execute(stmt) if len(outlets or []) >= min_outlets]
    progress.begin("write", len(todo))
    for sid in todo:
        with store.session() as s:
            story = s.get(Story, sid)
            if story is None:
                continue
            analysis = write_story(
                s,
                story,
                personas,
                writer,
                persona_id=persona_id,
                force=bool(story_ids),
            )
            if analysis is not None:
                report.written.append(analysis.id)
                report.sentences += len(analysis.sentences)
                report.unsupported += analysis.unsupported_count
        progress.step("write")
    return report
