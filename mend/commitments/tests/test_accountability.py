"""Disclosures, questions, slips, milestones and goals: the rules in the models."""

import datetime as dt

import pytest
import time_machine

from conftest import PASSWORD
from mend.accounts.models import Keyring, User
from mend.commitments import actions
from mend.commitments.models import (
    Answer,
    Commitment,
    Disclosure,
    Goal,
    Milestone,
    Question,
    Run,
    Slip,
    asks_for_graphic_detail,
)
from mend.couples.models import Space
from mend.lib.errors import Refused

NOW = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)


def key_of(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


# Disclosures -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_measures_the_time_between_happening_and_telling(
    space: Space, ben: User
) -> None:
    told = Disclosure.log(
        space, ben, what="She texted me.", happened_at=NOW - dt.timedelta(hours=30)
    )
    assert told.delay() == dt.timedelta(hours=30)
    assert told.delay_hours() == 30
    in_person = Disclosure.log(
        space,
        ben,
        what="I spent money I hadn't said.",
        kind="money",
        happened_at=NOW - dt.timedelta(days=3),
        told_at=NOW - dt.timedelta(days=2, hours=12),
        told_in_person=True,
    )
    assert in_person.delay_hours() == 12
    assert in_person.is_told_in_person


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_disclosure_told_before_it_happened(
    space: Space, ben: User
) -> None:
    with pytest.raises(Refused, match="told before it happened"):
        Disclosure.log(
            space,
            ben,
            what="x",
            happened_at=NOW - dt.timedelta(hours=1),
            told_at=NOW - dt.timedelta(hours=2),
            told_in_person=True,
        )
    with pytest.raises(Refused, match="told before it happened"):
        Disclosure.log(space, ben, what="x", happened_at=NOW + dt.timedelta(hours=1))
    assert not Disclosure.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_lets_only_the_one_told_respond_and_thank(
    space: Space, ana: User, ben: User
) -> None:
    told = Disclosure.log(space, ben, what="x", happened_at=NOW, late_addition=True)
    with pytest.raises(Refused) as own:
        told.respond(ben, "fine")
    assert own.value.status == 403
    told.respond(ana, "It hurt, and I'm glad you told me.")
    told.thank(ana)
    told.refresh_from_db()
    assert told.response.startswith("It hurt")
    assert told.thanked_at == NOW
    assert told.is_late_addition


# Questions -------------------------------------------------------------------------


def test_it_seals_an_unsent_question_under_its_asker_s_key(
    space: Space, ana: User
) -> None:
    question = Question.draft(
        space, ana, key_of(ana), text="When did it start?", topic="timeline"
    )
    question.refresh_from_db()
    assert question.shared_content is None
    assert b"When did it start" not in bytes(question.sealed or b"")
    assert question.content(key_of(ana), ana) == {"text": "When did it start?"}
    assert not Question.objects.visible_to(User.objects.get(username="ben")).exists()


def test_it_refuses_an_answer_from_the_one_who_asked(
    space: Space, ana: User, ben: User
) -> None:
    question = Question.draft(space, ana, key_of(ana), text="Why?", topic="meaning")
    with pytest.raises(Refused):
        Answer.give(question, ben, text="Not sent yet")
    question.set_shared(key_of(ana), ana, share=True)
    with pytest.raises(Refused) as own:
        Answer.give(question, ana, text="my own answer")
    assert own.value.status == 403
    assert not Answer.objects.exists()


def test_it_keeps_an_earlier_answer_when_it_is_edited(
    space: Space, ana: User, ben: User
) -> None:
    question = Question.draft(space, ana, key_of(ana), text="Why?", topic="meaning")
    question.set_shared(key_of(ana), ana, share=True)
    Answer.give(question, ben, text="", for_talk=True)
    Answer.give(question, ben, text="Because I was afraid of losing you.")
    answers = question.answers_newest_first()
    assert [(a.number, a.is_for_talk) for a in answers] == [(2, False), (1, True)]


@pytest.mark.parametrize(
    ("text", "graphic"),
    [
        ("Describe the sex in detail", True),
        ("Was the sex better than with me?", True),
        ("What positions did you use?", True),
        ("When did it start?", False),
        ("What did it mean to you?", False),
    ],
)
def test_it_notices_gently_a_question_asking_for_graphic_detail(
    text: str, graphic: bool
) -> None:
    assert asks_for_graphic_detail(text) is graphic


# Slips -----------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_keeps_a_slip_private_and_can_make_its_step_a_commitment(
    space: Space, ben: User
) -> None:
    slip = actions.record_slip(
        space,
        ben,
        key_of(ben),
        kind="missed",
        on=None,
        led_to="A long day and no sleep.",
        learned="I stop answering when I am tired.",
        step="Tell Ana when I am too tired to talk",
        make_commitment=True,
    )
    slip.refresh_from_db()
    assert not slip.is_shared and slip.shared_content is None
    assert b"tired" not in bytes(slip.sealed or b"")
    assert slip.step_commitment is not None
    assert slip.step_commitment.text == "Tell Ana when I am too tired to talk"
    assert slip.step_commitment.made_by == ben


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_slip_in_the_future_and_keeps_nothing(
    space: Space, ben: User
) -> None:
    with pytest.raises(Refused):
        actions.record_slip(
            space,
            ben,
            key_of(ben),
            kind="relapse",
            on=dt.date(2026, 12, 1),
            led_to="",
            learned="",
            step="a step",
            make_commitment=True,
        )
    assert not Slip.objects.exists() and not Commitment.objects.exists()


# Milestones and goals --------------------------------------------------------------


def test_a_relapse_starts_a_new_run_and_keeps_every_earlier_day(
    space: Space, ben: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        sober = Milestone.start(
            space, ben, name="days sober", started_on=dt.date(2026, 1, 1)
        )
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        actions.record_slip(
            space,
            ben,
            key_of(ben),
            kind="relapse",
            on=dt.date(2026, 3, 2),
            led_to="",
            learned="",
            step="",
            milestone=sober,
        )
    today = dt.date(2026, 3, 12)
    sober = Milestone.objects.with_runs().get(pk=sober.pk)
    runs = sober.runs_in_order()
    assert [(r.started_on, r.ended_on) for r in runs] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 2), None),
    ]
    assert sober.current_days(today) == 10
    assert sober.longest_days(today) == 60
    assert sober.total_days(today) == 70  # never back to zero


def test_it_refuses_a_new_run_from_anyone_but_who_set_the_streak(
    space: Space, ana: User, ben: User
) -> None:
    sober = Milestone.start(
        space, ben, name="days sober", started_on=dt.date(2026, 1, 1)
    )
    with pytest.raises(Refused) as refused:
        sober.new_run(ana, dt.date(2026, 1, 5))
    assert refused.value.status == 403
    with pytest.raises(Refused, match="before the current one"):
        sober.new_run(ben, dt.date(2025, 12, 1))
    assert Run.objects.count() == 1


def test_it_celebrates_a_mark_reached_quietly_for_a_few_days(
    space: Space, ben: User
) -> None:
    sober = Milestone.start(
        space, ben, name="days sober", started_on=dt.date(2026, 1, 1)
    )
    assert sober.reached(dt.date(2026, 1, 7)) is None
    assert sober.reached(dt.date(2026, 1, 8)) == 7
    assert sober.reached(dt.date(2026, 1, 31)) == 30
    assert sober.reached(dt.date(2026, 2, 10)) is None


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_goal_due_in_the_past(space: Space, ana: User) -> None:
    with pytest.raises(Refused):
        Goal.set(space, ana, text="Finish the module", due_on=dt.date(2026, 1, 1))
    goal = Goal.set(space, ana, text="Finish the module", due_on=dt.date(2027, 3, 15))
    goal.mark_done(ana)
    assert goal.done_at == NOW
