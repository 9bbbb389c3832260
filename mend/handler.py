"""Mend's ASGI handler: Django's, with each plain request served in one thread hop.

Django's ASGIHandler gives each request a fresh thread, so each request opened a new
database connection (about 15 ms with PostgreSQL here) and the kept ones piled up
until PostgreSQL refused clients (bench/README.md). Here sync code runs on one of a
few long-lived threads (MEND_THREADS, default 2), each reusing its connection as a
WSGI worker thread would.

And a sync view served the async way crosses between the event loop and a thread
four or five times (request_started, the middleware chain, response.close and
request_finished, each its own hop), and each crossing waits its turn for the GIL
with the loop that is delivering live signals. So every request whose view is sync
(all but the live stream) runs start to finish in ONE hop, as under WSGI: the same
middleware, the same signals, in the same order; only the live stream, an async
view, takes Django's own async path.
"""

import asyncio
import contextlib
import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import IO, Any

from asgiref.sync import ThreadSensitiveContext, iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import HttpResponseBase
from django.urls import Resolver404, get_resolver, set_script_prefix

from mend.accounts import budget


@lru_cache(maxsize=1024)
def _is_async_view(path: str) -> bool:
    # Bounded: paths carry codes, so a visitor could otherwise grow it at will.
    try:
        match = get_resolver().resolve(path)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


@lru_cache(maxsize=1024)
def _is_heavy(method: str, path: str) -> bool:
    return budget.is_heavy(method, path)


def _lower_priority() -> None:
    """Let this thread (and the Argon2 lanes it starts) use only CPU nobody else wants.

    On Linux a thread's nice value is its own and threads it starts inherit it; so key
    derivations yield the cores to pages and pauses. Elsewhere it is a no-op.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class Handler(ASGIHandler):
    def __init__(self, threads: int) -> None:
        super().__init__()
        self.threads = [ThreadPoolExecutor(max_workers=1) for _ in range(threads)]
        self.executors = itertools.cycle(self.threads)
        # The same middleware, chained for calling from one thread.
        self.sync_handler = BaseHandler()
        self.sync_handler.load_middleware(is_async=False)
        # Key derivations before sign-in (accounts/budget.py) run only on these, one
        # request per thread; waiting for one holds no thread, only a place in line.
        self.heavy_threads = [
            ThreadPoolExecutor(max_workers=1, initializer=_lower_priority)
            for _ in range(settings.KDF_CONCURRENCY)
        ]
        self.idle_heavy: asyncio.Queue[ThreadPoolExecutor] | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            # Django refuses anything else with a clear error; keep its wording.
            await super().__call__(scope, receive, send)
            return
        if _is_heavy(scope["method"], scope["path"]):
            await self.handle_heavy(scope, receive, send)
            return
        async with ThreadSensitiveContext(executor=next(self.executors)):
            if _is_async_view(scope["path"]):
                await self.handle(scope, receive, send)
            else:
                await self.handle_in_one_hop(scope, receive, send)

    async def handle_heavy(
        self, scope: dict[str, Any], receive: Any, send: Any
    ) -> None:
        if self.idle_heavy is None:
            # Made here, on the loop that serves it.
            self.idle_heavy = asyncio.Queue()
            for thread in self.heavy_threads:
                self.idle_heavy.put_nowait(thread)
        try:
            thread = await asyncio.wait_for(
                self.idle_heavy.get(), settings.KDF_WAIT_SECONDS
            )
        except TimeoutError:
            # Answered "busy" at once by the view (budget.heavy), on a general thread.
            async with ThreadSensitiveContext(executor=next(self.executors)):
                await self.handle_in_one_hop(
                    {**scope, budget.BUSY_SCOPE_KEY: True}, receive, send
                )
            return
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle_in_one_hop(scope, receive, send)
        finally:
            self.idle_heavy.put_nowait(thread)

    async def handle_in_one_hop(
        self, scope: dict[str, Any], receive: Any, send: Any
    ) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await sync_to_async(self.respond)(scope, body_file)
            try:
                await self.send_response(response, send)
            finally:
                if response.streaming:
                    # A file being streamed is closed (and request_finished sent)
                    # only once it is sent, as Django does.
                    await sync_to_async(response.close)()
        finally:
            # As Django's handle() does: a large body spills into a temporary file.
            body_file.close()

    def respond(self, scope: dict[str, Any], body_file: IO[bytes]) -> HttpResponseBase:
        """What ASGIHandler.handle does, in order, but on this thread throughout."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=ASGIHandler, scope=scope)
        request, error = self.create_request(scope, body_file)
        if request is None:
            assert error is not None  # Django answers a request it can't read
            response: HttpResponseBase = error
        else:
            response = self.sync_handler.get_response(request)
        if not response.streaming:
            # The body is in memory: close now (request_finished, connections
            # tidied) on this thread rather than in one more hop after sending.
            response.close()
        return response
