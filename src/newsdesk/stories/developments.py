"""Developments: what is new in a story when an article joins it, and when a story breaks.

A passage is new when it brings a figure or an actor the story's earlier coverage (in any
language) did not have and its words are not contained in an earlier passage of the same
language. Figures are compared as normalised numbers and actors as entity ids, so a
translation or a rewrite of known facts does not count as news. New outlets, new languages and
new entities are recorded too, as are the claims of the story's ledger (who said what, with
the denials and contradictions they make), and a story whose article rate jumps against its own
baseline is flagged as breaking.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdesk.dedupe import shingle_containment
from newsdesk.settings import Settings
from newsdesk.store import (
    Article,
    Claim,
    ClaimLink,
    Development,
    DevelopmentKind,
    Entity,
    Mention,
    Passage,
    Story,
    StoryArticle,
)
from newsdesk.stories.features import extract_numbers

log = logging.getLogger(__name__)

PRIOR_PASSAGES = 400
MAX_NEW_PASSAGES = 4
NOTABLE_TYPES = ("person", "org", "place", "platform", "programme", "agreement")
CLAIM_CHARS = 200
CONTESTED_CHARS = 80
NOTE_SEP = " — "


@dataclass
class NewPassage:
    """A passage judged new, with the figures and actors that make it so."""

    passage: Passage
    new_numbers: set[str]
    new_entities: set[int]


def _story_article_ids(session: Session, story_id: int, exclude: int) -> list[int]:
    rows = session.scalars(
        select(StoryArticle.article_id)
        .join(Article, Article.id == StoryArticle.article_id)
        .where(StoryArticle.story_id == story_id, StoryArticle.article_id != exclude)
        .where(Article.duplicate_of_id.is_(None))
        .order_by(StoryArticle.assigned_at.desc())
    )
    return list(rows)


def _passage_entities(session: Session, article_ids: Sequence[int]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    if not article_ids:
        return out
    rows = session.execute(
        select(Mention.passage_id, Mention.entity_id).where(Mention.article_id.in_(article_ids))
    )
    for pid, eid in rows:
        if pid is not None:
            out.setdefault(pid, set()).add(eid)
    return out


def find_new_passages(
    session: Session, article: Article, story_id: int, *, limit: int = MAX_NEW_PASSAGES
) -> list[NewPassage]:
    """Passages of `article` that bring figures or actors the story had not reported."""
    prior_ids = _story_article_ids(session, story_id, article.id)
    if not prior_ids:
        return []
    prior = list(
        session.scalars(
            select(Passage)
            .where(Passage.article_id.in_(prior_ids))
            .order_by(Passage.article_id.desc(), Passage.position)
            .limit(PRIOR_PASSAGES)
        )
    )
    langs: dict[int, str | None] = {
        art_id: lang
        for art_id, lang in session.execute(
            select(Article.id, Article.language).where(Article.id.in_(prior_ids))
        )
    }
    known_numbers: set[str] = set()
    for p in prior:
        known_numbers |= extract_numbers(p.text)
    prior_entities = _passage_entities(session, prior_ids)
    known_entities = set().union(*prior_entities.values()) if prior_entities else set()
    mine = _passage_entities(session, [article.id])

    found: list[NewPassage] = []
    for p in article.passages:
        new_numbers = set(extract_numbers(p.text)) - known_numbers
        new_entities = mine.get(p.id, set()) - known_entities
        if not new_numbers and not new_entities:
            continue
        same_lang = [q for q in prior if langs.get(q.article_id) == article.language]
        if any(shingle_containment(p.text, q.text) >= 0.6 for q in same_lang):
            continue
        found.append(NewPassage(p, new_numbers, new_entities))
    found.sort(key=lambda n: (-(len(n.new_numbers) + len(n.new_entities)), n.passage.position))
    return found[:limit]


def show_numbers(numbers: set[str]) -> list[str]:
    """Normalised figures ('2.1e+06', '4500') as readers write them, smallest first."""
    shown: list[tuple[float, str]] = []
    for text in numbers:
        try:
            value = float(text)
        except ValueError:
            shown.append((float("inf"), text))
            continue
        size = abs(value)
        if size >= 1e9:
            label = f"{value / 1e9:g} billion"
        elif size >= 1e6:
            label = f"{value / 1e6:g} million"
        elif size >= 1000 and value == int(value):
            label = f"{int(value):,}"
        else:
            label = f"{value:g}"
        shown.append((value, label))
    return [label for _, label in sorted(shown)]


def record_developments(
    session: Session, story: Story, article: Article, *, is_new_story: bool, now: dt.datetime
) -> list[Development]:
    """Write the developments `article` brings to `story` (call before updating the story)."""
    if article.duplicate_of_id is not None:
        return []  # a syndicated copy adds an outlet below, nothing else
    devs: list[Development] = []
    when = article.published_at or now
    if is_new_story:
        devs.append(
            Development(
                story_id=story.id,
                kind=DevelopmentKind.PASSAGE,
                detected_at=when,
                article_id=article.id,
                passage_id=article.passages[0].id if article.passages else None,
                detail=f"first report: {article.title}"[:500],
            )
        )
    else:
        for new in find_new_passages(session, article, story.id):
            reasons = []
            if new.new_numbers:
                reasons.append("new figures " + ", ".join(show_numbers(new.new_numbers)[:4]))
            if new.new_entities:
                names = session.scalars(
                    select(Entity.name).where(Entity.id.in_(sorted(new.new_entities)))
                ).all()
                reasons.append("new actors " + ", ".join(names[:4]))
            devs.append(
                Development(
                    story_id=story.id,
                    kind=DevelopmentKind.PASSAGE,
                    detected_at=when,
                    article_id=article.id,
                    passage_id=new.passage.id,
                    detail="; ".join(reasons),
                )
            )
        if article.language and article.language not in (story.languages or []):
            devs.append(
                Development(
                    story_id=story.id,
                    kind=DevelopmentKind.LANGUAGE,
                    detected_at=when,
                    article_id=article.id,
                    detail=f"first coverage in {article.language}",
                )
            )
        known = set(story.entity_ids or [])
        mentioned = session.execute(
            select(Mention.entity_id, Entity.name, Entity.type)
            .join(Entity, Entity.id == Mention.entity_id)
            .where(Mention.article_id == article.id, Entity.type.in_(NOTABLE_TYPES))
            .distinct()
        ).all()
        for eid, name, etype in mentioned:
            if eid not in known:
                devs.append(
                    Development(
                        story_id=story.id,
                        kind=DevelopmentKind.ENTITY,
                        detected_at=when,
                        article_id=article.id,
                        entity_id=eid,
                        detail=f"{etype} {name} enters the story",
                    )
                )
    session.add_all(devs)
    return devs


def record_outlet(session: Session, story: Story, article: Article, now: dt.datetime) -> None:
    """A development when an outlet covers the story for the first time."""
    if article.outlet and article.outlet not in (story.outlets or []) and story.article_count:
        session.add(
            Development(
                story_id=story.id,
                kind=DevelopmentKind.OUTLET,
                detected_at=article.published_at or now,
                article_id=article.id,
                detail=f"{article.outlet} covers the story"
                + (" (syndicated copy)" if article.duplicate_of_id else ""),
            )
        )


def update_breaking(session: Session, story: Story, settings: Settings, now: dt.datetime) -> bool:
    """Flag the story as breaking when its recent article rate jumps against its own baseline."""
    window = dt.timedelta(hours=settings.breaking_window_hours)
    times = [
        t
        for t in session.scalars(
            select(func.coalesce(Article.published_at, Article.fetched_at))
            .join(StoryArticle, StoryArticle.article_id == Article.id)
            .where(StoryArticle.story_id == story.id)
        )
        if t is not None
    ]
    if not times:
        return False
    latest = max(times)
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=dt.UTC)
    recent = [t for t in times if _aware(t) > latest - window]
    earlier = [_aware(t) for t in times if _aware(t) <= latest - window]
    if earlier:
        span_h = max((latest - window - min(earlier)).total_seconds() / 3600, 24.0)
        baseline = len(earlier) / span_h * settings.breaking_window_hours
    else:
        baseline = 0.5  # a new story: one article every other window is its baseline
    breaking = len(recent) >= settings.breaking_min_articles and len(
        recent
    ) >= settings.breaking_ratio * max(baseline, 0.5)
    if breaking and not story.breaking:
        session.add(
            Development(
                story_id=story.id,
                kind=DevelopmentKind.BREAKING,
                detected_at=latest,
                detail=f"{len(recent)} articles in {settings.breaking_window_hours:g} h "
                f"against a baseline of {baseline:.1f}",
                score=len(recent) / max(baseline, 0.5),
            )
        )
    story.breaking = breaking
    return breaking


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def developments_since(
    session: Session, story_id: int, since: dt.datetime | None = None
) -> list[Development]:
    """A story's developments after `since` (all when None), oldest first."""
    stmt = select(Development).where(Development.story_id == story_id)
    if since is not None:
        stmt = stmt.where(Development.detected_at > since)
    return list(session.scalars(stmt.order_by(Development.detected_at, Development.id)))


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
