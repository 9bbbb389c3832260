"""Fan live events out to every open stream, across worker processes.

Each worker process holds ONE subscription to the broker (PostgreSQL LISTEN, Redis
SUBSCRIBE, or nothing when a single process publishes to itself) and dispatches each
message to the asyncio queues of the streams open in that process, keyed by space.
One subscription per listener was far slower at load (see bench/README.md).

Messages are "<space id> <json>", the json being live Event.wire(): ids and codes
only; or "u<user id> check", which wakes that person's streams to check at once that
what let them in (a session, a token) is still there, because it just ended.
The Hub and listeners import no Django so the benchmark's floor app can use them;
publishing lives here too (below accounts) so signing out can wake its streams.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable, Coroutine
from functools import cache, partial
from typing import Any

log = logging.getLogger(__name__)

CHANNEL = "mend_live"
HEARTBEAT = "heartbeat"
# Put on a person's queues when one of their sessions or tokens ended.
CHECK = "check"
HEARTBEAT_SECONDS = 15.0
RETRY_SECONDS = 1.0


def _drop(
    index: defaultdict[int, set["asyncio.Queue[str]"]],
    key: int,
    queue: "asyncio.Queue[str]",
) -> None:
    queues = index.get(key)
    if queues is not None:
        queues.discard(queue)
        if not queues:
            del index[key]


class Hub:
    """This process's open streams, by space, and its one broker subscription."""

    def __init__(
        self,
        listen: Callable[["Hub"], Coroutine[Any, Any, None]] | None = None,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.listen = listen
        self.heartbeat_seconds = heartbeat_seconds
        self.queues: defaultdict[int, set[asyncio.Queue[str]]] = defaultdict(set)
        self.by_user: defaultdict[int, set[asyncio.Queue[str]]] = defaultdict(set)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self.ready = asyncio.Event()

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        # A new loop (tests run one per case): forget queues bound to the old one.
        self.loop = loop
        self.queues.clear()
        self.by_user.clear()
        self.ready = asyncio.Event()
        self.tasks = [loop.create_task(self._heartbeat())]
        if self.listen is None:
            self.ready.set()
        else:
            self.tasks.append(loop.create_task(self._listen_forever()))

    async def _listen_forever(self) -> None:
        assert self.listen is not None
        while True:
            try:
                await self.listen(self)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Streams stay open; pages that miss something catch up from the
                # database when they reconnect, so a broker hiccup loses nothing.
                log.exception("live broker connection lost; retrying")
            self.ready.clear()
            await asyncio.sleep(RETRY_SECONDS)

    async def _heartbeat(self) -> None:
        # One timer for the whole process rather than one per stream.
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            for queues in list(self.queues.values()):
                for queue in queues:
                    queue.put_nowait(HEARTBEAT)

    async def subscribe(
        self, space_id: int, user_id: int | None = None
    ) -> "asyncio.Queue[str]":
        """Return a queue that gets every message for SPACE_ID from now on.

        With USER_ID it also gets CHECK when one of that person's sessions ends.
        """
        self._start()
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.queues[space_id].add(queue)
        if user_id is not None:
            self.by_user[user_id].add(queue)
        # Wait (briefly) until the broker listens, so nothing sent after this
        # returns can slip past; a reconnecting page's replay covers the rest.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ready.wait(), 5)
        return queue

    def unsubscribe(
        self, space_id: int, queue: "asyncio.Queue[str]", user_id: int | None = None
    ) -> None:
        _drop(self.queues, space_id, queue)
        if user_id is not None:
            _drop(self.by_user, user_id, queue)

    def dispatch(self, message: str) -> None:
        """Hand MESSAGE to this process's streams for its space (in the loop)."""
        space, _, data = message.partition(" ")
        try:
            if space.startswith("u"):
                queues = self.by_user.get(int(space[1:]))
                data = CHECK
            else:
                queues = self.queues.get(int(space))
        except ValueError:
            return
        if queues:
            for queue in queues:
                queue.put_nowait(data)

    def dispatch_threadsafe(self, message: str) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.dispatch, message)


def postgres_listener(dsn: str) -> Callable[[Hub], Coroutine[Any, Any, None]]:
    async def listen(hub: Hub) -> None:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
        async with conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            hub.ready.set()
            async for notify in conn.notifies():
                hub.dispatch(notify.payload)

    return listen


def redis_listener(url: str) -> Callable[[Hub], Coroutine[Any, Any, None]]:
    async def listen(hub: Hub) -> None:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(url)
        try:
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            await pubsub.subscribe(CHANNEL)
            hub.ready.set()
            async for message in pubsub.listen():
                if message["type"] == "message":
                    hub.dispatch(message["data"].decode())
        finally:
            await client.aclose()

    return listen


class RedisPublisher:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    def __call__(self, message: str) -> None:
        self.client.publish(CHANNEL, message)


# Publishing, for the Django processes (the floor app publishes by itself).


def _postgres_dsn() -> str:
    from django.db import connection
    from psycopg.conninfo import make_conninfo

    # The connection's own settings: under tests they name the test database.
    db = connection.settings_dict
    return make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=str(db["PORT"]) if db.get("PORT") else None,
    )


def broker_kind() -> str:
    """Return which broker carries events between processes: redis, postgres or local."""
    from django.conf import settings
    from django.db import connection

    if settings.REDIS_URL:
        return "redis"
    if connection.vendor == "postgresql":
        return "postgres"
    return "local"


@cache
def hub() -> Hub:
    """Return this process's one Hub."""
    from django.conf import settings

    kind = broker_kind()
    if kind == "redis":
        return Hub(redis_listener(settings.REDIS_URL))
    if kind == "postgres":
        return Hub(postgres_listener(_postgres_dsn()))
    return Hub()


@cache
def _redis_publisher() -> RedisPublisher:
    from django.conf import settings

    return RedisPublisher(settings.REDIS_URL)


def publish_on_commit(message: str) -> None:
    """Send MESSAGE to every process's streams once the transaction commits."""
    from django.db import connection, transaction

    kind = broker_kind()
    if kind == "postgres":
        # NOTIFY is transactional: PostgreSQL delivers it at COMMIT, never before and
        # never after a rollback, so it can go now and save a round trip after.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, message])
    elif kind == "redis":
        transaction.on_commit(partial(_redis_publisher(), message))
    else:
        transaction.on_commit(partial(hub().dispatch_threadsafe, message))


def wake_streams_of(user_id: int) -> None:
    """Have USER_ID's open streams check now that they may stay open.

    Called wherever a session or token ends, so a signed-out stream ends at once
    rather than at the next heartbeat (which checks too, for sessions that expire).
    """
    publish_on_commit(f"u{user_id} {CHECK}")
