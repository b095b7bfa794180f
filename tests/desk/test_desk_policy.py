"""The desk policy: each rule holds an analysis with its reason and name, in the configured
order; auto_publish=false holds everything; the write stage applies it and logs the decision.

Every news-like text below is INVENTED (see tests/test_desk_workflow.py for the story).
"""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk.desk import PolicyDecision, audit_events, evaluate_policy
from newsdesk.desk.policy import RULES, policy_tags
from newsdesk.settings import Settings
from newsdesk.store import AnalysisStatus, Store
from tests.desk.test_desk_workflow import ARTICLES, DENIAL, write_analysis

CLEAN: dict[str, Any] = {
    "unsupported": 0,
    "headline_ok": True,
    "dek_ok": True,
    "outlets": 3,
    "disputes": 0,
    "tags": ["Lorvik", "shipping"],
}


def decide(settings: Settings | None = None, **changes: Any) -> PolicyDecision:
    return evaluate_policy(settings or Settings(), **{**CLEAN, **changes})


def test_a_clean_analysis_may_publish_itself() -> None:
    assert decide() == PolicyDecision(hold=False, rule=None, reasons=[])


@pytest.mark.parametrize(
    ("changes", "rule", "reasons"),
    [
        (
            {"unsupported": 2},
            "unverified",
            ["2 sentence(s) not supported by their citations"],
        ),
        (
            {"headline_ok": False, "headline_reason": "number 7,000 not in the sources"},
            "unverified",
            ["headline not supported by the sources: number 7,000 not in the sources"],
        ),
        ({"dek_ok": False}, "unverified", ["dek not supported by the sources"]),
        ({"outlets": 1}, "min_outlets", ["fewer than 2 independent outlets"]),
        ({"disputes": 3}, "disputed", ["the story has 3 denial(s) or contradiction(s)"]),
        (
            {"tags": ["Lorvik", "topic:Nuclear"]},
            "sensitive_tags",
            ["sensitive tag(s): topic:Nuclear"],
        ),
    ],
)
def test_each_rule_holds_with_its_reason_and_name(
    changes: dict[str, Any], rule: str, reasons: list[str]
) -> None:
    settings = Settings(policy_sensitive_tags=["topic:nuclear", "place:KP"])
    assert decide(settings, **changes) == PolicyDecision(hold=True, rule=rule, reasons=reasons)


def test_first_rule_in_settings_order_names_the_hold_and_every_reason_is_kept() -> None:
    held = decide(unsupported=1, outlets=1, disputes=2)
    assert held.rule == "unverified"
    assert held.reasons == [
        "1 sentence(s) not supported by their citations",
        "fewer than 2 independent outlets",
        "the story has 2 denial(s) or contradiction(s)",
    ]
    reordered = Settings(policy_rules=["disputed", "min_outlets"])
    held = decide(reordered, unsupported=1, outlets=1, disputes=2)
    assert held.rule == "disputed"
    assert held.reasons == [
        "the story has 2 denial(s) or contradiction(s)",
        "fewer than 2 independent outlets",
    ]


def test_rules_left_out_of_settings_do_not_hold() -> None:
    assert not decide(Settings(policy_rules=["unverified"]), outlets=1, disputes=4).hold
    assert not decide(Settings(policy_rules=[]), unsupported=5).hold


def test_min_outlets_follows_the_setting() -> None:
    settings = Settings(policy_min_outlets=4)
    assert decide(settings, outlets=3).reasons == ["fewer than 4 independent outlets"]
    assert not decide(settings, outlets=4).hold


def test_auto_publish_off_holds_everything() -> None:
    off = Settings(auto_publish=False)
    clean = decide(off)
    assert clean.hold and clean.rule == "auto_publish_off"
    assert clean.reasons == ["auto-publishing is off: an editor approves every analysis"]
    disputed = decide(off, disputes=1)
    assert disputed.rule == "disputed"
    assert disputed.reasons[-1].startswith("auto-publishing is off")


def test_unknown_rule_names_are_refused_with_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="'unverifed'") as caught:
        decide(Settings(policy_rules=["unverified", "unverifed"]))
    for name in RULES:
        assert name in str(caught.value)


def test_sensitive_tags_match_names_topics_and_entity_keys_case_insensitively() -> None:
    tags = policy_tags(["Lorvik", "shipping", "Tessaly Lines"], ["place:KP", "org:tessaly"])
    assert tags == [
        "Lorvik",
        "shipping",
        "topic:shipping",
        "Tessaly Lines",
        "place:KP",
        "org:tessaly",
    ]
    for sensitive in (["topic:SHIPPING"], ["place:kp"], ["tessaly lines"]):
        held = decide(Settings(policy_sensitive_tags=sensitive), tags=tags)
        assert held.rule == "sensitive_tags", sensitive
    assert not decide(Settings(policy_sensitive_tags=["topic:nuclear"]), tags=tags).hold


# -- the write stage applies the policy ----------------------------------------------------


def test_write_stage_auto_publishes_a_clean_story_and_logs_it(
    store: Store, settings: Settings
) -> None:
    with store.session() as s:
        analysis = write_analysis(s, settings)
        assert analysis.status == AnalysisStatus.PUBLISHED
        assert (analysis.policy_rule, analysis.review_reasons) == (None, [])
        assert analysis.published_at is not None
        [event] = audit_events(s, target_type="analysis", target_id=analysis.id)
        assert (event.action, event.actor, event.actor_id) == ("auto_publish", "system", None)
        assert event.detail["rule"] is None and event.detail["version"] == 1


@pytest.mark.parametrize(
    ("update", "articles", "rule", "reason"),
    [
        ({}, [*ARTICLES, DENIAL], "disputed", "the story has 1 denial(s) or contradiction(s)"),
        ({}, ARTICLES[:1], "min_outlets", "fewer than 2 independent outlets"),
        (
            {"policy_sensitive_tags": ["topic:shipping"]},
            ARTICLES,
            "sensitive_tags",
            "sensitive tag(s): topic:shipping",
        ),
        (
            {"auto_publish": False},
            ARTICLES,
            "auto_publish_off",
            "auto-publishing is off: an editor approves every analysis",
        ),
    ],
)
def test_write_stage_holds_by_policy_and_logs_the_hold(
    store: Store,
    settings: Settings,
    update: dict[str, Any],
    articles: list[tuple[str, int, str, str]],
    rule: str,
    reason: str,
) -> None:
    with store.session() as s:
        analysis = write_analysis(s, settings.model_copy(update=update), articles)
        assert analysis.status == AnalysisStatus.NEEDS_REVIEW
        assert analysis.published_at is None
        assert analysis.policy_rule == rule
        assert analysis.review_reasons == [reason]
        [event] = audit_events(s, target_type="analysis", target_id=analysis.id)
        assert (event.action, event.actor) == ("hold", "system")
        assert event.detail["rule"] == rule and event.detail["reasons"] == [reason]


def test_write_stage_refuses_an_unknown_rule(store: Store, settings: Settings) -> None:
    with store.session() as s, pytest.raises(ValueError, match="valid rules"):
        write_analysis(s, settings.model_copy(update={"policy_rules": ["sensitive"]}))
