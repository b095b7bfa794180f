"""The claims stage: a story's claims ledger re-extracted from its articles, and its developments.

Who said what, who denies or contradicts whom: statements are extracted from every passage of
the story's original articles in every language, linked into denials and contradictions, and
stored (replacing the story's previous ledger, with the same ids for the same statements). New
claims are recorded as developments of the story, once each, so re-running changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from newsdesk.claims.attribution import extract_claims
from newsdesk.claims.dispute import disputes
from newsdesk.claims.links import link_claims
from newsdesk.claims.model import ClaimSource, Dispute
from newsdesk.progress import Progress, null_progress
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    Claim,
    ClaimLink,
    Development,
    DevelopmentKind,
    Store,
    Story,
    utcnow,
)
from newsdesk.store.queries import story_articles

CLAIM_CHARS = 200
CONTESTED_CHARS = 80
NOTE_SEP = " — "


@dataclass
class ClaimsReport:
    """What one pass of the claims stage did."""

    stories: int = 0
    claims: int = 0
    disputes: int = 0
    developments: int = 0
    story_disputes: dict[int, list[Dispute]] = field(default_factory=dict)


def refresh_claims(
    session: Session, story_id: int, articles: Sequence[Article], now: dt.datetime | None = None
) -> list[Dispute]:
    """Re-extract the story's claims ledger into the store; returns its disputes."""
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
    record_claim_developments(session, story_id, [c.id for c in claims], now or utcnow())
    return disputes(claims, links)


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def claim_detail(claim: Claim) -> str:
    """The short line a claim development shows: '<speaker> <verb>: <content>'."""
    speaker = claim.speaker.strip() or "unattributed"
    return _clip(f"{speaker} {claim.verb.strip() or 'said'}: {claim.content}", CLAIM_CHARS)


def _contest_notes(session: Session, claims: Sequence[Claim]) -> dict[str, list[str]]:
    """For each claim that denies or contradicts another: 'denies <speaker>: <content>'."""
    ids = [c.id for c in claims]
    links = list(session.scalars(select(ClaimLink).where(ClaimLink.claim_id.in_(ids))))
    targets = {
        c.id: c
        for c in session.scalars(
            select(Claim).where(Claim.id.in_({link.contests_claim_id for link in links}))
        )
    }
    notes: dict[str, list[str]] = {}
    for link in sorted(links, key=lambda ln: (ln.claim_id, ln.contests_claim_id)):
        other = targets.get(link.contests_claim_id)
        if other is None:
            continue
        verb = "denies" if link.kind == "denial" else "contradicts"
        who = other.speaker.strip() or "an earlier account"
        notes.setdefault(link.claim_id, []).append(
            f"{verb} {who}: {_clip(other.content, CONTESTED_CHARS)}"
        )
    return notes


def record_claim_developments(
    session: Session, story_id: int, claim_ids: Iterable[str], now: dt.datetime
) -> int:
    """Record a claim development for each stored claim the story has not recorded yet.

    Claims are re-extracted (same ids, same text) whenever a story's ledger is refreshed, so a
    claim counts as recorded when a claim development of the story already names its passage
    and its '<speaker> <verb>: <content>' line: running this again records nothing new. Denials
    and contradictions the claim makes are noted after the line. Returns how many were added.
    """
    wanted = sorted(set(claim_ids))
    if not wanted:
        return 0
    claims = list(session.scalars(select(Claim).where(Claim.id.in_(wanted))))
    if not claims:
        return 0
    recorded: dict[str | None, list[str]] = {}
    for passage_id, detail in session.execute(
        select(Development.passage_id, Development.detail).where(
            Development.story_id == story_id, Development.kind == DevelopmentKind.CLAIM
        )
    ):
        recorded.setdefault(passage_id, []).append(detail)
    times = {
        art_id: published or fetched
        for art_id, published, fetched in session.execute(
            select(Article.id, Article.published_at, Article.fetched_at).where(
                Article.id.in_({c.article_id for c in claims})
            )
        )
    }
    notes = _contest_notes(session, claims)
    added = 0
    for claim in sorted(claims, key=lambda c: (times.get(c.article_id) or now, c.id)):
        line = claim_detail(claim)
        seen = recorded.get(claim.passage_id, [])
        if any(d == line or d.startswith(line + NOTE_SEP) for d in seen):
            continue
        contest = notes.get(claim.id, [])
        if not contest and claim.stance in ("deny", "dispute"):
            contest = [f"{claim.stance} (no earlier claim matched)"]
        detail = line + (NOTE_SEP + "; ".join(contest) if contest else "")
        session.add(
            Development(
                story_id=story_id,
                kind=DevelopmentKind.CLAIM,
                detected_at=times.get(claim.article_id) or now,
                article_id=claim.article_id,
                passage_id=claim.passage_id,
                detail=detail[:500],
                score=1.0 if contest else None,
            )
        )
        recorded.setdefault(claim.passage_id, []).append(line)
        added += 1
    if added:
        session.flush()
    return added


def run(
    store: Store,
    settings: Settings,
    *,
    story_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
    progress: Progress = null_progress,
) -> ClaimsReport:
    """Refresh the claims ledger of the given stories (default: every current story)."""
    report = ClaimsReport()
    with store.reader() as s:
        stmt = select(Story.id).where(Story.merged_into_id.is_(None))
        if story_ids is not None:
            stmt = stmt.where(Story.id.in_(list(story_ids)))
        todo = list(s.scalars(stmt.order_by(Story.id)))
    progress.begin("claims", len(todo))
    for sid in todo:
        with store.session() as s:
            found = refresh_claims(s, sid, story_articles(s, sid), now)
            report.stories += 1
            report.disputes += len(found)
            report.story_disputes[sid] = found
        progress.step("claims")
    return report
