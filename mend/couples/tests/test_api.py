from collections.abc import Callable
from typing import TYPE_CHECKING

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse


def _post(
    client: Client, url: str, data: dict[str, str] | None = None
) -> "_MonkeyPatchedWSGIResponse":
    return client.post(url, data or {}, content_type="application/json")


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    body = client_for(ana).get("/api/space").json()
    assert [p["display_name"] for p in body["partners"]] == ["Ana", "Ben"]
    assert body["roles"] == "mine"


def test_it_requires_login(db: None) -> None:
    assert Client().get("/api/space").status_code == 401


def test_it_hides_other_couples_data(
    space: Space, dan: User, client_for: Callable[[User], Client]
) -> None:
    body = client_for(dan).get("/api/space").json()
    assert str(space.code) != body["code"]
    assert "Ana" not in str(body)


def test_it_creates_invites_and_joins(
    ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    assert _post(a, "/api/space", {"name": "Us", "roles": "mine"}).status_code == 201
    code = _post(a, "/api/space/invites").json()["code"]
    joined = _post(b, "/api/space/join", {"code": code})
    assert joined.status_code == 200, joined.content
    assert len(joined.json()["partners"]) == 2
    again = _post(a, "/api/space/invites")
    assert again.status_code == 400
    assert "both partners" in again.json()["detail"]


def test_it_explains_bad_input(
    ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    assert _post(a, "/api/space", {"roles": "blame"}).status_code == 400
    assert (
        _post(client_for(ben), "/api/space/join", {"code": "NOPE"}).status_code == 400
    )
    assert not Space.objects.for_member(ana).exists()
    assert client_for(ben).post(
        "/api/space", "not json", content_type="application/json"
    ).status_code in (400, 422)


def test_either_partner_can_change_the_roles(
    space: Space, ben: User, client_for: Callable[[User], Client]
) -> None:
    body = (
        client_for(ben)
        .patch("/api/space", {"roles": "both"}, content_type="application/json")
        .json()
    )
    assert body["roles"] == "both"
