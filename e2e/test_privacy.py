"""A partner leaves the space from the browser; the other sees a neutral notice."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone, sign_up
from e2e.test_foundation import create_space_and_invite

PASSWORD = "a long enough passphrase 1"


def test_a_partner_leaves_and_the_other_sees_a_neutral_notice(
    start_mend: Callable[..., MendServer], new_context: Callable[..., BrowserContext]
) -> None:
    # A server of its own: the shared one already has an "ana".
    mend = start_mend()
    ana = new_context().new_page()
    link = create_space_and_invite(ana, mend)
    ben = new_context().new_page()
    ben.goto(link)
    ben.get_by_role("link", name="Create an account").click()
    sign_up(ben, "ben", "Ben")
    ben.get_by_role("link", name="I've saved it, continue").click()
    ben.get_by_role("button", name="Join Ana's space").click()
    expect(ben.get_by_role("list", name="Partners")).to_contain_text("Ana")

    ben.get_by_role("navigation").get_by_role("link", name="Privacy").click()
    expect(ben.get_by_role("heading", name="Privacy & you")).to_be_visible()
    check_accessibility(ben)
    check_fits_phone(ben)

    ben.get_by_role("link", name="Where you're signed in").click()
    expect(ben.get_by_role("cell", name="this one")).to_be_visible()
    check_accessibility(ben)
    check_fits_phone(ben)
    ben.get_by_role("link", name="Back to Privacy & you").click()

    ben.get_by_role("link", name="Two-step sign-in").click()
    ben.get_by_role("button", name="Set up two-step sign-in").click()
    expect(ben.locator("#totp-uri")).to_contain_text("otpauth://totp/")
    check_accessibility(ben)
    check_fits_phone(ben)
    ben.get_by_role("link", name="Back to Privacy & you").click()

    ben.get_by_role("link", name="Leave the space").click()
    expect(ben.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    check_accessibility(ben)
    ben.get_by_label("Your password").fill(PASSWORD)
    ben.get_by_role("button", name="Continue").click()
    expect(ben.get_by_role("heading", name="Leave the space")).to_be_visible()
    check_accessibility(ben)
    check_fits_phone(ben)
    ben.get_by_label("Keep a copy for my partner").check()
    ben.get_by_role("button", name="Leave the space now").click()
    expect(ben.get_by_text("You have left the space.")).to_be_visible()
    check_accessibility(ben)

    ana.goto(mend.url + "/")
    notice = ana.get_by_role("status").filter(has_text="has left the space")
    expect(notice).to_have_text("Ben has left the space.")
    expect(ana.get_by_role("list", name="Partners")).not_to_contain_text("Ben")
    check_accessibility(ana)
    check_fits_phone(ana)
