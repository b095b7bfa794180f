"""Claims ledger: attribution per language, figures, denials, contradictions, disputes.

Every sentence below is INVENTED for these tests; no event described happened.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.claims import (
    ClaimSource,
    disputes,
    extract_claims,
    find_quantities,
    link_claims,
    parse_number,
    supported_languages,
)


def _one(text: str, lang: str, outlets: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(speaker, stance, content) of the claims in one invented sentence."""
    src = ClaimSource(f"a-{lang}:0", text, lang, f"a-{lang}", "invented-outlet")
    return [(c.speaker, c.stance, c.content) for c in extract_claims([src], outlets)]


# (lang, invented sentence, speaker, stance, a fragment of the content)
CASES = [
    (
        "en",
        "Lormont Gateway said about 4,000 containers were stranded.",
        "Lormont Gateway",
        "assert",
        "4,000 containers",
    ),
    (
        "en",
        "A spokesperson for Lormont Gateway denied the report.",
        "A spokesperson for Lormont Gateway",
        "deny",
        "the report",
    ),
    (
        "en",
        "According to three people familiar with the matter, the port will close.",
        "three people familiar with the matter",
        "assert",
        "the port will close",
    ),
    (
        "en",
        "The port will close on Friday, the ministry said.",
        "the ministry",
        "assert",
        "The port will close",
    ),
    (
        "fr",
        "Selon le ministère, 1 150 conteneurs sont bloqués.",
        "le ministère",
        "assert",
        "1 150 conteneurs",
    ),
    (
        "fr",
        "Le porte-parole Jean Dufresne a démenti toute fermeture du port.",
        "Le porte-parole Jean Dufresne",
        "deny",
        "fermeture du port",
    ),
    (
        "de",
        "Laut dem Hafenbetreiber Lormont sind 1.150 Container verspätet.",
        "dem Hafenbetreiber Lormont",
        "assert",
        "1.150 Container",
    ),
    ("de", "Die Gewerkschaft dementierte den Bericht.", "Die Gewerkschaft", "deny", "Bericht"),
    (
        "es",
        "Según el ministerio, unos 4.000 contenedores están varados.",
        "el ministerio",
        "assert",
        "4.000 contenedores",
    ),
    ("es", "La empresa negó que hubiera negociaciones.", "La empresa", "deny", "negociaciones"),
    (
        "pt",
        "Segundo a empresa, 1.150 contêineres estão atrasados.",
        "a empresa",
        "assert",
        "contêineres",
    ),
    ("pt", "O ministério negou que houvesse negociações.", "O ministério", "deny", "negociações"),
    (
        "ru",
        "По данным профсоюза, в порту застряли около 4000 контейнеров.",
        "профсоюза",
        "assert",
        "4000 контейнеров",
    ),
    ("ru", "Министерство опровергло эти сообщения.", "Министерство", "deny", "сообщения"),
    ("zh", "工会称约有4000个集装箱受阻。", "工会", "assert", "4000个集装箱"),
    ("zh", "该部门否认了这一报道。", "该部门", "deny", "报道"),
    ("ja", "組合によると、約4000本のコンテナが滞留している。", "組合", "assert", "コンテナ"),
    ("ja", "同省は報道を否定した。", "同省", "deny", "報道"),
    ("ar", "وقالت النقابة إن نحو 4000 حاوية عالقة.", "النقابة", "assert", "4000 حاوية"),
    ("ar", "ونفت الوزارة التقارير عن إغلاق الميناء.", "الوزارة", "deny", "التقارير"),
    ("hi", "यूनियन ने कहा कि लगभग 4000 कंटेनर फँसे हैं।", "यूनियन", "assert", "4000 कंटेनर"),
    ("hi", "मंत्रालय ने इस रिपोर्ट का खंडन किया।", "मंत्रालय", "deny", "रिपोर्ट"),
]


@pytest.mark.parametrize(("lang", "text", "speaker", "stance", "fragment"), CASES)
def test_attribution_per_language(
    lang: str, text: str, speaker: str, stance: str, fragment: str
) -> None:
    """Each language's invented sentence yields its speaker, stance and statement."""
    found = _one(text, lang)
    assert len(found) == 1, found
    assert found[0][0] == speaker
    assert found[0][1] == stance
    assert fragment in found[0][2]


def test_every_brief_language_is_supported() -> None:
    """The ten languages of the brief all have patterns."""
    assert set(supported_languages()) >= {
        "en",
        "fr",
        "de",
        "es",
        "pt",
        "ru",
        "zh",
        "ja",
        "ar",
        "hi",
    }


def test_told_outlet_is_according_to_and_speaker_kinds() -> None:
    """ "told the Capital Ledger" names the outlet; speaker kinds follow the phrase."""
    src = [
        ClaimSource(
            "x:0", '"We will not move," Mara Velden told The Capital Ledger.', "en", "x", "o"
        ),
        ClaimSource(
            "x:1", "Three people familiar with the matter said the deal was off.", "en", "x", "o"
        ),
        ClaimSource("x:2", "The ministry said the port may reopen.", "en", "x", "o"),
    ]
    claims = extract_claims(src, ["The Capital Ledger"])
    assert [c.speaker_kind for c in claims] == [
        "named person",
        "anonymous sources",
        "official body",
    ]
    assert claims[0].according_to == "The Capital Ledger"
    assert claims[2].hedged and not claims[1].hedged


def test_pronoun_speaker_resolves_to_the_last_named() -> None:
    """ "He said" takes the speaker of the claim before it in the same article."""
    src = [
        ClaimSource("x:0", "Port director Mara Velden said the cranes were idle.", "en", "x", "o"),
        ClaimSource("x:1", "She said talks would resume on Monday.", "en", "x", "o"),
    ]
    claims = extract_claims(src)
    assert [c.speaker for c in claims] == ["Port director Mara Velden"] * 2
    assert claims[1].id == "x:1#0"


def test_did_not_confirm_is_no_claim() -> None:
    """A negated speech verb reports nothing."""
    assert _one("Lormont Gateway did not confirm that figure.", "en") == []


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("about 4,000 containers", "en", 4000, "container"),
        ("$1.2bn", "en", 1.2e9, "USD"),
        ("$1.2 billion", "en", 1.2e9, "USD"),
        ("18%", "en", 18, "%"),
        ("1.150 Container", "de", 1150, "container"),
        ("1 150 conteneurs", "fr", 1150, "container"),
        ("1,9 млн тонн", "ru", 1.9e6, "tonne"),
        ("日量18万バレル", "ja", 1.8e5, "bpd"),
        ("12亿美元", "zh", 1.2e9, "USD"),
        ("₹43,000 crore", "en", 4.3e11, "rupee"),
        ("52,000 करोड़ रुपये", "hi", 5.2e11, "rupee"),
        ("180 ألف برميل يومياً", "ar", 1.8e5, "bpd"),
        ("12 bcm", "en", 1.2e10, "m3"),
        ("R$5,62", "pt", 5.62, "BRL"),
    ],
)
def test_figures_are_normalised(text: str, lang: str, value: float, unit: str) -> None:
    """Figures read in each language's notation come out in base units."""
    found = find_quantities(text, lang)
    assert len(found) == 1, found
    assert found[0].value == pytest.approx(value)
    assert found[0].unit == unit


def test_years_and_bare_numbers_are_not_figures() -> None:
    """Years and numbers without a unit are skipped."""
    assert find_quantities("The plan dates from 2024 and has 3 phases", "en") == []
    assert parse_number("1.150", "de") == 1150 and parse_number("1.15", "en") == 1.15


def _story() -> list[ClaimSource]:
    """An invented three-article story with a rival figure and a denial."""
    return [
        ClaimSource(
            "s-a1:0",
            "The union said about 4,000 containers were stranded at Lormont Gateway.",
            "en",
            "s-a1",
            "wire",
        ),
        ClaimSource(
            "s-a2:0",
            "Lormont Gateway put the number of delayed containers at 1,150.",
            "en",
            "s-a2",
            "times",
        ),
        ClaimSource(
            "s-a3:0",
            "Lormont Gateway claimed that talks with the union had resumed.",
            "en",
            "s-a3",
            "ledger",
        ),
        ClaimSource("s-a3:1", "The union denied it.", "en", "s-a3", "ledger"),
        ClaimSource(
            "s-a4:0",
            "Der Betreiber Lormont Gateway sagte, 1.150 Container seien verspätet.",
            "de",
            "s-a4",
            "beobachter",
        ),
    ]


def test_links_and_disputes_on_an_invented_story() -> None:
    """A rival figure becomes a contradiction, "denied it" a denial, each grouped as a dispute."""
    claims = extract_claims(_story())
    links = link_claims(claims)
    kinds = {(link.kind, link.claim_id, link.contests_claim_id) for link in links}
    assert ("contradiction", "s-a2:0#0", "s-a1:0#0") in kinds
    assert ("denial", "s-a3:1#0", "s-a3:0#0") in kinds
    figure = next(link for link in links if link.kind == "contradiction")
    assert "4,000 vs 1,150 containers" in figure.reason
    assert figure.passage_id == "s-a2:0" and figure.contests_passage_id == "s-a1:0"
    found = disputes(claims, links)
    assert len(found) == 2
    numbers = next(d for d in found if d.claim.id == "s-a1:0#0")
    assert {c.article_id for c in numbers.contesting} == {"s-a2", "s-a4"}
    assert set(numbers.outlets) == {"wire", "times", "beobachter"}
    talks = next(d for d in found if d.claim.id == "s-a3:0#0")
    assert talks.summary.startswith("Lormont Gateway claimed: talks")
    assert "The union denied" in talks.summary


def test_similarity_callback_links_a_denial_across_languages() -> None:
    """An optional similarity callback lets a denial reach a claim in another language."""
    src = [
        ClaimSource(
            "p-a1:0",
            "Lormont Gateway said the cranes were sold to Varo Holdings.",
            "en",
            "p-a1",
            "wire",
        ),
        ClaimSource(
            "p-a2:0", "Le ministère a démenti toute vente de grues.", "fr", "p-a2", "courrier"
        ),
    ]
    claims = extract_claims(src)
    assert link_claims(claims) == []
    linked = link_claims(claims, similar=lambda a, b: 1.0)
    assert [(x.kind, x.claim_id, x.contests_claim_id) for x in linked] == [
        ("denial", "p-a2:0#0", "p-a1:0#0")
    ]


def test_denied_reports_that_quotes_the_report_as_a_claim() -> None:
    """ "denied reports that X" yields the denial and the quoted report, linked together."""
    src = [
        ClaimSource(
            "q-a1:0",
            "Varo Shipping said rates rose 9 percent, and it denied reports that it had "
            "halted all Lormont sailings.",
            "en",
            "q-a1",
            "wire",
        )
    ]
    claims = extract_claims(src)
    assert [(c.speaker, c.verb, c.stance) for c in claims] == [
        ("Varo Shipping", "said", "assert"),
        ("Varo Shipping", "denied", "deny"),
        ("reports", "alleged", "assert"),
    ]
    assert claims[2].content == "it had halted all Lormont sailings."
    links = link_claims(claims)
    assert [(x.kind, x.claim_id, x.contests_claim_id) for x in links] == [
        ("denial", "q-a1:0#1", "q-a1:0#2")
    ]


def test_negated_account_is_a_rival_account() -> None:
    """A negated statement answering a matching positive one from another source is linked."""
    src = [
        ClaimSource(
            "r-a1:0",
            "The union said talks with the port operator had collapsed on Sunday.",
            "en",
            "r-a1",
            "wire",
        ),
        ClaimSource(
            "r-a2:0",
            "Lormont Gateway said talks with the port operator had not collapsed.",
            "en",
            "r-a2",
            "times",
        ),
    ]
    links = link_claims(extract_claims(src))
    assert len(links) == 1
    assert links[0].kind == "contradiction" and links[0].reason.startswith("rival accounts")


def test_german_separable_denial_and_rupee_range() -> None:
    """ "wies den Bericht zurück" is a denial; "between 0.4 and 0.5 percent" is one range."""
    found = _one("Der Betreiber wies den Bericht zurück.", "de")
    assert found == [("Der Betreiber", "deny", "den Bericht")]
    (q,) = find_quantities("between 0.4 and 0.5 percent", "en")
    assert (q.value, q.high, q.unit) == (0.4, 0.5, "%")


def test_unattributed_lede_figures_are_the_outlets_claim() -> None:
    """A lede figure with no attribution is recorded as the outlet's own claim."""
    src = [ClaimSource("l-a1:0", "The Lormont peso fell 2.4% on Thursday.", "en", "l-a1", "wire")]
    (claim,) = extract_claims(src)
    assert (claim.speaker, claim.speaker_kind, claim.verb) == ("wire", "outlet", "reported")
    assert extract_claims(src, lede_figures=False) == []


@given(st.integers(min_value=1000, max_value=10**9))
def test_thousands_separators_read_per_language(n: int) -> None:
    """Grouped integers read back the same in English, German, French and Hindi notation."""
    en = f"{n:,}"
    assert parse_number(en, "en") == n
    assert parse_number(en.replace(",", "."), "de") == n
    assert parse_number(en.replace(",", "\u202f"), "fr") == n


def test_other_outlets_restating_a_side_join_the_dispute() -> None:
    """A figure dispute in one report gathers the outlets that repeat one side's figure."""
    src = [
        ClaimSource(
            "e-a1:0",
            "The dockers' union said some 30,000 people had marched.",
            "en",
            "e-a1",
            "wire",
        ),
        ClaimSource(
            "e-a1:1", "Police put the number at around 4,000 people.", "en", "e-a1", "wire"
        ),
        ClaimSource(
            "e-a2:0",
            "По данным профсоюза докеров, на марш вышли около 30 тысяч человек.",
            "ru",
            "e-a2",
            "vestnik",
        ),
        ClaimSource(
            "e-a3:0",
            "Selon la préfecture, 4 000 personnes ont défilé.",
            "fr",
            "e-a3",
            "courrier",
        ),
        ClaimSource(  # another figure in the same unit restates neither side
            "e-a4:0", "Organisers said 120 people were hurt.", "en", "e-a4", "times"
        ),
    ]
    claims = extract_claims(src)
    found = disputes(claims, link_claims(claims))
    march = next(d for d in found if "30,000" in d.claim.content)
    assert march.article_ids[0] == "e-a1"
    assert "e-a2" in {c.article_id for c in march.supporting}
    assert "e-a3" in {c.article_id for c in march.contesting}
    assert "e-a4" not in march.article_ids
    assert {"e-a1:0", "e-a2:0", "e-a3:0"} <= set(march.passage_ids)


def test_arabic_compound_numeral_is_one_figure() -> None:
    """ "سبعة وأربعين" is 47 (units before tens), not the range 7-40; "مئتين" is 200."""
    found = find_quantities("أكثر من مئتين من أنصارها، مقابل سبعة وأربعين موقوفاً.", "ar")
    assert [(q.value, q.unit, q.high) for q in found] == [
        (200.0, "people", None),
        (47.0, "people", None),
    ]


def test_quote_spanning_two_passages_takes_the_closing_speaker() -> None:
    """A quote opened in one passage and attributed where it closes gives both passages a claim."""
    src = [
        ClaimSource("k-a1:0", "«Проверка займет не более шести часов.", "ru", "k-a1", "o"),
        ClaimSource(
            "k-a1:1",
            "Честным перевозчикам нечего бояться», — сказал Игорь Ветров.",
            "ru",
            "k-a1",
            "o",
        ),
        ClaimSource("k-a2:0", '"Talks have stalled.', "en", "k-a2", "o"),
        ClaimSource(
            "k-a2:1", 'Nobody is answering our calls," Mara Velden said.', "en", "k-a2", "o"
        ),
    ]
    claims = extract_claims(src)
    assert [(c.passage_id, c.speaker) for c in claims] == [
        ("k-a1:0", "Игорь Ветров"),
        ("k-a1:1", "Игорь Ветров"),
        ("k-a2:0", "Mara Velden"),
        ("k-a2:1", "Mara Velden"),
    ]
    assert claims[0].content == "Проверка займет не более шести часов."
    assert claims[2].content == "Talks have stalled."


def test_french_inverted_attribution_after_a_quote() -> None:
    """ "« … », a-t-il affirmé" names the last speaker; "a-t-elle démenti" is a denial."""
    src = [
        ClaimSource("f-a1:0", "Le maire Paul Verdier a annoncé un calendrier.", "fr", "f-a1", "o"),
        ClaimSource("f-a1:1", "« Le pont rouvrira en mars », a-t-il affirmé.", "fr", "f-a1", "o"),
        ClaimSource(
            "f-a2:0", "La préfète Anne Morel a déclaré que rien n'était signé.", "fr", "f-a2", "o"
        ),
        ClaimSource("f-a2:1", "« Aucune date n'est fixée », a-t-elle démenti.", "fr", "f-a2", "o"),
    ]
    found = [(c.speaker, c.stance, c.content) for c in extract_claims(src)]
    assert found[1] == ("Le maire Paul Verdier", "assert", "Le pont rouvrira en mars")
    assert found[3] == ("La préfète Anne Morel", "deny", "Aucune date n'est fixée")


def test_spelled_out_numbers_take_no_unit_from_context() -> None:
    """ "four votes to three" after a figure in hours is no figure in hours."""
    assert find_quantities("quatre voix contre trois", "fr", unit_hint="hour") == []
    assert find_quantities("le vote a duré 3 heures", "fr")[0].unit == "hour"


def test_a_later_restatement_by_the_denier_contests_the_same_claim() -> None:
    """ "X denied it. «…», he said" and X's later repeat of that account both contest the claim."""
    src = [
        ClaimSource(
            "v-a1:0",
            "Selon deux sources proches du conseil, le vote sur la fusion a été serré.",
            "fr",
            "v-a1",
            "courrier",
        ),
        ClaimSource(
            "v-a1:1", "Le président du conseil, Paul Verdier, a démenti.", "fr", "v-a1", "courrier"
        ),
        ClaimSource(
            "v-a1:2",
            "« La fusion a été approuvée à l'unanimité des membres », a-t-il affirmé.",
            "fr",
            "v-a1",
            "courrier",
        ),
        ClaimSource(
            "v-a2:0",
            "M. Verdier a répété que la fusion avait été approuvée « à l'unanimité ».",
            "fr",
            "v-a2",
            "gazette",
        ),
        ClaimSource(  # the same speaker on another subject contests nothing
            "v-a2:1", "M. Verdier a annoncé un nouveau siège à Lyon.", "fr", "v-a2", "gazette"
        ),
    ]
    claims = extract_claims(src)
    links = link_claims(claims)
    contested = {(x.passage_id, x.contests_passage_id) for x in links if x.kind == "denial"}
    assert ("v-a1:1", "v-a1:0") in contested
    assert ("v-a1:2", "v-a1:0") in contested
    assert ("v-a2:0", "v-a1:0") in contested
    assert not any(x.passage_id == "v-a2:1" for x in links)
    (dispute,) = disputes(claims, links)
    assert {c.article_id for c in dispute.contesting} == {"v-a1", "v-a2"}


def test_japanese_denial_of_this_too_answers_the_clause_before() -> None:
    """ "同社はこれも否定している" denies the report just made, by the company named before."""
    src = [
        ClaimSource(
            "j-a1:0", "港湾会社ロルモンは、人員削減の報道を改めて否定した。", "ja", "j-a1", "o"
        ),
        ClaimSource(
            "j-a1:1",
            "地元紙は同社が工場の閉鎖を検討していると報じたが、同社はこれも否定している。",
            "ja",
            "j-a1",
            "o",
        ),
    ]
    claims = extract_claims(src)
    assert [(c.speaker, c.stance) for c in claims] == [
        ("港湾会社ロルモン", "deny"),
        ("地元紙", "assert"),
        ("港湾会社ロルモン", "deny"),
    ]
    links = link_claims(claims)
    assert ("j-a1:1#1", "j-a1:1#0") in {(x.claim_id, x.contests_claim_id) for x in links}


def test_german_plural_reporting_verb_and_he_after_a_body() -> None:
    """ "Reedereien berichten von" is a claim; "he told reporters" never means "the ministry"."""
    found = _one("Reedereien berichten von Wartezeiten von zwölf Stunden.", "de")
    assert found == [("Reedereien", "assert", "von Wartezeiten von zwölf Stunden.")]
    src = [
        ClaimSource("h-a1:0", "The ministry said the port was open.", "en", "h-a1", "o"),
        ClaimSource("h-a1:1", '"We are ready," he told reporters.', "en", "h-a1", "o"),
    ]
    assert [c.speaker for c in extract_claims(src)] == ["The ministry"]


def test_said_followed_by_a_capitalised_subject_keeps_it_in_the_content() -> None:
    """ "said Varnish trawlers fired": only "told" and its kin take an addressee after the verb."""
    said = _one("Captain Oda Lindqvist said Varnish trawlers fired flares at the ferry.", "en")
    assert said == [
        ("Captain Oda Lindqvist", "assert", "Varnish trawlers fired flares at the ferry.")
    ]
    told = extract_claims(
        [
            ClaimSource(
                "t:0", "Lindqvist told the Harbour Echo that the ferry was late.", "en", "t", "x"
            )
        ],
        ["Harbour Echo"],
    )
    assert told[0].according_to == "Harbour Echo"
    assert told[0].content.startswith("the ferry was late")


def test_two_accounts_set_side_by_side_in_one_sentence_are_rivals() -> None:
    """ "with A saying X hit Y's boat and B saying Y's boat hit X's": who did it is disputed."""
    text = (
        "Two patrol boats collided off Cape Merrow on Monday, with Valdoria saying the Ostrian "
        "boat rammed its cutter and Ostria saying the Valdorian cutter struck its boat."
    )
    claims = extract_claims([ClaimSource("p:0", text, "en", "p", "invented-wire")])
    links = link_claims(claims)
    assert [x.kind for x in links] == ["contradiction"]
    (dispute,) = disputes(claims, links)
    assert {dispute.claim.speaker, dispute.contesting[0].speaker} == {"Valdoria", "Ostria"}
    # one sentence giving two speakers' matching accounts is no dispute
    same = (
        "Both sides met on Monday, with Valdoria saying the talks went well and Ostria saying "
        "the talks went well."
    )
    agreed = extract_claims([ClaimSource("q:0", same, "en", "q", "invented-wire")])
    assert link_claims(agreed) == []


def test_other_articles_restating_the_denied_account_join_its_side() -> None:
    """An unlinked restatement of the denied account in another article joins that side."""
    src = [
        ClaimSource(
            "r-a1:0",
            "Ostria's coast guard said the supply boat was carrying cement to the old lighthouse.",
            "en",
            "r-a1",
            "invented-wire",
        ),
        ClaimSource(  # the same speaker on another subject stays out
            "r-a1:1", "Ostria's coast guard said the weather was calm.", "en", "r-a1", "x"
        ),
        ClaimSource(
            "r-a2:0",
            "Valdoria on Friday released the manifest, rejecting Ostrian claims that the supply "
            "boat was carrying cement to the old lighthouse.",
            "en",
            "r-a2",
            "invented-times",
        ),
    ]
    claims = extract_claims(src)
    (dispute,) = disputes(claims, link_claims(claims))
    side = [dispute.claim, *dispute.supporting]
    assert "r-a1:0" in {c.passage_id for c in side}
    assert "r-a1:1" not in dispute.passage_ids
    assert {c.speaker for c in dispute.contesting} == {"Valdoria"}
