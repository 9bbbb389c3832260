"""The gentle first run: pause rule, starter agreements, reminders; skippable."""

from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import Agreement
from mend.couples.models import Space
from mend.home.starters import STARTERS


def test_it_shows_the_start_until_skipped(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    assert "A gentle start" in client.get("/").content.decode()
    response = client.post("/start/skip/")
    assert response.status_code == 302
    assert "A gentle start" not in client.get("/").content.decode()
    assert "A gentle start" in client_for(ben).get("/").content.decode()


def test_it_proposes_the_pause_rule_as_an_agreement(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    page = client.get("/start/").content.decode()
    assert "Step 1 of 3" in page
    response = client.post(
        "/start/",
        {"how": "Say pause", "how_long": "Half an hour", "come_back": "Ask gently"},
    )
    assert response.status_code == 302
    [rule] = Agreement.objects.for_member(ana)
    assert rule.category == "pause"
    assert rule.text == (
        "How we pause: Say pause\nHow long: Half an hour\nHow we come back: Ask gently"
    )
    # Ben's start finds it written, to read and affirm.
    page = client_for(ben).get("/start/").content.decode()
    assert f"/agreements/{rule.code}/" in page
    assert "An agreement wording to affirm" in client_for(ben).get("/").content.decode()


def test_it_refuses_an_empty_pause_rule_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).post(
        "/start/", {"how": "Say pause", "how_long": "", "come_back": "x"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Agreement.objects.for_member(ana).exists()


def test_it_proposes_the_chosen_starters_in_edited_words(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    data = {f"text_{n}": str(words) for n, (_c, words) in enumerate(STARTERS)}
    data |= {"pick_0": "on", "pick_2": "on", "text_2": "Our own words"}
    response = client.post("/start/agreements/", data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/start/reminders/"
    texts = sorted(a.text for a in Agreement.objects.for_member(ben))
    assert texts == sorted([str(STARTERS[0][1]), "Our own words"])


def test_it_refuses_more_than_three_starters_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    data = {f"text_{n}": "words" for n in range(len(STARTERS))}
    data |= {f"pick_{n}": "on" for n in range(4)}
    response = client_for(ana).post("/start/agreements/", data)
    assert response.status_code == 400
    assert "up to 3" in response.content.decode()
    assert not Agreement.objects.for_member(ana).exists()


def test_it_finishes_with_a_link_to_reminder_settings(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    page = client.get("/start/reminders/").content.decode()
    assert "/calendar/#reminders-title" in page
    assert client.post("/start/reminders/").status_code == 302
    assert "A gentle start" not in client.get("/").content.decode()


def test_it_never_names_a_role(
    space: Space, ben: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ben)
    for path in ("/start/", "/start/agreements/", "/start/reminders/"):
        page = client.get(path).content.decode().lower()
        for word in ("hurt partner", "involved partner", "guilty", "victim", "betray"):
            assert word not in page, (path, word)


def test_it_requires_login(db: None) -> None:
    for path in ("/start/", "/start/agreements/", "/start/reminders/"):
        assert Client().get(path).status_code == 302
    assert Client().post("/start/skip/").status_code == 302
