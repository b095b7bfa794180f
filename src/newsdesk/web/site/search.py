"""Full-text search over published analyses and stories: SQLite FTS5 or PostgreSQL tsvector.

The index lives in the `search_index` table (migration 0005). It keeps itself current: every
search first compares what is indexed (by a stamp per row) with what is public and re-indexes
the difference, so no other stage has to call this module.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from newsdesk.publish.gate import VISITOR, gate_analysis, gate_fingerprint
from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, Article, Story, StoryArticle
from newsdesk.store.queries import newest_published_analyses

log = logging.getLogger(__name__)

KIND_ANALYSIS = "analysis"
KIND_STORY = "story"
# snippet markers: control characters never left in indexed text, swapped for <mark> on output
_START, _STOP = "\x02", "\x03"
_MARKERS = re.compile("[\x02\x03]")
_TERM = re.compile(r"\w+")
_MAX_TERMS = 12
# the gate of a site with no members-only text (the library default)
_OPEN = Settings.model_construct()


@dataclass
class SearchHit:
    """One search result: what it is, its id, its title and a highlighted snippet."""

    kind: str
    ref_id: int
    title: str
    snippet: Markup
    score: float

    @property
    def url(self) -> str:
        return (
            f"/analyses/{self.ref_id}" if self.kind == KIND_ANALYSIS else f"/stories/{self.ref_id}"
        )


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _clean(value: str) -> str:
    return _MARKERS.sub(" ", value or "")


def analysis_stamp(analysis: Analysis, settings: Settings | None = None) -> str:
    """What identifies the indexed state of an analysis (a desk edit changes updated_at, and
    a change of what is members-only changes the gate's part)."""
    gate = gate_fingerprint(settings or _OPEN)
    return f"{analysis.status}:{analysis.updated_at.isoformat()}:{gate}"


def _story_stamp(updated_at: object, count: int, headline: str) -> str:
    digest = hashlib.sha256(headline.encode()).hexdigest()[:12]
    return f"{updated_at}:{count}:{digest}"


def _delete(session: Session, kind: str, ref_id: int) -> None:
    session.execute(
        text("DELETE FROM search_index WHERE kind = :kind AND ref_id = :ref_id"),
        {"kind": kind, "ref_id": ref_id},
    )


def _insert(session: Session, kind: str, ref_id: int, stamp: str, title: str, body: str) -> None:
    values = {"kind": kind, "ref_id": ref_id, "stamp": stamp, "title": _clean(title), "body": body}
    insert = (
        "INSERT INTO search_index (kind, ref_id, stamp, title, body) "
        "VALUES (:kind, :ref_id, :stamp, :title, :body)"
    )
    if _is_sqlite(session):
        # FTS5 has no unique keys: replace by deleting first (SQLite serialises writers)
        _delete(session, kind, ref_id)
        session.execute(text(insert), values)
        return
    # two searches indexing the same row at once must not fail on the unique key
    session.execute(
        text(
            insert + " ON CONFLICT (kind, ref_id) DO UPDATE SET stamp = excluded.stamp, "
            "title = excluded.title, body = excluded.body"
        ),
        values,
    )


def index_analysis(session: Session, analysis: Analysis, settings: Settings | None = None) -> None:
    """Index a published analysis (headline, dek, the sentences any visitor may read, tags);
    unindex any other. Members-only text is never indexed, so no snippet can show it."""
    if analysis.status != AnalysisStatus.PUBLISHED:
        _delete(session, KIND_ANALYSIS, analysis.id)
        return
    visible = gate_analysis(analysis.sentences, settings or _OPEN, VISITOR).visible
    body = "\n".join(
        [_clean(analysis.dek)]
        + [_clean(s.text) for s in visible]
        + [_clean(t) for t in analysis.tags or []]
    )
    stamp = analysis_stamp(analysis, settings)
    _insert(session, KIND_ANALYSIS, analysis.id, stamp, analysis.headline, body)


def index_story(session: Session, story: Story) -> None:
    """Index a story under its headline with the titles of its articles as the body."""
    titles = session.scalars(
        select(Article.title)
        .join(StoryArticle, StoryArticle.article_id == Article.id)
        .where(StoryArticle.story_id == story.id)
        .order_by(Article.published_at, Article.id)
    ).all()
    body = "\n".join(_clean(t) for t in titles if t)
    stamp = _story_stamp(story.updated_at.isoformat(), story.article_count, story.headline)
    _insert(session, KIND_STORY, story.id, stamp, story.headline, body)


def _wanted_analyses(session: Session, settings: Settings | None) -> dict[int, str]:
    # only the newest published version of each story+persona is searchable
    rows = session.execute(
        newest_published_analyses().with_only_columns(
            Analysis.id, Analysis.status, Analysis.updated_at
        )
    )
    gate = gate_fingerprint(settings or _OPEN)
    return {aid: f"{status}:{updated.isoformat()}:{gate}" for aid, status, updated in rows}


def _wanted_stories(session: Session) -> dict[int, str]:
    rows = session.execute(
        select(Story.id, Story.updated_at, Story.article_count, Story.headline).where(
            Story.merged_into_id.is_(None)
        )
    )
    return {sid: _story_stamp(up.isoformat(), count, head or "") for sid, up, count, head in rows}


def sync_index(session: Session, settings: Settings | None = None) -> int:
    """Bring the index in line with what is public; returns how many rows were (re)indexed."""
    have: Counter[tuple[str, int]] = Counter()
    stamps: dict[tuple[str, int], str] = {}
    for kind, ref_id, stamp in session.execute(
        text("SELECT kind, ref_id, stamp FROM search_index")
    ):
        key = (str(kind), int(ref_id))
        have[key] += 1
        stamps[key] = str(stamp)
    wanted = {(KIND_ANALYSIS, k): v for k, v in _wanted_analyses(session, settings).items()}
    wanted |= {(KIND_STORY, k): v for k, v in _wanted_stories(session).items()}
    for key in have:
        if key not in wanted:
            _delete(session, *key)
    # two processes indexing at once may both insert a row: a count above one re-indexes it
    stale = [k for k, stamp in wanted.items() if stamps.get(k) != stamp or have[k] != 1]
    analysis_ids = [ref for kind, ref in stale if kind == KIND_ANALYSIS]
    story_ids = [ref for kind, ref in stale if kind == KIND_STORY]
    for analysis in session.scalars(
        select(Analysis)
        .where(Analysis.id.in_(analysis_ids))
        .options(selectinload(Analysis.sentences))
    ):
        index_analysis(session, analysis, settings)
    for story in session.scalars(select(Story).where(Story.id.in_(story_ids))):
        index_story(session, story)
    if stale:
        log.info("search index: %d row(s) re-indexed", len(stale))
    return len(stale)


def query_terms(q: str) -> list[str]:
    """The words of a reader's query; punctuation and search-syntax characters dropped."""
    return _TERM.findall(q.lower())[:_MAX_TERMS]


def _highlight(snippet: str) -> Markup:
    escaped = str(escape(snippet))
    return Markup(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


# (kind, ref_id, title, snippet, score) as the database returns them
_Row = tuple[Any, Any, Any, Any, float]


def _search_sqlite(session: Session, terms: list[str], limit: int) -> list[_Row]:
    # each term quoted: a reader's words are never FTS5 syntax; adjacent terms mean AND
    match = "{title body}: (" + " ".join(f'"{t}"' for t in terms) + ")"
    rows = session.execute(
        text(
            "SELECT kind, ref_id, title, "
            "snippet(search_index, -1, :start, :stop, '…', 24) AS snip, "
            "bm25(search_index, 0.0, 0.0, 0.0, 5.0, 1.0) AS score "
            "FROM search_index WHERE search_index MATCH :match ORDER BY score LIMIT :limit"
        ),
        {"match": match, "start": _START, "stop": _STOP, "limit": limit},
    )
    return [(k, r, t, s, -float(sc)) for k, r, t, s, sc in rows]


def _search_postgres(session: Session, terms: list[str], limit: int) -> list[_Row]:
    rows = session.execute(
        text(
            "SELECT kind, ref_id, title, "
            "ts_headline('simple', title || ' ' || body, query, :opts) AS snip, "
            "ts_rank(tsv, query) AS score "
            "FROM search_index, plainto_tsquery('simple', :q) AS query "
            "WHERE tsv @@ query ORDER BY score DESC, ref_id DESC LIMIT :limit"
        ),
        {
            "q": " ".join(terms),
            "opts": f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12",
            "limit": limit,
        },
    )
    return [(k, r, t, s, float(sc)) for k, r, t, s, sc in rows]


def search(
    session: Session, q: str, limit: int = 20, settings: Settings | None = None
) -> list[SearchHit]:
    """Published analyses and stories matching every word of `q`, best first (only text any
    visitor may read is indexed: pass the site's settings so the members-only gate applies)."""
    terms = query_terms(q)
    if not terms:
        return []
    sync_index(session, settings)
    search_rows = _search_sqlite if _is_sqlite(session) else _search_postgres
    hits: list[SearchHit] = []
    seen: set[tuple[str, int]] = set()
    for kind, ref_id, title, snip, score in search_rows(session, terms, limit):
        key = (str(kind), int(ref_id))
        if key in seen:
            continue
        seen.add(key)
        hits.append(SearchHit(key[0], key[1], str(title), _highlight(str(snip or "")), score))
    return hits
