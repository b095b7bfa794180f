"""store/queries.py: the queries the site, the API and the stages share, on every database."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Analysis, AnalysisStatus, Store, Story
from newsdesk.store.queries import (
    newest_published_analyses,
    published_counts_by_persona,
    published_tag_counts,
)

T0 = dt.datetime(2026, 11, 9, 8, 0, tzinfo=dt.UTC)


def _analysis(story: int, persona: str, version: int, status: str, tags: list[str]) -> Analysis:
    return Analysis(
        story_id=story,
        persona_id=persona,
        version=version,
        status=status,
        headline=f"Invented analysis {story}/{persona} v{version}",
        byline="Invented Analyst",
        writer="extractive",
        tags=tags,
        published_at=T0 + dt.timedelta(hours=version),
    )


def _seed(store: Store) -> None:
    with store.session() as s:
        for sid in (1, 2):
            s.add(Story(id=sid, headline=f"Invented story {sid}", first_seen=T0, last_seen=T0))
        s.flush()
        s.add_all(
            [
                # story 1, one persona, two published versions: counts once
                _analysis(1, "europe-sanctions", 1, AnalysisStatus.PUBLISHED, ["europe", "ports"]),
                _analysis(1, "europe-sanctions", 2, AnalysisStatus.PUBLISHED, ["europe"]),
                _analysis(2, "europe-sanctions", 1, AnalysisStatus.PUBLISHED, ["energy"]),
                _analysis(2, "markets-trade", 1, AnalysisStatus.PUBLISHED, ["europe"]),
                _analysis(2, "markets-trade", 2, AnalysisStatus.NEEDS_REVIEW, ["held"]),
            ]
        )


def test_current_versions_only(store: Store) -> None:
    _seed(store)
    with store.reader() as s:
        current = list(s.scalars(newest_published_analyses()))
        assert [(a.story_id, a.persona_id, a.version) for a in current] == [
            (1, "europe-sanctions", 2),
            (2, "markets-trade", 1),
            (2, "europe-sanctions", 1),
        ]
        assert published_tag_counts(s) == [("europe", 2), ("energy", 1)]
        assert published_counts_by_persona(s) == {"europe-sanctions": 2, "markets-trade": 1}


def test_site_and_api_count_alike(store: Store, settings: Settings) -> None:
    """The /tags and /personas pages and their API twins read the same shared queries."""
    from newsdesk.web.app import create_app

    _seed(store)
    app = create_app(settings.model_copy(update={"dev_mode": True}), store)
    with TestClient(app) as client:
        tags = client.get("/api/v1/tags").json()
        assert tags == [{"tag": "europe", "count": 2}, {"tag": "energy", "count": 1}]
        personas = {p["id"]: p["published_analyses"] for p in client.get("/api/v1/personas").json()}
        assert personas["europe-sanctions"] == 2 and personas["markets-trade"] == 1
        page = client.get("/tags").text
        # an older version's tag is gone; the counts match the API
        assert '">europe</a> <span class="muted">2</span>' in page
        assert '">ports</a>' not in page
