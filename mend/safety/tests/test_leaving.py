"""A signal ends when its sender leaves the space, and the partner's page is told."""

from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.live.models import Event
from mend.privacy.actions import leave_space
from mend.safety import actions
from mend.safety.models import Signal


def test_leaving_ends_the_leavers_signals_and_tells_the_partner(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    anas = actions.send_signal(space, ana, kind="pause", minutes=20)
    bens = actions.send_signal(space, ben, kind="slow", minutes=20)
    leave_space(ana, keep_shared=True)
    anas.refresh_from_db()
    assert (anas.ended_how, anas.ended_by) == ("left", ana)
    ended = Event.objects.get(change="ended")
    assert (ended.subject, ended.actor) == (anas.code, ana)
    banner = client_for(ben).get("/safety/banner/").content.decode()
    assert "Ana asked" not in banner and "You asked to slow down." in banner
    [left, running] = client_for(ben).get("/api/safety/signals").json()[::-1]
    assert (left["sender"], left["ended_how"]) == ("Ana", "left")
    assert running["is_running"] and Signal.objects.get(pk=bens.pk).is_running()


def test_leaving_without_keeping_shared_words_still_ends_the_pause(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    actions.send_signal(space, ana, kind="stop", minutes=20)
    leave_space(ana, keep_shared=False)
    assert not Signal.objects.exists()
    assert Event.objects.filter(change="ended").exists()
    assert client_for(ben).get("/safety/banner/").content.strip() == b""
