from collections.abc import Callable

from django.db import models
from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import ApiToken, Keyring, SignedInSession, User
from mend.couples.models import Membership, Space
from mend.journal.models import JournalEntry
from mend.privacy import actions
from mend.privacy.models import AccessLog, SpaceKey
from mend.privacy.tests.helpers import confirmed, write


def test_it_requires_login(db: None) -> None:
    assert Client().get("/privacy/erase/").status_code == 302
    body = {"password": PASSWORD, "shared": "erase"}
    assert (
        Client().post("/api/privacy/erase", body, "application/json").status_code == 401
    )


def test_it_requires_the_password_again(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post("/privacy/erase/", {"shared": "erase", "understood": "on"})
    assert response["Location"].startswith("/accounts/confirm/")
    body = {"password": "wrong wrong wrong", "shared": "erase"}
    assert (
        client.post("/api/privacy/erase", body, "application/json").status_code == 403
    )
    assert User.objects.filter(pk=ana.pk).exists()


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = confirmed(client_for(ana))
    write(client, "sealed words")
    assert client.get("/privacy/erase/").status_code == 200
    # Nothing happens without ticking "I understand".
    client.post("/privacy/erase/", {"shared": "erase"})
    assert User.objects.filter(pk=ana.pk).exists()
    response = client.post("/privacy/erase/", {"shared": "erase", "understood": "on"})
    assert b"Your account is erased" in response.content
    placeholder = User.objects.get(pk=ana.pk)
    assert (placeholder.display_name, placeholder.email) == ("", "")
    assert placeholder.username.startswith("erased-")
    assert not Keyring.objects.filter(user_id=ana.pk).exists()
    assert not JournalEntry.objects.filter(author_id=ana.pk).exists()
    assert client.get("/privacy/").status_code == 302
    assert (
        Client()
        .post("/accounts/login/", {"username": "ana", "password": PASSWORD})
        .status_code
        == 200
    )


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    write(client_for(ana), "ana's words", share=True)
    confirmed(client_for(dan)).post(
        "/privacy/erase/", {"shared": "erase", "understood": "on"}
    )
    assert JournalEntry.objects.filter(author=ana).count() == 1
    assert Space.objects.for_member(ben).get() == space


def test_it_leaves_the_other_partners_data_intact(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    ana_shared = write(a, "ana shared", share=True)
    write(a, "ana private")
    ben_private = write(b, "ben private")
    ben_shared = write(b, "ben shared", share=True)
    a.get("/journal/")  # Ana opens Ben's shared entry: logged.
    b.get("/journal/")
    actions.erase_account(ana, keep_shared=False)
    assert set(JournalEntry.objects.values_list("pk", flat=True)) == {
        ben_private.pk,
        ben_shared.pk,
    }
    assert not JournalEntry.objects.filter(pk=ana_shared.pk).exists()
    assert Space.objects.for_member(ben).get() == space
    assert Keyring.objects.filter(user=ben).exists()
    # Ben's log keeps both views, the viewer's name kept as it was written.
    assert AccessLog.objects.for_member(ben).count() == 2
    page = b.get(f"/journal/{ben_private.code}/")
    assert b"ben private" in page.content
    assert b"Your partner has left the space." in b.get("/").content
    assert b"Ana" not in b.get("/").content


def test_someone_never_in_a_space_is_deleted_outright(
    loner: User, client_for: Callable[[User], Client]
) -> None:
    client = confirmed(client_for(loner))
    client.post("/privacy/erase/", {"shared": "erase", "understood": "on"})
    assert not User.objects.filter(pk=loner.pk).exists()


def test_keeping_shared_words_leaves_an_empty_placeholder(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    shared = write(a, "kept for ben", share=True)
    private = write(a, "gone")
    ApiToken.issue(ana, "app")
    actions.erase_account(ana, keep_shared=True)
    ghost = User.objects.get(pk=ana.pk)
    assert ghost.username.startswith("erased-")
    assert (ghost.email, ghost.is_active, ghost.has_usable_password()) == (
        "",
        False,
        False,
    )
    for model in (Keyring, ApiToken, SignedInSession, SpaceKey):
        assert not model.objects.filter(user=ghost).exists()
    assert not JournalEntry.objects.filter(pk=private.pk).exists()
    assert b"kept for ben" in client_for(ben).get(f"/journal/{shared.code}/").content
    assert Membership.objects.get(user=ghost).left_at is not None


def test_the_api_erases(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    body = {"password": PASSWORD, "shared": "erase"}
    assert a.post("/api/privacy/erase", body, "application/json").status_code == 204
    assert not User.objects.get(pk=ana.pk).is_active
    assert not Keyring.objects.filter(user_id=ana.pk).exists()
    assert a.get("/api/accounts/me").status_code == 401


def test_deleting_a_person_never_cascades_into_the_partners_things(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Check every foreign key to a person: none may reach the other partner's rows."""
    write(client_for(ben), "ben's", share=True)
    ana.delete()
    assert JournalEntry.objects.filter(author=ben).count() == 1
    assert Membership.objects.filter(user=ben, space=space).exists()
    for model in __import__("django.apps").apps.apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is User
                and field.remote_field.on_delete is models.CASCADE
            ):
                # A cascading key must name the row's own person (its owner or
                # author), never a viewer or a counterpart.
                own = {
                    "user",
                    "author",
                    "created_by",
                    getattr(model, "author_field", ""),
                    # The counselor's admission is theirs, and a partner's approval
                    # or yes to a scope is that partner's own: each ends with its
                    # person's account, and takes nothing of the other's with it.
                    OWN_PERSON.get(model._meta.label, ""),
                }
                assert field.name in own, (
                    f"{model._meta.label}.{field.name} cascades on person delete"
                )


OWN_PERSON = {
    "counselor.Admission": "counselor",
    "counselor.Approval": "partner",
    "counselor.ScopeYes": "partner",
}


def test_erasing_deletes_the_answers_even_when_keeping_shared_words(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.agreements.models import InventoryAnswer, InventoryItem

    a = client_for(ana)
    assert a.get("/agreements/inventory/").status_code == 200
    item = InventoryItem.objects.filter(space=None).first()
    assert item is not None
    a.post("/agreements/inventory/", {f"item-{item.code}": "maybe"})
    assert InventoryAnswer.objects.filter(user=ana).exists()
    actions.erase_account(ana, keep_shared=True)
    assert not InventoryAnswer.objects.filter(user_id=ana.pk).exists()
    # Answers are nobody's shared words: with nothing shared, no name stays behind.
    assert User.objects.get(pk=ana.pk).display_name == ""
