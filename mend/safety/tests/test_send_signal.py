from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.live.models import Event
from mend.privacy.actions import leave_space
from mend.safety import actions
from mend.safety.models import Signal

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
    assert "Breathe and ground" in banner and "I'm ready when you are" in banner


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


def test_a_signal_from_the_partner_never_shortens_replaces_or_hides_a_running_one(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    with time_machine.travel(NOW, tick=False):
        a.post("/safety/send/", {"kind": "pause", "minutes": "30"})
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        b.post("/safety/send/", {"kind": "slow", "minutes": "10"})
        anas = Signal.objects.get(sender=ana)
        assert anas.is_running() and anas.ends_at == NOW + timedelta(minutes=30)
        running = Signal.objects.for_member(ana).running()
        assert [(s.sender, s.kind) for s in running] == [(ana, "pause"), (ben, "slow")]
        for client, lines in [
            (a, ["You asked for a pause.", "Ben asked to slow down."]),
            (b, ["Ana asked for a pause.", "You asked to slow down."]),
        ]:
            banner = client.get("/safety/banner/").content.decode()
            assert "You both asked for time." in banner
            assert all(line in banner for line in lines), banner
            assert banner.index(lines[0]) < banner.index(lines[1])
        # Ben ending his own leaves Ana's in place, with its banner.
        bens = Signal.objects.get(sender=ben)
        b.post(f"/safety/signals/{bens.code}/end/")
        banner = b.get("/safety/banner/").content.decode()
        assert "Ana asked for a pause." in banner
        assert "You both asked" not in banner and "slow down" not in banner
        listed = {s["sender"]: s for s in a.get("/api/safety/signals").json()}
        assert listed["Ana"]["is_running"] and listed["Ana"]["ended_how"] is None
        assert listed["Ben"]["ended_how"] == "sender"


def test_a_new_signal_takes_the_place_of_the_senders_own(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    a.post("/safety/send/", {"kind": "slow", "minutes": "20"})
    a.post("/safety/send/", {"kind": "stop", "minutes": "30"})
    [running] = Signal.objects.for_member(ana).running()
    assert running.kind == "stop"
    first = Signal.objects.get(kind="slow")
    assert (first.ended_how, first.ended_by) == ("sender", ana)
    history = a.get("/safety/").content.decode()
    assert "Slow down" in history and "Stop" in history


def test_it_ends_at_its_time(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    b = client_for(ben)
    with time_machine.travel(NOW, tick=False):
        client_for(ana).post(
            "/safety/send/", {"kind": "pause", "minutes": "20", "return_in": "60"}
        )
    with time_machine.travel(NOW + timedelta(minutes=59), tick=False):
        assert "Ana asked for a pause." in b.get("/safety/banner/").content.decode()
    with time_machine.travel(NOW + timedelta(minutes=60), tick=False):
        assert b.get("/safety/banner/").content.strip() == b""
        [listed] = b.get("/api/safety/signals").json()
        assert listed["ended_how"] == "time" and not listed["is_running"]
        assert listed["ended_at"].startswith("2026-03-01T21:00:00")
        assert "Ended at its time" in b.get("/safety/").content.decode()


def test_a_flood_is_refused_in_plain_words_and_nothing_is_pushed(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    with time_machine.travel(NOW, tick=False):
        for _ in range(settings.SIGNALS_PER_MINUTE):
            sent = a.post(
                "/api/safety/signals",
                {"kind": "stop", "minutes": 20},
                content_type="application/json",
            )
            assert sent.status_code == 201
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        refused = a.post(
            "/api/safety/signals",
            {"kind": "stop", "minutes": 20},
            content_type="application/json",
        )
        assert refused.status_code == 429
        assert "several signals in the last minute" in refused.json()["detail"]
        page = a.post("/safety/send/", {"kind": "pause", "minutes": "20"})
        assert page.status_code == 400
        assert "several signals in the last minute" in page.content.decode()
    assert (
        Signal.objects.count() == Event.objects.count() == settings.SIGNALS_PER_MINUTE
    )
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        again = a.post("/safety/send/", {"kind": "pause", "minutes": "20"})
        assert again.status_code == 302


def test_history_says_how_each_signal_ended(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        by_sender = actions.send_signal(space, ana, kind="slow", minutes=20)
        actions.end_signal(by_sender, ana)
        actions.send_signal(space, ben, kind="pause", minutes=5)
        on_leaving = actions.send_signal(space, ana, kind="stop", minutes=30)
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        leave_space(ana, keep_shared=True)
        page = client_for(ben).get("/safety/").content.decode()
        listed = client_for(ben).get("/api/safety/signals").json()
    for words in [
        "Ended by its sender",
        "Ended at its time",
        "Ended when its sender left the space",
    ]:
        assert words in page
    assert [s["ended_how"] for s in listed] == ["left", "time", "sender"]
    on_leaving.refresh_from_db()
    assert on_leaving.ended_at == NOW + timedelta(minutes=10)


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
