"""text/words.py: one home for the wide (CJK) character test, checked against the five
versions it replaced on every character and sentence of the invented demo corpus."""

from __future__ import annotations

import re
import unicodedata

import pytest

from newsdesk.claims.links import _CJK
from newsdesk.demo.corpus import load_corpus
from newsdesk.read.passages import split_passages
from newsdesk.text.words import SPACELESS_CLASS, WIDE_CLASS, is_spaceless, is_wide
from newsdesk.write._text import count_words, tokenize
from newsdesk.write.watch import _is_spaceless


# -- the replaced versions, kept here as the reference ------------------------------------
def old_is_wide(ch: str) -> bool:
    """read/passages._is_wide and write/_text.is_wide (identical)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
    )


OLD_VERIFY_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]")
OLD_LINKS_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")


def old_watch_spaceless(text: str) -> bool:
    wide = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return wide * 2 > len(text)


def old_topics_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def old_gazetteer_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF


# -- the demo corpus ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_texts() -> list[tuple[str, str]]:
    corpus = load_corpus()
    return [(a.lang, f"{a.title}\n\n{a.text}") for a in corpus.articles]


@pytest.fixture(scope="module")
def demo_chars(demo_texts: list[tuple[str, str]]) -> set[str]:
    chars = {ch for _, text in demo_texts for ch in text}
    # verification and claims read NFKC-normalised text too
    chars |= {ch for _, text in demo_texts for ch in unicodedata.normalize("NFKC", text)}
    return chars


def test_the_demo_has_wide_text(demo_chars: set[str]) -> None:
    assert sum(1 for ch in demo_chars if is_spaceless(ch)) > 300  # zh and ja articles
    assert any(ch in demo_chars for ch in "。、「」")


def test_is_wide_agrees_with_the_old_versions_on_every_demo_character(
    demo_chars: set[str],
) -> None:
    assert {ch for ch in demo_chars if is_wide(ch) != old_is_wide(ch)} == set()
    assert {ch for ch in demo_chars if is_spaceless(ch) != old_topics_cjk(ch)} == set()
    assert {ch for ch in demo_chars if is_spaceless(ch) != old_gazetteer_cjk(ch)} == set()
    new_verify = re.compile(f"[{WIDE_CLASS}]")
    differ = {
        ch
        for ch in demo_chars
        if bool(new_verify.fullmatch(ch)) != bool(OLD_VERIFY_WIDE.fullmatch(ch))
    }
    # the old verify pattern missed the full-width forms; NFKC folds those before it runs
    assert all(0xFF00 <= ord(ch) <= 0xFFEF for ch in differ), differ


def test_word_counts_tokens_and_passages_unchanged_on_the_demo(
    demo_texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = [(count_words(t), tokenize(t, lang), split_passages(t, lang)) for lang, t in demo_texts]
    import newsdesk.read.passages as passages
    import newsdesk.write._text as text_mod

    monkeypatch.setattr(text_mod, "is_wide", old_is_wide)
    monkeypatch.setattr(passages, "is_wide", old_is_wide)
    old = [(count_words(t), tokenize(t, lang), split_passages(t, lang)) for lang, t in demo_texts]
    assert new == old


def test_spaceless_sentences_and_claim_bigrams_unchanged_on_the_demo(
    demo_texts: list[tuple[str, str]],
) -> None:
    sentences = [
        text[p.start : p.end] for lang, text in demo_texts for p in split_passages(text, lang)
    ]
    assert len(sentences) > 1000
    assert [_is_spaceless(s) for s in sentences] == [old_watch_spaceless(s) for s in sentences]
    for s in sentences:
        folded = unicodedata.normalize("NFKC", s)
        assert _CJK.findall(folded) == OLD_LINKS_CJK.findall(folded), s


@pytest.mark.parametrize(
    ("ch", "wide", "spaceless"),
    [
        ("a", False, False),
        ("é", False, False),
        ("中", True, True),  # Han
        ("𠀀", True, True),  # Han, Extension B (plane 2)
        ("々", True, True),  # ideographic iteration mark: a letter
        ("あ", True, True),  # hiragana
        ("ｱ", True, True),  # half-width katakana
        ("ㄅ", True, True),  # bopomofo
        ("한", True, False),  # hangul: wide, but Korean puts spaces between words
        ("ᄀ", True, False),  # hangul jamo (the old versions missed it)
        ("。", True, False),  # CJK punctuation: wide, not a letter
        ("Ａ", True, False),  # full-width Latin
        ("ก", False, False),  # Thai is spaceless but not wide: outside this test's scope
        ("", False, False),
    ],
)
def test_ranges(ch: str, wide: bool, spaceless: bool) -> None:
    assert is_wide(ch) is wide
    assert is_spaceless(ch) is spaceless
    assert bool(re.fullmatch(f"[{WIDE_CLASS}]", ch)) is wide
    assert bool(re.fullmatch(f"[{SPACELESS_CLASS}]", ch)) is spaceless


def test_every_wide_block_is_assigned_east_asian_width() -> None:
    """Each wide letter the table names is wide (W/F) or half-width (H) per Unicode."""
    for code in [*range(0x1100, 0x1160), *range(0x3041, 0x3097), *range(0x4E00, 0x9FF0, 97)]:
        ch = chr(code)
        assert is_wide(ch) and unicodedata.east_asian_width(ch) in ("W", "F", "H"), hex(code)
    for code in range(0x0000, 0x1100):
        assert not is_wide(chr(code))
