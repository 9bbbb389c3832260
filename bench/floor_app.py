"""The floor: a minimal ASGI relay without Django, for comparison with Mend.

GET /stream?space=N holds an SSE stream; POST /send?space=N publishes one event
through the same broker (PostgreSQL NOTIFY or Redis) and the same per-process Hub
Mend uses. Run under granian exactly as `mend serve` runs Mend.

With FLOOR_DURABLE=1 it also does the least any correct server must do before it
tells anyone: find the sender's token and space in Mend's own tables (one query),
and keep the event as a row in Mend's event table, committed durably, in the same
transaction as the NOTIFY (or before the Redis publish). Raw psycopg, no Django.
"""

import asyncio
import hashlib
import json
import os
from typing import Any
from urllib.parse import parse_qs

from mend.lib.broker import (
    CHANNEL,
    HEARTBEAT,
    Hub,
    RedisPublisher,
    postgres_listener,
    redis_listener,
)

DSN = os.environ.get("FLOOR_DSN", "")
REDIS_URL = os.environ.get("MEND_REDIS_URL", "")
hub = Hub(redis_listener(REDIS_URL) if REDIS_URL else postgres_listener(DSN))
publisher = RedisPublisher(REDIS_URL) if REDIS_URL else None
DURABLE = os.environ.get("FLOOR_DURABLE") == "1"
_conn: Any = None
_lock = asyncio.Lock()
_counter = 0

WHO = """
SELECT t.user_id FROM accounts_apitoken t
JOIN couples_membership m ON m.user_id = t.user_id
WHERE t.token_hash = %s AND m.space_id = %s
"""
KEEP = """
INSERT INTO live_event (code, space_id, type, subject, change, actor_id, created_at)
VALUES (gen_random_uuid(), %s, 'signal', gen_random_uuid(), 'pause', %s, now())
RETURNING id
"""


async def _connection() -> Any:
    global _conn
    import psycopg

    if _conn is None or _conn.closed:
        _conn = await psycopg.AsyncConnection.connect(DSN, autocommit=True)
    return _conn


async def _publish(message: str) -> None:
    if publisher is not None:
        publisher(message)
        return
    await (await _connection()).execute("SELECT pg_notify(%s, %s)", [CHANNEL, message])


async def _keep_and_publish(space: int, token: str) -> bool:
    """Check the token, keep the event durably, publish it: False if refused."""
    async with _lock:  # one connection per process: one transaction at a time
        conn = await _connection()
        async with conn.transaction():
            row = await (await conn.execute(WHO, [hash_token(token), space])).fetchone()
            if row is None:
                return False
            (event_id,) = await (await conn.execute(KEEP, [space, row[0]])).fetchone()
            wire = {"id": event_id, "type": "signal", "code": "x", "change": "pause"}
            message = f"{space} {json.dumps(wire)}"
            if publisher is None:
                await conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, message])
    if publisher is not None:
        publisher(message)
    return True


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _counter
    if scope["type"] != "http":
        return
    query = parse_qs(scope["query_string"].decode())
    space = int(query.get("space", ["0"])[0])
    if scope["path"] == "/send":
        while (await receive()).get("more_body"):
            pass
        status = 201
        if DURABLE:
            headers = dict(scope["headers"])
            token = headers.get(b"authorization", b"").decode().removeprefix("Bearer ")
            if not await _keep_and_publish(space, token):
                status = 403
        else:
            _counter += 1
            wire = {"id": _counter, "type": "signal", "code": "x", "change": "pause"}
            await _publish(f"{space} {json.dumps(wire)}")
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})
        return
    queue = await hub.subscribe(space)
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        hello = b'id: 0\ndata: {"type":"hello"}\n\n'
        await send({"type": "http.response.body", "body": hello, "more_body": True})
        while True:
            data = await queue.get()
            if data is HEARTBEAT:
                frame = b": still here\n\n"
            else:
                wire = json.loads(data)
                out = {"type": wire["type"], "code": wire["code"], "change": "pause"}
                frame = f"id: {wire['id']}\ndata: {json.dumps(out)}\n\n".encode()
            await send({"type": "http.response.body", "body": frame, "more_body": True})
    finally:
        hub.unsubscribe(space, queue)
