"""Language identification with the bundled lite model, script checks and hints."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsdesk.text.language import (
    HINT_CONFIDENCE,
    clean_text,
    correct_by_script,
    detect_article_language,
    detect_language,
    normalize_language_code,
    supported_languages,
)

# Invented sentences (no real events), one per language.
SENTENCES = {
    "en": "The city council approved a new budget for the public libraries on Tuesday evening.",
    "fr": "Le conseil municipal a approuvé mardi soir un nouveau budget pour les bibliothèques "
    "publiques.",
    "de": "Der Stadtrat hat am Dienstagabend einen neuen Haushalt für die öffentlichen "
    "Bibliotheken beschlossen.",
    "es": "El ayuntamiento aprobó el martes por la noche un nuevo presupuesto para las "
    "bibliotecas públicas.",
    "pt": "A câmara municipal aprovou na terça-feira à noite um novo orçamento para as "
    "bibliotecas públicas.",
    "it": "Il consiglio comunale ha approvato martedì sera un nuovo bilancio per le biblioteche "
    "pubbliche.",
    "ru": "Городской совет во вторник вечером утвердил новый бюджет для публичных библиотек.",
    "uk": "Міська рада у вівторок увечері затвердила новий бюджет для публічних бібліотек.",
    "zh": "市议会周二晚上批准了公共图书馆的新预算，预计明年开始实施。",
    "ja": "市議会は火曜日の夜、公共図書館のための新しい予算を承認しました。",
    "ko": "시의회는 화요일 저녁 공공 도서관을 위한 새 예산을 승인했습니다.",
    "ar": "وافق مجلس المدينة مساء الثلاثاء على ميزانية جديدة للمكتبات العامة.",
    "hi": "नगर परिषद ने मंगलवार शाम सार्वजनिक पुस्तकालयों के लिए नया बजट मंजूर किया।",
    "tr": "Belediye meclisi salı akşamı halk kütüphaneleri için yeni bir bütçeyi onayladı.",
    "pl": "Rada miejska we wtorek wieczorem zatwierdziła nowy budżet dla bibliotek publicznych.",
    "nl": "De gemeenteraad heeft dinsdagavond een nieuwe begroting voor de openbare "
    "bibliotheken goedgekeurd.",
    "vi": "Hội đồng thành phố đã phê duyệt ngân sách mới cho các thư viện công cộng vào tối "
    "thứ Ba.",
    "id": "Dewan kota menyetujui anggaran baru untuk perpustakaan umum pada Selasa malam.",
    "fa": "شورای شهر سه‌شنبه شب بودجه جدیدی را برای کتابخانه‌های عمومی تصویب کرد.",
    "sw": "Baraza la jiji liliidhinisha bajeti mpya kwa maktaba za umma Jumanne jioni.",
    "el": "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το βράδυ νέο προϋπολογισμό για τις "
    "δημόσιες βιβλιοθήκες.",
    "he": "מועצת העיר אישרה ביום שלישי בערב תקציב חדש לספריות הציבוריות.",
    "th": "สภาเมืองอนุมัติงบประมาณใหม่สำหรับห้องสมุดสาธารณะเมื่อเย็นวันอังคาร",
    "sv": "Kommunfullmäktige godkände på tisdagskvällen en ny budget för de offentliga "
    "biblioteken.",
    "cs": "Městská rada v úterý večer schválila nový rozpočet pro veřejné knihovny.",
    "ro": "Consiliul local a aprobat marți seara un nou buget pentru bibliotecile publice.",
    "hu": "A városi tanács kedd este új költségvetést fogadott el a közkönyvtárak számára.",
    "fi": "Kaupunginvaltuusto hyväksyi tiistai-iltana uuden talousarvion yleisille kirjastoille.",
    "bn": "নগর পরিষদ মঙ্গলবার সন্ধ্যায় সরকারি গ্রন্থাগারের জন্য নতুন বাজেট অনুমোদন করেছে।",
    "ur": "سٹی کونسل نے منگل کی شام عوامی لائبریریوں کے لیے نئے بجٹ کی منظوری دی۔",
}


def test_model_supports_at_least_fifty_languages() -> None:
    languages = supported_languages()
    assert len(languages) >= 50
    assert {"en", "fr", "zh", "ja", "ar", "hi", "sw", "fa"} <= languages
    assert all(code == code.lower() for code in languages)


def test_detects_written_sentences_in_many_languages() -> None:
    results = {lang: detect_language(text) for lang, text in SENTENCES.items()}
    right = [lang for lang, (code, _) in results.items() if code == lang]
    assert len(right) >= len(SENTENCES) - 1, results
    core = ["en", "fr", "de", "es", "pt", "it", "ru", "uk", "zh", "ja", "ko", "ar", "hi", "tr"]
    assert all(results[lang][0] == lang for lang in core), results
    assert all(0.0 <= conf <= 1.0 for _, conf in results.values())
    assert results["de"][1] > 0.9


def test_short_text_defers_to_hint() -> None:
    assert detect_language("Brexit", "de-DE") == ("de", HINT_CONFIDENCE)
    assert detect_language("OK", "zh-CN") == ("zh", HINT_CONFIDENCE)
    assert detect_language("https://example.com/x 2025", "pt_BR") == ("pt", HINT_CONFIDENCE)
    assert detect_language("", None) == (None, 0.0)
    code, confidence = detect_language("Guten Morgen, liebe Freunde")  # short, no hint: try
    assert code == "de" and 0.0 < confidence <= 1.0
    # a long text is judged on its own, whatever the hint
    assert detect_language(SENTENCES["fr"], "en")[0] == "fr"
    # the threshold is a parameter
    assert detect_language(SENTENCES["fr"], "en", min_chars=500) == ("en", HINT_CONFIDENCE)


def test_noise_is_cleaned_and_input_bounded() -> None:
    noisy = (
        "<p>Le conseil municipal a approuvé</p>\nhttps://example.com/en/english-words "
        "&amp; @newsdesk #breaking 2025 un nouveau budget pour les bibliothèques."
    )
    cleaned = clean_text(noisy)
    assert "http" not in cleaned and "<p>" not in cleaned and "\n" not in cleaned
    assert "2025" not in cleaned and "@newsdesk" not in cleaned
    assert detect_language(noisy)[0] == "fr"
    long_text = SENTENCES["es"] * 200
    assert len(clean_text(long_text)) <= 1000
    assert detect_language(long_text)[0] == "es"


def test_codes_are_iso_639_1() -> None:
    assert normalize_language_code("zh-CN") == "zh"
    assert normalize_language_code("__label__yue") == "zh"
    assert normalize_language_code("EN_us") == "en"
    assert normalize_language_code("fra") == "fr"
    assert normalize_language_code("arz") == "ar"
    assert normalize_language_code("") is None
    assert normalize_language_code("123") is None


def test_script_check_overrides_contradicting_answers() -> None:
    # Kanji-only Japanese headlines look Chinese to the model; kana settles it.
    assert detect_language("東京都、新予算を発表 ひとことだけ")[0] == "ja"
    # Han only is Chinese even when the model leans to Japanese.
    assert detect_language("東京大学研究室発表", "ja")[0] in {"ja", "zh"}
    assert detect_language("市政府发布新预算报告全文", None, min_chars=1)[0] == "zh"
    for lang in ("ko", "th", "he", "el", "hi"):
        code, _ = detect_language(SENTENCES[lang][:30], None, min_chars=1)
        assert code == lang
    # Hangul jamo alone: the model guesses English, the script says Korean.
    assert detect_language("ㅋㅋㅋ", None, min_chars=1)[0] == "ko"
    # Devanagari Marathi stays Marathi.
    assert detect_language("मुंबई महानगरपालिकेने मंगळवारी नवीन अर्थसंकल्प मंजूर केला आहे.")[0] == "mr"


@pytest.mark.parametrize(
    ("text", "wrong", "expected"),
    [
        ("한국어 문장입니다", "ja", "ko"),
        ("ภาษาไทยเท่านั้น", "lo", "th"),
        ("עברית בלבד כאן", "ar", "he"),
        ("ελληνικά μόνο εδώ", "ru", "el"),
        ("केवल हिंदी पाठ यहाँ", "sa", "hi"),
        ("漢字とかなの文", "zh", "ja"),
        ("只有汉字的句子", "ja", "zh"),
    ],
)
def test_correct_by_script_prefers_unique_scripts(text: str, wrong: str, expected: str) -> None:
    assert correct_by_script(text, wrong, {wrong: 0.9, expected: 0.05}) == (expected, 0.05)
    assert correct_by_script(text, expected, {expected: 0.9}) is None


def test_correct_by_script_keeps_allowed_answers() -> None:
    assert correct_by_script("मुंबई महानगरपालिकेने", "mr", {"mr": 0.9}) is None
    assert correct_by_script("काठमाडौं महानगरपालिका", "ne", {"ne": 0.9}) is None
    assert correct_by_script("ייִדיש", "yi", {"yi": 0.9}) is None
    assert correct_by_script("Plain Latin text", "en", {"en": 0.9}) is None
    assert correct_by_script("123", "en", {}) is None
    # no score for the script's language among the candidates: the hint confidence
    assert correct_by_script("ελληνικά", "ru", {"ru": 0.9}) == ("el", HINT_CONFIDENCE)


def test_article_language_uses_title_and_lead() -> None:
    body = SENTENCES["it"] + " " + SENTENCES["it"]
    assert detect_article_language("Nuovo bilancio per le biblioteche", body, "en")[0] == "it"
    assert detect_article_language("", "", "es") == ("es", HINT_CONFIDENCE)
    assert detect_article_language("Breve", "", "it") == ("it", HINT_CONFIDENCE)
    huge = SENTENCES["nl"] * 1000
    assert detect_article_language("", huge, None)[0] == "nl"


_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import sys

    def refuse_network(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            raise RuntimeError(f"network use attempted: {event} {args!r}")

    sys.addaudithook(refuse_network)

    from newsdesk.text.language import _DETECTOR, detect_language

    for text in ("The council approved the budget on Tuesday evening.",
                 "Le conseil a approuvé le budget mardi soir, après un long débat."):
        print(detect_language(text)[0])
    print(sorted(_DETECTOR._models))
    """
)


def test_lite_model_only_and_nothing_downloaded(tmp_path: Path) -> None:
    cache = tmp_path / "ftlang-cache"
    cache.mkdir()
    env = {
        **os.environ,
        "FTLANG_CACHE": str(cache),
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["en", "fr", "['low_memory']"]
    assert list(cache.iterdir()) == []  # the 126 MB lid.176.bin was never fetched


def test_in_process_detector_never_loaded_the_large_model() -> None:
    from newsdesk.text import language

    detect_language(SENTENCES["en"])
    assert set(language._DETECTOR._models) == {"low_memory"}
    assert language._DETECTOR.config.model == "lite"


@pytest.mark.parametrize("text", ["12345 67890", "!!! ??? ...", "   ", "<br/><br/>"])
def test_text_without_letters_gives_no_language(text: str) -> None:
    assert detect_language(text, min_chars=1) == (None, 0.0)
