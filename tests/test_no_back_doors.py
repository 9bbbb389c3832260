"""No administrator view, no way to act as someone else, no one's address or devices.

Rule (docs/security.md): Mend has no back door. Whoever runs the server can reset a
password from the command line (which starts a new key), and nothing more.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import close_stream
from mend.accounts.models import User
from mend.couples.models import Space

ROOT = Path(__file__).resolve().parent.parent
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANAS_ADDRESS = "203.0.113.7"


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_it_has_no_admin() -> None:
    assert not any("admin" in app for app in settings.INSTALLED_APPS)
    assert not apps.is_installed("django.contrib.admin")
    assert Client().get("/admin/").status_code == 404


def test_it_has_no_way_to_sign_in_as_someone_else() -> None:
    words = ("admin", "impersonat", "hijack", "login-as", "login_as", "loginas", "sudo")
    for route in routes():
        assert not any(word in route.lower() for word in words), route
    assert not any("hijack" in m or "impersonat" in m for m in settings.MIDDLEWARE)


def test_no_model_keeps_an_address_or_a_location() -> None:
    words = ("ip", "address", "location", "latitude", "longitude", "geo", "agent")
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            parts = field.name.lower().split("_")
            assert not any(w in parts for w in words), (
                f"{model._meta.label}.{field.name}"
            )


def test_nothing_shows_a_partner_their_partners_devices_or_address(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    a.get("/accounts/sessions/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=ANAS_ADDRESS)
    a.post(
        "/journal/new/",
        {"body": "shared", "share": "on"},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR=ANAS_ADDRESS,
    )
    b = client_for(ben)
    plain = [r for r in routes() if "<" not in r and "(" not in r]
    assert "accounts/sessions/" in plain
    for route in plain:
        response = b.get("/" + route)
        if response.streaming:
            # A live stream never ends; it carries only {"type", "code"} events.
            close_stream(response)
            continue
        body = response.content.decode(errors="replace")
        assert "Firefox" not in body, route
        assert ANAS_ADDRESS not in body, route
    for url in ("/api/accounts/sessions", "/api/privacy/access-log"):
        assert "Firefox" not in b.get(url).content.decode()
    # And nothing stores the address at all.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                found = model._default_manager.filter(
                    **{f"{field.name}__contains": ANAS_ADDRESS}
                )
                assert not found.exists(), f"{model._meta.label}.{field.name}"


def test_no_view_skips_csrf() -> None:
    for path in (ROOT / "mend").rglob("*.py"):
        assert "csrf_exempt" not in path.read_text(), path
