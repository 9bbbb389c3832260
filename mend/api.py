"""The one NinjaAPI: every capability adds its Router here, under /api/."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from mend.accounts.models import ApiToken
from mend.lib.errors import Refused


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


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
