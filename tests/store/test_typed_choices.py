"""Kinds and statuses are StrEnums whose values are what the store holds; settings agree."""

from __future__ import annotations

from enum import StrEnum
from typing import get_args

import pytest

from newsdesk.claims.model import LinkKind, SpeakerKind, Stance
from newsdesk.entities.base import EntityType, Origin
from newsdesk.settings import Settings, SourceConfig
from newsdesk.store import (
    AnalysisStatus,
    ArticleStage,
    DevelopmentKind,
    EntryState,
    FetchOutcome,
    PollPolicy,
    Role,
    SourceKind,
)
from newsdesk.store.audience import IssueStatus, SubscriberStatus, Tier
from newsdesk.write.model import SectionKey

# the values already in stores: changing one would orphan existing rows
STORED_VALUES: dict[type[StrEnum], tuple[str, ...]] = {
    SourceKind: ("feed", "page", "sitemap"),
    PollPolicy: ("fixed", "entry_frequency"),
    FetchOutcome: ("ok", "not_modified", "error", "blocked"),
    EntryState: ("pending", "done", "failed"),
    ArticleStage: ("embed", "entities", "cluster", "ready"),
    DevelopmentKind: ("passage", "entity", "outlet", "language", "claim", "breaking"),
    AnalysisStatus: (
        "draft", "written", "needs_review", "approved", "published", "rejected", "retracted",
    ),
    Role: ("contributor", "editor", "admin"),
    SectionKey: ("what_happened", "context", "what_is_new", "disputed", "watch", "perspective"),
    EntityType: ("person", "org", "place", "platform", "programme", "agreement"),
    Origin: ("gazetteer", "pattern", "ner", "span"),
    Stance: ("assert", "deny", "confirm", "dispute"),
    SpeakerKind: ("named person", "official body", "anonymous sources", "outlet", "unknown"),
    LinkKind: ("denial", "contradiction"),
    Tier: ("free", "supporter"),
    SubscriberStatus: ("pending", "active", "unsubscribed", "bounced"),
    IssueStatus: ("draft", "scheduled", "sending", "sent"),
}  # fmt: skip


@pytest.mark.parametrize("enum", list(STORED_VALUES), ids=lambda e: e.__name__)
def test_values_unchanged(enum: type[StrEnum]) -> None:
    assert tuple(m.value for m in enum) == STORED_VALUES[enum]
    for member in enum:
        assert member == member.value and f"{member}" == member.value  # reads as plain text


def test_order_constants_are_the_members_in_order() -> None:
    assert tuple(SourceKind) == SourceKind.ALL
    assert tuple(PollPolicy) == PollPolicy.ALL
    assert tuple(EntryState) == EntryState.ALL
    assert tuple(ArticleStage) == ArticleStage.ORDER
    assert tuple(Role) == Role.ALL
    assert tuple(SectionKey) == SectionKey.ORDER
    assert set(SectionKey.TITLES) == set(SectionKey)
    assert tuple(EntityType) == EntityType.ALL
    assert tuple(Origin) == Origin.PRIORITY
    assert Role.at_least("admin", Role.EDITOR) and not Role.at_least("contributor", "editor")
    assert not Role.at_least("owner", "editor")


def _choices(model: type[Settings] | type[SourceConfig], field: str) -> set[str]:
    args = get_args(model.model_fields[field].annotation)
    # `X | None` wraps the Literal in a Union
    flat = [a for arg in args for a in (get_args(arg) or (arg,))]
    return {a for a in flat if isinstance(a, str)}


def test_settings_choices_match_the_enums() -> None:
    assert _choices(Settings, "poll_policy") == set(PollPolicy)
    assert _choices(SourceConfig, "poll_policy") == set(PollPolicy)
    assert _choices(SourceConfig, "kind") == set(SourceKind)
    assert _choices(Settings, "embedder") == {"e5", "openai"}
    assert _choices(Settings, "writer") == {"extractive", "llm"}


def test_a_setting_outside_its_choices_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="poll_policy"):
        Settings(poll_policy="hourly")
    with pytest.raises(ValidationError, match="kind"):
        SourceConfig(url="https://x.example/feed", kind="podcast")
