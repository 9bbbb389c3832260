from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements.tests.helpers import active, proposed
from mend.couples.models import Space

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_it_requires_login(db: None) -> None:
    assert b"Agreements to revisit" not in Client().get("/").content


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        active(space, ana, ben, "Due in thirty days")
        proposed(space, ana, "Only proposed")
        client = client_for(ben)
        assert b"Agreements to revisit" not in client.get("/").content
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        home = client_for(ben).get("/").content
        assert b"Agreements to revisit" in home
        assert b"Due in thirty days" in home
        assert b"Only proposed" not in home


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben, "Ours to revisit")
    agreement.reopen(ana)
    assert b"Ours to revisit" in client_for(ben).get("/").content
    assert b"Ours to revisit" not in client_for(dan).get("/").content
