"""Gate: every multi-outlet story of the invented demo corpus is led by the persona of its beat."""

from __future__ import annotations

import pytest

from newsdesk.demo.corpus import DemoArticle, DemoStory, load_corpus
from newsdesk.personas import Persona, Routing, StoryProfile, load_default_personas, route_story

# demo beat label -> persona ids whose lead is right for it
BEAT_PERSONAS: dict[str, set[str]] = {
    "asia-pacific-economy": {"asia-pacific-economy"},
    "south-asia-security": {"south-asia-security"},
    "russia-eurasia": {"russia-eurasia"},
    "middle-east-energy": {"middle-east-energy"},
    "europe-sanctions": {"europe-sanctions"},
    "americas": {"americas"},
    "africa": {"africa"},
    "tech-ai-policy": {"tech-ai-policy"},
    "markets-trade": {"markets-trade"},
    # no Asia-Pacific security beat among the nine: the regional Asia-Pacific desk or the
    # security-and-defence desk may lead
    "asia-pacific-security": {"asia-pacific-economy", "south-asia-security"},
}


def profile_story(story: DemoStory, articles: list[DemoArticle]) -> StoryProfile:
    """A profile from the story's article texts and the countries its file lists."""
    return StoryProfile(
        story.id,
        texts=[f"{a.title}\n{a.text}" for a in articles],
        languages=[a.lang for a in articles],
        countries=set(story.countries),
    )


@pytest.fixture(scope="module")
def routings() -> dict[str, tuple[DemoStory, Routing]]:
    corpus = load_corpus()
    personas: list[Persona] = load_default_personas()
    out = {}
    for story in corpus.stories:
        articles = [a for a in corpus.articles if a.story == story.id]
        if len({a.outlet for a in articles}) < 2:
            continue
        out[story.id] = (story, route_story(profile_story(story, articles), personas))
    return out


def test_every_beat_label_is_mapped(routings: dict[str, tuple[DemoStory, Routing]]) -> None:
    persona_ids = {p.id for p in load_default_personas()}
    assert {s.beat for s, _ in routings.values()} <= set(BEAT_PERSONAS)
    assert set().union(*BEAT_PERSONAS.values()) <= persona_ids
    assert len(routings) == 16


def test_lead_persona_fits_the_story_beat(routings: dict[str, tuple[DemoStory, Routing]]) -> None:
    wrong = [
        f"{story.id} ({story.beat}) -> {routing.lead}\n{routing.explain()}"
        for story, routing in routings.values()
        if routing.lead not in BEAT_PERSONAS[story.beat]
    ]
    assert not wrong, "\n\n".join(wrong)


def test_demo_explanations_are_readable(routings: dict[str, tuple[DemoStory, Routing]]) -> None:
    routing = routings["s04"][1]  # Kuwait output cut
    lead = routing.decision(routing.lead)
    assert routing.lead == "middle-east-energy"
    assert lead.countries[0][0] == "KW"  # the most-mentioned country comes first
    assert ("energy", lead.topics[0][1]) == lead.topics[0]
    assert "KW" in lead.explanation and "energy" in lead.explanation
