"""Conversation pages and API: pinned query counts at 1x and 10x history."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.models import Conversation
from mend.conversations.tests.helpers import running
from mend.couples.models import Space

# Signed in, after a first view that wrote the access log. A conversation's page
# and API answer also read its witness notes and who may witness it (one each).
PAGES = {
    "/conversations/": 6,
    "/conversations/{code}/": 15,
    "/api/conversations": 3,
    "/api/conversations/{code}": 13,
}


def grow(space: Space, ana: User, ben: User, times: int) -> Conversation:
    """Add TIMES ended conversations (2 turns and a question each) and one under way
    with 3 * TIMES turns; return that one."""
    moment = timezone.now()
    for n in range(times):
        # Moved on a minute each, as people would: proposals have a pace limit.
        with time_machine.travel(moment, tick=False):
            done = running(space, ana, ben)
            _turns(done, ana, ben, 2)
            actions.end(done, ben)
            actions.make_outcome(done, ana, kind="question", text=f"Later {n}?")
        moment += timedelta(minutes=2)
    with time_machine.travel(moment, tick=False):
        live = running(space, ana, ben)
    for n in range(3 * times):
        with time_machine.travel(moment + timedelta(minutes=n + 1), tick=False):
            _turns(live, ana, ben, 1)
    return live


def _turns(c: Conversation, ana: User, ben: User, count: int) -> None:
    for _ in range(count):
        speaker = c.floor
        assert speaker is not None
        listener = ben if speaker == ana else ana
        turn = actions.say_point(c, speaker, "A point.")
        actions.reflect(c, turn, listener, "You said a point.")
        actions.confirm(c, turn, speaker)
        actions.validate(c, turn, listener, "It makes sense.")
        actions.pass_floor(c, turn, speaker)


def _count(client: Client, path: str) -> int:
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_it_keeps_each_page_s_queries_flat_as_history_grows_tenfold(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    path: str,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    small = grow(space, ana, ben, 1)
    client = client_for(ben)
    at_1x = _count(client, path.format(code=small.code))
    Conversation.objects.filter(pk=small.pk).update(status="ended")
    large = grow(space, ana, ben, 10)
    assert _count(client, path.format(code=large.code)) == at_1x
    with django_assert_num_queries(PAGES[path]):
        client.get(path.format(code=large.code))


def test_its_lists_are_bounded(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.conversations.models import LIST_LIMIT

    moment = timezone.now()
    for n in range(LIST_LIMIT + 2):
        with time_machine.travel(moment + timedelta(minutes=n), tick=False):
            actions.end(running(space, ana, ben), ana)
    assert len(client_for(ben).get("/api/conversations").json()) == LIST_LIMIT
