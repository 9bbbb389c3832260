from collections.abc import Callable

from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import User


def test_it_signs_up_and_returns_a_token_and_recovery_code(db: None) -> None:
    response = Client().post(
        "/api/accounts/signup",
        {
            "username": "nora",
            "password": "correct horse battery 7",
            "display_name": "Nora",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recovery_code"]
    me = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.json()["display_name"] == "Nora"


def test_it_explains_a_refused_signup(db: None) -> None:
    response = Client().post(
        "/api/accounts/signup",
        {"username": "nora", "password": "short", "display_name": "Nora"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "too short" in response.json()["detail"]


def test_it_issues_a_token_for_the_right_password(ana: User) -> None:
    ok = Client().post(
        "/api/accounts/tokens",
        {"username": "ana", "password": PASSWORD, "name": "cli"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    wrong = Client().post(
        "/api/accounts/tokens",
        {"username": "ana", "password": "nope", "name": "cli"},
        content_type="application/json",
    )
    assert wrong.status_code == 401


def test_it_requires_login(db: None) -> None:
    assert Client().get("/api/accounts/me").status_code == 401
    assert (
        Client()
        .get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer mend_nope")
        .status_code
        == 401
    )


def test_it_updates_the_profile_and_refuses_an_unknown_zone(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    ok = client.patch(
        "/api/accounts/me", {"time_zone": "Asia/Tokyo"}, content_type="application/json"
    )
    assert ok.json()["time_zone"] == "Asia/Tokyo"
    bad = client.patch(
        "/api/accounts/me", {"time_zone": "Mars/Base"}, content_type="application/json"
    )
    assert bad.status_code == 400
    ana.refresh_from_db()
    assert ana.time_zone == "Asia/Tokyo"


def test_it_serves_the_openapi_schema(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/accounts/me" in schema["paths"]
