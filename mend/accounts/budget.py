"""A bounded budget for the key derivations anyone can start without an account.

Rule: signing up, signing in and recovering each derive keys with Argon2id (about
a fraction of a second of one core). Without a bound, a few clients repeating them would
take every core and hold up everything else, a pause included. So at most
MEND_KDF_CONCURRENCY of them run at once on the whole server, across every worker
process (a lock file under var/ per slot), each on one core; the others wait up to
MEND_KDF_WAIT_SECONDS and are then told, plainly, to try again in a moment.

Under `mend serve` the handler (mend/handler.py) does the waiting on the event loop and
runs these requests on threads of their own, so a waiting or working sign-in never
holds a thread another page needs; `heavy` below bounds them under any other server.
"""

import contextlib
import fcntl
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# Requests that derive keys before anyone is signed in, as "<namespace>:<url name>".
HEAVY_VIEWS = {
    "accounts:signup",
    "accounts:login",
    "accounts:recover",
    "api:signup",
    "api:create_token",
}
BUSY_SCOPE_KEY = "mend.busy"
RETRY_AFTER_SECONDS = 5

R = TypeVar("R")

_slots = threading.BoundedSemaphore(settings.KDF_CONCURRENCY)
_slot_files: list[int] = []
_slot_files_lock = threading.Lock()


def _server_slot_files() -> list[int]:
    with _slot_files_lock:
        if not _slot_files:
            for number in range(settings.KDF_CONCURRENCY):
                path = settings.VAR_DIR / f"kdf-slot-{number}.lock"
                _slot_files.append(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        return _slot_files


@contextlib.contextmanager
def server_slot(deadline: float) -> Iterator[bool]:
    """Hold one of the server's MEND_KDF_CONCURRENCY slots, shared by every worker.

    Yields False if none came free before DEADLINE (time.monotonic()). A slot is an
    exclusive flock, so a worker that dies releases its slot with it.
    """
    files = _server_slot_files()
    while True:
        for fd in files:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            return
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.01)


def is_heavy(method: str, path: str) -> bool:
    if method != "POST":
        return False
    try:
        return resolve(path).view_name in HEAVY_VIEWS
    except Resolver404:
        return False


def busy_response(request: HttpRequest) -> HttpResponse:
    message = _("Mend is busy right now. Please try again in a moment.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(
            request, "accounts/busy.html", {"message": message}, status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def heavy(view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
    """Run VIEW's POSTs within the budget, or answer 503 "busy" once the wait is over."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        # The handler already waited for a slot and found none.
        if getattr(request, "scope", {}).get(BUSY_SCOPE_KEY):
            return busy_response(request)
        deadline = time.monotonic() + settings.KDF_WAIT_SECONDS
        if not _slots.acquire(timeout=settings.KDF_WAIT_SECONDS):
            return busy_response(request)
        try:
            with server_slot(deadline) as held:
                if not held:
                    return busy_response(request)
                return view(request, *args, **kwargs)
        finally:
            _slots.release()

    return wrapper
