from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.live.models import Event
from mend.safety import actions
from mend.safety.models import Signal

NOW = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true"}


def test_it_requires_login(space: Space, ana: User) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    assert Client().post(f"/safety/signals/{signal.code}/extend/").status_code == 302
    assert Client().post(f"/safety/signals/{signal.code}/end/").status_code == 302


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        signal = actions.send_signal(
            space, ana, kind="pause", minutes=20, return_at=NOW + timedelta(hours=2)
        )
    with time_machine.travel(NOW + timedelta(minutes=21), tick=False):
        banner = client_for(ben).get("/safety/banner/").content.decode()
        assert "The cooling-off time is over" in banner
        response = client_for(ana).post(
            f"/safety/signals/{signal.code}/extend/", {"minutes": "20"}, headers=HTMX
        )
    assert response.status_code == 200
    signal.refresh_from_db()
    assert signal.ends_at == NOW + timedelta(minutes=41)
    assert signal.extended_by == ana
    assert "Extend once" not in response.content.decode()


def test_it_extends_only_once(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    a = client_for(ana)
    url = f"/api/safety/signals/{signal.code}/extend"
    assert (
        a.post(url, {"minutes": 20}, content_type="application/json").status_code == 200
    )
    again = a.post(url, {"minutes": 20}, content_type="application/json")
    assert again.status_code == 409
    assert "already been extended once" in again.json()["detail"]
    assert Event.objects.filter(change="extended").count() == 1


def test_only_the_sender_changes_its_time(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        signal = actions.send_signal(space, ana, kind="pause", minutes=20)
        b = client_for(ben)
        assert "Extend once" not in b.get("/safety/banner/").content.decode()
        api = b.post(
            f"/api/safety/signals/{signal.code}/extend",
            {"minutes": 20},
            content_type="application/json",
        )
        assert api.status_code == 403
        assert "a pause of your own" in api.json()["detail"]
        page = b.post(
            f"/safety/signals/{signal.code}/extend/", {"minutes": "20"}, headers=HTMX
        )
        assert "a pause of your own" in page.content.decode()
    signal.refresh_from_db()
    assert signal.ends_at == NOW + timedelta(minutes=20) and signal.extended_at is None
    assert not Event.objects.filter(change="extended").exists()


def test_only_the_sender_ends_it_early(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    a, b = client_for(ana), client_for(ben)
    refused = b.post(f"/api/safety/signals/{signal.code}/end")
    assert refused.status_code == 403
    assert "Only the person who asked" in refused.json()["detail"]
    page = b.post(f"/safety/signals/{signal.code}/end/", headers=HTMX)
    assert "ready when they are" in page.content.decode()
    assert "Ana asked for a pause." in page.content.decode()
    signal.refresh_from_db()
    assert signal.is_running() and signal.ended_at is None
    assert not Event.objects.filter(change="ended").exists()
    assert "Ana asked for a pause." in b.get("/safety/banner/").content.decode()

    ended = a.post(f"/api/safety/signals/{signal.code}/end")
    assert ended.status_code == 200
    assert ended.json()["ended_how"] == "sender" and ended.json()["ended_at"]
    assert b.get("/safety/banner/").content.strip() == b""
    assert a.post(f"/api/safety/signals/{signal.code}/end").status_code == 409


def test_the_partner_is_offered_ready_not_end(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    actions.send_signal(space, ana, kind="pause", minutes=20)
    partner = client_for(ben).get("/safety/banner/").content.decode()
    assert "I'm ready when you are" in partner
    assert "End my pause" not in partner and "/end/" not in partner
    sender = client_for(ana).get("/safety/banner/").content.decode()
    assert "End my pause now" in sender and "ready when you are" not in sender


def test_a_double_click_on_end_ends_it_once(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    stale = Signal.objects.get(pk=signal.pk)
    actions.end_signal(signal, ana)
    a = client_for(ana)
    again = a.post(f"/safety/signals/{signal.code}/end/", headers=HTMX)
    assert "already ended" in again.content.decode()
    # A request that read the signal before the first end committed.
    with pytest.raises(Refused, match="already ended"):
        actions.end_signal(stale, ana)
    assert Event.objects.filter(change="ended").count() == 1


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    signal = actions.send_signal(space, ana, kind="pause", minutes=20)
    d = client_for(dan)
    assert d.post(f"/api/safety/signals/{signal.code}/end").status_code == 404
    assert d.post(f"/api/safety/signals/{signal.code}/ready").status_code == 404
