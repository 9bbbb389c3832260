"""The floor: a minimal ASGI relay without Django, for comparison with Mend.

GET /stream?space=N holds an SSE stream; POST /send?space=N publishes one event
through the same broker (PostgreSQL NOTIFY or Redis) and the same per-process Hub
Mend uses. Run under granian exactly as `mend serve` runs Mend.
"""

import json
import os
from typing import Any
from urllib.parse import parse_qs

from mend.safety.broker import (
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
_conn: Any = None
_counter = 0


async def _publish(message: str) -> None:
    global _conn
    if publisher is not None:
        publisher(message)
        return
    import psycopg

    if _conn is None or _conn.closed:
        _conn = await psycopg.AsyncConnection.connect(DSN, autocommit=True)
    await _conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, message])


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _counter
    if scope["type"] != "http":
        return
    query = parse_qs(scope["query_string"].decode())
    space = int(query.get("space", ["0"])[0])
    if scope["path"] == "/send":
        while (await receive()).get("more_body"):
            pass
        _counter += 1
        wire = {"id": _counter, "type": "signal", "code": "x", "change": "pause"}
        await _publish(f"{space} {json.dumps(wire)}")
        await send({"type": "http.response.start", "status": 201, "headers": []})
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
