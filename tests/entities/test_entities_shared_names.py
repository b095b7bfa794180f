"""'Congo' means the Congo the article is about. All sentences are invented."""

from __future__ import annotations

import pytest

from newsdesk.entities.base import Mention, Origin
from newsdesk.entities.disambiguate import resolve_shared_names
from newsdesk.entities.extract import DefaultExtractor


@pytest.fixture(scope="module")
def extractor() -> DefaultExtractor:
    return DefaultExtractor()


def _keys(extractor: DefaultExtractor, text: str, lang: str) -> dict[str, str | None]:
    return {m.text: m.key for m in extractor.extract(text, lang)}


@pytest.mark.parametrize(
    ("lang", "text", "bare"),
    [
        (
            "en",
            "Congo's cobalt deal with an invented refiner drew scrutiny. The Democratic "
            "Republic of the Congo signed it in Kinshasa on Monday.",
            "Congo",
        ),
        ("en", "Protesters gathered in Lubumbashi as Congo weighed the contract.", "Congo"),
        ("fr", "Le Congo a signé le contrat à Kinshasa, a indiqué le ministère.", "Congo"),
        ("de", "Der Kongo will den Vertrag prüfen, hieß es in Kinshasa.", "Kongo"),
        ("ru", "Конго подписало контракт в Киншасе, сообщило министерство.", "Конго"),
        ("ar", "وقعت الكونغو العقد في كينشاسا يوم الاثنين.", "الكونغو"),
    ],
)
def test_bare_congo_follows_kinshasa_and_the_drc(
    extractor: DefaultExtractor, lang: str, text: str, bare: str
) -> None:
    assert _keys(extractor, text, lang)[bare] == "place:CD"


def test_bare_congo_follows_brazzaville(extractor: DefaultExtractor) -> None:
    text = "Congo's oil minister spoke in Brazzaville about the invented offshore block."
    assert _keys(extractor, text, "en")["Congo"] == "place:CG"


def test_full_names_resolve_in_several_languages(extractor: DefaultExtractor) -> None:
    assert (
        "place:CD"
        in _keys(extractor, "La République démocratique du Congo a signé l'accord.", "fr").values()
    )
    assert (
        "place:CG"
        in _keys(extractor, "The Republic of the Congo signed an invented accord.", "en").values()
    )


def test_without_evidence_the_gazetteer_reading_stays(extractor: DefaultExtractor) -> None:
    assert _keys(extractor, "Congo signed an invented accord on Monday.", "en")["Congo"] in {
        "place:CG",
        "place:CD",
    }
    found = [Mention("Congo", 0, 5, "place", "place:CG", "Congo - Brazzaville", Origin.GAZETTEER)]
    assert resolve_shared_names(found) == found


def test_a_tie_leaves_the_mention_alone() -> None:
    found = [
        Mention("Congo", 0, 5, "place", "place:CG", "Congo - Brazzaville", Origin.GAZETTEER),
        Mention("Kinshasa", 10, 18, "place", "place:kinshasa", "Kinshasa", Origin.GAZETTEER),
        Mention("Brazzaville", 30, 41, "place", "place:brazzaville", "Brazzaville", Origin.NER),
    ]
    assert resolve_shared_names(found)[0].key == "place:CG"
    found.append(Mention("DRC", 50, 53, "place", "place:CD", "Congo - Kinshasa", Origin.GAZETTEER))
    resolved = resolve_shared_names(found)
    assert resolved[0].key == "place:CD" and resolved[0].name == "Congo - Kinshasa"
    assert resolved[1:] == found[1:]
