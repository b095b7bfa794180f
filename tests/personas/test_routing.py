"""Routing invented stories to the nine default beats. Every story here is INVENTED."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.personas import (
    Persona,
    RouteWeights,
    StoryProfile,
    count_country_mentions,
    load_default_personas,
    route_story,
    score_personas,
)


@pytest.fixture(scope="module")
def personas() -> list[Persona]:
    return load_default_personas()


# (expected lead, invented story); mentions per country stand in for the entities stage
STORIES: list[tuple[str, StoryProfile]] = [
    (
        "asia-pacific-economy",
        StoryProfile(
            "inv-apac",
            headline="Typhoon shuts Kaohsiung container berths; chip packagers warn of shortages",
            texts=[
                "A typhoon closed container terminals at Kaohsiung port for three days, "
                "stranding cargo and delaying shipments of chip packaging components to "
                "suppliers in Japan and South Korea.",
                "台风导致高雄港集装箱码头关闭三天，芯片封装零部件供应链出现延误和短缺。",
                "台風で高雄港のコンテナ埠頭が閉鎖され、半導体部品の物流に遅延が生じている。",
            ],
            languages=["en", "zh", "ja"],
            countries={"TW", "JP", "KR"},
            country_mentions={"TW": 6, "JP": 2, "KR": 1},
        ),
    ),
    (
        "south-asia-security",
        StoryProfile(
            "inv-sas",
            headline="Indian Navy test-fires ship-launched missile; Pakistan lodges protest",
            texts=[
                "The Indian Navy test-fired a new ship-launched cruise missile from a frigate "
                "in the Arabian Sea, the defence ministry said. Pakistan's foreign office "
                "protested the missile test.",
                "भारतीय नौसेना ने युद्धपोत से नई मिसाइल का परीक्षण किया, रक्षा मंत्रालय ने कहा।",
            ],
            languages=["en", "hi"],
            countries={"IN", "PK"},
            country_mentions={"IN": 5, "PK": 2},
        ),
    ),
    (
        "russia-eurasia",
        StoryProfile(
            "inv-rus",
            headline="Russia and Azerbaijan agree gas pipeline extension",
            texts=[
                "Russia and Azerbaijan signed an agreement to extend a gas pipeline after talks "
                "in Baku, officials said; transit volumes were not disclosed.",
                "Россия и Азербайджан подписали соглашение о продлении газопровода после "
                "переговоров в Баку.",
            ],
            languages=["en", "ru"],
            countries={"RU", "AZ"},
            country_mentions={"RU": 4, "AZ": 4},
        ),
    ),
    (
        "middle-east-energy",
        StoryProfile(
            "inv-mee",
            headline="Qatar delays LNG expansion; Saudi output steady ahead of OPEC+ talks",
            texts=[
                "Qatar delayed the start of a new LNG train by six months, while Saudi Arabia "
                "kept crude oil output steady ahead of an OPEC+ meeting.",
                "أرجأت قطر توسعة إنتاج الغاز الطبيعي المسال، وأبقت السعودية إنتاج النفط دون "
                "تغيير قبل اجتماع أوبك.",
            ],
            languages=["en", "ar"],
            countries={"QA", "SA"},
            country_mentions={"QA": 4, "SA": 3},
            entities={"org:opec-plus": 2, "place:QA": 4},
        ),
    ),
    (
        "europe-sanctions",
        StoryProfile(
            "inv-eur",
            headline="EU ministers agree sanctions on banks that help evade export controls",
            texts=[
                "EU foreign ministers agreed sanctions on four banks accused of helping firms "
                "evade export controls; Hungary abstained in the vote in Brussels.",
                "Les ministres de l'UE ont adopté des sanctions contre quatre banques; la "
                "Hongrie s'est abstenue.",
                "Die EU-Außenminister beschlossen Sanktionen gegen vier Banken.",
            ],
            languages=["en", "fr", "de"],
            countries={"BE", "HU", "DE"},
            country_mentions={"BE": 3, "HU": 2, "DE": 1},
            entities={"org:eu": 4},
        ),
    ),
    (
        "americas",
        StoryProfile(
            "inv-ame",
            headline="Peru's congress calls early election; central bank holds rates",
            texts=[
                "Peru's congress voted to call an early presidential election amid protests, "
                "while the central bank held its benchmark interest rate.",
                "El Congreso de Perú convocó elecciones anticipadas; el banco central mantuvo "
                "la tasa de referencia.",
            ],
            languages=["en", "es"],
            countries={"PE"},
            country_mentions={"PE": 6},
        ),
    ),
    (
        "africa",
        StoryProfile(
            "inv-afr",
            headline="Niger and ECOWAS mediators agree an election timetable",
            texts=[
                "Niger's transitional authorities and ECOWAS mediators agreed a timetable for "
                "elections, after talks in Abuja.",
                "Les autorités de transition du Niger et les médiateurs de la CEDEAO ont "
                "convenu d'un calendrier électoral.",
            ],
            languages=["en", "fr"],
            countries={"NE", "NG"},
            country_mentions={"NE": 5, "NG": 1},
            entities={"org:ecowas": 2},
        ),
    ),
    (
        "tech-ai-policy",
        StoryProfile(
            "inv-tec",
            headline="South Korea passes AI act requiring audits of large models",
            texts=[
                "South Korea's parliament passed an artificial intelligence act that requires "
                "audits of large language models and fines for non-compliance, the regulator "
                "said.",
                "韓国国会は大規模言語モデルの監査を義務付ける人工知能法を可決した。",
            ],
            languages=["en", "ja"],
            countries={"KR"},
            country_mentions={"KR": 5},
        ),
    ),
    (
        "markets-trade",
        StoryProfile(
            "inv-mkt",
            headline="Freight rates and insurance premiums jump on Panama Canal route",
            texts=[
                "Container freight rates and war-risk insurance premiums jumped for ships "
                "using the Panama Canal, and grain futures rose as traders priced delays.",
                "Las tarifas de flete de contenedores y las primas de seguro subieron; los "
                "precios del mercado de granos también.",
                "集装箱运费和保费上涨，市场价格波动。",
            ],
            languages=["en", "es", "zh"],
            countries={"PA", "US", "CN", "SG"},
            country_mentions={"PA": 3, "US": 2, "CN": 2, "SG": 1},
        ),
    ),
]


@pytest.mark.parametrize(("expected", "profile"), STORIES, ids=[s[0] for s in STORIES])
def test_each_beat_leads_its_story(
    personas: list[Persona], expected: str, profile: StoryProfile
) -> None:
    routing = route_story(profile, personas)
    assert routing.lead == expected, routing.explain()
    assert len(routing.scores) == 9
    assert routing.scores[0].persona_id == expected
    assert all(0.0 <= d.score <= 1.0 for d in routing.scores)
    lead = routing.decision(expected)
    # the explanation names what matched, with numbers a human can check
    text = lead.explanation
    assert text.startswith(f"{expected} {lead.score:.2f}:")
    assert "topics +" in text and lead.topics
    if not personas[[p.id for p in personas].index(expected)].beat.is_global:
        assert lead.countries and lead.countries[0][0] in text
    assert abs(sum(lead.components.values()) - lead.score) < 1e-5


# EU sanctions on Russian tankers: Europe/sanctions beat, with Russia and energy in it
CROSS_BEAT = StoryProfile(
    "inv-cross",
    headline="EU sanctions Russian shadow-fleet oil tankers",
    texts=[
        "The EU added 40 tankers of Russia's shadow fleet to its sanctions list, banning "
        "them from EU ports; the tankers carry Russian crude oil above the price cap.",
        "Россия назвала санкции ЕС против танкеров незаконными; экспорт нефти продолжится.",
        "Die EU verhängt Sanktionen gegen 40 Tanker der russischen Schattenflotte.",
    ],
    languages=["en", "ru", "de"],
    countries={"BE", "RU"},
    country_mentions={"BE": 3, "RU": 3},
    entities={"org:eu": 3},
)


def test_cross_beat_story_gets_a_perspective(personas: list[Persona]) -> None:
    profile = CROSS_BEAT
    routing = route_story(profile, personas)
    assert routing.lead == "europe-sanctions", routing.explain()
    assert routing.perspective in {"russia-eurasia", "middle-east-energy", "markets-trade"}
    second = routing.decision(routing.perspective)
    assert second.score >= 0.3
    lead = routing.decision("europe-sanctions")
    assert {c for c, _ in second.countries} - {c for c, _ in lead.countries} or {
        t for t, _ in second.topics
    } - {t for t, _ in lead.topics}
    assert "perspective" in routing.explain().splitlines()[0]


def test_single_beat_story_has_no_perspective(personas: list[Persona]) -> None:
    routing = route_story(STORIES[6][1], personas)  # Niger election timetable
    assert routing.lead == "africa"
    assert routing.perspective is None


def test_disabled_perspective_is_never_chosen(personas: list[Persona]) -> None:
    profile = CROSS_BEAT
    open_routing = route_story(profile, personas)
    assert open_routing.perspective is not None
    closed = [
        p.model_copy(update={"perspective": p.perspective.model_copy(update={"enabled": False})})
        for p in personas
    ]
    assert route_story(profile, closed).perspective is None


def test_off_region_topics_count_half(personas: list[Persona]) -> None:
    # a security incident nowhere near Russia: the Russia beat's topics match, its countries don't
    profile = StoryProfile(
        "inv-offregion",
        texts=["Coast guard ships collided near a reef; a militant attack was reported."],
        languages=["en"],
        countries={"PH", "CN"},
        country_mentions={"PH": 2, "CN": 2},
    )
    scores = {d.persona_id: d for d in score_personas(profile, personas)}
    russia = scores["russia-eurasia"]
    assert russia.fits["topic"] > 0.9 and russia.coupling["topic"] == 0.5
    assert "off-region" in russia.explanation
    assert scores["asia-pacific-economy"].score > russia.score


def test_ties_break_by_persona_id(personas: list[Persona]) -> None:
    empty = StoryProfile("inv-empty")
    decisions = score_personas(empty, personas)
    assert [d.persona_id for d in decisions[:2]] == ["markets-trade", "tech-ai-policy"]
    assert decisions[0].score == decisions[1].score  # both global beats, nothing else known
    tied = score_personas(empty, list(reversed(personas)))
    assert [d.persona_id for d in tied] == [d.persona_id for d in decisions]


def test_given_topics_replace_detection(personas: list[Persona]) -> None:
    profile = StoryProfile("inv-topics", countries={"KE"}, topics={"mining": 3, "elections": 1})
    routing = route_story(profile, personas)
    assert routing.lead == "africa"
    assert dict(routing.decision("africa").topics) == {"mining": 0.75, "elections": 0.25}


def test_watched_entity_by_name(personas: list[Persona]) -> None:
    arctic = personas[0].model_copy(
        update={
            "id": "arctic",
            "beat": personas[0].beat.model_copy(update={"entities": ["Northern Sea Route"]}),
        }
    )
    profile = StoryProfile(
        "inv-arctic", texts=["Tankers used the Northern Sea Route twice this week."]
    )
    decision = score_personas(profile, [arctic])[0]
    assert decision.entities == [("Northern Sea Route", 1.0)]
    assert "entities +" in decision.explanation


def test_vector_component_is_optional_and_scaled(personas: list[Persona]) -> None:
    profile = STORIES[0][1]
    base = route_story(profile, personas)
    rng = np.random.default_rng(7)
    vectors = {p.id: rng.normal(size=8).astype(np.float32) for p in personas}
    centroid = vectors["asia-pacific-economy"] + 0.1 * rng.normal(size=8).astype(np.float32)
    with_vec = StoryProfile(**{**profile.__dict__, "centroid": centroid})
    routing = route_story(with_vec, personas, beat_vectors=vectors)
    lead = routing.decision("asia-pacific-economy")
    assert lead.vector_cosine is not None and lead.components["vector"] > 0
    assert "vector +" in lead.explanation
    assert min(d.components["vector"] for d in routing.scores) == 0.0  # min-max scaled
    assert routing.lead == base.lead
    # without beat vectors the centroid is ignored
    assert route_story(with_vec, personas).scores == base.scores


def test_weights_are_configurable(personas: list[Persona]) -> None:
    profile = STORIES[7][1]  # the Korean AI act
    topic_blind = RouteWeights(topic=0.0)
    assert route_story(profile, personas, weights=topic_blind).lead == "asia-pacific-economy"
    with pytest.raises(ValueError, match="at least one persona"):
        route_story(profile, [])


def test_e5_beat_vectors_route_like_the_lexicons(personas: list[Persona]) -> None:
    from newsdesk.embed import E5Embedder
    from newsdesk.personas import embed_beats

    e5 = E5Embedder()
    vectors = embed_beats(personas, e5)
    assert set(vectors) == {p.id for p in personas}
    assert all(v.shape == (384,) for v in vectors.values())
    for expected, profile in (STORIES[0], STORIES[2]):
        centroid = e5.embed_passages([profile.headline, *profile.texts]).mean(axis=0)
        with_vec = StoryProfile(**{**profile.__dict__, "centroid": centroid})
        routing = route_story(with_vec, personas, beat_vectors=vectors)
        assert routing.lead == expected, routing.explain()
        cosines = [d.vector_cosine for d in routing.scores]
        assert all(c is not None and 0.5 < c < 1.0 for c in cosines)


def test_country_mentions_come_from_texts_in_any_language() -> None:
    profile = StoryProfile(
        "inv-mentions",
        texts=[
            "أعلنت الكويت خفض إنتاج النفط، وقالت الكويت إن السعودية أبلغت بالقرار.",
            "Kuwait said the cut was voluntary.",
        ],
        languages=["ar", "en"],
        countries={"KW", "SA"},
    )
    shares = profile.country_shares()
    assert shares["KW"] > shares["SA"] > 0
    assert abs(sum(shares.values()) - 1.0) < 1e-9
    assert count_country_mentions(["Kuwait and Saudi Arabia"], ["en"]) == {"KW": 1.0, "SA": 1.0}
