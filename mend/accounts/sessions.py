"""Keep the list of places a person is signed in, and sign them out from it.

Ending a row here deletes the session itself (its row key is the same keyed hash),
so the session is over at once: its next request and its open live stream end.
"""

import contextlib
import time
from datetime import datetime

from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation

from mend.accounts.keyring import personal_key
from mend.accounts.models import (
    ApiToken,
    Device,
    Keyring,
    SignedInSession,
    User,
    device_label,
)
from mend.accounts.session_store import stored_key
from mend.lib import broker
from mend.lib.crypto import SealError

SESSION_FIELD = "mend_signed_in_session"
SEEN_FIELD = "mend_seen_at"
# The keyed hash the session's row was last written with, so an ordinary request
# can tell without a query that the row needs nothing.
KEY_HASH_FIELD = "mend_key_hash"
# The sealed last-active time is written at most this often, so browsing costs no
# extra writes.
SEEN_EVERY_SECONDS = 300


def _seal_seen(request: HttpRequest, row: SignedInSession) -> None:
    now = timezone.now()
    # The label is kept in the words of the person's chosen language, else the browser's.
    chosen = getattr(getattr(request, "user", None), "language", "")
    with translation.override(chosen or translation.get_language()):
        label = device_label(request.headers.get("User-Agent", ""))
    row.seal(label[:60], now)
    request.session[SEEN_FIELD] = now.timestamp()


def track(request: HttpRequest) -> None:
    """Keep this session's row: create it, follow its key, seal when it was last seen.

    Most requests need no query: the session remembers its row's code, the key hash
    the row holds and when "last seen" was sealed. Signing a session out elsewhere
    deletes the session itself with its row (_end below), so its next request is
    already anonymous; a session found without its row is ended here all the same.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if request.session.session_key is None:
        request.session.save()
    key_hash = stored_key(request.session.session_key or "")
    code = request.session.get(SESSION_FIELD)
    if code is None:
        created = SignedInSession(user=user, key_hash=key_hash)
        _seal_seen(request, created)
        try:
            with transaction.atomic():
                created.save()
        except IntegrityError:
            # A request of the same new session (a page and its favicon) got here first.
            created = SignedInSession.objects.get(user=user, key_hash=key_hash)
        request.session[SESSION_FIELD] = str(created.code)
        request.session[KEY_HASH_FIELD] = key_hash
        return
    seen = request.session.get(SEEN_FIELD)
    seen_lately = (
        isinstance(seen, float | int) and time.time() - seen < SEEN_EVERY_SECONDS
    )
    if seen_lately and request.session.get(KEY_HASH_FIELD) == key_hash:
        return
    row = SignedInSession.objects.filter(code=code, user=user).first()
    if row is None:
        logout(request)
        return
    fields = []
    if row.key_hash != key_hash:
        # Django cycles the key on sign-in and password change; follow it.
        row.key_hash = key_hash
        fields.append("key_hash")
    request.session[KEY_HASH_FIELD] = key_hash
    if not seen_lately:
        _seal_seen(request, row)
        fields.append("sealed")
    if fields:
        row.save(update_fields=fields)


def current_code(request: HttpRequest) -> str | None:
    code = request.session.get(SESSION_FIELD)
    return str(code) if code else None


def _end(rows: "QuerySet[SignedInSession]") -> int:
    users = set(rows.values_list("user_id", flat=True))
    Session.objects.filter(session_key__in=rows.values("key_hash")).delete()
    count, _ = rows.delete()
    for user_id in users:
        broker.wake_streams_of(user_id)
    return count


def end(row: SignedInSession) -> None:
    """Sign out the session ROW stands for, at once."""
    _end(SignedInSession.objects.filter(pk=row.pk))


def end_all(user: User) -> int:
    """Sign out every session of USER; return how many."""
    return _end(SignedInSession.objects.for_member(user))


def sign_out_others(request: HttpRequest) -> int:
    """End every other session of the signed-in person; return how many."""
    current = current_code(request)
    others = SignedInSession.objects.for_member(request.user)
    if current is not None:  # every row has a code: excluding None excluded nothing
        others = others.exclude(code=current)
    return _end(others)


def sign_out_everywhere(request: HttpRequest) -> None:
    """End every session and revoke every API token of the signed-in person."""
    user = request.user
    assert isinstance(user, User)
    ApiToken.revoke_all(user)
    end_all(user)
    logout(request)
    broker.wake_streams_of(user.pk)


def valid_until(session_key: str) -> datetime | None:
    """Return when the session with SESSION_KEY (the cookie's) expires, or None if
    it is over (signed out, signed out everywhere, expired)."""
    return (
        Session.objects.filter(
            session_key=stored_key(session_key), expire_date__gt=timezone.now()
        )
        .values_list("expire_date", flat=True)
        .first()
    )


def devices_for(request: HttpRequest) -> list[Device]:
    """Return the signed-in person's sessions, opened with their key if unlocked."""
    user = request.user
    assert isinstance(user, User)
    key = personal_key(request)
    private_key = None
    if key is not None:
        with contextlib.suppress(Keyring.DoesNotExist, SealError):
            private_key = user.keyring.private_key(key)
    return active_for(user, private_key)


def active_for(user: User, private_key: bytes | None) -> list[Device]:
    """Return USER's live sessions, newest first, opened with their PRIVATE_KEY."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    SignedInSession.objects.for_member(user).exclude(key_hash__in=live).delete()
    devices = [
        row.opened(private_key)
        for row in SignedInSession.objects.for_member(user).order_by("-created_at")
    ]
    return sorted(devices, key=lambda d: d.last_seen_at or d.created_at, reverse=True)
