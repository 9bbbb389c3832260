"""Every page and API list: a pinned query count that stays flat as history grows tenfold."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
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
from mend.commitments import actions as commitments
from mend.commitments.models import (
    Answer,
    Commitment,
    Disclosure,
    Milestone,
    Question,
    Words,
)
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.journal.models import KIND, JournalEntry
from mend.privacy.models import open_entries
from mend.safety import actions as safety

START = datetime(2026, 1, 1, 9, tzinfo=UTC)

# Each page's queries, signed in, with the access log already written for what it shows.
PAGES = {
    "/": 9,
    "/agreements/": 9,
    "/journal/": 8,
    "/privacy/": 7,
    "/privacy/log/": 7,
    "/safety/triggers/": 8,
    "/api/agreements": 5,
    "/api/journal/entries": 5,
    "/api/privacy/access-log": 4,
    "/commitments/": 10,
    "/commitments/disclosures/": 8,
    "/commitments/questions/": 11,
    "/commitments/slips/": 9,
    "/commitments/milestones/": 10,
    "/commitments/progress/": 12,
    "/api/commitments/": 7,
    "/api/commitments/disclosures": 5,
    "/api/commitments/questions": 7,
    "/api/commitments/milestones": 6,
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
            grow_accountability(space, people, moment)


def grow_accountability(
    space: Space, people: list[tuple[User, bytes]], moment: datetime
) -> None:
    """A month of commitments, marks, disclosures, questions, slips and runs."""
    pairs = ((people[0], people[1]), (people[1], people[0]))
    for (person, key), (partner, _k) in pairs:
        item = Commitment.make(
            space,
            person,
            Words(
                text="c",
                frequency="daily",
                at=time(6),
                starts_on=(moment - timedelta(days=6)).date(),
            ),
        )
        for back in range(1, 6):
            day = (moment - timedelta(days=back)).date()
            item.mark(person, day, kept=back != 3)
            item.respond(partner, day, agrees=back != 2, note="n")
        item.propose_change(partner, Words(text="c2", starts_on=item.starts_on))
        Disclosure.log(space, person, what="d", happened_at=moment - timedelta(hours=5))
        question = Question.draft(space, person, key, text="q", topic="other")
        question.set_shared(key, person, share=True)
        Answer.give(question, partner, text="a")
        Question.draft(space, person, key, text="private q", topic="other")
        commitments.record_slip(
            space,
            person,
            key,
            kind="other",
            on=None,
            led_to="l",
            learned="l",
            step="s",
            share=True,
        )
        sober = Milestone.start(
            space, person, name="m", started_on=(moment - timedelta(days=20)).date()
        )
        sober.new_run(person, (moment - timedelta(days=10)).date())


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
    client = signed_in(people[1][0])
    small = count(client, path)
    grow(space, people, 9)
    assert count(client, path) == small
    with django_assert_num_queries(PAGES[path]):
        client.get(path)
