"""A bounded budget for the key derivations anyone can start without an account.

Rule: signing up, signing in and recovering each derive keys with Argon2id (about
half a second of a core). Without a bound, a few clients repeating them would take
every thread and hold up everything else, a pause included. So at most
MEND_KDF_CONCURRENCY of them run at once per worker; the others wait up to
MEND_KDF_WAIT_SECONDS and are then told, plainly, to try again in a moment.

Under `mend serve` the handler (mend/handler.py) does the waiting on the event loop and
runs these requests on threads of their own, so a waiting or working sign-in never
holds a thread another page needs; `heavy` below bounds them under any other server.
"""

import functools
import threading
from collections.abc import Callable
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
        if not _slots.acquire(timeout=settings.KDF_WAIT_SECONDS):
            return busy_response(request)
        try:
            return view(request, *args, **kwargs)
        finally:
            _slots.release()

    return wrapper
