"""A new couple walks in on their phones: the first run, home, the app and a push (#18).

One server with Web Push on, one couple, in the order a couple would meet it: signed
up at phone size, home as it is on day one, the manifest and service worker a phone
would read to install Mend (read here, installed nothing), Ben's notifications turned
on, Ana's gentle start, and home changing for each as the other acts: on the next
visit, and live on a home left open (its "Waiting for you" follows the partner's acts
through the stream, agreements and a question sent here).

The push service is a local https stand-in the test starts (the server trusts its
certificate through REQUESTS_CA_BUNDLE); Ben's subscription is made with keys the test
holds, so the test decrypts what his phone would show. Nothing leaves 127.0.0.1.

Screenshots of home, before and after, light and dark, go to $MEND_SCREENSHOTS.
"""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import (
    MendServer,
    check_accessibility,
    check_fits_phone,
    couple,
    subscribe_pages_with,
)
from mend.notify.tests.receiver import (
    Browser,
    b64,
    check_vapid,
    push_service,
    self_signed,
)

SHOTS = Path(
    os.environ.get("MEND_SCREENSHOTS", Path(tempfile.gettempdir()) / "mend-shots")
)


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def shoot(page: Page, name: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(SHOTS / f"{name}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")


def read_the_app(page: Page, origin: str) -> None:
    """Read what a phone reads to put Mend on its home screen; install nothing."""
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(origin + str(href))
    assert manifest.headers["content-type"] == "application/manifest+json"
    data = manifest.json()
    assert (data["name"], data["start_url"], data["scope"]) == ("Mend", "/", "/")
    assert data["display"] == "standalone"
    assert data["theme_color"].startswith("#")
    assert {(i["sizes"], i["purpose"]) for i in data["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    icons = [i["src"] for i in data["icons"]]
    icons.append(str(page.locator("link[rel=apple-touch-icon]").get_attribute("href")))
    for src in icons:
        icon = page.request.get(origin + src)
        assert icon.ok, src
        assert icon.headers["content-type"] == "image/png", src
    favicon = page.request.get(origin + "/favicon.ico")
    assert favicon.headers["content-type"] == "image/x-icon"

    worker = page.request.get(
        origin + str(page.locator("body").get_attribute("data-worker"))
    )
    assert worker.headers["content-type"] == "text/javascript; charset=utf-8"
    source = worker.text()
    # It keeps grounding and help for offline, and shows a push in neutral words.
    for kept in ('"/safety/grounding/"', '"/safety/help/"'):
        assert kept in source
    assert 'addEventListener("push"' in source
    assert '"Something in Mend is waiting for you"' in source


def test_a_new_couple_walks_in_on_their_phones(
    start_mend: Callable[..., MendServer],
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    certificate = self_signed(tmp_path)
    phone = Browser()
    with push_service(certificate) as service:
        mend = start_mend(REQUESTS_CA_BUNDLE=str(certificate), MEND_PUSH="1")
        ana, ben = couple(mend, new_context, "walk")

        # Day one: nothing waits, one next step, the start offered.
        ana.goto(mend.url + "/")
        visit(ana)
        waiting = ana.get_by_role("region", name="Waiting for you", exact=True)
        expect(waiting).to_contain_text("Nothing is waiting for you right now.")
        expect(waiting.get_by_role("link")).to_have_text(
            "Propose a first agreement, in your own words."
        )
        expect(ana.get_by_role("region", name="Your path")).to_have_count(0)
        expect(
            ana.get_by_role("region", name="Waiting for your partner")
        ).to_have_count(0)
        expect(ana.get_by_text("coming", exact=False)).to_have_count(0)
        shoot(ana, "home-before")
        read_the_app(ana, mend.url)

        # Ben turns notifications on, from his calendar's settings.
        subscribe_pages_with(
            ben.context,
            mend.url,
            service.endpoint("ben"),
            phone.p256dh,
            b64(phone.auth),
        )
        ben.goto(mend.url + "/calendar/")
        ben.get_by_role("link", name="Notifications on your phone").click()
        expect(
            ben.get_by_text("this is the one outbound call Mend makes")
        ).to_be_visible()
        ben.get_by_label("A name for this device").fill("Ben's phone")
        ben.get_by_role("button", name="Turn on notifications").click()
        expect(ben.get_by_text("Notifications are on for this device.")).to_be_visible()
        expect(
            ben.get_by_role("button", name="Turn off for Ben's phone")
        ).to_be_visible()
        # The page handed the browser the server's VAPID public key (65 bytes).
        assert ben.evaluate("sessionStorage.getItem('askedWithKey')") == "65"
        visit(ben)
        # Ana sees nothing of Ben's devices.
        ana.goto(mend.url + "/reminders/push/")
        expect(ana.get_by_text("No device gets notifications.")).to_be_visible()
        expect(ana.get_by_text("Ben's phone")).to_have_count(0)

        # Ana walks the start: the pause rule first, in the example's words.
        ana.goto(mend.url + "/")
        ana.get_by_role("link", name="Begin").click()
        expect(ana.get_by_text("Step 1 of 3")).to_be_visible()
        ana.get_by_label("For how long").fill(
            "At least 20 minutes apart, at most two hours."
        )
        ana.get_by_role("button", name="Propose this pause rule").click()
        expect(ana.get_by_text("Step 2 of 3")).to_be_visible()
        # Two starters, one in her own words.
        ana.locator("#id_pick_0").check()
        ana.locator("#id_pick_4").check()
        ana.locator("#id_text_4").fill("Sunday mornings are ours, with no hard topics.")
        ana.get_by_role("button", name="Propose the ones I chose").click()
        expect(ana.get_by_text("Step 3 of 3")).to_be_visible()
        expect(
            ana.get_by_role("link", name="Choose reminders in your calendar settings")
        ).to_have_attribute("href", "/calendar/#reminders-title")
        ana.get_by_role("button", name="Done: go home").click()
        expect(ana.get_by_role("region", name="A gentle start")).to_have_count(0)
        partner_side = ana.get_by_role("region", name="Waiting for your partner")
        expect(partner_side.get_by_role("listitem")).to_have_count(3)
        expect(partner_side).to_contain_text("An agreement wording you proposed")

        # Each proposal reached Ben's push service as ciphertext, in neutral words.
        deadline = time.monotonic() + 10
        while len(service.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert len(service.received) == 3
    for received in service.received:
        assert received.path == "/push/ben"
        check_vapid(received.headers["authorization"], service.origin)
        assert b"waiting" not in received.body
        assert phone.decrypt(received.body) == {
            "title": "Mend",
            "body": "Something in Mend is waiting for you",
        }

    # Ben's home, on his next visit, shows the three waiting for him.
    ben.goto(mend.url + "/")
    mine = ben.get_by_role("region", name="Waiting for you", exact=True)
    expect(
        mine.get_by_role("link", name="An agreement wording to affirm")
    ).to_have_count(3)
    visit(ben)
    shoot(ben, "home-after-ben")
    ben.get_by_role("button", name="Skip for now").click()
    expect(ben.get_by_role("region", name="A gentle start")).to_have_count(0)

    # Ana keeps her home open while Ben acts: it follows him without a reload.
    ana.goto(mend.url + "/")
    hers = ana.get_by_role("region", name="Waiting for you", exact=True)
    expect(hers).to_contain_text("Nothing is waiting for you right now.")
    ana.evaluate("window.notReloaded = true")

    # One tap away: the newest (the Sunday one), affirmed in his own words.
    mine.get_by_role("link").first.click()
    expect(ben.get_by_text("Sunday mornings are ours")).to_be_visible()
    ben.get_by_label("Type “I agree” to affirm this wording").fill("I agree")
    ben.get_by_role("button", name="Affirm").click()
    expect(ben.get_by_text("Affirmed.")).to_be_visible()
    ben.goto(mend.url + "/")
    expect(mine.get_by_role("listitem")).to_have_count(2)
    expect(ben.get_by_role("region", name="Waiting for your partner")).to_contain_text(
        "An agreement wording you affirmed, to be confirmed"
    )

    # Ana's open home now asks her to confirm; she does, and the path grows.
    expect(
        hers.get_by_role("link", name="An affirmed agreement wording to confirm")
    ).to_be_visible()
    assert ana.evaluate("window.notReloaded === true")
    hers.get_by_role("link", name="An affirmed agreement wording to confirm").click()
    ana.get_by_role("button", name="Confirm the final wording").click()
    expect(ana.get_by_role("heading", name="In force")).to_be_visible()
    ana.goto(mend.url + "/")
    expect(ana.get_by_role("region", name="Your path")).to_contain_text(
        "1 agreement in force"
    )
    expect(hers).to_contain_text("Nothing is waiting for you right now.")
    visit(ana)
    shoot(ana, "home-after-ana")

    # Ben's home stays open while Ana sends him a question: it arrives without a reload.
    ben.goto(mend.url + "/")
    ben.evaluate("window.notReloaded = true")
    ana.goto(mend.url + "/commitments/questions/")
    ana.get_by_text("Write a question").click()
    ana.get_by_label("Your question").fill("What helped you most this week? 🌱 מה עזר")
    ana.get_by_role("button", name="Keep it privately").click()
    ana.get_by_role("button", name="Send to my partner").click()
    expect(ana.get_by_text("Sent to your partner.")).to_be_visible()
    expect(
        mine.get_by_role("link", name="A question from your partner, to answer")
    ).to_be_visible()
    assert ben.evaluate("window.notReloaded === true")
