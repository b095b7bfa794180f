"""OpenAI-compatible chat client: hosted APIs, llama.cpp, vLLM, Ollama — one `complete` call."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from typing import Any

import openai

from newsdesk.llm._reasoning import strip_reasoning
from newsdesk.llm.base import (
    LLMBadResponse,
    LLMUnavailable,
    Message,
    Tier,
    adapt_response_format,
    fold_system_messages,
)

log = logging.getLogger(__name__)

# statuses worth another try: timeouts, conflicts, rate limits and passing server trouble
_TRANSIENT_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
# the next structured-output form to try when a server rejects one
_LOWER_STYLE = {"json_schema": "json_object", "json_object": "none"}


class OpenAIChatBackend:
    """A chat model behind an OpenAI-compatible `/v1/chat/completions` endpoint."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "not-needed",
        fast_model: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        max_retry_after: float = 120.0,
        fold_system: bool = False,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.fast_model = fast_model
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        # some chat templates drop system messages (llama-cpp-python's "gemma" does, silently):
        # fold them into the first user turn so the rules still reach the model
        self.fold_system = fold_system
        self.last_usage: dict[str, int] | None = None
        # which structured-output form this server takes: "json_schema" (OpenAI, vLLM,
        # llama-server), "json_object" with a schema (llama-cpp-python) or "none"; learned
        # from the first request that asks for one
        self.response_format_style: str | None = None
        self._style_confirmed = False
        # our own retry loop (below) decides about retries, so the library must not retry too
        self._client = openai.OpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0
        )

    def model_for(self, tier: Tier) -> str:
        """Return the model name used for `tier` ("fast" falls back to the strong model)."""
        return self.fast_model if tier == "fast" and self.fast_model else self.model

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
        """Send `messages` and return the answer text with any reasoning removed.

        Raises LLMUnavailable when the server cannot be used (after retries for transient
        trouble) and LLMBadResponse when it answers with nothing usable.
        """
        model = self.model_for(tier)
        self.last_usage = None
        request: dict[str, Any] = {
            "model": model,
            "messages": fold_system_messages(messages) if self.fold_system else messages,
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if stop:
            request["stop"] = stop
        response = self._send(request, response_format)
        return self._read_answer(response, max_tokens)

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._client.close()

    def __enter__(self) -> OpenAIChatBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, request: dict[str, Any], response_format: dict[str, Any] | None) -> Any:
        attempt = 0
        while True:
            request.pop("response_format", None)
            style = self.response_format_style or "json_schema"
            adapted = adapt_response_format(response_format, style)
            if adapted is not None:
                request["response_format"] = adapted
            try:
                response = self._client.chat.completions.create(**request)
            except openai.APIStatusError as exc:
                if (
                    response_format is not None
                    and not self._style_confirmed
                    and is_format_rejection(exc)
                ):
                    lower = _LOWER_STYLE.get(style)
                    if lower is not None:
                        # many compatible servers reject json_schema: step down, and only a
                        # later success shows the format (not something else) was the problem
                        log.info("%s rejected %s output; trying %s", self.base_url, style, lower)
                        self.response_format_style = lower
                        continue
                    self.response_format_style = None
                wait, reason = self._judge_status_error(exc, request["model"])
                failure: Exception = exc
            except openai.APITimeoutError as exc:
                wait, reason = None, f"no answer from {self.base_url} within {self.timeout:g} s"
                failure = exc
            except openai.APIConnectionError as exc:
                wait, reason = None, f"cannot connect to {self.base_url} ({_cause(exc)})"
                failure = exc
            except openai.APIResponseValidationError as exc:
                raise LLMBadResponse(f"malformed reply from {self.base_url}: {exc}") from exc
            except ValueError as exc:  # a 200 whose body is not JSON
                raise LLMBadResponse(f"unreadable reply from {self.base_url}: {exc}") from exc
            else:
                if response_format is not None:
                    self.response_format_style = style
                    self._style_confirmed = True
                return response
            if attempt >= self.max_retries:
                raise LLMUnavailable(f"{reason}; gave up after {attempt + 1} attempts") from failure
            if wait is None:
                wait = min(self.backoff_max, self.backoff_base * 2**attempt)
                wait *= 0.5 + random.random() / 2  # jitter so parallel callers spread out
            log.warning("%s; retry %d/%d in %.2f s", reason, attempt + 1, self.max_retries, wait)
            time.sleep(wait)
            attempt += 1

    def _judge_status_error(
        self, exc: openai.APIStatusError, model: str
    ) -> tuple[float | None, str]:
        """Return (wait, reason) for a retryable HTTP error; raise for the others."""
        status = exc.status_code
        if status not in _TRANSIENT_STATUSES:
            raise LLMUnavailable(describe_status_error(exc, self.base_url, model)) from exc
        wait = retry_after_seconds(exc.response.headers)
        reason = f"{self.base_url} is busy ({status}{_short_message(exc)})"
        if wait is not None and wait > self.max_retry_after:
            raise LLMUnavailable(
                f"{reason}; it asks to retry after {wait:.0f} s, "
                f"longer than the {self.max_retry_after:.0f} s we wait"
            ) from exc
        return wait, reason

    def _read_answer(self, response: Any, max_tokens: int) -> str:
        choices = getattr(response, "choices", None)
        if not choices:
            raise LLMBadResponse(f"reply from {self.base_url} has no choices")
        choice = choices[0]
        message = getattr(choice, "message", None)
        content = getattr(message, "content", None)
        if not isinstance(content, str):
            refusal = getattr(message, "refusal", None)
            if refusal:
                raise LLMBadResponse(f"the model refused: {refusal}")
            raise LLMBadResponse("the reply has no text content")
        text = strip_reasoning(content)
        if not text:
            if getattr(choice, "finish_reason", None) == "length":
                raise LLMBadResponse(
                    f"the reply was cut off at max_tokens={max_tokens} before any answer "
                    "(still reasoning?)"
                )
            raise LLMBadResponse("the reply is empty")
        usage = getattr(response, "usage", None)
        prompt_tokens = getattr(usage, "prompt_tokens", None)
        completion_tokens = getattr(usage, "completion_tokens", None)
        if isinstance(prompt_tokens, int) and isinstance(completion_tokens, int):
            self.last_usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
            }
            log.debug("%d prompt + %d completion tokens", prompt_tokens, completion_tokens)
        return text


def is_format_rejection(exc: openai.APIStatusError) -> bool:
    """True when an HTTP error may mean the server does not take this response_format."""
    if exc.status_code in (400, 422):
        return True
    # llama-cpp-python's server answers an unknown format type with a 500 that names it
    return exc.status_code >= 500 and "response_format" in _short_message(exc)


def retry_after_seconds(headers: Any) -> float | None:
    """Return the wait a response asks for (retry-after-ms, Retry-After seconds or date)."""
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def describe_status_error(exc: openai.APIStatusError, base_url: str, model: str) -> str:
    """Turn a non-retryable HTTP error into a sentence a person can act on."""
    status = exc.status_code
    detail = _short_message(exc)
    if status == 401:
        return f"{base_url} rejected the API key (401{detail})"
    if status == 403:
        return f"{base_url} refused access (403{detail})"
    if status == 404:
        return f"model {model!r} or the chat endpoint was not found at {base_url} (404{detail})"
    if status == 413:
        return f"the request is too large for {base_url} (413{detail})"
    return f"{base_url} rejected the request ({status}{detail})"


def _short_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    message = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = str(inner.get("message", "")) if isinstance(inner, dict) else str(inner)
    elif isinstance(body, str):
        message = body
    message = " ".join(message.split())[:200]
    return f": {message}" if message else ""


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    return f"{type(cause).__name__}: {cause}" if cause else str(exc)
