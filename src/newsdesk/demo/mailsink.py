"""A local SMTP sink for the demo: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps each
message it receives as an .eml file, so the demo's mail can be opened in any mail program."""

from __future__ import annotations

import re
import socket
import threading
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class _SaveHandler:
    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox
        self.count = len(list(outbox.glob("*.eml")))
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data: bytes = envelope.original_content or envelope.content
        msg = message_from_bytes(data, policy=default_policy)
        to = re.sub(r"[^A-Za-z0-9@._-]+", "_", str(msg.get("To", "unknown")))[:60]
        with self.lock:
            self.count += 1
            name = f"{self.count:04d}-{to}.eml"
        (self.outbox / name).write_bytes(data)
        return "250 Message accepted for delivery"


class MailSink:
    """`with MailSink(folder) as sink:` serves SMTP on sink.url; messages land in folder."""

    def __init__(self, outbox: Path, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.outbox = outbox
        outbox.mkdir(parents=True, exist_ok=True)
        self.host = host
        self.port = port or free_port(host)
        self.controller = Controller(_SaveHandler(outbox), hostname=host, port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> MailSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
        # aiosmtpd leaves its private event loop (and its sockets) open
        self.controller.loop.close()

    def messages(self) -> list[Path]:
        """The .eml files received so far, oldest first."""
        return sorted(self.outbox.glob("*.eml"))

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
