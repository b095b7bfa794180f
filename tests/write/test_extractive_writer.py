"""The extractive writer: cited, attributed, quoted sentences taken only from the sources.

Every news-like text below is INVENTED for these tests (Lorvik, Tessaly and all outlets, people
and figures are fictional), except the demo corpus, which is invented too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from newsdesk.read.passages import split_passages
from newsdesk.write._attribution import (
    attribute_sentence,
    display_outlet,
    has_attribution,
    strip_wrapper,
)
from newsdesk.write.extractive import ExtractiveWriter, build_article_documents, cite_span
from newsdesk.write.model import (
    DisputeBrief,
    Draft,
    SectionKey,
    SourcePassage,
    WatchItem,
    WritingBrief,
    WrittenSentence,
)
from newsdesk.write.verify import verify_draft
from newsdesk.write.watch import find_watch_items

DAY = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
CORPUS = Path(__file__).parents[2] / "src" / "newsdesk" / "demo" / "corpus"

# INVENTED articles: (article id, outlet, lang, hours after DAY, title, sentences)
ARTICLES: list[tuple[int, str, str, int, str, list[str]]] = [
    (
        1,
        "Lorvik Courier",
        "en",
        0,
        "Lorvik ferry workers strike over new rosters",
        [
            "About 900 ferry workers at the invented port of Lorvik walked off the job on Monday, "
            "halting crossings to the Tessaly islands.",
            "The Lorvik Ferry Union said the strike began after talks over new rosters broke down.",
            "Roughly 12,000 passengers were stranded on the quay by noon, the union said.",
            "The ferry operator Tessaly Lines denied that figure and put it at 4,500 passengers.",
            "Officials expect the dispute to reach the labour court within days.",
        ],
    ),
    (
        2,
        "Harbour Bulletin",
        "en",
        3,
        "Tessaly Lines says crossings partly resumed",
        [
            "Tessaly Lines restarted two of its nine routes on Monday afternoon using managers "
            "as crew.",
            "Freight companies warned that fresh fish deliveries to the islands would run short "
            "by Wednesday.",
            "Talks between Tessaly Lines and the union resumed late on Monday evening.",
            "The labour court will hear the case on April 1, 2026.",
        ],
    ),
    (
        3,
        "Northern Ledger",
        "en",
        20,
        "Island shops count losses as Lorvik strike drags on",
        [
            "Shops on the Tessaly islands reported empty shelves on Tuesday as the ferry "
            "strike entered its second day.",
            "Union leader Maren Holt said no talks were taking place and the strike would "
            "continue.",
            "The regional government asked both sides to accept mediation before the weekend.",
        ],
    ),
    (
        4,
        "Вестник Севера",
        "ru",
        26,
        "Забастовка паромщиков в Лорвике продолжается",
        [
            "Забастовка паромщиков в вымышленном порту Лорвик продолжается второй день подряд.",
            "Профсоюз требует отменить новый график смен для всех экипажей паромов.",
        ],
    ),
]


def make_passages() -> list[SourcePassage]:
    """The invented articles as citable passages, ids '<article>:<position>'."""
    out: list[SourcePassage] = []
    for article_id, outlet, lang, hours, title, sentences in ARTICLES:
        for pos, text in enumerate(sentences):
            out.append(
                SourcePassage(
                    passage_id=f"{article_id}:{pos}",
                    text=text,
                    article_id=article_id,
                    outlet=outlet,
                    lang=lang,
                    published=DAY + dt.timedelta(hours=hours),
                    url=f"https://example.invalid/{article_id}",
                    title=title,
                    position=pos,
                )
            )
    return out


CONTEXT = [
    SourcePassage(
        "9:0",
        "A similar ferry strike at Lorvik in 2019 lasted eleven days and ended with a pay deal.",
        9,
        "Lorvik Courier",
        "en",
        DAY - dt.timedelta(days=2000),
        title="Lorvik ferry strike ends after eleven days",
    )
]


def make_brief(**overrides: object) -> WritingBrief:
    """A full invented brief; keyword arguments replace fields."""
    fields: dict[str, object] = {
        "story_id": 7,
        "persona_id": "islands",
        "persona_name": "Islands desk (invented)",
        "lens": "transport and island economies",
        "voice": "plain",
        "headline_hint": "Lorvik ferry strike strands island passengers",
        "passages": make_passages(),
        "new_passage_ids": ["3:0", "3:1", "3:2", "4:1"],
        "context_passages": CONTEXT,
        "disputes": [
            DisputeBrief(
                "About 12,000 passengers were stranded",
                ["1:2", "1:3"],
                claim_passage_ids=["1:2"],
                contesting_passage_ids=["1:3"],
            ),
            DisputeBrief(
                "Talks resumed on Monday",
                ["2:2", "3:1"],
                claim_passage_ids=["2:2"],
                contesting_passage_ids=["3:1"],
            ),
        ],
        "watch": [WatchItem(dt.date(2026, 4, 1), "The labour court will hear the case", "2:3")],
        "tags": ["transport", "labour"],
        "target_lang": "en",
        "perspective_persona_id": "markets",
        "perspective_lens": "freight deliveries shops supplies",
    }
    fields.update(overrides)
    return WritingBrief(**fields)  # type: ignore[arg-type]  # fields checked by the dataclass


def cited_texts(brief: WritingBrief, sentence: WrittenSentence) -> list[str]:
    """The texts of the passages a sentence cites."""
    by_id = {p.passage_id: p for p in [*brief.passages, *brief.context_passages]}
    return [by_id[c].text for c in sentence.citations]


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return re.findall(r"\w+", text.lower())


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    """Whether every item of `needle` occurs in `haystack` in the same order."""
    it = iter(haystack)
    return all(any(w == h for h in it) for w in needle)


def outlet_of(brief: WritingBrief, sentence: WrittenSentence) -> str:
    """The outlet of the first passage a sentence cites."""
    by_id = {p.passage_id: p for p in [*brief.passages, *brief.context_passages]}
    return by_id[sentence.citations[0]].outlet


def section(draft: Draft, key: str) -> list[WrittenSentence]:
    """The sentences of one section (empty if absent)."""
    return next((s.sentences for s in draft.sections if s.key == key), [])


@pytest.fixture(scope="module")
def brief() -> WritingBrief:
    return make_brief()


@pytest.fixture(scope="module")
def draft(brief: WritingBrief) -> Draft:
    return ExtractiveWriter().write(brief)


def test_every_sentence_cites_valid_passages(brief: WritingBrief, draft: Draft) -> None:
    valid = {p.passage_id for p in [*brief.passages, *brief.context_passages]}
    assert draft.sentences()
    for sentence in draft.sentences():
        assert sentence.citations, sentence.text
        assert set(sentence.citations) <= valid
        assert sentence.kind == "extractive"


def test_sections_in_order_with_titles(draft: Draft) -> None:
    keys = [s.key for s in draft.sections]
    assert keys == [k for k in SectionKey.ORDER if k in keys]
    assert keys[0] == SectionKey.WHAT_HAPPENED
    assert {SectionKey.CONTEXT, SectionKey.DISPUTED, SectionKey.WATCH} <= set(keys)
    for sec in draft.sections:
        assert sec.title == SectionKey.TITLES[sec.key]
    perspective = next(s for s in draft.sections if s.key == SectionKey.PERSPECTIVE)
    assert perspective.persona_id == "markets"
    assert 1 <= len(perspective.sentences) <= 2
    assert draft.sections[0].persona_id == "islands"


def test_every_dispute_surfaces_with_both_sides(brief: WritingBrief, draft: Draft) -> None:
    disputed = section(draft, SectionKey.DISPUTED)
    cited = [c for s in disputed for c in s.citations]
    for dispute in brief.disputes:
        assert set(dispute.claim_passage_ids) & set(cited), dispute.summary
        assert set(dispute.contesting_passage_ids) & set(cited), dispute.summary
    assert len(disputed) == 2 * len(brief.disputes)


def test_dispute_falls_back_to_passage_ids(brief: WritingBrief) -> None:
    dispute = DisputeBrief("Passenger count", ["1:2", "1:3"], [], [])
    draft = ExtractiveWriter().write(make_brief(disputes=[dispute]))
    disputed = section(draft, SectionKey.DISPUTED)
    assert [s.citations for s in disputed] == [["1:2"], ["1:3"]]


def test_dispute_shows_each_outlet_once_per_side_in_turn() -> None:
    """Claim, rebuttal, then further outlets' accounts: one passage per article and side."""
    dispute = DisputeBrief(
        "Talks resumed",
        ["2:2", "3:1"],
        claim_passage_ids=["2:2", "2:0", "1:1", "4:1"],
        contesting_passage_ids=["3:1", "3:2"],
    )
    draft = ExtractiveWriter(dispute_sources=2).write(make_brief(disputes=[dispute]))
    disputed = section(draft, SectionKey.DISPUTED)
    # 2:0 shares an article with 2:2, 3:2 with 3:1; the Russian 4:1 comes after English ones
    assert [s.citations for s in disputed] == [["2:2"], ["3:1"], ["1:1"]]
    check = verify_draft(draft, {p.passage_id: p for p in [*make_passages(), *CONTEXT]})
    assert check.all_verified, [c.verdict.reason for c in check.unsupported()]


def test_watch_items_rendered_with_dates(draft: Draft) -> None:
    (item,) = section(draft, SectionKey.WATCH)
    assert item.text == "April 1, 2026: The labour court will hear the case."
    assert item.citations == ["2:3"]


def test_one_sentence_with_two_dates_is_one_watch_line_under_the_earliest() -> None:
    text = "The labour court will hear the case"
    brief = make_brief(
        watch=[
            WatchItem(dt.date(2026, 4, 9), text, "2:3"),
            WatchItem(dt.date(2026, 4, 1), text, "2:3"),
        ]
    )
    draft = ExtractiveWriter().write(brief)
    (item,) = section(draft, SectionKey.WATCH)
    assert item.text == "April 1, 2026: The labour court will hear the case."
    check = verify_draft(draft, {p.passage_id: p for p in [*make_passages(), *CONTEXT]})
    assert check.all_verified, [c.verdict.reason for c in check.unsupported()]


def test_foreign_language_sentences_quoted_in_original(brief: WritingBrief, draft: Draft) -> None:
    russian = [s for s in draft.sentences() if any(c.startswith("4:") for c in s.citations)]
    assert russian, "the new Russian passage should appear in What is new"
    for sentence in russian:
        assert sentence.quoted_original
        assert sentence.lang == "ru"
        assert sentence.text.startswith("According to Вестник Севера (in Russian): «")
        assert sentence.text.endswith("»")
    for sentence in draft.sentences():
        if not sentence.quoted_original:
            assert sentence.lang == "en"


def test_attribution_added_only_when_missing(brief: WritingBrief, draft: Draft) -> None:
    for sentence in draft.sentences():
        if sentence.quoted_original or re.match(r"^[A-Z][a-z]+ \d+, \d{4}: ", sentence.text):
            continue
        texts = cited_texts(brief, sentence)
        if any(has_attribution(t, "en") for t in texts):
            assert not sentence.text.startswith("According to "), sentence.text
        else:
            assert sentence.text.startswith(f"According to {outlet_of(brief, sentence)}, ")


def test_attribute_sentence_keeps_names_capitalised() -> None:
    common = frozenset({"ferry"})
    out = attribute_sentence("The strike began on Monday.", "Lorvik Courier", "en", common)
    assert out == "According to Lorvik Courier, the strike began on Monday."
    out = attribute_sentence("Tessaly Lines restarted two routes.", "Harbour Bulletin", "en")
    assert out == "According to Harbour Bulletin, Tessaly Lines restarted two routes."
    out = attribute_sentence("PBX restarted two routes.", "Harbour Bulletin", "en", common)
    assert out.endswith(", PBX restarted two routes.")
    out = attribute_sentence("Ferry crews walked out.", "Harbour Bulletin", "en", common)
    assert out.endswith(", ferry crews walked out.")
    assert attribute_sentence("Der Streik dauert an.", "Nordblatt", "de") == (
        "Der Streik dauert an, so Nordblatt."
    )


def test_has_attribution_in_several_languages() -> None:
    assert has_attribution("The union said the strike began.", "en")
    assert has_attribution("According to the union, 12,000 were stranded.", "en")
    assert has_attribution("Tessaly Lines denied the figure.", "en")
    assert not has_attribution("Shops reported empty shelves.".replace("reported", "had"), "en")
    assert has_attribution("Профсоюз заявил, что забастовка продолжится.", "ru")
    assert has_attribution("Selon le syndicat, la grève continue.", "fr")
    assert not has_attribution("La grève continue.", "fr")


def test_extractive_words_appear_in_order_in_a_cited_passage(
    brief: WritingBrief, draft: Draft
) -> None:
    checked = 0
    for sentence in draft.sentences():
        text = sentence.text
        dated = re.match(r"^[A-Z][a-z]+ \d+, \d{4}(?: \([^)]*\))?: ", text)
        body = text[dated.end() :] if dated else strip_wrapper(text, outlet_of(brief, sentence))
        body = body.strip("«»“”")
        sources = [words(t) for t in cited_texts(brief, sentence)]
        joined = [w for src in sources for w in src]
        assert is_subsequence(words(body), joined), (body, cited_texts(brief, sentence))
        checked += 1
    assert checked == len(draft.sentences())


def test_no_sentence_repeats_another(draft: Draft) -> None:
    non_disputed = [
        s
        for sec in draft.sections
        if sec.key not in (SectionKey.DISPUTED, SectionKey.WATCH)
        for s in sec.sentences
    ]
    citations = [tuple(s.citations) for s in non_disputed]
    assert len(citations) == len(set(citations))
    happened = {c for s in section(draft, SectionKey.WHAT_HAPPENED) for c in s.citations}
    for sentence in section(draft, SectionKey.WHAT_IS_NEW):
        assert not set(sentence.citations) <= happened


def test_redundant_sentence_skipped() -> None:
    # INVENTED: the second article repeats the first one's lead almost word for word.
    passages = make_passages()
    twin = SourcePassage(
        "5:0",
        "About 900 ferry workers at the invented port of Lorvik walked off the job on Monday, "
        "halting all crossings to the Tessaly islands.",
        5,
        "Copycat Daily",
        "en",
        DAY,
        title="Copy",
    )
    brief = make_brief(passages=[*passages, twin], new_passage_ids=["5:0", "1:0"])
    draft = ExtractiveWriter().write(brief)
    leads = [s for s in draft.sentences() if {"1:0", "5:0"} & set(s.citations)]
    assert len(leads) == 1


def test_output_is_deterministic(brief: WritingBrief, draft: Draft) -> None:
    again = ExtractiveWriter().write(make_brief())
    assert again == draft


def test_headline_dek_byline_tags(brief: WritingBrief, draft: Draft) -> None:
    assert draft.headline == brief.headline_hint
    assert draft.byline == "Islands desk (invented)"
    assert draft.tags == ["transport", "labour"]
    assert draft.writer == "extractive"
    assert draft.dek and not draft.dek.startswith("According to")
    assert len(draft.dek.split()) <= 31
    first = draft.sections[0].sentences[0]
    assert (
        words(draft.dek.rstrip("…"))[:5]
        == words(strip_wrapper(first.text, outlet_of(brief, first)))[:5]
    )


def test_foreign_hint_falls_back_to_central_title() -> None:
    brief = make_brief(headline_hint="Забастовка паромщиков в Лорвике продолжается второй день")
    draft = ExtractiveWriter().write(brief)
    english_titles = {a[4] for a in ARTICLES if a[2] == "en"}
    assert draft.headline in english_titles


def test_works_with_empty_optional_fields() -> None:
    bare = WritingBrief(1, "p", "Desk", "", "", "Invented hint", passages=make_passages()[:5])
    draft = ExtractiveWriter().write(bare)
    assert [s.key for s in draft.sections] == [SectionKey.WHAT_HAPPENED]
    assert draft.sentences() and all(s.citations for s in draft.sentences())
    empty = ExtractiveWriter().write(WritingBrief(1, "p", "Desk", "", "", "Hint", passages=[]))
    assert empty.sections == [] and empty.headline == "Hint" and empty.dek == ""


def test_unknown_ids_are_skipped_not_cited() -> None:
    brief = make_brief(
        new_passage_ids=["99:0"],
        watch=[WatchItem(dt.date(2026, 5, 1), "Something", "99:1")],
        disputes=[DisputeBrief("Nothing known", ["99:2"], [], [])],
    )
    draft = ExtractiveWriter().write(brief)
    assert all(not c.startswith("99:") for s in draft.sentences() for c in s.citations)


def test_documents_map_spans_back_to_passages() -> None:
    (doc, *_rest) = build_article_documents(make_passages())
    assert doc.document.text.count("\n\n") == 4
    a, b, pid = doc.spans[2]
    assert doc.document.text[a:b] == make_passages()[2].text and pid == "1:2"
    assert cite_span(doc.spans, a + 3, b - 3) == ["1:2"]
    assert cite_span(doc.spans, doc.spans[0][1] - 2, doc.spans[1][0] + 2) == ["1:0", "1:1"]


def load_demo_brief(story: str) -> WritingBrief:
    """A brief for an (invented) demo-corpus story, with its ledger from the corpus file."""
    data = json.loads((CORPUS / "stories" / f"{story}.json").read_text(encoding="utf-8"))
    outlets = {o["id"]: o["name"] for o in json.loads((CORPUS / "outlets.json").read_text())}
    day0 = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
    passages: list[SourcePassage] = []
    for n, art in enumerate(data["articles"], 1):
        published = day0 + dt.timedelta(days=art["day"], hours=art["hour"])
        for span in split_passages(art["text"], art["lang"]):
            passages.append(
                SourcePassage(
                    f"{art['id']}:{span.position}",
                    span.text,
                    n,
                    outlets[art["outlet"]],
                    art["lang"],
                    published,
                    title=art["title"],
                    position=span.position,
                )
            )
    disputes = [
        DisputeBrief(
            d["claim"],
            [p.passage_id for p in passages if p.passage_id.split(":")[0] in d["articles"]],
            [],
            [],
        )
        for d in data["disputed"]
    ]
    watch = find_watch_items([(p.passage_id, p.text, p.lang, p.published) for p in passages])
    late = day0 + dt.timedelta(days=3)
    return WritingBrief(
        1,
        "demo",
        "Demo desk",
        "",
        "",
        data["label"],
        passages,
        new_passage_ids=[p.passage_id for p in passages if p.published and p.published >= late],
        disputes=disputes,
        watch=list(watch),
        tags=[data["beat"]],
    )


def test_demo_story_draft_is_fully_cited() -> None:
    brief = load_demo_brief("s01")
    draft = ExtractiveWriter().write(brief)
    valid = {p.passage_id for p in brief.passages}
    assert draft.headline == brief.headline_hint
    assert section(draft, SectionKey.WHAT_HAPPENED)
    assert len(section(draft, SectionKey.DISPUTED)) >= len(brief.disputes)
    assert section(draft, SectionKey.WATCH)[0].text.startswith("November 16, 2026")
    for sentence in draft.sentences():
        assert sentence.citations and set(sentence.citations) <= valid


def test_draft_passes_citation_verifier(brief: WritingBrief, draft: Draft) -> None:
    texts = {p.passage_id: p.text for p in [*brief.passages, *brief.context_passages]}
    check = verify_draft(draft, texts)
    assert check.all_verified, [c for c in check.sentences if not c.verdict.verified]
    demo = load_demo_brief("s01")
    demo_check = verify_draft(
        ExtractiveWriter().write(demo), {p.passage_id: p.text for p in demo.passages}
    )
    assert demo_check.all_verified, [c for c in demo_check.sentences if not c.verdict.verified]


def test_outlet_gloss_dropped_from_wrapper() -> None:
    assert display_outlet("Вестник Евразии (Vestnik Evrazii)") == "Вестник Евразии"
    assert display_outlet("(Only gloss)") == "(Only gloss)"
    brief = load_demo_brief("s01")
    draft = ExtractiveWriter().write(brief)
    by_id = {p.passage_id: p for p in brief.passages}
    quoted = [s for s in draft.sentences() if s.quoted_original and "(" in outlet_of(brief, s)]
    assert quoted
    for sentence in quoted:
        if re.match(r"^[A-Z][a-z]+ \d+, \d{4} ", sentence.text):
            continue  # a watch item
        name = by_id[sentence.citations[0]].outlet.split(" (")[0]
        assert re.match(rf"According to {re.escape(name)} \(in [A-Z]\w+\): [«“]", sentence.text)
