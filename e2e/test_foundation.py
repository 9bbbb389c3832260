"""Two people sign up in separate browsers, share a space, and leave quickly when needed."""

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone, sign_up


def create_space_and_invite(page: Page, mend: MendServer) -> str:
    page.goto(mend.url + "/accounts/signup/")
    check_accessibility(page)
    sign_up(page, "ana", "Ana")
    check_accessibility(page)
    page.get_by_role("link", name="I've saved it, continue").click()
    check_accessibility(page)
    page.get_by_role("link", name="Create our space").click()
    check_accessibility(page)
    page.get_by_label("My trust was broken").check()
    page.get_by_role("button", name="Create space").click()
    check_accessibility(page)
    page.get_by_role("button", name="Create an invite").click()
    check_accessibility(page)
    check_fits_phone(page)
    return page.locator("#invite-link").inner_text().strip()


def test_two_partners_share_a_space(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana = new_context().new_page()
    link = create_space_and_invite(ana, mend)
    assert link.startswith(mend.url + "/join/")

    ben = new_context().new_page()
    ben.goto(link)
    expect(ben.get_by_text("Ana invited you to share a space in Mend.")).to_be_visible()
    check_accessibility(ben)
    ben.get_by_role("link", name="Create an account").click()
    sign_up(ben, "ben", "Ben")
    ben.get_by_role("link", name="I've saved it, continue").click()
    ben.get_by_role("button", name="Join Ana's space").click()
    expect(ben.get_by_role("list", name="Partners")).to_contain_text("Ana")
    expect(ben.get_by_role("list", name="Partners")).to_contain_text("Ben")
    check_accessibility(ben)
    check_fits_phone(ben)

    ana.goto(mend.url + "/")
    expect(ana.get_by_role("list", name="Partners")).to_contain_text("Ben")

    # The link was single-use: a third person sees why it no longer works.
    cara = new_context().new_page()
    cara.goto(link)
    expect(cara.get_by_role("alert")).to_contain_text("already been used")
    check_accessibility(cara)


def test_an_expired_invite_explains_itself(
    start_mend: Callable[..., MendServer], new_context: Callable[..., BrowserContext]
) -> None:
    quick = start_mend(MEND_INVITE_HOURS="0")
    ana = new_context().new_page()
    link = create_space_and_invite(ana, quick)
    ben = new_context().new_page()
    ben.goto(link)
    expect(ben.get_by_role("alert")).to_contain_text("expired")
    check_accessibility(ben)


def test_quick_exit_leaves_at_once(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(mend.url + "/accounts/login/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/kitchen/$"))
    expect(page).to_have_title("Weeknight lentil soup")

    page.goto(mend.url + "/accounts/signup/")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(re.compile(r"/kitchen/$"))


def test_quick_exit_leaves_no_way_back_into_mend(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(mend.url + "/accounts/login/")
    page.goto(mend.url + "/accounts/signup/")
    expect(page.get_by_role("contentinfo")).to_contain_text("doesn't sign you out")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(re.compile(r"/kitchen/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/kitchen/$"))
    expect(page).to_have_title("Weeknight lentil soup")
    # Opening Mend again on purpose works as usual.
    page.goto(mend.url + "/accounts/login/")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_the_keyboard_reaches_quick_exit(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(mend.url + "/")
    check_accessibility(page)
    check_fits_phone(page)
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Quick exit":
            break
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kitchen/$"))
