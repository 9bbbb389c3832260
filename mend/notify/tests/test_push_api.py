"""The Web Push settings through the API: the same rules as the page."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from mend.accounts.models import User
from mend.couples.models import Space
from mend.notify import push
from mend.notify.models import PushSubscription

ClientFor = Callable[[User], Client]
JSON = "application/json"
DEVICE = {
    "name": "Ana's blue phone",
    "endpoint": "https://push.example.org/send/abc",
    "p256dh": "BOr6n" + "x" * 80,
    "auth": "c2VjcmV0c2VjcmV0",
}


@pytest.fixture(autouse=True)
def _vapid_key(tmp_path: Path) -> Iterator[None]:
    push.vapid.cache_clear()
    with override_settings(PUSH_VAPID_KEY_FILE=tmp_path / "vapid.pem", PUSH=True):
        yield
    push.vapid.cache_clear()


def test_it_works(space: Space, ana: User, client_for: ClientFor) -> None:
    client = client_for(ana)
    response = client.post("/api/reminders/push/devices", DEVICE, content_type=JSON)
    assert response.status_code == 201
    data = client.get("/api/reminders/push/devices").json()
    assert data["push_ready"] is True
    assert data["public_key"] == push.public_key()
    [device] = data["devices"]
    assert device["name"] == "Ana's blue phone"
    assert "endpoint" not in device  # what it is for, never where it goes
    response = client.put(
        "/api/reminders/push/kinds/pause", {"push": False}, content_type=JSON
    )
    assert {k["topic"]: k["push"] for k in response.json()["kinds"]}["pause"] is False
    response = client.delete(f"/api/reminders/push/devices/{device['code']}")
    assert response.status_code == 204
    assert not PushSubscription.objects.exists()


def test_it_requires_login(db: None) -> None:
    assert Client().get("/api/reminders/push/devices").status_code == 401
    response = Client().post("/api/reminders/push/devices", DEVICE, content_type=JSON)
    assert response.status_code == 401


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: ClientFor
) -> None:
    client_for(ana).post("/api/reminders/push/devices", DEVICE, content_type=JSON)
    code = PushSubscription.objects.get(user=ana).code
    for other in (ben, dan):
        client = client_for(other)
        assert client.get("/api/reminders/push/devices").json()["devices"] == []
        response = client.delete(f"/api/reminders/push/devices/{code}")
        assert response.status_code == 404
    assert PushSubscription.objects.filter(code=code).exists()


@pytest.mark.parametrize(
    "change",
    [{"name": "x" * 61}, {"endpoint": "http://push.example.org/x"}, {"p256dh": ""}],
)
def test_it_refuses_what_cannot_work_and_keeps_nothing(
    space: Space, ana: User, client_for: ClientFor, change: dict[str, str]
) -> None:
    response = client_for(ana).post(
        "/api/reminders/push/devices", DEVICE | change, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not PushSubscription.objects.exists()


def test_it_refuses_when_the_operator_turned_push_off(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    with override_settings(PUSH=False):
        assert client.get("/api/reminders/push/devices").json()["push_ready"] is False
        response = client.post("/api/reminders/push/devices", DEVICE, content_type=JSON)
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()
