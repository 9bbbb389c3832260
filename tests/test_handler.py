"""Mend's ASGI handler serves a sync request in one hop, exactly as Django would.

The test client goes through Django's own handler; these go through mend.handler,
and compare: same status, same headers, same body, same signals.
"""

import json
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.signals import request_finished, request_started
from django.db import connection, connections
from django.test import Client, override_settings

from conftest import PASSWORD
from mend.accounts.models import ApiToken, User
from mend.couples.models import Space
from mend.handler import Handler
from mend.safety.models import Signal

# Differ between any two responses, whoever serves them (cookies compared by name).
VARYING = {"content-length", "expires", "date", "set-cookie"}


@pytest.fixture
def handler() -> Iterator[Handler]:
    handler = Handler(1)
    yield handler
    # Its thread keeps a database connection, which the test database outlives.
    for thread in handler.threads + handler.heavy_threads:
        thread.submit(connections.close_all).result()
        thread.shutdown()


def call(
    handler: Handler,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Send one request through HANDLER; return status, headers and the whole body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def go() -> tuple[int, dict[str, str], bytes]:
        app = ApplicationCommunicator(handler, scope)
        await app.send_input({"type": "http.request", "body": body})
        start = await app.receive_output(5)
        content = b""
        while True:
            message = await app.receive_output(5)
            content += message.get("body", b"")
            if not message.get("more_body"):
                break
        await app.wait(5)
        found = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        return start["status"], found, content

    return async_to_sync(go)()


def same_headers(ours: dict[str, str], django: Any) -> None:
    theirs = {k.lower(): v for k, v in django.headers.items()}
    cookie = ours.get("set-cookie", "").split("=", 1)[0]
    assert ([cookie] if cookie else []) == list(django.cookies)
    assert {k: v for k, v in ours.items() if k not in VARYING} == {
        k: v for k, v in theirs.items() if k not in VARYING
    }


@pytest.mark.django_db(transaction=True)
def test_it_answers_an_api_call_as_django_does(
    handler: Handler, space: Space, ana: User
) -> None:
    _token, secret = ApiToken.issue(ana, "phone")
    auth = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    body = json.dumps({"kind": "pause", "minutes": 20}).encode()

    status, headers, content = call(handler, "POST", "/api/safety/signals", body, auth)
    django = Client().post(
        "/api/safety/signals", body, content_type="application/json", headers=auth
    )

    assert (status, django.status_code) == (201, 201)
    same_headers(headers, django)
    assert json.loads(content).keys() == django.json().keys()
    assert json.loads(content)["kind"] == "pause"
    assert Signal.objects.filter(space=space, sender=ana).count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_gives_bad_input_the_same_plain_refusal(
    handler: Handler, space: Space, ana: User
) -> None:
    _token, secret = ApiToken.issue(ana, "phone")
    auth = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    body = json.dumps({"kind": "pause", "minutes": 0}).encode()

    status, headers, content = call(handler, "POST", "/api/safety/signals", body, auth)
    django = Client().post(
        "/api/safety/signals", body, content_type="application/json", headers=auth
    )

    assert status == django.status_code == 400
    same_headers(headers, django)
    assert content == django.content
    assert not Signal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_serves_pages_and_missing_pages_as_django_does(handler: Handler) -> None:
    for path in ["/accounts/login/", "/no/such/page/"]:
        status, headers, content = call(handler, "GET", path)
        django = Client().get(path)
        assert status == django.status_code
        same_headers(headers, django)
        assert "content-security-policy" in headers
        if status == 200:
            assert b"<form" in content


@pytest.mark.django_db(transaction=True)
def test_it_streams_a_static_file_whole(handler: Handler) -> None:
    status, headers, content = call(handler, "GET", "/static/safety/live.js")

    assert status == 200
    assert headers["content-type"].startswith("text/javascript")
    assert len(content) == int(headers["content-length"]) > 100


@pytest.mark.django_db(transaction=True)
def test_it_starts_and_finishes_each_request_once(handler: Handler) -> None:
    seen: list[str] = []

    def started(**kwargs: Any) -> None:
        seen.append("started")

    def finished(**kwargs: Any) -> None:
        seen.append("finished")

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        call(handler, "GET", "/accounts/login/")
        call(handler, "GET", "/static/safety/live.js")
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)

    assert seen == ["started", "finished"] * 2


@pytest.mark.django_db(transaction=True)
def test_it_leaves_the_live_stream_on_the_async_path(handler: Handler) -> None:
    status, _headers, content = call(handler, "GET", "/live/stream/")

    assert status == 403
    assert b"Sign in" in content


TOKEN_REQUEST = json.dumps(
    {"username": "ana", "password": PASSWORD, "name": "phone"}
).encode()
JSON = {"content-type": "application/json"}


def has_connection(thread: ThreadPoolExecutor) -> bool:
    return bool(thread.submit(lambda: connection.connection is not None).result())


@pytest.mark.django_db(transaction=True)
def test_it_signs_in_on_a_thread_of_its_own(handler: Handler, ana: User) -> None:
    status, _headers, _body = call(
        handler, "POST", "/api/accounts/tokens", TOKEN_REQUEST, JSON
    )
    assert status == 201
    # Only the sign-in thread met the database: the general one stayed free.
    assert has_connection(handler.heavy_threads[0])
    assert not has_connection(handler.threads[0])


@pytest.mark.django_db(transaction=True)
@override_settings(KDF_WAIT_SECONDS=0)
def test_it_answers_busy_at_once_when_every_sign_in_thread_is_taken(
    handler: Handler, ana: User
) -> None:
    call(handler, "POST", "/api/accounts/tokens", TOKEN_REQUEST, JSON)
    assert handler.idle_heavy is not None
    taken = [handler.idle_heavy.get_nowait() for _ in handler.heavy_threads]
    status, headers, body = call(
        handler, "POST", "/api/accounts/tokens", TOKEN_REQUEST, JSON
    )
    assert status == 503
    assert headers["retry-after"]
    assert b"try again in a moment" in body
    # Other requests are not held up behind sign-ins waiting for their turn.
    assert call(handler, "GET", "/accounts/login/")[0] == 200
    for thread in taken:
        handler.idle_heavy.put_nowait(thread)


def test_it_derives_keys_at_the_lowest_priority(handler: Handler) -> None:
    def priority() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    # Linux: threads the sign-in thread starts (Argon2's lanes) inherit it.
    assert handler.heavy_threads[0].submit(priority).result() == 19
    assert handler.threads[0].submit(priority).result() < 19
