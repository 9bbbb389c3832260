from mend.accounts.models import User
from mend.couples.models import Space
from mend.story import waiting
from mend.story.models import StandFor


def test_it_asks_to_affirm_then_to_confirm_what_you_stand_for(
    space: Space, ana: User, ben: User
) -> None:
    wording = StandFor.of(space).propose(ana, values="v", commitments="c", vision="s")
    assert [(i.is_yours, i.url) for i in waiting.waiting_for(ben)] == [
        (True, "/story/#stand-for")
    ]
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [False]
    wording.affirm(ben, "I agree")
    assert [i.is_yours for i in waiting.waiting_for(ana)] == [True]
    assert [i.is_yours for i in waiting.waiting_for(ben)] == [False]
    wording.confirm(ana)
    assert waiting.waiting_for(ben) == waiting.waiting_for(ana) == []


def test_it_hides_other_couples_data(space: Space, ana: User, dan: User) -> None:
    StandFor.of(space).propose(ana, values="v", commitments="c", vision="s")
    assert waiting.waiting_for(dan) == []
