"""Static files: hashed names, compressed, kept by browsers for a year (#12)."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from mend.accounts.models import User
from mend.couples.models import Space


@pytest.fixture
def collected(tmp_path: Path) -> Iterator[Path]:
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def _assets(page: bytes) -> list[str]:
    # Not the home-screen icon: browsers fetch it only when Mend is added to one.
    return re.findall(
        r'(?<!rel="apple-touch-icon" )(?:href|src)="(/static/[^"]+)"', page.decode()
    )


def test_it_links_hashed_names_that_browsers_keep_for_a_year(
    collected: Path, space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    page = client.get("/")
    assets = _assets(page.content)
    assert any(a.endswith(".css") for a in assets)
    assert any(a.endswith(".js") for a in assets)
    total = len(page.content)
    for url in assets:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        # What a current browser asks for.
        response = Client().get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if url.endswith((".css", ".js")):
            assert response["Content-Encoding"] == "br"
        total += len(body)
    # Home on a first visit, with every asset, well under 30 KB on the wire.
    assert total <= 30_000, total


def test_it_links_plain_names_before_any_collectstatic(
    tmp_path: Path, space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    with override_settings(STATIC_ROOT=tmp_path):
        assets = _assets(client_for(ana).get("/").content)
        assert "/static/mend/mend.css" in assets
        assert Client().get("/static/mend/mend.css").status_code == 200


def test_it_serves_no_page_that_loads_from_another_host(db: None) -> None:
    """django-ninja's /api/docs loaded Swagger UI from cdn.jsdelivr.net (and the CSP
    then blocked it, a blank page): Mend makes no third-party call, so no such page.
    The schema stays at /api/openapi.json."""
    client = Client()
    for path in ("/api/docs", "/api/docs/"):
        response = client.get(path)
        assert b"cdn.jsdelivr" not in response.content
        assert b"django-ninja.dev" not in response.content
    assert client.get("/api/openapi.json").status_code == 200
