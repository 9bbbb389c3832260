import asyncio
import datetime as dt
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.http import StreamingHttpResponse
from django.test import AsyncClient, Client
from django.utils import timezone

from mend.accounts.models import User
from mend.couples.models import Space
from mend.lib.broker import HEARTBEAT, hub
from mend.live.models import Event
from mend.safety import actions


def _async_client(client: Client) -> AsyncClient:
    """Return an AsyncClient sharing CLIENT's signed-in session."""
    other = AsyncClient()
    other.cookies = client.cookies
    return other


def _body(response: object) -> AsyncGenerator[bytes, None]:
    """Return the body of an async streaming RESPONSE, to read and then close."""
    assert isinstance(response, StreamingHttpResponse)
    body = response.streaming_content
    assert isinstance(body, AsyncGenerator)
    return body


async def _read_events(
    body: AsyncIterator[bytes], count: int, timeout: float = 5
) -> list[dict[str, Any]]:
    """Return the next COUNT data events (skipping comments) with their ids."""
    events: list[dict[str, Any]] = []
    buffer = ""
    async with asyncio.timeout(timeout):
        async for chunk in body:
            buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
            while "\n\n" in buffer:
                frame, buffer = buffer.split("\n\n", 1)
                fields = dict(
                    line.split(": ", 1) for line in frame.splitlines() if ": " in line
                )
                if "data" in fields:
                    events.append(json.loads(fields["data"]) | {"id": fields["id"]})
            if len(events) >= count:
                return events
    return events


def _stream(client: Client, **headers: str) -> Callable[[int], list[dict[str, Any]]]:
    def read(count: int) -> list[dict[str, Any]]:
        async def go() -> list[dict[str, Any]]:
            response = await _async_client(client).get("/live/stream/", headers=headers)
            assert response.status_code == 200
            assert response["Content-Type"] == "text/event-stream"
            body = _body(response)
            try:
                return await _read_events(body, count)
            finally:
                await body.aclose()

        return async_to_sync(go)()

    return read


def test_it_requires_login(db: None) -> None:
    async def go(path: str) -> int:
        return (await AsyncClient().get(path)).status_code

    assert async_to_sync(go)("/live/stream/") == 403
    # Where it was before it moved out of safety (#15), for API clients.
    assert async_to_sync(go)("/safety/stream/") == 403


def test_it_still_answers_where_it_was(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    client = _async_client(client_for(ben))

    async def go() -> str:
        response = await client.get("/safety/stream/")
        body = _body(response)
        try:
            return str((await _read_events(body, 1))[0]["type"])
        finally:
            await body.aclose()

    assert async_to_sync(go)() == "hello"


def test_it_requires_a_space(loner: User, client_for: Callable[[User], Client]) -> None:
    client = _async_client(client_for(loner))

    async def go() -> int:
        return (await client.get("/live/stream/")).status_code

    assert async_to_sync(go)() == 403


def test_it_says_hello_with_the_newest_id(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    newest = Event.objects.get(subject=signal.code).pk
    [hello] = _stream(client_for(ben))(1)
    assert hello == {"type": "hello", "id": str(newest)}


def test_it_replays_what_a_reconnecting_page_missed(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    first = actions.send_signal(space, ana, kind="slow", minutes=20)
    seen = Event.objects.get(subject=first.code).pk
    # Sent while Ben's page had lost its stream:
    second = actions.send_signal(space, ana, kind="pause", minutes=30)
    third = actions.end_signal(second, ana)
    events = _stream(client_for(ben), **{"Last-Event-ID": str(seen)})(3)
    # The hello keeps the page where it was, so a drop mid-replay resumes there.
    assert events[0] == {"type": "hello", "id": str(seen)}
    assert [(e["type"], e.get("change"), e.get("mine")) for e in events[1:]] == [
        ("signal", "pause", False),
        ("signal", "ended", False),
    ]
    assert events[1]["code"] == str(second.code) == str(third.code)
    assert int(events[1]["id"]) > seen and int(events[2]["id"]) > int(events[1]["id"])


def test_it_replays_from_the_page_load_id_on_first_connect(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    actions.send_signal(space, ana, kind="stop", minutes=20)
    events = _stream(client_for(ben))(1)
    after = events[0]["id"]
    actions.send_signal(space, ana, kind="pause", minutes=20)

    client = _async_client(client_for(ben))

    async def go() -> list[dict[str, Any]]:
        response = await client.get(f"/live/stream/?after={after}")
        body = _body(response)
        try:
            return await _read_events(body, 2)
        finally:
            await body.aclose()

    assert [e.get("change") for e in async_to_sync(go)()] == [None, "pause"]


@pytest.mark.django_db(transaction=True)
def test_it_delivers_live_after_commit(
    ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from conftest import make_couple

    space = make_couple(ana, ben)
    ben_client = client_for(ben)

    async def go() -> list[dict[str, Any]]:
        response = await _async_client(ben_client).get("/live/stream/")
        body = _body(response)
        try:
            [hello] = await _read_events(body, 1)
            loop = asyncio.get_running_loop()
            # Sent from another thread, as a sync view would.
            await loop.run_in_executor(
                None,
                lambda: actions.send_signal(space, ana, kind="pause", minutes=20),
            )
            return [hello, *await _read_events(body, 1)]
        finally:
            await body.aclose()

    hello, signal = async_to_sync(go)()
    assert signal["type"] == "signal" and signal["change"] == "pause"
    assert int(signal["id"]) > int(hello["id"])


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    actions.send_signal(space, ana, kind="pause", minutes=20)
    [hello] = _stream(client_for(dan), **{"Last-Event-ID": "0"})(1)
    # Dan's stream starts from his own space: nothing of Ana's is replayed.
    assert hello["type"] == "hello" and hello["id"] == "0"


@pytest.mark.parametrize("seen", ["9" * 40, str(2**63), "²", "-1", "12abc", "1" * 5000])
def test_it_refuses_a_bad_last_event_id(
    space: Space, ben: User, client_for: Callable[[User], Client], seen: str
) -> None:
    client = _async_client(client_for(ben))

    async def go(**query: str) -> tuple[int, bytes]:
        headers = {} if query else {"Last-Event-ID": seen}
        response = await client.get("/live/stream/", query, headers=headers)
        return response.status_code, response.content

    for status, content in (async_to_sync(go)(), async_to_sync(go)(after=seen)):
        assert status == 400
        assert b"Reload the page" in content


def test_the_sender_is_told_when_the_partner_is_ready(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    seen = Event.objects.get(subject=signal.code).pk
    actions.say_ready(signal, ben)
    events = _stream(client_for(ana), **{"Last-Event-ID": str(seen)})(2)
    assert events[1] | {"id": ""} == {
        "type": "signal",
        "code": str(signal.code),
        "change": "ready",
        "mine": False,
        "id": "",
    }


def _ends_after_sign_out(
    opener: Client,
    headers: dict[str, str],
    end: Callable[[], Any],
    *,
    heartbeat: bool = True,
) -> list[dict[str, Any]]:
    """Open a stream, run END (and a heartbeat); return what the stream sent then.

    END's on-commit work (the wake-up of the person's streams) runs as if committed.
    """

    def end_and_commit() -> None:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            end()

    async def go() -> list[dict[str, Any]]:
        client = _async_client(opener)
        response = await client.get("/live/stream/", headers=headers)
        body = _body(response)
        try:
            await _read_events(body, 1)
            # In the test's own thread: it holds the test's database transaction.
            await sync_to_async(end_and_commit)()
            if heartbeat:
                for queues in list(hub().queues.values()):
                    for queue in queues:
                        queue.put_nowait(HEARTBEAT)
            # Returns only because the stream itself ended (a live one would time out).
            return await _read_events(body, 1)
        finally:
            await body.aclose()

    return async_to_sync(go)()


_PASSWORD_CHANGE = {
    "old_password": "",
    "new_password1": "another fine passphrase 2",
    "new_password2": "another fine passphrase 2",
}


def _sign_outs(ben_client: Client, other: Client) -> dict[str, Callable[[], Any]]:
    from conftest import PASSWORD

    return {
        "logout": lambda: ben_client.post("/accounts/logout/"),
        "everywhere": lambda: other.post("/accounts/sessions/all/"),
        "password": lambda: other.post(
            "/accounts/password/", _PASSWORD_CHANGE | {"old_password": PASSWORD}
        ),
    }


# Committed for real: on PostgreSQL the wake-up travels by NOTIFY, which is
# delivered only when its transaction commits.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("heartbeat", [True, False], ids=["heartbeat", "wake"])
@pytest.mark.parametrize("how", ["logout", "everywhere", "password"])
def test_it_ends_when_its_session_ends(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    how: str,
    heartbeat: bool,
) -> None:
    ben_client = client_for(ben)
    end = _sign_outs(ben_client, client_for(ben))[how]
    # Without a heartbeat, only the wake-up the sign-out sends can end it.
    assert _ends_after_sign_out(ben_client, {}, end, heartbeat=heartbeat) == []


# Committed for real: on PostgreSQL the wake-up travels by NOTIFY, which is
# delivered only when its transaction commits.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("heartbeat", [True, False], ids=["heartbeat", "wake"])
def test_it_ends_when_its_token_is_revoked(
    space: Space, ana: User, ben: User, heartbeat: bool
) -> None:
    from mend.accounts.models import ApiToken

    token, secret = ApiToken.issue(ben, "app")
    events = _ends_after_sign_out(
        Client(),
        {"Authorization": f"Bearer {secret}"},
        token.revoke,
        heartbeat=heartbeat,
    )
    assert events == []


# Committed for real: on PostgreSQL the wake-up travels by NOTIFY, which is
# delivered only when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_it_asks_about_the_session_only_once_it_has_expired(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """No query per event or per heartbeat (1,000 streams asking at each heartbeat
    cost the pause its p99, #12); a session that expires ends at the next heartbeat.

    Deleting the session row by hand sends no wake-up and changes no expiry, so the
    stream, which asks nothing before its session's expiry, stays open through a
    heartbeat and still delivers the event after it. Once past the expiry it asks,
    and ends.
    """
    from django.contrib.sessions.models import Session
    from django.test import TestCase

    ben_client = client_for(ben)
    soon = timezone.now() + dt.timedelta(seconds=3)
    Session.objects.update(expire_date=soon)

    def heartbeat() -> None:
        for queues in list(hub().queues.values()):
            for queue in queues:
                queue.put_nowait(HEARTBEAT)

    async def go() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        response = await _async_client(ben_client).get("/live/stream/")
        body = _body(response)
        try:
            await _read_events(body, 1)

            def send() -> None:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    actions.send_signal(space, ana, kind="pause", minutes=20)

            await sync_to_async(Session.objects.all().delete)()
            heartbeat()
            await sync_to_async(send)()
            delivered = await _read_events(body, 1)
            while timezone.now() < soon:
                await asyncio.sleep(0.05)
            heartbeat()
            return delivered, await _read_events(body, 1)
        finally:
            await body.aclose()

    delivered, after_expiry = async_to_sync(go)()
    assert [e["change"] for e in delivered] == ["pause"]
    assert after_expiry == []


# Committed for real: on PostgreSQL the wake-up travels by NOTIFY.
@pytest.mark.django_db(transaction=True)
def test_it_ends_when_its_person_leaves_the_space(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.privacy.actions import leave_space

    ben_client = client_for(ben)
    events = _ends_after_sign_out(
        ben_client,
        {},
        lambda: leave_space(ben, keep_shared=True),
        heartbeat=False,
    )
    assert events == []


def _events(space: Space, by: User, n: int, **fields: Any) -> list[Event]:
    return Event.objects.bulk_create(
        Event(space=space, actor=by, type="signal", subject=space.code, **fields)
        for _ in range(n)
    )


def test_a_page_that_missed_more_than_a_replay_fetches_everything_again(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """A page that missed over REPLAY_LIMIT changes was sent the first 500 and
    then only what came next: the rest never reached it, and it stayed behind."""
    from mend.live.stream import REPLAY_LIMIT

    [seen] = _events(space, ana, 1)
    _events(space, ana, REPLAY_LIMIT + 1)
    newest = Event.objects.order_by("-pk").first()
    assert newest is not None
    [hello] = _stream(client_for(ben), **{"Last-Event-ID": str(seen.pk)})(1)
    assert hello["type"] == "hello" and hello["stale"] is True
    assert "conversation" in hello["types"] and "signal" in hello["types"]
    # It stands at the newest change: what comes next is told as usual.
    assert hello["id"] == str(newest.pk)


def test_old_events_go_and_a_page_that_missed_them_fetches_everything_again(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Live events were kept for ever (who did what, when); now a week. A page
    whose last change has gone since can't be told what it missed."""
    from mend.calendar.reminders import run_once
    from mend.live.actions import KEEP_EVENTS

    now = timezone.now()
    old = now - KEEP_EVENTS - dt.timedelta(minutes=1)
    [seen] = _events(space, ana, 1, created_at=old)
    _events(space, ana, 2, created_at=old)
    [recent] = _events(
        space, ana, 1, created_at=now - KEEP_EVENTS + dt.timedelta(minutes=1)
    )
    run_once(now)  # the job `mend serve` runs every minute
    assert list(Event.objects.values_list("pk", flat=True)) == [recent.pk]
    [hello] = _stream(client_for(ben), **{"Last-Event-ID": str(seen.pk)})(1)
    assert hello["stale"] is True and hello["id"] == str(recent.pk)
    # A page that saw the newest one is told nothing more than before.
    [hello] = _stream(client_for(ben), **{"Last-Event-ID": str(recent.pk)})(1)
    assert hello == {"type": "hello", "id": str(recent.pk)}
