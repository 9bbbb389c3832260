from collections.abc import Callable

import pytest
from django.test import Client

from conftest import PASSWORD
from mend.accounts import actions
from mend.accounts.models import Keyring, User
from mend.lib.crypto import SealError


def test_it_opens_with_the_password_or_the_recovery_code(db: None) -> None:
    user, key, code = actions.sign_up(
        username="kim", password=PASSWORD, display_name="Kim"
    )
    ring = Keyring.objects.get(user=user)
    assert ring.open_with_password(PASSWORD) == key
    assert ring.open_with_recovery_code(code.lower().replace("-", " ")) == key
    with pytest.raises(SealError):
        ring.open_with_password("not the password")


def test_it_rewraps_the_key_on_password_change(ana: User) -> None:
    key = Keyring.objects.get(user=ana).open_with_password(PASSWORD)
    assert actions.change_password(ana, PASSWORD, "another long passphrase 2") == key
    ring = Keyring.objects.get(user=ana)
    assert ring.open_with_password("another long passphrase 2") == key
    with pytest.raises(SealError):
        ring.open_with_password(PASSWORD)


def test_it_keeps_the_key_when_recovering_with_the_code(db: None) -> None:
    user, key, code = actions.sign_up(
        username="kim", password=PASSWORD, display_name="Kim"
    )
    same_key, new_code = actions.recover(user, code, "a brand new passphrase 3")
    assert same_key == key
    ring = Keyring.objects.get(user=user)
    assert ring.open_with_password("a brand new passphrase 3") == key
    assert ring.open_with_recovery_code(new_code) == key
    with pytest.raises(SealError):
        ring.open_with_recovery_code(code)


def test_it_starts_a_new_key_when_reset_without_the_code(ana: User) -> None:
    old = Keyring.objects.get(user=ana).open_with_password(PASSWORD)
    actions.reset_without_recovery(ana, "a brand new passphrase 3")
    ring = Keyring.objects.get(user=ana)
    assert ring.replaced_at is not None
    assert ring.open_with_password("a brand new passphrase 3") != old


def test_the_recover_page_resets_the_password(db: None) -> None:
    user, _key, code = actions.sign_up(
        username="kim", password=PASSWORD, display_name="Kim"
    )
    client = Client()
    response = client.post(
        "/accounts/recover/",
        {
            "username": "kim",
            "recovery_code": code,
            "new_password": "a brand new passphrase 3",
        },
    )
    assert response.status_code == 200
    assert response.context["code"] != code
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase 3")


def test_the_recover_page_refuses_a_wrong_code(ana: User) -> None:
    response = Client().post(
        "/accounts/recover/",
        {
            "username": "ana",
            "recovery_code": "AAAA-BBBB",
            "new_password": "a brand new passphrase 3",
        },
    )
    assert response.status_code == 200
    assert b"do not match" in response.content
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_the_password_page_keeps_private_entries_readable(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase 2",
            "new_password2": "another long passphrase 2",
        },
    )
    assert response.status_code == 302
    assert Keyring.objects.get(user=ana).open_with_password("another long passphrase 2")
