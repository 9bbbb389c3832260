"""The small things people expect, as two partners on phones, in light and dark (#18)."""

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone, sign_up

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp"))  # noqa: S108  # a scratch place for a look
PHONE = {"width": 390, "height": 844}


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def shoot(page: Page, name: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(
            path=str(SHOTS / f"companion-{name}-{scheme}.png"), full_page=True
        )
    page.emulate_media(color_scheme="light")


def couple(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> tuple[Page, Page]:
    ana = new_context(viewport=PHONE).new_page()
    ana.goto(mend.url + "/accounts/signup/")
    # Signed out: help and breathing are one tap away.
    nav = ana.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Help")).to_have_attribute(
        "href", "/safety/help/"
    )
    expect(nav.get_by_role("link", name="Breathe")).to_have_attribute(
        "href", "/safety/grounding/"
    )
    shoot(ana, "signed-out")
    sign_up(ana, "ana-companion", "Ana")
    ana.get_by_role("link", name="I've saved it, continue").click()
    ana.get_by_role("link", name="Create our space").click()
    ana.get_by_label("My trust was broken").check()
    ana.get_by_role("button", name="Create space").click()
    ana.get_by_role("button", name="Create an invite").click()
    link = ana.locator("#invite-link").inner_text().strip()
    ben = new_context(viewport=PHONE).new_page()
    ben.goto(link)
    ben.get_by_role("link", name="Create an account").click()
    sign_up(ben, "ben-companion", "Ben")
    ben.get_by_role("link", name="I've saved it, continue").click()
    ben.get_by_role("button", name="Join Ana's space").click()
    expect(ben.get_by_role("list", name="Partners")).to_contain_text("Ana")
    return ana, ben


def test_signing_in_says_so_while_keys_are_derived(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto(mend.url + "/accounts/signup/")
    sign_up(page, "cara-companion", "Cara")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("cara-companion")
    page.get_by_label("Password").fill("a long enough passphrase 1")
    # Hold the form where it is, after Mend's own script has seen the submit: as if
    # the server were still deriving the keys.
    page.evaluate("window.addEventListener('submit', (e) => e.preventDefault())")
    page.get_by_role("button", name="Sign in").click()
    busy = page.get_by_role("button", name="Signing you in…")
    expect(busy).to_be_disabled()
    expect(
        page.get_by_role("status").filter(has_text="Signing you in…")
    ).to_be_attached()
    page.locator("form[data-busy]").evaluate("(form) => form.submit()")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_couple_answers_a_section_at_a_time_and_walks_the_ladder(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana, ben = couple(mend, new_context)
    ana.goto(mend.url + "/")
    visit(ana)
    shoot(ana, "home")
    ana.goto(mend.url + "/safety/grounding/")
    visit(ana)
    shoot(ana, "grounding")

    # Yes / no / maybe: one section, a one-row control, each answer saved on tap.
    for page in (ana, ben):
        page.goto(mend.url + "/agreements/inventory/")
    expect(ana.get_by_text("Section 1 of 3")).to_be_visible()
    kissing = ana.get_by_role("group", name="Kissing")
    choices = [
        kissing.get_by_label(n, exact=True) for n in ("Yes", "Maybe", "Not now", "No")
    ]
    tops = {round(c.bounding_box()["y"]) for c in choices}  # type: ignore[index]
    assert len(tops) == 1, tops
    choices[0].check()
    expect(kissing.get_by_text("Saved. Only you can see it.")).to_be_visible()
    visit(ana)
    shoot(ana, "inventory")
    ben.get_by_role("group", name="Kissing").get_by_label("Yes", exact=True).check()
    expect(ben.get_by_text("Saved. Only you can see it.")).to_be_visible()
    ben.get_by_role("group", name="Long hugs").get_by_label("No", exact=True).check()
    expect(
        ben.get_by_role("group", name="Long hugs").get_by_text("Saved.")
    ).to_be_visible()
    ana.reload()
    both_yes = ana.get_by_role("region", name="You both said yes", exact=True)
    expect(both_yes).to_contain_text("Kissing")
    expect(both_yes).not_to_contain_text("Long hugs")
    # Next section, with the progress saying where she is.
    ana.get_by_role("link", name="Next: Intimacy").click()
    expect(ana.get_by_text("Section 2 of 3")).to_be_visible()
    expect(ana.get_by_role("link", name="Intimacy")).to_have_attribute(
        "aria-current", "step"
    )
    visit(ana)

    # The ladder, drawn as steps; removing one asks first, by name.
    ana.goto(mend.url + "/intimacy/")
    visit(ana)
    shoot(ana, "ladder")
    steps = ana.locator("ol.ladder > li")
    last = steps.last.locator("strong").first.inner_text()
    count = steps.count()
    remove = ana.get_by_role("button", name=f"Remove “{last}”")
    expect(remove).to_be_hidden()
    ana.locator("ol.ladder > li").last.get_by_text("Remove…").click()
    expect(ana.get_by_text(f"Remove “{last}” from your ladder?")).to_be_visible()
    visit(ana)
    remove.click()
    expect(steps).to_have_count(count - 1)
    ben.goto(mend.url + "/intimacy/")
    expect(ben.locator("ol.ladder > li")).to_have_count(count - 1)
