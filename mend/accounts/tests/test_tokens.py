"""API tokens: made with the password, listed, revoked, and never a way to consent."""

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_stubs_ext import StrOrPromise

from conftest import PASSWORD
from mend.accounts import actions
from mend.accounts.guards import ACCOUNT, CONSENT
from mend.accounts.models import ApiToken, User
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.privacy.models import LEFT_OUT_HEADER

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "another fine passphrase 2"


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _works(secret: str) -> bool:
    return bool(_bearer(secret).get("/api/accounts/me").status_code == 200)


def _make(client: Client, **fields: Any) -> Any:
    return client.post("/accounts/tokens/", {"name": "my script", **fields})


def test_it_requires_login(db: None) -> None:
    assert Client().post("/accounts/tokens/", {"name": "x"}).status_code == 302
    assert Client().get("/api/accounts/tokens").status_code == 401


def test_it_works(ana: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(ana)
    with time_machine.travel(T0, tick=False) as traveller:
        response = _make(client, password=PASSWORD)
        assert response.status_code == 200
        secret = response.context["secret"]
        traveller.shift(timedelta(hours=2))
        assert _works(secret)
        page = client.get("/accounts/profile/")
    assert b"my script" in page.content
    listed = client.get("/api/accounts/tokens").json()
    assert [(t["name"], t["opens_private"]) for t in listed] == [("my script", False)]
    assert listed[0]["created_at"].startswith("2026-11-26T09:00")
    assert listed[0]["last_used_at"].startswith("2026-11-26T11:00")


def test_it_asks_for_the_password(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    # Someone at Ana's unlocked laptop must not walk away with lasting access.
    client = client_for(ana)
    assert b'name="password"' in client.get("/accounts/profile/").content
    for fields in ({}, {"password": "not her password 1"}):
        response = _make(client, **fields)
        assert response.status_code == 400
        assert "secret" not in response.context
    assert b"That password is not right." in _make(client, password="nope!").content
    assert not ApiToken.objects.exists()


def test_it_asks_for_the_code_with_two_step_on(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    from mend.accounts.tests.test_two_factor import _code, _turn_on

    client = client_for(ana)
    with time_machine.travel(T0, tick=False):
        device = _turn_on(client, ana)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert b'name="code"' in client.get("/accounts/profile/").content
        assert _make(client, password=PASSWORD).status_code == 400
        assert _make(client, password=PASSWORD, code="000000").status_code == 400
        assert not ApiToken.objects.exists()
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        response = _make(client, password=PASSWORD, code=_code(device))
        assert response.status_code == 200
    assert ApiToken.objects.count() == 1


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    token, _secret = ApiToken.issue(ana, "ana's")
    dan_client = client_for(dan)
    assert b"ana&#x27;s" not in dan_client.get("/accounts/profile/").content
    assert dan_client.get("/api/accounts/tokens").json() == []
    assert dan_client.delete(f"/api/accounts/tokens/{token.code}").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_it_revokes_one_token_at_a_time(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    _kept, kept_secret = ApiToken.issue(ana, "kept")
    gone, gone_secret = ApiToken.issue(ana, "gone")
    assert client.delete(f"/api/accounts/tokens/{gone.code}").status_code == 204
    assert not _works(gone_secret)
    assert _works(kept_secret)


def test_sign_out_everywhere_revokes_every_token(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    _token, secret = ApiToken.issue(ana, "app")
    client_for(ana).post("/accounts/sessions/all/")
    assert not _works(secret)


def test_a_password_change_revokes_every_token(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    _token, secret = ApiToken.issue(ana, "app")
    client_for(ana).post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert not _works(secret)


def test_a_recovery_reset_revokes_every_token(db: None) -> None:
    kim, _key, code = actions.sign_up(
        username="kim", password=PASSWORD, display_name="K"
    )
    _token, secret = ApiToken.issue(kim, "app")
    response = Client().post(
        "/accounts/recover/",
        {"username": "kim", "recovery_code": code, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert not _works(secret)
    _token, secret = ApiToken.issue(kim, "app")
    actions.reset_without_recovery(kim, PASSWORD)
    assert not _works(secret)


def _private_entry(space: Space, ana: User) -> str:
    key = ana.keyring.open_with_password(PASSWORD)
    entry = journal.write_entry(
        space, ana, key, title="mine", body="only mine", share=False
    )
    return str(entry.code)


def test_a_token_opens_private_entries_only_if_its_owner_chose_so(
    space: Space, ana: User
) -> None:
    code = _private_entry(space, ana)
    _token, plain = ApiToken.issue(ana, "plain")
    refused = _bearer(plain).get(f"/api/journal/entries/{code}")
    assert refused.status_code == 403
    assert "created without permission" in refused.json()["detail"]
    listed = _bearer(plain).get("/api/journal/entries")
    assert listed.json() == []
    assert listed[LEFT_OUT_HEADER] == "1"

    created = Client().post(
        "/api/accounts/tokens",
        {
            "username": "ana",
            "password": PASSWORD,
            "name": "diary",
            "opens_private": True,
        },
        "application/json",
    )
    assert created.status_code == 201
    assert created.json()["opens_private"] is True
    secret = created.json()["token"]
    opened = _bearer(secret).get(f"/api/journal/entries/{code}")
    assert opened.status_code == 200
    assert opened.json()["body"] == "only mine"
    listed = _bearer(secret).get("/api/journal/entries")
    assert [e["body"] for e in listed.json()] == ["only mine"]
    assert listed[LEFT_OUT_HEADER] == "0"
    # The data key is kept only sealed under the token's secret, and goes with it.
    token = ApiToken.objects.get(name="diary")
    assert token.wrapped_key is not None
    assert ana.keyring.open_with_password(PASSWORD) not in bytes(token.wrapped_key)
    assert ApiToken.objects.get(name="plain").wrapped_key is None
    token.revoke()
    assert _bearer(secret).get(f"/api/journal/entries/{code}").status_code == 401


def test_the_page_makes_a_token_that_opens_private_entries(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    code = _private_entry(space, ana)
    response = _make(client_for(ana), password=PASSWORD, opens_private="on")
    secret = response.context["secret"]
    assert _bearer(secret).get(f"/api/journal/entries/{code}").status_code == 200


def test_the_partner_private_entries_are_not_counted(
    space: Space, ana: User, ben: User
) -> None:
    _private_entry(space, ben)
    _token, secret = ApiToken.issue(ana, "plain")
    assert _bearer(secret).get("/api/journal/entries")[LEFT_OUT_HEADER] == "0"


# Every act a token may not do: giving consent, and the account itself.
PERSON_ONLY: list[tuple[str, str, dict[str, Any], StrOrPromise]] = [
    ("post", "/api/agreements/{c}/versions/{c}/affirm", {"words": "I agree"}, CONSENT),
    ("post", "/api/agreements/{c}/versions/{c}/confirm", {}, CONSENT),
    ("post", "/api/agreements/{c}/retirement/agree", {}, CONSENT),
    ("put", "/api/agreements/inventory/{c}", {"answer": "yes"}, CONSENT),
    ("post", "/api/intimacy/plan/ready", {}, CONSENT),
    ("post", "/api/journal/entries/{c}/share", {}, CONSENT),
    ("post", "/api/safety/triggers/{c}/share", {}, CONSENT),
    ("post", "/api/intimacy/after/{c}/share", {}, CONSENT),
    ("post", "/api/commitments/changes/{c}/affirm", {"words": "I agree"}, CONSENT),
    ("post", "/api/commitments/questions/{c}/send", {}, CONSENT),
    ("post", "/api/commitments/slips/{c}/share", {}, CONSENT),
    ("post", "/api/checkins/answers/{c}/share", {}, CONSENT),
    ("post", "/api/checkins/answers/{c}/show-early", {}, CONSENT),
    ("post", "/api/story/values/{c}/affirm", {"words": "I agree"}, CONSENT),
    ("post", "/api/story/values/{c}/confirm", {}, CONSENT),
    ("post", "/api/counselor/admissions/{c}/approve", {"words": "I agree"}, CONSENT),
    (
        "post",
        "/api/counselor/admissions/{c}/scopes",
        {"scope": "journal", "on": True},
        CONSENT,
    ),
    ("get", "/api/accounts/tokens", {}, ACCOUNT),
    ("delete", "/api/accounts/tokens/{c}", {}, ACCOUNT),
    ("get", "/api/accounts/sessions", {}, ACCOUNT),
    ("delete", "/api/accounts/sessions/{c}", {}, ACCOUNT),
    ("post", "/api/accounts/sessions/sign-out-others", {}, ACCOUNT),
    ("get", "/api/accounts/two-factor", {}, ACCOUNT),
    ("post", "/api/privacy/leave", {"password": PASSWORD, "shared": "keep"}, ACCOUNT),
    ("post", "/api/privacy/erase", {"password": PASSWORD, "shared": "keep"}, ACCOUNT),
]


@pytest.mark.parametrize(("method", "path", "body", "reason"), PERSON_ONLY)
def test_a_token_cannot_give_consent_or_change_the_account(
    space: Space,
    ana: User,
    method: str,
    path: str,
    body: dict[str, Any],
    reason: StrOrPromise,
) -> None:
    token, secret = ApiToken.issue(ana, "app", ana.keyring.open_with_password(PASSWORD))
    url = path.replace("{c}", str(uuid.uuid4()))
    response = getattr(_bearer(secret), method)(url, body, "application/json")
    assert response.status_code == 403, response.content
    assert response.json()["detail"] == str(reason)
    ana.refresh_from_db()
    assert ana.is_active
    assert ApiToken.objects.filter(pk=token.pk).exists()


def _generic(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{c}", path)


def test_every_person_only_operation_is_in_that_list(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    declared = {
        (method, _generic(path))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "a token gets 403" in operation.get("description", "")
    }
    assert declared == {(method, path) for method, path, _b, _r in PERSON_ONLY}
