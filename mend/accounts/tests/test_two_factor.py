from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from mend.accounts.actions import sign_up
from mend.accounts.keyring import COOKIE, SESSION_FIELD
from mend.accounts.models import User
from mend.couples.models import Space

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _turn_on(client: Client, user: User) -> TOTPDevice:
    client.post("/accounts/two-factor/start/")
    page = client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user)
    assert device.config_url.encode().replace(b"&", b"&amp;") in page.content
    response = client.post(
        "/accounts/two-factor/confirm/", {"password": PASSWORD, "code": _code(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_it_requires_login(db: None) -> None:
    assert Client().get("/accounts/two-factor/").status_code == 302
    assert Client().post("/accounts/two-factor/start/").status_code == 302
    assert Client().get("/api/accounts/two-factor").status_code == 401


def test_it_works(ana: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(ana)
    with time_machine.travel(T0, tick=False):
        _turn_on(client, ana)
    assert b"Two-step sign-in is on." in client.get("/accounts/two-factor/").content
    assert client.get("/api/accounts/two-factor").json() == {"is_on": True}


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(T0, tick=False):
        _turn_on(client_for(ana), ana)
    dan_client = client_for(dan)
    assert dan_client.get("/api/accounts/two-factor").json() == {"is_on": False}
    # Dan's page shows nothing of Ana's secret.
    secret = TOTPDevice.objects.get(user=ana).config_url
    assert secret.encode() not in dan_client.get("/accounts/two-factor/").content


def test_it_refuses_a_wrong_code_when_turning_on(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    client.post("/accounts/two-factor/start/")
    client.post(
        "/accounts/two-factor/confirm/", {"password": PASSWORD, "code": "000000"}
    )
    assert not TOTPDevice.objects.get(user=ana).confirmed


def test_turning_on_asks_for_the_password(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    # Someone at Ana's unlocked laptop must not be able to lock her out with their phone.
    client = client_for(ana)
    with time_machine.travel(T0, tick=False):
        client.post("/accounts/two-factor/start/")
        device = TOTPDevice.objects.get(user=ana)
        page = client.get("/accounts/two-factor/")
        assert b'name="password"' in page.content
        for password in ("", "not her password 1"):
            client.post(
                "/accounts/two-factor/confirm/",
                {"password": password, "code": _code(device)},
            )
            assert not TOTPDevice.objects.get(user=ana).confirmed


def test_sign_in_asks_for_the_code_before_unlocking(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(T0, tick=False):
        device = _turn_on(client_for(ana), ana)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False) as traveller:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": "ana", "password": PASSWORD}
        )
        assert response["Location"].startswith("/accounts/login/code/")
        # Not signed in, and the key is not in the session yet.
        assert client.get("/privacy/").status_code == 302
        assert SESSION_FIELD not in client.session
        assert COOKIE not in client.cookies
        wrong = client.post("/accounts/login/code/", {"code": "000000"})
        assert b"didn&#x27;t match" in wrong.content
        # django-otp slows down guessing: the next try waits a moment.
        traveller.shift(timedelta(seconds=5))
        response = client.post("/accounts/login/code/", {"code": _code(device)})
        assert response.status_code == 302
        assert client.get("/privacy/").status_code == 200
        assert SESSION_FIELD in client.session
        assert client.cookies[COOKIE].value


def test_the_code_step_expires(ana: User, client_for: Callable[[User], Client]) -> None:
    with time_machine.travel(T0, tick=False):
        device = _turn_on(client_for(ana), ana)
        client = Client()
        client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        response = client.post("/accounts/login/code/", {"code": _code(device)})
        assert response["Location"] == "/accounts/login/"


def test_the_api_asks_for_the_code_too(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(T0, tick=False):
        device = _turn_on(client_for(ana), ana)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        body = {"username": "ana", "password": PASSWORD, "name": "app"}
        response = Client().post("/api/accounts/tokens", body, "application/json")
        assert response.status_code == 401
        body["code"] = _code(device)
        response = Client().post("/api/accounts/tokens", body, "application/json")
        assert response.status_code == 201


def test_turning_off_needs_password_and_code(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    with time_machine.travel(T0, tick=False):
        device = _turn_on(client, ana)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        client.post(
            "/accounts/two-factor/off/",
            {"password": "not it at all", "code": _code(device)},
        )
        assert TOTPDevice.objects.filter(user=ana).exists()
        client.post(
            "/accounts/two-factor/off/", {"password": PASSWORD, "code": _code(device)}
        )
        assert not TOTPDevice.objects.filter(user=ana).exists()


def test_the_recovery_code_also_stands_in_for_a_lost_phone(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(T0, tick=False):
        _turn_on(client_for(ana), ana)
    zoe, _key, code = sign_up(
        username="zoe", password=PASSWORD, display_name="Zoe", time_zone="UTC"
    )
    with time_machine.travel(T0, tick=False):
        _turn_on(client_for(zoe), zoe)
    response = Client().post(
        "/accounts/recover/",
        {
            "username": "zoe",
            "recovery_code": code,
            "new_password": "a fresh start passphrase 3",
        },
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=zoe).exists()
    assert TOTPDevice.objects.filter(user=ana).exists()
