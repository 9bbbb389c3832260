from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import SignedInSession, User, device_label
from mend.couples.models import Space

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_it_requires_login(db: None) -> None:
    assert Client().get("/accounts/sessions/").status_code == 302
    assert Client().get("/api/accounts/sessions").status_code == 401


def test_it_works(ana: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(ana)
    response = client.get("/accounts/sessions/", HTTP_USER_AGENT=FIREFOX)
    assert response.status_code == 200
    assert b"this one" in response.content
    sessions = client.get("/api/accounts/sessions").json()
    assert len(sessions) == 1
    assert sessions[0]["is_current"] is True


def test_it_keeps_only_a_coarse_device_label(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = Client()
    client.post(
        "/accounts/login/",
        {"username": "ana", "password": "a long enough passphrase 1"},
        HTTP_USER_AGENT=FIREFOX,
    )
    assert (
        client.get("/api/accounts/sessions").json()[0]["device"] == "Firefox on Linux"
    )
    assert "ip" not in {f.name for f in SignedInSession._meta.get_fields()}
    assert device_label("") == "Unknown device"


def test_it_seals_devices_for_their_owner(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = Client()
    client.post(
        "/accounts/login/",
        {"username": "ana", "password": "a long enough passphrase 1"},
        HTTP_USER_AGENT=FIREFOX,
    )
    row = SignedInSession.objects.get(user=ana)
    # A copy of the database shows neither the device nor when it was last active.
    fields = {f.name for f in SignedInSession._meta.get_fields()}
    assert not fields & {"device", "last_seen_at"}
    assert b"Firefox" not in bytes(row.sealed)
    assert row.opened(None).label is None
    key = ana.keyring.open_with_password("a long enough passphrase 1")
    assert row.opened(ana.keyring.private_key(key)).label == "Firefox on Linux"
    page = client.get("/accounts/sessions/")
    assert b"Firefox on Linux" in page.content


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    a.get("/accounts/sessions/", HTTP_USER_AGENT=FIREFOX)
    ana_code = str(SignedInSession.objects.get(user=ana).code)
    # Not even Ana's partner sees where she is signed in.
    for person in (ben, dan):
        client = client_for(person)
        assert ana_code.encode() not in client.get("/accounts/sessions/").content
        assert ana_code not in client.get("/api/accounts/sessions").content.decode()
        assert client.post(f"/accounts/sessions/{ana_code}/end/").status_code == 404
        assert client.delete(f"/api/accounts/sessions/{ana_code}").status_code == 404
    assert a.get("/privacy/").status_code == 200


def test_sign_out_others_ends_the_other_sessions(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    phone, laptop = client_for(ana), client_for(ana)
    assert phone.get("/privacy/").status_code == 200
    laptop.post("/accounts/sessions/others/")
    assert phone.get("/privacy/").status_code == 302
    assert laptop.get("/privacy/").status_code == 200
    assert SignedInSession.objects.filter(user=ana).count() == 1


def test_sign_out_everywhere_ends_this_one_too(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    phone, laptop = client_for(ana), client_for(ana)
    laptop.post("/accounts/sessions/all/")
    assert phone.get("/privacy/").status_code == 302
    assert laptop.get("/privacy/").status_code == 302
    assert not SignedInSession.objects.filter(user=ana).exists()


def test_the_api_signs_out_one_session(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    phone, laptop = client_for(ana), client_for(ana)
    others = [
        s for s in laptop.get("/api/accounts/sessions").json() if not s["is_current"]
    ]
    assert len(others) == 1
    assert (
        laptop.delete(f"/api/accounts/sessions/{others[0]['code']}").status_code == 204
    )
    assert phone.get("/privacy/").status_code == 302


def _last_seen(client: Client) -> datetime:
    [row] = client.get("/api/accounts/sessions").json()
    return datetime.fromisoformat(row["last_seen_at"])


def test_it_writes_last_seen_at_most_every_few_minutes(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    t0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False) as traveller:
        client = client_for(ana)
        client.get("/privacy/")
        traveller.shift(timedelta(minutes=2))
        client.get("/privacy/")
        assert _last_seen(client) == t0
        traveller.shift(timedelta(minutes=4))
        client.get("/privacy/")
        assert _last_seen(client) == t0 + timedelta(minutes=6)


def test_a_password_change_ends_the_other_sessions(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    phone, laptop = client_for(ana), client_for(ana)
    laptop.post(
        "/accounts/password/",
        {
            "old_password": "a long enough passphrase 1",
            "new_password1": "another fine passphrase 2",
            "new_password2": "another fine passphrase 2",
        },
    )
    assert phone.get("/privacy/").status_code == 302
    assert laptop.get("/privacy/").status_code == 200
    assert SignedInSession.objects.filter(user=ana).count() == 1


def test_signing_out_drops_the_session_from_the_list(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    phone, laptop = client_for(ana), client_for(ana)
    phone.post("/accounts/logout/")
    assert [s["is_current"] for s in laptop.get("/api/accounts/sessions").json()] == [
        True
    ]
