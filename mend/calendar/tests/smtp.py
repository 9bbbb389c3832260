"""A real SMTP server (aiosmtpd) for tests, keeping what arrives."""

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Set to N: the Nth recipient waits at RCPT (before any DATA) until released.
    hold_at: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    recipients: int = 0
    # Seconds each message takes to be accepted, so two senders overlap.
    delay: float = 0.0

    async def handle_RCPT(  # noqa: N802  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        with self.lock:
            self.recipients += 1
            hold = self.recipients == self.hold_at
        if hold:
            self.held.set()
            await server.loop.run_in_executor(None, self.release.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def to(self) -> list[str]:
        with self.lock:
            return sorted(str(m["To"]) for m in self.messages)


@contextmanager
def smtp_server(inbox: Inbox | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = inbox or Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()
