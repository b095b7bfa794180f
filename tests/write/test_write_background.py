"""Background sentences: what came before the story goes under Context, in any language.

All sentences are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from newsdesk.write.background import is_background
from newsdesk.write.extractive import ExtractiveWriter
from newsdesk.write.model import DisputeBrief, SectionKey, SourcePassage, WritingBrief

WHEN = dt.datetime(2026, 11, 10, 8, tzinfo=dt.UTC)


def _p(
    text: str, lang: str = "en", pid: str = "1:0", published: dt.datetime | None = WHEN
) -> SourcePassage:
    article, pos = (int(x) for x in pid.split(":"))
    return SourcePassage(pid, text, article, "Invented Wire", lang, published, position=pos)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "A similar levy announced in 2023 was shelved after objections from lenders."),
        ("en", "The port's exports reached a record last year, the authority has said."),
        ("en", "The region has faced sporadic unrest along its northern border in recent years."),
        ("fr", "La société, fondée en 2019, exploite déjà deux raffineries dans la région."),
        ("es", "El puerto ya había cerrado dos veces el año pasado por huelgas similares."),
        ("de", "Seit 2021 verhandeln beide Seiten über gemeinsame Prüfregeln für Batterien."),
        ("ru", "Загрузка маршрута в прошлом году не превышала двух третей его мощности."),
        ("zh", "分析人士认为，该国近年来一直寻求钴资源买家多元化。"),
        ("ja", "同社は2018年に設立され、現在は三つの工場を運営している。"),
    ],
)
def test_past_years_and_past_phrases_are_background(lang: str, text: str) -> None:
    assert is_background(_p(text, lang))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # the event itself, its days and its figures
        ("en", "Crane operators walked off the job on Monday, halting most loading."),
        ("en", "Fourteen vessels have been inspected since Thursday, the ministry said."),
        ("en", "Quotes rose from about 1,900 dollars to 2,700 dollars per container."),
        ("en", "About 2000 workers joined the strike, the union said."),
        # an old treaty named in today's news is not background by itself
        ("en", "The envoy asked for talks under the 1997 bilateral mining treaty."),
        ("en", "The committee will vote in 2027 on the new rules."),
        ("fr", "Le ministère a rejeté mercredi les accusations de l'opposition."),
        ("de", "Der seit Mittwoch laufende Streik verschärft die Lage."),
        # a direct quote is a statement made in the story
        ("en", '"The rules were set in 2024 and have not changed," the ministry said.'),
        ("fr", "« Les règles sont les mêmes depuis 2024 et rien n'a changé », a dit le ministre."),
    ],
)
def test_the_event_itself_is_not_background(lang: str, text: str) -> None:
    assert not is_background(_p(text, lang))


def test_a_year_counts_against_the_passage_own_date() -> None:
    text = "The programme was first approved in principle in 2026."
    assert not is_background(_p(text, published=WHEN))
    assert is_background(_p(text, published=WHEN.replace(year=2028)))
    assert not is_background(_p(text, published=None))


def _brief(disputes: list[DisputeBrief] | None = None) -> WritingBrief:
    news = [
        _p(
            "Invented Republic signed a $1.2 billion refinery deal with Orchid Metals on Monday.",
            pid="1:0",
        ),
        _p(
            "The deal still needs ratification by the invented national assembly next month.",
            pid="1:1",
        ),
        _p("Orchid Metals, founded in 2019, already runs two nickel refineries abroad.", pid="1:2"),
        _p(
            "Opposition lawmakers said on Tuesday the contract should be published in full.",
            pid="2:0",
        ),
        _p(
            "Transparency groups have long called for all mining contracts to be published.",
            pid="2:1",
        ),
    ]
    return WritingBrief(
        story_id=1,
        persona_id="invented-desk",
        persona_name="Invented Desk",
        lens="",
        voice="",
        headline_hint="",
        passages=news,
        disputes=disputes or [],
    )


def test_background_fills_context_without_a_precedent() -> None:
    draft = ExtractiveWriter(summary_words=30).write(_brief())
    sections = {s.key: s for s in draft.sections}
    context = sections[SectionKey.CONTEXT]
    cited = {pid for s in context.sentences for pid in s.citations}
    assert cited and cited <= {"1:2", "2:1"}
    happened = {pid for s in sections[SectionKey.WHAT_HAPPENED].sentences for pid in s.citations}
    assert not happened & cited  # nothing is said twice


def test_a_side_of_a_dispute_stays_out_of_context() -> None:
    dispute = DisputeBrief(
        summary="invented: was the refinery founded in 2019?",
        passage_ids=["1:2", "2:0"],
        claim_passage_ids=["1:2"],
        contesting_passage_ids=["2:0"],
    )
    draft = ExtractiveWriter(summary_words=30).write(_brief([dispute]))
    context = next(s for s in draft.sections if s.key == SectionKey.CONTEXT)
    assert {pid for s in context.sentences for pid in s.citations} == {"2:1"}
