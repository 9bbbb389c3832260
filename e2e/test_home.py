"""Home says what needs you, and a gentle first run, as two partners in two browsers (#18)."""

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone
from e2e.test_agreements import two_partners

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp/home-shots"))  # noqa: S108  # a scratch place for a look
PHONE: ViewportSize = {"width": 390, "height": 844}


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def shoot(page: Page, name: str) -> None:
    page.emulate_media(color_scheme="light")
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_new_couple_starts_gently_and_home_follows_the_partner(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ana, ben = two_partners(mend, new_context, suffix="home")
    ana.set_viewport_size(PHONE)
    ben.set_viewport_size(PHONE)

    # A fresh couple: nothing waits, one next step, the start offered.
    ana.goto(mend.url + "/")
    visit(ana)
    waiting = ana.get_by_role("region", name="Waiting for you", exact=True)
    expect(waiting).to_contain_text("Nothing is waiting for you right now.")
    expect(waiting.get_by_role("link")).to_have_text(
        "Propose a first agreement, in your own words."
    )
    expect(ana.get_by_role("region", name="Your path")).to_have_count(0)  # no zeros
    expect(ana.get_by_role("region", name="Waiting for your partner")).to_have_count(0)
    expect(ana.get_by_text("coming", exact=False)).to_have_count(0)
    shoot(ana, "home-before-390.png")

    # Ana walks the start: the pause rule first, in the example's words.
    ana.get_by_role("link", name="Begin").click()
    visit(ana)
    expect(ana.get_by_text("Step 1 of 3")).to_be_visible()
    ana.get_by_label("For how long").fill(
        "At least 20 minutes apart, at most two hours."
    )
    ana.get_by_role("button", name="Propose this pause rule").click()
    expect(ana.get_by_text("Step 2 of 3")).to_be_visible()
    visit(ana)
    shoot(ana, "start-agreements-390.png")
    # Two starters, one in her own words.
    ana.locator("#id_pick_0").check()
    ana.locator("#id_pick_4").check()
    ana.locator("#id_text_4").fill("Sunday mornings are ours, with no hard topics.")
    ana.get_by_role("button", name="Propose the ones I chose").click()
    expect(ana.get_by_text("Step 3 of 3")).to_be_visible()
    visit(ana)
    expect(
        ana.get_by_role("link", name="Choose reminders in your calendar settings")
    ).to_have_attribute("href", "/calendar/#reminders-title")
    ana.get_by_role("button", name="Done: go home").click()
    expect(ana.get_by_role("region", name="A gentle start")).to_have_count(0)
    partner_side = ana.get_by_role("region", name="Waiting for your partner")
    expect(partner_side.get_by_role("listitem")).to_have_count(3)
    expect(partner_side).to_contain_text("An agreement wording you proposed")

    # Ben's home now shows the three waiting for him; he skips his own start.
    ben.goto(mend.url + "/")
    visit(ben)
    mine = ben.get_by_role("region", name="Waiting for you", exact=True)
    expect(
        mine.get_by_role("link", name="An agreement wording to affirm")
    ).to_have_count(3)
    shoot(ben, "home-after-ben-390.png")
    ben.get_by_role("button", name="Skip for now").click()
    expect(ben.get_by_role("region", name="A gentle start")).to_have_count(0)

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

    # Ana's home asks her to confirm; she does, and the path grows.
    ana.goto(mend.url + "/")
    hers = ana.get_by_role("region", name="Waiting for you", exact=True)
    hers.get_by_role("link", name="An affirmed agreement wording to confirm").click()
    ana.get_by_role("button", name="Confirm the final wording").click()
    expect(ana.get_by_role("heading", name="In force")).to_be_visible()
    ana.goto(mend.url + "/")
    visit(ana)
    expect(ana.get_by_role("region", name="Your path")).to_contain_text(
        "1 agreement in force"
    )
    expect(hers).to_contain_text("Nothing is waiting for you right now.")
    shoot(ana, "home-after-ana-390.png")
