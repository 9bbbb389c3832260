"""Live signals cross worker processes: two granian workers, PostgreSQL LISTEN/NOTIFY."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import ROOT, MendServer, server_env

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_is_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


SETUP = """
import json, django
django.setup()
from conftest import make_person, make_couple
from mend.accounts.models import ApiToken
ana, ben = make_person("ana", "Ana"), make_person("ben", "Ben")
make_couple(ana, ben)
print(json.dumps([ApiToken.issue(u, "test")[1] for u in (ana, ben)]))
"""


def _workers(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def _owner_of_connection(server_port: int, client_port: int, pids: list[int]) -> int:
    """Return which of PIDS holds the server end of the connection from CLIENT_PORT."""
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if (
            int(local.split(":")[1], 16) == server_port
            and int(remote.split(":")[1], 16) == client_port
        ):
            inode = fields[9]
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no worker holds the connection from port {client_port}")


async def _open(
    port: int, token: str, last_event_id: str = ""
) -> tuple[asyncio.StreamReader, Any, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    resume = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id else ""
    writer.write(
        (
            "GET /live/stream/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n"
            f"{resume}\r\n"
        ).encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    assert b" 200 " in head.split(b"\r\n")[0], head
    return reader, writer, writer.get_extra_info("sockname")[1]


async def _next_data(reader: asyncio.StreamReader) -> dict[str, Any]:
    """Return the next event's data, with its id, from a chunked SSE response."""
    event_id = ""
    while True:
        line = await reader.readline()
        if line.startswith(b"id: "):
            event_id = line[4:].strip().decode()
        if line.startswith(b"data: "):
            return dict(json.loads(line[6:])) | {"id": event_id}


async def _send_pause(port: int, token: str, kind: str = "pause") -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = json.dumps({"kind": kind, "minutes": 20}).encode()
    writer.write(
        (
            "POST /api/safety/signals HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body
    )
    await writer.drain()
    assert b" 201 " in (await reader.readline())
    writer.close()


@pytest.mark.skipif(
    not os.environ.get("MEND_DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (set MEND_DATABASE_URL); CI runs it there",
)
def test_it_reaches_listeners_on_every_worker_through_postgres(tmp_path: Path) -> None:
    _run(server_env(tmp_path, "mend_safety_cross_process"))


def test_it_reaches_listeners_on_every_worker_through_redis(tmp_path: Path) -> None:
    if not _redis_is_up():
        pytest.skip(f"needs Redis at {REDIS_URL}")
    _run(server_env(tmp_path, "mend_safety_cross_redis", MEND_REDIS_URL=REDIS_URL))


def _run(env: dict[str, str]) -> None:
    tokens = json.loads(
        subprocess.run(  # noqa: S603  # our own interpreter and script
            [sys.executable, "-c", SETUP],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    server = MendServer(env, workers=2)
    try:
        asyncio.run(_check(server, tokens))
    finally:
        server.stop()


async def _check(server: MendServer, tokens: list[str]) -> None:
    ana, ben = tokens
    streams = [await _open(server.port, ben) for _ in range(16)]
    for reader, _writer, _port in streams:
        assert (await asyncio.wait_for(_next_data(reader), 10))["type"] == "hello"
    workers = _workers(server.proc.pid)
    holders = {_owner_of_connection(server.port, p, workers) for _r, _w, p in streams}
    assert len(holders) == 2, "both workers should hold some of the streams"

    await _send_pause(server.port, ana)

    received = await asyncio.wait_for(
        asyncio.gather(*(_next_data(r) for r, _w, _p in streams)), 10
    )
    assert all(e["type"] == "signal" and e["change"] == "pause" for e in received)
    for _r, w, _p in streams:
        w.close()

    # A page that lost its stream gets what was sent meanwhile when it reconnects.
    await _send_pause(server.port, ana, kind="slow")
    await _send_pause(server.port, ana, kind="stop")
    reader, writer, _port = await _open(server.port, ben, received[0]["id"])
    hello, *missed = [await asyncio.wait_for(_next_data(reader), 10) for _ in range(3)]
    assert hello["type"] == "hello"
    assert [e["change"] for e in missed] == ["slow", "stop"]
    writer.close()
