"""Mend on the home screen: grounding and help work offline, and nothing signed-in is kept."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import BrowserContext, Error, Page, expect

from e2e.conftest import MendServer, check_accessibility, sign_up

CACHED = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({url: request.url, text: await response.text()});
    }
  }
  return out;
}"""


def cached(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(CACHED)  # type: ignore[no-any-return]  # JSON from the page


def wait_for_offline_copy(page: Page) -> list[dict[str, Any]]:
    """Wait until the worker's copy holds help and the quick-exit page; return it.

    Polled from here: page.wait_for_function treats an async predicate's Promise as
    truthy at once, so it never waited (the cause of a flaky failure on PostgreSQL).
    """
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    deadline = time.monotonic() + 15
    while True:
        entries = cached(page)
        paths = {urlparse(entry["url"]).path for entry in entries}
        if {"/safety/help/", "/kitchen/"} <= paths:
            return entries
        assert time.monotonic() < deadline, f"no offline copy after 15 s: {paths}"
        page.wait_for_timeout(100)


def test_grounding_and_help_work_offline_and_nothing_signed_in_is_kept(
    start_mend: Callable[..., MendServer], new_context: Callable[..., BrowserContext]
) -> None:
    mend = start_mend()  # its own server: the test stops it to be sure of offline
    context = new_context()
    page = context.new_page()

    # Installable: the page names a manifest with icons, served by Mend itself.
    page.goto(mend.url + "/safety/grounding/")
    manifest = page.request.get(
        mend.url + (page.locator("link[rel=manifest]").get_attribute("href") or "")
    )
    assert {icon["purpose"] for icon in manifest.json()["icons"]} == {"any", "maskable"}
    assert page.request.get(mend.url + "/favicon.ico").ok
    wait_for_offline_copy(page)
    assert {entry["url"] for entry in cached(page)} >= {
        mend.url + "/safety/grounding/",
        mend.url + "/safety/help/",
    }

    # Signed in, with a recovery code and a name on screen: none of it reaches the cache,
    # not even when a signed-in person opens the pages the worker keeps.
    page.goto(mend.url + "/accounts/signup/")
    sign_up(page, "wren", "Wrenfield")
    recovery_code = page.locator(".code").first.inner_text().strip()
    page.goto(mend.url + "/safety/grounding/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(mend.url + "/safety/help/")
    page.wait_for_timeout(500)  # the worker's background refresh of its copy
    # The name, the code, and the signed-in menu's link to "You".
    private = ("Wrenfield", recovery_code, 'href="/accounts/profile/"')
    for entry in cached(page):
        assert not any(text in entry["text"] for text in private), entry["url"]

    # Say an older version had kept something: signing out empties every cache.
    page.evaluate(
        "async () => (await caches.open('mend-old')).put('/journal/',"
        " new Response('Wrenfield wrote this'))"
    )
    page.get_by_role("button", name="Sign out").click()
    page.locator("body[data-offline-cleared]").wait_for(state="attached")
    # Emptied, then filled again by the worker; read once the refill is there.
    entries = wait_for_offline_copy(page)
    assert entries
    for entry in entries:
        assert not any(text in entry["text"] for text in private), entry["url"]
        assert "/accounts/" not in entry["url"] and "/journal/" not in entry["url"]

    # Offline, and the server gone too: grounding, help and quick exit's page still load.
    context.set_offline(True)
    mend.stop()
    page.goto(mend.url + "/safety/grounding/")
    expect(page.get_by_role("heading", name="Breathe and ground")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Breathe in")).to_be_visible()
    check_accessibility(page)
    page.goto(mend.url + "/safety/help/")
    expect(page.get_by_role("heading", name="Help and support")).to_be_visible()
    page.goto(mend.url + "/kitchen/")
    expect(page.get_by_role("heading", name="Weeknight lentil soup")).to_be_visible()
    # Every other page needs the network: no copy of it exists to show.
    with pytest.raises(Error, match="ERR_"):
        page.goto(mend.url + "/accounts/login/")
