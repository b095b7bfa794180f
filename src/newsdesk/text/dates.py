"""Dates written out in news text, in ten languages, resolved against a publication date."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from newsdesk.text.numbers import fold_digits

__all__ = ["DateMention", "find_date_mentions"]

# Dates are read on fold_digits(text): every script's digits map one to one onto ASCII, so
# spans found in the folded text are spans of the original.
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "januar", "jänner", "enero", "janeiro", "января", "يناير",
        "كانون الثاني", "जनवरी"),
    2: ("february", "feb", "février", "fevrier", "februar", "febrero", "fevereiro", "февраля",
        "فبراير", "شباط", "फ़रवरी", "फ़रवरी", "फरवरी"),
    3: ("march", "mar", "mars", "märz", "marzo", "março", "marco", "марта", "مارس", "آذار",
        "मार्च"),
    4: ("april", "apr", "avril", "abril", "апреля", "أبريل", "ابريل", "إبريل", "نيسان", "अप्रैल"),
    5: ("may", "mai", "mayo", "maio", "мая", "مايو", "أيار", "मई"),
    6: ("june", "jun", "juin", "juni", "junio", "junho", "июня", "يونيو", "يونيه", "حزيران",
        "जून"),
    7: ("july", "jul", "juillet", "juli", "julio", "julho", "июля", "يوليو", "يوليه", "تموز",
        "जुलाई"),
    8: ("august", "aug", "août", "aout", "agosto", "августа", "أغسطس", "آب", "अगस्त"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "setembro",
        "сентября", "سبتمبر", "أيلول", "सितंबर", "सितम्बर"),
    10: ("october", "oct", "octobre", "oktober", "octubre", "outubro", "октября", "أكتوبر",
         "اكتوبر", "تشرين الأول", "अक्टूबर", "अक्तूबर"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "ноября", "نوفمبر",
         "تشرين الثاني", "नवंबर", "नवम्बर"),
    12: ("december", "dec", "décembre", "decembre", "dezember", "diciembre", "dezembro",
         "декабря", "ديسمبر", "كانون الأول", "दिसंबर", "दिसम्बर"),
}  # fmt: skip
_MONTH_OF = {name: month for month, names in _MONTHS.items() for name in names}
# Longest first so "sept" wins over "sep" and "كانون الثاني" over nothing shorter.
_MONTH_RE = "|".join(re.escape(n) for n in sorted(_MONTH_OF, key=len, reverse=True))
# A word boundary that also works for Devanagari (combining marks are not \w in every case).
_END = r"(?![^\W\d_])(?!\u093c|[\u0900-\u0903\u093a-\u094f])"

_DAY_SUFFIX = r"(?:er|re|º|°|ª|st|nd|rd|th|\.)?"
_YEAR = r"(?:,?\s*(?:de\s+|del\s+)?(?P<{name}>(?:19|20)\d\d)(?!\d))?"
_DAY_FIRST = re.compile(
    rf"(?<![\d.,])(?P<day>[0-3]?\d){_DAY_SUFFIX}(?:\s*(?:de|of)\b)?\s*"
    rf"(?P<month>{_MONTH_RE}){_END}\.?(?:\s*/\s*(?:{_MONTH_RE}){_END})?"
    + _YEAR.format(name="year"),
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    rf"(?<![^\W\d_])(?P<month>{_MONTH_RE})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?(?![\d:.,]\d)" + _YEAR.format(name="year"),
    re.IGNORECASE,
)
_CJK_FULL = re.compile(
    r"(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?(?P<month>1[0-2]|0?[1-9])\s*月\s*(?P<day>[0-3]?\d)\s*[日号號]"
)
# Japanese and Chinese reports name a day of the current month alone: 「１９日に開く」.
_CJK_DAY = re.compile(
    r"(?:(?<=今月)|(?<=本月)|(?<![\d月年.]))(?P<day>[0-3]?\d)\s*[日号](?![本元间])"
)

_WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("monday", "lundi", "montag", "lunes", "segunda-feira", "segunda", "понедельник",
        "الاثنين", "الإثنين", "सोमवार"),
    1: ("tuesday", "mardi", "dienstag", "martes", "terça-feira", "terça", "вторник", "الثلاثاء",
        "मंगलवार"),
    2: ("wednesday", "mercredi", "mittwoch", "miércoles", "quarta-feira", "quarta", "среду",
        "الأربعاء", "الاربعاء", "बुधवार"),
    3: ("thursday", "jeudi", "donnerstag", "jueves", "quinta-feira", "quinta", "четверг",
        "الخميس", "गुरुवार"),
    4: ("friday", "vendredi", "freitag", "viernes", "sexta-feira", "sexta", "пятницу",
        "الجمعة", "शुक्रवार"),
    5: ("saturday", "samedi", "samstag", "sonnabend", "sábado", "субботу", "السبت", "शनिवार"),
    6: ("sunday", "dimanche", "sonntag", "domingo", "воскресенье", "الأحد", "रविवार"),
}  # fmt: skip
_WEEKDAY_OF = {name: wd for wd, names in _WEEKDAYS.items() for name in names}
_WD_RE = "|".join(re.escape(n) for n in sorted(_WEEKDAY_OF, key=len, reverse=True))
_CJK_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_JA_WD = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}

# "next Tuesday" in each language: the first occurrence after the publication date.
_NEXT_WEEKDAY = re.compile(
    rf"(?<![^\W\d_])(?:"
    rf"(?:next|this\s+coming|coming)\s+(?P<en>{_WD_RE})"
    rf"|(?P<fr>{_WD_RE})\s+(?:prochain|prochaine)"
    rf"|(?:nächsten|kommenden|nächste|kommende)\s+(?P<de>{_WD_RE})"
    rf"|(?:el|la|na|no)\s+(?:próximo|próxima)\s+(?P<es>{_WD_RE})"
    rf"|(?P<es2>{_WD_RE})\s+(?:próximo|próxima|que vem)"
    rf"|(?:в|во)\s+(?:следующ\w+|ближайш\w+)\s+(?P<ru>{_WD_RE})"
    rf"|(?:يوم\s+)?(?P<ar>{_WD_RE})\s+(?:المقبل|القادم)"
    rf"|(?:अगले|आगामी)\s+(?P<hi>{_WD_RE})"
    rf"){_END}",
    re.IGNORECASE,
)
# 下周二 / 下星期二: the given day of next week; 来週火曜(日): the same in Japanese.
_ZH_NEXT_WEEK = re.compile(r"下(?:周|週|星期|礼拜)(?P<wd>[一二三四五六日天])")
_JA_NEXT_WEEK = re.compile(r"来週の?(?P<wd>[月火水木金土日])曜")
_EN_BARE_WEEKDAY = re.compile(
    r"(?<![^\W\d_])(?:on|by|until|before)\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b(?!['’]s)(?!\s*,?\s*(?:[A-Z][a-z]{2,8}\.?\s+)?\d)",
    re.IGNORECASE,
)
_TOMORROW = re.compile(
    r"(?<![^\W\d_])(?:(?i:tomorrow|demain|amanhã|завтра)|morgen|غدا|غداً)(?![^\W\d_])"
    # "la mañana", "esta mañana", "pasado mañana" are mornings or the day after tomorrow
    r"|(?<![^\W\d_])(?<!la\s)(?<!esta\s)(?<!una\s)(?<!cada\s)(?<!pasado\s)(?i:mañana)"
    r"(?![^\W\d_])"
    r"|明天|明日(?!香)"
)
_MONTH_END = re.compile(
    rf"(?:the\s+)?end\s+of\s+(?:(?:the|this)\s+month|(?P<en>{_MONTH_RE}){_END})"
    r"|end-of-month|later\s+this\s+month"
    rf"|fin\s+(?:du\s+mois|(?:de\s+|d')?(?P<fr>{_MONTH_RE}){_END})"
    rf"|Ende\s+(?:des|dieses)\s+Monats|Monatsende|Ende\s+(?P<de>{_MONTH_RE}){_END}"
    rf"|fin(?:al)?(?:es)?\s+de(?:l)?\s+(?:mes|(?P<es>{_MONTH_RE}){_END})"
    rf"|(?:fim|final)\s+d[oe]\s+(?:mês|(?P<pt>{_MONTH_RE}){_END})"
    rf"|конц[ауе]\s+(?:этого\s+|текущего\s+)?(?:месяца|(?P<ru>{_MONTH_RE}){_END})"
    r"|(?:(?P<cjk>1[0-2]|0?[1-9])\s*月|本月|今月|这个月)\s*(?:底|末)|月底"
    r"|نهاية\s+(?:هذا\s+)?الشهر|महीने\s+के\s+(?:अंत|आख़िर|आखिर)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date found in text: where, which day, and how it was written."""

    start: int
    end: int
    date: dt.date
    # "full": day and month (and maybe year); "day": a CJK day of the current month alone;
    # "relative": tomorrow / next Tuesday; "weekday": a bare English weekday; "month_end": approx.
    form: str
    has_year: bool = False

    @property
    def approximate(self) -> bool:
        """Whether the date only bounds the event (end of a month)."""
        return self.form == "month_end"


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None if the day does not exist."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(anchor: dt.date, month: int, day: int) -> dt.date | None:
    """The day/month closest to the anchor, in the anchor's year or one either side."""
    candidates = [
        _safe_date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)
    ]
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    return min(valid, key=lambda d: abs((d - anchor).days))


def _month_of(name: str) -> int:
    """The month number of a month name in any supported language."""
    return _MONTH_OF[name.lower()]


def _next_weekday(anchor: dt.date, weekday: int) -> dt.date:
    """The first date strictly after the anchor that falls on `weekday`."""
    ahead = (weekday - anchor.weekday() - 1) % 7 + 1
    return anchor + dt.timedelta(days=ahead)


def _next_week_day(anchor: dt.date, weekday: int) -> dt.date:
    """The given weekday of the calendar week after the anchor's."""
    monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=7)
    return monday + dt.timedelta(days=weekday)


def _month_end(anchor: dt.date, month: int | None) -> dt.date | None:
    """The last day of `month` (nearest year) or of the anchor's month."""
    if month is None:
        year, month = anchor.year, anchor.month
    else:
        mid = _nearest_year(anchor, month, 15)
        if mid is None:
            return None
        year = mid.year
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _full_dates(scan: str, anchor: dt.date) -> list[DateMention]:
    """Day-and-month dates in any supported language."""
    found: list[DateMention] = []
    for rx in (_DAY_FIRST, _MONTH_FIRST, _CJK_FULL):
        for m in rx.finditer(scan):
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else _month_of(month_text)
            groups = m.groupdict()
            day = int(groups.get("day2") or m.group("day"))
            year_text = m.group("year")
            when = (
                _safe_date(int(year_text), month, day)
                if year_text
                else _nearest_year(anchor, month, day)
            )
            if when is not None:
                found.append(DateMention(m.start(), m.end(), when, "full", bool(year_text)))
    return found


def _relative_dates(scan: str, anchor: dt.date, lang: str | None) -> list[DateMention]:
    """Tomorrow, next Tuesday, a bare CJK day, the end of a month."""
    found: list[DateMention] = []
    for m in _TOMORROW.finditer(scan):
        if m.group() == "明日" and lang == "zh":
            continue  # Chinese 明日 is literary "future", not "tomorrow"
        found.append(DateMention(m.start(), m.end(), anchor + dt.timedelta(days=1), "relative"))
    for m in _NEXT_WEEKDAY.finditer(scan):
        name = next(v for v in m.groupdict().values() if v)
        when = _next_weekday(anchor, _WEEKDAY_OF[name.lower()])
        found.append(DateMention(m.start(), m.end(), when, "relative"))
    for m in _ZH_NEXT_WEEK.finditer(scan):
        when = _next_week_day(anchor, _CJK_WD[m.group("wd")])
        found.append(DateMention(m.start(), m.end(), when, "relative"))
    for m in _JA_NEXT_WEEK.finditer(scan):
        when = _next_week_day(anchor, _JA_WD[m.group("wd")])
        found.append(DateMention(m.start(), m.end(), when, "relative"))
    if lang in (None, "en"):
        for m in _EN_BARE_WEEKDAY.finditer(scan):
            when = _next_weekday(anchor, _WEEKDAY_OF[m.group("wd").lower()])
            found.append(DateMention(m.start("wd"), m.end("wd"), when, "weekday"))
    if lang in (None, "ja", "zh"):
        for m in _CJK_DAY.finditer(scan):
            day = _safe_date(anchor.year, anchor.month, int(m.group("day")))
            if day is not None:
                found.append(DateMention(m.start(), m.end(), day, "day"))
    for m in _MONTH_END.finditer(scan):
        named = next((v for k, v in m.groupdict().items() if v and k != "cjk"), None)
        cjk = m.group("cjk")
        month = int(cjk) if cjk else (_month_of(named) if named else None)
        last = _month_end(anchor, month)
        if last is not None:
            found.append(DateMention(m.start(), m.end(), last, "month_end"))
    return found


def find_date_mentions(text: str, anchor: dt.date, lang: str | None = None) -> list[DateMention]:
    """Every date written in `text`, resolved against `anchor` (the publication date).

    Args:
        text: Any text; digits in any script are understood.
        anchor: The day the text was written; year-less dates take the nearest year.
        lang: ISO 639-1 code if known; enables language-specific forms (CJK bare days).

    Returns:
        Mentions in text order; a relative mention overlapping a full date is dropped.
    """
    scan = fold_digits(text)
    full = _full_dates(scan, anchor)
    # Drop full-date matches nested in a longer one (e.g. a CJK date inside another form).
    full.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DateMention] = []
    for mention in full:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    starts = [k.start for k in kept]
    relative: list[DateMention] = []
    for mention in _relative_dates(scan, anchor, lang):
        # "Friday, Nov. 13", "martes 17 de noviembre": the full date nearby decides
        i = bisect.bisect_left(starts, mention.start)
        neighbours = kept[max(0, i - 1) : i + 1]
        if not any(mention.start < k.end + 4 and k.start < mention.end + 4 for k in neighbours):
            relative.append(mention)
    kept += relative
    kept.sort(key=lambda d: d.start)
    return kept
