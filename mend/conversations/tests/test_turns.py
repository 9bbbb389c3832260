"""The turn state machine, through the actions, with every refusal changing nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.models import Conversation, Move, Turn
from mend.conversations.tests.helpers import proposed, running
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.live.models import Event


def _fresh(conversation: Conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


def _unchanged(conversation: Conversation, turn: Turn | None = None) -> None:
    """Assert the database still holds what CONVERSATION and TURN say."""
    row = _fresh(conversation)
    assert (row.status, row.floor_id, row.turn_id) == (
        conversation.status,
        conversation.floor_id,
        conversation.turn_id,
    )
    if turn is not None:
        assert Turn.objects.get(pk=turn.pk).state == turn.state


def test_it_walks_a_turn_and_passes_the_floor(
    space: Space, ana: User, ben: User
) -> None:
    c = running(space, ana, ben)
    assert c.floor == ana
    turn = actions.say_point(c, ana, "I felt alone at the party.")
    assert turn.state == Turn.State.SAID and turn.listener == ben
    actions.reflect(c, turn, ben, "If I got it, you felt alone at the party.")
    assert turn.state == Turn.State.REFLECTED
    actions.clarify(c, turn, ana, "Alone once we got there, not on the way.")
    assert turn.state == Turn.State.CLARIFIED
    actions.reflect(c, turn, ben, "Once we were there, you felt alone.")
    actions.confirm(c, turn, ana)
    assert turn.state == Turn.State.CONFIRMED
    actions.validate(c, turn, ben, "It makes sense because I left you with strangers.")
    assert turn.state == Turn.State.VALIDATED
    actions.pass_floor(c, turn, ana)
    assert turn.state == Turn.State.PASSED
    assert _fresh(c).floor == ben
    # Every round stays, in order: the first reflection is not overwritten.
    assert list(
        Move.objects.filter(turn=turn).order_by("at", "pk").values_list("kind", "by")
    ) == [
        ("point", ana.pk),
        ("reflection", ben.pk),
        ("clarification", ana.pk),
        ("reflection", ben.pk),
        ("confirmation", ana.pk),
        ("validation", ben.pk),
        ("pass", ana.pk),
    ]
    # Ben now holds the floor and speaks; turn numbers go on.
    second = actions.say_point(c, ben, "I was nervous too.")
    assert second.number == 2 and second.listener == ana
    assert Event.objects.filter(type="conversation", subject=c.code).count() >= 10


@pytest.mark.parametrize(
    ("step", "by", "words"),
    [
        # The listener can't confirm, clarify or pass; the speaker can't reflect.
        ("confirm", "ben", None),
        ("clarify", "ben", "what I meant"),
        ("pass_floor", "ana", None),
        ("pass_floor", "ben", None),
        ("reflect", "ana", "If I got it..."),
        # Validation only after a confirmation.
        ("validate", "ben", "It makes sense because..."),
    ],
)
def test_it_refuses_a_step_out_of_order(
    space: Space, ana: User, ben: User, step: str, by: str, words: str | None
) -> None:
    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "I need more time on Sundays.")
    moves = Move.objects.count()
    person = {"ana": ana, "ben": ben}[by]
    args = (c, turn, person) + ((words,) if words is not None else ())
    with pytest.raises(Refused) as refused:
        getattr(actions, step)(*args)
    assert refused.value.status == 409
    assert Move.objects.count() == moves
    turn.refresh_from_db()
    assert turn.state == Turn.State.SAID


def test_it_refuses_a_reflection_for_the_wrong_turn(
    space: Space, ana: User, ben: User
) -> None:
    c = running(space, ana, ben)
    first = actions.say_point(c, ana, "First point.")
    actions.reflect(c, first, ben, "You made a first point.")
    actions.confirm(c, first, ana)
    actions.validate(c, first, ben, "Makes sense.")
    actions.pass_floor(c, first, ana)
    second = actions.say_point(c, ben, "Second point.")
    moves = Move.objects.count()
    with pytest.raises(Refused, match="That turn is over"):
        actions.reflect(c, first, ben, "A reflection for the old turn.")
    with pytest.raises(Refused, match="That turn is over"):
        # Even the right person for the old turn (Ana listens now, on the new one).
        actions.reflect(c, first, ana, "Stale page.")
    assert Move.objects.count() == moves
    _unchanged(c, second)


def test_it_refuses_a_point_by_the_person_not_holding_the_floor(
    space: Space, ana: User, ben: User
) -> None:
    c = running(space, ana, ben)
    with pytest.raises(Refused, match="holds the floor") as refused:
        actions.say_point(c, ben, "Let me go first.")
    assert refused.value.status == 409
    assert not Turn.objects.exists()
    _unchanged(c)


def test_it_refuses_a_second_point_while_a_turn_is_under_way(
    space: Space, ana: User, ben: User
) -> None:
    c = running(space, ana, ben)
    actions.say_point(c, ana, "One.")
    with pytest.raises(Refused, match="Finish this turn"):
        actions.say_point(c, ana, "And another thing.")
    assert Turn.objects.count() == 1


@pytest.mark.parametrize("words", ["", "   ", "\n\t"])
def test_it_refuses_an_empty_reflection(
    space: Space, ana: User, ben: User, words: str
) -> None:
    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "A point.")
    with pytest.raises(Refused, match="reflection") as refused:
        actions.reflect(c, turn, ben, words)
    assert refused.value.status == 400
    _unchanged(c, turn)
    assert Move.objects.count() == 1


def test_it_refuses_a_point_too_long_and_says_how_long(
    space: Space, ana: User, ben: User
) -> None:
    c = running(space, ana, ben)
    with pytest.raises(Refused, match="at most 600 characters \\(this one has 601\\)"):
        actions.say_point(c, ana, "x" * 601)
    assert not Turn.objects.exists()


def test_it_takes_one_topic_at_a_time(space: Space, ana: User, ben: User) -> None:
    c = running(space, ana, ben)
    first, second = c.topic_list()
    assert c.topic == first
    turn = actions.say_point(c, ana, "About the weekend.")
    with pytest.raises(Refused, match="Finish this turn first"):
        actions.next_topic(c, ben)
    actions.reflect(c, turn, ben, "The weekend.")
    actions.confirm(c, turn, ana)
    actions.validate(c, turn, ben, "Sense.")
    actions.pass_floor(c, turn, ana)
    assert actions.next_topic(c, ben) == second
    with pytest.raises(Refused, match="last topic"):
        actions.next_topic(c, ben)
    assert actions.say_point(c, ben, "Money.").topic == second


def test_both_say_yes_before_it_starts(space: Space, ana: User, ben: User) -> None:
    c = proposed(space, ana)
    assert c.status == Conversation.Status.PROPOSED and c.has_said_yes(ana)
    with pytest.raises(Refused, match="both need to say yes"):
        actions.start(c, ana)
    actions.accept(c, ben)
    assert c.status == Conversation.Status.READY


@pytest.mark.parametrize("who", ["proposer", "partner"])
def test_it_refuses_accepting_twice(
    space: Space, ana: User, ben: User, who: str
) -> None:
    c = proposed(space, ana)
    person = ana
    if who == "partner":
        actions.accept(c, ben)
        person = ben
    before = _fresh(c)
    with pytest.raises(Refused, match="already said yes") as refused:
        actions.accept(c, person)
    assert refused.value.status == 409
    after = _fresh(c)
    assert (after.status, after.proposer_yes, after.partner_yes) == (
        before.status,
        before.proposer_yes,
        before.partner_yes,
    )


def test_a_new_topic_clears_the_other_yes(space: Space, ana: User, ben: User) -> None:
    c = proposed(space, ana)
    actions.accept(c, ben)
    assert c.status == Conversation.Status.READY
    actions.add_topic(c, ben, "The holidays")
    c = _fresh(c)
    # Ben said yes to the new agenda by adding to it; Ana's yes was to the old one.
    assert c.has_said_yes(ben) and not c.has_said_yes(ana)
    assert c.status == Conversation.Status.PROPOSED
    actions.accept(c, ana)
    assert c.status == Conversation.Status.READY


def test_either_can_decline_without_a_reason(
    space: Space, ana: User, ben: User
) -> None:
    c = actions.decline(proposed(space, ana), ben)
    assert c.status == Conversation.Status.DECLINED and c.declined_by == ben
    with pytest.raises(Refused):
        actions.accept(c, ben)


def test_a_pause_resumes_where_it_stopped(space: Space, ana: User, ben: User) -> None:
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        c = running(space, ana, ben)
        turn = actions.say_point(c, ana, "A point.")
        actions.reflect(c, turn, ben, "Reflected.")
        actions.pause(c, ben, 20)
        with pytest.raises(Refused, match="paused"):
            actions.confirm(c, turn, ana)
        # Ben's pause: Ana can't end it before the return time.
        with pytest.raises(Refused, match="your partner's"):
            actions.resume(c, ana)
    with time_machine.travel(now + timedelta(minutes=20), tick=False):
        actions.resume(c, ana)
        c = _fresh(c)
        assert c.status == Conversation.Status.RUNNING
        # The time box does not run during a pause.
        assert c.started_at is not None
        assert c.ends_at() == c.started_at + timedelta(minutes=50)
        actions.confirm(c, turn, ana)
    turn.refresh_from_db()
    assert turn.state == Turn.State.CONFIRMED


def test_the_one_who_paused_can_come_back_sooner(
    space: Space, ana: User, ben: User
) -> None:
    c = running(space, ana, ben)
    actions.pause(c, ana, 60)
    actions.resume(c, ana)
    assert _fresh(c).status == Conversation.Status.RUNNING


def test_outcomes_come_after_the_conversation(
    space: Space, ana: User, ben: User
) -> None:
    from mend.agreements.models import Agreement, AgreementEvent

    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "I'd like a call when plans change.")
    with pytest.raises(Refused, match="once the conversation has ended"):
        actions.make_outcome(c, ana, kind="question", text="Later?")
    actions.end(c, ben)
    question = actions.make_outcome(c, ana, kind="question", text="Sundays?")
    assert question.conversation == c
    made = actions.make_outcome(
        c, ben, kind="agreement", text="We call when plans change.", turn=turn
    )
    assert made.made_code is not None
    agreement = Agreement.objects.get(code=made.made_code)
    assert made.turn == turn
    # The proposal waits for Ana's affirmation like any other; it links back here.
    assert AgreementEvent.objects.get(agreement=agreement).note == (
        f"conversation:{c.code}"
    )
    with pytest.raises(Refused, match="agreement proposal, a commitment or a question"):
        actions.make_outcome(c, ben, kind="a promise", text="Unknown kind.")


def test_an_outcome_becomes_a_commitment_that_links_back(
    space: Space, ana: User, ben: User
) -> None:
    from mend.commitments.models import Commitment

    c = running(space, ana, ben)
    actions.say_point(c, ana, "I want to show you where I am in the evenings.")
    actions.end(c, ana)
    made = actions.make_outcome(c, ana, kind="commitment", text="Text Ben by 7 pm.")
    assert made.made_code is not None
    commitment = Commitment.objects.get(code=made.made_code)
    # Ana's own promise, made by her; it remembers the conversation it came from.
    assert commitment.made_by == ana and commitment.text == "Text Ben by 7 pm."
    assert (commitment.came_from_kind, commitment.came_from_code) == (
        "conversation",
        c.code,
    )
    with pytest.raises(Refused):
        actions.make_outcome(c, ana, kind="commitment", text="x" * 2001)


def test_leaving_ends_the_conversation(space: Space, ana: User, ben: User) -> None:
    from mend.privacy.actions import leave_space

    c = running(space, ana, ben)
    leave_space(ana, keep_shared=True)
    c = _fresh(c)
    assert c.status == Conversation.Status.ENDED and c.ended_by == ana
