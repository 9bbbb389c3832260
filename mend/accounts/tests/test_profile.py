from collections.abc import Callable

from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import ApiToken, User


def test_it_requires_login(db: None) -> None:
    response = Client().get("/accounts/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_works(ana: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(ana).get("/accounts/profile/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_saves_display_name_and_time_zone(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "Ana M.", "email": "", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.display_name, ana.time_zone) == ("Ana M.", "Asia/Tokyo")


def test_it_issues_and_revokes_tokens(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post(
        "/accounts/tokens/", {"name": "my script", "password": PASSWORD}
    )
    secret = response.context["secret"]
    token = ApiToken.objects.get(user=ana)
    assert secret not in token.token_hash
    assert (
        Client()
        .get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        .json()["username"]
        == "ana"
    )
    client.post(f"/accounts/tokens/{token.code}/revoke/")
    assert (
        Client()
        .get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
        .status_code
        == 401
    )


def test_it_hides_other_peoples_tokens(
    ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    token, _secret = ApiToken.issue(ana, "ana's")
    response = client_for(dan).post(f"/accounts/tokens/{token.code}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
