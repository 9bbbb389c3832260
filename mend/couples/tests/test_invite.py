from collections.abc import Callable
from datetime import UTC, datetime

import time_machine
from django.test import Client

from mend.accounts.models import User


def test_it_says_until_when_without_a_double_full_stop(
    loner: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(loner)
    client.post("/space/new/", {"name": "", "roles": "unsaid"})
    # 08:00 in Berlin: the expiry is three days on, in Ana's zone, the zone named.
    with time_machine.travel(datetime(2026, 3, 2, 7, 0, tzinfo=UTC), tick=False):
        page = client.post("/space/invite/").content.decode()
    assert "It works once, until" in page
    assert "until 5 March 2026, 8:00 AM CET;" in page
