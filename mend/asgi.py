import gc
import itertools
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import django
from asgiref.sync import ThreadSensitiveContext
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")


class Handler(ASGIHandler):
    """Django's ASGI handler, running sync code on a few long-lived threads.

    Django's own handler gives each request a fresh thread, so each request opened
    a new database connection (about 15 ms with PostgreSQL here) and the kept ones
    piled up until PostgreSQL refused clients (bench/README.md). Here each request's
    sync code runs on one of MEND_THREADS (default 2) long-lived threads, each reusing
    its connection as a WSGI worker thread would; async code (live streams) is
    unchanged. Two measured best on two cores (bench/README.md).
    """

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.executors = itertools.cycle(
            [ThreadPoolExecutor(max_workers=1) for _ in range(threads)]
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            # Django refuses anything else with a clear error; keep its wording.
            await super().__call__(scope, receive, send)
            return
        async with ThreadSensitiveContext(executor=next(self.executors)):
            await self.handle(scope, receive, send)


django.setup(set_prefix=False)
# What start-up made lives as long as the process: move it out of the collector's
# reach so a full collection (a pause of tens of ms with many open streams) stays short.
gc.freeze()
# The event loop delivering live signals shares the GIL with those threads; hand it
# over sooner than Python's default 5 ms so a pause is not held up behind a page.
sys.setswitchinterval(0.001)
application = Handler(settings.SERVE_THREADS)
