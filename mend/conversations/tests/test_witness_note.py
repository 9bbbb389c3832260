"""A witness's note: once the conversation has ended, once, short, not empty.

Who may witness is mend/counselor's to decide (its tests); these are the
conversation's own rules, whoever the witness is.
"""

import pytest

from conftest import make_person
from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.models import MAX_NOTE, WitnessNote, witnesses_of
from mend.conversations.tests.helpers import proposed, running
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.live.models import Event


@pytest.fixture
def wren(db: None) -> User:
    # Wren is someone the couple let witness (in Mend: their counselor).
    return make_person("wren", "Wren")


def test_it_keeps_a_note_once_the_conversation_has_ended(
    space: Space, ana: User, ben: User, wren: User
) -> None:
    c = running(space, ana, ben)
    actions.end(c, ben)
    note = actions.add_witness_note(c, wren, "  You both slowed down.  ")
    assert (note.text, note.author, note.space_id) == (
        "You both slowed down.",
        wren,
        space.pk,
    )
    event = Event.objects.filter(subject=c.code).latest("pk")
    assert event.change == "note"


@pytest.mark.parametrize("where", ["proposed", "running", "paused"])
def test_it_refuses_a_note_before_the_end(
    space: Space, ana: User, ben: User, wren: User, where: str
) -> None:
    c = proposed(space, ana) if where == "proposed" else running(space, ana, ben)
    if where == "paused":
        actions.pause(c, ben, 20)
    with pytest.raises(Refused) as e:
        actions.add_witness_note(c, wren, "Well done.")
    assert e.value.status == 409
    assert "once it has ended" in str(e.value)
    assert not WitnessNote.objects.exists()


def test_it_refuses_a_second_note_by_the_same_witness(
    space: Space, ana: User, ben: User, wren: User
) -> None:
    c = running(space, ana, ben)
    actions.end(c, ana)
    actions.add_witness_note(c, wren, "First.")
    with pytest.raises(Refused) as e:
        actions.add_witness_note(c, wren, "Second.")
    assert e.value.status == 409
    assert [n.text for n in WitnessNote.objects.all()] == ["First."]


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("", "write your note first"),
        (" \n ", "write your note first"),
        ("x" * (MAX_NOTE + 1), f"(this one has {MAX_NOTE + 1})"),
    ],
)
def test_it_refuses_an_empty_or_too_long_note_without_cutting_it(
    space: Space, ana: User, ben: User, wren: User, words: str, says: str
) -> None:
    c = running(space, ana, ben)
    actions.end(c, ana)
    with pytest.raises(Refused) as e:
        actions.add_witness_note(c, wren, words)
    assert e.value.status == 400
    assert says in str(e.value)
    assert not WitnessNote.objects.exists()


def test_it_keeps_a_note_of_exactly_the_limit(
    space: Space, ana: User, ben: User, wren: User
) -> None:
    c = running(space, ana, ben)
    actions.end(c, ana)
    assert len(actions.add_witness_note(c, wren, "x" * MAX_NOTE).text) == MAX_NOTE


def test_it_names_no_witness_unless_told(space: Space, ana: User, ben: User) -> None:
    # The counselor app tells who may witness (its test_witness.py); with no
    # admitted counselor nobody is named.
    assert witnesses_of(space.pk) == []
