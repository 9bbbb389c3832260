from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements.tests.helpers import active, proposed
from mend.couples.models import Space

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
# Home lists it with what else waits, by kind and link, never its words (#18).
REVISIT = b"An agreement to revisit together"


def test_it_requires_login(db: None) -> None:
    assert REVISIT not in Client().get("/").content


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        due = active(space, ana, ben, "Due in thirty days")
        only = proposed(space, ana, "Only proposed")
        client = client_for(ben)
        assert REVISIT not in client.get("/").content
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        home = client_for(ben).get("/").content
        assert REVISIT in home
        assert f"/agreements/{due.code}/".encode() in home
        assert b"Due in thirty days" not in home
        assert home.count(REVISIT) == 1  # the proposed one waits to be affirmed instead
        assert f"/agreements/{only.code}/".encode() in home


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben, "Ours to revisit")
    agreement.reopen(ana)
    assert REVISIT in client_for(ben).get("/").content
    assert REVISIT not in client_for(dan).get("/").content
