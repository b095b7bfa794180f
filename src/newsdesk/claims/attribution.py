"""Attributed statements in ten languages: who said what, according to whom."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsdesk.claims._frames import FRAMES, NOQ, stance_of
from newsdesk.claims._lexicon import (
    ANONYMOUS,
    BODIES,
    DISMISSALS,
    HEDGES,
    NON_SPEAKERS,
    PRONOUNS,
    REFUSED_OBJECTS,
    TITLES,
)
from newsdesk.claims.model import Claim, ClaimSource, SpeakerKind, Stance
from newsdesk.claims.numbers import find_quantities

__all__ = ["extract_claims", "supported_languages"]

logger = logging.getLogger(__name__)

_Q_OPEN = "\"“«„‘'「『"
_Q_CLOSE = "\"”»“’'」』"


@dataclass
class _Hit:
    """A frame match in one clause, before it becomes a Claim."""

    start: int
    end: int
    speaker: str
    verb: str
    stance: Stance
    content: str
    content_start: int
    to: str | None
    post: bool
    key_start: int = 0
    obj: str = ""


_QUOTE_START = re.compile(r"(?<=[.!?])[\"”»]?\s+(?=[\"“«„])")
_CLAUSE = re.compile(r"\s*[;；؛]\s*")
_LEAD_IN = re.compile(
    r"^(?:(?:In|On|At|Late|Earlier|Meanwhile|However|But|And|Separately)\b[^,]*,\s*)+"
)
_TRAIL = re.compile(
    r"[\s,，、،:：—–-]*(?:\b(?:but|while|whereas|and|mais|tandis que|pero|mientras|mas|enquanto|"
    r"aber|während|но|а|لكن|بينما|في حين|लेकिन|जबकि)\b)?[\s,，、،:：—–-]*$"
)
_SPEAKER_TAIL = re.compile(
    r"(?:\s+(?:in a statement|en un comunicado|dans un communiqué|in einer Erklärung|em nota|"
    r"в заявлении|в понедельник|во вторник|в среду|в четверг|в пятницу|в субботу|"
    r"в воскресенье|на брифинге|на пресс-конференции|журналистам|это|также|же|on \w+day|"
    r"am \w+tag|el \w+|le \w+di)|予以|对此|则|也)+$",
    re.IGNORECASE,
)
_FR_TO = re.compile(r"^(?:au|aux|à la|à)\s+(?:[A-ZÉ][\w’'-]*\s+)+(?=\S)")
_OBJECT_PRONOUNS = {"это", "cela", "ceci", "dies", "das", "eso", "isso", "it", "this", "इसका"}
_SUBORDINATE = re.compile(
    r"^.*\b(?:after|as|when|because|since|before|until|once)\s+(?=(?:the\s+)?[A-Z])"
)
_SPEAKER_HEAD = re.compile(
    r"^(?:but|and|while|whereas|although|though|mais|et|pero|y|mas|e|aber|und|но|а|и|لكن|लेकिन|और|但|而)\s+",
    re.IGNORECASE,
)
_EN_STARTERS = set(TITLES) | {
    "operator",
    "broker",
    "company",
    "firm",
    "ministry",
    "government",
    "state",
    "rival",
    "industry",
    "shipowners",
    "a",
    "an",
    "the",
    "two",
    "three",
    "four",
    "several",
    "some",
    "one",
    "people",
    "officials",
    "sources",
    "analysts",
    "police",
    "diplomats",
    "union",
    "he",
    "she",
    "they",
    "it",
    "its",
    "his",
    "her",
    "their",
    "both",
    "brokers",
    "captains",
    "residents",
    "witnesses",
    "economists",
    "traders",
    "private",
    "senior",
    "local",
    "opposition",
}
_BAD_SPEAKER = re.compile(
    r"\b(?:was|were|is|are|has|had|have|will|would|not|which|who|that|if|because|when|as)\b"
    r"|^(?:this|that|these|those|it|there|what)$",
    re.IGNORECASE,
)


def supported_languages() -> tuple[str, ...]:
    """Language codes with attribution patterns."""
    return tuple(FRAMES)


def _clean_speaker(raw: str, lang: str) -> str | None:
    """The speaker phrase trimmed of lead-ins, or None if it does not look like a source."""
    s = raw.strip(" ,;:—–-\t" + _Q_OPEN + _Q_CLOSE)
    s = _SPEAKER_TAIL.sub("", s).strip(" ,")
    s = _SPEAKER_HEAD.sub("", s)
    s = re.sub(r"^(?:而|但|则|另|并且|并)(?=\S)", "", s) if lang in ("zh", "ja") else s
    if s.lower() in NON_SPEAKERS:
        return None
    s = _DATELINE.sub("", _DATELINE_TAIL.sub("", s))
    s = _LEAD_IN.sub("", s) if lang == "en" else s
    s = _FR_TO.sub("", s) if lang == "fr" else s  # "a confié au Courrier l'une des sources"
    s = _SUBORDINATE.sub("", s) if lang == "en" else s
    if not s or len(s) > 100:
        return None
    if any(q in s for q in NOQ):
        return None
    if lang in ("en", "fr", "de", "es", "pt", "ru"):
        words = s.split()
        if len(words) > 14:
            return None
        if lang == "en":
            first = words[0].lower()
            if _BAD_SPEAKER.search(s) and not re.search(r"familiar|who asked", s):
                return None
            if words[0][0].islower() and first not in _EN_STARTERS:
                return None
        elif words[0][0].isdigit():
            return None
    return s


def _speaker_kind(speaker: str, outlets: Sequence[str]) -> SpeakerKind:
    """What kind of source a speaker phrase names."""
    low = speaker.lower()
    for name in outlets:
        stems = [w[:6].lower() for w in name.split() if len(w) > 3]
        if name and (name.lower() in low or (stems and all(st in low for st in stems))):
            return SpeakerKind.OUTLET
    if re.search(r"\b(?:spokes(?:person|man|woman)|representative) (?:for|of)\b", low):
        return SpeakerKind.OFFICIAL_BODY
    if any(a.lower() in low for a in ANONYMOUS):
        return SpeakerKind.ANONYMOUS_SOURCES
    words = re.findall(r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]+", speaker)
    has_title = any(t in low.split() for t in TITLES)
    body = any(b in low for b in BODIES)
    named = len(words) >= 2 and not body
    if has_title and len(words) >= 2:
        return SpeakerKind.NAMED_PERSON
    if body:
        return SpeakerKind.OFFICIAL_BODY
    if named:
        return SpeakerKind.NAMED_PERSON
    return SpeakerKind.UNKNOWN


def _is_hedged(text: str, lang: str) -> bool:
    """Whether the statement carries a hedge word."""
    low = text.lower()
    for h in HEDGES.get(lang, ()):
        if lang in ("zh", "ja", "ar", "hi"):
            if h in text:
                return True
        elif re.search(rf"\b{re.escape(h)}\b", low):
            return True
    return False


def _is_dismissal(text: str, lang: str) -> bool:
    """Whether the statement rejects something: "baseless", "fabricated", "no talks"."""
    low = text.lower()
    return any(w in low for w in DISMISSALS.get(lang, ()))


def _key(hit: _Hit) -> tuple[int, int]:
    """Span of a hit's speaker-and-verb part (its content excluded)."""
    if hit.post:
        return hit.content_start + len(hit.content), hit.end
    return hit.key_start, hit.content_start


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


def _hits(clause: str, lang: str) -> list[_Hit]:
    """Non-overlapping attribution matches in one clause, in text order, contents trimmed."""
    found: list[_Hit] = []
    for frame in FRAMES[lang]:
        for m in frame.pattern.finditer(clause):
            groups = m.groupdict()
            if groups.get("neg"):
                continue  # "did not confirm" reports no statement
            raw = groups["s"].strip(" ,")
            if raw and raw.lower() not in PRONOUNS and _clean_speaker(raw, lang) is None:
                continue  # not a source: let another frame read this clause
            verb = (groups.get("v") or "according to").strip()
            post = m.start("c") < m.start("s")
            hit = _Hit(
                start=m.start("c") if post else m.start("s"),
                end=m.end("c") if not post else m.end(),
                speaker=groups["s"],
                verb=verb,
                stance=frame.stance or stance_of(lang, verb),
                content=groups["c"],
                content_start=m.start("c"),
                to=groups.get("t"),
                post=post,
                key_start=min(m.start("s"), m.start("v") if groups.get("v") else m.start("s")),
                obj=groups.get("o") or "",
            )
            if any(_overlaps(_key(hit), _key(h)) for h in found):
                continue
            found.append(hit)
    found.sort(key=lambda h: _key(h)[0])
    for hit in found:
        pieces = _QUOTE_START.split(hit.content)
        if len(pieces) > 1:
            if hit.post:  # '… appeal. "Everyone is reading…," Rao said': Rao said the quote
                hit.content_start += len(hit.content) - len(pieces[-1])
                hit.content = pieces[-1]
            else:
                hit.content = pieces[0]
    for i, hit in enumerate(found):
        if hit.post:
            lo = max((_key(h)[1] for h in found[:i]), default=0)
            cut = max(0, lo - hit.content_start)
            hit.content, hit.content_start = hit.content[cut:], hit.content_start + cut
        else:
            hi = min((_key(h)[0] for h in found[i + 1 :]), default=len(clause))
            keep = max(0, hi - hit.content_start)
            hit.content = hit.content[:keep]
    return found


_DATELINE_TAIL = re.compile(r"^(?:[A-Z][a-z]{2,4}\.? \d{1,2} )?\([^)]{2,40}\) [-–—] ")
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'/-]{2,40}(?:, [A-Z][a-z]{2,4}\.? \d{1,2})?(?: \([^)]{2,40}\))? [-–—] "
)


def _strip_content(text: str) -> str:
    """Content without dateline, dangling conjunctions, quotes and punctuation at its ends."""
    text = _DATELINE.sub("", text.strip())
    text = _TRAIL.sub("", text)
    text = text.strip(" ,;:，、،：—–-")
    if text.count("“") < text.count("”") or text.count("«") < text.count("»"):
        text = text.rstrip("”»")
    opened = text.count("“") > text.count("”") or text.count("«") > text.count("»")
    if (opened and text[:1] in "“«") or (text[:1] == '"' and text.count('"') % 2):
        text = text[1:]  # '« The bridge reopens in March », he said': the quote, unwrapped
    return text.strip()


def extract_claims(
    passages: Sequence[ClaimSource],
    outlet_names: Sequence[str] = (),
    lede_figures: bool = True,
) -> list[Claim]:
    """Attributed statements in `passages`, in input order.

    Args:
        passages: Passages with their language, article and outlet.
        outlet_names: Names of publications, so "told the Capital Ledger" counts as an outlet.
        lede_figures: Also record unattributed figures in an article's first two passages as
            the outlet's own claims ("The real slid 2.4%"), so rival figures can contest them.

    Returns:
        One Claim per attribution found; ids are "<passage id>#<index>".
    """
    found: list[list[Claim]] = [[] for _ in passages]
    recent: dict[str, list[tuple[int, Claim]]] = {}  # article -> its claims so far
    last_unit: dict[str, str] = {}
    open_quotes: dict[str, list[int]] = {}  # article -> passages inside a quote still open
    for n, src in enumerate(passages):
        lang = src.lang if src.lang in FRAMES else ""
        if not lang:
            continue
        claims = found[n]
        hint = last_unit.get(src.article_id)
        for clause in _CLAUSE.split(src.text):
            for hit in _hits(clause, lang):
                previous = _antecedent(recent.get(src.article_id, []), hit, n)
                claim = _build(src, hit, len(claims), outlet_names, previous, n, hint)
                if claim is None:
                    continue
                claims.append(claim)
                recent.setdefault(src.article_id, []).append((n, claim))
                inner = _embedded_claim(claim, len(claims))
                if inner is not None:
                    claims.append(inner)
        pending = open_quotes.pop(src.article_id, [])
        state = _quote_state(src.text, lang, bool(pending))
        if pending and state == "closes":
            closing = next((c for c in claims if _closes_quote(src.text, c)), None)
            for k in pending:
                if closing is None or found[k]:
                    continue  # unattributed, or the passage has its own attribution
                opener = _quoted_claim(passages[k], closing, len(found[k]), last_unit)
                if opener is not None:
                    found[k].append(opener)
        elif state == "opens" or (pending and state == "inside"):
            open_quotes[src.article_id] = [*pending, n]
        if not claims and lede_figures and _position(src.passage_id) < 2:
            own = _outlet_claim(src, hint)
            if own is not None:
                claims.append(own)
        units = [q.unit for q in find_quantities(src.text, lang, hint) if q.unit != "%"]
        if units:
            last_unit[src.article_id] = units[-1]
    return [c for claims in found for c in claims]


def _quote_state(text: str, lang: str, inside: bool) -> str:
    """How a passage sits in a quotation: "opens" one it leaves open, "closes" one opened
    before it, is "inside" one throughout, or is "plain"."""
    german = lang == "de" or "„" in text  # „…“: the English opening mark closes
    depth = low = 0
    marks = 0
    for ch in text:
        if ch in "„«「『" or (ch == "“" and not german):
            depth += 1
        elif ch in "»」』”" or (ch == "“" and german):
            depth -= 1
            low = min(low, depth)
        else:
            continue
        marks += 1
    if low < 0:
        return "closes"
    if depth > 0:
        return "opens"
    if text.count('"') % 2 == 1:
        return "closes" if inside else "opens"
    if not marks and '"' not in text:
        return "inside" if inside else "plain"
    return "plain"


def _closes_quote(text: str, claim: Claim) -> bool:
    """Whether a claim is the attribution that closes a quote opened in an earlier passage:
    its statement runs from the passage start to the closing mark ('… ends here," she said')."""
    head = text.lstrip(" \t" + _Q_OPEN)
    return (
        claim.verb not in ("alleged", "reported", "according to")
        and bool(claim.content)
        and head.startswith(claim.content.lstrip(_Q_OPEN)[:20])
    )


def _quoted_claim(
    src: ClaimSource, closing: Claim, index: int, last_unit: dict[str, str]
) -> Claim | None:
    """The claim for a passage that opens a quote closed (and attributed) in a later passage."""
    start = max(src.text.rfind(q) for q in '„«“「『"')
    content = _strip_content(src.text[start + 1 :] if start >= 0 else src.text)
    if len(content) < 8:
        return None
    hint = last_unit.get(src.article_id)
    return replace(
        closing,
        id=f"{src.passage_id}#{index}",
        passage_id=src.passage_id,
        content=content,
        numbers=tuple(find_quantities(content, src.lang, hint)),
        hedged=_is_hedged(content, src.lang),
        published=src.published,
    )


def _position(passage_id: str) -> int:
    """The position part of a "<article id>:<position>" passage id."""
    tail = passage_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _outlet_claim(src: ClaimSource, hint: str | None) -> Claim | None:
    """The outlet's own claim for a lede passage that states figures without attribution."""
    content = _strip_content(src.text)
    numbers = tuple(find_quantities(content, src.lang, hint))
    if not numbers:
        return None
    return Claim(
        id=f"{src.passage_id}#0",
        passage_id=src.passage_id,
        article_id=src.article_id,
        outlet=src.outlet,
        lang=src.lang,
        speaker=src.outlet,
        speaker_kind=SpeakerKind.OUTLET,
        according_to=None,
        verb="reported",
        stance=Stance.ASSERT,
        content=content,
        numbers=numbers,
        hedged=_is_hedged(content, src.lang),
        published=src.published,
    )


def _antecedent(recent: Sequence[tuple[int, Claim]], hit: _Hit, n: int) -> tuple[int, Claim] | None:
    """The claim a pronoun speaker of `hit` may stand for: the last one before it, except that
    a denial answers the claim just made ("the paper reported X, but the firm denied it"), so
    its pronoun skips speakers of the same passage."""
    if not recent:
        return None
    if hit.stance in ("deny", "dispute"):
        for k, claim in reversed(recent):
            if k != n:
                return (k, claim)
    return recent[-1]


def _resolve_pronoun(
    speaker: str, lang: str, previous: tuple[int, Claim] | None, n: int
) -> Claim | None:
    """The earlier claim whose speaker a pronoun stands for, if near enough."""
    if speaker and speaker.lower() not in PRONOUNS:
        return None
    if previous is None or n - previous[0] > 3:
        return None
    if (
        lang == "en"
        and speaker.lower() in ("he", "she")
        and previous[1].speaker_kind
        in (
            "official body",
            "outlet",
        )
    ):
        return None  # "he told reporters" after "the ministry said": someone else speaks
    return previous[1]


def _build(
    src: ClaimSource,
    hit: _Hit,
    index: int,
    outlet_names: Sequence[str],
    previous: tuple[int, Claim] | None,
    n: int,
    article_unit: str | None = None,
) -> Claim | None:
    """A Claim from one hit, or None if the speaker or content does not hold up."""
    lang = src.lang
    content = _strip_content(hit.content)
    if len(content) < 2 and hit.stance == "deny":
        content = hit.obj.strip()
    elif len(content) < 2:
        return None
    raw = hit.speaker.strip()
    last = raw.rsplit(" ", 1)[-1].lower() if raw else ""
    if hit.stance == "deny" and last in _OBJECT_PRONOUNS and " " in raw:
        raw = raw[: -len(last)].strip()
        content = f"{last} — {content}"
    bare = _SPEAKER_HEAD.sub("", _SPEAKER_TAIL.sub("", raw.strip(" ,")).strip(" ,"))
    antecedent = _resolve_pronoun(bare, lang, previous, n)
    if antecedent is not None:
        speaker: str | None = antecedent.speaker
        kind: SpeakerKind = antecedent.speaker_kind
    else:
        if bare.lower() in PRONOUNS:
            return None
        speaker = _clean_speaker(raw, lang)
        if speaker is None:
            return None
        kind = _speaker_kind(speaker, outlet_names)
    according_to = _according_to(hit.to, outlet_names)
    before = src.text[: max(0, src.text.find(content[:20]))] if content else ""
    hints = find_quantities(before, lang, article_unit) if before else []
    unit_hint = hints[-1].unit if hints and hints[-1].unit != "%" else article_unit
    stance = hit.stance
    head = " ".join(content.lower().split()[:3])
    if stance == "deny" and any(o in head for o in REFUSED_OBJECTS):
        stance = Stance.ASSERT  # "rejected the offer" refuses something; it denies nothing
    if stance == "assert" and _is_dismissal(content, lang):
        stance = Stance.DISPUTE
    assert speaker is not None  # both branches above set it
    speaker_keys = tuple(
        key
        for key, forms in src.entities.items()
        if any(f and f.lower() in speaker.lower() for f in forms)
    )
    entity_keys = tuple(
        key for key, forms in src.entities.items() if any(f and f in src.text for f in forms)
    )
    return Claim(
        id=f"{src.passage_id}#{index}",
        passage_id=src.passage_id,
        article_id=src.article_id,
        outlet=src.outlet,
        lang=lang,
        speaker=speaker,
        speaker_kind=kind,
        according_to=according_to,
        verb=hit.verb,
        stance=stance,
        content=content,
        numbers=tuple(find_quantities(content, lang, unit_hint)),
        hedged=_is_hedged(content, lang),
        published=src.published,
        speaker_keys=speaker_keys,
        entity_keys=entity_keys,
    )


_EMBEDDED = re.compile(
    r"^(?:the |these |those |such |a |an )?(?:(?P<adj>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*) )?(?:al"
    r"legations?|claims?|reports?|accusations?|suggestions?|"
    r"accounts?)(?: (?:by|from) (?P<s>[^,]{2,80}?))?,? that (?P<c>.{8,})",
    re.IGNORECASE,
)


_EMBEDDED_BY_LANG = {
    "en": _EMBEDDED,
    "ru": re.compile(
        r"^(?:эти |это )?(?:заявлени[еяй]|сообщени[еяй]|утверждени[еяй]|обвинени[еяй]|данные)"
        r"(?: (?P<s>[^,]{2,60}?))?,? (?:о том,? что|что|будто) (?P<c>.{8,})",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"^(?:les |des |ces )?(?:informations|affirmations|accusations|allégations)"
        r"(?: (?:de|du|des) (?P<s>[^,]{2,60}?))?,? (?:selon lesquelles|affirmant que) (?P<c>.{8,})",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"^(?:las |los |unas )?(?:informaciones|acusaciones|afirmaciones|versiones)"
        r"(?: (?:de|del) (?P<s>[^,]{2,60}?))?,? (?:según las cuales|de que) (?P<c>.{8,})",
        re.IGNORECASE,
    ),
}


def _embedded_claim(denial: Claim, index: int) -> Claim | None:
    """The claim a denial quotes ("denied allegations by X that …"), as a claim of its own."""
    if denial.stance not in ("deny", "dispute") or denial.lang not in _EMBEDDED_BY_LANG:
        return None
    m = _EMBEDDED_BY_LANG[denial.lang].match(denial.content)
    if m is None:
        return None
    named = m.group("s") or (m.groupdict().get("adj") or "")
    speaker = (named or "reports").strip()
    content = _strip_content(re.split(r",\s+(?:calling|saying|adding)\b", m.group("c"))[0])
    return Claim(
        id=f"{denial.passage_id}#{index}",
        passage_id=denial.passage_id,
        article_id=denial.article_id,
        outlet=denial.outlet,
        lang=denial.lang,
        speaker=speaker,
        speaker_kind=_speaker_kind(speaker, ()) if named else SpeakerKind.UNKNOWN,
        according_to=None,
        verb="alleged",
        stance=Stance.ASSERT,
        content=content,
        numbers=tuple(find_quantities(content, denial.lang)),
        hedged=_is_hedged(content, denial.lang),
        published=denial.published,
    )


def _according_to(to: str | None, outlet_names: Sequence[str]) -> str | None:
    """The publication a statement was given to ("told Reuters"), if it looks like one."""
    if not to:
        return None
    to = to.strip()
    if to.lower() in ("reporters", "journalists", "lawmakers", "parliament"):
        return None
    low = to.lower()
    for name in outlet_names:
        if name and (name.lower() in low or low.removeprefix("the ") in name.lower()):
            return name
    return to if to[:1].isupper() or to[:1] in "«„" else None
