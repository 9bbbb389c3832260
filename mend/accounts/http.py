from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django_stubs_ext import StrOrPromise

from mend.accounts.models import User
from mend.lib.errors import Refused


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def attempt(
    request: HttpRequest, action: Callable[[], Any], done: StrOrPromise
) -> bool:
    """Run ACTION for a button with nothing typed: say DONE, or show the reason it was
    refused. Return whether it worked. (A form with typed words renders its page
    again instead, so nothing typed is lost.)"""
    try:
        action()
    except Refused as e:
        messages.error(request, str(e))
        return False
    messages.success(request, done)
    return True
