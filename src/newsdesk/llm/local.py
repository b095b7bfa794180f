"""A local GGUF model through llama-cpp-python (the optional `llm` extra), no server needed."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from newsdesk.llm._reasoning import strip_reasoning
from newsdesk.llm.base import (
    LLMBadResponse,
    LLMExtraMissing,
    LLMUnavailable,
    Message,
    Tier,
    adapt_response_format,
    fold_system_messages,
)

log = logging.getLogger(__name__)

EXTRA_HINT = (
    'install it with scripts/llm-extra.sh (or: pip install "llama-cpp-python>=0.3,<0.4"; '
    "it compiles for a few minutes)"
)


def load_llama_class() -> Any:
    """Import llama_cpp.Llama, or raise LLMExtraMissing with the install hint."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise LLMExtraMissing(f"llama-cpp-python is not installed: {EXTRA_HINT}") from exc
    return Llama


class LlamaCppBackend:
    """A GGUF model loaded in this process; the same `complete` as OpenAIChatBackend."""

    def __init__(
        self,
        model_path: str | Path,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        chat_format: str | None = None,
        seed: int = 0,
        verbose: bool = False,
        fold_system: bool | None = None,
    ) -> None:
        path = Path(model_path)
        llama_class = load_llama_class()
        if not path.is_file():
            raise LLMUnavailable(f"model file not found: {path}")
        self.model = path.stem
        # llama-cpp-python's "gemma" format drops system messages silently: fold them by default
        self.fold_system = chat_format == "gemma" if fold_system is None else fold_system
        self._lock = threading.Lock()  # a Llama context serves one request at a time
        try:
            self._llama = llama_class(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                chat_format=chat_format,
                seed=seed,
                verbose=verbose,
            )
        except (ValueError, RuntimeError) as exc:
            raise LLMUnavailable(f"cannot load {path.name}: {exc}") from exc

    def close(self) -> None:
        """Free the model and its context."""
        close = getattr(self._llama, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> LlamaCppBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def model_for(self, tier: Tier) -> str:
        """Return the model name; one local model serves both tiers."""
        return self.model

    def complete(
        self,
        messages: list[Message],
        *,
        tier: Tier = "strong",
        max_tokens: int,
        temperature: float = 0.2,
        stop: list[str] | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> str:
        """Run the chat completion locally and return the answer text, reasoning removed."""
        kwargs: dict[str, Any] = {
            "messages": fold_system_messages(messages) if self.fold_system else messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stop": stop or [],
        }
        local_format = adapt_response_format(response_format, "json_object")
        if local_format is not None:
            kwargs["response_format"] = local_format
        try:
            with self._lock:
                result = self._llama.create_chat_completion(**kwargs)
        except ValueError as exc:  # e.g. the prompt does not fit the context window
            raise LLMUnavailable(f"local model rejected the request: {exc}") from exc
        try:
            content = result["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMBadResponse(f"unexpected reply shape from llama.cpp: {exc}") from exc
        text = strip_reasoning(content or "")
        if not text:
            raise LLMBadResponse("the reply is empty")
        return text
