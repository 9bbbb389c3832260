import json
import re
from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.webapp.views import offline_assets, offline_pages


def worker_lists(source: str) -> tuple[list[str], list[str]]:
    pages = json.loads(re.search(r"var PAGES = (\[.*?\]);", source).group(1))  # type: ignore[union-attr]  # the test fails if absent
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", source).group(1))  # type: ignore[union-attr]  # the test fails if absent
    return pages, assets


def test_it_serves_the_worker_at_the_root(db: None) -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-store" in response["Cache-Control"]
    pages, assets = worker_lists(response.content.decode())
    assert pages == ["/safety/grounding/", "/safety/help/", "/kitchen/"]
    assert "/static/mend/mend.css" in assets


def test_it_fetches_what_it_keeps_without_cookies(db: None) -> None:
    source = Client().get("/sw.js").content.decode()
    # Every cached copy is fetched as a signed-out visitor sees it: never signed in.
    assert 'credentials: "omit"' in source
    assert source.count("cache.put(") == 1 and source.count("cache.addAll(") == 1
    assert (
        "publicRequest(path)" in source
        and "addAll(PAGES.concat(ASSETS).map(publicRequest))" in source
    )


def test_it_keeps_every_file_the_offline_pages_use(db: None) -> None:
    client = Client()
    for page in offline_pages():
        html = client.get(page).content.decode()
        used = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html))
        used -= {
            "/static/mend/icons/apple-touch-icon.png"
        }  # an install icon, not a page's
        assert used <= set(offline_assets()), (page, used - set(offline_assets()))


def test_it_serves_the_manifest(db: None) -> None:
    response = Client().get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone" and data["theme_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert sizes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    client = Client()
    for icon in data["icons"]:
        body = b"".join(client.get(icon["src"]).streaming_content)  # type: ignore[attr-defined]  # a file response
        assert body.startswith(b"\x89PNG")
        width, height = (
            int.from_bytes(body[16:20], "big"),
            int.from_bytes(body[20:24], "big"),
        )
        assert f"{width}x{height}" == icon["sizes"]


def test_it_serves_the_favicon(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


def test_every_page_links_the_manifest_and_icons(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    for client, path in ((Client(), "/accounts/login/"), (client_for(ana), "/")):
        html = client.get(path).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert 'rel="apple-touch-icon"' in html and 'href="/favicon.ico"' in html
        assert html.count('name="theme-color"') == 2
        assert 'data-worker="/sw.js"' in html


def test_it_allows_workers_from_its_own_origin_only(db: None) -> None:
    csp = Client().get("/sw.js")["Content-Security-Policy"]
    assert "worker-src 'self';" in csp + ";"
    assert "manifest-src 'self'" in csp


def test_signing_out_marks_the_page_that_empties_the_cache(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    response = client.post("/accounts/logout/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/?signed-out"
    assert " data-signed-out>" in html and "You have signed out." in html
    assert " data-signed-out" not in Client().get("/accounts/login/").content.decode()


def test_signing_out_everywhere_marks_this_device_too(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).post("/accounts/sessions/all/")
    assert response["Location"] == "/accounts/login/?signed-out"
