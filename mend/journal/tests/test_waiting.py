from mend.accounts.models import User
from mend.commitments.tests.test_accountability import key_of
from mend.couples.models import Space
from mend.journal import actions, waiting


def test_it_asks_the_partner_to_answer_a_question_for_them(
    space: Space, ana: User, ben: User
) -> None:
    entry = actions.write_entry(
        space, ana, key_of(ana), title="t", body="b", share=True, is_question=True
    )
    [item] = waiting.waiting_for(ben)
    assert item.is_yours and item.url == f"/journal/{entry.code}/"
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [False]
    actions.answer_entry(entry, ben, "read")
    assert len(waiting.waiting_for(ben)) == 1  # read is not an answer
    actions.answer_entry(entry, ben, "reply", "I hear you")
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


def test_it_never_lists_a_private_entry(space: Space, ana: User, ben: User) -> None:
    actions.write_entry(space, ana, key_of(ana), title="t", body="b", share=False)
    actions.write_entry(space, ana, key_of(ana), title="t", body="b", share=True)
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


def test_it_hides_other_couples_data(space: Space, ana: User, dan: User) -> None:
    actions.write_entry(
        space, ana, key_of(ana), title="t", body="b", share=True, is_question=True
    )
    assert waiting.waiting_for(dan) == []
