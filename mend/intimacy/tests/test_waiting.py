from mend.accounts.models import User
from mend.couples.models import Space
from mend.intimacy import actions, waiting


def test_it_asks_the_partner_to_affirm_new_words_for_a_step(
    space: Space, ana: User, ben: User
) -> None:
    plan = actions.plan_for(space)
    step = actions.add_step(plan, ana, "Holding hands", "")
    wording = step.propose_words(plan, ana, "Holding hands on walks", "")
    assert wording is not None
    assert [i.is_yours for i in waiting.waiting_for(ben)] == [True]
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [False]
    wording.affirm(ben, "I agree")
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


def test_it_hides_other_couples_data(space: Space, ana: User, dan: User) -> None:
    plan = actions.plan_for(space)
    step = actions.add_step(plan, ana, "Holding hands", "")
    step.propose_words(plan, ana, "Holding hands on walks", "")
    assert waiting.waiting_for(dan) == []
