"""A pause reaches the partner's open page live; grounding; a gentler step is seen live."""

import re
from collections.abc import Callable
from pathlib import Path

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


def test_the_pause_belongs_to_its_sender_and_both_can_run(
    start_mend: Callable[..., MendServer],
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
) -> None:
    mend = start_mend()
    ana = new_context().new_page()
    join(ben := new_context().new_page(), create_space_and_invite(ana, mend))
    for page in (ana, ben):
        page.goto(mend.url + "/")
        page.wait_for_load_state("networkidle")

    # The Pause control sits in the header landmark, beside Quick exit.
    header = ana.get_by_role("banner")
    expect(header.get_by_role("link", name="Quick exit")).to_be_visible()
    header.get_by_role("link", name="Pause", exact=True).click()
    ana.get_by_role("button", name="Send").click()
    ana.goto(mend.url + "/")
    # While her own pause runs, the control says what it does now.
    expect(header.get_by_role("link", name="See my pause")).to_be_visible()
    expect(header.get_by_role("link", name="Pause", exact=True)).to_have_count(0)

    # Ben's page, never reloaded: the banner arrives in a status region.
    status = ben.locator("#safety-live[role=status]")
    expect(status).to_contain_text("Ana asked for a pause.")
    banner = ben.locator(".pause-banner")
    expect(banner.get_by_role("button", name="End my pause now")).to_have_count(0)
    expect(banner.get_by_role("button", name=re.compile("Extend"))).to_have_count(0)
    ben.get_by_role("button", name="I'm ready when you are").dblclick()
    expect(ben.locator(".pause-banner")).to_contain_text("You told Ana you're ready")

    # Ana is told live, and the pause is still hers.
    mine = ana.locator("#my-pause")
    expect(mine).to_contain_text("Ben is ready when you are.")
    expect(mine.get_by_role("timer")).to_be_visible()

    # Ben needs time too: his pause runs beside Ana's, which keeps its clock.
    ben.get_by_role("banner").get_by_role("link", name="Pause", exact=True).click()
    ben.get_by_label("Cooling-off time, in minutes").fill("10")
    ben.get_by_role("button", name="Send").click()
    ben.goto(mend.url + "/")
    for page, first, second in (
        (ana, "You asked for a pause.", "Ben asked for a pause."),
        (ben, "Ana asked for a pause.", "You asked for a pause."),
    ):
        live = page.locator("#safety-live")
        expect(live).to_contain_text("You both asked for time.")
        expect(live.locator(".pause-banner h2")).to_have_text([first, second])
        expect(live.get_by_role("timer")).to_have_count(2)
        check_accessibility(page)
        check_fits_phone(page)
    ana.screenshot(path=str(tmp_path / "both-pauses-360.png"), full_page=True)

    # Ana ends her own; Ben's stays on both pages.
    mine.get_by_role("button", name="End my pause now").click()
    for page in (ana, ben):
        heading = page.locator(".pause-banner h2")
        expect(heading).to_have_count(1)
    expect(ben.locator(".pause-banner h2")).to_have_text("You asked for a pause.")
    expect(ana.locator(".pause-banner h2")).to_have_text("Ben asked for a pause.")
    expect(
        ana.get_by_role("banner").get_by_role("link", name="Pause", exact=True)
    ).to_be_visible()

    # History says how each ended, and fits a phone.
    ben.goto(mend.url + "/safety/")
    history = ben.get_by_role("table")
    expect(history).to_contain_text("Ended by its sender")
    expect(history).to_contain_text("Still running")
    check_accessibility(ben)
    check_fits_phone(ben)
    ben.screenshot(path=str(tmp_path / "history-360.png"), full_page=True)
