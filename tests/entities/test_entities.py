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


# -- precision: outlets, units, generic words, datelines (every sentence INVENTED) ---------------


def test_outlet_names_are_not_entities_of_the_story(extractor: DefaultExtractor) -> None:
    text = (
        "Invented: Quillon Power said output fell, according to Lakeside Courier. "
        "Officials told Harwick News Service that the Lakeside Courier report was wrong, "
        "Harwick reported."
    )
    outlets = ["Lakeside Courier", "The Harwick News Service"]
    found = extractor.extract(text, "en", outlets=outlets)
    names = {m.display_name for m in found}
    assert not names & {"Lakeside Courier", "Harwick News Service", "Harwick"}, names
    assert "org:quillon-power" in keys(found)
    # without the outlet list the extractor has no way to know, and keeps the names
    assert "Lakeside Courier" in {m.display_name for m in extractor.extract(text, "en")}


def test_outlet_names_in_other_scripts_and_brackets(extractor: DefaultExtractor) -> None:
    ru = "Вымышленно: как сообщил «Северный Вестник», компания «Талгар» подняла цены."
    found = extractor.extract(ru, "ru", outlets=["Северный Вестник (Severny Vestnik)"])
    texts = {m.text for m in found}
    assert "Северный Вестник" not in texts and "Талгар" in texts


def test_wire_dateline_yields_only_the_place(extractor: DefaultExtractor) -> None:
    text = (
        "NEW DELHI, Nov 11 (Harwick Wire) - Invented: the ministry met Quillon Power in "
        "New Delhi on Wednesday."
    )
    found = extractor.extract(text, "en", outlets=["Harwick Wire Service"])
    delhi = [m for m in found if m.text.lower() == "new delhi"]
    assert len(delhi) == 2
    assert {m.key for m in delhi} == {"place:new-delhi"}
    assert {m.display_name for m in delhi} == {"New Delhi"}
    assert all(m.start >= text.index(")") or m.end <= text.index(",") for m in found)
    assert not any("Harwick" in m.text or m.text.startswith("Nov") for m in found)


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("en", "SAN PEDRO DE ATACAMA, Chile, Nov 11 (Wire) - Invented: miners struck.", "San "
         "Pedro de Atacama"),
        ("en", "LAGOS/ABUJA, Nov 10 - Invented: fuel queues grew.", "Abuja"),
        ("de", "HAMBURG. Erfunden: Der Hafen meldete Verspätungen.", "Hamburg"),
        ("ru", "КАЗАНЬ, 10 ноября - Вымышленно: завод остановил линию.", "Казань"),
    ],
)  # fmt: skip
def test_datelines_in_capitals_give_a_title_case_place(
    extractor: DefaultExtractor, lang: str, text: str, place: str
) -> None:
    found = extractor.extract(text, lang)
    assert ("place", place) in {(m.type, m.display_name) for m in found}


def test_units_and_measures_are_not_organisations(extractor: DefaultExtractor) -> None:
    text = (
        "Invented: Quillon Power lost 1,150 MW on Saturday and plans a 5 GW plant costing "
        "USD 3 bn; output was 12 bcm and 40 TWh, up 7% from 2 mln tonnes."
    )
    found = extractor.extract(text, "en")
    units = {"MW", "GW", "USD", "bn", "bcm", "TWh", "mln"}
    assert not {m.text for m in found} & units, [(m.text, m.type) for m in found]
    de = "Erfunden: Die Nordwerk Energie AG lieferte 300 Megawatt, rund 18 Prozent mehr."
    assert not {m.text for m in extractor.extract(de, "de")} & {"Megawatt", "Prozent"}


def test_single_generic_capitalised_words_are_not_entities(extractor: DefaultExtractor) -> None:
    text = (
        "Digital: Invented story. The state asked the Centre for national rules on data "
        "centres. Government sources said the Ministry would reply. Analysis: Monday's "
        "meeting with Quillon Power went well."
    )
    names = {m.display_name for m in extractor.extract(text, "en")}
    assert not names & {"Digital", "Centre", "Government", "Ministry", "Analysis", "Monday"}
    assert "Quillon Power" in names


def test_lower_case_descriptions_are_not_names(extractor: DefaultExtractor) -> None:
    text = "Invented: the coast guard and the energy ministry met the Quillon Power board."
    found = extractor.extract(text, "en")
    assert all(any(ch.isupper() for ch in m.text) for m in found)


def test_german_capitalised_nouns_are_not_names(extractor: DefaultExtractor) -> None:
    de = (
        "Erfunden: Die Regierung prüft die Vorschläge. Laut Bericht sinkt die Nachfrage, "
        "die Preise steigen. Nordhavn Shipping widerspricht, sagte Sprecherin Mette Kjærgaard."
    )
    found = extractor.extract(de, "de")
    texts = {m.text for m in found}
    assert not texts & {"Regierung", "Vorschläge", "Bericht", "Nachfrage", "Preise"}, texts
    assert {"Nordhavn Shipping", "Mette Kjærgaard"} <= texts


def test_romance_single_capitalised_word_needs_more_than_capitals(
    extractor: DefaultExtractor,
) -> None:
    es = (
        "Inventado: el Ministerio de Minería respondió. Según Hacienda, la medida sigue. "
        "Hacienda no dio cifras. La Cámara Minera de Atacama protestó en Copiapó."
    )
    texts = {m.text for m in extractor.extract(es, "es")}
    assert "Hacienda" not in texts, texts
    assert "Cámara Minera de Atacama" in texts


def test_shouted_and_title_case_forms_fold_to_one_name() -> None:
    from newsdesk.entities.normalize import is_acronym, title_case

    assert normalize_alias("NEW DELHI") == normalize_alias("New Delhi")
    assert slugify("NEW DELHI") == slugify("New Delhi") == "new-delhi"
    assert title_case("SÃO PAULO") == "São Paulo"
    assert not is_acronym("NEW DELHI") and is_acronym("L&T") and is_acronym("NATO")
