from collections.abc import Callable

from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import Keyring, User
from mend.couples import actions as couples
from mend.couples.models import Membership, Space
from mend.journal.models import JournalEntry
from mend.lib.errors import Refused
from mend.privacy import actions
from mend.privacy.models import SpaceKey
from mend.privacy.tests.helpers import confirmed, write


def test_it_requires_login(db: None) -> None:
    assert Client().get("/privacy/leave/").status_code == 302
    response = Client().post(
        "/api/privacy/leave",
        {"password": PASSWORD, "shared": "keep"},
        "application/json",
    )
    assert response.status_code == 401


def test_it_requires_the_password_again(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post("/privacy/leave/", {"shared": "keep"})
    assert response["Location"].startswith("/accounts/confirm/")
    assert Space.objects.for_member(ana).exists()
    api = client.post(
        "/api/privacy/leave",
        {"password": "not my password", "shared": "keep"},
        "application/json",
    )
    assert api.status_code == 403
    assert Space.objects.for_member(ana).exists()


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = confirmed(client_for(ana))
    assert b"Leave the space now" in client.get("/privacy/leave/").content
    response = client.post("/privacy/leave/", {"shared": "keep"})
    assert response["Location"] == "/"
    assert not Space.objects.for_member(ana).exists()
    assert b"You have left the space" in client.get("/", follow=True).content


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    page = confirmed(client_for(dan)).get("/privacy/leave/")
    assert b"Ben" not in page.content
    confirmed(client_for(dan)).post("/privacy/leave/", {"shared": "erase"})
    assert Space.objects.for_member(ana).get() == space


def test_it_needs_no_consent_and_the_leaver_loses_access(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    shared = write(a, "shared with ben", share=True)
    private = write(a, "mine alone")
    ben_entry = write(client_for(ben), "ben's own, shared", share=True)
    SpaceKey.for_partner(
        space, ana, Keyring.objects.get(user=ana).open_with_password(PASSWORD)
    )
    confirmed(a).post("/privacy/leave/", {"shared": "keep"})
    for entry in (shared, private, ben_entry):
        assert a.get(f"/journal/{entry.code}/").status_code == 404
        assert a.get(f"/api/journal/entries/{entry.code}").status_code == 404
    assert "ben" not in a.get("/api/journal/entries").content.decode()
    assert a.get("/api/privacy/access-log").json() == []
    assert not SpaceKey.objects.filter(space=space, user=ana).exists()


def test_ben_sees_a_neutral_notice_and_keeps_the_copy(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    shared = write(a, "words kept for ben", share=True)
    private = write(a, "still mine")
    confirmed(a).post("/privacy/leave/", {"shared": "keep"})
    b = client_for(ben)
    home = b.get("/").content.decode()
    assert "Ana has left the space." in home
    assert b"words kept for ben" in b.get(f"/journal/{shared.code}/").content
    assert b.get(f"/journal/{private.code}/").status_code == 404
    # Ana's private entry still exists, hers to export.
    assert JournalEntry.objects.filter(pk=private.pk).exists()


def test_erase_removes_the_shared_contributions_only(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    shared = write(a, "take this back", share=True)
    private = write(a, "still mine")
    bens = write(client_for(ben), "ben's words", share=True)
    confirmed(a).post("/privacy/leave/", {"shared": "erase"})
    assert not JournalEntry.objects.filter(pk=shared.pk).exists()
    assert JournalEntry.objects.filter(pk=private.pk).exists()
    assert JournalEntry.objects.filter(pk=bens.pk).exists()
    assert b"take this back" not in client_for(ben).get("/journal/").content


def test_the_leaver_can_start_or_join_another_space(
    space: Space, ana: User, ben: User, loner: User
) -> None:
    actions.leave_space(ana, keep_shared=True)
    new = couples.create_space(ana)
    _invite, code = couples.issue_invite(new, ana)
    couples.join(loner, code)
    assert Space.objects.for_member(ana).get() == new
    # Ben's space cannot take someone new: what Ana kept was kept for Ben alone.
    try:
        couples.issue_invite(space, ben)
    except Refused as e:
        assert "left this space" in str(e)
    else:
        raise AssertionError("invite issued into a space someone left")


def test_leaving_twice_is_refused_plainly(space: Space, ana: User) -> None:
    actions.leave_space(ana, keep_shared=True)
    try:
        actions.leave_space(ana, keep_shared=True)
    except Refused as e:
        assert e.status == 409
    assert Membership.objects.get(user=ana).left_at is not None


def test_the_api_leaves(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    shared = write(a, "erase me", share=True)
    response = a.post(
        "/api/privacy/leave",
        {"password": PASSWORD, "shared": "erase"},
        "application/json",
    )
    assert response.status_code == 200
    assert response.json()["space"] == str(space.code)
    assert not JournalEntry.objects.filter(pk=shared.pk).exists()
    again = a.post(
        "/api/privacy/leave",
        {"password": PASSWORD, "shared": "erase"},
        "application/json",
    )
    assert again.status_code == 409
    assert "not in a space" in again.json()["detail"]


def _answer_everything(client: Client) -> None:
    from mend.agreements.models import InventoryItem

    assert client.get("/agreements/inventory/").status_code == 200
    answers = {
        f"item-{i.code}": "yes" for i in InventoryItem.objects.filter(space=None)
    }
    assert client.post("/agreements/inventory/", answers).status_code == 302


def test_leaving_deletes_the_leavers_answers_whatever_they_keep(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.agreements.models import InventoryAnswer

    a, b = client_for(ana), client_for(ben)
    _answer_everything(b)
    _answer_everything(a)
    kept = write(a, "words kept for ben", share=True)
    confirmed(a).post("/privacy/leave/", {"shared": "keep"})
    # Ben keeps Ana's shared words, never her answers: he still holds the couple key.
    assert JournalEntry.objects.filter(pk=kept.pk).exists()
    assert not InventoryAnswer.objects.filter(user=ana).exists()
    assert InventoryAnswer.objects.filter(user=ben).exists()
