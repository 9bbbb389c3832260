"""The one NinjaAPI: every capability adds its Router here, under /api/."""

import json
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from mend.accounts.models import ApiToken
from mend.lib.errors import Refused


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class TextParser(Parser):
    """Refuse NUL characters in any input: PostgreSQL cannot store them (a 500).

    Django's form fields refuse them too; this does the same for every API input.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if _has_nul(data):
            # Ninja answers 400 "Cannot parse request body" for any parser error.
            raise ValueError("NUL character in the request body")
        return cast(dict[str, Any], data)

    def parse_querydict(
        self,
        data: MultiValueDict[str, Any],
        list_fields: list[str],
        request: HttpRequest,
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        if _has_nul(parsed):
            raise HttpError(400, "Null characters are not allowed.")
        return parsed


# SessionAuth checks the CSRF token on unsafe methods; bearer tokens need none. The
# token goes first: SessionAuth refuses a request without a CSRF token outright, before
# any later auth is tried, which turned every token POST, PATCH and DELETE into a 403.
api = NinjaAPI(
    title="Mend API",
    version="1",
    description="Everything the pages do, as JSON. Sign in with a session or a bearer token.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=TextParser(),
)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Please sign in."}, status=401)


def _add_routers() -> None:
    from mend.accounts.api import router as accounts
    from mend.agreements.api import router as agreements
    from mend.couples.api import router as couples
    from mend.intimacy.api import router as intimacy
    from mend.journal.api import router as journal
    from mend.privacy.api import router as privacy
    from mend.safety.api import router as safety

    api.add_router("/accounts", accounts)
    api.add_router("/space", couples)
    api.add_router("/privacy", privacy)
    api.add_router("/journal", journal)
    api.add_router("/agreements", agreements)
    api.add_router("/safety", safety)
    api.add_router("/intimacy", intimacy)


_add_routers()
