"""Keep the list of places a person is signed in, and sign them out from it."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils import timezone

from mend.accounts.models import SignedInSession, User, device_label, hash_token

SESSION_FIELD = "mend_signed_in_session"


def track(request: HttpRequest) -> SignedInSession | None:
    """Return this session's row, creating it; None when it was signed out elsewhere.

    A session whose row was deleted ("sign out other sessions") is ended here.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if request.session.session_key is None:
        request.session.save()
    key_hash = hash_token(request.session.session_key or "")
    code = request.session.get(SESSION_FIELD)
    if code is None:
        created = SignedInSession.objects.create(
            user=user,
            key_hash=key_hash,
            device=device_label(request.headers.get("User-Agent", ""))[:60],
        )
        request.session[SESSION_FIELD] = str(created.code)
        return created
    row = SignedInSession.objects.filter(code=code, user=user).first()
    if row is None:
        logout(request)
        return None
    if row.key_hash != key_hash:
        # Django cycles the key on sign-in and password change; follow it.
        row.key_hash = key_hash
        row.save(update_fields=["key_hash"])
    row.seen()
    return row


def current_code(request: HttpRequest) -> str | None:
    code = request.session.get(SESSION_FIELD)
    return str(code) if code else None


def sign_out_others(request: HttpRequest) -> int:
    """End every other session of the signed-in person; return how many."""
    current = current_code(request)
    others = SignedInSession.objects.for_member(request.user)
    if current is not None:  # every row has a code: excluding None excluded nothing
        others = others.exclude(code=current)
    count, _ = others.delete()
    return count


def sign_out_everywhere(request: HttpRequest) -> None:
    SignedInSession.objects.for_member(request.user).delete()
    logout(request)


def active_for(user: User) -> list[SignedInSession]:
    """Return USER's sessions that may still be alive, newest first."""
    since = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    SignedInSession.objects.for_member(user).filter(last_seen_at__lt=since).delete()
    return list(SignedInSession.objects.for_member(user).order_by("-last_seen_at"))
