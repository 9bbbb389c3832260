"""The page where a person turns Web Push on and off; it never sends anything."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from mend.accounts.models import User
from mend.couples.models import Space
from mend.notify import push
from mend.notify.models import PushSubscription, ReminderChoice

ClientFor = Callable[[User], Client]
BROWSER = {
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
    response = client_for(ana).get("/reminders/push/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "this is the one outbound call Mend makes" in text
    assert "sees only scrambled text" in text
    assert push.public_key() in text
    # The permission prompt waits for the button: only the script asks, on submit.
    assert "notify/push.js" in text


def test_it_requires_login(db: None) -> None:
    response = Client().get("/reminders/push/")
    assert response.status_code == 302
    assert Client().post("/reminders/push/on/", BROWSER).status_code == 302
    assert not PushSubscription.objects.exists()


def test_it_turns_a_device_on_and_lists_it_by_name(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    response = client.post("/reminders/push/on/", BROWSER, follow=True)
    assert "Notifications are on for this device." in response.content.decode()
    device = PushSubscription.objects.get(user=ana)
    assert (device.name, device.endpoint) == ("Ana's blue phone", BROWSER["endpoint"])
    assert "Turn off for Ana&#x27;s blue phone" in response.content.decode()
    # Subscribing the same browser again renames it; no second row.
    client.post("/reminders/push/on/", BROWSER | {"name": "Phone"})
    assert list(PushSubscription.objects.values_list("name", flat=True)) == ["Phone"]


def test_it_turns_a_device_off(space: Space, ana: User, client_for: ClientFor) -> None:
    client = client_for(ana)
    client.post("/reminders/push/on/", BROWSER)
    code = PushSubscription.objects.get(user=ana).code
    response = client.post(f"/reminders/push/{code}/off/")
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: ClientFor
) -> None:
    client_for(ana).post("/reminders/push/on/", BROWSER)
    code = PushSubscription.objects.get(user=ana).code
    for other in (ben, dan):
        client = client_for(other)
        # The partner sees neither the device nor that Ana has one.
        assert "blue phone" not in client.get("/reminders/push/").content.decode()
        assert client.post(f"/reminders/push/{code}/off/").status_code == 404
    assert PushSubscription.objects.filter(code=code).exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": " "}, "Please give this device a name"),
        ({"name": "x" * 61}, "Please keep the name to 60 characters (it has 61)."),
        ({"endpoint": "http://push.example.org/x"}, "can&#x27;t be used"),
        ({"endpoint": "https://127.0.0.1/" + "x" * 2000}, "can&#x27;t be used"),
        ({"auth": ""}, "keys can&#x27;t be used"),
    ],
)
def test_it_refuses_what_cannot_work_and_keeps_nothing(
    space: Space, ana: User, client_for: ClientFor, change: dict[str, str], error: str
) -> None:
    response = client_for(ana).post("/reminders/push/on/", BROWSER | change)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_it_keeps_a_refused_device_name_on_the_page(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    """A name refused (too long) came back as a message after a redirect, and the
    name typed was gone."""
    name = "… " * 30 + "مرحبا 🌱"
    response = client_for(ana).post("/reminders/push/on/", BROWSER | {"name": name})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{name}"' in html
    assert "Please keep the name to 60 characters" in html
    assert not PushSubscription.objects.exists()


def test_it_says_so_when_the_operator_turned_push_off(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    with override_settings(PUSH=False):
        text = client.get("/reminders/push/").content.decode()
        assert "Notifications are turned off on this server" in text
        assert 'id="push-on"' not in text
        client.post("/reminders/push/on/", BROWSER)
    assert not PushSubscription.objects.exists()


def test_it_turns_one_kind_off_and_on(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    client.post("/reminders/push/kind/", {"topic": "pause", "push": "off"})
    assert ReminderChoice.objects.get(user=ana, topic="pause").is_push_on is False
    client.post("/reminders/push/kind/", {"topic": "pause", "push": "on"})
    assert ReminderChoice.objects.get(user=ana, topic="pause").is_push_on is True
    response = client.post(
        "/reminders/push/kind/", {"topic": "nope", "push": "on"}, follow=True
    )
    assert "There is no such kind of reminder." in response.content.decode()


def test_it_shows_a_push_in_neutral_words_and_opens_home(db: None) -> None:
    source = Client().get("/sw.js").content.decode()
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source
    assert 'var NEUTRAL = "Something in Mend is waiting for you";' in source
    assert 'openWindow("/")' in source
