"""Entity extraction across languages. Every sentence here is INVENTED for these tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.entities import DefaultExtractor, Mention, normalize_alias, slugify
from newsdesk.entities.normalize import fold_text, is_acronym_of


@pytest.fixture(scope="module")
def extractor() -> DefaultExtractor:
    return DefaultExtractor()


def keys(mentions: list[Mention]) -> set[str]:
    return {m.key or "" for m in mentions}


# Invented sentences: the same country (Russia) and body (IMF) in nine languages.
INVENTED = {
    "en": "On Tuesday officials from Russia met a delegation of the IMF in an invented meeting.",
    "ru": "Во вторник представители России встретились с делегацией МВФ на вымышленной встрече.",
    "zh": "周二，俄罗斯官员在一次虚构的会议上会见了国际货币基金组织代表团。",
    "ar": "التقى مسؤولون من روسيا يوم الثلاثاء بوفد من صندوق النقد الدولي في اجتماع متخيل.",
    "hi": "मंगलवार को रूस के अधिकारियों ने एक काल्पनिक बैठक में आईएमएफ के प्रतिनिधिमंडल से मुलाकात की।",
    "es": "El martes, funcionarios de Rusia se reunieron con una delegación del FMI (inventado).",
    "fr": "Mardi, des responsables de la Russie ont rencontré une délégation du FMI (inventé).",
    "de": "Am Dienstag trafen Vertreter Russlands eine Delegation des IWF (erfunden).",
    "ja": "火曜日、ロシアの当局者が架空の会合で国際通貨基金の代表団と会談した。",
}


@pytest.mark.parametrize("lang", sorted(INVENTED))
def test_country_and_body_resolve_to_one_key_in_every_language(
    extractor: DefaultExtractor, lang: str
) -> None:
    found = keys(extractor.extract(INVENTED[lang], lang))
    assert {"place:RU", "org:imf"} <= found, (lang, found)


@pytest.mark.parametrize(
    ("lang", "text", "key"),
    [
        ("zh", "中国和欧盟的代表在虚构的谈判中见面。", "place:CN"),
        ("ar", "وقالت الصين إن المحادثات المتخيلة ستستمر.", "place:CN"),
        ("ar", "وأرسلت الحكومة رسالة للصين في قصة متخيلة.", "place:CN"),
        ("ru", "Делегация Китая прибыла в вымышленный город.", "place:CN"),
        ("hi", "भारत और चीन ने एक काल्पनिक समझौते पर बात की।", "place:CN"),
        ("es", "La CEDEAO envió una misión inventada a Dakar.", "org:ecowas"),
        ("fr", "L'OTAN et l'ONU ont publié un communiqué inventé.", "org:nato"),
        ("ja", "北大西洋条約機構は架空の声明を出した。", "org:nato"),
        (
            "de",
            "Die Europäische Union und die OPEC+ berieten in einer erfundenen Sitzung.",
            "org:eu",
        ),
    ],
)
def test_gazetteer_names_in_context(
    extractor: DefaultExtractor, lang: str, text: str, key: str
) -> None:
    assert key in keys(extractor.extract(text, lang))


def test_french_article_un_is_not_the_united_nations(extractor: DefaultExtractor) -> None:
    found = keys(extractor.extract("Un responsable a signé un accord inventé avec l'ONU.", "fr"))
    assert found & {"org:un"} == {"org:un"}
    mentions = extractor.extract("Un responsable a signé un accord inventé.", "fr")
    assert "org:un" not in keys(mentions)


def test_acronym_merges_with_expansion_in_the_same_article(extractor: DefaultExtractor) -> None:
    text = (
        "Invented: Larsen & Toubro (L&T) bid for the contract on Monday. "
        "Analysts said L&T had the lowest price."
    )
    found = extractor.extract(text, "en")
    lt = [m for m in found if m.text in ("L&T", "Larsen & Toubro")]
    assert len(lt) == 3
    assert {m.key for m in lt} == {"org:larsen-and-toubro"}
    assert is_acronym_of("L&T", "Larsen & Toubro")


def test_surname_and_title_link_to_the_full_name(extractor: DefaultExtractor) -> None:
    text = (
        "Invented: Mara Velden, the fisheries minister, arrived in Oslo. "
        "Mr. Velden later told reporters that Velden's plan was ready."
    )
    velden = [m for m in extractor.extract(text, "en") if "Velden" in m.text]
    assert len(velden) == 3
    assert {m.key for m in velden} == {"person:mara-velden"}
    assert all(not m.text.endswith("'s") for m in velden)


def test_possessives_case_and_diacritics_are_ignored(extractor: DefaultExtractor) -> None:
    found = extractor.extract("Invented: Russia's envoy and Côte d’Ivoire's minister met.", "en")
    assert {"place:RU", "place:CI"} <= keys(found)
    assert normalize_alias("Russia's") == normalize_alias("RUSSIA") == "russia"
    assert normalize_alias("Perú") == normalize_alias("peru")
    assert len(fold_text("İstanbul Straße")) == len("İstanbul Straße")


def test_domain_types(extractor: DefaultExtractor) -> None:
    text = (
        "Invented: the navy will buy Bayraktar TB2 drones and a Scorpène-class submarine "
        "under Project 75I and Make in India, while the F-35 order waits. Ministers cited "
        "the Paris Agreement, the grain deal and a new transit agreement."
    )
    by_type = {(m.type, m.key) for m in extractor.extract(text, "en")}
    assert ("platform", "platform:bayraktar-tb2") in by_type
    assert ("platform", "platform:scorpene-class-submarine") in by_type
    assert ("platform", "platform:f-35") in by_type
    assert ("programme", "programme:project-75i") in by_type
    assert ("programme", "programme:make-in-india") in by_type
    assert ("agreement", "agreement:paris-agreement") in by_type
    assert ("agreement", "agreement:grain-deal") in by_type
    assert ("agreement", "agreement:transit-agreement") in by_type


def test_transit_agreement_across_languages(extractor: DefaultExtractor) -> None:
    ru = "Вымышленно: стороны подписали соглашение о транзите газа."
    zh = "虚构：双方签署了过境协议。"
    assert "agreement:transit-agreement" in keys(extractor.extract(ru, "ru"))
    assert "agreement:transit-agreement" in keys(extractor.extract(zh, "zh"))


def test_span_heuristics_find_names_without_a_model(extractor: DefaultExtractor) -> None:
    ru = "Вымышленно: глава компании «Уралгазэкспорт» Кирилл Бережной прибыл в Астану."
    found = {(m.type, m.text) for m in extractor.extract(ru, "ru")}
    assert ("org", "Уралгазэкспорт") in found
    assert ("person", "Кирилл Бережной") in found
    de = "Erfunden: Gewerkschaftschefin Faridah Salleh kritisierte die Corvane Labs scharf."
    found = {(m.type, m.text) for m in extractor.extract(de, "de")}
    assert ("person", "Faridah Salleh") in found
    assert ("org", "Corvane Labs") in found
    zh = "虚构：PBCT 表示，Larsen & Toubro 已提交报价。"
    assert {"org:pbct", "org:larsen-and-toubro"} <= keys(extractor.extract(zh, "zh"))


def test_slugs_transliterate() -> None:
    assert slugify("Кирилл Бережной") == "kirill-berezhnoi"
    assert slugify("Mara Velden") == "mara-velden"
    assert slugify("Larsen & Toubro") == "larsen-and-toubro"


def test_offsets_point_at_the_text(extractor: DefaultExtractor) -> None:
    for lang, text in INVENTED.items():
        for m in extractor.extract(text, lang):
            assert text[m.start : m.end] == m.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("ab AZ.&'-(L&T)«»\"\nРоссияИндия中国ロシアरूसالصين IMF")),
        max_size=80,
    ),
    lang=st.sampled_from(["ru", "zh", "de", "fr", "ar", "hi", None]),
)
def test_any_text_gives_consistent_offsets(
    extractor: DefaultExtractor, text: str, lang: str | None
) -> None:
    found = extractor.extract(text, lang)
    last_end = 0
    for m in found:
        assert text[m.start : m.end] == m.text and m.key
        assert m.start >= last_end
        last_end = m.end
