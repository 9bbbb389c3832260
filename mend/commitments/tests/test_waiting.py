import datetime as dt

import time_machine

from mend.accounts.models import User
from mend.commitments import waiting
from mend.commitments.models import Answer, Commitment, Milestone, Question, Words
from mend.commitments.tests.test_accountability import key_of
from mend.couples.models import Space

NOW = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_it_asks_the_partner_to_answer_a_sent_question_only(
    space: Space, ana: User, ben: User
) -> None:
    question = Question.draft(space, ana, key_of(ana), text="Why?", topic="meaning")
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []
    question.set_shared(key_of(ana), ana, share=True)
    [item] = waiting.waiting_for(ben)
    assert item.is_yours and item.title == "A question from your partner, to answer"
    assert item.url == f"/commitments/questions/#answer-{question.code}"
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [False]
    Answer.give(question, ben, text="Because")
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


@time_machine.travel(NOW, tick=False)
def test_it_asks_the_maker_to_affirm_a_proposed_change(
    space: Space, ana: User, ben: User
) -> None:
    item = Commitment.make(
        space, ana, Words(text="Call at six", starts_on=NOW.date(), at=dt.time(18))
    )
    change = item.propose_change(
        ben, Words(text="Call at seven", starts_on=NOW.date(), at=dt.time(19))
    )
    [mine] = waiting.waiting_for(ana)
    assert mine.is_yours and mine.url == f"/commitments/{item.code}/"
    assert [i.is_yours for i in waiting.waiting_for(ben)] == [False]
    change.affirm(ana, "I agree")
    assert waiting.waiting_for(ana) == []


def test_it_keeps_milestones_reached_after_a_new_run(space: Space, ana: User) -> None:
    with time_machine.travel(NOW, tick=False):
        streak = Milestone.start(
            space, ana, name="m", started_on=NOW.date() - dt.timedelta(days=35)
        )
        assert [t.count for t in waiting.path_totals(ana)] == [2]  # 7 and 30 days
        streak.new_run(ana, NOW.date())
        assert [t.count for t in waiting.path_totals(ana)] == [2]


def test_it_hides_other_couples_data(space: Space, ana: User, dan: User) -> None:
    with time_machine.travel(NOW, tick=False):
        question = Question.draft(space, ana, key_of(ana), text="?", topic="other")
        question.set_shared(key_of(ana), ana, share=True)
        assert waiting.waiting_for(dan) == []
