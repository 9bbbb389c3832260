"""Headers every response carries, and the deploy checks with HTTPS on."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from django.test import Client, override_settings

from conftest import PASSWORD
from mend.accounts.models import ApiToken, User
from mend.couples.models import Space

ROOT = Path(__file__).resolve().parent.parent


def _check_headers(response: object, personal: bool = True) -> None:
    headers = response.headers  # type: ignore[attr-defined]  # a Django response
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert "microphone=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    if personal:
        assert "no-store" in headers["Cache-Control"]


def test_every_kind_of_response_is_hardened(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    _check_headers(client.get("/"))
    _check_headers(client.get("/privacy/"))
    _check_headers(client.get("/api/journal/entries"))
    _check_headers(client.get("/api/privacy/access-log"))
    _check_headers(client.get("/no-such-page/"))
    _check_headers(client.get("/api/no-such-endpoint"))
    _check_headers(Client().get("/api/accounts/me"))
    _check_headers(Client().get("/accounts/login/"))
    _check_headers(client.get("/static/mend/mend.css"), personal=False)


def test_token_requests_are_never_cached(ana: User) -> None:
    _token, secret = ApiToken.issue(ana, "app")
    response = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    _check_headers(response)


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_https_responses_carry_hsts(db: None) -> None:
    response = Client().get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )


def test_state_changes_need_the_csrf_token(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    # The sign-in form itself needs the token too.
    assert Client(enforce_csrf_checks=True).post("/accounts/login/").status_code == 403
    signed_in = client_for(ana)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies
    assert strict.post("/privacy/leave/", {"shared": "keep"}).status_code == 403
    body = {"password": PASSWORD, "shared": "keep"}
    assert (
        strict.post("/api/privacy/leave", body, "application/json").status_code == 403
    )
    assert strict.post("/accounts/sessions/all/").status_code == 403
    assert Space.objects.for_member(ana).exists()


def test_the_deploy_checks_pass_with_https_on(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("MEND_", "DJANGO_"))
    }
    env |= {
        "MEND_HTTPS": "1",
        "MEND_TESTING": "0",
        "MEND_VAR_DIR": str(tmp_path),
        "MEND_ALLOWED_HOSTS": "mend.example",
        "MEND_SITE_URL": "https://mend.example",
    }
    result = subprocess.run(  # our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
