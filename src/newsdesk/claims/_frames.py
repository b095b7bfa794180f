"""Attribution patterns per language: the regex frames that find who said what."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.claims._lexicon import ACCORDING, SPEECH
from newsdesk.claims.model import Stance

__all__ = ["FRAMES", "Frame", "stance_of"]

NOQ = '"“”«»„'  # quote marks a speaker phrase never contains


@dataclass(frozen=True)
class Frame:
    """One attribution pattern: groups s (speaker), v (verb, optional), c (content), t (to)."""

    pattern: re.Pattern[str]
    stance: Stance | None = None  # fixed stance for cue frames ("according to"); else by verb


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first, of regex fragments."""
    return "|".join(sorted(set(words), key=len, reverse=True))


_FR_ADVERBS = (
    r"(?:\s+(?:de nouveau|également|aussi|encore|déjà|toujours|pourtant|fermement"
    r"|catégoriquement|formellement|vivement))?"
)


def _verbs(lang: str) -> str:
    """All speech verb forms of `lang` as one alternation."""
    forms = [v for group in SPEECH[lang].values() for v in group]
    if lang == "fr":
        forms = [re.sub(r"^(a|ont) ", lambda m: m.group(1) + _FR_ADVERBS + " ", f) for f in forms]
    return _alt(forms)


def stance_of(lang: str, verb: str) -> Stance:
    """The stance a verb form carries."""
    verb = verb.strip()
    if lang == "fr":  # "a de nouveau démenti", "a-t-il démenti": the plain form
        verb = re.sub(_FR_ADVERBS[:-1] + " ", " ", verb)
        verb = re.sub(r"-t?-(?:il|elle|ils|elles)\b", "", verb)
    stances = (Stance.DENY, Stance.CONFIRM, Stance.DISPUTE)
    for stance in stances:
        for form in SPEECH[lang][stance]:
            if re.fullmatch(form, verb, re.IGNORECASE):
                return stance
    return Stance.ASSERT


def _c() -> str:
    """A content group inside a lookahead, so the next frame match can start inside it."""
    return r"(?=(?P<c>.+))"


def _frames_en() -> list[Frame]:
    v = _verbs("en")
    adv = (
        r"(?:\s+(?:in a statement|in an interview|on \w+day|late on \w+day|late \w+day|"
        r"earlier|again|repeatedly|publicly|at a [\w ]{3,30}?|in [\w ]{3,20}?|this week|last week|"
        r"this month|last month|earlier this week|yesterday|today|on \w+day))*"
    )
    told = (
        r"(?:\s+(?P<t>reporters|journalists|lawmakers|parliament"
        r"|(?:the )?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,4}))"
    )
    # only verbs that take an addressee read one: "said the Chinese ships fired" is content
    told_v = "".join(
        rf"(?<=\b{w})" if i == 0 else rf"|(?<=\b{w})"
        for i, w in enumerate(("told", "tells", "assured", "informed", "briefed", "warned"))
    )
    told_after = rf"(?:(?:{told_v}){told})"
    start = r"(?:^|(?<=[,;:]\s)|(?<=\bbut\s)|(?<=\band\s)|(?<=\bwhile\s)|(?<=\bwhereas\s))"
    return [
        Frame(
            re.compile(
                rf"{start}(?:[Aa]ccording to|[Cc]iting)\s+(?P<s>[^,;:]{{2,90}}?)\s*,\s*{_c()}"
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                r"(?P<c>[^;]{10,}?),?\s+(?:according to"
                r"|citing)\s+(?P<s>[^,;:.]{2,140}?)\s*(?:[.,;]|$)"
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?P<c>.{{8,}}?)(?:(?:,(?!\d)|[”\"’])\s*)+(?P<v>said|added|says|told|warned|insisted|claimed)"
                rf"\s+(?P<s>[^,;.\"”]{{2,90}}?){told}?(?:,|\.|$)"
            )
        ),
        Frame(
            re.compile(
                rf"(?P<c>.{{8,}}?)(?:(?:,(?!\d)|[”\"’])\s*)+(?P<s>[^,;\"“”]{{2,90}}?)\s+(?P<v>{v})\b{told_after}?"
                rf"(?:\s+(?:on \w+day|in a statement|in an interview|by telephone|by phone|last"
                rf" week|"
                rf"at [^.;,\d]{{2,40}}|in [A-Z][^.;,\d]{{2,30}}))*"
                rf"(?:,\s+(?:even though|although|though|while|as|but|adding|saying|speaking)\b"
                rf"[^\"“”]*)?\.?$"
            )
        ),
        Frame(
            re.compile(
                r"\b(?:a|an|the)\s+(?P<s>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,4})\s+"
                r"(?P<v>report|reports|story|article|investigation)\s+(?:that|saying)\s+(?=(?P<c>.+))"
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                r"(?:^|(?<=\s))(?P<c>(?:the|a|an)\s+(?:[^,;]|,(?=\d)){0,50}?)\s+"
                r"(?P<v>reported|claimed|cited|announced|given|put forward)\s+by\s+"
                r"(?P<s>the [^,.;]{3,80}?|[A-Z][^,.;]{2,80}?)(?=[,.;]|$| on | in | as )"
            )
        ),
        Frame(
            re.compile(
                rf"{start}(?P<s>[^,;\"“”]{{2,80}}?)\s+(?P<v>gave|offered|issued|released|put out)"
                rf"\s[^,;]{{2,50}},\s+saying\s+(?:that\s+)?{_c()}"
            )
        ),
        Frame(
            re.compile(
                rf"{start}(?P<s>[^,;\"“”]{{2,80}}?)\s+(?P<v>(?:repeated|reiterated|renewed|issued)\s+"
                rf"(?:its|his|her|their|a)\s+denial)\s+(?:that\s+)?{_c()}"
            ),
            Stance.DENY,
        ),
        Frame(
            re.compile(
                rf"{start}(?P<s>[^,;\"“”]{{2,80}}?)\s+(?:on \w+day\s+)?[a-z]+ed\b[^;\"“”]"
                rf"{{0,160}}?,\s+"
                rf"(?P<v>rejecting|denying|dismissing|disputing)\s+{_c()}"
            ),
            Stance.DENY,
        ),
        Frame(
            re.compile(
                r"\bwith\s+(?P<s>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})\s+(?P<v>saying|claimin"
                r"g|insisting)"
                r"\s+(?:that\s+)?(?=(?P<c>.+))"
            ),
        ),
        Frame(
            re.compile(
                r"(?:\band|,)\s+(?P<s>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})\s+(?P<v>saying|cl"
                r"aiming|insisting)"
                r"\s+(?:that\s+)?(?=(?P<c>.+))"
            ),
        ),
        Frame(
            re.compile(
                rf"(?:,\s*|\s)(?:and|but)\s+(?P<s>(?:it|he|she|they)?)\s*(?P<v>denied|rejected|dismissed|insisted|said|put|"
                rf"added|warned|confirmed)\b(?:\s+that\b)?\s*{_c()}"
            )
        ),
        Frame(
            re.compile(
                rf"{start}(?P<s>[^,;\"“”]{{2,100}}?(?:, [A-Z][^,;\"“”]{{1,60}}?)?)"
                rf"(?:,\s+(?:who|which|whose)\s[^,;]{{3,120}},)?,?\s+(?:(?:on \w+day|late on \w"
                rf"+day|also|has"
                rf"|have|had|again|"
                rf"repeatedly|publicly|flatly|earlier)\s+)*(?P<neg>did not |has not |had not "
                rf"|would not )?"
                rf"(?P<v>{v})\b{told_after}?{adv}(?:,?\s+that\b|:|,)?\s*{_c()}"
            )
        ),
    ]


def _frames_generic(lang: str, that: str, post_verbs: str | None = None) -> list[Frame]:
    """Frames for languages written like French, Spanish, Portuguese, German, Russian."""
    v = _verbs(lang)
    pre, _ = ACCORDING[lang]
    start = (
        r"(?:^|(?<=[,;:]\s)|(?<=\s[—–-]\s)|(?<=\bmais\s)|(?<=\bpero\s)|(?<=\bmas\s)"
        r"|(?<=\bно\s)|(?<=\baber\s))"
    )
    tail = r"(?:\s+(?:dem|der|à|au|al|ao|à la|aux)\s+(?P<t>[A-ZÄÖÜÉ«„][^,.:;]{1,60}?))?"
    pre_tail = r"(?:\s+(?:dem|der|à|al|ao|à la|aux)\s+(?P<t>[A-ZÄÖÜÉ«„][^,.:;]{1,60}?)(?=\s*[,:]))?"
    frames = [
        Frame(
            re.compile(
                rf"(?:,\s*|\s)(?:et|y|e|und|и"
                rf"|а также)\s+(?P<s>)(?P<v>{v})\b(?:\s*,?\s*(?:{that})\s+)?{_c()}"
            )
        ),
        Frame(
            re.compile(rf"{start}(?i:{_alt(pre)})\s+(?P<s>[^,;:]{{2,90}}?)\s*,\s*{_c()}"),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?P<c>[^;]{{10,}}?),\s+(?i:{_alt(pre)})\s+(?P<s>[^,;:.]{{2,90}}?)\s*(?:[.,;]|$)"
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?P<c>.{{8,}}?)(?:(?:,(?!\d)|[”\"»“])\s*)+[—–-]?\s*(?P<v>{post_verbs or v})\s+"
                rf"(?P<s>(?:[^,;.\"”»]|\.(?=\s?[A-ZÄÖÜ]))(?:[^,;.\"”»]|\.(?=\s?[A-ZÄÖÜ])){{1,89}}?){tail}\s*(?:[.,;]|$)"
            )
        ),
        Frame(
            re.compile(
                rf"{start}(?P<s>[^,;:{NOQ}]{{2,100}}?(?:, [A-ZÉА-Я][^,;:{NOQ}]{{1,60}}?)?),?\s+"
                rf"(?P<v>{v})\b{pre_tail}"
                rf"(?:\s+(?:am \w+|le \w+|el \w+|en un comunicado|dans un communiqué|em nota|"
                rf"в заявлении|в \w+|on \w+|gegenüber [^,]{{1,40}}|auf Anfrage))*"
                rf"\s*(?:[,:]\s*)?(?:{that}\s+)?{_c()}"
            )
        ),
    ]
    return frames


def _frames_fr() -> list[Frame]:
    """French frames, with the inverted attribution after a quote: « … », a-t-il affirmé."""
    head = r"(?:(?:a|ont|avait|avaient)-t?-|[a-zéèêîû]{2,}(?:e|t|d)-t?-)"
    participle = r"(?:\s+[a-zéèêîû]+(?:é|i|u|is|it)e?s?)?"
    inverted = Frame(
        re.compile(
            rf"(?P<c>.{{8,}}?)(?:(?:,(?!\d)|[”\"»“])\s*)+[—–-]?\s*"
            rf"(?P<v>{head}(?P<s>il|elle|ils|elles){participle})\b(?:\s+[^.;]{{0,60}})?\s*[.;]?$"
        )
    )
    return [inverted, *_frames_generic("fr", "que|qu'|qu’")]


def _frames_de_separable() -> Frame:
    """German "X wies den Bericht zurück": the verb's particle closes the clause."""
    return Frame(
        re.compile(
            r"(?:^|(?<=[,;:]\s))(?P<s>[A-ZÄÖÜ][^,;:„“\"]{1,80}?)\s+(?P<v>wies|weist|wiesen|weisen)\s+"
            r"(?P<c>[^.,;]{2,120}?)\s+zurück\b"
        ),
        Stance.DENY,
    )


def _frames_de() -> list[Frame]:
    pre = (
        r"(?:[Ll]aut|[Nn]ach (?:Angaben|Darstellung|Informationen|Schätzungen) (?:des|der|von|vom))"
    )
    np = (
        r"(?:(?:des|der|den|dem|von|vom|für|und|die|das)\s+|[A-ZÄÖÜ][\w.\-’'()]*\s+"
        r"|[a-zäöüß]+\s+(?=[A-ZÄÖÜ]))+"
    )
    return [
        Frame(re.compile(rf"(?:^|(?<=\s)){pre}\s+(?P<s>{np}){_c()}"), Stance.ASSERT),
        Frame(
            re.compile(rf"(?:^|(?<=[,;]\s))(?P<s>(?:(?:dem|der|den)\s+)?{np})zufolge\b,?\s*{_c()}"),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                r"(?:Bericht|Meldung|Darstellung)\s+(?:der|des)\s+(?:Zeitung|Agentur|Nachrichtenagentur|"
                r"Nachrichtenseite|Senders)?\s*(?P<s>\"[^\"]+\"|„[^“]+“|[A-Z][\w-]*(?: [A-Z][\w"
                r"-]*)*),?"
                r"\s+(?P<v>wonach|demzufolge|dem zufolge)\s+(?=(?P<c>.+))"
            ),
            Stance.ASSERT,
        ),
        _frames_de_separable(),
        *_frames_generic("de", "dass"),
    ]


def _frames_ru() -> list[Frame]:
    return [
        Frame(
            re.compile(
                r"(?:^|(?<=\s))[Пп]о (?P<s>его|её|ее|их) (?:словам|данным|оценке),\s*(?=(?P<c>.+))"
            ),
            Stance.ASSERT,
        ),
        *_frames_generic("ru", "что"),
    ]


def _frames_zh() -> list[Frame]:
    v = _verbs("zh")
    return [
        Frame(
            re.compile(
                r"(?:^|(?<=[，。；：]))[另又而但]?据(?P<s>[^，。；：“”]{2,30}?)(?:报道|称|介绍|透露|消息|了解|统计|数据|说)?[，,]"
                + _c()
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?:^|(?<=[，。；：“”]))(?P<s>[^，。；：“”]{{2,30}}?)(?:对[^，。]{{1,12}}?)?"
                rf"(?:\d+日|周[一二三四五六日]|[上下]午|当天|随后|也|则|还|再次|公开|在[^，。]{{1,12}}?)*"
                rf"(?P<v>{v})(?![法明为])[：:，,]?\s*{_c()}"
            )
        ),
    ]


def _frames_ja() -> list[Frame]:
    v = _verbs("ja")
    again = r"(?:改めて|あらためて|重ねて|再び|強く|全面的に|きっぱりと)?"
    return [
        Frame(
            re.compile(
                r"(?:^|(?<=[、。「」]))(?P<s>[^、。「」]{2,30}?)(?:によると|によれば|の話では)、?"
                + _c()
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?:^|(?<=[、。]))(?P<s>[^、。「」]{{2,40}}?)(?:は|が(?=「))、?(?:[^、。「」]{{0,20}}?(?:に対し|で)、?)?"
                rf"(?P<c>「[^」]+」|[^。「」]{{2,120}}?)(?:と|を){again}(?P<v>{v})"
            )
        ),
        # "同社はこれも否定している": the company denied this too (what the clause before said)
        Frame(
            re.compile(
                rf"(?:^|(?<=[、。]))(?P<s>[^、。「」]{{2,40}}?)(?:は|も)、?"
                rf"(?P<c>これ|それ|この(?:報道|指摘|見方)|その(?:報道|指摘|見方))(?:も|を){again}"
                rf"(?P<v>{_alt(SPEECH['ja']['deny'])})"
            ),
            Stance.DENY,
        ),
    ]


def _frames_ar() -> list[Frame]:
    v = _verbs("ar")
    pre, _ = ACCORDING["ar"]
    return [
        Frame(
            re.compile(
                rf"(?:^|(?<=[،.؛]\s)|(?<=\s))(?:و)?(?:{_alt(pre)})(?:(?<=ل)|(?<=لـ)|\s+)\s*(?P<s>[^،.؛:]{{2,80}}?)\s*[،,]\s*{_c()}"
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?:^|(?<=\s))(?:و|ف)?(?P<v>نفى|نفت|ينفي|تنفي|فند|فندت|كذب|كذبت)\s+"
                rf"(?P<s>(?:\w+\s+)?«[^»]{{2,60}}»|ال\w+|\w+(?:\s+ال\w+)+)\s*،?\s+{_c()}"
            )
        ),
        Frame(
            re.compile(
                rf"(?:^|(?<=\s)|(?<=[،,]))(?:و|ف)?(?P<v>{v})\s+(?P<s>[^«»:]{{2,120}}?)\s*(?:،\s*)?"
                rf"(?:(?:في بيان|لـ\s*«[^»]+»|ل«[^»]+»)\s*)?(?:إن|أن|إنه|أنه|إنها|أنها|بأن|بأنه"
                rf"|بأنها|:)\s+{_c()}"
            )
        ),
    ]


def _frames_hi() -> list[Frame]:
    v = _verbs("hi")
    return [
        Frame(
            re.compile(
                r"(?:^|(?<=[,।]\s))(?P<s>[^,।“”]{2,60}?)\s+(?:के अनुसार|के मुताबिक़?)\s*,?\s*" + _c()
            ),
            Stance.ASSERT,
        ),
        Frame(
            re.compile(
                rf"(?:^|(?<=[,।]\s)|(?<=लेकिन\s))(?P<s>[^,।“”]{{2,80}}?)\s+(?:ने|का कहना है)\s+"
                rf"(?:(?P<o>[^,।“”]{{0,120}}?)\s+)?(?P<v>{v})(?:\s+था)?(?:\s*,?\s*कि)?\s*,?\s*{_c()}"
            )
        ),
    ]


FRAMES: dict[str, list[Frame]] = {
    "en": _frames_en(),
    "fr": _frames_fr(),
    "de": _frames_de(),
    "es": _frames_generic("es", "que"),
    "pt": _frames_generic("pt", "que"),
    "ru": _frames_ru(),
    "zh": _frames_zh(),
    "ja": _frames_ja(),
    "ar": _frames_ar(),
    "hi": _frames_hi(),
}
