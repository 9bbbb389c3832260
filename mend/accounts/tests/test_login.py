from collections.abc import Callable

from django.test import Client

from conftest import PASSWORD
from mend.accounts.keyring import COOKIE, SESSION_FIELD
from mend.accounts.models import User


def test_it_works(db: None) -> None:
    assert Client().get("/accounts/login/").status_code == 200


def test_it_signs_in_and_unlocks_the_key(ana: User) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "ana", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE]["httponly"]
    # The session store holds the key only sealed, never the key itself.
    assert client.session[SESSION_FIELD]
    assert response.cookies[COOKIE].value not in client.session[SESSION_FIELD]


def test_it_accepts_a_unique_email(ana: User) -> None:
    ana.email = "ana@example.org"
    ana.save()
    response = Client().post(
        "/accounts/login/", {"username": "ana@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_it_refuses_a_wrong_password(ana: User) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "ana", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_it_pauses_an_account_after_five_wrong_passwords(ana: User) -> None:
    # Per device and per account: mend/accounts/tests/test_throttle.py.
    here = Client()
    for _ in range(5):
        here.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    locked = here.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many attempts" in locked.content
    # The right password was never checked: no "wrong password" beside the lockout.
    assert b"correct username and password" not in locked.content
    assert b'value="ana"' in locked.content


def test_it_signs_out_only_by_post(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 302
