"""The write stage: route each developed story to its persona, brief the writer, verify, store.

A story gets an analysis once two or more outlets cover it; it gets a new version when it has
developed since the persona's last analysis. Each analysis is verified sentence by sentence
against its cited passages before it is stored; what decides auto-publishing versus the desk
is the desk's policy (newsdesk.desk.policy): its rule and reasons are recorded on the analysis,
and the decision goes into the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from newsdesk.claims import ClaimSource, disputes, extract_claims, link_claims
from newsdesk.desk.audit import record_event
from newsdesk.desk.policy import evaluate_policy, policy_tags
from newsdesk.embed.stage import vector_from_bytes
from newsdesk.llm.base import LLMBadResponse, LLMUnavailable
from newsdesk.personas import Persona, load_personas, route_story
from newsdesk.personas.routing import Routing, StoryProfile
from newsdesk.progress import Progress, null_progress
from newsdesk.provenance import original_passages, story_articles
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    Claim,
    ClaimLink,
    Development,
    DevelopmentKind,
    Entity,
    Mention,
    Store,
    Story,
    utcnow,
)
from newsdesk.stories.developments import record_claim_developments
from newsdesk.verify import verify_draft
from newsdesk.watch import find_watch_items
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

log = logging.getLogger(__name__)

MAX_PASSAGES = 400
COUNTRY_KEY_LEN = len("place:XX")


@dataclass
class WriteReport:
    """What one pass of the write stage did."""

    written: list[int] = field(default_factory=list)
    published: int = 0
    needs_review: int = 0
    sentences: int = 0
    unsupported: int = 0


# -- the story as the writer sees it -------------------------------------------------------


def source_passages(articles: list[Article]) -> list[SourcePassage]:
    """Citable passages of the story's original articles (copies add outlets, not text)."""
    return original_passages(articles)[:MAX_PASSAGES]


def refresh_claims(session: Session, story_id: int, articles: list[Article]) -> list[DisputeBrief]:
    """Re-extract the story's claims ledger into the store; returns its disputes for the writer."""
    ids = [a.id for a in articles]
    old = select(Claim.id).where(Claim.article_id.in_(ids))
    session.execute(delete(ClaimLink).where(ClaimLink.claim_id.in_(old)))
    session.execute(delete(ClaimLink).where(ClaimLink.contests_claim_id.in_(old)))
    session.execute(delete(Claim).where(Claim.article_id.in_(ids)))
    sources = [
        ClaimSource(
            passage_id=p.id,
            text=p.text,
            lang=a.language or "en",
            article_id=str(a.id),
            outlet=a.outlet,
            published=a.published_at,
        )
        for a in articles
        if a.duplicate_of_id is None
        for p in a.passages
    ]
    outlets = sorted({a.outlet for a in articles if a.outlet})
    claims = extract_claims(sources, outlet_names=outlets)
    links = link_claims(claims)
    for c in claims:
        session.add(
            Claim(
                id=c.id,
                story_id=story_id,
                article_id=int(c.article_id),
                passage_id=c.passage_id,
                outlet=c.outlet,
                lang=c.lang,
                speaker=c.speaker,
                speaker_kind=str(c.speaker_kind),
                according_to=c.according_to,
                verb=c.verb,
                stance=str(c.stance),
                content=c.content,
                hedged=c.hedged,
                numbers=[q.text for q in c.numbers],
            )
        )
    session.flush()
    for link in links:
        session.add(
            ClaimLink(
                claim_id=link.claim_id,
                contests_claim_id=link.contests_claim_id,
                kind=str(link.kind),
                reason=link.reason,
                score=link.score,
            )
        )
    session.flush()
    # new statements, denials and contradictions are developments of the story too
    record_claim_developments(session, story_id, [c.id for c in claims], utcnow())
    briefs = []
    for d in disputes(claims, links):
        briefs.append(
            DisputeBrief(
                summary=d.summary,
                passage_ids=list(d.passage_ids),
                claim_passage_ids=[d.claim.passage_id] + [c.passage_id for c in d.supporting],
                contesting_passage_ids=[c.passage_id for c in d.contesting],
            )
        )
    return briefs


def entity_counts(session: Session, article_ids: list[int]) -> tuple[Counter[str], dict[str, str]]:
    """Mentions per entity key in the articles, and each key's display name."""
    rows = session.execute(
        select(Entity.key, Entity.name, func.count())
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Mention.article_id.in_(article_ids))
        .group_by(Entity.key, Entity.name)
    ).all()
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for key, name, n in rows:
        counts[key] += n
        names[key] = name
    return counts, names


def story_profile(
    story: Story, articles: list[Article], counts: Counter[str], names: dict[str, str]
) -> StoryProfile:
    """What routing needs: texts, languages, countries and entities of the story."""
    originals = [a for a in articles if a.duplicate_of_id is None]
    countries = {k[-2:] for k in counts if k.startswith("place:") and len(k) == COUNTRY_KEY_LEN}
    return StoryProfile(
        story_id=str(story.id),
        headline=story.headline,
        texts=[f"{a.title}\n{a.text[:3000]}" for a in originals],
        languages=[a.language for a in originals],
        countries=countries,
        entities=dict(counts),
        entity_names=list(names.values()),
        centroid=vector_from_bytes(story.centroid) if story.centroid else None,
    )


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
    settings: Settings | None = None,
    tags: list[str] | None = None,
) -> Analysis:
    """Verify a draft, apply the desk policy, store it with its sentences and verdicts.

    `tags` are what the policy's sensitive_tags rule matches (default: the draft's tags);
    `settings` defaults to the built-in policy.
    """
    settings = settings if settings is not None else Settings.model_construct()
    check = verify_draft(draft, passages)
    decision = evaluate_policy(
        settings,
        unsupported=check.unsupported_count,
        headline_ok=check.headline.verified,
        dek_ok=check.dek.verified,
        outlets=outlets,
        disputes=disputes_found,
        tags=tags if tags is not None else policy_tags(draft.tags),
        headline_reason=check.headline.reason,
        dek_reason=check.dek.reason,
    )
    held = decision.hold
    analysis = Analysis(
        story_id=story.id,
        persona_id=draft.persona_id,
        perspective_persona_id=routing.perspective,
        version=version,
        status=AnalysisStatus.NEEDS_REVIEW if held else AnalysisStatus.PUBLISHED,
        headline=draft.headline,
        dek=draft.dek,
        byline=draft.byline,
        tags=draft.tags,
        writer=draft.writer,
        model=draft.model,
        routing={"explanation": routing.explain(), "lead": routing.lead},
        review_reasons=list(decision.reasons),
        policy_rule=decision.rule,
        verified=check.all_verified,
        unsupported_count=check.unsupported_count,
        story_last_seen=story.last_seen,
        created_at=now,
        updated_at=now,
        published_at=None if held else now,
    )
    session.add(analysis)
    session.flush()
    record_event(
        session,
        None,
        "hold" if held else "auto_publish",
        "analysis",
        analysis.id,
        {
            "story_id": story.id,
            "persona_id": draft.persona_id,
            "version": version,
            "rule": decision.rule,
            "reasons": list(decision.reasons),
            "unsupported": check.unsupported_count,
        },
    )
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
    settings: Settings | None = None,
) -> Analysis | None:
    """Route, brief, write, verify and store one story's analysis (None: already current).

    `settings` supplies the desk policy (default: the built-in policy).
    """
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
    disputes_found = refresh_claims(session, story.id, articles)
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
        settings=settings,
        tags=policy_tags(draft.tags, counts),
    )


def run_write_stage(
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
                settings=settings,
            )
            if analysis is not None:
                report.written.append(analysis.id)
                report.sentences += len(analysis.sentences)
                report.unsupported += analysis.unsupported_count
                if analysis.status == AnalysisStatus.PUBLISHED:
                    report.published += 1
                else:
                    report.needs_review += 1
        progress.step("write")
    return report
