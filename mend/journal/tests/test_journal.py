from collections.abc import Callable

from django.test import Client
from pytest_django import DjangoAssertNumQueries

from mend.accounts.models import User
from mend.couples.models import Space
from mend.journal.models import JournalEntry
from mend.privacy.models import AccessLog


def _write(client: Client, body: str, share: bool = False) -> JournalEntry:
    data = {"title": "t", "body": body}
    if share:
        data["share"] = "on"
    response = client.post("/journal/new/", data)
    assert response.status_code == 302, response.content
    return JournalEntry.objects.latest("created_at")


def test_it_requires_login(db: None) -> None:
    assert Client().get("/journal/").status_code == 302


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    _write(client, "a private thought")
    response = client.get("/journal/")
    assert response.status_code == 200
    assert b"a private thought" in response.content


def test_it_seals_a_private_entry(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    entry = _write(client_for(ana), "only mine to read")
    assert entry.shared_content is None
    assert b"only mine" not in bytes(entry.sealed or b"")


def test_the_partner_never_sees_a_private_entry(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    entry = _write(client_for(ana), "only mine to read")
    b = client_for(ben)
    assert b"only mine" not in b.get("/journal/").content
    assert b.get(f"/journal/{entry.code}/").status_code == 404
    assert b.get(f"/api/journal/entries/{entry.code}").status_code == 404
    assert "only mine" not in b.get("/api/journal/entries").content.decode()


def test_sharing_is_the_authors_choice_and_logged(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "I am ready to share this")
    assert b.post(f"/journal/{entry.code}/share/").status_code == 404
    a.post(f"/journal/{entry.code}/share/")
    page = b.get(f"/journal/{entry.code}/")
    assert b"I am ready to share this" in page.content
    log = AccessLog.objects.for_member(ana).get()
    assert (log.viewer, log.author, log.object_code) == (ben, ana, entry.code)
    assert b"Ben" in a.get("/privacy/log/").content
    # A refresh is the same view, not a second one.
    b.get(f"/journal/{entry.code}/")
    assert AccessLog.objects.count() == 1
    a.post(f"/journal/{entry.code}/unshare/")
    # Withdrawn, not silently gone: the partner is told, and reads no words (#16).
    page = b.get(f"/journal/{entry.code}/")
    assert page.status_code == 410
    assert b"Withdrawn" in page.content
    assert b"I am ready to share this" not in page.content
    entry.refresh_from_db()
    assert entry.shared_content is None and entry.sealed


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    entry = _write(client_for(ana), "ours", share=True)
    d = client_for(dan)
    assert d.get(f"/journal/{entry.code}/").status_code == 404
    assert b"ours" not in d.get("/journal/").content
    assert d.post(f"/journal/{entry.code}/delete/").status_code == 404
    assert d.get("/api/privacy/access-log").json() == []


def test_it_refuses_empty_and_huge_entries(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    assert client.post("/journal/new/", {"body": ""}).status_code == 200
    assert client.post("/journal/new/", {"body": "x" * 20_001}).status_code == 200
    api = client.post(
        "/api/journal/entries", {"body": "x" * 20_001}, content_type="application/json"
    )
    assert api.status_code == 422
    assert not JournalEntry.objects.exists()


def test_a_token_cannot_write_private_entries_but_says_why(
    space: Space, ana: User
) -> None:
    from mend.accounts.models import ApiToken

    _token, secret = ApiToken.issue(ana, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(
        "/api/journal/entries", {"body": "hi"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]
    shared = client.post(
        "/api/journal/entries",
        {"body": "hi", "share": True},
        content_type="application/json",
    )
    assert shared.status_code == 201


def test_the_list_pins_its_query_count(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    a = client_for(ana)
    for i in range(5):
        _write(a, f"entry {i}", share=True)
    b = client_for(ben)
    with django_assert_max_num_queries(10):  # +1: open questions (#16)
        b.get("/journal/")
