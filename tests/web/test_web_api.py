"""The JSON API over a real SQLite store: public reads, drafts hidden, token-only desk actions.

Every news-like text below is INVENTED (Varnholm, the outlets and people are fictional).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.accounts.tokens import (
    TokenRoleTooHigh,
    create_api_token,
    hash_token,
    revoke_api_token,
    user_for_token,
)
from newsdesk.settings import load_settings
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    ApiToken,
    Article,
    AuditEvent,
    Entity,
    EntityAlias,
    FetchLog,
    Mention,
    Passage,
    Role,
    Snapshot,
    Source,
    Store,
    Story,
    StoryArticle,
    User,
    passage_id,
)
from newsdesk.web import create_app
from newsdesk.web.api import public_url

DAY = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
HOSTILE = "<script>alert(1)</script>"

# INVENTED articles: (outlet, language, hours after DAY, title, passages)
ARTICLES = [
    (
        "Varnholm Courier",
        "en",
        0,
        "Varnholm bridge closed after crack found",
        [
            "Engineers closed the invented Varnholm bridge on Monday after finding a crack.",
            "The city council said repairs would take three weeks.",
        ],
    ),
    (
        "Gazette de Varnholm",
        "fr",
        4,
        "Le pont de Varnholm fermé",
        ["Le conseil municipal a fermé le pont de Varnholm lundi, selon la mairie."],
    ),
]


@dataclass
class World:
    """Ids of the invented rows the tests use."""

    story_id: int
    empty_story_id: int
    published_id: int
    retracted_id: int
    draft_id: int
    entity_id: int
    merged_entity_id: int
    first_sentence_id: int
    snapshot_id: int


def _analysis(
    s: Session, story: Story, persona: str, version: int, status: str, cite: list[str]
) -> Analysis:
    a = Analysis(
        story_id=story.id,
        persona_id=persona,
        version=version,
        status=status,
        headline=f"Invented analysis v{version} ({status})",
        dek="An invented dek.",
        byline="Invented Analyst",
        tags=["infrastructure", "europe"] if status != AnalysisStatus.DRAFT else ["draft-only"],
        writer="extractive",
        verified=True,
        created_at=DAY + dt.timedelta(hours=8 + version),
        updated_at=DAY + dt.timedelta(hours=8 + version),
        published_at=DAY + dt.timedelta(hours=9 + version)
        if status in (AnalysisStatus.PUBLISHED, AnalysisStatus.RETRACTED)
        else None,
        corrections=[{"at": DAY.isoformat(), "by": "ed", "note": "Invented.", "kind": "retraction"}]
        if status == AnalysisStatus.RETRACTED
        else [],
    )
    s.add(a)
    s.flush()
    s.add_all(
        [
            AnalysisSentence(
                analysis_id=a.id,
                section="what_happened",
                section_order=0,
                position=0,
                text="Engineers closed the invented Varnholm bridge on Monday after finding a "
                "crack.",
                lang="en",
                citations=[cite[0]],
                verified=True,
                support=1.0,
            ),
            AnalysisSentence(
                analysis_id=a.id,
                section="context",
                section_order=1,
                position=0,
                text="Le conseil municipal a fermé le pont de Varnholm lundi, selon la mairie.",
                lang="fr",
                quoted_original=True,
                citations=cite[1:],
                verified=True,
                support=1.0,
            ),
        ]
    )
    s.flush()
    return a


def _build(s: Session) -> World:
    story = Story(
        headline="Invented: Varnholm bridge closed",
        first_seen=DAY,
        last_seen=DAY + dt.timedelta(hours=4),
        article_count=2,
        languages=["en", "fr"],
        outlets=["Gazette de Varnholm", "Varnholm Courier"],
    )
    empty = Story(headline="Invented: a quiet story", first_seen=DAY, last_seen=DAY)
    s.add_all([story, empty])
    s.flush()
    snap = Snapshot(
        url="https://courier.invented.example/bridge", sha256="0" * 64, size=4, data=b"gzip"
    )
    s.add(snap)
    s.flush()
    src = Source(
        url="https://user:hunter2@courier.invented.example/feed?api_key=SECRET&lang=en",
        outlet="Varnholm Courier",
        language_hint="en",
        error_count=2,
    )
    s.add(src)
    s.flush()
    s.add_all(
        [
            FetchLog(source_id=src.id, url=src.url, outcome="ok"),
            FetchLog(source_id=src.id, url=src.url, outcome="error", reason="timeout"),
        ]
    )
    pids: list[str] = []
    bridge = Entity(key="place:varnholm", name="Varnholm", type="place", mention_count=3)
    alias_ent = Entity(key="place:varnholm-2", name="Varnholm town", type="place")
    council = Entity(key="org:council", name=HOSTILE, type="org", mention_count=1)
    s.add_all([bridge, alias_ent, council])
    s.flush()
    alias_ent.merged_into_id = bridge.id
    s.add(EntityAlias(entity_id=bridge.id, alias="Varnholm", normalized="varnholm", lang="en"))
    for n, (outlet, lang, hours, title, texts) in enumerate(ARTICLES):
        art = Article(
            url=f"https://invented.example/{n}",
            title=title,
            outlet=outlet,
            language=lang,
            published_at=DAY + dt.timedelta(hours=hours),
            content_hash=f"h{n}",
            text=" ".join(texts),
            snapshot_id=snap.id if n == 0 else None,
            source_id=src.id if n == 0 else None,
        )
        s.add(art)
        s.flush()
        s.add(StoryArticle(article_id=art.id, story_id=story.id))
        for pos, text in enumerate(texts):
            pid = passage_id(art.id, pos)
            s.add(
                Passage(
                    id=pid,
                    article_id=art.id,
                    position=pos,
                    text=text,
                    char_start=0,
                    char_end=len(text),
                )
            )
            s.flush()
            pids.append(pid)
            s.add(
                Mention(
                    article_id=art.id,
                    entity_id=alias_ent.id if n == 1 else bridge.id,
                    passage_id=pid,
                    text="Varnholm",
                    char_start=0,
                    char_end=8,
                )
            )
    s.add(
        Mention(
            article_id=int(pids[1].split(":")[0]),
            entity_id=council.id,
            passage_id=pids[1],
            text="council",
            char_start=0,
            char_end=7,
        )
    )
    published = _analysis(s, story, "europe-desk", 1, AnalysisStatus.PUBLISHED, [pids[0], pids[2]])
    retracted = _analysis(s, story, "europe-desk", 2, AnalysisStatus.RETRACTED, [pids[0], pids[2]])
    draft = _analysis(s, story, "europe-desk", 3, AnalysisStatus.NEEDS_REVIEW, [pids[0], pids[2]])
    return World(
        story_id=story.id,
        empty_story_id=empty.id,
        published_id=published.id,
        retracted_id=retracted.id,
        draft_id=draft.id,
        entity_id=bridge.id,
        merged_entity_id=alias_ent.id,
        first_sentence_id=draft.sentences[0].id,
        snapshot_id=snap.id,
    )


@pytest.fixture
def world(store: Store) -> World:
    """The invented story, its analyses and entities."""
    with store.session() as s:
        return _build(s)


@pytest.fixture
def client(tmp_path: Path, store: Store, world: World) -> Iterator[TestClient]:
    """An in-process client of the whole app over the store."""
    app = create_app(load_settings(data_dir=tmp_path, dev_mode=True), store)
    with TestClient(app) as c:
        yield c


def _user(store: Store, username: str, role: str, disabled: bool = False) -> int:
    with store.session() as s:
        user = User(
            username=username, password_hash="not-a-real-hash", role=role, disabled=disabled
        )
        s.add(user)
        s.flush()
        return user.id


def _token(store: Store, username: str, user_role: str, token_role: str | None = None) -> str:
    uid = _user(store, username, user_role)
    with store.session() as s:
        user = s.get(User, uid)
        assert user is not None
        _, plaintext = create_api_token(s, user, f"{username}-token", token_role or user_role)
        return plaintext


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- public reads -------------------------------------------------------------------------


def test_stories_are_paged_and_detailed(client: TestClient, world: World) -> None:
    page = client.get("/api/v1/stories", params={"limit": 1}).json()
    assert page["total"] == 2 and page["limit"] == 1 and len(page["items"]) == 1
    first = page["items"][0]
    assert first["id"] == world.story_id  # most recently active first
    assert first["languages"] == ["en", "fr"] and first["article_count"] == 2
    assert set(first) >= {"headline", "outlets", "first_seen", "last_seen", "breaking"}
    second = client.get("/api/v1/stories", params={"limit": 1, "offset": 1}).json()
    assert [x["id"] for x in second["items"]] == [world.empty_story_id]
    assert client.get("/api/v1/stories", params={"limit": 0}).status_code == 422

    story = client.get(f"/api/v1/stories/{world.story_id}").json()
    assert [a["outlet"] for a in story["articles"]] == ["Varnholm Courier", "Gazette de Varnholm"]
    # the merged entity's mention counts under its target
    ents = {e["name"]: e["mentions"] for e in story["entities"]}
    assert ents == {"Varnholm": 3, HOSTILE: 1}
    assert story["published_analysis_ids"] == [world.published_id]
    assert {a["id"] for a in story["analyses"]} == {world.published_id, world.retracted_id}
    assert client.get("/api/v1/stories/9999").status_code == 404


def test_analysis_citations_are_resolved(client: TestClient, world: World) -> None:
    listed = client.get("/api/v1/analyses").json()
    assert listed["total"] == 2
    assert [a["id"] for a in listed["items"]] == [world.retracted_id, world.published_id]
    a = client.get(f"/api/v1/analyses/{world.published_id}").json()
    assert [s["key"] for s in a["sections"]] == ["what_happened", "context"]
    assert a["sections"][0]["title"] == "What happened"
    cite = a["sections"][0]["sentences"][0]["citations"][0]
    assert cite["text"].startswith("Engineers closed the invented Varnholm bridge")
    assert cite["article_url"] == "https://invented.example/0"
    assert cite["outlet"] == "Varnholm Courier" and cite["language"] == "en"
    assert cite["published_at"].startswith("2026-03-02T08:00")
    assert cite["snapshot"] == {
        "id": world.snapshot_id,
        "url": "https://courier.invented.example/bridge",
    }
    fr = a["sections"][1]["sentences"][0]
    assert fr["quoted_original"] is True and fr["citations"][0]["language"] == "fr"
    assert fr["citations"][0]["snapshot"] is None
    assert a["rejected_reason"] is None and a["scheduled_at"] is None
    retracted = client.get(f"/api/v1/analyses/{world.retracted_id}").json()
    assert retracted["status"] == "retracted"
    assert retracted["corrections"][0]["kind"] == "retraction"


def test_analysis_filters(client: TestClient, world: World) -> None:
    def ids(**params: object) -> list[int]:
        body = client.get("/api/v1/analyses", params=params).json()
        return [a["id"] for a in body["items"]]

    assert ids(persona="europe-desk", limit=1) == [world.retracted_id]
    assert ids(persona="nobody") == []
    assert ids(tag="infrastructure", offset=1) == [world.published_id]
    assert ids(tag="draft-only") == []
    assert ids(status="published") == [world.published_id]
    assert ids(story_id=world.empty_story_id) == []
    assert client.get("/api/v1/analyses", params={"status": "bogus"}).status_code == 422


def test_sources_personas_entities_tags(client: TestClient, world: World) -> None:
    sources = client.get("/api/v1/sources").json()
    assert len(sources) == 1
    src = sources[0]
    assert "hunter2" not in src["url"] and "SECRET" not in src["url"]
    assert src["url"] == "https://courier.invented.example/feed?api_key=REDACTED&lang=en"
    assert (src["error_count"], src["errors_total"], src["checks_total"]) == (2, 1, 2)
    assert src["language"] == "en" and src["kind"] == "feed"

    personas = client.get("/api/v1/personas").json()
    assert len(personas) >= 1 and all(p["beat"]["languages"] for p in personas)
    pid = personas[0]["id"]
    detail = client.get(f"/api/v1/personas/{pid}").json()
    assert detail["id"] == pid and detail["analyses"] == []
    assert client.get("/api/v1/personas/no-such-persona").status_code == 404

    ents = client.get("/api/v1/entities", params={"type": "place"}).json()
    assert ents["total"] == 1  # the merged duplicate is not listed
    assert ents["items"][0]["id"] == world.entity_id
    assert client.get("/api/v1/entities", params={"type": "org"}).json()["items"][0]["name"] == (
        HOSTILE
    )
    ent = client.get(f"/api/v1/entities/{world.entity_id}").json()
    assert ent["aliases"] == [{"alias": "Varnholm", "lang": "en"}]
    assert ent["story_ids"] == [world.story_id]
    merged = client.get(f"/api/v1/entities/{world.merged_entity_id}").json()
    assert merged["merged_into_id"] == world.entity_id
    assert client.get("/api/v1/entities/9999").status_code == 404

    tags = client.get("/api/v1/tags").json()
    assert tags == [{"tag": "europe", "count": 1}, {"tag": "infrastructure", "count": 1}]


def test_public_url_removes_credentials() -> None:
    assert public_url("https://a.example/feed") == "https://a.example/feed"
    assert public_url("https://u:p@a.example/x?token=t&q=1") == (
        "https://a.example/x?token=REDACTED&q=1"
    )
    assert public_url("https://a.example/x?q=1&page=2") == "https://a.example/x?q=1&page=2"


def test_openapi_lists_the_paths(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/analyses",
        "/api/v1/analyses/{analysis_id}",
        "/api/v1/sources",
        "/api/v1/personas",
        "/api/v1/personas/{persona_id}",
        "/api/v1/entities",
        "/api/v1/entities/{entity_id}",
        "/api/v1/tags",
        "/api/v1/desk/queue",
        "/api/v1/analyses/{analysis_id}/approve",
        "/api/v1/analyses/{analysis_id}/reject",
        "/api/v1/analyses/{analysis_id}/retract",
        "/api/v1/analyses/{analysis_id}/correct",
        "/api/v1/analyses/{analysis_id}/edit",
    ):
        assert path in paths, path
    assert "ApiToken" in spec["components"]["securitySchemes"]
    assert "AnalysisDetail" in spec["components"]["schemas"]


# -- drafts and tokens --------------------------------------------------------------------


def test_drafts_are_hidden_without_a_token(client: TestClient, store: Store, world: World) -> None:
    assert client.get(f"/api/v1/analyses/{world.draft_id}").status_code == 404
    r = client.get("/api/v1/analyses", params={"status": "needs_review"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert world.draft_id not in [
        a["id"] for a in client.get(f"/api/v1/stories/{world.story_id}").json()["analyses"]
    ]
    token = _token(store, "reader", Role.CONTRIBUTOR)
    r = client.get(f"/api/v1/analyses/{world.draft_id}", headers=_auth(token))
    assert r.status_code == 200 and r.json()["status"] == "needs_review"
    listed = client.get(
        "/api/v1/analyses", params={"status": "needs_review"}, headers=_auth(token)
    ).json()
    assert [a["id"] for a in listed["items"]] == [world.draft_id]


def test_editor_token_approves_and_the_piece_is_published(
    client: TestClient, store: Store, world: World
) -> None:
    token = _token(store, "editor1", Role.EDITOR)
    queue = client.get("/api/v1/desk/queue", headers=_auth(token))
    assert queue.status_code == 200
    assert [q["analysis"]["id"] for q in queue.json()] == [world.draft_id]
    r = client.post(f"/api/v1/analyses/{world.draft_id}/approve", headers=_auth(token))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "published"
    public = client.get(f"/api/v1/analyses/{world.draft_id}")
    assert public.status_code == 200 and public.json()["published_at"]
    assert client.get("/api/v1/desk/queue", headers=_auth(token)).json() == []
    with store.reader() as s:
        a = s.get(Analysis, world.draft_id)
        assert a is not None and a.approved_by_id is not None
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "approve")))
        assert [(e.actor, e.target_id) for e in events] == [("editor1", str(world.draft_id))]
    # approving it again is not a transition the desk allows
    again = client.post(f"/api/v1/analyses/{world.draft_id}/approve", headers=_auth(token))
    assert again.status_code == 409
    assert client.post("/api/v1/analyses/9999/approve", headers=_auth(token)).status_code == 404


def test_scheduled_approval_waits_in_the_queue(
    client: TestClient, store: Store, world: World
) -> None:
    token = _token(store, "editor2", Role.EDITOR)
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    r = client.post(
        f"/api/v1/analyses/{world.draft_id}/approve",
        json={"publish_at": later},
        headers=_auth(token),
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["scheduled_at"] is not None
    queue = client.get("/api/v1/desk/queue", headers=_auth(token)).json()
    assert queue[0]["analysis"]["status"] == "approved"
    assert client.get(f"/api/v1/analyses/{world.draft_id}").status_code == 404


def test_contributor_token_may_not_approve(client: TestClient, store: Store, world: World) -> None:
    contributor = _token(store, "contrib", Role.CONTRIBUTOR)
    r = client.post(f"/api/v1/analyses/{world.draft_id}/approve", headers=_auth(contributor))
    assert r.status_code == 403
    # an editor's account with a contributor token acts as a contributor
    weak = _token(store, "editor3", Role.EDITOR, Role.CONTRIBUTOR)
    assert (
        client.post(f"/api/v1/analyses/{world.draft_id}/approve", headers=_auth(weak)).status_code
        == 403
    )
    edit = client.post(
        f"/api/v1/analyses/{world.published_id}/edit",
        json={"headline": "Invented new headline"},
        headers=_auth(weak),
    )
    assert edit.status_code == 403  # contributors may not edit published pieces
    with store.reader() as s:
        a = s.get(Analysis, world.draft_id)
        assert a is not None and a.status == AnalysisStatus.NEEDS_REVIEW


def test_bad_missing_and_revoked_tokens_are_401(
    client: TestClient, store: Store, world: World
) -> None:
    url = f"/api/v1/analyses/{world.draft_id}/approve"
    none = client.post(url)
    assert none.status_code == 401 and none.headers["www-authenticate"] == 'Bearer realm="newsdesk"'
    bad = client.post(url, headers=_auth("nd_not-a-token"))
    assert bad.status_code == 401
    assert 'error="invalid_token"' in bad.headers["www-authenticate"]
    assert client.post(url, headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    # a bad token on a public read is refused too, not silently ignored
    assert client.get("/api/v1/stories", headers=_auth("nd_nope")).status_code == 401
    # session cookies are not accepted by the API
    cookie = client.post(url, headers={"Cookie": "nd_session=anything"})
    assert cookie.status_code == 401

    token = _token(store, "editor4", Role.EDITOR)
    with store.session() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
        assert row is not None
        revoke_api_token(s, row.id)
    assert client.post(url, headers=_auth(token)).status_code == 401

    token = _token(store, "editor5", Role.EDITOR)
    with store.session() as s:
        user = s.scalar(select(User).where(User.username == "editor5"))
        assert user is not None
        user.disabled = True
    assert client.get("/api/v1/desk/queue", headers=_auth(token)).status_code == 401


def test_reject_retract_correct_edit(client: TestClient, store: Store, world: World) -> None:
    token = _token(store, "editor6", Role.EDITOR)
    h = _auth(token)
    base = "/api/v1/analyses"
    assert client.post(f"{base}/{world.draft_id}/reject", json={}, headers=h).status_code == 422
    assert (
        client.post(f"{base}/{world.draft_id}/reject", json={"reason": "  "}, headers=h).status_code
        == 422
    )
    # a draft cannot be retracted or corrected
    assert (
        client.post(f"{base}/{world.draft_id}/retract", json={"reason": "x"}, headers=h).status_code
        == 409
    )
    assert (
        client.post(f"{base}/{world.draft_id}/correct", json={"note": "x"}, headers=h).status_code
        == 409
    )

    edit = client.post(
        f"{base}/{world.draft_id}/edit",
        json={"headline": "Invented: Varnholm bridge shut for repairs", "note": "tighter"},
        headers=h,
    )
    assert edit.status_code == 200, edit.text
    new = edit.json()
    assert new["id"] != world.draft_id and new["edited_from_id"] == world.draft_id
    assert new["status"] == "needs_review" and new["version"] == 4
    unknown = client.post(
        f"{base}/{new['id']}/edit", json={"sentences": {"999999": "Invented."}}, headers=h
    )
    assert unknown.status_code == 422

    rejected = client.post(
        f"{base}/{new['id']}/reject", json={"reason": "Invented: needs a second source"}, headers=h
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejected_reason"] == "Invented: needs a second source"

    corrected = client.post(
        f"{base}/{world.published_id}/correct",
        json={"note": "Invented: the repair estimate was three weeks."},
        headers=h,
    )
    assert corrected.status_code == 200
    assert corrected.json()["status"] == "published"
    assert corrected.json()["corrections"][-1]["kind"] == "correction"

    retracted = client.post(
        f"{base}/{world.published_id}/retract", json={"reason": "Invented reason"}, headers=h
    )
    assert retracted.status_code == 200 and retracted.json()["status"] == "retracted"
    public = client.get(f"{base}/{world.published_id}").json()
    assert [c["kind"] for c in public["corrections"]] == ["correction", "retraction"]


# -- token helpers ------------------------------------------------------------------------


def test_token_helpers(store: Store) -> None:
    uid = _user(store, "helper", Role.EDITOR)
    with store.session() as s:
        user = s.get(User, uid)
        assert user is not None
        with pytest.raises(TokenRoleTooHigh):
            create_api_token(s, user, "too-much", Role.ADMIN)
        token, plaintext = create_api_token(s, user, "laptop", Role.EDITOR)
        assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
        assert plaintext not in {token.token_hash, token.name}
        token_id = token.id
    with store.session() as s:
        found = user_for_token(s, plaintext)
        assert found is not None and found[0].username == "helper" and found[1] == Role.EDITOR
        assert user_for_token(s, plaintext + "x") is None
        assert user_for_token(s, "") is None
    with store.session() as s:
        row = s.get(ApiToken, token_id)
        assert row is not None and row.last_used_at is not None
        # demoting the account demotes its tokens
        user = s.get(User, uid)
        assert user is not None
        user.role = Role.CONTRIBUTOR
    with store.session() as s:
        found = user_for_token(s, plaintext)
        assert found is not None and found[1] == Role.CONTRIBUTOR
