"""The private coach: what it notices, and that nothing of it reaches the partner."""

from collections.abc import Callable

import pytest
from django.test import Client

from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.tests.helpers import HTMX, JSON, running
from mend.couples.models import Space
from mend.lib import coach

BLAME = "You never listen to me."


@pytest.mark.parametrize(
    "text",
    [
        "You never listen to me.",
        "I feel that you don't care.",
        "You're so selfish.",
        "Oh great, you're late again.",
        "Why do you always do this?",
    ],
)
def test_it_notices_blame(text: str) -> None:
    advice = coach.check(text)
    assert advice.is_blame
    assert advice.suggestion.startswith("I feel ")
    assert "and I need" in advice.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "You made my morning.",
        "You always make me laugh.",
        "You're not lazy, you're tired.",
        'My mum said "you never finish anything".',
        "Do you always take the bus?",
        "I feel hurt about last night, and I need us to talk calmly.",
        "",
    ],
)
def test_it_does_not_nag_kindness(text: str) -> None:
    assert not coach.check(text).is_blame


def test_its_suggestion_names_the_situation() -> None:
    advice = coach.check("You never call when you're late")
    assert "when you don't call when you're late" in advice.suggestion


def test_it_suggests_a_pause_after_several_heated_messages() -> None:
    assert coach.is_escalating(["You never help.", "You're so lazy."], BLAME)
    assert not coach.is_escalating(["You never help.", "Thank you."], BLAME)
    assert not coach.is_escalating(["You never help."], BLAME)


def test_the_writer_sees_the_suggestion_while_typing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).post(
        "/conversations/coach/", {"text": BLAME}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only you see this." in html and "data-coach-take" in html
    quiet = client_for(ana).post(
        "/conversations/coach/", {"text": "You made my morning."}, headers=HTMX
    )
    assert quiet.content.decode().strip() == ""
    # Another writing form names its field.
    other = client_for(ana).post(
        "/conversations/coach/", {"field": "feelings", "feelings": BLAME}
    )
    assert "Only you see this." in other.content.decode()


def test_the_writer_is_told_of_escalation_in_a_conversation(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "You never help at home.")
    actions.reflect(c, turn, ben, "You feel I never help.")
    actions.clarify(c, turn, ana, "You're so lazy about it.")
    response = client_for(ana).post(
        "/api/conversations/coach",
        {"text": BLAME, "conversation": str(c.code)},
        content_type=JSON,
    )
    assert response.json()["suggest_pause"] is True
    # Ben's own messages aren't heated, and Ana's don't count for him.
    response = client_for(ben).post(
        "/api/conversations/coach",
        {"text": BLAME, "conversation": str(c.code)},
        content_type=JSON,
    )
    assert response.json()["suggest_pause"] is False


def test_nothing_of_it_reaches_the_partner(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Ana asks the coach while she writes; Ben's pages and API show no trace."""
    c = running(space, ana, ben)
    a, b = client_for(ana), client_for(ben)
    advice = a.post(
        "/api/conversations/coach",
        {"text": BLAME, "conversation": str(c.code)},
        content_type=JSON,
    ).json()
    assert advice["is_blame"]
    a.post("/conversations/coach/", {"text": BLAME, "conversation": str(c.code)})
    # She ignores it and sends her words as they were: that is her choice.
    actions.say_point(c, ana, BLAME)
    seen = [
        b.get(f"/conversations/{c.code}/").content.decode(),
        b.get(f"/conversations/{c.code}/", headers=HTMX).content.decode(),
        b.get("/conversations/").content.decode(),
        b.get(f"/api/conversations/{c.code}").content.decode(),
        b.get("/api/conversations").content.decode(),
        b.get("/privacy/access-log/").content.decode(),
    ]
    for page in seen:
        assert advice["suggestion"] not in page
        assert "Only you see this." not in page
        assert "data-coach-note" not in page and "suggest_pause" not in page
    # Only Ana's own words, as she sent them, reach Ben.
    assert BLAME in seen[0]
