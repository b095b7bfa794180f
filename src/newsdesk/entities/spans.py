"""Script-aware name spans for languages without an NER model, and domain pattern rules.

Name spans (origin "span"):
- Latin, Cyrillic and Greek: runs of capitalised tokens (joined by "&", "-" or particles such
  as "de", "von", "al"). A run at the start of a sentence loses its first token when that word
  also occurs in lower case in the text (it is a common word); a single capitalised token is
  kept only when not at a sentence start and repeated, or when it is an acronym. German
  capitalises every noun, so there a run needs a person title before it, an organisation or
  place word inside it, or two or three tokens none of which looks like a German noun.
- Quoted names: «Газпром», „Corvane Labs“, "Pasir Bay" (at most four words).
- Han, kana, Arabic and Devanagari text: the gazetteer does the work; Latin-script runs
  embedded in such text ("PBCT", "Larsen & Toubro") are names wherever they stand.
The type is guessed: a title before it -> person, an organisation word in it or an acronym ->
org, a place word in it or a locative preposition before a single token -> place, two or three
plain capitalised words -> person, otherwise org.

Domain patterns (origin "pattern"), see `find_domain_mentions`:
- platform: model designators "F-35", "Su-57", "Yelken-3", "Су-57"; "Bayraktar TB2"-style
  maker + code; "Scorpène-class submarine".
- programme: "Project 75I", "Project Samudra Kavach" (also Projet/Proyecto/Projekt/Проект),
  "<Capitalised words> Programme|Program|Initiative|Scheme".
- agreement: "<Capitalised words> Agreement|Accord|Treaty|Pact|Convention|Protocol", the
  generic "<grain|transit|gas|nuclear|ceasefire|peace|...> deal|agreement|accord|pact", German
  "<X>abkommen|vertrag", French/Spanish/Portuguese "accord de X"/"acuerdo de X"/"acordo de X".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError

from newsdesk.entities.base import EntityType, Mention, Origin
from newsdesk.entities.gazetteer import is_word_char, script_of
from newsdesk.entities.normalize import strip_inflection

_TOKEN = re.compile(r"\w(?:[\w'’.\-]*\w)?|&")
_SENTENCE_END = ".!?:;\n\u3002\u061f|"
_OPENERS = "\"'«„“‘(<[—–-*•"
_PARTICLES = frozenset(
    {"de", "da", "do", "dos", "das", "del", "della", "di", "la", "le", "van", "von", "der",
     "den", "ten", "al", "el", "bin", "ibn", "of", "du", "des", "&"}
)  # fmt: skip
_STOP_CAPITALISED = frozenset(
    {"the", "a", "an", "in", "on", "at", "for", "but", "and", "if", "as", "by", "from", "with",
     "this", "that", "these", "he", "she", "it", "they", "we", "i", "his", "her", "its",
     "le", "la", "les", "l", "un", "une", "des", "du", "au", "aux", "en", "dans", "pour", "mais",
     "il", "elle", "ils", "selon", "après", "avant", "ce", "cette", "ces", "sur", "par",
     "el", "los", "las", "una", "unos", "según", "con", "para", "por", "pero", "ese", "esta",
     "o", "os", "um", "uma", "segundo", "com", "no", "na", "nos", "nas", "em", "ao",
     "der", "die", "das", "ein", "eine", "einen", "dem", "den", "im", "am", "auf", "mit",
     "nach", "laut", "bei", "für", "aus", "wie", "auch", "er", "sie", "es", "wir", "zum", "zur",
     "в", "на", "по", "о", "об", "с", "со", "к", "у", "из", "за", "от", "для", "и", "но", "а",
     "как", "это", "он", "она", "они", "мы", "при", "после", "до", "во", "над", "между"}
)  # fmt: skip
_PERSON_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "president", "minister", "secretary", "spokesman",
     "spokeswoman", "spokesperson", "ceo", "governor", "general", "ambassador", "chairman",
     "chairwoman", "senator", "mayor", "sheikh", "prince", "king", "queen",
     "m", "mme", "président", "présidente", "ministre", "porte-parole", "directeur",
     "directrice", "secrétaire", "ambassadeur", "sr", "sra", "señor", "señora", "presidente",
     "presidenta", "ministro", "ministra", "portavoz", "director", "directora", "secretario",
     "secretaria", "canciller", "porta-voz", "diretor", "diretora", "herr", "frau",
     "präsident", "präsidentin", "ministerin", "sprecher", "sprecherin", "kanzler",
     "kanzlerin", "vorsitzende", "vorsitzender", "botschafter", "botschafterin",
     "господин", "госпожа", "президент", "министр", "премьер", "глава", "директор", "генсек",
     "секретарь", "посол", "председатель", "представитель", "спикер", "аналитик", "эксперт",
     "analyst", "analyste", "analista", "analytiker", "analytikerin", "политолог",
     "экономист", "замминистра", "губернатор", "премьер-министр", "министра"}
)  # fmt: skip
# German compounds end in a title: "Gewerkschaftschefin", "Regierungssprecher".
_TITLE_SUFFIXES = ("chef", "chefin", "sprecher", "sprecherin", "minister", "ministerin",
                   "sekretär", "sekretärin", "präsident", "präsidentin", "direktor",
                   "direktorin", "analyst", "analystin")  # fmt: skip
_ORG_WORDS = frozenset(
    {"union", "group", "bank", "ministry", "council", "corporation", "company", "co", "ltd",
     "limited", "inc", "corp", "labs", "lab", "terminals", "terminal", "shipyards",
     "shipyard", "agency", "commission", "court", "party", "navy", "army", "authority",
     "association", "institute", "federation", "holdings", "industries", "systems", "airlines",
     "energy", "petroleum", "motors", "technologies", "fund", "committee", "parliament",
     "assembly", "government", "police", "forces", "exchange", "university", "office",
     "союз", "министерство", "банк", "совет", "компания", "комиссия", "партия", "агентство",
     "суд", "фонд", "корпорация", "группа", "правительство", "ministère", "banque", "conseil",
     "groupe", "parti", "agence", "cour", "société", "fonds", "gouvernement", "compagnie",
     "ministerio", "ministério", "banco", "consejo", "conselho", "comisión", "comissão",
     "partido", "grupo", "agencia", "agência", "corte", "tribunal", "empresa", "compañía",
     "gobierno", "governo", "fondo", "fundo", "ministerium", "rat", "kommission", "partei",
     "gruppe", "agentur", "gericht", "werft", "werke", "konzern", "regierung", "gmbh", "ag",
     "verband", "gewerkschaft", "sa", "s.a", "ltda", "plc", "llc", "pte", "marine", "gas",
     "transit", "maritime", "shipping", "logistics", "mining", "resources", "refinery",
     "partners", "capital", "securities", "advisors", "advisers", "wire", "news", "times",
     "post", "monitor", "observer", "herald", "gazette", "journal", "tribune", "press", "media",
     "engineering", "electronics", "airways", "railways", "bureau", "service", "services",
     "energia", "energía", "énergie", "commodities", "holding", "minera", "aerosystems",
     "aerospace", "defence", "defense", "cloud", "analytics", "consulting", "consult", "metals",
     "refining", "materials"}
)  # fmt: skip
_PLACE_WORDS = frozenset(
    {"bay", "strait", "sea", "island", "islands", "river", "shoal", "gulf", "mount",
     "mountains", "valley", "canal", "peninsula", "province", "region", "city", "district",
     "море", "залив", "остров", "река", "пролив", "область", "край", "mer", "golfe", "île",
     "îles", "détroit", "fleuve", "région", "mar", "golfo", "isla", "islas", "estrecho", "río",
     "provincia", "región", "meer", "bucht", "insel", "inseln", "provinz"}
)  # fmt: skip
# continents and compass regions, any case ending: "Юго-Восточной Азии", "Westafrika"
_PLACE_STEMS = ("ази", "африк", "европ", "америк", "asia", "africa", "europe", "america",
                "afrika", "europa", "amerika", "asie", "afrique", "amérique")  # fmt: skip
_ARTICLES = frozenset({"el", "la", "le", "les", "los", "las", "the", "der", "die", "das", "il"})
_LOCATIVES = frozenset({"in", "at", "to", "from", "в", "во", "из", "à", "en", "em", "nach", "aus"})
_GERMAN_DETERMINERS = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
     "eines", "kein", "keine", "jede", "jeder", "diese", "dieser", "seine", "ihre", "ihrer"}
)  # fmt: skip
_GERMAN_DESCRIPTORS = frozenset(
    {"konzern", "partner", "firma", "schiff", "reederei", "werft", "hafen", "hersteller",
     "anbieter", "betreiber", "tanker", "frachter", "gewerkschaft", "agentur", "zeitung",
     "sender", "analyst", "analystin", "ökonom", "ökonomin"}
)  # fmt: skip
_GERMAN_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "ion", "tät", "ismus", "nis",
                        "tum", "ment", "ie", "en", "er", "e", "el")  # fmt: skip
# an opening quote after a space, bracket or line start; the name hugs both quote marks
_QUOTED = re.compile(
    r"(?<![A-Za-z0-9\u00c0-\u024f\u0400-\u04ff])[«„“\"‘](\w[^«»„“”\"‘’\n]{0,38}[\w.+])[»“”\"’](?!\w)",
    re.MULTILINE,
)


@dataclass
class _Token:
    text: str
    start: int
    end: int

    @property
    def is_capitalised(self) -> bool:
        first = self.text[0]
        return first.isupper() or (first.isdigit() and any(c.isupper() for c in self.text))

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters)


@lru_cache(maxsize=64)
def _calendar_words(language: str) -> frozenset[str]:
    """Day and month names in `language` (capitalised in German and English)."""
    try:
        loc = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return frozenset()
    words: set[str] = set()
    for table in (loc.days, loc.months):
        for context in table.values():
            for width in context.values():
                words.update(w.lower() for w in width.values())
    return frozenset(words)


def _tokens(text: str) -> Iterator[_Token]:
    for m in _TOKEN.finditer(text):
        yield _Token(m.group(), m.start(), m.end())


def _is_cased(token: _Token) -> bool:
    ch = next((c for c in token.text if c.isalpha()), "")
    return bool(ch) and script_of(ch) in ("LATIN", "CYRILLIC", "GREEK")


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _strip_possessive(token: _Token) -> _Token:
    for suffix in ("'s", "’s"):
        if token.text.endswith(suffix):
            return _Token(token.text[: -len(suffix)], token.start, token.end - len(suffix))
    return token


def _runs(text: str, tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Maximal runs of capitalised cased tokens, joined by spaces, '&' and particles."""
    run: list[_Token] = []
    pending: list[_Token] = []
    for tok in tokens:
        gap = text[run[-1].end if not pending else pending[-1].end : tok.start] if run else " "
        joined = bool(run) and gap.strip() == "" and "\n" not in gap
        if _is_cased(tok) and tok.is_capitalised and tok.text.lower() not in ("&",):
            if run and joined:
                run.extend(pending)
                run.append(tok)
            else:
                if run:
                    yield run
                run = [tok]
            pending = []
            if tok.text.endswith(("'s", "’s")):
                yield [*run[:-1], _strip_possessive(tok)]
                run = []
        elif run and joined and tok.text.lower() in _PARTICLES and len(pending) < 2:
            pending.append(tok)
        else:
            if run:
                yield run
            run, pending = [], []
    if run:
        yield run


def type_from_words(words: list[str]) -> str | None:
    """org or place when a name holds a word like 'Bank', 'Labs', 'Bay', 'Азии', else None."""
    lowered = [w.lower().rstrip(".,") for w in words]
    if any(w in _ORG_WORDS for w in lowered):
        return EntityType.ORG
    if any(w in _PLACE_WORDS or w.startswith(_PLACE_STEMS) for w in lowered):
        return EntityType.PLACE
    return None


def _guess_type(words: list[str], before: str, language: str | None) -> str:
    by_words = type_from_words(words)
    if by_words is not None:
        return by_words
    if _is_title(before):
        return EntityType.PERSON
    letters = "".join(words)
    if all(c.isupper() or not c.isalpha() for c in letters):
        return EntityType.ORG
    if len(words) == 1:
        return EntityType.PLACE if before in _LOCATIVES else EntityType.ORG
    if words[0].lower() in _ARTICLES:  # "El Observador Austral", "Le Courrier Continental"
        return EntityType.ORG
    if 2 <= len(words) <= 3 and all(_is_titlecase(w) for w in words):
        return EntityType.PERSON
    return EntityType.ORG


def _is_titlecase(word: str) -> bool:
    """'Velden', 'Adjei-Mensah', "O'Neill": each part a capital and then lower case."""
    parts = [p for p in re.split(r"[-'’]", word) if p]
    return bool(parts) and all(p[0].isupper() and (p[1:].islower() or not p[1:]) for p in parts)


def _looks_german_noun(word: str) -> bool:
    return word.lower().endswith(_GERMAN_NOUN_ENDINGS) and not word.isupper()


def find_name_spans(text: str, language: str | None) -> list[Mention]:
    """Capitalised runs, acronyms and quoted names in text without an NER model."""
    lang = (language or "").split("-")[0].lower()
    calendar = _calendar_words(lang) if lang else frozenset()
    tokens = list(_tokens(text))
    lower_words = frozenset(t.text.lower() for t in tokens if t.text[0].islower())
    quoted = _quoted_names(text, lower_words, lang)
    quoted_spans = [(q.start, q.end) for q in quoted]
    anywhere_embedded = lang in ("zh", "ja", "ko", "ar", "hi", "fa", "ur", "th")
    raw: list[tuple[list[_Token], bool, str]] = []
    prev_word: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        prev_word[tok.start] = tokens[i - 1].text.lower().rstrip(".") if i else ""
    for run in _runs(text, tokens):
        run = [t for t in run if t.text.lower() not in calendar] if calendar else run
        if not run:
            continue
        initial = not anywhere_embedded and _at_sentence_start(text, run[0].start)
        while (
            run
            and initial
            and (run[0].text.lower() in _STOP_CAPITALISED or run[0].text.lower() in lower_words)
        ):
            run = run[1:]
            initial = False
        before = prev_word.get(run[0].start, "") if run else ""
        while len(run) > 1 and (_is_title(run[0].text) or _is_descriptor(run, lang)):
            before = run[0].text.lower()
            run = run[1:]
            initial = False
            if run[0].text.lower() in _PARTICLES:  # "Sprecher des Ministeriums": no name
                run = []
                break
        while run and run[-1].text.lower() in _PARTICLES:
            run = run[:-1]
        if run and not any(qs <= run[0].start < qe for qs, qe in quoted_spans):
            raw.append((run, initial, before))
    repeated: dict[str, int] = {}
    for run, initial, _ in raw:
        if len(run) == 1 and not initial:
            repeated[run[0].text] = repeated.get(run[0].text, 0) + 1
    in_names = {t.text for run, _, _ in raw if len(run) > 1 for t in run}
    in_names |= {strip_inflection(w.lower()) for w in in_names}
    out: list[Mention] = []
    for run, initial, before in raw:
        words = [t.text for t in run]
        single = len(run) == 1
        if single and not run[0].is_acronym and not _is_title(before):
            if lang == "de":
                # every German noun is capitalised: only a part of a full name seen in the
                # article ("Velden" after "Mara Velden") that does not look like a noun
                if words[0] not in in_names or _looks_german_noun(words[0]):
                    continue
            elif strip_inflection(words[0].lower()) not in in_names and (
                initial or before not in _LOCATIVES or repeated.get(words[0], 0) < 2
            ):
                # capitals alone make no name: a part of a full name seen in the article, or
                # a repeated word after a locative preposition ("en Mendoza") is one
                continue
        if lang == "de" and not single and not _german_run_ok(words, before):
            continue
        start, end = run[0].start, run[-1].end
        kind = _guess_type(words, before, language)
        out.append(Mention(text[start:end], start, end, kind, origin=Origin.SPAN))
    out.extend(quoted)
    return out


def _is_descriptor(run: list[_Token], lang: str) -> bool:
    """A German common noun in front of a name: "Containerterminal Pasir Bay", "Konzern X"."""
    if lang != "de" or run[0].is_acronym:
        return False
    word = run[0].text
    if word.lower() in _GERMAN_DESCRIPTORS or len(word) >= 9:
        return word.lower() not in _ORG_WORDS
    return word.endswith(("er", "e")) and len(run) > 2 and len(run[1].text) >= 9


def _is_title(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in _PERSON_TITLES or low.endswith(_TITLE_SUFFIXES)


def _german_run_ok(words: list[str], before: str) -> bool:
    lowered = {w.lower() for w in words}
    if lowered & _ORG_WORDS or lowered & _PLACE_WORDS:
        return True
    if _is_title(before):
        return True
    if before in _GERMAN_DETERMINERS or len(words) > 3:
        return False
    return not any(_looks_german_noun(w) for w in words)


def _quoted_names(
    text: str, lower_words: frozenset[str] = frozenset(), lang: str = ""
) -> list[Mention]:
    """Short quoted names; quoted speech ("Решение принято") starts with a common word."""
    out: list[Mention] = []
    for m in _QUOTED.finditer(text):
        inner = m.group(1).strip()
        words = inner.split()
        if not inner or any(c in inner for c in ".!?,;:，。！？；：、") or len(words) > 4:
            continue
        first = inner[0]
        if script_of(first) not in ("LATIN", "CYRILLIC", "GREEK"):
            continue  # in Han, Arabic or Devanagari text quotes mark speech, not names
        if not first.isupper() or words[0].lower() in lower_words:
            continue
        if lang == "de" and len(words) == 1 and _looks_german_noun(inner):
            continue
        rest_lower = [w for w in words[1:] if w[0].islower() and w not in _PARTICLES]
        # Russian names capitalise only the first word («Северный капитал»)
        if rest_lower and (script_of(first) != "CYRILLIC" or len(words) > 2):
            continue
        start = m.start(1) + m.group(1).index(inner)
        out.append(Mention(inner, start, start + len(inner), EntityType.ORG, origin=Origin.SPAN))
    return out


# -- domain patterns -------------------------------------------------------------------------

_NOT_PLATFORMS = frozenset({"covid", "sars", "mers", "g", "h", "n", "c", "a", "b", "p", "no"})
_CAP = r"[A-Z\u00C0-\u00DE][\w\u00C0-\u024F'’\-]*"
_PLATFORM_PATTERNS = (
    re.compile(r"\b([A-Z][A-Za-z]{0,11})-(\d{1,4}[A-Z]{0,2})\b"),
    re.compile(r"\b[A-Z][a-z]{2,} [A-Z]{1,3}\d{1,3}[A-Z]?\b"),
    re.compile(
        r"\b" + _CAP + r"[- ]class(?: (?:submarines?|frigates?|destroyers?|corvettes?|"
        r"carriers?|cruisers?|vessels?|ships?|boats?))?\b"
    ),
    re.compile(r"(?<!\w)([А-Я][А-Яа-я]{0,3})-(\d{1,4}[А-Я]?)(?!\w)"),
)
_PROGRAMME_PATTERNS = (
    re.compile(
        r"\b(?:Project|Projet|Proyecto|Projeto|Projekt|Проект)[- ]"
        r"(?:\d+[A-Za-z]?\b|" + _CAP + r"(?: " + _CAP + r"){0,2})"
    ),
    re.compile(
        r"\b(?:" + _CAP + r" (?:(?:and|of|for) )?){1,4}(?:Programme|Program|Initiative|Scheme)\b"
    ),
)
_AGREEMENT_PATTERNS = (
    re.compile(
        r"\b(?:" + _CAP + r" (?:(?:and|of|on) )?){1,4}"
        r"(?:Agreements?|Accords?|Treaty|Pact|Convention|Protocol)\b"
    ),
    re.compile(
        r"\b(?:grain|transit|gas|nuclear|ceasefire|cease-fire|peace|arms-control|debt|loan|"
        r"fuel-subsidy|subsidy|royalty|fishing|water|border) "
        r"(?:deal|agreement|accord|pact|treaty)\b"
    ),
    re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+(?:abkommen|vertrag|pakt)\b"),
    re.compile(
        r"\b(?:[Aa]ccord|[Aa]cuerdo|[Aa]cordo|[Tt]raité|[Tt]ratado) (?:de |d'|sobre )" + _CAP
    ),
)


def find_domain_mentions(text: str) -> list[Mention]:
    """Platforms, programmes and agreements found by the pattern rules above."""
    out: list[Mention] = []
    for pattern in _PLATFORM_PATTERNS:
        for m in pattern.finditer(text):
            prefix = m.group(1) if m.groups() else ""
            if prefix and prefix.lower() in _NOT_PLATFORMS:
                continue
            out.append(_pattern_mention(text, m.start(), m.end(), EntityType.PLATFORM))
    for kind, patterns in (
        (EntityType.PROGRAMME, _PROGRAMME_PATTERNS),
        (EntityType.AGREEMENT, _AGREEMENT_PATTERNS),
    ):
        for pattern in patterns:
            for m in pattern.finditer(text):
                out.append(_pattern_mention(text, m.start(), m.end(), kind))
    return out


def _pattern_mention(text: str, start: int, end: int, kind: str) -> Mention:
    # a sentence-initial "The" is not part of the name
    for lead in ("The ", "This ", "A "):
        if text.startswith(lead, start) and end - start > len(lead):
            start += len(lead)
    while start < end and not is_word_char(text[start]):
        start += 1
    return Mention(text[start:end], start, end, kind, origin=Origin.PATTERN)
