"""Ladder moves are pushed live, so a person can make only a handful a minute."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.intimacy.actions import MOVES_PER_MINUTE
from mend.live.models import Event

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_moves_past_the_pace_are_refused_and_nothing_is_pushed(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    for n in range(MOVES_PER_MINUTE + 1):
        with time_machine.travel(NOW - timedelta(minutes=10 - n), tick=False):
            b.post("/api/intimacy/plan/ready")
            assert a.post("/api/intimacy/plan/ready").status_code == 200
    with time_machine.travel(NOW, tick=False):
        for _ in range(MOVES_PER_MINUTE):
            assert a.post("/api/intimacy/plan/down").status_code == 200
        pushed = Event.objects.filter(actor=ana, change="down").count()
        refused = a.post("/api/intimacy/plan/down")
        assert refused.status_code == 429
        assert "several times in one minute" in refused.json()["detail"]
        page = a.post("/intimacy/gentler/", follow=True).content.decode()
        assert "several times in one minute" in page
        assert Event.objects.filter(actor=ana, change="down").count() == pushed
        # The partner is not held back by what Ana did.
        assert b.post("/api/intimacy/plan/ready").status_code == 200
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert a.post("/api/intimacy/plan/down").status_code == 200
