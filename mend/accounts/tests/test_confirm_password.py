from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from conftest import PASSWORD
from mend.accounts.keyring import SESSION_FIELD
from mend.accounts.models import User
from mend.couples.models import Space

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_it_requires_login(db: None) -> None:
    assert Client().get("/accounts/confirm/").status_code == 302


def test_it_does_not_call_a_download_irreversible(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).get("/accounts/confirm/?next=/privacy/export/")
    assert page.status_code == 200
    assert b"can't be undone" not in page.content
    assert b"asks for your password again" in page.content


def test_it_works(ana: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(ana)
    assert client.get("/privacy/export/")["Location"] == (
        "/accounts/confirm/?next=%2Fprivacy%2Fexport%2F"
    )
    response = client.post(
        "/accounts/confirm/", {"password": PASSWORD, "next": "/privacy/export/"}
    )
    assert response["Location"] == "/privacy/export/"
    assert client.get("/privacy/export/").status_code == 200


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    # Dan's password does not confirm anything for Ana, nor the reverse.
    client = client_for(dan)
    client.post("/accounts/confirm/", {"password": "not dan's password"})
    assert client.get("/privacy/export/").status_code == 302


def test_a_wrong_password_is_refused(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post("/accounts/confirm/", {"password": "wrong wrong wrong"})
    assert response.status_code == 200
    assert b"not right" in response.content
    assert client.get("/privacy/leave/").status_code == 302


def test_it_lasts_five_minutes(ana: User, client_for: Callable[[User], Client]) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        client = client_for(ana)
        client.post("/accounts/confirm/", {"password": PASSWORD})
        traveller.shift(timedelta(minutes=4))
        assert client.get("/privacy/erase/").status_code == 200
        traveller.shift(timedelta(minutes=2))
        assert client.get("/privacy/erase/").status_code == 302


def test_it_unlocks_a_locked_session(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = Client()
    client.force_login(ana)
    assert SESSION_FIELD not in client.session
    client.post("/accounts/confirm/", {"password": PASSWORD})
    assert SESSION_FIELD in client.session


def test_it_refuses_an_outside_next(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post(
        "/accounts/confirm/", {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/privacy/"
