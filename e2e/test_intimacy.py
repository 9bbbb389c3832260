"""The ladder's words change only with both, and a yes belongs to its words."""

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import (
    SMALL,
    MendServer,
    check_accessibility,
    check_fits_phone,
    couple,
)

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp"))  # noqa: S108  # a scratch place for a look


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def propose(page: Page, mend: MendServer, step: str, title: str) -> None:
    page.goto(mend.url + "/intimacy/")
    page.get_by_role("link", name=f"Edit {step}").click()
    visit(page)
    page.get_by_label("Step").fill(title)
    page.get_by_role("button", name="Propose these words").click()
    # The message, not the live region (also a status) that sits above it.
    expect(page.get_by_role("status").filter(has_text="Proposed")).to_be_visible()


def test_new_words_wait_for_both_and_clear_an_earlier_yes(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana, ben = couple(mend, new_context, "ladder", viewport=SMALL)
    current = ben.locator("[data-current-step]")

    # Ana proposes new words for the step they are on; Ben still sees the old ones.
    propose(ana, mend, "Time together", "Slow time side by side")
    ana.goto(mend.url + "/intimacy/")
    expect(ana.locator("[data-current-step]")).to_have_text("Time together")
    expect(ana.locator("[data-proposal]")).to_contain_text("You proposed new words")
    ben.goto(mend.url + "/intimacy/")
    visit(ben)
    expect(current).to_have_text("Time together")
    proposal = ben.locator("[data-proposal]")
    expect(proposal).to_contain_text("Slow time side by side")
    proposal.screenshot(path=str(SHOTS / "ladder-proposal-360.png"))
    proposal.get_by_label('To agree, type "I agree"').fill("I agree")
    # A double click affirms once and nothing breaks.
    proposal.get_by_role("button", name="Affirm the new words").dblclick()
    expect(current).to_have_text("Slow time side by side")
    expect(ben.locator("[data-proposal]")).to_have_count(0)
    ana.goto(mend.url + "/intimacy/")
    expect(ana.locator("[data-current-step]")).to_have_text("Slow time side by side")

    # Ben says he is ready for "Holding hands"; then Ana proposes other words for it.
    ben.get_by_role("button", name="I'm ready for “Holding hands”").click()
    expect(ben.get_by_text("You said you're ready for “Holding hands”")).to_be_visible()
    propose(ana, mend, "Holding hands", "Holding hands on a walk")
    ben.goto(mend.url + "/intimacy/")
    # His yes still stands for the words in force, which have not changed yet.
    expect(ben.get_by_text("You said you're ready for “Holding hands”")).to_be_visible()
    proposal = ben.locator("[data-proposal]")
    proposal.get_by_label('To agree, type "I agree"').fill("I agree")
    proposal.get_by_role("button", name="Affirm the new words").click()
    # The yes he gave to the old words is gone, and both are told plainly.
    notice = "Any “ready” given for the earlier words was cleared, for both of you"
    expect(ben.locator("[data-reworded]")).to_contain_text(notice)
    expect(
        ben.get_by_role("button", name="I'm ready for “Holding hands on a walk”")
    ).to_be_visible()
    ben.screenshot(path=str(SHOTS / "ladder-reworded-360.png"), full_page=True)
    ana.goto(mend.url + "/intimacy/")
    visit(ana)
    expect(ana.locator("[data-reworded]")).to_contain_text(notice)
    # Ana says ready: that alone moves nothing, since Ben's old yes no longer counts.
    ana.get_by_role("button", name="I'm ready for “Holding hands on a walk”").click()
    expect(ana.locator("[data-current-step]")).to_have_text("Slow time side by side")
    ben.get_by_role("button", name="I'm ready for “Holding hands on a walk”").click()
    expect(current).to_have_text("Holding hands on a walk")
