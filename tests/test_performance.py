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
from mend.agreements.models import Agreement, Category, CrossingReport
from mend.checkins import actions as checkins
from mend.commitments import actions as commitments
from mend.commitments.models import (
    Answer,
    Commitment,
    Disclosure,
    Milestone,
    Question,
    Words,
)
from mend.conversations import actions as conversations
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.journal.models import KIND, JournalEntry
from mend.lib.recurrence import DAILY, Schedule
from mend.privacy.models import open_entries
from mend.safety import actions as safety
from mend.story.models import Appreciation, Ritual, StandFor

START = datetime(2026, 1, 1, 9, tzinfo=UTC)

# Each page's queries, signed in, with the access log already written for what it shows.
# Every signed-in request: the session and the person (the session's own row is
# written only when it changes, mend/accounts/sessions.py); every page: the space and
# its partners, joined (mend/couples/context_processors.py).
PAGES = {
    # What waits, both ways, from seven features, and the path's totals (#18).
    "/": 25,
    "/agreements/": 8,  # items in force with their wordings; whether any are retired
    "/agreements/retired/": 6,  # a page of retired items, with their wordings
    "/journal/": 7,  # +1: the open questions for you (#16)
    "/privacy/": 5,
    "/privacy/log/": 5,
    "/safety/triggers/": 6,
    "/api/agreements": 4,
    "/api/agreements?retired=true": 4,
    "/api/journal/entries": 4,
    "/api/privacy/access-log": 3,
    "/journal/search/?q=b": 7,
    "/api/journal/search?q=b": 5,
    "/api/journal/questions": 4,  # +1 once a question waits (grow_waiting, #18)
    "/story/": 10,
    "/story/appreciations/": 6,
    "/story/recap/": 5,
    "/story/values/history/": 5,
    "/api/story/appreciations": 4,
    "/api/story/recap": 3,
    "/api/story/values": 7,
    "/api/story/rituals": 3,
    "/commitments/": 8,
    "/commitments/disclosures/": 6,
    "/commitments/questions/": 9,
    "/commitments/slips/": 7,
    "/commitments/milestones/": 8,
    "/commitments/progress/": 11,  # +1: the check-in answers for their trend (#14)
    "/api/commitments/": 6,
    "/api/commitments/disclosures": 4,
    "/api/commitments/questions": 6,
    "/api/commitments/milestones": 5,
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
            # Shared meaning (#16): notes both ways, a question answered, a ritual
            # done, and what they stand for reworded and agreed again.
            asked = journal.write_entry(
                space,
                a,
                people[0][1],
                title="q",
                body="b",
                share=True,
                is_question=True,
            )
            journal.answer_entry(asked, b, "reply", "a reply")
            journal.answer_entry(asked, b, "read")
            for person, _key in people:
                Appreciation.write(space, person, f"thanks {month}")
            ritual = Ritual.start(
                space,
                a,
                title=f"walk {month}",
                starts_on=moment.date(),
                at=moment.time(),
                frequency="daily",
            )
            ritual.mark_done(b, moment.date())
            wording = StandFor.of(space).propose(
                a, values=f"v{month}", commitments="c", vision="v"
            )
            wording.affirm(b, "I agree")
            wording.confirm(a)
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
            grow_waiting(space, people, moment)


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


def grow_waiting(
    space: Space, people: list[tuple[User, bytes]], moment: datetime
) -> None:
    """A month of things left waiting, both ways, for home's lists (#18)."""
    (a, key), (b, _k) = people
    Agreement.propose(space, a, category=Category.values[0], text="waiting")
    journal.write_entry(
        space, a, key, title="q", body="b", share=True, is_question=True
    )
    report = CrossingReport.file_incident(space, b, what_happened="w", how_it_felt="f")
    report.open_round(a).write(a, "view", "v")
    conversations.propose(
        space, b, topics=["t"], minutes=30, starts_at=moment + timedelta(days=1)
    )
    checkins.add_check_in(
        space,
        a,
        kind="daily",
        name="n",
        schedule=Schedule(
            starts_on=(moment - timedelta(days=2)).date(),
            at=time(6),
            zone="UTC",
            frequency=DAILY,
        ),
    )


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
        # PostgreSQL tells other processes with a NOTIFY in the same transaction
        # (delivered at commit): one statement more there (mend/lib/broker.py).
        django_assert_num_queries(10 if connection.vendor == "postgresql" else 9),
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


def test_it_keeps_a_journal_entry_with_replies_flat(
    couple: tuple[Space, list[tuple[User, bytes]]],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    space, people = couple
    (a, key), (b, _) = people
    entry = journal.write_entry(
        space, a, key, title="t", body="b", share=True, is_question=True
    )
    journal.answer_entry(entry, b, "read")
    journal.answer_entry(entry, b, "reply", "one")
    author, partner = signed_in(a), signed_in(b)
    small = [count(c, f"/journal/{entry.code}/") for c in (author, partner)]
    for n in range(9):
        journal.answer_entry(entry, b, "reply", f"more {n}")
    assert [count(c, f"/journal/{entry.code}/") for c in (author, partner)] == small
    with django_assert_num_queries(7):
        author.get(f"/journal/{entry.code}/")
