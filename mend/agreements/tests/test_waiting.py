import datetime as dt
from collections.abc import Callable

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements import waiting
from mend.agreements.models import Agreement, CrossingReport
from mend.couples.models import Space
from mend.lib.waiting import WaitingItem

NOW = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)


def shape(items: list[WaitingItem]) -> list[tuple[str, bool]]:
    return [(item.title, item.is_yours) for item in items]


@time_machine.travel(NOW, tick=False)
def test_it_asks_the_partner_to_affirm_then_the_proposer_to_confirm(
    space: Space, ana: User, ben: User
) -> None:
    item = Agreement.propose(space, ana, category="other", text="We talk at nine")
    assert shape(waiting.waiting_for(ben)) == [("An agreement wording to affirm", True)]
    assert shape(waiting.waiting_for(ana)) == [
        ("An agreement wording you proposed", False)
    ]
    assert waiting.waiting_for(ben)[0].url == f"/agreements/{item.code}/"
    version = item.versions.get()
    version.affirm(ben, "I agree")
    assert shape(waiting.waiting_for(ana)) == [
        ("An affirmed agreement wording to confirm", True)
    ]
    assert [i.is_yours for i in waiting.waiting_for(ben)] == [False]
    version.confirm(ana)
    assert waiting.waiting_for(ana) == waiting.waiting_for(ben) == []


@time_machine.travel(NOW, tick=False)
def test_it_asks_for_a_repair_then_a_reply(space: Space, ana: User, ben: User) -> None:
    report = CrossingReport.file_incident(
        space, ana, what_happened="w", how_it_felt="f", happened_on=None
    )
    assert [i.is_yours for i in waiting.waiting_for(ben)] == [True]
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [False]
    report.answer(
        ben,
        feelings="f",
        view="v",
        responsibility="r",
        step="s",
        talk_at=NOW + dt.timedelta(days=1),
    )
    assert shape(waiting.waiting_for(ana)) == [
        ("A repair offered to you, to reply to", True)
    ]
    report.close(ana, outcome="heard", step="s")
    assert waiting.waiting_for(ana) == []
    totals = {t.kind: t.count for t in waiting.path_totals(ben)}
    assert totals == {"agreements": 0, "repairs": 1}


def test_it_counts_agreements_in_force_only_once_both_agreed(
    space: Space, ana: User, ben: User
) -> None:
    item = Agreement.propose(space, ana, category="other", text="One")
    assert waiting.path_totals(ana)[0].count == 0
    version = item.versions.get()
    version.affirm(ben, "I agree")
    version.confirm(ana)
    edit = item.propose_edit(ben, text="One, reworded")
    assert waiting.path_totals(ana)[0].label == "1 agreement in force"
    assert edit.is_waiting()


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User
) -> None:
    Agreement.propose(space, ana, category="other", text="Ours")
    assert waiting.waiting_for(dan) == []
    assert [t.count for t in waiting.path_totals(dan)] == [0, 0]


@time_machine.travel(NOW, tick=False)
def test_it_says_whose_step_of_a_repair_round_comes_next(
    space: Space, ana: User, ben: User
) -> None:
    report = CrossingReport.file_incident(
        space, ana, what_happened="w", how_it_felt="f", happened_on=None
    )
    report.answer(
        ben,
        feelings="f",
        view="v",
        responsibility="r",
        step="s",
        talk_at=NOW + dt.timedelta(days=1),
    )
    report.close(ana, outcome="talk_more", step="s")
    round_ = report.open_round(ana)

    def steps(person: User) -> list[bool]:
        return [
            i.is_yours
            for i in waiting.waiting_for(person)
            if i.title
            in (
                "A step of your repair, yours to write",
                "A repair round you are walking together",
            )
        ]

    assert steps(ana) == steps(ben) == [True]  # each describes their own view first
    round_.write(ana, "view", "mine")
    assert (steps(ana), steps(ben)) == ([False], [True])
    round_.write(ben, "view", "his")
    assert (steps(ana), steps(ben)) == ([True], [True])  # now each summarises
    round_.write(ana, "summary", "you felt", sense="yes")
    round_.write(ben, "summary", "you felt", sense="yes")
    round_.write(ana, "plan", "next time")
    assert (steps(ana), steps(ben)) == ([False], [True])
    round_.write(ben, "plan", "next time")
    assert steps(ana) == steps(ben) == []


def test_it_tells_the_couple_s_open_pages_of_each_step_without_its_words(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Home's "Waiting for you" re-fetches on these, so it follows the partner live."""
    from mend.live.models import Event

    item = Agreement.propose(space, ana, category="other", text="Sunday is ours")
    item.versions.get().affirm(ben, "I agree")
    events = list(Event.objects.filter(space=space, type="agreement").order_by("pk"))
    assert [(e.change, e.actor_id) for e in events] == [
        ("proposed", ana.pk),
        ("affirmed", ben.pk),
    ]
    assert all(e.subject == item.code for e in events)
    assert all("Sunday" not in str(e.wire()) for e in events)
    home = client_for(ana).get("/").content.decode()
    assert 'hx-trigger="mend:agreement from:body' in home
