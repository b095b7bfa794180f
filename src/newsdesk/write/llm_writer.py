"""LLM writer: a chat model drafts the analysis; only validated, cited sentences survive."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from newsdesk.llm.base import ChatBackend, LLMBadResponse, LLMUnavailable, Tier
from newsdesk.write.model import (
    Draft,
    SectionKey,
    WritingBrief,
    WrittenSection,
    WrittenSentence,
)
from newsdesk.write.prompts import (
    NumberedSource,
    analysis_response_format,
    build_messages,
    build_repair_message,
    number_sources,
    offered_section_keys,
)

log = logging.getLogger(__name__)

_FENCE = re.compile(r"```(?:json)?", re.IGNORECASE)
_INLINE_CITE = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MAX_CANDIDATES = 200


class _SentenceReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str
    citations: list[int] = []

    @field_validator("citations", mode="before")
    @classmethod
    def _read_numbers(cls, value: Any) -> list[int]:
        """Accept 3, "3", "[3]", "S3", "1, 2" or lists of those; keep only the numbers."""
        items = value if isinstance(value, list) else [value]
        numbers: list[int] = []
        for item in items:
            if isinstance(item, bool):
                continue
            if isinstance(item, int):
                numbers.append(item)
            elif isinstance(item, str | float):
                numbers.extend(int(n) for n in re.findall(r"\d+", str(item)))
        return numbers


class _SectionReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    key: str
    sentences: list[_SentenceReply] = []

    @field_validator("sentences", mode="before")
    @classmethod
    def _wrap_bare_strings(cls, value: Any) -> Any:
        """A bare string is a sentence without citations (it will be dropped and counted)."""
        if isinstance(value, list):
            return [{"text": v, "citations": []} if isinstance(v, str) else v for v in value]
        return value


class _DraftReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    headline: str = ""
    dek: str = ""
    sections: list[_SectionReply]


@dataclass
class ParsedReply:
    """One reply after validation: what survived and what was wrong."""

    headline: str = ""
    dek: str = ""
    sections: dict[str, list[WrittenSentence]] = field(default_factory=dict)
    kept: int = 0
    dropped: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def is_usable(self) -> bool:
        """True when at least one cited sentence survived."""
        return self.kept > 0


@dataclass
class WriteReport:
    """How the last `LLMWriter.write` went: calls made, sentences kept and dropped."""

    attempts: int = 0
    tiers: list[str] = field(default_factory=list)
    kept_sentences: int = 0
    dropped_sentences: int = 0
    problems: list[str] = field(default_factory=list)


def find_json_object(text: str) -> dict[str, Any] | None:
    """Return the first JSON object in `text` (preferring one with "sections"), or None."""
    text = _FENCE.sub("", text)
    decoder = json.JSONDecoder()
    first: dict[str, Any] | None = None
    start = text.find("{")
    tries = 0
    while start != -1 and tries < _MAX_CANDIDATES:
        tries += 1
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            if "sections" in value:
                return value
            first = first or value
        start = text.find("{", start + 1)
    return first


def parse_reply(
    reply: str, sources: list[NumberedSource], keys: list[str], lang: str | None = None
) -> ParsedReply:
    """Validate a model reply; keep sentences citing known sources, count the rest."""
    parsed = ParsedReply()
    data = find_json_object(reply)
    if data is None:
        parsed.problems.append("no JSON object found in the reply")
        return parsed
    try:
        draft = _DraftReply.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors()[:10]:
            where = ".".join(str(p) for p in err["loc"]) or "reply"
            parsed.problems.append(f"{where}: {err['msg']}")
        return parsed
    parsed.headline = " ".join(draft.headline.split())
    parsed.dek = " ".join(draft.dek.split())
    if not parsed.headline:
        parsed.problems.append("headline is empty")
    ids = {s.number: s.passage.passage_id for s in sources}
    for s_index, section in enumerate(draft.sections):
        key = section.key.strip().lower()
        if key not in keys:
            parsed.problems.append(
                f"sections.{s_index}: unknown key {section.key!r} (allowed: {', '.join(keys)})"
            )
            parsed.dropped += len(section.sentences)
            continue
        for t_index, sentence in enumerate(section.sentences):
            where = f"sections.{s_index}.sentences.{t_index}"
            written, problem = _check_sentence(sentence, ids, lang)
            if written is None:
                parsed.dropped += 1
                parsed.problems.append(f"{where}: {problem}")
                continue
            parsed.sections.setdefault(key, []).append(written)
            parsed.kept += 1
    if not parsed.kept and not parsed.problems:
        parsed.problems.append("no sentences in any section")
    return parsed


def _check_sentence(
    sentence: _SentenceReply, ids: dict[int, str], lang: str | None
) -> tuple[WrittenSentence | None, str]:
    numbers = list(sentence.citations)
    # numbers written inline ("... rose [2].") are citations too; the text loses the markers
    for group in _INLINE_CITE.findall(sentence.text):
        numbers.extend(int(n) for n in re.findall(r"\d+", group))
    text = " ".join(_INLINE_CITE.sub("", sentence.text).split())
    if not text:
        return None, "empty text"
    if not numbers:
        return None, "no citations (every sentence must cite at least one source number)"
    unknown = sorted({n for n in numbers if n not in ids})
    if unknown:
        return None, f"cites unknown source numbers {unknown} (valid: 1 to {len(ids)})"
    passage_ids = list(dict.fromkeys(ids[n] for n in numbers))
    return WrittenSentence(text=text, citations=passage_ids, kind="generated", lang=lang), ""


class LLMWriter:
    """Writes a Draft with a chat model; a first draft on the fast tier, repairs on the strong."""

    name = "llm"

    def __init__(
        self,
        backend: ChatBackend,
        *,
        max_tokens: int = 1200,
        temperature: float = 0.2,
        max_repairs: int = 2,
        first_tier: Tier = "fast",
        repair_tier: Tier = "strong",
        structured_output: bool = True,
        stop: list[str] | None = None,
        max_source_chars: int = 24_000,
        byline: str = "{persona} (AI-written, cited)",
    ) -> None:
        self.backend = backend
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.max_repairs = max_repairs
        self.first_tier = first_tier
        self.repair_tier = repair_tier
        self.structured_output = structured_output
        self.stop = stop
        self.max_source_chars = max_source_chars
        self.byline = byline
        self.last_report = WriteReport()

    def write(self, brief: WritingBrief) -> Draft:
        """Draft the analysis for `brief`; raise LLMBadResponse if nothing valid comes back."""
        report = self.last_report = WriteReport()
        sources = number_sources(brief, self.max_source_chars)
        if not sources:
            raise LLMBadResponse("the brief has no passages to cite")
        keys = offered_section_keys(brief)
        messages = build_messages(brief, sources)
        response_format = analysis_response_format(keys) if self.structured_output else None
        best: tuple[ParsedReply, str] | None = None
        tier = self.first_tier
        for attempt in range(self.max_repairs + 1):
            if attempt:
                tier = self.repair_tier
            report.attempts += 1
            report.tiers.append(tier)
            try:
                reply = self.backend.complete(
                    messages,
                    tier=tier,
                    max_tokens=self.max_tokens,
                    temperature=self.temperature,
                    stop=self.stop,
                    response_format=response_format,
                )
            except LLMBadResponse as exc:
                report.problems = [exc.reason]
                log.info("attempt %d: %s", attempt + 1, exc.reason)
                continue  # nothing to show the model; ask again (on the repair tier)
            except LLMUnavailable:
                if best is not None:
                    break  # keep what we have rather than lose it
                raise
            log.debug("attempt %d reply: %.300r", attempt + 1, reply)
            parsed = parse_reply(reply, sources, keys, brief.target_lang)
            log.info(
                "attempt %d (%s): %d sentences kept, %d dropped, %d problems",
                attempt + 1,
                tier,
                parsed.kept,
                parsed.dropped,
                len(parsed.problems),
            )
            if parsed.is_usable and (
                best is None or (parsed.kept, -parsed.dropped) > (best[0].kept, -best[0].dropped)
            ):
                best = (parsed, self.backend.model_for(tier))
            report.problems = parsed.problems
            if not parsed.problems:
                break
            messages = [
                *messages[:2],
                {"role": "assistant", "content": reply[:4000]},
                build_repair_message(parsed.problems, len(sources)),
            ]
        if best is None:
            raise LLMBadResponse(
                f"no valid cited sentence after {report.attempts} attempts: "
                + "; ".join(report.problems[:5])
            )
        parsed, model = best
        report.kept_sentences = parsed.kept
        report.dropped_sentences = parsed.dropped
        report.problems = parsed.problems
        return self._assemble(brief, parsed, model)

    def _assemble(self, brief: WritingBrief, parsed: ParsedReply, model: str) -> Draft:
        sections = [
            WrittenSection(
                key=key,
                title=SectionKey.TITLES[key],
                sentences=parsed.sections[key],
                persona_id=(
                    brief.perspective_persona_id
                    if key == SectionKey.PERSPECTIVE
                    else brief.persona_id
                ),
            )
            for key in SectionKey.ORDER
            if parsed.sections.get(key)
        ]
        return Draft(
            story_id=brief.story_id,
            persona_id=brief.persona_id,
            headline=parsed.headline or brief.headline_hint,
            dek=parsed.dek,
            byline=self.byline.format(persona=brief.persona_name),
            tags=list(brief.tags),
            sections=sections,
            writer=self.name,
            model=model,
        )
