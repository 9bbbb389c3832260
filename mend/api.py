"""The one NinjaAPI: every capability adds its Router here, under /api/."""

import json
import re
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InvalidInput
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from mend.accounts.guards import token_of
from mend.accounts.models import ApiToken
from mend.lib.errors import Refused
from mend.lib.invalid import message as input_message
from mend.privacy.models import KeyLocked


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # read by accounts.guards
        # The data key, if its owner let this token open private entries; personal_key
        # returns it, and never a session's key for a token request.
        request._mend_key = found.data_key(token)  # type: ignore[attr-defined]  # keyring's cache
        return found.user


# NUL, and halves of a UTF-16 pair with no other half: JSON can carry them ("\ud800"),
# but no database can store them as text (a 500 on encoding).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = (
    "This text holds a character that isn't valid text (a NUL, or half of an "
    "emoji's pair). Please retype it."
)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class UnstorableText(ValueError):
    """A request body holding text no database can store."""


class TextParser(Parser):
    """Refuse NUL characters and lone surrogates in any input: no database stores them.

    Django's form fields refuse them too; this does the same for every API input.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if _has_nul(data):
            # Ninja turns any parser error into 400 "Cannot parse request body";
            # not_text below gives this one its own words.
            raise UnstorableText
        return cast(dict[str, Any], data)

    def parse_querydict(
        self,
        data: MultiValueDict[str, Any],
        list_fields: list[str],
        request: HttpRequest,
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        if _has_nul(parsed):
            raise HttpError(400, UNSTORABLE_MESSAGE)
        return parsed


# SessionAuth checks the CSRF token on unsafe methods; bearer tokens need none. The
# token goes first: SessionAuth refuses a request without a CSRF token outright, before
# any later auth is tried, which turned every token POST, PATCH and DELETE into a 403.
api = NinjaAPI(
    title="Mend API",
    version="1",
    # django-ninja's docs page loads Swagger UI from a CDN: Mend makes no
    # third-party call, so the schema is at /api/openapi.json, for any viewer.
    docs_url=None,
    description=(
        "Everything the pages do, as JSON. Sign in with a session or a bearer token "
        "(`Authorization: Bearer <token>`; make one at `POST /api/accounts/tokens` "
        "with your password).\n\n"
        "**What a token may not do.** A token never gives consent for you and never "
        "changes your account: affirming or confirming an agreement, agreeing to "
        "retire one, answering the yes / no / maybe inventory, affirming or confirming what you stand for, saying ready on the "
        "intimacy ladder, agreeing to a change to a commitment, sending a private "
        "question, sharing a private entry or check-in answer (or showing one early), "
        "approving a counselor or choosing what they see, and tokens, sessions, two-step "
        "sign-in, leaving and erasing need you, signed in in a browser. They answer "
        "a token with 403 and a `detail` saying why; each says so below.\n\n"
        "**Private entries.** A token opens your private entries only if you chose "
        "`opens_private` when making it. Otherwise a private entry answers 403, and "
        "lists leave private entries out and give how many in the "
        "`Mend-Private-Left-Out` header."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    openapi_url="/openapi.json",
    parser=TextParser(),
)


# Said to a token whose owner did not let it open private entries (see /api/openapi.json).
TOKEN_LOCKED = _(
    "Private entries stay locked to this token: it was created without permission "
    "to open them. Its owner can create one that may, with their password."
)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    message = str(exc)
    if isinstance(exc, KeyLocked) and token_of(request) is not None:
        message = str(TOKEN_LOCKED)
    return api.create_response(request, {"detail": message}, status=exc.status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    """Ninja's 422, each error's msg said in the person's language like the pages."""
    errors = [error | {"msg": input_message(error)} for error in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(HttpError)
def not_text(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own answer to an HTTP error, with clear words for unstorable text."""
    message = str(exc)
    if isinstance(exc.__cause__, UnstorableText):
        message = UNSTORABLE_MESSAGE
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Please sign in."}, status=401)


def _add_routers() -> None:
    from mend.accounts.api import router as accounts
    from mend.agreements.api import router as agreements
    from mend.calendar.api import router as calendar
    from mend.checkins.api import router as checkins
    from mend.commitments.api import router as commitments
    from mend.conversations.api import router as conversations
    from mend.counselor.api import router as counselor
    from mend.couples.api import router as couples
    from mend.intimacy.api import router as intimacy
    from mend.journal.api import router as journal
    from mend.notify.api import router as notify
    from mend.privacy.api import router as privacy
    from mend.safety.api import router as safety
    from mend.story.api import router as story

    api.add_router("/accounts", accounts)
    api.add_router("/space", couples)
    api.add_router("/privacy", privacy)
    api.add_router("/journal", journal)
    api.add_router("/agreements", agreements)
    api.add_router("/safety", safety)
    api.add_router("/intimacy", intimacy)
    api.add_router("/story", story)
    api.add_router("/checkins", checkins)
    api.add_router("/calendar", calendar)
    api.add_router("/reminders", notify)
    api.add_router("/commitments", commitments)
    api.add_router("/conversations", conversations)
    api.add_router("/counselor", counselor)


_add_routers()
