"""Two partners complete a daily check-in; each one's answers stay hidden until both answered."""

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import (
    MendServer,
    check_accessibility,
    check_fits_phone,
    couple,
)

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp"))  # noqa: S108  # a scratch place for a look


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def answer(page: Page, slider: str, words: str) -> None:
    due = page.locator("[data-due]")
    due.get_by_label("How safe do I feel today? (0 to 10)").select_option(slider)
    due.get_by_label("One thing I appreciated").fill(words)
    due.get_by_label("Share with my partner once they have answered too").check()
    due.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Saved and shared.")).to_be_visible()


def test_a_daily_check_in_stays_hidden_until_both_answered(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana, ben = couple(mend, new_context, "rhythm")

    # Ana starts a daily check-in whose time today has already come.
    ana.goto(mend.url + "/")
    ana.get_by_role("link", name="Check-ins").click()
    visit(ana)
    ana.get_by_role("link", name="Add a daily check-in").click()
    visit(ana)
    ana.get_by_label("Name:", exact=True).fill("Our minute")
    ana.get_by_label("At:", exact=True).fill("00:01")
    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_text("Added. You both see it.")).to_be_visible()
    expect(ana.locator("[data-due]")).to_contain_text("Our minute")
    ana.screenshot(path=str(SHOTS / "checkins-390.png"), full_page=True)
    answer(ana, "7", "the walk by the river")
    expect(ana.locator("[data-due]")).to_have_count(0)
    expect(ana.locator("[data-answer]")).to_contain_text("the walk by the river")

    # Ben is told Ana answered, and reads nothing of it before he answers.
    ben.goto(mend.url + "/checkins/")
    visit(ben)
    expect(ben.locator("[data-waiting]")).to_contain_text("Ana has answered")
    expect(ben.get_by_text("the walk by the river")).to_have_count(0)
    ben.screenshot(path=str(SHOTS / "checkins-waiting-390.png"), full_page=True)
    answer(ben, "6", "your patience tonight")

    # Both answered: each reads the other's.
    expect(ben.locator("[data-answer]").filter(has_text="Ana")).to_contain_text(
        "the walk by the river"
    )
    ana.goto(mend.url + "/checkins/")
    expect(ana.locator("[data-answer]").filter(has_text="Ben")).to_contain_text(
        "your patience tonight"
    )
    visit(ana)

    # The calendar shows it neutrally, on a phone.
    ana.goto(mend.url + "/calendar/")
    visit(ana)
    expect(ana.locator(".agenda")).to_contain_text("Check-in")
    ana.get_by_role("button", name="Make my address").click()
    expect(ana.locator("[data-feed-url]")).to_contain_text("/calendar/feed/")
    ana.screenshot(path=str(SHOTS / "calendar-390.png"), full_page=True)
