"""Text evidence for verification: folded tokens, wrappers, numbers, names and dates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

from newsdesk.text.dates import _full_dates
from newsdesk.text.numbers import find_numbers, fold_digits, number_readings, value_key
from newsdesk.text.words import WIDE_CLASS
from newsdesk.write._text import ENGLISH_STOPWORDS

# Letters, digits and the combining marks of Indic, Arabic and Hebrew scripts (not all are \w).
_WORD = re.compile(
    r"[\w\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u06d6-\u06ed\u0900-\u0963\u0966-\u097f\u0980-\u0dff]+"
)
_WIDE = re.compile(f"[{WIDE_CLASS}]")
_WIDE_SPLIT = re.compile(f"([{WIDE_CLASS}])")

STOPWORDS = frozenset(ENGLISH_STOPWORDS)

# ---- wrappers an extractive writer may add around a passage's words ----
# "(in Russian)", "(en russe)", "(in Simplified Chinese)": removed before anything else
_LANG_NOTE_RE = re.compile(
    r"\s*\((?:[Ii]n|[Ee]n|[Ee]m|auf|translated\s+from|from(?:\s+the)?|original\s+in)\s+"
    r"[^\W\d_][\w\-]*(?:\s+[A-Z][\w\-]*)?\)"
)
# the language marker of a quoted original: "(in Russian)", "(Russisch)", "(en russe)"
_LANGUAGE = r"\((?:(?:in|en|em|auf)\s+)?[^\W\d_][\w\-]*(?:\s+[A-Z][\w\-]*)?\)"
_OUTLET = r"(?P<outlet>[^\s,:;«“\"„「(][^,:;«“\"„「()]{0,79}?)"
# a bare "<Outlet>: …" or "<Outlet> (Russisch): …" must start like a name
_NAMED_OUTLET = r"(?P<outlet>[^\W\d_a-z][^,:;«“\"„「()]{0,59}?)"
_REPORT_VERB = r"(?:reported|reports|wrote|writes|published|quoted|cited|noted)"
_PREFIXES = (
    re.compile(
        rf"^\s*(?:according\s+to|selon|según|segundo|secondo)\s+{_OUTLET}"
        r"\s*[,:：—–]\s*",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^\s*{_OUTLET}\s+{_REPORT_VERB}(?:\s+on\s+\w+)?(?:\s+that\b)?"
        r"\s*[,:]?\s+"
    ),
    re.compile(rf"^\s*{_NAMED_OUTLET}\s*(?:{_LANGUAGE})?\s*[:：]\s+"),
)
_SUFFIXES = (
    re.compile(
        rf"\s*[,;—–]?\s*(?:according\s+to|reported\s+by|{_REPORT_VERB}|as\s+reported\s+by)\s+"
        rf"{_OUTLET}\s*[.!?…]*\s*$",
        re.IGNORECASE,
    ),
    re.compile(rf"\s*[,;—–]\s*{_OUTLET}\s+{_REPORT_VERB}\s*[.!?…]*\s*$"),
    # German and Dutch put the outlet last: ", so Der Kurier." / ", aldus De Krant."
    re.compile(rf"\s*,\s*(?:so|aldus)\s+{_NAMED_OUTLET}\s*[.!?…]*\s*$"),
)
# the date label of a watch item: "November 19, 2026: …", "19 ноября 2026 г. (in Russian): …"
_AFTER_DATE = re.compile(rf"(?:\s*г\.)?\s*(?:{_LANGUAGE})?\s*[:：—–]\s*")
_ISO_LABEL = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_TRAILING = re.compile(r"(?:\s*(?:…|\.\.\.|[\"”»“«’'」』]))+\s*$")


@dataclass(frozen=True)
class Body:
    """A sentence with some wrappers removed: the attributions removed and a date label."""

    text: str
    # (outlet, the whole wrapper phrase) for each attribution removed
    wrappers: tuple[tuple[str, str], ...] = ()
    # a watch item's date label: (year or None, month, day)
    label: tuple[int | None, int, int] | None = None

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets the removed attributions named."""
        return tuple(outlet for outlet, _ in self.wrappers)


def _has_word(text: str) -> bool:
    return _WORD.search(text) is not None and any(ch.isalnum() for ch in text)


def _strip_date_label(text: str) -> tuple[str, tuple[int | None, int, int] | None]:
    """The text without a leading watch-item date label, and the label's date."""
    head = normalise_text(text[:60])
    if len(head) != len(text[:60]):
        return text, None  # NFKC changed lengths: spans would not line up; keep the text
    end = None
    label: tuple[int | None, int, int] | None = None
    iso = _ISO_LABEL.match(head)
    if iso is not None:
        end = iso.end()
        year, month, day = (int(x) for x in iso.group(0).strip().split("-"))
        label = (year, month, day)
    else:
        dates = find_dates(head)
        if dates and not head[: dates[0].start].strip():
            end = dates[0].end
            label = (dates[0].year, *dates[0].month_day)
    if end is None:
        return text, None
    after = _AFTER_DATE.match(text, end)
    if after is None or not _has_word(text[after.end() :]):
        return text, None
    return text[after.end() :], label


def wrapper_stages(text: str) -> list[Body]:
    """The sentence, then with each wrapper removed in turn (date label, attributions, quotes)."""
    stages = [Body(text)]
    out, label = _strip_date_label(text)
    out = _LANG_NOTE_RE.sub("", out)
    wrappers: list[tuple[str, str]] = []
    if out != text:
        stages.append(Body(out, (), label))
    for _ in range(4):
        before = out
        for rx in _PREFIXES:
            m = rx.match(out)
            if m is None or not _has_word(out[m.end() :]):
                continue
            if len(m.group("outlet").split()) > 8:
                continue
            wrappers.append((m.group("outlet").strip(), m.group(0)))
            out = out[m.end() :]
            stages.append(Body(out, tuple(wrappers), label))
        out = _TRAILING.sub("", out)
        for rx in _SUFFIXES:
            m = rx.search(out)
            if (
                m is not None
                and _has_word(out[: m.start()])
                and len(m.group("outlet").split()) <= 8
            ):
                wrappers.append((m.group("outlet").strip(), m.group(0)))
                out = out[: m.start()]
                stages.append(Body(out, tuple(wrappers), label))
        if out == before:
            break
    return stages


# ---- tokens ----
def normalise_text(text: str) -> str:
    """NFKC with every digit as ASCII (full-width forms, Arabic-Indic, Devanagari)."""
    return fold_digits(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """A word casefolded, its combining marks (accents, harakat) dropped."""
    low = word.casefold()
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", folded) or low


def split_words(text: str) -> list[tuple[str, int, int]]:
    """Surface words with their spans; a CJK, kana or hangul character is a word of its own."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group(0).strip("_")
        if not word:
            continue
        start = m.start()
        if _WIDE.search(word) is None:
            out.append((word, start, m.end()))
            continue
        pos = start
        for piece in _WIDE_SPLIT.split(m.group(0)):
            if piece and piece.strip("_"):
                out.append((piece, pos, pos + len(piece)))
            pos += len(piece)
    return out


def fold_tokens(text: str) -> list[str]:
    """Folded word tokens of `text` in order."""
    return [fold_word(w) for w, _, _ in split_words(normalise_text(text))]


@lru_cache(maxsize=64)
def _stemmer(lang: str) -> snowballstemmer.basestemmer.BaseStemmer | None:
    from newsdesk.write._text import _STEMMERS  # the same algorithms the writer selects with

    name = _STEMMERS.get(lang)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def _stem(lang: str, token: str) -> str:
    stemmer = _stemmer(lang)
    if stemmer is None or len(token) <= 3 or _WIDE.search(token) is not None:
        return token
    return str(stemmer.stemWord(token))


def stem_tokens(tokens: list[str], lang: str | None) -> list[str]:
    """Tokens stemmed for `lang` (English when unknown); short and wide tokens stay as they are."""
    code = lang or "en"
    return [_stem(code, t) for t in tokens]


def is_content(token: str) -> bool:
    """Whether a folded token carries content (not an English function word)."""
    return token not in STOPWORDS


# ---- dates ----
_ANCHOR = dt.date(2001, 6, 15)
_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")


@dataclass(frozen=True)
class DateFound:
    """A day-and-month date in text."""

    surface: str
    start: int
    end: int
    month_day: tuple[int, int]
    year: int | None = None


def find_dates(text: str) -> list[DateFound]:
    """Explicit dates (month name and day in any supported language, CJK dates, ISO dates)."""
    if _DIGIT.search(text) is None:
        return []  # every explicit date has a day number
    found: list[DateFound] = []
    # relative dates ("next Tuesday") are not checked: only the day-and-month forms are needed
    for d in sorted(_full_dates(text, _ANCHOR), key=lambda d: (d.start, d.start - d.end)):
        if text[d.end : d.end + 2].lstrip().startswith("%"):
            continue  # "October 12%" is a month and a percentage
        if found and d.start < found[-1].end:
            continue  # nested in a longer match
        month_day = (d.date.month, d.date.day)
        year = d.date.year if d.has_year else None
        found.append(DateFound(text[d.start : d.end].strip(), d.start, d.end, month_day, year))
    for m in _ISO.finditer(text):
        if not any(f.start <= m.start() < f.end for f in found):
            month_day = (int(m["m"]), int(m["d"]))
            found.append(DateFound(m.group(0), m.start(), m.end(), month_day, int(m["y"])))
    return found


# ---- names ----
_MONTH_WORDS = frozenset(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
     "sept", "oct", "nov", "dec")
)  # fmt: skip
_NAME_WORD = re.compile(r"[^\W\d_](?:[\w\u0300-\u036f]|['’\-.](?=[^\W\d_]))*")
_STARTERS = frozenset(".!?:;\"“”«»„‘'(—–-[")
_POSSESSIVE = re.compile(r"['’]s?$")
# "Velden said …": a capitalised first word before a reporting verb is a name
_SPEAKER_VERB = re.compile(
    r"\s+(?:said|says|told|added|announced|stated|warned|claimed|argued|wrote|insisted)\b"
)


def find_names(text: str, *, title_case: bool = False) -> list[str]:
    """Names: runs of capitalised words not at a sentence start, and acronyms anywhere."""
    names: list[str] = []
    run: list[str] = []
    words = list(_NAME_WORD.finditer(text))
    for i, m in enumerate(words):
        word = m.group(0)
        letters = [ch for ch in word if ch.isalpha()]
        is_acronym = len(letters) >= 2 and all(ch.isupper() for ch in letters)
        capital = word[0].isupper()
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        at_start = j < 0 or text[j] in _STARTERS
        folded = fold_word(_POSSESSIVE.sub("", word))
        if folded in _MONTH_WORDS or (len(letters) < 2 and not word.isdigit()):
            is_name = False
        elif is_acronym:
            is_name = True
        elif not capital or folded in STOPWORDS or title_case:
            is_name = False
        elif at_start:
            # a capitalised first word is a name only when the next word continues the name
            nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
            gap = text[m.end() : words[i + 1].start()] if nxt else ""
            is_name = (bool(nxt[:1].isupper()) and gap.strip() == "") or bool(
                _SPEAKER_VERB.match(text, m.end())
            )
        else:
            is_name = True
        gap_ok = not run or text[words[i - 1].end() : m.start()].strip() in ("", "-")
        if is_name and gap_ok:
            run.append(_POSSESSIVE.sub("", word))
            continue
        if run:
            names.append(" ".join(run))
        run = [_POSSESSIVE.sub("", word)] if is_name else []
    if run:
        names.append(" ".join(run))
    return names


def is_title_case(text: str) -> bool:
    """Whether most longer words are capitalised (a headline in title case)."""
    words = [w for w in _NAME_WORD.findall(text) if len(w) > 3]
    if len(words) < 3:
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.6 * len(words)


# Cyrillic to Latin, so an English sentence can name «Соколов» as Sokolov.
_CYRILLIC = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
     "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
     "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
     "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi",
     "є": "ye", "ґ": "g"}
)  # fmt: skip
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def transliterate(token: str) -> str | None:
    """A folded Cyrillic token in Latin letters, or None when it has no Cyrillic."""
    if _HAS_CYRILLIC.search(token) is None:
        return None
    return token.translate(_CYRILLIC)


# ---- a passage's evidence, computed once per text ----
@dataclass(frozen=True)
class Evidence:
    """What a passage (or several) can support: tokens, numbers, names and dates."""

    tokens: tuple[str, ...]
    token_set: frozenset[str]  # tokens and their Latin transliterations, for names
    by_prefix: dict[str, frozenset[str]]
    numbers: frozenset[str]
    dates: frozenset[tuple[int, int]]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Where each token occurs, in order."""
        index: dict[str, list[int]] = {}
        for i, t in enumerate(self.tokens):
            index.setdefault(t, []).append(i)
        return index

    def has_name_token(self, token: str) -> bool:
        """Whether a folded name token occurs, allowing a short inflected or possessive ending."""
        if token in self.token_set:
            return True
        if len(token) < 5:
            return False
        # Газпром / Газпрома, Velden / Veldens: the same stem, an ending of up to three letters
        stem = max(4, len(token) - 2)
        return any(
            other[:stem] == token[:stem] and abs(len(other) - len(token)) <= 3
            for other in self.by_prefix.get(token[:4], ())
        )


@lru_cache(maxsize=4096)
def analyse_passage(text: str) -> Evidence:
    """The evidence one passage offers (cached: passages are cited many times)."""
    norm = normalise_text(text)
    tokens = tuple(fold_word(w) for w, _, _ in split_words(norm))
    numbers: set[str] = set()
    for mention in find_numbers(norm):
        numbers |= mention.values
        for part in mention.parts:
            numbers |= part
        # "1.2 billion" also supports a bare "1.2"
        digits = re.match(r"\d[\d.,\u00a0\u202f\u2009 ]*", mention.surface)
        if digits:
            raw = digits.group(0).rstrip(" ,.")
            numbers |= {value_key(v) for v in number_readings(raw)}
    dates = {d.month_day for d in find_dates(norm)}
    names = set(tokens)
    names |= {latin for t in tokens if (latin := transliterate(t))}
    by_prefix: dict[str, set[str]] = {}
    for t in names:
        if len(t) >= 4:
            by_prefix.setdefault(t[:4], set()).add(t)
    return Evidence(
        tokens,
        frozenset(names),
        {k: frozenset(v) for k, v in by_prefix.items()},
        frozenset(numbers),
        frozenset(dates),
    )


def merge_evidence(parts: list[Evidence]) -> Evidence:
    """The evidence of passages read one after another."""
    if len(parts) == 1:
        return parts[0]
    tokens = tuple(t for p in parts for t in p.tokens)
    by_prefix: dict[str, frozenset[str]] = {}
    for p in parts:
        for k, v in p.by_prefix.items():
            by_prefix[k] = by_prefix.get(k, frozenset()) | v
    return Evidence(
        tokens,
        frozenset().union(*(p.token_set for p in parts)),
        by_prefix,
        frozenset().union(*(p.numbers for p in parts)),
        frozenset().union(*(p.dates for p in parts)),
    )
