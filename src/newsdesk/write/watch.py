"""What to watch: dated upcoming events (votes, hearings, deadlines) found in source passages."""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.text.dates import DateMention, find_date_mentions
from newsdesk.text.words import is_spaceless
from newsdesk.write.model import WatchItem

__all__ = ["WatchEvent", "find_watch_events", "find_watch_items", "has_future_cue"]

logger = logging.getLogger(__name__)

Passage = tuple[str, str, str | None, dt.datetime | None]

# Words that say a clause is about something still to come. Checked case-insensitively.
_FUTURE_CUES = re.compile(
    r"(?<![^\W\d_])(?:"
    # en
    r"scheduled|will|would|'ll|shall|must|has\s+to|have\s+to|needs?\s+to|due|deadline|expected|expects?|next|meets?|vote|hearing|"
    r"summit|takes?\s+effect|set\s+for|slated|planned|plans?\s+to|to\s+be\s+held|to\s+meet|"
    r"upcoming|ahead\s+of|until"
    # fr
    r"|prévue?s?|doi(?:t|vent)|devra(?:it|ient)?|se\s+réunira|réunira|aura\s+lieu|fixée?s?|"
    r"inscrit|échéance|date\s+limite|d'ici|jusqu'au|avant\s+le|à\s+partir\s+du|sera|seront|"
    r"prochaine?"
    # de
    r"|soll(?:en)?|wird|werden|Frist|angesetzt|geplant|bis\s+zum|ab\s+dem|nächste[nrms]?|"
    r"kommende[nrms]?|folgt|vorgesehen|Inkrafttreten|will|wollen"
    # es, pt
    r"|previst[oa]s?|votará[n]?|plazo|programad[oa]|celebrará[n]?|se\s+reunirá[n]?|"
    r"próxim[oa]s?|hasta\s+el|a\s+partir\s+del?|se\s+publicará[n]?|se\s+conocerá|"
    r"deve(?:rá|m)?|marcad[oa]|agendad[oa]|prazo|até|será|serão|a\s+partir\s+de"
    # ru
    r"|запланирован\w*|состоится|состоятся|долж(?:ен|на|но|ны)|срок\w*|назначен\w*|пройд[её]т|"
    r"будет|будут|планиру\w+|ожида\w+|следующ\w+|до|с"
    # ar
    r"|المقرر|موعد|المقبل|القادم|يتوقع|يُتوقع|بحلول|سي\w+|ست\w+"
    # hi
    r"|होगी|होगा|होंगे|होनी|तय|समयसीमा|समय-सीमा|तक|लेगा|करेगा|करेगी|अगले"
    r")(?![^\W\d_])"
    # zh, ja: no word boundaries
    r"|将|預計|预计|定于|截止|计划|計劃|拟|举行|開く|開かれる|開催|予定|見通し|期限|方向|"
    r"公表する|施行|控え|までに|まで",
    re.IGNORECASE,
)
# A past-tense reporting verb right before an English weekday: "said on Tuesday".
_REPORTED_WEEKDAY = re.compile(
    r"(?:said|told|announced|reported|confirmed|added|denied|rejected|approved|closed|fell|rose|"
    r"began|started|signed|held|was|were|had)\s+(?:\w+\s+)?(?:on|by)\s+$",
    re.IGNORECASE,
)
# Where a sentence divides into clauses about different events.
_CLAUSE_BREAK = re.compile(
    r"\s*[;；:：؛]\s*|(?<=[，、،])\s*(?=\S)"
    r"|(?<=[.!?。！？][\"”»」])\s*|(?<=[.!?])\s+(?=[\"“«„])"  # a quote ends inside the passage
    # a Latin/Cyrillic comma only before a word that opens a new clause (not an appositive)
    r"|(?<=,)\s+(?=(?:and|while|with|but|before|after|where|which|when|if|ahead|"
    r"et|alors|avant|après|en\s+vue|tandis|afin|mais|"
    r"und|während|bevor|nachdem|sonst|aber|"
    r"y|mientras|antes|después|donde|cuando|con|pero|"
    r"e|enquanto|depois|onde|quando|com|mas|"
    r"а|и|но|где|когда|после|перед|"
    r"जबकि|जिसमें|जहाँ|लेकिन)\b)",
    re.IGNORECASE,
)
# Words that say a date was called off or moved: the date right after them is the old one.
_POSTPONED = re.compile(
    r"postpone[sd]?|call\w*\s+off|cancel\w*|report(?:é|ée|és|ées|er)|annul\w*|verschob\w*|"
    r"verschieb\w*|abgesagt|aplaz\w*|pospu\w*|suspend\w*|adia\w*|перен[оеё]с\w*|отмен\w*|"
    r"отлож\w*|延期|推迟|推遲|取消|中止|見送|تأجيل|أرجأ|إلغاء|स्थगित|टाल",
    re.IGNORECASE,
)
# Nouns of postponement: they void a date only when it is marked as the old one ("set for").
_POSTPONEMENT = re.compile(
    r"postponement|delay|report|Verschiebung|aplazamiento|adiamento|перенос\w*|تأجيل|स्थगन",
    re.IGNORECASE,
)
# The date a postponed event had been set for: "set for", "prévue le", "намеченных на".
_OLD_DATE = re.compile(
    r"(?:(?:set|scheduled|planned|due)\s+(?:for|on)|prévue?s?|fixée?s?|angesetzt\w*|geplant\w*|"
    r"previst[oa]s?|programad[oa]s?|marcad[oa]s?|намеченн\w*|запланированн\w*|назначенн\w*|"
    r"原定|定于|المقرر|निर्धारित)\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
# "le 2 décembre dernier", "December 2 last year", "去年11月": a year-less date from the past.
_PAST_YEAR_AFTER = re.compile(
    r"\W{0,3}(?:dernier|passé|pasado|passado|last\s+year|del\s+año\s+pasado|"
    r"do\s+ano\s+passado|de\s+l'an\s+dernier|letzten\s+Jahres|des\s+Vorjahres|"
    r"прошлого\s+года|الماضي|السابق|पिछले\s+साल)",
    re.IGNORECASE,
)
_PAST_YEAR_BEFORE = re.compile(r"(?:去年|昨年|前年|last\s+year\s+on|l'an\s+dernier,?\s+le)\s*$")
_PAST_AFTER = re.compile(r"\s*(?:was|were|had|did|saw|came|went)\b", re.IGNORECASE)
_NEW_DATE = re.compile(
    r"(?:to|until|au|à|jusqu'au|auf|на|para|a|até|إلى|至|到|に)\s*$", re.IGNORECASE
)
_CITATION = re.compile(r"\s*\[(?:\d+|[\w:-]+:\d+)(?:\s*[,–-]\s*\d+)*\]")
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z/ .'-]+,\s*)?(?:[A-Z][a-z]{2,4}\.?\s+\d{1,2}\s*)?(?:\([^)]{1,40}\)\s*)?[-–—]\s+"
)
_INNER_END = re.compile(r"[.!?。！？][\"”»」]?\s+\S")
_MIN_CLAUSE = 40
_LEADING_CONJUNCTION = re.compile(
    r"^(?:and|but|et|mais|und|aber|y|pero|e|mas|и|а|но)\s+(?=\w)", re.IGNORECASE
)
_LOOKBACK = 300
# A year-less date further ahead than this may be last year's: it needs a future cue.
_UNCUED_DAYS = 120
_MAX_TEXT = 300
_WHOLE_PASSAGE = 220


@dataclass
class WatchEvent(WatchItem):
    """A watch item with every passage that mentions it and whether its date is approximate."""

    approximate: bool = False
    other_passage_ids: list[str] = field(default_factory=list)
    published: dt.datetime | None = None


def has_future_cue(text: str) -> bool:
    """Whether `text` has a word that points to something still to come."""
    return _FUTURE_CUES.search(text) is not None


def _clause_cuts(text: str) -> list[int]:
    """Offsets where clauses of `text` start, with 0 first and len(text) last."""
    cuts = [0]
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > 0 and m.end() < len(text) and m.end() > cuts[-1]:
            cuts.append(m.end())
    cuts.append(len(text))
    return cuts


def _clause_bounds(text: str, cuts: list[int], start: int, end: int) -> tuple[int, int]:
    """The clause of `text` around [start, end), widened until it says something."""
    i = bisect.bisect_right(cuts, start, hi=len(cuts) - 1) - 1
    j = bisect.bisect_left(cuts, end, lo=i + 1)
    # Widen over short neighbours, towards the side with more room, until long enough.
    while len(text[cuts[i] : cuts[j]].strip()) < _MIN_CLAUSE and (i > 0 or j < len(cuts) - 1):
        if j < len(cuts) - 1 and (i == 0 or cuts[j + 1] - cuts[j] <= cuts[i] - cuts[i - 1]):
            j += 1
        else:
            i -= 1
    return cuts[i], cuts[j]


def _clean_clause(text: str) -> str:
    """A clause without citation markers, dateline, stray quotes and trailing punctuation."""
    text = _CITATION.sub("", text)
    text = _DATELINE.sub("", text.strip())
    text = _LEADING_CONJUNCTION.sub("", text)
    text = text.strip(" \t\"'“”‘’«»„「」『』,，、،;；؛:：-–—")
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1].rsplit(" ", 1)[0] + "…"
    if text and text[-1] not in ".!?。！？।؟…":
        text = text.rstrip(".") + ("" if _is_spaceless(text) else ".")
    return text[:1].upper() + text[1:]


def _is_spaceless(text: str) -> bool:
    """Whether the text is mostly Chinese or Japanese (no sentence period to add)."""
    spaceless = sum(1 for ch in text if is_spaceless(ch))
    return spaceless * 2 > len(text)


def _accepts(mention: DateMention, text: str, clause: tuple[int, int], anchor: dt.date) -> bool:
    """Whether a date mention in a clause names an upcoming event."""
    if mention.date <= anchor:
        return False
    clause_start, clause_end = clause
    # Only the words just before the date bear on it; the cap keeps long texts linear.
    before = text[max(clause_start, mention.start - _LOOKBACK) : mention.start]
    if _POSTPONED.search(before) and (
        _OLD_DATE.search(before) or not _NEW_DATE.search(before[-12:])
    ):
        return False  # "postponed the election set for Nov. 29": that date is off
    if _POSTPONEMENT.search(before) and _OLD_DATE.search(before):
        return False  # "le report de l'élection prévue le 29 novembre"
    if not mention.has_year and (
        _PAST_YEAR_AFTER.match(text, mention.end) or _PAST_YEAR_BEFORE.search(before[-20:])
    ):
        return False  # the nearest year is the wrong one: the text says it was last year
    if mention.form == "full" and (
        mention.has_year or (mention.date - anchor).days <= _UNCUED_DAYS
    ):
        return True  # a written-out date soon after publication is future by itself
    if mention.form == "weekday":
        # "said on Tuesday", or the publication's own weekday: a report of the past
        if (
            mention.date.weekday() == anchor.weekday()
            or _REPORTED_WEEKDAY.search(before[-40:])
            or _PAST_AFTER.match(text, mention.end)
        ):
            return False
        return has_future_cue(before)  # "will meet ... on Thursday"
    return has_future_cue(text[max(clause_start, mention.start - _LOOKBACK) : clause_end])


def _events_in(passage: Passage, anchor: dt.date) -> list[WatchEvent]:
    """The upcoming dated events of one passage, at most one per date."""
    passage_id, text, lang, published = passage
    events: dict[dt.date, WatchEvent] = {}
    mentions = find_date_mentions(text, anchor, lang)
    cuts = _clause_cuts(text) if mentions else []
    for mention in mentions:
        a, b = _clause_bounds(text, cuts, mention.start, mention.end)
        if not _accepts(mention, text, (a, b), anchor):
            continue
        prior = events.get(mention.date)
        if prior is not None and not (prior.approximate and not mention.approximate):
            continue
        if len(mentions) == 1 and len(text) <= _WHOLE_PASSAGE and not _INNER_END.search(text):
            a, b = 0, len(text)  # one date in a short sentence: the sentence reads best
        events[mention.date] = WatchEvent(
            date=mention.date,
            text=_clean_clause(text[a:b]),
            passage_id=passage_id,
            approximate=mention.approximate,
            published=published,
        )
    return list(events.values())


def _sort_key(event: WatchEvent, order: int) -> tuple[int, dt.datetime, int]:
    """Exact before approximate, then earliest published, then input order."""
    published = event.published
    if published is None:
        when = dt.datetime.max
    else:
        when = published.replace(tzinfo=None) - (published.utcoffset() or dt.timedelta())
    return (int(event.approximate), when, order)


def find_watch_events(
    passages: Sequence[Passage],
    *,
    now: dt.datetime | None = None,
    include_approximate: bool = False,
) -> list[WatchEvent]:
    """Dated upcoming events in the passages, one per date, sorted by date.

    Args:
        passages: (passage_id, text, lang, published) tuples; lang and published may be None.
        now: The anchor for passages without a publication date; when given, events dated
            before now's date are dropped too (they are no longer upcoming).
        include_approximate: Also return month-end bounds ("by the end of the month").

    Returns:
        One event per date, citing the earliest-published passage, with the other passages
        that name the same date in `other_passage_ids`.
    """
    by_date: dict[dt.date, list[tuple[tuple[int, dt.datetime, int], WatchEvent]]] = {}
    floor = now.date() if now is not None else None
    for order, passage in enumerate(passages):
        published = passage[3]
        reference = published if published is not None else now
        if reference is None:
            continue  # no way to tell future from past
        try:
            found = _events_in(passage, reference.date())
        except RecursionError:  # pragma: no cover - regexes here do not recurse deeply
            logger.warning("skipped passage %s: too complex", passage[0])
            continue
        for event in found:
            if event.approximate and not include_approximate:
                continue
            if floor is not None and event.date < floor:
                continue
            by_date.setdefault(event.date, []).append((_sort_key(event, order), event))
    result: list[WatchEvent] = []
    for date in sorted(by_date):
        ranked = [e for _, e in sorted(by_date[date], key=lambda pair: pair[0])]
        best = ranked[0]
        best.other_passage_ids = [
            e.passage_id for e in ranked[1:] if e.passage_id != best.passage_id
        ]
        result.append(best)
    return result


def find_watch_items(
    passages: Sequence[Passage], *, now: dt.datetime | None = None
) -> list[WatchItem]:
    """Dated upcoming events in the passages (exact dates only), deduplicated and sorted by date.

    Args:
        passages: (passage_id, text, lang, published) tuples; lang and published may be None.
        now: The anchor for passages without a publication date; when given, events dated
            before now's date are dropped.

    Returns:
        WatchEvent objects (a WatchItem with `other_passage_ids`, `approximate`, `published`).
    """
    return list(find_watch_events(passages, now=now))
