"""Check-in and calendar pages: a pinned query count, flat as the rhythm grows tenfold."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import signed_in
from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.checkins import actions
from mend.checkins.tests.helpers import NOW, TODAYS, daily
from mend.couples.models import Space

PAGES = {
    "/checkins/": 11,
    "/calendar/": 13,  # a query per source: check-ins, agreements, rituals, commitments, conversations
    "/api/checkins/": 3,
    "/api/checkins/due": 4,
    "/api/checkins/answers": 4,
    "/api/calendar/upcoming": 7,
    "/api/checkins/trend": 4,
}


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def grow(space: Space, people: list[User], times: int) -> None:
    """Add TIMES check-ins, each answered by both on each of the last days, and
    TIMES agreements with a review date."""
    for n in range(times):
        check_in = daily(space, people[0], name=f"c{n}")
        for days in range(1, 7):
            for person in people:
                actions.answer(
                    check_in,
                    person,
                    None,
                    occurs_at=TODAYS - dt.timedelta(days=days),
                    answers={"One thing I need": f"n{n}"},
                    share=True,
                )
        item = Agreement.propose(
            space, people[0], category=Category.values[0], text=f"a{n}"
        )
        Agreement.objects.filter(pk=item.pk).update(review_on=dt.date(2026, 11, 30))


def count(client: Client, path: str) -> int:
    assert client.get(path).status_code == 200  # the first view writes the access log
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_it_keeps_each_page_s_queries_flat_as_the_rhythm_grows_tenfold(
    space: Space,
    ana: User,
    ben: User,
    path: str,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    grow(space, [ana, ben], 1)
    client = signed_in(ben)
    small = count(client, path)
    grow(space, [ana, ben], 9)
    assert count(client, path) == small
    with django_assert_num_queries(PAGES[path]):
        client.get(path)
