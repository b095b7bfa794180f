"""OpenAIChatBackend through real HTTP against a scripted OpenAI-compatible server."""

from __future__ import annotations

import email.utils
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsdesk.llm import (
    LlamaCppBackend,
    LLMBadResponse,
    LLMExtraMissing,
    LLMUnavailable,
    OpenAIChatBackend,
    fold_system_messages,
    strip_reasoning,
)
from newsdesk.llm.base import adapt_response_format
from newsdesk.llm.client import retry_after_seconds
from tests.llm_server import ScriptedLLMServer, Step, answer, failure

HELLO = [{"role": "user", "content": "Say hello."}]

_OPENED: list[OpenAIChatBackend] = []


@pytest.fixture(autouse=True)
def _close_backends() -> Iterator[None]:
    """Close every backend a test opened, so no socket outlives its test."""
    yield
    while _OPENED:
        _OPENED.pop().close()


@pytest.fixture
def llm_server() -> Iterator[ScriptedLLMServer]:
    """A scripted OpenAI-compatible server on 127.0.0.1."""
    srv = ScriptedLLMServer().start()
    try:
        yield srv
    finally:
        srv.stop()


def make_backend(
    srv: ScriptedLLMServer,
    *,
    timeout: float = 5.0,
    max_retries: int = 2,
    fast_model: str | None = None,
) -> OpenAIChatBackend:
    backend = OpenAIChatBackend(
        srv.base_url,
        "strong-model",
        fast_model=fast_model,
        timeout=timeout,
        max_retries=max_retries,
        backoff_base=0.01,
    )
    _OPENED.append(backend)
    return backend


def test_complete_sends_a_full_request_and_returns_the_text(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(answer("Hello there."))
    with make_backend(llm_server, fast_model="fast-model") as backend:
        text = backend.complete(HELLO, max_tokens=32, temperature=0.0, stop=["\n\n"])
    assert text == "Hello there."
    (req,) = llm_server.requests
    assert req.path == "/v1/chat/completions"
    assert req.body["model"] == "strong-model"
    assert req.body["messages"] == HELLO
    assert req.body["max_tokens"] == 32
    assert req.body["temperature"] == 0.0
    assert req.body["stop"] == ["\n\n"]
    assert "response_format" not in req.body
    assert req.headers["Authorization"] == "Bearer not-needed"


def test_fold_system_moves_the_rules_into_the_first_user_turn(
    llm_server: ScriptedLLMServer,
) -> None:
    llm_server.push(answer("ok"))
    backend = make_backend(llm_server)
    backend.fold_system = True
    messages = [{"role": "system", "content": "RULES"}, *HELLO]
    backend.complete(messages, max_tokens=8)
    sent = llm_server.requests[0].body["messages"]
    assert sent == [{"role": "user", "content": "RULES\n\nSay hello."}]
    assert messages[1] == HELLO[0]  # the caller's list is untouched
    assert backend.last_usage == {"prompt_tokens": 10, "completion_tokens": 5}


def test_fold_system_messages_without_a_user_turn() -> None:
    folded = fold_system_messages([{"role": "system", "content": "a"}])
    assert folded == [{"role": "user", "content": "a"}]
    assert fold_system_messages(HELLO) == HELLO


def test_tiers_choose_the_model(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(answer("a"), answer("b"), answer("c"))
    backend = make_backend(llm_server, fast_model="fast-model")
    backend.complete(HELLO, tier="fast", max_tokens=8)
    backend.complete(HELLO, tier="strong", max_tokens=8)
    make_backend(llm_server).complete(HELLO, tier="fast", max_tokens=8)
    models = [r.body["model"] for r in llm_server.requests]
    assert models == ["fast-model", "strong-model", "strong-model"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<think>plan the answer</think>The answer.", "The answer."),
        ("<reasoning>\nstep 1\nstep 2\n</reasoning>\n\nFinal.", "Final."),
        ("<THINK>a</THINK> one <thinking>b</thinking> two", "one  two"),
        ("<think>cut off while still thinking", ""),
        ("template opened the tag</think>Visible.", "Visible."),
        ("No reasoning at all.", "No reasoning at all."),
        ("x < y and y > z", "x < y and y > z"),
    ],
)
def test_strip_reasoning(raw: str, clean: str) -> None:
    assert strip_reasoning(raw) == clean


def test_reasoning_is_stripped_from_replies(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(answer("<think>secret plan</think>\nPublic answer."))
    assert make_backend(llm_server).complete(HELLO, max_tokens=64) == "Public answer."


def test_reply_cut_off_inside_reasoning_is_a_bad_response(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(answer("<think>still going and going", finish_reason="length"))
    with pytest.raises(LLMBadResponse, match="cut off at max_tokens=16"):
        make_backend(llm_server).complete(HELLO, max_tokens=16)


def test_rate_limit_honours_retry_after(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(failure(429, "slow down", {"Retry-After": "1"}), answer("ok"))
    started = time.monotonic()
    assert make_backend(llm_server).complete(HELLO, max_tokens=8) == "ok"
    assert time.monotonic() - started >= 0.95
    assert len(llm_server.requests) == 2


def test_busy_server_honours_retry_after_ms(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(failure(503, "loading model", {"retry-after-ms": "300"}), answer("ok"))
    started = time.monotonic()
    assert make_backend(llm_server).complete(HELLO, max_tokens=8) == "ok"
    assert 0.29 <= time.monotonic() - started < 3


def test_too_long_retry_after_fails_at_once(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(failure(429, "quota", {"Retry-After": "3600"}))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="retry after 3600 s") as info:
        make_backend(llm_server).complete(HELLO, max_tokens=8)
    assert "quota" in info.value.reason
    assert time.monotonic() - started < 2
    assert len(llm_server.requests) == 1


def test_transient_errors_are_retried_then_reported(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(*(failure(500, "boom") for _ in range(3)))
    with pytest.raises(LLMUnavailable, match=r"busy \(500: boom\); gave up after 3 attempts"):
        make_backend(llm_server, max_retries=2).complete(HELLO, max_tokens=8)
    assert len(llm_server.requests) == 3


def test_transient_error_then_success(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(failure(502, "bad gateway"), answer("recovered"))
    assert make_backend(llm_server).complete(HELLO, max_tokens=8) == "recovered"


def test_timeout_is_reported(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(answer("late", delay=1.5), answer("late", delay=1.5))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match=r"no answer from .* within 0.3 s"):
        make_backend(llm_server, timeout=0.3, max_retries=1).complete(HELLO, max_tokens=8)
    assert time.monotonic() - started < 1.5


def test_unreachable_server_is_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = OpenAIChatBackend(
        f"http://127.0.0.1:{port}/v1", "m", max_retries=1, backoff_base=0.01, timeout=2
    )
    with backend, pytest.raises(LLMUnavailable, match=r"cannot connect to http://127\.0\.0\.1"):
        backend.complete(HELLO, max_tokens=8)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (401, "rejected the API key"),
        (403, "refused access"),
        (404, "model 'strong-model' or the chat endpoint was not found"),
    ],
)
def test_permanent_errors_are_not_retried(
    llm_server: ScriptedLLMServer, status: int, words: str
) -> None:
    llm_server.push(failure(status, "nope"))
    with pytest.raises(LLMUnavailable, match=words):
        make_backend(llm_server).complete(HELLO, max_tokens=8)
    assert len(llm_server.requests) == 1


SCHEMA_FORMAT = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}


def test_response_format_is_sent_when_accepted(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(answer('{"a": 1}'))
    backend = make_backend(llm_server)
    assert backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT) == '{"a": 1}'
    assert llm_server.requests[0].body["response_format"] == SCHEMA_FORMAT
    assert backend.response_format_style == "json_schema"


def test_json_object_servers_get_the_schema_their_way() -> None:
    srv = ScriptedLLMServer(response_formats=("json_object",)).start()  # like llama-cpp-python
    try:
        srv.push(answer("first"), answer("second"))
        backend = make_backend(srv)
        assert backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT) == "first"
        assert backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT) == "second"
        sent = [r.body["response_format"]["type"] for r in srv.requests]
        assert sent == ["json_schema", "json_object", "json_object"]
        assert srv.requests[-1].body["response_format"]["schema"] == {"type": "object"}
        assert backend.response_format_style == "json_object"
    finally:
        srv.stop()


def test_a_500_naming_response_format_is_a_format_refusal() -> None:
    srv = ScriptedLLMServer(response_formats=("json_object",), format_error_status=500).start()
    try:
        srv.push(answer("ok"))
        backend = make_backend(srv, max_retries=0)
        assert backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT) == "ok"
        assert backend.response_format_style == "json_object"
    finally:
        srv.stop()


def test_servers_without_structured_output_get_plain_requests() -> None:
    srv = ScriptedLLMServer(response_formats=()).start()
    try:
        srv.push(answer("first"), answer("second"))
        backend = make_backend(srv)
        assert backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT) == "first"
        assert backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT) == "second"
        sent = [r.body.get("response_format", {}).get("type") for r in srv.requests]
        assert sent == ["json_schema", "json_object", None, None]
        assert backend.response_format_style == "none"
    finally:
        srv.stop()


def test_other_bad_requests_keep_the_format_undecided(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(*(failure(400, "context too long") for _ in range(3)))
    backend = make_backend(llm_server)
    with pytest.raises(LLMUnavailable, match=r"rejected the request \(400: context too long\)"):
        backend.complete(HELLO, max_tokens=8, response_format=SCHEMA_FORMAT)
    assert len(llm_server.requests) == 3
    assert backend.response_format_style is None


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (Step(raw_body=b"<html>not json</html>"), "unreadable reply|malformed reply|no choices"),
        (Step(raw_body=b'{"object": "chat.completion", "choices": []}'), "no choices"),
        (answer(None), "no text content"),
        (answer("   "), "the reply is empty"),
    ],
)
def test_unusable_replies_are_bad_responses(
    llm_server: ScriptedLLMServer, step: Step, words: str
) -> None:
    llm_server.push(step)
    with pytest.raises(LLMBadResponse, match=words):
        make_backend(llm_server).complete(HELLO, max_tokens=8)


def test_retry_after_forms() -> None:
    assert retry_after_seconds(httpx.Headers({"retry-after": "7"})) == 7.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(httpx.Headers({})) is None
    assert retry_after_seconds(httpx.Headers({"retry-after": "soon"})) is None
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    wait = retry_after_seconds(httpx.Headers({"retry-after": when}))
    assert wait is not None and 25 <= wait <= 31


def test_local_backend_without_the_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # what an absent package looks like
    with pytest.raises(LLMExtraMissing, match=r"llama-cpp-python is not installed.*llm-extra\.sh"):
        LlamaCppBackend(tmp_path / "model.gguf")


def test_json_schema_format_is_adapted() -> None:
    schema = {"type": "object"}
    fmt = {"type": "json_schema", "json_schema": {"name": "a", "schema": schema}}
    assert adapt_response_format(fmt, "json_schema") == fmt
    assert adapt_response_format(fmt, "json_object") == {"type": "json_object", "schema": schema}
    assert adapt_response_format(fmt, "none") is None
    assert adapt_response_format(None, "json_schema") is None
