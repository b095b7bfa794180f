"""The desk workflow on a real store: edits as versions, re-verification, approvals,
scheduling, rejection, retraction, corrections, the review queue and the audit log.

Every news-like text below is INVENTED (Lorvik, Tessaly, the outlets and people are fictional);
analyses are written by the real write stage (extractive writer) from stored articles.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from newsdesk.desk import (
    DeskError,
    InvalidTransition,
    NotAllowed,
    analysis_versions,
    approve,
    audit_events,
    correct,
    diff_versions,
    edit_analysis,
    publish_due,
    reject,
    retract,
    review_queue,
)
from newsdesk.desk.triage import triage_analysis
from newsdesk.personas import load_personas
from newsdesk.pipeline import Pipeline
from newsdesk.read.passages import split_passages
from newsdesk.settings import Settings
from newsdesk.store import (
    Analysis,
    AnalysisSentence,
    AnalysisStatus,
    Article,
    Passage,
    Role,
    Store,
    Story,
    StoryArticle,
    User,
    passage_id,
)
from newsdesk.write.extractive import ExtractiveWriter
from newsdesk.write.stage import write_story

DAY = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
WRITTEN_AT = DAY + dt.timedelta(hours=8)

StoryArticles = list[tuple[str, int, str, str]]

# INVENTED articles: (outlet, hours after DAY, title, text)
ARTICLES: StoryArticles = [
    (
        "Lorvik Courier",
        0,
        "Lorvik ferry workers strike over new rosters",
        "About 900 ferry workers at the invented port of Lorvik walked off the job on Monday, "
        "halting crossings to the Tessaly islands. The Lorvik Ferry Union said the strike began "
        "after talks over new rosters broke down. Roughly 12,000 passengers were stranded on "
        "the quay by noon, the union said.",
    ),
    (
        "Harbour Bulletin",
        3,
        "Tessaly Lines says crossings partly resumed",
        "Tessaly Lines restarted two of its nine routes on Monday afternoon using managers as "
        "crew. Freight companies warned that fresh fish deliveries to the islands would run "
        "short by Wednesday. Talks between Tessaly Lines and the union resumed late on Monday "
        "evening.",
    ),
]

# an INVENTED third report contesting the first one's figure
DENIAL = (
    "Northern Ledger",
    6,
    "Tessaly Lines disputes strike figures",
    "The ferry operator Tessaly Lines denied that 12,000 passengers were stranded and put the "
    "number at 4,500 passengers.",
)


# -- building blocks (also used by test_desk_policy.py) -----------------------------------


def add_story(session: Session, articles: StoryArticles) -> Story:
    """Store the invented articles with their passages as one story."""
    story = Story(
        headline=articles[0][2],
        headline_lang="en",
        first_seen=DAY,
        last_seen=DAY + dt.timedelta(hours=max(h for _, h, _, _ in articles)),
        article_count=len(articles),
        languages=["en"],
        outlets=sorted({o for o, _, _, _ in articles}),
    )
    session.add(story)
    session.flush()
    for n, (outlet, hours, title, text) in enumerate(articles):
        article = Article(
            url=f"https://invented.example/{story.id}/{n}",
            title=title,
            outlet=outlet,
            published_at=DAY + dt.timedelta(hours=hours),
            language="en",
            text=text,
            content_hash=f"hash-{story.id}-{n}",
            stage="ready",
        )
        session.add(article)
        session.flush()
        for span in split_passages(text, "en"):
            session.add(
                Passage(
                    id=passage_id(article.id, span.position),
                    article_id=article.id,
                    position=span.position,
                    text=span.text,
                    char_start=span.start,
                    char_end=span.end,
                )
            )
        session.add(StoryArticle(article_id=article.id, story_id=story.id, score=1.0))
    session.flush()
    return story


def write_analysis(
    session: Session, settings: Settings, articles: StoryArticles | None = None
) -> Analysis:
    """Store a story and run the real write stage (extractive writer) on it."""
    story = add_story(session, articles if articles is not None else ARTICLES)
    analysis = write_story(
        session,
        story,
        load_personas(settings.personas_file),
        ExtractiveWriter(),
        now=WRITTEN_AT,
    )
    assert analysis is not None
    triage_analysis(session, analysis, settings)
    session.flush()
    return analysis


def add_user(session: Session, username: str, role: str) -> User:
    """A desk account (the hash is a placeholder: these tests never sign in)."""
    user = User(username=username, display_name=username.title(), password_hash="x", role=role)
    session.add(user)
    session.flush()
    return user


def sentence_with(analysis: Analysis, words: str) -> AnalysisSentence:
    """The analysis's first sentence containing `words`."""
    return next(s for s in analysis.sentences if words in s.text)


@pytest.fixture
def desk_settings(settings: Settings) -> Settings:
    """Default policy, but everything goes to the desk (the workflow starts from needs_review)."""
    return settings.model_copy(update={"auto_publish": False})


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    """A contributor, an editor and an admin; returns their ids."""
    with store.session() as s:
        return {
            role: add_user(s, name, role).id
            for name, role in (
                ("casey", Role.CONTRIBUTOR),
                ("erin", Role.EDITOR),
                ("ada", Role.ADMIN),
            )
        }


def users(s: Session, people: dict[str, int]) -> tuple[User, User]:
    contributor = s.get(User, people[Role.CONTRIBUTOR])
    editor = s.get(User, people[Role.EDITOR])
    assert contributor is not None and editor is not None
    return contributor, editor


# -- permissions ----------------------------------------------------------------------------


def test_contributor_may_not_approve_reject_retract_or_correct(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        contributor, _ = users(s, people)
        analysis = write_analysis(s, desk_settings)
        assert analysis.status == AnalysisStatus.NEEDS_REVIEW
        with pytest.raises(NotAllowed, match="contributor"):
            approve(s, analysis.id, contributor)
        with pytest.raises(NotAllowed):
            reject(s, analysis.id, contributor, "not good enough")
        with pytest.raises(NotAllowed):
            retract(s, analysis.id, contributor, "wrong")
        with pytest.raises(NotAllowed):
            correct(s, analysis.id, contributor, "typo")
        assert analysis.status == AnalysisStatus.NEEDS_REVIEW
        assert analysis.approved_by_id is None
        assert not audit_events(s, target_type="analysis", target_id=analysis.id)[0].actor_id


def test_disabled_editor_is_refused(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        editor.disabled = True
        analysis = write_analysis(s, desk_settings)
        with pytest.raises(NotAllowed, match="disabled"):
            approve(s, analysis.id, editor)


def test_contributor_may_not_edit_a_published_piece(
    store: Store, settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        contributor, editor = users(s, people)
        analysis = write_analysis(s, settings)
        assert analysis.status == AnalysisStatus.PUBLISHED
        with pytest.raises(NotAllowed, match="correct"):
            edit_analysis(s, analysis.id, contributor, headline="Lorvik ferry strike")
        # an editor may: the edit becomes a new version for review, the old one stays up
        new = edit_analysis(s, analysis.id, editor, headline="Lorvik ferry strike")
        assert new.status == AnalysisStatus.NEEDS_REVIEW
        assert analysis.status == AnalysisStatus.PUBLISHED


# -- edits, versions, re-verification -------------------------------------------------------


def test_edit_creates_a_new_version_with_a_diff(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        contributor, _ = users(s, people)
        old = write_analysis(s, desk_settings)
        target = sentence_with(old, "talks over new rosters broke down")
        new_text = "The Lorvik Ferry Union said the strike began after talks broke down."
        new = edit_analysis(
            s,
            old.id,
            contributor,
            sentences={target.id: new_text},
            note="tighter",
            settings=desk_settings,
        )
        assert (new.version, new.edited_from_id, new.edited_by_id) == (2, old.id, contributor.id)
        assert new.status == AnalysisStatus.NEEDS_REVIEW
        assert [s.text for s in new.sentences if s.text != new_text] == [
            s.text for s in old.sentences if s.id != target.id
        ]
        edited = sentence_with(new, "after talks broke down")
        assert edited.verified and edited.citations == target.citations
        assert new.verified and new.unsupported_count == 0
        assert [a.id for a in analysis_versions(s, old.id)] == [old.id, new.id]
        assert [a.id for a in analysis_versions(s, new.id)] == [old.id, new.id]

        diff = diff_versions(s, old.id, new.id)
        assert [(d.section, d.op) for d in diff[:2]] == [("headline", "equal"), ("dek", "equal")]
        changed = [d for d in diff if d.op != "equal"]
        assert [(d.section, d.op, d.old, d.new) for d in changed] == [
            (target.section, "replace", target.text, new_text)
        ]
        assert len(diff) == 2 + len(old.sentences)

        event = audit_events(s, target_type="analysis", target_id=new.id)[0]
        assert (event.action, event.actor, event.actor_id) == ("edit", "casey", contributor.id)
        assert event.detail["from_id"] == old.id and event.detail["note"] == "tighter"
        assert event.detail["sentences"][0]["old"] == target.text


def test_edit_with_an_invented_number_is_unverified_and_held(
    store: Store, settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        old = write_analysis(s, settings)
        assert old.status == AnalysisStatus.PUBLISHED  # nothing held the writer's version
        target = sentence_with(old, "12,000 passengers")
        new = edit_analysis(
            s,
            old.id,
            editor,
            sentences={target.id: target.text.replace("12,000", "15,000")},
            settings=settings,
        )
        edited = sentence_with(new, "15,000")
        assert not edited.verified
        assert edited.reason and "number 15,000 not in cited passages" in edited.reason
        assert (new.verified, new.unsupported_count) == (False, 1)
        assert new.policy_rule == "unverified"
        assert new.review_reasons == ["1 sentence(s) not supported by their citations"]
        assert new.status == AnalysisStatus.NEEDS_REVIEW
        event = audit_events(s, target_type="analysis", target_id=new.id)[0]
        assert event.detail["verified"] is False and event.detail["rule"] == "unverified"


def test_headline_edit_is_checked_against_the_sources(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        old = write_analysis(s, desk_settings)
        new = edit_analysis(
            s, old.id, editor, headline="7,000 Lorvik ferry workers strike", settings=desk_settings
        )
        assert not new.verified
        assert new.policy_rule == "unverified"
        assert any(
            r.startswith("headline not supported by the sources: number 7,000")
            for r in new.review_reasons
        )
        assert diff_versions(s, old.id, new.id)[0].op == "replace"


def test_edit_can_remove_a_sentence_and_refuses_empty_or_unknown_edits(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        contributor, _ = users(s, people)
        old = write_analysis(s, desk_settings)
        target = sentence_with(old, "Freight companies")
        with pytest.raises(DeskError, match="changes nothing"):
            edit_analysis(s, old.id, contributor, sentences={target.id: target.text})
        with pytest.raises(DeskError, match="not in analysis"):
            edit_analysis(s, old.id, contributor, sentences={999_999: "x"})
        new = edit_analysis(s, old.id, contributor, sentences={target.id: ""})
        assert len(new.sentences) == len(old.sentences) - 1
        positions = [x.position for x in new.sentences if x.section == target.section]
        assert positions == list(range(len(positions)))
        deleted = [d for d in diff_versions(s, old.id, new.id) if d.op == "delete"]
        assert [(d.old, d.new) for d in deleted] == [(target.text, "")]


# -- approval, scheduling, rejection -------------------------------------------------------


def test_approve_now_publishes_and_records_who(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, desk_settings)
        now = WRITTEN_AT + dt.timedelta(hours=1)
        approve(s, analysis.id, editor, now=now)
        assert analysis.status == AnalysisStatus.PUBLISHED
        assert (analysis.published_at, analysis.approved_at) == (now, now)
        assert analysis.approved_by_id == editor.id
        event = audit_events(s, target_type="analysis", target_id=analysis.id)[0]
        assert (event.action, event.actor) == ("approve", "erin")
        assert event.detail["from"] == AnalysisStatus.NEEDS_REVIEW
        assert event.detail["to"] == AnalysisStatus.PUBLISHED
        with pytest.raises(InvalidTransition):
            approve(s, analysis.id, editor, now=now)


def test_scheduled_approval_publishes_when_due(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    now = WRITTEN_AT + dt.timedelta(hours=1)
    at = now + dt.timedelta(hours=2)
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, desk_settings)
        analysis_id = analysis.id
        approve(s, analysis_id, editor, publish_at=at, now=now)
        assert analysis.status == AnalysisStatus.APPROVED
        assert analysis.scheduled_at == at and analysis.published_at is None
        queued = [q for q in review_queue(s) if q.analysis.id == analysis_id]
        assert len(queued) == 1 and queued[0].analysis.status == AnalysisStatus.APPROVED
        schedule = audit_events(s, target_type="analysis", target_id=analysis_id)[0]
        assert (schedule.action, schedule.actor) == ("schedule", "erin")
        assert schedule.detail["publish_at"] == at.isoformat()
        assert publish_due(s, now=at - dt.timedelta(minutes=1)) == []
        assert analysis.status == AnalysisStatus.APPROVED
    with store.session() as s:
        assert publish_due(s, now=at) == [analysis_id]
    with store.session() as s:
        published = s.get(Analysis, analysis_id)
        assert published is not None
        assert published.status == AnalysisStatus.PUBLISHED and published.published_at == at
        assert published.scheduled_at is None
        assert not [q for q in review_queue(s) if q.analysis.id == analysis_id]
        event = audit_events(s, target_type="analysis", target_id=analysis_id)[0]
        assert (event.action, event.actor, event.actor_id) == ("publish", "system", None)
        assert event.detail["approved_by_id"] == people[Role.EDITOR]
        assert publish_due(s, now=at + dt.timedelta(hours=1)) == []


def test_pipeline_cycle_publishes_due_analyses(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    at = WRITTEN_AT + dt.timedelta(hours=3)
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, desk_settings)
        analysis_id = analysis.id
        approve(s, analysis_id, editor, publish_at=at, now=WRITTEN_AT)
    Pipeline(store, desk_settings).run_cycle(now=at + dt.timedelta(minutes=5), understand=False)
    with store.reader() as s:
        published = s.get(Analysis, analysis_id)
        assert published is not None and published.status == AnalysisStatus.PUBLISHED


def test_reject_needs_a_reason(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, desk_settings)
        for empty in ("", "   "):
            with pytest.raises(DeskError, match="reason"):
                reject(s, analysis.id, editor, empty)
        assert analysis.status == AnalysisStatus.NEEDS_REVIEW
        reject(s, analysis.id, editor, "  the strike figures need a second source  ")
        assert analysis.status == AnalysisStatus.REJECTED
        assert analysis.rejected_reason == "the strike figures need a second source"
        event = audit_events(s, target_type="analysis", target_id=analysis.id)[0]
        assert (event.action, event.actor) == ("reject", "erin")
        assert event.detail["reason"] == "the strike figures need a second source"
        assert not [q for q in review_queue(s) if q.analysis.id == analysis.id]


# -- retraction and correction -------------------------------------------------------------


def test_retract_a_published_piece_adds_a_retraction_note(
    store: Store, settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, settings)
        analysis_id = analysis.id
        assert analysis.status == AnalysisStatus.PUBLISHED
        with pytest.raises(DeskError, match="reason"):
            retract(s, analysis_id, editor, "")
        retract(s, analysis_id, editor, "the strike was a drill (invented)")
    with store.session() as s:
        _, editor = users(s, people)
        retracted = s.get(Analysis, analysis_id)
        assert retracted is not None and retracted.status == AnalysisStatus.RETRACTED
        [entry] = retracted.corrections
        assert entry["kind"] == "retraction" and entry["by"] == "erin"
        assert entry["note"] == "the strike was a drill (invented)"
        assert dt.datetime.fromisoformat(entry["at"]).tzinfo is not None
        event = audit_events(s, target_type="analysis", target_id=analysis_id)[0]
        assert (event.action, event.actor, event.detail["to"]) == ("retract", "erin", "retracted")
        with pytest.raises(InvalidTransition):
            retract(s, analysis_id, editor, "again")
        with pytest.raises(InvalidTransition):
            approve(s, analysis_id, editor)


def test_retract_refuses_a_piece_that_is_not_published(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, desk_settings)
        with pytest.raises(InvalidTransition, match="only a published"):
            retract(s, analysis.id, editor, "never mind")
        with pytest.raises(InvalidTransition, match="only a published"):
            correct(s, analysis.id, editor, "typo")


def test_correct_adds_a_note_and_edits_in_place(
    store: Store, settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        _, editor = users(s, people)
        analysis = write_analysis(s, settings)
        analysis_id = analysis.id
        target = sentence_with(analysis, "talks over new rosters broke down")
        target_id, old_text = target.id, target.text
        with pytest.raises(DeskError, match="note"):
            correct(s, analysis_id, editor, " ")
        correct(s, analysis_id, editor, "An earlier version misnamed the union.")
        new_text = "The Lorvik Ferry Union said the strike began after talks broke down."
        correct(
            s,
            analysis_id,
            editor,
            "Shortened a sentence.",
            sentences={target_id: new_text},
            settings=settings,
        )
    with store.session() as s:
        corrected = s.get(Analysis, analysis_id)
        assert corrected is not None and corrected.status == AnalysisStatus.PUBLISHED
        assert [(c["kind"], c["note"], c["by"]) for c in corrected.corrections] == [
            ("correction", "An earlier version misnamed the union.", "erin"),
            ("correction", "Shortened a sentence.", "erin"),
        ]
        sent = s.get(AnalysisSentence, target_id)
        assert sent is not None and sent.text == new_text and sent.verified
        assert corrected.verified
        [latest, first] = audit_events(s, target_type="analysis", target_id=analysis_id)[:2]
        assert (latest.action, first.action) == ("correct", "correct")
        assert latest.detail["sentences"] == [
            {
                "sentence": target_id,
                "old": old_text,
                "new": new_text,
                "verified": True,
                "reason": None,
            }
        ]
        assert first.detail == {"note": "An earlier version misnamed the union.", "sentences": []}


# -- the queue and the log ----------------------------------------------------------------


def test_queue_lists_only_the_newest_version_oldest_first(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        contributor, _ = users(s, people)
        first = write_analysis(s, desk_settings)
        second = write_analysis(s, desk_settings, [*ARTICLES, DENIAL])
        assert [q.analysis.id for q in review_queue(s)] == [first.id, second.id]
        edited = edit_analysis(s, first.id, contributor, headline="Lorvik ferry strike")
        queue = review_queue(s)
        assert [q.analysis.id for q in queue] == [second.id, edited.id]
        item = queue[0]
        assert item.story.id == second.story_id
        assert item.rule == "disputed" and item.reasons == second.review_reasons
        assert item.sentences == len(second.sentences) == item.verified_sentences


def test_every_action_leaves_an_audit_event(
    store: Store, desk_settings: Settings, people: dict[str, int]
) -> None:
    with store.session() as s:
        contributor, editor = users(s, people)
        a = write_analysis(s, desk_settings)
        target = sentence_with(a, "Freight companies")
        b = edit_analysis(
            s, a.id, contributor, sentences={target.id: target.text.replace("fresh ", "")}
        )
        reject(s, a.id, editor, "superseded by the edit")
        approve(s, b.id, editor, now=WRITTEN_AT)
        correct(s, b.id, editor, "Clarified the fish deliveries.")
        retract(s, b.id, editor, "invented test retraction")
        events = audit_events(s, target_type="analysis")
        assert [(e.action, e.actor, e.target_id) for e in reversed(events)] == [
            ("hold", "system", str(a.id)),
            ("edit", "casey", str(b.id)),
            ("reject", "erin", str(a.id)),
            ("approve", "erin", str(b.id)),
            ("correct", "erin", str(b.id)),
            ("retract", "erin", str(b.id)),
        ]
        assert all(e.detail for e in events)
        assert audit_events(s, limit=2) == events[:2]
        assert [e.target_id for e in audit_events(s, target_id=a.id)] == [str(a.id)] * 2
