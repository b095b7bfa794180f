"""What every chat backend offers: one `complete` call and two readable failure kinds."""

from __future__ import annotations

from typing import Any, Literal, Protocol

Tier = Literal["strong", "fast"]
Message = dict[str, str]


def adapt_response_format(
    response_format: dict[str, Any] | None, style: str
) -> dict[str, Any] | None:
    """Rewrite an OpenAI json_schema response_format into the form a server accepts."""
    if response_format is None or style == "none":
        return None
    if style == "json_object" and response_format.get("type") == "json_schema":
        schema = response_format.get("json_schema", {}).get("schema")
        return {"type": "json_object", "schema": schema} if schema else {"type": "json_object"}
    return response_format


def fold_system_messages(messages: list[Message]) -> list[Message]:
    """Move system text into the first user turn, for chat templates without a system role."""
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    rest = [dict(m) for m in messages if m["role"] != "system"]
    if not system:
        return rest
    for message in rest:
        if message["role"] == "user":
            message["content"] = f"{system}\n\n{message['content']}"
            return rest
    return [{"role": "user", "content": system}, *rest]


class LLMError(Exception):
    """A chat backend could not give a usable answer; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LLMUnavailable(LLMError):
    """The model could not be reached or refused the request (network, auth, limits, timeouts)."""


class LLMBadResponse(LLMError):
    """The model answered, but nothing usable came back (empty, malformed or invalid)."""


class LLMExtraMissing(LLMUnavailable):
    """An optional dependency of a backend is not installed."""


class ChatBackend(Protocol):
    """A chat model: messages in, text out (reasoning removed)."""

    model: str

    def model_for(self, tier: Tier) -> str: ...

    def complete(
        self,
        messages: list[Message],
        *,
        tier: Tier = "strong",
        max_tokens: int,
        temperature: float = 0.2,
        stop: list[str] | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> str: ...
