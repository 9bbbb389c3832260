"""Acts a token may never do: consent and the account itself.

Rule: a token never gives consent on its owner's behalf, and never changes the
account or how it is signed in to. Brief access to a signed-in device must not
become lasting control, so these acts need the person themselves, signed in to
Mend in a browser session. An API endpoint declares it with @person_only(...).
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mend.accounts.models import ApiToken
from mend.lib.errors import Refused

CONSENT = _(
    "A token can't give consent for you. Please do this yourself, signed in to "
    "Mend in your browser."
)
ACCOUNT = _(
    "A token can't change your account or how you sign in. Please do this "
    "yourself, signed in to Mend in your browser."
)

F = TypeVar("F", bound=Callable[..., Any])


def token_of(request: HttpRequest) -> ApiToken | None:
    """Return the API token this request came with, or None for a browser session."""
    token = getattr(request, "api_token", None)
    return token if isinstance(token, ApiToken) else None


def person_only(reason: StrOrPromise) -> Callable[[F], F]:
    """Refuse a token with 403 and REASON; let a signed-in browser session through."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if token_of(request) is not None:
                raise Refused(reason, status=403)
            return view(request, *args, **kwargs)

        wrapper.person_only = reason  # type: ignore[attr-defined]  # read by tests and docs
        wrapper.__doc__ = (
            f"{view.__doc__ or ''}\n\nNeeds you, signed in in a browser: a token "
            "gets 403."
        ).strip()
        return wrapper  # type: ignore[return-value]  # same signature, via functools.wraps

    return decorate
