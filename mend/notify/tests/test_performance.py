"""The notifications page: a pinned query count, flat from one device to ten."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from conftest import signed_in
from mend.accounts.models import User
from mend.couples.models import Space
from mend.notify import push
from mend.notify.models import PUSH_TOPICS, PushSubscription, set_push

# The session, the person, the kinds turned off, the devices, and (for the nav) the
# space and its partners.
QUERIES = 6


@pytest.fixture(autouse=True)
def _vapid_key(tmp_path: Path) -> Iterator[None]:
    push.vapid.cache_clear()
    with override_settings(PUSH_VAPID_KEY_FILE=tmp_path / "vapid.pem", PUSH=True):
        yield
    push.vapid.cache_clear()


def grow(user: User, start: int, times: int) -> None:
    for n in range(start, start + times):
        PushSubscription.objects.create(
            user=user,
            name=f"device {n}",
            endpoint=f"https://push.example.org/{n}",
            p256dh="k",
            auth="a",
        )
    for topic in list(PUSH_TOPICS)[: start + times]:
        set_push(user, topic, False)


def count(client: Client) -> int:
    assert client.get("/reminders/push/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reminders/push/").status_code == 200
    return len(queries)


def test_it_keeps_the_page_s_queries_flat_from_one_device_to_ten(
    space: Space, ana: User, django_assert_num_queries: Callable[..., Any]
) -> None:
    client = signed_in(ana)
    grow(ana, 0, 1)
    small = count(client)
    grow(ana, 1, 9)
    assert count(client) == small
    with django_assert_num_queries(QUERIES):
        client.get("/reminders/push/")
