from collections.abc import Callable

import pytest
from django.test import Client

from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.models import Conversation, Turn
from mend.conversations.tests.helpers import HTMX, JSON, WHEN, proposed, running
from mend.couples.models import Space
from mend.privacy.models import AccessLog

BLAME = "You never listen to me and you're so selfish."


def test_it_requires_login(space: Space, ana: User) -> None:
    c = proposed(space, ana)
    for url in ("/conversations/", "/conversations/new/", f"/conversations/{c.code}/"):
        assert Client().get(url).status_code == 302
    assert Client().post("/conversations/coach/", {"text": BLAME}).status_code == 302
    assert Client().get("/api/conversations").status_code == 401


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    response = a.post(
        "/conversations/new/",
        {
            "topics": "The weekend\n\nMoney\n",
            "minutes": "30",
            "starts_at": "2026-06-01T19:00",
        },
    )
    assert response.status_code == 302
    c = Conversation.objects.get()
    assert [t.text for t in c.topic_list()] == ["The weekend", "Money"]
    page = b.get(f"/conversations/{c.code}/").content.decode()
    assert "The weekend" in page and "Yes, let's talk" in page
    assert b.post(f"/conversations/{c.code}/accept/", headers=HTMX).status_code == 200
    start = a.post(f"/conversations/{c.code}/start/", headers=HTMX).content.decode()
    assert "Your point, in a sentence or two" in start and "data-until" in start
    a.post(f"/conversations/{c.code}/say/", {"text": "I felt alone."}, headers=HTMX)
    turn = Turn.objects.get()
    shown = b.get(f"/conversations/{c.code}/", headers=HTMX).content.decode()
    assert "I felt alone." in shown and "Reflect it back" in shown
    assert "<html" not in shown  # the fragment, for the live refresh
    for who, kind, text in [
        (b, "reflection", "You felt alone."),
        (a, "confirmation", ""),
        (b, "validation", "It makes sense."),
        (a, "pass", ""),
    ]:
        url = f"/conversations/{c.code}/turns/{turn.code}/{kind}/"
        assert who.post(url, {"text": text}, headers=HTMX).status_code == 200
    turn.refresh_from_db()
    assert turn.state == Turn.State.PASSED
    assert Conversation.objects.get().floor == ben


def test_it_shows_a_refusal_and_changes_nothing(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "A point.")
    b = client_for(ben)
    url = f"/conversations/{c.code}/turns/{turn.code}/reflection/"
    response = b.post(url, {"text": "  "}, headers=HTMX)
    assert response.status_code == 200
    assert "Please write the reflection first." in response.content.decode()
    # Without htmx: back to the page with the message.
    response = b.post(url, {"text": ""}, follow=True)
    assert "Please write the reflection first." in response.content.decode()
    turn.refresh_from_db()
    assert turn.state == Turn.State.SAID
    # Ben doesn't hold the floor.
    response = b.post(f"/conversations/{c.code}/say/", {"text": "Me!"}, headers=HTMX)
    assert "holds the floor" in response.content.decode()
    assert Turn.objects.count() == 1


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "Private to us.")
    d = client_for(dan)
    assert d.get(f"/conversations/{c.code}/").status_code == 404
    assert d.post(f"/conversations/{c.code}/accept/").status_code == 404
    url = f"/conversations/{c.code}/turns/{turn.code}/reflection/"
    assert d.post(url, {"text": "x"}).status_code == 404
    assert d.get(f"/api/conversations/{c.code}").status_code == 404
    assert "Private to us." not in d.get("/conversations/").content.decode()
    assert d.get("/api/conversations").json() == []
    # A report of another couple can't be the subject of a new conversation.
    assert d.get(f"/conversations/new/?about={c.code}").status_code == 404


def test_the_partners_views_are_in_the_access_log(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    c = proposed(space, ana)
    client_for(ben).get(f"/conversations/{c.code}/")
    log = AccessLog.objects.get()
    assert (log.viewer, log.author, log.object_code) == (ben, ana, c.code)


def test_unknown_actions_are_not_found(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    c = running(space, ana, ben)
    turn = actions.say_point(c, ana, "A point.")
    a = client_for(ana)
    assert a.post(f"/conversations/{c.code}/explode/").status_code == 404
    url = f"/conversations/{c.code}/turns/{turn.code}/nonsense/"
    assert a.post(url).status_code == 404
    assert a.get(f"/conversations/{c.code}/accept/").status_code == 405


def test_the_api_walks_a_turn(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    made = a.post(
        "/api/conversations",
        {"topics": ["Us"], "minutes": 20, "starts_at": WHEN.isoformat()},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    code = made.json()["code"]
    assert b.post(f"/api/conversations/{code}/accept").json()["status"] == "ready"
    again = b.post(f"/api/conversations/{code}/accept")
    assert again.status_code == 409
    assert "already said yes" in again.json()["detail"]
    a.post(f"/api/conversations/{code}/start")
    said = a.post(
        f"/api/conversations/{code}/points", {"text": "Hi."}, content_type=JSON
    )
    turn = said.json()["turns"][0]["code"]
    base = f"/api/conversations/{code}/turns/{turn}"
    empty = b.post(f"{base}/reflect", {"text": ""}, content_type=JSON)
    assert empty.status_code == 400
    b.post(f"{base}/reflect", {"text": "You said hi."}, content_type=JSON)
    a.post(f"{base}/confirm", {}, content_type=JSON)
    b.post(f"{base}/validate", {"text": "Sense."}, content_type=JSON)
    passed = a.post(f"{base}/pass", {}, content_type=JSON).json()
    assert passed["turns"][0]["state"] == "passed" and not passed["floor_is_mine"]
    assert [m["kind"] for m in passed["turns"][0]["moves"]] == [
        "point",
        "reflection",
        "confirmation",
        "validation",
        "pass",
    ]
    paused = b.post(
        f"/api/conversations/{code}/pause", {"minutes": 20}, content_type=JSON
    )
    assert paused.json()["status"] == "paused"
    assert b.post(f"/api/conversations/{code}/resume").json()["status"] == "running"
    assert b.post(f"/api/conversations/{code}/end").json()["status"] == "ended"
    out = a.post(
        f"/api/conversations/{code}/outcomes",
        {"kind": "question", "text": "Sundays?"},
        content_type=JSON,
    )
    assert out.status_code == 201 and out.json()["outcomes"][0]["text"] == "Sundays?"


@pytest.mark.parametrize(
    "body",
    [
        {"topics": [], "minutes": 20, "starts_at": WHEN.isoformat()},
        {"topics": ["x"], "minutes": 5, "starts_at": WHEN.isoformat()},
        {"topics": ["x" * 201], "minutes": 20, "starts_at": WHEN.isoformat()},
        {"topics": ["x"], "minutes": 20, "starts_at": "9999-12-31T23:59:59+14:00"},
        {"topics": ["x"], "minutes": 20, "starts_at": "2026-06-01T19:00:00"},
    ],
)
def test_the_api_refuses_bad_proposals(
    space: Space,
    ana: User,
    client_for: Callable[[User], Client],
    body: dict[str, object],
) -> None:
    response = client_for(ana).post("/api/conversations", body, content_type=JSON)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert not Conversation.objects.exists()


def test_talk_more_opens_a_conversation_about_the_repair(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.agreements.models import CrossingReport

    report = CrossingReport.file_incident(
        space, ana, what_happened="A remark.", how_it_felt="I felt small."
    )
    url = f"/conversations/new/?about={report.code}"
    a = client_for(ana)
    assert "Talking more about what happened" in a.get(url).content.decode()
    response = a.post(
        url, {"topics": "The remark", "minutes": "30", "starts_at": "2026-06-01T19:00"}
    )
    assert response.status_code == 302
    c = Conversation.objects.get()
    assert c.about_report == report
    page = client_for(ben).get(f"/conversations/{c.code}/").content.decode()
    assert f"/agreements/reports/{report.code}/" in page
    assert a.get("/conversations/new/?about=not-a-code").status_code == 404


def test_an_agreement_proposal_links_back_to_its_conversation(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    c = running(space, ana, ben)
    actions.end(c, ana)
    a = client_for(ana)
    response = a.post(
        f"/conversations/{c.code}/outcomes/",
        {"kind": "agreement", "text": "We call when plans change."},
        headers=HTMX,
    )
    assert "the proposal" in response.content.decode()
    outcome = c.outcomes.get()
    history = client_for(ben).get(f"/agreements/{outcome.made_code}/history/")
    assert f"/conversations/{c.code}/" in history.content.decode()
    assert "from a conversation" in history.content.decode()


WORDS = "… " * 400 + "مرحبا 🌱"


def test_it_keeps_a_refused_point_s_words_on_the_page(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Without htmx, a point refused (too long) came back as a message after a
    redirect, and the words were gone. Bad input loses nothing."""
    c = running(space, ana, ben)
    response = client_for(ana).post(f"/conversations/{c.code}/say/", {"text": WORDS})
    assert response.status_code == 400
    html = response.content.decode()
    assert "مرحبا 🌱</textarea>" in html
    assert "at most 600 characters" in html
    assert not Turn.objects.exists()


def test_it_keeps_a_refused_topic_s_words_in_the_fragment(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """With htmx the fragment came back with the error and an empty topic box."""
    c = proposed(space, ana)
    a = client_for(ana)
    response = a.post(f"/conversations/{c.code}/topics/", {"text": WORDS}, headers=HTMX)
    assert response.status_code == 200  # htmx swaps only a 200
    html = response.content.decode()
    assert 'value="' + WORDS + '"' in html
    assert "200" in html and 'role="alert"' in html
    assert len(c.topic_list()) == 2


def test_it_keeps_a_refused_outcome_s_words_in_the_fragment(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    c = running(space, ana, ben)
    actions.end(c, ana)
    response = client_for(ana).post(
        f"/conversations/{c.code}/outcomes/",
        {"kind": "question", "text": WORDS * 3},
        headers=HTMX,
    )
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "مرحبا 🌱</textarea>" in html
    assert not c.outcome_list()
