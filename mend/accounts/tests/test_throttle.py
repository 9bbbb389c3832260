import fcntl
import importlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from mend.accounts import budget, throttle
from mend.accounts.models import FailedAttempt, User

WRONG = "not the password at all"


def sign_in(client: Client, username: str, password: str = PASSWORD) -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return response.status_code


def known_device(user: User) -> Client:
    """A browser USER signed in on before and signed out of: it keeps its device cookie."""
    client = Client()
    assert sign_in(client, user.username) == 302
    client.post("/accounts/logout/")
    assert throttle.DEVICE_COOKIE in client.cookies
    return client


def test_it_counts_every_spelling_of_a_name_against_the_account(ana: User) -> None:
    ana.email = "ana@example.org"
    ana.save()
    guesser = Client()
    # Capitals, full-width letters and the e-mail address all name Ana's account.
    for name in ("ANA", "Ana", "\uff41\uff4e\uff41", "ANA@EXAMPLE.ORG", "ana"):
        assert sign_in(guesser, name, WRONG) == 200
    assert sign_in(Client(), "aNa@example.org") == 429
    assert sign_in(Client(), "ana") == 429


def test_it_keeps_the_owners_device_allowance_when_the_partner_guesses(
    ana: User, ben: User
) -> None:
    anas_laptop = known_device(ana)
    # Ben, at the same address, on his own browser (signed in to his own account).
    bens_phone = known_device(ben)
    for _ in range(6):
        sign_in(bens_phone, "ana", WRONG)
    assert sign_in(bens_phone, "ana") == 429
    # Unknown devices share one allowance, so a new browser is paused too...
    assert sign_in(Client(), "ana") == 429
    # ...but Ana's own laptop still gets in.
    assert sign_in(anas_laptop, "ana") == 302


def test_it_gives_a_known_device_its_own_allowance(ana: User) -> None:
    laptop = known_device(ana)
    for _ in range(5):
        assert sign_in(laptop, "ana", WRONG) == 200
    assert sign_in(laptop, "ana") == 429
    # Those were the laptop's own tries: another device is not paused by them.
    assert sign_in(Client(), "ana") == 302


def test_it_refuses_a_forged_device_cookie(ana: User) -> None:
    forged = Client()
    forged.cookies[throttle.DEVICE_COOKIE] = "made-up"
    for _ in range(5):
        sign_in(forged, "ana", WRONG)
    assert sign_in(Client(), "ana") == 429


def test_it_throttles_the_api_token_endpoint_per_account(ana: User) -> None:
    client = Client()
    for name in ("ana", "ANA", "Ana", "anA", "aNa"):
        body = json.dumps({"username": name, "password": WRONG, "name": "x"})
        response = client.post("/api/accounts/tokens", body, "application/json")
        assert response.status_code == 401
    body = json.dumps({"username": "ana", "password": PASSWORD, "name": "x"})
    response = client.post("/api/accounts/tokens", body, "application/json")
    assert response.status_code == 429
    assert "Too many attempts" in response.json()["detail"]


def test_it_throttles_the_confirm_page(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    for _ in range(5):
        response = client.post("/accounts/confirm/", {"password": WRONG})
        assert response.status_code == 200
    response = client.post("/accounts/confirm/", {"password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert client.get("/privacy/export/").status_code == 302


@pytest.mark.parametrize("action", ["export", "leave", "erase"])
def test_it_throttles_the_privacy_api(
    action: str, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    wrong = json.dumps({"password": WRONG, "shared": "keep"})
    for _ in range(5):
        response = client.post(f"/api/privacy/{action}", wrong, "application/json")
        assert response.status_code == 403
    right = json.dumps({"password": PASSWORD, "shared": "keep"})
    response = client.post(f"/api/privacy/{action}", right, "application/json")
    assert response.status_code == 429
    assert User.objects.filter(pk=ana.pk).exists()


def recover(username: str, code: str, new_password: str) -> tuple[int, object]:
    response = Client().post(
        "/accounts/recover/",
        {"username": username, "recovery_code": code, "new_password": new_password},
    )
    return response.status_code, response.context["form"].errors


def test_it_throttles_the_recovery_form(db: None) -> None:
    from mend.accounts.actions import sign_up

    _user, _key, code = sign_up(username="eve", password=PASSWORD, display_name="E")
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/recover/",
            {
                "username": "EVE",
                "recovery_code": "wrong-code",
                "new_password": "another long passphrase",
            },
        )
    response = client.post(
        "/accounts/recover/",
        {
            "username": "eve",
            "recovery_code": code,
            "new_password": "another long passphrase",
        },
    )
    assert response.status_code == 429
    # A password pause does not block recovery: it is the way back in.
    assert sign_in(Client(), "eve") == 302


def test_the_recovery_form_does_not_say_whether_a_name_exists(ana: User) -> None:
    # A too-common new password used to be refused only for a name that exists.
    for new_password in ("password", "ana long enough passphrase"):
        known = recover("ana", "wrong-code", new_password)
        unknown = recover("nobody-here", "wrong-code", new_password)
        assert known == unknown
        assert known[0] == 200


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=1, LOGIN_NETWORK_FAILURE_LIMIT=3)
def test_it_tells_visitors_behind_a_proxy_apart(ana: User) -> None:
    # Both come through the same proxy (REMOTE_ADDR); the proxy names each.
    guesser = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for name in ("x1", "x2", "x3"):
        sign_in(guesser, name, WRONG)
    assert sign_in(guesser, "x4", WRONG) == 429
    # Whatever the guesser adds on the left is not believed.
    spoofing = Client(
        REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5"
    )
    assert sign_in(spoofing, "x5", WRONG) == 429
    other = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(other, "ana") == 302


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=2)
def test_it_counts_trusted_proxies_from_the_right(rf: RequestFactory) -> None:
    request = rf.get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1",
    )
    assert throttle.client_address(request) == "203.0.113.5"


def test_it_ignores_forwarded_for_when_not_behind_a_proxy(rf: RequestFactory) -> None:
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert throttle.client_address(request) == "10.0.0.2"


def test_it_keeps_no_name_address_or_browser(ana: User) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Firefox/123")
    sign_in(guesser, "ana", WRONG)
    sign_in(guesser, "someone-typed-this", WRONG)
    rows = list(FailedAttempt.objects.values())
    assert rows
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert not [t for t in tables if t.startswith("axes_")]
    dump = repr(rows)
    for secret in ("203.0.113", "Firefox", "someone-typed-this", "ana", str(ana.code)):
        assert secret not in dump
    assert {"id", "key", "failures", "expires_at"} == set(rows[0])


@pytest.mark.django_db(transaction=True)
def test_it_purges_counts_whose_pause_is_over(ana: User) -> None:
    for _ in range(5):
        sign_in(Client(), "ana", WRONG)
    assert FailedAttempt.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        assert throttle.purge() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        stop = threading.Event()
        stop.set()
        # What `mend serve` runs every few minutes, on its own thread: here, one round.
        purger = threading.Thread(target=throttle.purge_every, args=(0, stop))
        purger.start()
        purger.join()
    assert not FailedAttempt.objects.exists()
    assert sign_in(Client(), "ana") == 302


@pytest.mark.django_db(transaction=True)
def test_it_drops_the_old_axes_tables() -> None:
    migration = importlib.import_module(
        "mend.accounts.migrations.0004_drop_axes_tables"
    )
    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE axes_accessattempt (ip_address varchar(39))")
        migration.drop_axes_tables(None, editor)
    assert "axes_accessattempt" not in connection.introspection.table_names()


@pytest.fixture
def spent_budget() -> Iterator[None]:
    taken = 0
    while budget._slots.acquire(blocking=False):
        taken += 1
    yield
    for _ in range(taken):
        budget._slots.release()


@override_settings(KDF_WAIT_SECONDS=0)
@pytest.mark.usefixtures("spent_budget")
def test_it_answers_busy_when_the_key_derivation_budget_is_spent(ana: User) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "ana", "password": PASSWORD}
    )
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"try again in a moment" in response.content
    body = json.dumps({"username": "ana", "password": PASSWORD, "name": "x"})
    response = Client().post("/api/accounts/tokens", body, "application/json")
    assert response.status_code == 503
    assert "try again in a moment" in response.json()["detail"]
    # Pages that derive nothing are not held up.
    assert Client().get("/accounts/login/").status_code == 200


@override_settings(KDF_WAIT_SECONDS=1)
def test_it_shares_the_budget_with_every_worker_process(ana: User) -> None:
    # Another worker process holds the server's one slot: its lock file, locked
    # through a file description of its own, as a second process's would be.
    held = [
        os.open(settings.VAR_DIR / f"kdf-slot-{n}.lock", os.O_RDWR | os.O_CREAT)
        for n in range(settings.KDF_CONCURRENCY)
    ]
    try:
        for fd in held:
            fcntl.flock(fd, fcntl.LOCK_EX)
        response = Client().post(
            "/accounts/login/", {"username": "ana", "password": PASSWORD}
        )
        assert response.status_code == 503
    finally:
        for fd in held:
            os.close(fd)  # releases the lock
    response = Client().post(
        "/accounts/login/", {"username": "ana", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_it_throttles_the_change_password_page(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    new = {
        "new_password1": "a new long passphrase",
        "new_password2": "a new long passphrase",
    }
    for _ in range(5):
        response = client.post("/accounts/password/", {"old_password": WRONG} | new)
        assert response.status_code == 200
    response = client.post("/accounts/password/", {"old_password": PASSWORD} | new)
    assert response.status_code == 429
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_it_throttles_the_token_page(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    for _ in range(5):
        client.post("/accounts/tokens/", {"name": "app", "password": WRONG})
    response = client.post("/accounts/tokens/", {"name": "app", "password": PASSWORD})
    assert b"Too many attempts" in response.content
    assert not ana.api_tokens.exists()


@pytest.mark.parametrize("step", ["confirm", "off"])
def test_it_throttles_two_step_passwords(
    step: str, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    client.post("/accounts/two-factor/start/")
    if step == "off":
        TOTPDevice.objects.filter(user=ana).update(confirmed=True)
    for _ in range(5):
        client.post(f"/accounts/two-factor/{step}/", {"password": WRONG, "code": "1"})
    response = client.post(
        f"/accounts/two-factor/{step}/",
        {"password": PASSWORD, "code": "1"},
        follow=True,
    )
    assert b"Too many attempts" in response.content
