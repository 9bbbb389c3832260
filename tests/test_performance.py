"""Every page and API list: a pinned query count that stays flat as history grows tenfold."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD, make_couple, signed_in
from mend.accounts.actions import sign_up
from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.journal.models import KIND, JournalEntry
from mend.privacy.models import open_entries
from mend.safety import actions as safety

START = datetime(2026, 1, 1, 9, tzinfo=UTC)

# Each page's queries, signed in, with the access log already written for what it shows.
# Every signed-in request: the session and the person (the session's own row is
# written only when it changes, mend/accounts/sessions.py); every page: the space and
# its partners, joined (mend/couples/context_processors.py).
PAGES = {
    "/": 5,
    "/agreements/": 9,  # items in force, and a page of retired ones, each with wordings
    "/journal/": 6,
    "/privacy/": 5,
    "/privacy/log/": 5,
    "/safety/triggers/": 6,
    "/api/agreements": 4,
    "/api/agreements?retired=true": 4,
    "/api/journal/entries": 4,
    "/api/privacy/access-log": 3,
    "/sw.js": 2,  # the same for everyone: only what every signed-in request reads
    "/manifest.webmanifest": 2,
}


def grow(space: Space, people: list[tuple[User, bytes]], months: int) -> None:
    """Add MONTHS of history, as the couple would make it, through Mend's actions."""
    for month in range(months):
        moment = START + timedelta(days=30 * month)
        with time_machine.travel(moment, tick=False):
            for person, key in people:
                for n in range(2):
                    journal.write_entry(
                        space, person, key, title="t", body="b", share=n == 0
                    )
                safety.note_trigger(
                    space, person, key, share=True, what="w", felt="f", helped="h"
                )
            for person, key in people:
                visible = list(JournalEntry.objects.visible_to(person))
                open_entries(visible, person, key, str(KIND))
            (a, _), (b, _) = people
            item = Agreement.propose(
                space, a, category=Category.values[0], text=f"m{month}"
            )
            version = item.versions.get()
            version.affirm(b, "I agree")
            version.confirm(a)
            for current in Agreement.objects.for_member(a).current():
                edit = current.propose_edit(b, text=f"reworded {month}")
                edit.affirm(a, "I agree")
                edit.confirm(b)
            in_force = list(
                Agreement.objects.for_member(a).current().order_by("created_at")
            )
            if len(in_force) > 3:
                in_force[0].propose_retirement(a)
                in_force[0].agree_retirement(b)


def retire_one(space: Space, people: list[tuple[User, bytes]]) -> None:
    (a, _), (b, _) = people
    item = Agreement.propose(space, a, category=Category.values[0], text="to retire")
    version = item.versions.get()
    version.affirm(b, "I agree")
    version.confirm(a)
    item.propose_retirement(a)
    item.agree_retirement(b)


def count(client: Client, path: str) -> int:
    assert client.get(path).status_code == 200  # the first view writes the access log
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.fixture
def couple(db: None) -> tuple[Space, list[tuple[User, bytes]]]:
    people = []
    for name in ("ana", "ben"):
        user, key, _code = sign_up(
            username=name, password=PASSWORD, display_name=name.title()
        )
        people.append((user, key))
    return make_couple(people[0][0], people[1][0]), people


@pytest.mark.parametrize("path", PAGES)
def test_it_keeps_each_page_s_queries_flat_as_history_grows_tenfold(
    couple: tuple[Space, list[tuple[User, bytes]]],
    path: str,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    space, people = couple
    grow(space, people, 1)
    retire_one(space, people)  # so every kind of row is there at 1x as at 10x
    client = signed_in(people[1][0])
    small = count(client, path)
    grow(space, people, 9)
    assert count(client, path) == small
    with django_assert_num_queries(PAGES[path]):
        client.get(path)


def test_it_sends_a_pause_in_a_pinned_number_of_queries(
    couple: tuple[Space, list[tuple[User, bytes]]],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    """The pause's path (#12): the token with its person, their space, the pace (a
    row lock and a count), ending their own running signal, the signal and its event:
    seven statements, and here the test's savepoint around them (two more; in
    production BEGIN and COMMIT). The token's last use is written at most once a
    minute, so not here. Ten signals first: history, and a running one to give way."""
    assert couple  # Ana (who sends) and Ben share a space
    token = Client().post(
        "/api/accounts/tokens",
        {"username": "ana", "password": PASSWORD, "name": "bench"},
        content_type="application/json",
    )
    secret = token.json()["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    body = {"kind": "pause", "minutes": 20}
    client = Client()
    for n in range(10):
        with time_machine.travel(START + timedelta(minutes=2 * n), tick=False):
            response = client.post(
                "/api/safety/signals",
                body,
                content_type="application/json",
                headers=headers,
            )
            assert response.status_code == 201, response.content
    with (
        time_machine.travel(START + timedelta(minutes=18, seconds=30), tick=False),
        django_assert_num_queries(9),
    ):
        response = client.post(
            "/api/safety/signals",
            body,
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 201
    running = client.get("/api/safety/signals", headers=headers).json()
    assert [s["ended_how"] for s in running if s["ended_how"]].count("sender") == 10
