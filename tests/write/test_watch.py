"""What to watch: dated upcoming events across languages, and the gate on the demo corpus.

Every sentence below is INVENTED for these tests; none describes a real event.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.read.passages import split_passages
from newsdesk.text.dates import find_date_mentions
from newsdesk.write.model import WatchItem
from newsdesk.write.watch import WatchEvent, find_watch_events, find_watch_items, has_future_cue

# Tuesday 10 November 2026, 09:00 UTC
PUB = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
STORIES = Path(__file__).parents[2] / "src" / "newsdesk" / "demo" / "corpus" / "stories"
DAY0 = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)


def _dates(text: str, lang: str | None, published: dt.datetime | None = PUB) -> list[dt.date]:
    """The dates of the watch items found in one invented passage."""
    return [item.date for item in find_watch_items([("1:0", text, lang, published)])]


# Invented sentences, one or more per language: (lang, text, expected date).
INVENTED = [
    ("en", "The vote is scheduled for November 18.", dt.date(2026, 11, 18)),
    ("en", "Talks will resume on 19 November in Geneva.", dt.date(2026, 11, 19)),
    ("en", "Firms face a deadline of Dec. 8 to file objections.", dt.date(2026, 12, 8)),
    ("en", "The rules take effect on March 1, 2027.", dt.date(2027, 3, 1)),
    ("fr", "Le vote des députés est prévu le 18 novembre.", dt.date(2026, 11, 18)),
    ("fr", "Le comité se réunira le 1er décembre à Dakar.", dt.date(2026, 12, 1)),
    ("de", "Die Abstimmung soll am 18. November stattfinden.", dt.date(2026, 11, 18)),
    ("de", "Die Frist läuft bis zum 3. Dezember 2026.", dt.date(2026, 12, 3)),
    ("es", "El Senado votará el 18 de noviembre el proyecto.", dt.date(2026, 11, 18)),
    ("es", "El plazo vence el 2 de diciembre de 2026.", dt.date(2026, 12, 2)),
    ("pt", "A votação está prevista para 18 de novembro.", dt.date(2026, 11, 18)),
    ("pt", "O decreto entra em vigor em 1º de dezembro.", dt.date(2026, 12, 1)),
    ("ru", "Голосование запланировано на 18 ноября.", dt.date(2026, 11, 18)),
    ("ru", "Саммит состоится 2 декабря 2026 года в Казани.", dt.date(2026, 12, 2)),
    ("zh", "委员会定于11月18日举行表决。", dt.date(2026, 11, 18)),
    ("zh", "新规将于２０２７年３月１日起施行。", dt.date(2027, 3, 1)),
    ("ja", "採決は11月18日に行われる予定だ。", dt.date(2026, 11, 18)),
    ("ja", "両政府は１９日に東京で協議を開く予定だ。", dt.date(2026, 11, 19)),
    ("ar", "ومن المقرر أن يصوت المجلس في 18 نوفمبر.", dt.date(2026, 11, 18)),
    ("ar", "ومن المقرر التسليم بحلول ٣١ مارس/آذار ٢٠٢٧.", dt.date(2027, 3, 31)),
    ("hi", "इस मामले पर 18 नवंबर को सुनवाई होगी।", dt.date(2026, 11, 18)),
    ("hi", "समिति की बैठक २७ नवंबर को तय है।", dt.date(2026, 11, 27)),
]


@pytest.mark.parametrize(("lang", "text", "expected"), INVENTED)
def test_finds_dated_event_in_each_language(lang: str, text: str, expected: dt.date) -> None:
    assert _dates(text, lang) == [expected]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "The committee meets next Tuesday to review the bid.", dt.date(2026, 11, 17)),
        ("en", "The board will meet on Friday to decide.", dt.date(2026, 11, 13)),
        ("en", "The court will rule tomorrow, its clerk said.", dt.date(2026, 11, 11)),
        ("fr", "Les ministres se réuniront jeudi prochain.", dt.date(2026, 11, 12)),
        ("de", "Der Ausschuss tagt am kommenden Montag.", dt.date(2026, 11, 16)),
        ("es", "La comisión votará el próximo lunes.", dt.date(2026, 11, 16)),
        ("pt", "O conselho decide na próxima sexta-feira.", dt.date(2026, 11, 13)),
        ("ru", "Совет соберётся в следующий понедельник.", dt.date(2026, 11, 16)),
        ("zh", "双方将于下周二再次会谈。", dt.date(2026, 11, 17)),
        ("ja", "委員会は来週火曜日に採決する予定だ。", dt.date(2026, 11, 17)),
        ("ar", "ويجتمع المجلس يوم الاثنين المقبل.", dt.date(2026, 11, 16)),
        ("hi", "परिषद की बैठक अगले सोमवार को होगी।", dt.date(2026, 11, 16)),
    ],
)
def test_resolves_relative_dates_against_publication(
    lang: str, text: str, expected: dt.date
) -> None:
    assert _dates(text, lang) == [expected]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The union walked out on November 2 after talks failed."),
        ("en", "The ministry said on Wednesday that it would study the plan."),
        ("en", "A spokesperson said on Monday the firm will appeal."),
        ("en", "Shares fell on Tuesday as fears grew that the deal would collapse."),
        ("en", "The board postponed the election set for Nov. 29, citing security."),
        ("fr", "Le syndicat a manifesté le 3 novembre devant le ministère."),
        ("de", "Am 9. November hatte die Regierung das Gesetz beschlossen."),
        ("ru", "Перенос выборов, намеченных на 29 ноября, вызвал протесты."),
        ("fr", "La commission a annoncé le report du scrutin prévu le 29 novembre."),
        ("zh", "新加坡人力部10日发表声明。"),
        ("ja", "政府は１０日、計画を発表した。"),
        ("en", "Prices have doubled since 2019, analysts said."),
        ("fr", "Le contrat avait été signé le 2 décembre dernier à Abidjan."),
        ("es", "La ley fue aprobada el 20 de noviembre del año pasado."),
        ("zh", "该协议去年11月20日签署。"),
    ],
)
def test_ignores_past_dates_and_reports(lang: str, text: str) -> None:
    assert _dates(text, lang) == []


def test_postponed_event_keeps_only_new_date() -> None:
    text = "The electoral board postponed the vote set for Nov. 29 to December 13."
    assert _dates(text, "en") == [dt.date(2026, 12, 13)]


def test_delayed_as_adjective_keeps_the_date() -> None:
    text = "The board could consider the delayed review on December 16, a spokesperson said."
    assert _dates(text, "en") == [dt.date(2026, 12, 16)]


def test_month_end_is_approximate_and_skipped_by_default() -> None:
    passage = [("1:0", "The bill must pass by the end of the month, the minister said.", "en", PUB)]
    assert find_watch_items(passage) == []
    events = find_watch_events(passage, include_approximate=True)
    assert [(e.date, e.approximate) for e in events] == [(dt.date(2026, 11, 30), True)]


def test_exact_date_beats_month_end_on_same_day() -> None:
    passages = [
        ("1:0", "Lawmakers have until the end of November to act.", "en", PUB),
        ("2:0", "The deadline is November 30, officials said.", "en", PUB + dt.timedelta(hours=2)),
    ]
    events = find_watch_events(passages, include_approximate=True)
    assert [(e.date, e.passage_id, e.approximate) for e in events] == [
        (dt.date(2026, 11, 30), "2:0", False)
    ]


def test_deduplicates_across_languages_citing_earliest_passage() -> None:
    passages = [
        ("7:2", "Die Abstimmung ist für den 18. November angesetzt.", "de", PUB + dt.timedelta(1)),
        ("5:1", "EU ambassadors are scheduled to vote on November 18.", "en", PUB),
        ("9:0", "委员会定于11月18日举行表决。", "zh", PUB + dt.timedelta(2)),
        ("5:4", "The summit will be held on December 2.", "en", PUB),
    ]
    events = find_watch_events(passages)
    assert [e.date for e in events] == [dt.date(2026, 11, 18), dt.date(2026, 12, 2)]
    first = events[0]
    assert isinstance(first, WatchItem)
    assert first.passage_id == "5:1"
    assert first.other_passage_ids == ["7:2", "9:0"]
    assert first.text == "EU ambassadors are scheduled to vote on November 18."


def test_two_events_in_one_sentence_get_their_own_clauses() -> None:
    text = (
        "EU ambassadors are scheduled to vote on the package on November 18, with foreign "
        "ministers expected to formally adopt it on November 23 if there is agreement."
    )
    items = find_watch_items([("3:1", text, "en", PUB)])
    assert [(i.date, i.text) for i in items] == [
        (
            dt.date(2026, 11, 18),
            "EU ambassadors are scheduled to vote on the package on November 18.",
        ),
        (
            dt.date(2026, 11, 23),
            "With foreign ministers expected to formally adopt it on November 23 if there is "
            "agreement.",
        ),
    ]


def test_text_drops_citation_markers_and_dateline() -> None:
    text = "LONDON, Nov 10 (Invented Wire) - Underwriters will meet on Nov. 16 [3]."
    (item,) = find_watch_items([("4:0", text, "en", PUB)])
    assert item.date == dt.date(2026, 11, 16)
    assert item.text == "Underwriters will meet on Nov. 16."


def test_now_anchors_undated_passages_and_drops_passed_events() -> None:
    passages = [
        ("1:0", "The vote is scheduled for November 18.", "en", None),
        ("2:0", "The hearing will be held on November 12.", "en", PUB),
    ]
    # Without `now` the undated passage cannot be placed in time and is left out.
    items = find_watch_items(passages)
    assert [(i.date, i.passage_id) for i in items] == [(dt.date(2026, 11, 12), "2:0")]
    later = dt.datetime(2026, 11, 14, tzinfo=dt.UTC)
    items = find_watch_items(passages, now=later)
    assert [i.date for i in items] == [dt.date(2026, 11, 18)]


def test_year_less_dates_take_the_nearest_year() -> None:
    anchor = dt.date(2026, 11, 10)
    (jan,) = find_date_mentions("on January 15", anchor, "en")
    (july,) = find_date_mentions("on 3 July", anchor, "en")
    assert jan.date == dt.date(2027, 1, 15)
    assert july.date == dt.date(2026, 7, 3)


def test_range_takes_its_last_day() -> None:
    assert _dates("The central bank meets December 8-9.", "en") == [dt.date(2026, 12, 9)]
    assert _dates("A reunião está marcada para 8 e 9 de dezembro.", "pt") == [dt.date(2026, 12, 9)]


def test_has_future_cue_per_language() -> None:
    assert has_future_cue("the vote is scheduled")
    assert has_future_cue("la réunion est prévue")
    assert has_future_cue("委员会将于下月开会")
    assert not has_future_cue("the union walked out")


def test_returns_watch_events() -> None:
    (item,) = find_watch_items([("1:0", "The vote is scheduled for November 18.", "en", PUB)])
    assert isinstance(item, WatchEvent)
    assert item.other_passage_ids == [] and not item.approximate


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=400),
    lang=st.sampled_from([None, "en", "fr", "de", "es", "pt", "ru", "zh", "ja", "ar", "hi"]),
    days=st.integers(min_value=-40000, max_value=40000),
)
def test_never_raises_on_arbitrary_text(text: str, lang: str | None, days: int) -> None:
    published = PUB + dt.timedelta(days=days)
    items = find_watch_items([("1:0", text, lang, published)])
    assert all(i.date > published.date() for i in items)
    assert [i.date for i in items] == sorted(i.date for i in items)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "the",
                "vote",
                "will",
                "on",
                "November",
                "Nov.",
                "18",
                "31",
                "de",
                "noviembre",
                "ноября",
                "11月",
                "18日",
                "next",
                "Tuesday",
                "end",
                "of",
                "month",
                "2027",
                ",",
                "8-9",
            ]
        ),
        max_size=30,
    )
)
def test_never_raises_on_date_like_noise(words: list[str]) -> None:
    items = find_watch_items([("1:0", " ".join(words), None, PUB)])
    assert all(i.date > PUB.date() for i in items)


def _story_passages(story: dict[str, object]) -> list[tuple[str, str, str | None, dt.datetime]]:
    """The demo story's articles split into passages with their publication times."""
    out = []
    for article in story["articles"]:  # type: ignore[attr-defined]  # JSON object
        published = DAY0 + dt.timedelta(days=article["day"], hours=article["hour"])
        for p in split_passages(article["text"], article["lang"]):
            out.append((f"{article['id']}:{p.position}", p.text, article["lang"], published))
    return out


def test_gate_demo_corpus_watch_dates() -> None:
    """Gate: recall of the stories' gold watch dates, and a cap on extra dated items."""
    gold_total = found = extras = 0
    missed: list[str] = []
    for path in sorted(STORIES.glob("*.json")):
        story = json.loads(path.read_text(encoding="utf-8"))
        events = find_watch_events(_story_passages(story))
        gold = {dt.date.fromisoformat(w["date"]) for w in story["watch"]}
        got = {e.date for e in events}
        gold_total += len(gold)
        found += len(gold & got)
        extras += len(got - gold)
        missed += [f"{story['story']} {d}" for d in sorted(gold - got)]
        by_id = {pid: text for pid, text, _, _ in _story_passages(story)}
        for event in events:
            assert event.passage_id in by_id
            assert event.text and event.text.strip() == event.text
    assert gold_total >= 30
    # Measured 32/32 with 3 extras (all genuine upcoming events the gold list leaves out).
    assert found / gold_total >= 0.95, missed
    assert extras <= 6
