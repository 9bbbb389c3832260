from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space


def test_it_requires_login(db: None) -> None:
    assert Client().get("/privacy/log/").status_code == 302
    assert Client().get("/api/privacy/access-log").status_code == 401


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).get("/privacy/log/")
    assert response.status_code == 200
    assert b"Nobody has opened" in response.content


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    a.post("/journal/new/", {"body": "shared note", "share": "on"})
    client_for(ben).get("/journal/")
    assert len(a.get("/api/privacy/access-log").json()) == 1
    assert client_for(dan).get("/api/privacy/access-log").json() == []
    assert b"Ben" not in client_for(dan).get("/privacy/log/").content
