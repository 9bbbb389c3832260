"""The partner's "I'm ready when you are": the sender is told live, and decides."""

from collections.abc import Callable

import pytest
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.live.models import Event
from mend.safety import actions

HTMX = {"HX-Request": "true"}


def test_it_requires_login(space: Space, ana: User) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    assert Client().post(f"/safety/signals/{signal.code}/ready/").status_code == 302
    assert Client().post(f"/api/safety/signals/{signal.code}/ready").status_code == 401


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    response = client_for(ben).post(
        f"/safety/signals/{signal.code}/ready/", headers=HTMX
    )
    assert response.status_code == 200
    assert "You told Ana you're ready when they are" in response.content.decode()
    signal.refresh_from_db()
    assert signal.ready_by == ben and signal.ready_at is not None
    assert signal.is_running() and signal.ended_at is None
    event = Event.objects.get(change="ready")
    assert (event.subject, event.actor) == (signal.code, ben)
    banner = client_for(ana).get("/safety/banner/").content.decode()
    assert "Ben is ready when you are." in banner and "End my pause now" in banner


def test_it_is_said_once(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    b = client_for(ben)
    url = f"/api/safety/signals/{signal.code}/ready"
    first, second = b.post(url), b.post(url)
    assert first.status_code == second.status_code == 200
    assert first.json()["ready_at"] == second.json()["ready_at"]
    assert second.json()["is_running"] is True and second.json()["ended_how"] is None
    assert Event.objects.filter(change="ready").count() == 1


def test_the_sender_ends_their_own_instead(space: Space, ana: User) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    with pytest.raises(Refused, match="your own pause"):
        actions.say_ready(signal, ana)
    assert not Event.objects.filter(change="ready").exists()


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    assert (
        client_for(dan).post(f"/safety/signals/{signal.code}/ready/").status_code == 404
    )
