"""The editor desk through FastAPI's TestClient over a real store: sign-in, lockout, CSRF,
roles, approve/reject/edit/diff, safe redirects and session cookies.

Every news-like text below is INVENTED (the port of Lorvik, Tessaly Lines and the outlets are
fictional).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

import newsdesk.accounts.users
from newsdesk.accounts import create_user
from newsdesk.settings import Settings, load_settings
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    AuditEvent,
    Passage,
    Role,
    Store,
    Story,
    StoryArticle,
    passage_id,
)
from newsdesk.web import create_app
from newsdesk.web.auth import safe_next

PASSWORD = "correct horse battery"
DAY = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)

# INVENTED reports: (outlet, language, title, passages)
ARTICLES = [
    (
        "Lorvik Courier",
        "en",
        "Lorvik ferry workers strike over new rosters",
        [
            "About 900 ferry workers at the port of Lorvik walked off the job on Monday.",
            "The Lorvik Ferry Union said the strike began after talks over rosters broke down.",
        ],
    ),
    (
        "Gazette de Tessaly",
        "fr",
        "Tessaly Lines reprend deux liaisons",
        ["Tessaly Lines a repris deux de ses neuf liaisons lundi après-midi."],
    ),
]
# INVENTED analysis sentences: (section, text, cited passage (article index, position), verified)
SENTENCES = [
    ("what_happened", "About 900 ferry workers at the port of Lorvik walked off the job on Monday.",
     (0, 0), True),
    ("what_happened", "The union said the strike began after talks over rosters broke down.",
     (0, 1), True),
    ("context", "Tessaly Lines restarted all nine routes on Monday.", (1, 0), False),
]  # fmt: skip
REASON = "only 2 outlets report this story (the policy wants 3)"


def seed(store: Store) -> int:
    """Store the invented story, its articles and passages, and one held analysis."""
    with store.session() as s:
        story = Story(
            headline=ARTICLES[0][2],
            headline_lang="en",
            first_seen=DAY,
            last_seen=DAY,
            article_count=2,
            languages=["en", "fr"],
            outlets=[a[0] for a in ARTICLES],
        )
        s.add(story)
        s.flush()
        article_ids = []
        for n, (outlet, lang, title, passages) in enumerate(ARTICLES):
            text = " ".join(passages)
            article = Article(
                url=f"https://invented.example/{n}",
                title=title,
                outlet=outlet,
                language=lang,
                published_at=DAY,
                text=text,
                content_hash=f"hash-{n}",
                stage="ready",
            )
            s.add(article)
            s.flush()
            article_ids.append(article.id)
            s.add(StoryArticle(article_id=article.id, story_id=story.id, score=1.0))
            start = 0
            for pos, p in enumerate(passages):
                s.add(
                    Passage(
                        id=passage_id(article.id, pos),
                        article_id=article.id,
                        position=pos,
                        text=p,
                        char_start=start,
                        char_end=start + len(p),
                    )
                )
                start += len(p) + 1
        analysis = Analysis(
            story_id=story.id,
            persona_id="maritime-desk",
            status=AnalysisStatus.NEEDS_REVIEW,
            headline="Lorvik ferry strike strands the Tessaly crossings (invented)",
            dek="An invented dispute over rosters.",
            byline="Invented Maritime Analyst",
            writer="extractive",
            review_reasons=[REASON],
            policy_rule="min_outlets",
            unsupported_count=1,
            created_at=DAY,
        )
        s.add(analysis)
        s.flush()
        for pos, (section, text, (art, ppos), verified) in enumerate(SENTENCES):
            s.add(
                AnalysisSentence(
                    analysis_id=analysis.id,
                    section=section,
                    section_order=0 if section == "what_happened" else 1,
                    position=pos,
                    text=text,
                    lang="en",
                    citations=[passage_id(article_ids[art], ppos)],
                    verified=verified,
                    support=0.9 if verified else 0.2,
                    reason=None if verified else "the cited passage says two routes, not nine",
                )
            )
        create_user(s, "erin", PASSWORD, Role.EDITOR, display_name="Erin (invented)")
        create_user(s, "carl", PASSWORD, Role.CONTRIBUTOR)
        create_user(s, "ada", PASSWORD, Role.ADMIN)
        return analysis.id


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id with small parameters: these tests are about the desk, not hash cost."""
    monkeypatch.setattr(
        newsdesk.accounts.users,
        "_hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    return load_settings(data_dir=tmp_path / "data", dev_mode=True, login_max_attempts=3)


@pytest.fixture
def desk(settings: Settings, store: Store) -> Iterator[tuple[TestClient, Store, int]]:
    analysis_id = seed(store)
    with TestClient(create_app(settings, store), follow_redirects=False) as client:
        yield client, store, analysis_id


def token_of(page: Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, next: str = "") -> Response:
    page = client.get("/desk/login", params={"next": next} if next else None)
    assert page.status_code == 200
    data = {"username": username, "password": password, "csrf_token": token_of(page)}
    if next:
        data["next"] = next
    return client.post("/desk/login", data=data)


def status_of(store: Store, analysis_id: int) -> str:
    with store.reader() as s:
        analysis = s.get(Analysis, analysis_id)
        assert analysis is not None
        return analysis.status


def test_pages_need_a_sign_in(desk: tuple[TestClient, Store, int]) -> None:
    client, _, aid = desk
    for path in ("/desk", f"/desk/analyses/{aid}", "/desk/audit", "/desk/users"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/desk/login?next=%2Fdesk")
    response = client.get(f"/desk/analyses/{aid}/diff?against=1")
    assert (
        response.headers["location"]
        == f"/desk/login?next=%2Fdesk%2Fanalyses%2F{aid}%2Fdiff%3Fagainst%3D1"
    )
    # a POST without a session does nothing
    assert client.post(f"/desk/analyses/{aid}/approve").status_code == 303


def test_wrong_password_then_sign_in_goes_to_next(desk: tuple[TestClient, Store, int]) -> None:
    client, store, aid = desk
    wrong = login(client, "erin", "not the password")
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    assert "nd_session" not in wrong.headers.get("set-cookie", "")
    ok = login(client, "erin", next=f"/desk/analyses/{aid}")
    assert ok.status_code == 303 and ok.headers["location"] == f"/desk/analyses/{aid}"
    cookie = next(c for c in ok.headers.get_list("set-cookie") if c.startswith("nd_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert "Max-Age=28800" in cookie
    page = client.get(f"/desk/analyses/{aid}")
    assert page.status_code == 200 and "Erin (invented)" in page.text
    with store.reader() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent))]
    assert actions == ["login"]


def test_queue_says_why_each_draft_waits(desk: tuple[TestClient, Store, int]) -> None:
    client, _, aid = desk
    login(client, "carl")
    queue = client.get("/desk")
    assert queue.status_code == 200
    assert queue.text.count('class="queue-item') == 1
    assert f'class="open-draft" href="/desk/analyses/{aid}"' in queue.text
    assert REASON in queue.text and "min_outlets" in queue.text
    assert "2/3 verified" in queue.text and "maritime-desk" in queue.text
    assert "Invented Maritime Analyst" in queue.text


def test_sentence_view_shows_verdicts_and_cited_passages(
    desk: tuple[TestClient, Store, int],
) -> None:
    client, _, aid = desk
    login(client, "erin")
    page = client.get(f"/desk/analyses/{aid}")
    assert "the cited passage says two routes, not nine" in page.text
    assert "Tessaly Lines a repris deux de ses neuf liaisons" in page.text
    assert "Gazette de Tessaly" in page.text and 'lang="fr"' in page.text
    assert 'href="https://invented.example/1"' in page.text
    assert page.text.count("not supported") >= 1 and "2/3 sentences verified" in page.text
    assert 'id="approve-submit"' in page.text and 'id="reject-form"' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script under the CSP


def test_lockout_after_failures_answers_429(desk: tuple[TestClient, Store, int]) -> None:
    client, _, _ = desk
    for _ in range(3):
        assert login(client, "erin", "guessing-again").status_code == 401
    locked = login(client, "erin")  # even the right password while locked out
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text and int(locked.headers["retry-after"]) > 0
    assert client.get("/desk").status_code == 303
    # the count is per address too: another account from the same client is refused
    assert login(client, "carl").status_code == 429


def test_csrf_token_required_on_every_post(desk: tuple[TestClient, Store, int]) -> None:
    client, store, aid = desk
    page = client.get("/desk/login")
    no_token = client.post("/desk/login", data={"username": "erin", "password": PASSWORD})
    assert no_token.status_code == 403 and "Reload the page" in no_token.text
    assert login(client, "erin").status_code == 303
    for action, data in (
        ("approve", {}),
        ("reject", {"reason": "invented reason"}),
        ("edit", {"headline": "A changed headline"}),
    ):
        missing = client.post(f"/desk/analyses/{aid}/{action}", data=data)
        assert missing.status_code == 403, action
        wrong = client.post(
            f"/desk/analyses/{aid}/{action}", data={**data, "csrf_token": token_of(page)}
        )  # the token from before sign-in is not this session's
        assert wrong.status_code == 403, action
    assert status_of(store, aid) == AnalysisStatus.NEEDS_REVIEW
    assert client.post("/desk/logout").status_code == 403


def test_editor_approves_and_it_is_published_with_an_audit_event(
    desk: tuple[TestClient, Store, int],
) -> None:
    client, store, aid = desk
    login(client, "erin")
    token = token_of(client.get(f"/desk/analyses/{aid}"))
    done = client.post(f"/desk/analyses/{aid}/approve", data={"csrf_token": token})
    assert (
        done.status_code == 303
        and done.headers["location"] == f"/desk/analyses/{aid}?msg=published"
    )
    assert status_of(store, aid) == AnalysisStatus.PUBLISHED
    with store.reader() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "approve"))
        assert event is not None and event.actor == "erin" and event.target_id == str(aid)
        analysis = s.get(Analysis, aid)
        assert analysis is not None and analysis.approved_by_id is not None
    shown = client.get(done.headers["location"])
    assert "Approved and published." in shown.text and 'id="approve-submit"' not in shown.text
    assert 'id="retract-form"' in shown.text
    assert 'class="queue-item' not in client.get("/desk").text
    audit = client.get("/desk/audit")
    assert audit.status_code == 200 and "approve" in audit.text
    assert f'href="/desk/analyses/{aid}"' in audit.text


def test_approve_with_a_future_time_schedules(desk: tuple[TestClient, Store, int]) -> None:
    client, store, aid = desk
    login(client, "erin")
    token = token_of(client.get(f"/desk/analyses/{aid}"))
    bad = client.post(
        f"/desk/analyses/{aid}/approve", data={"csrf_token": token, "publish_at": "tomorrow"}
    )
    assert bad.status_code == 400 and "not a date and time" in bad.text
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    done = client.post(
        f"/desk/analyses/{aid}/approve", data={"csrf_token": token, "publish_at": when}
    )
    assert done.headers["location"].endswith("msg=scheduled")
    with store.reader() as s:
        analysis = s.get(Analysis, aid)
        assert analysis is not None and analysis.status == AnalysisStatus.APPROVED
        assert analysis.scheduled_at is not None
        assert analysis.scheduled_at.strftime("%Y-%m-%dT%H:%M") == when
    assert "publishes" in client.get("/desk").text


def test_contributor_cannot_approve(desk: tuple[TestClient, Store, int]) -> None:
    client, store, aid = desk
    login(client, "carl")
    page = client.get(f"/desk/analyses/{aid}")
    assert 'id="approve-submit"' not in page.text and 'id="reject-form"' not in page.text
    assert 'id="edit-form"' in page.text
    token = token_of(page)
    refused = client.post(f"/desk/analyses/{aid}/approve", data={"csrf_token": token})
    assert refused.status_code == 403 and "Not allowed" in refused.text
    refused = client.post(
        f"/desk/analyses/{aid}/reject", data={"csrf_token": token, "reason": "I do not like it"}
    )
    assert refused.status_code == 403
    assert status_of(store, aid) == AnalysisStatus.NEEDS_REVIEW
    assert client.get("/desk/users").status_code == 403


def test_edit_makes_a_new_version_shown_in_the_diff(desk: tuple[TestClient, Store, int]) -> None:
    client, store, aid = desk
    login(client, "carl")
    page = client.get(f"/desk/analyses/{aid}")
    ids = [int(i) for i in re.findall(r'name="sentence-(\d+)"', page.text)]
    assert len(ids) == 3
    new_text = "Tessaly Lines restarted two of its nine routes on Monday afternoon."
    data = {
        "csrf_token": token_of(page),
        "headline": "Lorvik ferry strike halts most Tessaly crossings (invented)",
        "dek": "An invented dispute over rosters.",
        f"sentence-{ids[0]}": SENTENCES[0][1],
        f"sentence-{ids[1]}": SENTENCES[1][1],
        f"sentence-{ids[2]}": new_text,
        "note": "fix the route count",
    }
    done = client.post(f"/desk/analyses/{aid}/edit", data=data)
    assert done.status_code == 303, done.text
    match = re.fullmatch(r"/desk/analyses/(\d+)\?msg=edited", done.headers["location"])
    assert match
    new_id = int(match.group(1))
    assert new_id != aid
    with store.reader() as s:
        new = s.get(Analysis, new_id)
        assert new is not None and new.edited_from_id == aid and new.version == 2
        assert new.status == AnalysisStatus.NEEDS_REVIEW
        assert [x.text for x in new.sentences][2] == new_text
    shown = client.get(done.headers["location"])
    assert "saved as a new version" in shown.text and "Edited by carl" in shown.text
    diff = client.get(f"/desk/analyses/{new_id}/diff", params={"against": aid})
    assert diff.status_code == 200
    assert "restarted <del>all</del> nine routes on <del>Monday.</del>" in diff.text
    assert (
        "restarted <ins>two of its</ins> nine routes on <ins>Monday afternoon.</ins>" in diff.text
    )
    assert "halts most" in diff.text and "v1 → v2" in diff.text
    # the default comparison is against the version it was edited from
    assert client.get(f"/desk/analyses/{new_id}/diff").text.count("diff-replace") == 2
    # the queue now lists only the newest version
    queue = client.get("/desk").text
    assert (
        f'href="/desk/analyses/{new_id}"' in queue and f'href="/desk/analyses/{aid}"' not in queue
    )
    # sending the same text again changes nothing; a sentence of another version is refused
    same = {"csrf_token": data["csrf_token"], "headline": new.headline, "dek": new.dek}
    again = client.post(f"/desk/analyses/{new_id}/edit", data=same)
    assert again.headers["location"] == f"/desk/analyses/{new_id}?msg=no-change"
    stale = client.post(f"/desk/analyses/{new_id}/edit", data=data)
    assert stale.status_code == 400 and f"not in analysis {new_id}" in stale.text


def test_reject_needs_a_reason(desk: tuple[TestClient, Store, int]) -> None:
    client, store, aid = desk
    login(client, "erin")
    token = token_of(client.get(f"/desk/analyses/{aid}"))
    empty = client.post(f"/desk/analyses/{aid}/reject", data={"csrf_token": token, "reason": " "})
    assert empty.status_code == 400 and "Say why you reject" in empty.text
    assert status_of(store, aid) == AnalysisStatus.NEEDS_REVIEW
    done = client.post(
        f"/desk/analyses/{aid}/reject", data={"csrf_token": token, "reason": "figures unsupported"}
    )
    assert done.headers["location"].endswith("msg=rejected")
    assert status_of(store, aid) == AnalysisStatus.REJECTED
    assert "figures unsupported" in client.get(f"/desk/analyses/{aid}").text
    # retracting needs a published piece: the desk says why instead of failing
    refused = client.post(
        f"/desk/analyses/{aid}/retract", data={"csrf_token": token, "reason": "invented"}
    )
    assert refused.status_code == 409 and "only a published analysis" in refused.text


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/desk", "/\\evil.example", "/\t/evil.example", "desk"],
)
def test_open_redirects_are_refused(desk: tuple[TestClient, Store, int], target: str) -> None:
    client, _, _ = desk
    assert safe_next(target) == "/desk"
    response = login(client, "erin", next=target)
    assert response.status_code == 303 and response.headers["location"] == "/desk"


def test_safe_next_keeps_local_paths() -> None:
    assert safe_next("/desk/analyses/3?x=1") == "/desk/analyses/3?x=1"
    assert safe_next(None) == "/desk"


def test_logout_invalidates_the_session(desk: tuple[TestClient, Store, int]) -> None:
    client, store, _ = desk
    login(client, "erin")
    stolen = client.cookies.get("nd_session")
    assert stolen
    page = client.get("/desk")
    done = client.post("/desk/logout", data={"csrf_token": token_of(page)})
    assert done.status_code == 303 and done.headers["location"] == "/desk/login?msg=signed-out"
    assert (
        'nd_session=""' in done.headers["set-cookie"] or "Max-Age=0" in done.headers["set-cookie"]
    )
    assert client.get("/desk").status_code == 303
    client.cookies.set("nd_session", stolen)  # a copy of the old cookie is refused too
    assert client.get("/desk").status_code == 303
    with store.reader() as s:
        assert [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
            "login",
            "logout",
        ]


def test_admin_changes_a_role(desk: tuple[TestClient, Store, int]) -> None:
    client, store, _ = desk
    login(client, "ada")
    page = client.get("/desk/users")
    assert page.status_code == 200 and "carl" in page.text and "Erin (invented)" in page.text
    token = token_of(page)
    done = client.post(
        "/desk/users", data={"csrf_token": token, "username": "carl", "role": "editor"}
    )
    assert done.headers["location"] == "/desk/users?msg=role"
    bad = client.post("/desk/users", data={"csrf_token": token, "username": "carl", "role": "boss"})
    assert bad.status_code == 400 and "unknown role" in bad.text
    last = client.post(
        "/desk/users", data={"csrf_token": token, "username": "ada", "role": "editor"}
    )
    assert last.status_code == 409 and "last admin" in last.text
    with store.reader() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "set_role"))
        assert event is not None and event.detail == {"from": "contributor", "to": "editor"}


def test_cookies_are_secure_outside_dev_mode(tmp_path: Path, store: Store) -> None:
    seed(store)
    settings = load_settings(data_dir=tmp_path / "prod", dev_mode=False, secret_key="k" * 32)
    app = create_app(settings, store)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        page = client.get("/desk/login")
        assert "Secure" in page.headers["set-cookie"]
        done = client.post(
            "/desk/login",
            data={"username": "erin", "password": PASSWORD, "csrf_token": token_of(page)},
        )
        assert done.status_code == 303
        cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("nd_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert client.get("/desk").status_code == 200
    # a session signed with another key is worthless here
    other = create_app(
        load_settings(data_dir=tmp_path / "p2", dev_mode=False, secret_key="o" * 32), store
    )
    with TestClient(other, base_url="https://testserver", follow_redirects=False) as client:
        client.cookies.set("nd_session", cookie.split(";")[0].split("=", 1)[1])
        assert client.get("/desk").status_code == 303
