import time_machine

from mend.accounts.models import User
from mend.checkins import actions, waiting
from mend.checkins.tests.helpers import NOW, TODAYS, daily
from mend.commitments.tests.test_accountability import key_of
from mend.couples.models import Space


@time_machine.travel(NOW, tick=False)
def test_it_lists_a_check_in_due_for_each_until_they_answer(
    space: Space, ana: User, ben: User
) -> None:
    check_in = daily(space, ana)
    for person in (ana, ben):
        [item] = waiting.waiting_for(person)
        assert item.is_yours and item.title == "A check-in is due"
        assert item.url == f"/checkins/{check_in.code}/answer/"
    actions.answer(
        check_in,
        ana,
        key_of(ana),
        occurs_at=TODAYS,
        answers={check_in.prompts[0]["text"]: 3},
        share=True,
    )
    assert waiting.waiting_for(ana) == []
    [item] = waiting.waiting_for(ben)
    assert item.title == "A check-in is due; your partner shared theirs"


@time_machine.travel(NOW, tick=False)
def test_it_never_counts_the_partner_s_private_answer(
    space: Space, ana: User, ben: User
) -> None:
    check_in = daily(space, ana)
    actions.answer(
        check_in,
        ana,
        key_of(ana),
        occurs_at=TODAYS,
        answers={check_in.prompts[0]["text"]: 3},
        share=False,
    )
    [item] = waiting.waiting_for(ben)
    assert item.title == "A check-in is due"
    assert [t.count for t in waiting.path_totals(ana)] == [1]
    assert [t.count for t in waiting.path_totals(ben)] == [0]


@time_machine.travel(NOW, tick=False)
def test_it_hides_other_couples_data(space: Space, ana: User, dan: User) -> None:
    daily(space, ana)
    assert waiting.waiting_for(dan) == []
