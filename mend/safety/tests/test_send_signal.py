from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.safety.models import Event, Signal

NOW = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def test_it_requires_login(db: None) -> None:
    assert Client().get("/safety/send/").status_code == 302
    assert Client().post("/api/safety/signals", {"kind": "pause"}).status_code == 401


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client_for(ana).post(
            "/safety/send/", {"kind": "pause", "minutes": "20", "return_in": "120"}
        )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.sender, signal.kind, signal.minutes) == (ana, "pause", 20)
    assert signal.ends_at == NOW + timedelta(minutes=20)
    assert signal.return_at == NOW + timedelta(minutes=120)
    event = Event.objects.get()
    assert (event.type, event.subject, event.change) == ("signal", signal.code, "pause")
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        banner = client_for(ben).get("/safety/banner/").content.decode()
    assert "Ana asked for a pause." in banner
    assert 'data-until="2026-03-01T20:20:00+00:00"' in banner
    assert "Breathe and ground" in banner and "Extend once" in banner


def test_the_form_defaults_to_a_20_minute_pause(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).get("/safety/send/").content.decode()
    assert 'value="20"' in page and 'value="pause" ' in page
    assert 'name="reason"' not in page


def test_the_api_sends_and_lists_signals(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client_for(ana).post(
            "/api/safety/signals",
            {"kind": "stop", "minutes": 30, "return_at": "2026-03-02T09:00:00Z"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["ends_at"].startswith("2026-03-01T20:30:00")
    [listed] = client_for(ben).get("/api/safety/signals").json()
    assert (listed["kind"], listed["is_mine"], listed["sender"]) == (
        "stop",
        False,
        "Ana",
    )


def test_it_refuses_bad_input_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    for payload, words in [
        ({"kind": "shout", "minutes": 20}, "pause, slow down or stop"),
        ({"kind": "pause", "minutes": 0}, "between 5 and 240"),
        ({"kind": "pause", "minutes": 600}, "between 5 and 240"),
        (
            {"kind": "pause", "minutes": 20, "return_at": "2099-01-01T00:00:00Z"},
            "24 hours",
        ),
        (
            {
                "kind": "pause",
                "minutes": 60,
                "return_at": datetime.now(UTC).isoformat(),
            },
            "after the cooling-off",
        ),
    ]:
        response = client.post(
            "/api/safety/signals", payload, content_type="application/json"
        )
        assert response.status_code == 400, payload
        assert words in response.json()["detail"]
    page = client.post("/safety/send/", {"kind": "pause", "minutes": "600"})
    assert page.status_code == 400
    assert "between 5 and 240" in page.content.decode()
    page = client.post("/safety/send/", {"kind": "shout", "minutes": "20"})
    assert page.status_code == 400
    assert not Signal.objects.exists() and not Event.objects.exists()


def test_a_new_signal_takes_the_place_of_the_open_one_and_history_keeps_both(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    client_for(ana).post("/safety/send/", {"kind": "pause", "minutes": "20"})
    client_for(ben).post("/safety/send/", {"kind": "slow", "minutes": "10"})
    current = Signal.objects.for_member(ana).current()
    assert current is not None
    assert current.kind == "slow"
    assert (
        "You asked to slow down."
        in client_for(ben).get("/safety/banner/").content.decode()
    )
    history = client_for(ana).get("/safety/").content.decode()
    assert "Pause: I need a break" in history and "Slow down" in history


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    client_for(ana).post("/safety/send/", {"kind": "pause", "minutes": "20"})
    signal = Signal.objects.get()
    d = client_for(dan)
    assert d.get("/api/safety/signals").json() == []
    assert "asked for a pause" not in d.get("/safety/banner/").content.decode()
    assert d.post(f"/safety/signals/{signal.code}/end/").status_code == 404
    assert (
        d.post(
            f"/api/safety/signals/{signal.code}/extend",
            {},
            content_type="application/json",
        ).status_code
        == 404
    )
