"""A pause reaches the partner's open page live; grounding; a gentler step is seen live."""

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone, sign_up
from e2e.test_foundation import create_space_and_invite


def join(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_role("link", name="Create an account").click()
    sign_up(page, "ben", "Ben")
    page.get_by_role("link", name="I've saved it, continue").click()
    page.get_by_role("button", name="Join Ana's space").click()
    expect(page.get_by_role("list", name="Partners")).to_contain_text("Ana")


def test_a_pause_and_a_gentler_step_reach_the_partner_live(
    start_mend: Callable[..., MendServer], new_context: Callable[..., BrowserContext]
) -> None:
    mend = start_mend()
    ana = new_context().new_page()
    join(ben := new_context().new_page(), create_space_and_invite(ana, mend))

    # Ben's page is open and stays open: no reload from here on.
    ben.goto(mend.url + "/")
    ben.wait_for_load_state("networkidle")
    ana.goto(mend.url + "/")
    ana.get_by_role("link", name="Pause", exact=True).click()
    check_accessibility(ana)
    check_fits_phone(ana)
    expect(ana.get_by_label("Cooling-off time, in minutes")).to_have_value("20")
    ana.get_by_role("button", name="Send").click()
    expect(ana.get_by_role("heading", name="Breathe and ground")).to_be_visible()

    banner = ben.locator(".pause-banner")
    expect(banner).to_contain_text("Ana asked for a pause.")
    timer = banner.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^(19|20):\d\d$"))
    check_accessibility(ben)
    check_fits_phone(ben)

    ben.get_by_role("link", name="Breathe and ground").click()
    expect(
        ben.get_by_role("heading", name="Breathe and ground", level=1)
    ).to_be_visible()
    ben.get_by_role("button", name="Start", exact=True).click()
    expect(ben.locator("[data-breath-say]")).to_contain_text("Breathe in")
    ben.get_by_role("button", name="Next").click()
    expect(ben.locator(".senses li.current")).to_contain_text("4 things you can touch")
    check_accessibility(ben)
    check_fits_phone(ben)

    # Both say yes privately, so there is a step to come down from.
    for page in (ana, ben):
        page.goto(mend.url + "/intimacy/")
        page.get_by_role("button", name="I'm ready for “Holding hands”").click()
    expect(ben.locator("[data-current-step]")).to_have_text("Holding hands")
    check_accessibility(ben)
    check_fits_phone(ben)

    ana.goto(mend.url + "/intimacy/")
    ana.get_by_role("button", name="Go one step gentler").click()
    expect(ben.locator("[data-current-step]")).to_have_text("Time together")
    expect(ben.locator("#safety-notice")).to_contain_text(
        "Your partner chose a gentler step"
    )
    check_accessibility(ben)
