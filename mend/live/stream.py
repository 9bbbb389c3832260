"""The one live stream: Server-Sent Events telling a couple's open pages what changed.

The partners' endpoint is stream() below; an app above may open the same stream for
someone else with respond(), its own "still allowed?" check and an event filter
(the counselor's witness page does).

Events are tiny JSON {"type", "code"} (plus "change" and "mine" for wording); pages
re-fetch the HTML they show. Every event is an Event row whose id is the SSE id, so
a page that reconnects with Last-Event-ID gets everything it missed from the
database. Nothing is published before its transaction commits.
"""

import json
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from mend.accounts import sessions
from mend.accounts.models import ApiToken, User
from mend.couples.models import Space
from mend.lib import broker
from mend.lib.broker import CHECK, HEARTBEAT
from mend.live.models import Event

# Enough for a page that was asleep a long while; older changes are in the page itself.
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


def person(request: HttpRequest) -> tuple[User, Callable[[], bool]] | None:
    """Return (the person asking, still signed in?), or None for nobody.

    The stream lives only as long as what let it in: the session (signed out, signed
    out everywhere, a password change, expired) or the token (revoked). Checked at
    each heartbeat and when that person's session or token ends, not per event.
    """
    auth = request.headers.get("Authorization", "")
    user: Any = request.user
    alive: Callable[[], bool]
    if auth.startswith("Bearer "):
        token = ApiToken.find(auth.removeprefix("Bearer ").strip())
        if token is None:
            return None
        user = token.user
        alive = ApiToken.objects.filter(pk=token.pk).exists
    else:
        alive = partial(sessions.is_alive, request.session.session_key or "")
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return user, alive


def _who(request: HttpRequest) -> tuple[int, int, Callable[[], bool]] | None:
    """Return (user id, space id, still signed in?) for a partner asking, or None."""
    found = person(request)
    if found is None:
        return None
    user, alive = found
    space_id = Space.objects.for_member(user).values_list("pk", flat=True).first()
    return None if space_id is None else (user.pk, space_id, alive)


def _everything(wire: dict[str, Any]) -> bool:
    return True


def _missed(
    space_id: int, after: int | None, keep: Callable[[dict[str, Any]], bool]
) -> tuple[list[dict[str, Any]], int]:
    """Return events after AFTER (up to a limit) that KEEP passes, and the newest id."""
    events = Event.objects.filter(space_id=space_id)
    if after is None:
        newest = events.order_by("-pk").values_list("pk", flat=True).first()
        return [], newest or 0
    wires = [
        e.wire() for e in events.filter(pk__gt=after).order_by("pk")[:REPLAY_LIMIT]
    ]
    newest = wires[-1]["id"] if wires else after
    return [w for w in wires if keep(w)], newest


async def _events(
    user_id: int,
    space_id: int,
    alive: Callable[[], bool],
    after: int | None,
    keep: Callable[[dict[str, Any]], bool] = _everything,
) -> AsyncIterator[str]:
    """Yield SPACE_ID's events that KEEP passes, for as long as ALIVE says yes."""
    live = broker.hub()
    # Subscribe before reading the database: whatever commits in between arrives
    # twice at worst, and duplicates are dropped by id below.
    queue = await live.subscribe(space_id, user_id)
    try:
        missed, newest = await sync_to_async(_missed)(space_id, after, keep)
        # retry: how soon a browser reconnects. The hello's id is where the page
        # stands before the replay, so a drop mid-replay resumes from there.
        start = newest if after is None else after
        yield f'retry: 1000\nid: {start}\ndata: {{"type":"hello"}}\n\n'
        for wire in missed:
            yield _frame(wire, user_id)
        while True:
            data = await queue.get()
            # One query per heartbeat per stream, none per event: a session that
            # ends wakes its streams with CHECK, so they end at once; one that
            # expires ends within a heartbeat.
            if data is HEARTBEAT or data is CHECK:
                if not await sync_to_async(alive)():
                    return
                if data is HEARTBEAT:
                    yield ": still here\n\n"
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
    alive: Callable[[], bool],
    keep: Callable[[dict[str, Any]], bool] = _everything,
) -> HttpResponseBase:
    """Return SPACE_ID's event stream for USER_ID: what KEEP passes, while ALIVE.

    ALIVE is asked at each heartbeat and whenever the person's streams are woken
    with CHECK. The partners' stream keeps everything while the session lives; a
    counselor's witness stream (mend/counselor) passes its own ALIVE and KEEP, so
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
        _events(user_id, space_id, alive, after, keep),
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
