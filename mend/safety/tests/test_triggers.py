from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.privacy.models import AccessLog
from mend.safety.models import Trigger

NOTE = {
    "what": "a song in the shop",
    "when": "Tuesday",
    "intensity": "7",
    "helped": "walking",
}


def _note(client: Client, share: bool = False) -> Trigger:
    data = dict(NOTE) | ({"share": "on"} if share else {})
    response = client.post("/safety/triggers/new/", data)
    assert response.status_code == 302, response.content
    return Trigger.objects.latest("created_at")


def test_it_requires_login(db: None) -> None:
    assert Client().get("/safety/triggers/").status_code == 302
    assert Client().get("/api/safety/triggers").status_code == 401


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    note = _note(client)
    assert note.shared_content is None and b"a song" not in bytes(note.sealed or b"")
    assert "a song in the shop" in client.get("/safety/triggers/").content.decode()
    page = client.get(f"/safety/triggers/{note.code}/").content.decode()
    assert "7 of 10" in page and "walking" in page


def test_it_is_private_until_shared(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    note = _note(a)
    assert b.get(f"/safety/triggers/{note.code}/").status_code == 404
    assert "a song" not in b.get("/api/safety/triggers").content.decode()
    assert b.post(f"/safety/triggers/{note.code}/share/").status_code == 404
    a.post(f"/safety/triggers/{note.code}/share/")
    assert (
        "a song in the shop" in b.get(f"/safety/triggers/{note.code}/").content.decode()
    )
    assert AccessLog.objects.for_member(ana).get().viewer == ben
    a.post(f"/safety/triggers/{note.code}/unshare/")
    assert b.get(f"/safety/triggers/{note.code}/").status_code == 404


def test_the_api_notes_and_shares(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    created = a.post(
        "/api/safety/triggers",
        {"what": "a smell", "intensity": 4, "share": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    [seen] = client_for(ben).get("/api/safety/triggers").json()
    assert (seen["what"], seen["intensity"], seen["is_mine"]) == ("a smell", 4, False)
    bad = a.post(
        "/api/safety/triggers",
        {"what": "x", "intensity": 11},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)
    assert Trigger.objects.count() == 1


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    note = _note(client_for(ana), share=True)
    d = client_for(dan)
    assert d.get(f"/safety/triggers/{note.code}/").status_code == 404
    assert d.get("/api/safety/triggers").json() == []
    assert d.post(f"/safety/triggers/{note.code}/delete/").status_code == 404


def test_it_answers_a_refused_note_with_400_and_its_words(
    ana: User, space: Space, client_for: Callable[[User], Client]
) -> None:
    """Refused, the note came back whole but as a 200: a refusal says so (400)."""
    what = "… " * 1200 + "مرحبا 🌱"
    response = client_for(ana).post("/safety/triggers/new/", NOTE | {"what": what})
    assert response.status_code == 400
    html = response.content.decode()
    assert "مرحبا 🌱</textarea>" in html and "at most 2000 characters" in html
    assert not Trigger.objects.exists()
