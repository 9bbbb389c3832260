import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.commitments.models import Commitment, CommitmentWording, Mark, Words
from mend.couples.models import Space
from mend.lib.errors import Refused

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(
    zone: dt.tzinfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def daily(text: str = "Answer messages within two hours", **kw: object) -> Words:
    values: dict[str, object] = {
        "text": text,
        "frequency": "daily",
        "at": dt.time(8, 0),
        "starts_on": dt.date(2026, 10, 20),
    }
    values.update(kw)
    return Words(**values)  # type: ignore[arg-type]  # test data


@pytest.fixture
def apart(space: Space, ana: User, ben: User) -> Space:
    # Ben lives in New York, Ana in Berlin: each commitment follows its maker's clock.
    ben.time_zone = "America/New_York"
    ben.save(update_fields=["time_zone"])
    return space


# Recurrence and time zones ---------------------------------------------------------


def test_it_keeps_a_daily_time_on_the_wall_clock_across_the_autumn_change(
    space: Space, ana: User
) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 20, 12), tick=False):
        item = Commitment.make(space, ana, daily())
    found = Commitment.objects.filter(pk=item.pk).occurrences_between(
        at(BERLIN, 2026, 10, 24), at(BERLIN, 2026, 10, 27)
    )
    assert [o.starts_at.astimezone(BERLIN).hour for o in found] == [8, 8, 8]
    assert [o.on for o in found] == [
        dt.date(2026, 10, 24),
        dt.date(2026, 10, 25),
        dt.date(2026, 10, 26),
    ]
    # 8:00 is 6:00 UTC in summer time and 7:00 UTC after the change.
    assert [o.starts_at.hour for o in found] == [6, 7, 7]
    assert {o.title for o in found} == {"Commitment"}


def test_it_places_a_time_lost_on_the_spring_change_on_its_own_day(
    space: Space, ana: User
) -> None:
    with time_machine.travel(at(BERLIN, 2026, 3, 1, 12), tick=False):
        item = Commitment.make(
            space, ana, daily(at=dt.time(2, 30), starts_on=dt.date(2026, 3, 1))
        )
    moment = item.occurrence_on(dt.date(2026, 3, 29))
    assert moment is not None
    assert moment.astimezone(BERLIN).date() == dt.date(2026, 3, 29)


def test_it_puts_each_occurrence_on_its_maker_s_day_for_partners_in_two_zones(
    apart: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(at(NEW_YORK, 2026, 10, 20, 12), tick=False):
        late = Commitment.make(apart, ben, daily("Call before bed", at=dt.time(23, 30)))
        morning = Commitment.make(apart, ana, daily("Walk together"))
    found = Commitment.objects.for_member(ana).occurrences_between(
        at(dt.UTC, 2026, 10, 21), at(dt.UTC, 2026, 10, 22)
    )
    by_code = {o.code: o for o in found}
    ben_occurrence = by_code[str(late.code)]
    # 23:30 in New York on the 20th is the 21st at 03:30 UTC, and Ben's day is the 20th.
    assert ben_occurrence.starts_at == at(dt.UTC, 2026, 10, 21, 3, 30)
    assert ben_occurrence.on == dt.date(2026, 10, 20)
    assert by_code[str(morning.code)].on == dt.date(2026, 10, 21)
    with time_machine.travel(at(NEW_YORK, 2026, 10, 21, 9), tick=False):
        mark = late.mark(ben, dt.date(2026, 10, 20), kept=True)
    assert mark.due_at == at(dt.UTC, 2026, 10, 21, 3, 30)


def test_it_follows_new_york_s_own_change_a_week_after_berlin_s(
    apart: Space, ben: User
) -> None:
    with time_machine.travel(at(NEW_YORK, 2026, 10, 20, 12), tick=False):
        item = Commitment.make(apart, ben, daily(frequency="weekdays", weekdays=(6,)))
    found = Commitment.objects.filter(pk=item.pk).occurrences_between(
        at(dt.UTC, 2026, 10, 24), at(dt.UTC, 2026, 11, 3)
    )
    # Sundays at 8:00 New York time: EDT on 25 October, EST on 1 November.
    assert [(o.on, o.starts_at.hour) for o in found] == [
        (dt.date(2026, 10, 25), 12),
        (dt.date(2026, 11, 1), 13),
    ]


def test_it_refuses_a_window_longer_than_a_calendar_needs(
    space: Space, ana: User
) -> None:
    with pytest.raises(Refused):
        Commitment.objects.for_member(ana).occurrences_between(
            at(dt.UTC, 2026, 1, 1), at(dt.UTC, 2028, 1, 1)
        )


# Bad input: a clear refusal, nothing changes ---------------------------------------


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (
            daily(frequency="weekdays", weekdays=(0,), ends_on=dt.date(2026, 10, 21)),
            "never happens",
        ),
        (daily(ends_on=dt.date(2026, 10, 1)), "before the start"),
        (daily(frequency="weekdays", weekdays=()), "at least one day"),
        (daily(text="  "), "Please write"),
        (daily(text="x" * 301), "at most 300"),
    ],
)
def test_it_refuses_a_schedule_that_cannot_be_kept(
    space: Space, ana: User, words: Words, says: str
) -> None:
    # 20 October 2026 is a Tuesday: Mondays up to the 21st never come.
    with pytest.raises(Refused, match=says):
        Commitment.make(space, ana, words)
    assert not Commitment.objects.exists()


def test_it_refuses_to_mark_a_time_that_has_not_come(space: Space, ana: User) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 20, 7), tick=False):
        item = Commitment.make(space, ana, daily())
        with pytest.raises(Refused, match="hasn't come yet"):
            item.mark(ana, dt.date(2026, 10, 20), kept=True)
    assert not Mark.objects.exists()


def test_it_refuses_a_mark_on_a_day_it_does_not_fall(space: Space, ana: User) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 30, 9), tick=False):
        item = Commitment.make(space, ana, daily(frequency="weekdays", weekdays=(1,)))
        with pytest.raises(Refused, match="doesn't fall"):
            item.mark(ana, dt.date(2026, 10, 21), kept=True)
    assert not Mark.objects.exists()


def test_it_refuses_a_mark_on_the_other_partner_s_commitment(
    space: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 21, 9), tick=False):
        item = Commitment.make(space, ana, daily())
        with pytest.raises(Refused) as refused:
            item.mark(ben, dt.date(2026, 10, 20), kept=True)
    assert refused.value.status == 403
    assert not Mark.objects.exists()


def test_it_keeps_both_views_side_by_side(space: Space, ana: User, ben: User) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 21, 9), tick=False):
        item = Commitment.make(space, ana, daily())
        item.mark(ana, dt.date(2026, 10, 20), kept=True, note="Answered each one")
        mark = item.respond(
            ben, dt.date(2026, 10, 20), agrees=False, note="One waited till evening"
        )
    assert (mark.status, mark.note) == ("kept", "Answered each one")
    assert (mark.partner_view, mark.partner_note) == (
        "differently",
        "One waited till evening",
    )


def test_it_asks_for_a_sentence_when_the_partner_saw_it_differently(
    space: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 21, 9), tick=False):
        item = Commitment.make(space, ana, daily())
        item.mark(ana, dt.date(2026, 10, 20), kept=True)
        with pytest.raises(Refused, match="sentence"):
            item.respond(ben, dt.date(2026, 10, 20), agrees=False)
        with pytest.raises(Refused) as own:
            item.respond(ana, dt.date(2026, 10, 20), agrees=True)
    assert own.value.status == 403
    assert Mark.objects.get().partner_view == ""


def test_it_clears_the_partner_s_view_when_the_mark_changes(
    space: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(at(BERLIN, 2026, 10, 21, 9), tick=False):
        item = Commitment.make(space, ana, daily())
        item.mark(ana, dt.date(2026, 10, 20), kept=True)
        item.respond(ben, dt.date(2026, 10, 20), agrees=True)
        mark = item.mark(ana, dt.date(2026, 10, 20), kept=False)
    assert mark.partner_view == ""


def test_it_links_a_commitment_to_the_agreement_it_came_from(
    space: Space, ana: User
) -> None:
    agreement = Agreement.propose(
        space, ana, category=Category.values[0], text="No contact"
    )
    item = Commitment.make(space, ana, daily(), agreement=agreement)
    assert item.agreement == agreement
    elsewhere = Commitment.make(
        space, ana, daily(), came_from=("conversation", agreement.code)
    )
    assert (elsewhere.came_from_kind, elsewhere.came_from_code) == (
        "conversation",
        agreement.code,
    )


# Changing or ending needs both: a state machine ------------------------------------


def test_changes_need_both_partners_state_machine(
    space: Space, ana: User, ben: User
) -> None:
    item = Commitment.make(space, ana, daily())
    original = item.words()

    # Proposed by the maker: the words in force stand until the partner affirms.
    first = item.propose_change(ana, daily("Answer within one hour"))
    item.refresh_from_db()
    assert item.words() == original and first.is_waiting()
    with pytest.raises(Refused, match="your partner who affirms"):
        first.affirm(ana, "I agree")

    # A newer proposal replaces the waiting one; the replaced words can't be affirmed.
    second = item.propose_change(ben, daily("Answer within three hours"))
    first.refresh_from_db()
    assert first.superseded_at is not None
    with pytest.raises(Refused, match="no longer the one"):
        first.affirm(ben, "I agree")

    # Affirmed only in explicit words, by the other partner: then it is in force.
    with pytest.raises(Refused, match="I agree"):
        second.affirm(ana, "ok")
    item.refresh_from_db()
    assert item.text == original.text
    second.affirm(ana, "I agree")
    item.refresh_from_db()
    assert item.text == "Answer within three hours"
    assert not item.wordings.waiting().exists()

    # Ending needs both as well; until then it goes on.
    ending = item.propose_end(ana)
    item.refresh_from_db()
    assert item.ended_at is None
    ending.affirm(ben, "I agree")
    item.refresh_from_db()
    assert item.ended_at is not None

    # An ended commitment changes no more.
    with pytest.raises(Refused, match="ended"):
        item.propose_change(ben, daily("Again"))
    with pytest.raises(Refused, match="ended"):
        item.propose_end(ben)
    assert list(
        CommitmentWording.objects.filter(commitment=item)
        .order_by("number")
        .values_list("number", "is_ending")
    ) == [(1, False), (2, False), (3, True)]


def test_it_refuses_a_change_to_the_words_already_in_force(
    space: Space, ana: User, ben: User
) -> None:
    item = Commitment.make(space, ana, daily())
    with pytest.raises(Refused, match="already"):
        item.propose_change(ben, item.words())
    assert not CommitmentWording.objects.exists()
