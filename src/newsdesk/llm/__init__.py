"""Chat models for the optional LLM writer: OpenAI-compatible servers and local GGUF files."""

from newsdesk.llm._reasoning import strip_reasoning
from newsdesk.llm.base import (
    ChatBackend,
    LLMBadResponse,
    LLMError,
    LLMExtraMissing,
    LLMUnavailable,
    Message,
    Tier,
    fold_system_messages,
)
from newsdesk.llm.client import OpenAIChatBackend
from newsdesk.llm.local import LlamaCppBackend

__all__ = [
    "ChatBackend",
    "LLMBadResponse",
    "LLMError",
    "LLMExtraMissing",
    "LLMUnavailable",
    "LlamaCppBackend",
    "Message",
    "OpenAIChatBackend",
    "Tier",
    "fold_system_messages",
    "strip_reasoning",
]
