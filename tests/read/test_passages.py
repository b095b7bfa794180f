"""Sentence segmentation across languages and the passages built from it.

Every example sentence below is invented.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.read.passages import PassageSpan, split_passages, split_sentences


def sentences(text: str, lang: str | None = None) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


CASES: list[tuple[str | None, str, list[str]]] = [
    (
        "en",
        "Mr. J. R. Smith met Dr. Jones at 3.5 p.m. in the U.S. capital. "
        'Version 2.1.3 shipped... and then it broke! "Why?" she asked. '
        'He said "Stop." Then he left. See https://example.com/a.b?x=1 for more. '
        "Write to desk.news@example.org. Prof. Lee and Gen. Ray met Sen. Kim, Rep. Ode and "
        "Lt. Col. Bay in St. Paul on Jan. 5. The end",
        [
            "Mr. J. R. Smith met Dr. Jones at 3.5 p.m. in the U.S. capital.",
            'Version 2.1.3 shipped... and then it broke! "Why?" she asked.',
            'He said "Stop."',
            "Then he left.",
            "See https://example.com/a.b?x=1 for more.",
            "Write to desk.news@example.org.",
            "Prof. Lee and Gen. Ray met Sen. Kim, Rep. Ode and Lt. Col. Bay in St. Paul on Jan. 5.",
            "The end",
        ],
    ),
    (
        "en",
        "Acme Inc. and Bolt Ltd. vs. Crane Corp. (e.g. No. 4) went to court, i.e. again. "
        "(It failed.) [Next came more.] Profits rose 12%. Shares fell.",
        [
            "Acme Inc. and Bolt Ltd. vs. Crane Corp. (e.g. No. 4) went to court, i.e. again.",
            "(It failed.)",
            "[Next came more.]",
            "Profits rose 12%.",
            "Shares fell.",
        ],
    ),
    (
        "fr",
        "M. Dupont est arrivé à Lyon. Mme. Durand l'attendait ! « Pourquoi ? » a-t-elle "
        "demandé. Il a répondu : « Parce que. » Fin.",
        [
            "M. Dupont est arrivé à Lyon.",
            "Mme. Durand l'attendait !",
            "« Pourquoi ? » a-t-elle demandé.",
            "Il a répondu : « Parce que. »",
            "Fin.",
        ],
    ),
    (
        "de",
        "Am 3. Oktober kam Dr. Weber z.B. mit Zug Nr. 5 nach Berlin. Er blieb bzw. wohnte "
        "usw. dort. Danach fuhr er heim.",
        [
            "Am 3. Oktober kam Dr. Weber z.B. mit Zug Nr. 5 nach Berlin.",
            "Er blieb bzw. wohnte usw. dort.",
            "Danach fuhr er heim.",
        ],
    ),
    (
        "es",
        "El Sr. García y la Sra. Pérez viajaron a EE.UU. ayer. ¿Vienes mañana? Sí. ¡Claro que sí!",
        [
            "El Sr. García y la Sra. Pérez viajaron a EE.UU. ayer.",
            "¿Vienes mañana?",
            "Sí.",
            "¡Claro que sí!",
        ],
    ),
    (
        "ru",
        "В 2025 г. А. С. Иванов приехал в Тверь. Он сказал, т.е. подтвердил, что т.д. "
        "Ул. Ленина, д. 5, им. Пушкина. Конец.",
        [
            "В 2025 г. А. С. Иванов приехал в Тверь.",
            "Он сказал, т.е. подтвердил, что т.д. Ул. Ленина, д. 5, им. Пушкина.",
            "Конец.",
        ],
    ),
    (
        "zh",
        "他说：“我们会继续。”然后离开了。今天天气很好！你呢？价格是3．5元。",
        ["他说：“我们会继续。”", "然后离开了。", "今天天气很好！", "你呢？", "价格是3．5元。"],
    ),
    (
        "ja",
        "東京で会議が開かれた。「賛成です。」と彼は言った。本当？終わり！",
        ["東京で会議が開かれた。", "「賛成です。」と彼は言った。", "本当？", "終わり！"],
    ),
    (
        "ar",
        "افتتح المجلس جلسته صباحا. هل وافق الأعضاء على الميزانية؟ نعم وافقوا۔ انتهت الجلسة.",
        [
            "افتتح المجلس جلسته صباحا.",
            "هل وافق الأعضاء على الميزانية؟",
            "نعم وافقوا۔",
            "انتهت الجلسة.",
        ],
    ),
    (
        "hi",
        "नगर परिषद ने नया बजट मंजूर किया। बैठक शाम को हुई॥ क्या सभी सहमत थे? हाँ।",
        ["नगर परिषद ने नया बजट मंजूर किया।", "बैठक शाम को हुई॥", "क्या सभी सहमत थे?", "हाँ।"],
    ),
    (
        None,
        "Headline without a stop\nSecond line ends here\n\nThird. Fourth\r\nFifth",
        ["Headline without a stop", "Second line ends here", "Third.", "Fourth", "Fifth"],
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[c[0] or "lines" for c in CASES])
def test_split_sentences_examples(lang: str | None, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_german_ordinals_only_with_language() -> None:
    text = "Der Termin ist am 3. Oktober."
    assert sentences(text, "de") == [text]
    assert sentences("He came 3. Then he left.", "en") == ["He came 3.", "Then he left."]


def test_ellipsis_splits_before_capital_not_lowercase() -> None:
    assert sentences("Wait… and then. Go… Now!") == ["Wait… and then.", "Go…", "Now!"]


def test_passages_index_original_text_exactly() -> None:
    text = "  First sentence here.   Second one!\n\n  Third?  "
    passages = split_passages(text)
    assert [p.text for p in passages] == ["First sentence here.", "Second one!", "Third?"]
    assert [p.position for p in passages] == [0, 1, 2]
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert isinstance(p, PassageSpan)
    assert split_passages("   \n\n \t ") == []


def test_long_sentence_splits_at_clauses_then_whitespace() -> None:
    clause = "the committee reviewed the invented proposal in detail"
    text = "; ".join([clause] * 20) + "."
    passages = split_passages(text, max_chars=200)
    assert len(passages) > 1
    assert all(len(p.text) <= 200 for p in passages)
    assert all(p.text.endswith((";", ".")) for p in passages)
    words = " ".join(["word"] * 300)
    pieces = split_passages(words, max_chars=100)
    assert all(len(p.text) <= 100 for p in pieces)
    assert " ".join(p.text for p in pieces) == words
    assert split_passages("10:30 " * 50, max_chars=60)[0].text.endswith("10:30")


def test_cjk_long_sentence_is_cut_without_spaces() -> None:
    text = "市议会讨论了新预算" * 100
    passages = split_passages(text, max_chars=120)
    assert all(len(p.text) <= 120 for p in passages)
    assert "".join(p.text for p in passages) == text
    clauses = "，".join(["市议会讨论了新预算"] * 40) + "。"
    assert all(p.text.endswith(("，", "。")) for p in split_passages(clauses, max_chars=60))


def test_unbreakable_token_may_exceed_limit() -> None:
    token = "x" * 700
    passages = split_passages(f"Look: {token} done", max_chars=600)
    assert [p.text for p in passages] == ["Look:", token, "done"]
    with pytest.raises(ValueError):
        split_passages("text", max_chars=0)


_alphabet = st.sampled_from(
    [
        *"abcXYZ  \n\t.!?…,;:\"'()«»“”",
        *["Mr.", "U.S.", "3.5", " J. ", "。", "！", "？", "．", "؟", "۔", "।", "॥", "中", "文"],
        *["\u00a0", "\r\n", "\u2028", "e.g.", "http://x.y/z.", "\u200b", "ä"],
    ]
)
_texts = st.lists(_alphabet, max_size=120).map("".join) | st.text(max_size=200)


@settings(max_examples=400, deadline=None)
@given(_texts, st.integers(min_value=1, max_value=80), st.sampled_from([None, "en", "de", "zh"]))
def test_passage_spans_properties(text: str, max_chars: int, lang: str | None) -> None:
    passages = split_passages(text, lang, max_chars=max_chars)
    covered = [False] * len(text)
    previous_end = 0
    for i, p in enumerate(passages):
        assert p.position == i
        assert 0 <= previous_end <= p.start < p.end <= len(text)
        assert text[p.start : p.end].strip() == p.text
        assert text[p.start : p.end] == p.text
        assert len(p.text) <= max_chars or not any(ch.isspace() for ch in p.text)
        for j in range(p.start, p.end):
            covered[j] = True
        previous_end = p.end
    assert all(covered[j] or ch.isspace() for j, ch in enumerate(text))


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_sentence_spans_properties(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    covered = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        covered += sum(1 for ch in text[start:end] if not ch.isspace())
        previous_end = end
    assert covered == sum(1 for ch in text if not ch.isspace())
