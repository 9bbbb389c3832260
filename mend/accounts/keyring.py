"""Hold a person's unwrapped data key only while they are signed in.

Rule: the unwrapped key never rests in the clear. The session store keeps it sealed
under a random secret that lives only in the person's own cookie; the server sees
that secret only while handling their request. The database alone, the session
table included, opens nothing.
"""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from mend.accounts.models import User
from mend.lib.crypto import SealError, b64d, b64e, seal, unseal

COOKIE = "mend_unlock"
SESSION_FIELD = "mend_sealed_key"


def _where(user: User) -> str:
    return f"session:{user.code}"


def remember_key(request: HttpRequest, response: HttpResponse, key: bytes) -> None:
    """Seal KEY into the session and give its opener to the browser as a cookie."""
    user = request.user
    assert isinstance(user, User)
    opener = secrets.token_bytes(32)
    request.session[SESSION_FIELD] = b64e(seal(opener, key, _where(user)))
    response.set_cookie(
        COOKIE,
        b64e(opener),
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    request._mend_key = key  # type: ignore[attr-defined]  # per-request cache


def personal_key(request: HttpRequest) -> bytes | None:
    """Return the signed-in person's data key, or None when it is locked."""
    if hasattr(request, "_mend_key"):
        return request._mend_key  # type: ignore[no-any-return]  # set by remember_key
    user = request.user
    key: bytes | None = None
    opener = request.COOKIES.get(COOKIE)
    sealed = request.session.get(SESSION_FIELD) if hasattr(request, "session") else None
    if isinstance(user, User) and opener and sealed:
        try:
            key = unseal(b64d(opener), b64d(sealed), _where(user))
        except (SealError, ValueError):
            key = None
    request._mend_key = key  # type: ignore[attr-defined]  # per-request cache
    return key


def forget_key(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")
