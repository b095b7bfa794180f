"""The writer the settings choose: extractive by default, an OpenAI-compatible LLM when set."""

from __future__ import annotations

from newsdesk.settings import Settings
from newsdesk.write.model import Writer


class WriterNotConfigured(ValueError):
    """The settings name a writer that cannot be built from what they give."""


def writer_from_settings(settings: Settings) -> Writer:
    """Build the writer named by `settings.writer` ('extractive' or 'llm')."""
    if settings.writer == "extractive":
        from newsdesk.write.extractive import ExtractiveWriter

        return ExtractiveWriter()
    if settings.writer == "llm":
        if not settings.llm_base_url or not settings.llm_model:
            raise WriterNotConfigured("writer = 'llm' needs llm_base_url and llm_model")
        from newsdesk.llm.client import OpenAIChatBackend
        from newsdesk.write.llm_writer import LLMWriter

        backend = OpenAIChatBackend(
            settings.llm_base_url,
            settings.llm_model,
            api_key=settings.llm_api_key or "not-needed",
            fast_model=settings.llm_fast_model or None,
            timeout=settings.llm_timeout,
        )
        return LLMWriter(backend)
    raise WriterNotConfigured(f"unknown writer {settings.writer!r}: use 'extractive' or 'llm'")
