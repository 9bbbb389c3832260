"""The one live stream: Server-Sent Events telling a couple's open pages what changed.

The partners' endpoint is stream() below; an app above may open the same stream for
someone else with respond(), its own lease check and an event filter (the
counselor's witness page does).

Events are tiny JSON {"type", "code"} (plus "change" and "mine" for wording); pages
re-fetch the HTML they show. Every event is an Event row whose id is the SSE id, so
a page that reconnects with Last-Event-ID gets everything it missed from the
database. Nothing is published before its transaction commits.
"""

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts import sessions
from mend.accounts.models import ApiToken, User
from mend.couples.models import Membership, Space
from mend.lib import broker
from mend.lib.broker import CHECK, HEARTBEAT
from mend.live.models import Event

# Enough for a page that was asleep a while. One that missed more, or changes no
# longer kept (live.actions.KEEP_EVENTS), is told to fetch everything again instead.
REPLAY_LIMIT = 500


def publish_on_commit(space_id: int, wire: dict[str, Any]) -> None:
    """Send one event to every process's streams once the transaction commits."""
    broker.publish_on_commit(f"{space_id} {json.dumps(wire, separators=(',', ':'))}")


def _frame(wire: dict[str, Any], user_id: int) -> str:
    data = {"type": wire["type"], "code": wire["code"]}
    if wire.get("change"):
        data["change"] = wire["change"]
    data["mine"] = wire.get("actor") == user_id
    return f"id: {wire['id']}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


# Event ids are database keys: a 64-bit signed integer on every backend.
MAX_EVENT_ID = 2**63 - 1


def _last_event_id(request: HttpRequest) -> int | None:
    """Return the id the page saw last: the browser's header, or ?after= on first load.

    Raise ValueError for anything but an id Mend could have sent.
    """
    seen = [
        request.headers.get("Last-Event-ID", ""),
        request.GET.get("after", ""),
    ]
    ids = []
    for value in filter(None, seen):
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            raise ValueError(value)
        ids.append(int(value))
    if any(i > MAX_EVENT_ID for i in ids):
        raise ValueError(max(ids))
    return max(ids) if ids else None


# A token has no expiry of its own: only its revocation (which wakes) ends it.
NEVER = datetime.max.replace(tzinfo=UTC)
# Checked by a stream once it passes its lease: a new lease, or None when it is over.
Lease = Callable[[], datetime | None]


def _entry_lease(session_key: str = "", token_pk: int | None = None) -> datetime | None:
    """Return until when what let a person in still holds, or None when it is over:
    the session (not signed out or expired) or the token (not revoked)."""
    if token_pk is not None:
        return NEVER if ApiToken.objects.filter(pk=token_pk).exists() else None
    return sessions.valid_until(session_key)


def person(request: HttpRequest) -> tuple[User, Lease, datetime] | None:
    """Return (the person asking, their lease check, their lease), or None.

    The lease check asks only whether the session or token still holds; a stream
    that needs more (a membership, a counselor's admission) wraps it.
    """
    auth = request.headers.get("Authorization", "")
    user: Any = request.user
    if auth.startswith("Bearer "):
        token = ApiToken.find(auth.removeprefix("Bearer ").strip())
        if token is None:
            return None
        user, token_pk, until = token.user, token.pk, NEVER
        session_key = ""
    else:
        token_pk = None
        session_key = request.session.session_key or ""
        until = getattr(request.session, "expires_at", None) or timezone.now()
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return user, partial(_entry_lease, session_key, token_pk), until


def _lease(user_id: int, space_id: int, signed_in: Lease) -> datetime | None:
    """Return until when a stream may stay open without asking again, or None.

    It stays open while its person is still in the space and what let it in still
    holds: the session (not signed out or expired) or the token (not revoked).
    """
    if not Membership.objects.filter(
        user_id=user_id, space_id=space_id, left_at__isnull=True
    ).exists():
        return None
    return signed_in()


def _who(request: HttpRequest) -> tuple[int, int, Lease, datetime] | None:
    """Return (user id, space id, lease check, lease) for the person asking, or None.

    The stream lives only as long as what let it in: the session (signed out, signed
    out everywhere, a password change, expired), the token (revoked) and the
    membership (left). Each end wakes the person's streams, which then ask the
    database; otherwise a stream asks only once its lease (the session's expiry)
    has passed: no query per event, none per heartbeat. A query per stream per
    heartbeat was a burst of 1,000 queries every 15 s, and cost the pause its p99
    (9 ms -> 243 ms at 50/s, bench/pause_latency.py, #12).
    """
    found = person(request)
    if found is None:
        return None
    user, signed_in, until = found
    space_id = Space.objects.for_member(user).values_list("pk", flat=True).first()
    if space_id is None:
        return None
    return user.pk, space_id, partial(_lease, user.pk, space_id, signed_in), until


def _everything(wire: dict[str, Any]) -> bool:
    return True


def _missed(
    space_id: int, after: int | None, keep: Callable[[dict[str, Any]], bool]
) -> tuple[list[dict[str, Any]] | None, int]:
    """Return events after AFTER that KEEP passes, and the newest id.

    None instead of the events: more were missed than a replay carries, or some may
    no longer be kept; the page fetches everything it shows again.
    """
    events = Event.objects.filter(space_id=space_id)

    def newest() -> int:
        return events.order_by("-pk").values_list("pk", flat=True).first() or 0

    if after is None:
        return [], newest()
    oldest = Event.objects.order_by("pk").values_list("pk", flat=True).first()
    wires = [
        e.wire() for e in events.filter(pk__gt=after).order_by("pk")[: REPLAY_LIMIT + 1]
    ]
    if len(wires) > REPLAY_LIMIT or (oldest is not None and after < oldest - 1):
        return None, newest()
    return [w for w in wires if keep(w)], wires[-1]["id"] if wires else after


async def _events(
    user_id: int,
    space_id: int,
    check: Lease,
    until: datetime,
    after: int | None,
    keep: Callable[[dict[str, Any]], bool] = _everything,
) -> AsyncIterator[str]:
    """Yield SPACE_ID's events that KEEP passes, while CHECK renews the lease."""
    live = broker.hub()
    # Subscribe before reading the database: whatever commits in between arrives
    # twice at worst, and duplicates are dropped by id below.
    queue = await live.subscribe(space_id, user_id)
    try:
        missed, newest = await sync_to_async(_missed)(space_id, after, keep)
        # retry: how soon a browser reconnects. The hello's id is where the page
        # stands before the replay, so a drop mid-replay resumes from there.
        start = newest if after is None or missed is None else after
        hello: dict[str, Any] = {"type": "hello"}
        if missed is None:
            # Every kind, so each live part of the page fetches itself again.
            hello.update(stale=True, types=list(Event.Types.values))
        hello_data = json.dumps(hello, separators=(",", ":"))
        yield f"retry: 1000\nid: {start}\ndata: {hello_data}\n\n"
        for wire in missed or []:
            yield _frame(wire, user_id)
        while True:
            data = await queue.get()
            # No query per event or per heartbeat: whatever ends a stream wakes it
            # with CHECK, so it ends at once; a session that simply expires ends
            # at the first heartbeat after its lease.
            if data is CHECK or (data is HEARTBEAT and timezone.now() >= until):
                renewed = await sync_to_async(check)()
                if renewed is None:
                    return
                until = renewed
            if data is HEARTBEAT:
                yield ": still here\n\n"
            if data is HEARTBEAT or data is CHECK:
                continue
            wire = json.loads(data)
            if wire["id"] <= newest:
                continue
            newest = wire["id"]
            if keep(wire):
                yield _frame(wire, user_id)
    finally:
        live.unsubscribe(space_id, queue, user_id)


def respond(
    request: HttpRequest,
    user_id: int,
    space_id: int,
    check: Lease,
    until: datetime,
    keep: Callable[[dict[str, Any]], bool] = _everything,
) -> HttpResponseBase:
    """Return SPACE_ID's event stream for USER_ID: what KEEP passes, while CHECK.

    CHECK is asked whenever the person's streams are woken (broker CHECK) and at
    the first heartbeat past UNTIL; it returns a new lease, or None to end the
    stream. The partners' stream passes everything while they are members; a
    counselor's witness stream (mend/counselor) passes its own CHECK and KEEP, so
    there is one stream, not a copy per reader.
    """
    try:
        after = _last_event_id(request)
    except ValueError:
        return HttpResponse(
            _("This live connection can't resume from there. Reload the page.\n"),
            status=400,
            content_type="text/plain",
        )
    response = StreamingHttpResponse(
        _events(user_id, space_id, check, until, after, keep),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


async def stream(request: HttpRequest) -> HttpResponseBase:
    who = await sync_to_async(_who)(request)
    if who is None:
        return HttpResponse(
            "Sign in and join a space to receive live signals.\n",
            status=403,
            content_type="text/plain",
        )
    return respond(request, *who)
