"""A real OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script (for tests)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted response: a chat answer, an HTTP error, or a raw body, maybe delayed."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: bytes | None = None
    delay: float = 0.0
    finish_reason: str = "stop"


def answer(content: str | None, finish_reason: str = "stop", delay: float = 0.0) -> Step:
    """A 200 chat completion whose message content is `content`."""
    return Step(content=content, finish_reason=finish_reason, delay=delay)


def failure(status: int, message: str = "", headers: dict[str, str] | None = None) -> Step:
    """An HTTP error with an OpenAI-style error body."""
    body = json.dumps({"error": {"message": message, "type": "test", "code": status}}).encode()
    return Step(status=status, headers=headers or {}, raw_body=body)


@dataclass
class Recorded:
    """A request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class ScriptedLLMServer:
    """Serves /v1/chat/completions from a queue of Steps and records every request."""

    def __init__(
        self,
        model: str = "scripted-model",
        response_formats: tuple[str, ...] = ("json_schema", "json_object"),
        format_error_status: int = 422,
    ) -> None:
        self.model = model
        self.response_formats = response_formats  # the structured-output types it accepts
        self.format_error_status = format_error_status  # how it refuses the others
        self.script: deque[Step] = deque()
        self.requests: list[Recorded] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    body = {"object": "list", "data": [{"id": server.model, "object": "model"}]}
                    self._send(200, json.dumps(body).encode(), {})
                else:
                    self._send(404, b'{"error": {"message": "not found"}}', {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                server.requests.append(Recorded(self.path, dict(self.headers.items()), body))
                if self.path != "/v1/chat/completions":
                    self._send(404, b'{"error": {"message": "no such endpoint"}}', {})
                    return
                fmt = body.get("response_format")
                if fmt is not None and fmt.get("type") not in server.response_formats:
                    step = failure(
                        server.format_error_status,
                        f"body.response_format.type: {fmt.get('type')!r} is not supported",
                    )
                elif server.script:
                    step = server.script.popleft()
                else:
                    step = failure(400, "the test script has no answer left")
                if step.delay:
                    time.sleep(step.delay)
                payload = step.raw_body
                if payload is None:
                    payload = json.dumps(server.completion(body, step)).encode()
                self._send(step.status, payload, step.headers)

            def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def completion(self, request: dict[str, Any], step: Step) -> dict[str, Any]:
        """An OpenAI chat.completion object carrying the step's content."""
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": step.content},
                    "finish_reason": step.finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }

    def push(self, *steps: Step) -> None:
        """Queue the next responses."""
        self.script.extend(steps)

    def start(self) -> ScriptedLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
