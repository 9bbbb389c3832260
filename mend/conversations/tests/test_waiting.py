from mend.accounts.models import User
from mend.conversations import actions, waiting
from mend.conversations.tests.helpers import proposed
from mend.couples.models import Space


def test_it_asks_the_one_who_hasn_t_said_yes(
    space: Space, ana: User, ben: User
) -> None:
    conversation = proposed(space, ana)
    [item] = waiting.waiting_for(ben)
    assert item.is_yours and item.url == f"/conversations/{conversation.code}/"
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [False]
    actions.accept(conversation, ben)
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


def test_it_lists_nothing_after_not_this_time(
    space: Space, ana: User, ben: User
) -> None:
    actions.decline(proposed(space, ana), ben)
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


def test_it_hides_other_couples_data(space: Space, ana: User, dan: User) -> None:
    proposed(space, ana)
    assert waiting.waiting_for(dan) == []
