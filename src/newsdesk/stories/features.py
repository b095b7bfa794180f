"""Text to clustering features: vector, named-ish tokens, numbers, time and language."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsdesk.embed.base import Embedder, bound_text, normalise_rows
from newsdesk.text.language import detect_language
from newsdesk.text.numbers import fold_digits, read_number

log = logging.getLogger(__name__)

# measured on the invented demo corpus (160 articles, BCubed F1 / articles per s on 2 free cores):
# 300 chars 0.952 / 13.5, 600 chars 0.983 / 8.3, 1000 chars 0.994 / 5.3
DEFAULT_EMBED_CHARS = 1000

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_MULTIPLIERS = {
    "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3,
    "thousand": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "mil": 1e3, "tausend": 1e3,
    "ألف": 1e3, "آلاف": 1e3, "हज़ार": 1e3, "हजार": 1e3, "mille": 1e3,
    "million": 1e6, "millions": 1e6, "millones": 1e6, "millón": 1e6, "millionen": 1e6,
    "mio": 1e6, "млн": 1e6, "миллиона": 1e6, "миллионов": 1e6, "مليون": 1e6, "ملايين": 1e6,
    "billion": 1e9, "млрд": 1e9, "milliards": 1e9, "milliarden": 1e9, "مليار": 1e9,
    "लाख": 1e5, "करोड़": 1e7,
}  # fmt: skip
_MULT_RE = re.compile(
    r"\s?(" + "|".join(sorted(map(re.escape, _MULTIPLIERS), key=len, reverse=True)) + r")",
    re.IGNORECASE,
)
_CYRILLIC_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh sch _ y _ e yu ya"
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _CYRILLIC_LATIN.split(), strict=True))
_GREEK_LATIN = "a b g d e z i th i k l m n x o p r s t y f ch ps o"
_GREEK = dict(zip("αβγδεζηθικλμνξοπρστυφχψω", _GREEK_LATIN.split(), strict=True))
# capitalised function words, weekdays and months in the cased languages: not names
_STOP_WORDS = """the a an in on at for and but it he she they we this that these there his her its
    of to as by with from after before over under new more most some what when where who why how
    le la les un une des du de il elle ils au aux en et dans pour par sur selon
    el los las una unos por para con del al según tras
    der die das ein eine im am und mit nach bei vom zum zur den dem des auch
    o os um uma do da dos das no na em com pelo pela
    в на по он она они это из для после при как что и
    mr mrs ms dr mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december lundi mardi mercredi jeudi vendredi samedi
    dimanche janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio julio
    agosto septiembre octubre noviembre diciembre montag dienstag mittwoch donnerstag freitag
    samstag sonntag januar februar märz juni juli oktober dezember понедельник вторник среда среду
    четверг пятница пятницу суббота субботу воскресенье января февраля марта апреля мая июня июля
    августа сентября октября ноября декабря"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass
class ArticleInput:
    """One document to cluster or compare; only text is required."""

    id: str
    text: str
    title: str | None = None
    lang: str | None = None
    published: dt.datetime | str | None = None
    duplicate_of: str | None = None
    entity_ids: frozenset[str] = frozenset()


@dataclass
class ArticleFeatures:
    """Everything the scorer reads about one article."""

    id: str
    vector: np.ndarray
    lang: str
    names: frozenset[str]
    numbers: frozenset[str]
    hours: float | None
    headline: str
    duplicate_of: str | None = None
    entity_ids: frozenset[str] = field(default_factory=frozenset)


class LanguageCentering:
    """Running per-language mean vectors, shrunk toward the all-language mean.

    E5 vectors share a large common direction plus a per-language one, so unrelated articles in
    one language score ~0.8 against each other while the same story across languages scores
    ~0.85. Subtracting each language's mean before the cosine removes most of that bias (on the
    invented fixture it lifts the same-story vs. different-story pair AUC from 0.984 to 0.999).
    """

    def __init__(
        self,
        dim: int,
        prior_weight: float = 8.0,
        priors: dict[str, np.ndarray] | None = None,
        prior_strength: float = 10.0,
    ) -> None:
        self.dim = dim
        self.prior_weight = prior_weight
        self.priors = {k: np.asarray(v, dtype=np.float64) for k, v in (priors or {}).items()}
        self.prior_strength = prior_strength
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, int] = {}
        self.total = np.zeros(dim, dtype=np.float64)
        self.n = 0
        # bumped on every observation: callers key caches of centered vectors on it
        self.version = 0
        self._means: dict[str, np.ndarray] = {}

    def observe(self, lang: str, vector: np.ndarray) -> None:
        """Add one raw vector to its language's running mean."""
        if lang not in self.sums:
            self.sums[lang] = np.zeros(self.dim, dtype=np.float64)
            self.counts[lang] = 0
        self.sums[lang] += vector
        self.counts[lang] += 1
        self.total += vector
        self.n += 1
        self.version += 1
        self._means.clear()

    def fit(self, langs: Sequence[str], vectors: np.ndarray) -> None:
        """Observe many vectors at once (warm start from stored or batch vectors)."""
        for lang, vec in zip(langs, vectors, strict=True):
            self.observe(lang, vec)

    def mean(self, lang: str) -> np.ndarray:
        """The language's mean: its running sum shrunk toward its prior or the all-language mean."""
        cached = self._means.get(lang)
        if cached is None:
            cached = self._means[lang] = self._compute_mean(lang)
        return cached

    def _compute_mean(self, lang: str) -> np.ndarray:
        k = self.prior_strength
        glob_prior = self.priors.get("*")
        if glob_prior is not None:
            glob = (self.total + k * glob_prior) / (self.n + k)
        elif self.n:
            glob = self.total / self.n
        else:
            return np.zeros(self.dim, dtype=np.float32)
        lang_prior = self.priors.get(lang)
        if lang_prior is not None:
            anchor, weight = lang_prior, k
        else:
            anchor, weight = glob, self.prior_weight
        s_l = self.sums.get(lang)
        if s_l is None:
            return anchor.astype(np.float32)
        return ((s_l + weight * anchor) / (self.counts[lang] + weight)).astype(np.float32)

    def center(self, lang: str, vectors: np.ndarray) -> np.ndarray:
        """Subtract the language mean and renormalise (rows or a single vector)."""
        out = normalise_rows(np.asarray(vectors, dtype=np.float32) - self.mean(lang))
        return out[0] if np.ndim(vectors) == 1 else out

    def to_state(self) -> dict[str, Any]:
        """A JSON-able snapshot, for persisting beside the store."""
        return {
            "dim": self.dim,
            "prior_weight": self.prior_weight,
            "prior_strength": self.prior_strength,
            "priors": {k: v.tolist() for k, v in self.priors.items()},
            "langs": {k: [self.counts[k], v.tolist()] for k, v in self.sums.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> LanguageCentering:
        """Rebuild from to_state() output."""
        priors = {k: np.asarray(v) for k, v in state.get("priors", {}).items()}
        obj = cls(
            int(state["dim"]),
            float(state["prior_weight"]),
            priors,
            float(state.get("prior_strength", 10.0)),
        )
        for lang, (count, total) in state["langs"].items():
            vec = np.asarray(total, dtype=np.float64)
            obj.sums[lang] = vec
            obj.counts[lang] = int(count)
            obj.total += vec
            obj.n += int(count)
        obj.version += 1
        return obj


def make_centering(embedder: Embedder) -> LanguageCentering:
    """Centering seeded with the embedder's language priors when it ships them."""
    priors_fn = getattr(embedder, "language_priors", None)
    priors = priors_fn() if callable(priors_fn) else None
    return LanguageCentering(embedder.dim, priors=priors)


def _fold(token: str) -> str:
    low = unicodedata.normalize("NFKD", token.lower())
    low = "".join(c for c in low if not unicodedata.combining(c))
    out = []
    for ch in low:
        out.append(_CYRILLIC.get(ch) or _GREEK.get(ch) or ch)
    return "".join(out).replace("_", "").replace("'", "").replace("’", "")


def extract_names(text: str) -> frozenset[str]:
    """Keys of capitalised tokens and acronyms, folded to Latin and cut to 5 characters.

    Scripts without case (Arabic, Devanagari, CJK) yield only the Latin names they embed;
    an entity extractor can later supply ids through ArticleInput.entity_ids.
    """
    keys = set()
    for m in _WORD.finditer(text):
        tok = m.group(0).strip("'’-")
        if len(tok) < 2 or not tok[0].isupper():
            continue
        if tok.lower() in _STOP:
            continue
        if tok.isupper() and len(tok) <= 6:
            keys.add(_fold(tok))
        elif len(tok) >= 3:
            keys.add(_fold(tok)[:5])
    return frozenset(k for k in keys if k)


def extract_numbers(text: str) -> frozenset[str]:
    """Distinctive quantities as canonical strings (years and small counts left out)."""
    norm = fold_digits(text)
    out = set()
    for m in _NUMBER.finditer(norm):
        value = read_number(m.group(0))  # any language: three-digit groups are thousands
        if value is None:
            continue
        mult = _MULT_RE.match(norm, m.end())
        if mult:
            value *= _MULTIPLIERS.get(mult.group(1).lower(), _MULTIPLIERS.get(mult.group(1), 1.0))
        if value.is_integer() and (value < 10 or 1900 <= value <= 2100):
            continue
        out.add(f"{value:.6g}")
    return frozenset(out)


def parse_time(value: Any) -> float | None:
    """Hours since the epoch from an ISO string, datetime or epoch seconds; None if absent."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value) / 3600.0
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return float(value.timestamp()) / 3600.0
    raise ValueError(f"cannot read a time from {value!r}")


def embedding_text(doc: ArticleInput, max_chars: int = DEFAULT_EMBED_CHARS) -> str:
    """What gets embedded: the title plus the lead, bounded so cost per article stays flat."""
    return bound_text(doc.title, doc.text, max_chars)


def extract_features(
    docs: Sequence[ArticleInput],
    embedder: Embedder,
    max_chars: int = DEFAULT_EMBED_CHARS,
    lexical_chars: int = 2000,
) -> list[ArticleFeatures]:
    """Embed a batch of documents and read their lexical evidence."""
    vectors = embedder.embed_passages([embedding_text(d, max_chars) for d in docs])
    out = []
    for doc, vec in zip(docs, vectors, strict=True):
        lexical = f"{doc.title or ''}\n{doc.text[:lexical_chars]}"
        out.append(
            ArticleFeatures(
                id=doc.id,
                vector=vec,
                lang=(doc.lang or detect_language(lexical)[0] or "und").lower().split("-")[0],
                names=extract_names(lexical),
                numbers=extract_numbers(lexical),
                hours=parse_time(doc.published) if doc.published is not None else None,
                headline=(doc.title or doc.text[:120]).strip(),
                duplicate_of=doc.duplicate_of,
                entity_ids=doc.entity_ids,
            )
        )
    return out
