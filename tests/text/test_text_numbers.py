"""text/numbers.py: the one reader of numerals that clustering, claims and verification share."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.claims.numbers import find_quantities, parse_number
from newsdesk.stories.features import extract_numbers
from newsdesk.text.dates import find_date_mentions
from newsdesk.text.numbers import (
    find_numbers,
    fold_digits,
    number_readings,
    read_number,
    value_key,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("٥٫٢٥", "5٫25"),  # Arabic-Indic digits; the Arabic decimal separator stays
        ("۱۴۰۳", "1403"),  # Extended Arabic-Indic (Persian)
        ("१,२०,०००", "1,20,000"),  # Devanagari
        ("২০২৬", "2026"),  # Bengali
        ("２０２６年", "2026年"),  # full-width
        ("๒๕๖๙", "2569"),  # Thai
        ("plain 42", "plain 42"),
    ],
)
def test_fold_digits_keeps_length(text: str, folded: str) -> None:
    assert fold_digits(text) == folded and len(fold_digits(text)) == len(text)


@pytest.mark.parametrize(
    ("token", "lang", "value"),
    [
        ("40,000", None, 40000.0),
        ("40.000", None, 40000.0),  # three-digit groups are thousands when the language is unknown
        ("40 000", None, 40000.0),
        ("1,20,000", None, 120000.0),  # Indian grouping
        ("6,8", None, 6.8),
        ("1,234.5", None, None),  # mixed marks: ambiguous without a language
        ("1.150", "de", 1150.0),
        ("1.150", "en", 1.15),
        ("1,5", "en", 1.5),
        ("1.150,5", "fr", 1150.5),
        ("1,15,000", "hi", 115000.0),
        ("४,०००", "en", 4000.0),
        ("12abc", "en", None),
    ],
)
def test_read_number(token: str, lang: str | None, value: float | None) -> None:
    assert read_number(token, lang) == value


def test_readings_cover_every_convention() -> None:
    assert number_readings("40,000") == {40000.0, 40.0}
    assert number_readings("1.234,5") == {1234.5}
    assert number_readings("6,8") == {6.8}
    assert number_readings("5 100") == {5100.0}


def test_find_numbers_applies_scales() -> None:
    found = {m.surface: m.values for m in find_numbers("Exports rose 18% to $1.2bn, or 4 000 тыс.")}
    assert found["18%"] == {value_key(18)}
    assert value_key(1.2e9) in found["1.2bn"]
    assert value_key(4e6) in found["4 000 тыс"]


def test_the_three_callers_read_the_same_figure_alike() -> None:
    """One figure in three scripts: clustering, the claims ledger and dates agree."""
    for text, lang in [
        ("Officials said 1,150 containers were stuck.", "en"),
        ("Les autorités ont dit que 1 150 conteneurs étaient bloqués.", "fr"),
        ("अधिकारियों ने कहा कि १,१५० कंटेनर फँसे हैं।", "hi"),
    ]:
        assert "1150" in extract_numbers(text)
        assert [q.value for q in find_quantities(text, lang)] == [1150.0]
    assert parse_number("drei", "de") == 3.0  # number words stay with the claims lexicon
    assert parse_number("1.150", "de") == read_number("1.150", "de") == 1150.0
    anchor = dt.date(2026, 3, 1)
    assert [m.date.day for m in find_date_mentions("due on ١٥ March", anchor, "en")] == [15]


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_read_back(n: int) -> None:
    grouped = f"{n:,}"
    assert read_number(grouped, "en") == float(n)
    assert read_number(grouped.replace(",", "."), "de") == float(n)
    assert float(n) in number_readings(grouped)
