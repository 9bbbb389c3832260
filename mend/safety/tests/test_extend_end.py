from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.safety import actions
from mend.safety.models import Event

NOW = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def test_it_requires_login(space: Space, ana: User) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    assert Client().post(f"/safety/signals/{signal.code}/extend/").status_code == 302


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    b = client_for(ben)
    with time_machine.travel(NOW + timedelta(minutes=21), tick=False):
        banner = b.get("/safety/banner/").content.decode()
        assert "The cooling-off time is over" in banner
        response = b.post(
            f"/safety/signals/{signal.code}/extend/",
            {"minutes": "20"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    signal.refresh_from_db()
    assert signal.ends_at == NOW + timedelta(minutes=41)
    assert signal.extended_by == ben
    assert "Extend once" not in response.content.decode()


def test_it_extends_only_once(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    a = client_for(ana)
    url = f"/api/safety/signals/{signal.code}/extend"
    assert (
        a.post(url, {"minutes": 20}, content_type="application/json").status_code == 200
    )
    again = client_for(ben).post(url, {"minutes": 20}, content_type="application/json")
    assert again.status_code == 409
    assert "already been extended once" in again.json()["detail"]
    assert Event.objects.filter(change="extended").count() == 1


def test_either_partner_ends_it(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    response = client_for(ben).post(f"/api/safety/signals/{signal.code}/end")
    assert response.status_code == 200 and response.json()["ended_at"]
    assert client_for(ana).get("/safety/banner/").content.strip() == b""
    again = client_for(ana).post(f"/api/safety/signals/{signal.code}/end")
    assert again.status_code == 409


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    assert (
        client_for(dan).post(f"/api/safety/signals/{signal.code}/end").status_code
        == 404
    )
