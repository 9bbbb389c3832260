"""Both ways of signing in to the API work for every method, and CSRF still guards one."""

from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import ApiToken, User
from mend.couples.models import Space


def test_a_bearer_token_can_write_without_a_csrf_token(space: Space, ana: User) -> None:
    _token, secret = ApiToken.issue(ana, "script")
    client = Client(enforce_csrf_checks=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    made = client.post(
        "/api/journal/entries",
        {"body": "from a script", "share": True},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    code = made.json()["code"]
    renamed = client.patch(
        "/api/accounts/me",
        {"display_name": "Ana M."},
        content_type="application/json",
        **auth,
    )
    assert renamed.status_code == 200, renamed.content
    assert client.delete(f"/api/journal/entries/{code}", **auth).status_code == 204


def test_a_session_still_needs_the_csrf_token_to_write(space: Space, ana: User) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.context["csrf_token"]
    signed_in = client.post(
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert signed_in.status_code == 302
    body = {"body": "from the page"}
    refused = client.post("/api/journal/entries", body, content_type="application/json")
    assert refused.status_code == 403
    allowed = client.post(
        "/api/journal/entries",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert allowed.status_code == 201, allowed.content


def test_a_wrong_token_is_not_let_in(space: Space, ana: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/journal/entries",
        {"body": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer mend_nope",
    )
    assert response.status_code in (401, 403)
