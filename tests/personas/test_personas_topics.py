"""Topic detection across the ten desk languages. Every sentence here is invented."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.personas import LANGUAGES, TOPICS, UnknownTopic, check_topic, detect_topics
from newsdesk.personas.topics import LEXICONS, count_topic_hits, normalise_text

# (language, invented sentence, the topic that must come first)
SENTENCES = [
    ("en", "The navy ordered three new submarines and a frigate from the state shipyard, the "
           "defence ministry said.", "defence"),
    ("fr", "La banque centrale a relevé son taux directeur d’un demi-point pour freiner "
           "l’inflation.", "monetary-policy"),
    ("de", "Die EU hat neue Sanktionen gegen die Schattenflotte beschlossen; Vermögenswerte von "
           "zwölf Reedern wurden eingefroren.", "sanctions"),
    ("es", "La huelga de los trabajadores del sindicato paralizó la mina; el sindicato exige "
           "mejores salarios.", "labour"),
    ("pt", "A comissão eleitoral adiou a eleição presidencial e os candidatos da oposição "
           "denunciaram a votação.", "elections"),
    ("ru", "Россия и Казахстан обсудили транзит газа и строительство нового газопровода.",
     "energy"),
    ("zh", "欧盟与日本就人工智能模型审计规则达成一致，人工智能开发商须提交算法说明。",
     "ai-policy"),
    ("ja", "港湾ストライキでコンテナ船が滞留し、貨物船の運賃が上昇している。", "shipping"),
    ("ar", "أعلنت الكويت خفض إنتاج النفط بمقدار مئة ألف برميل يوميا قبل اجتماع أوبك.", "energy"),
    ("hi", "नौसेना ने नई पनडुब्बियों के लिए शिपयार्ड का चयन किया, रक्षा मंत्रालय ने कहा।",
     "defence"),
]  # fmt: skip


def test_every_topic_has_all_ten_languages() -> None:
    assert len(TOPICS) >= 16
    for topic, per_lang in LEXICONS.items():
        assert set(per_lang) == set(LANGUAGES), topic
        for lang, words in per_lang.items():
            assert len(words) >= 3, (topic, lang)


@pytest.mark.parametrize(("lang", "text", "expected"), SENTENCES, ids=[s[0] for s in SENTENCES])
def test_top_topic_per_language(lang: str, text: str, expected: str) -> None:
    topics = detect_topics([text], lang)
    assert next(iter(topics)) == expected, topics
    assert abs(sum(topics.values()) - 1.0) < 1e-9
    # without a language hint every lexicon is tried, and the answer holds
    assert next(iter(detect_topics([text]))) == expected


def test_mixed_story_averages_texts_equally() -> None:
    texts = [s[1] for s in SENTENCES]
    topics = detect_topics(texts, [s[0] for s in SENTENCES])
    assert {"defence", "energy", "sanctions", "elections", "shipping"} <= set(topics)
    # two defence texts and two energy texts out of ten
    assert topics["defence"] > topics["elections"]
    assert topics["energy"] > topics["sanctions"]


def test_stems_match_word_prefixes_only() -> None:
    # two occurrences of one stem count 1 + ln 2
    assert count_topic_hits("Sanctioned banks face new sanctions.", "en") == {
        "sanctions": pytest.approx(1 + 0.6931, abs=1e-3)
    }
    # "oil$" is a whole word: oilseed is not energy; "import$" is not "important"
    assert detect_topics(["Oilseed is an important crop."], "en") == {"food-security": 1.0}
    # a stem inside a word does not count
    assert "sanctions" not in count_topic_hits("unsanctioned", "en")


def test_cjk_substrings_and_arabic_clitics() -> None:
    assert "sanctions" in count_topic_hits("欧盟对俄罗斯实施新一轮制裁", "zh")
    assert "sanctions" in count_topic_hits("والعقوبات الأوروبية الجديدة", "ar")
    # Arabic letter variants fold: أسلحة / اسلحة
    assert normalise_text("أسلحة") == normalise_text("اسلحه")


def test_no_hits_and_unknown_topic() -> None:
    assert detect_topics(["The weather was pleasant."], "en") == {}
    assert detect_topics([]) == {}
    assert check_topic("energy") == "energy"
    with pytest.raises(UnknownTopic, match="cricket"):
        check_topic("cricket")


@given(st.lists(st.text(max_size=200), max_size=5), st.sampled_from([None, *LANGUAGES]))
def test_detection_never_fails_and_shares_sum_to_one(texts: list[str], lang: str | None) -> None:
    topics = detect_topics(texts, lang)
    assert set(topics) <= set(TOPICS)
    assert not topics or abs(sum(topics.values()) - 1.0) < 1e-9
    for text in texts:
        once = normalise_text(text)
        assert normalise_text(once) == once
