"""Ask for the password again before anything that cannot be undone.

Rule: export, leaving a space and erasing an account need a password typed in the
last few minutes in this session, so a device left signed in is not enough.
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_FIELD = "mend_password_confirmed_at"
FRESH_SECONDS = 5 * 60


def mark_confirmed(request: HttpRequest) -> None:
    request.session[SESSION_FIELD] = time.time()


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(SESSION_FIELD)
    return isinstance(confirmed_at, int | float) and (
        0 <= time.time() - confirmed_at <= FRESH_SECONDS
    )


def confirm_url(next_url: str) -> str:
    return f"{reverse('accounts:confirm_password')}?{urlencode({'next': next_url})}"


def password_confirmed(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Send the person to confirm their password first, unless they just did."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_confirmed(request):
            return redirect(confirm_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper
