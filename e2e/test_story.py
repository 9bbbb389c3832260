"""Shared meaning and a journal the partner can answer, as two partners in two browsers (#16)."""

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone
from e2e.test_agreements import two_partners

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp/mend-meaning-shots"))  # noqa: S108  # a scratch place for a look
PHONE = {"width": 390, "height": 844}


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def test_ana_asks_in_a_shared_entry_and_ben_answers(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ana, ben = two_partners(mend, new_context, suffix="story")
    ana.set_viewport_size(PHONE)
    ben.set_viewport_size(PHONE)

    # Ana writes a shared entry with a question, formatted simply, with a script in it.
    ana.goto(mend.url + "/journal/new/")
    visit(ana)
    ana.get_by_label("Title (optional)").fill("About Sundays")
    ana.get_by_label("What's on your mind?").fill(
        "I *miss* our Sunday walks.\n\n- the park\n- the bakery\n\n"
        "<script>window.pwned = 1</script>What would help you say yes again?"
    )
    ana.get_by_label("Share this entry with my partner").check()
    ana.get_by_label("A question for my partner").check()
    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_text("Saved.")).to_be_visible()

    # Ben sees the question waiting on his list, opens it, reads it formatted and inert.
    ben.goto(mend.url + "/journal/")
    visit(ben)
    questions = ben.get_by_role("region", name="Questions for you")
    expect(questions).to_contain_text("Ana asked on")
    questions.get_by_role("link").first.click()
    visit(ben)
    expect(ben.locator(".formatted em")).to_have_text("miss")
    expect(ben.locator(".formatted li")).to_have_count(2)
    expect(ben.get_by_text("<script>window.pwned = 1</script>")).to_be_visible()
    assert ben.evaluate("window.pwned") is None
    ben.get_by_role("button", name="I read this").click()
    ben.get_by_label("Your reply").fill("A slow start, and **you** beside me.")
    ben.get_by_role("button", name="Send reply").click()
    expect(ben.get_by_text("Your reply is on the entry.")).to_be_visible()
    ben.goto(mend.url + "/journal/")
    expect(ben.get_by_role("region", name="Questions for you")).to_have_count(0)

    # Ana sees that Ben read it and his reply.
    ana.goto(mend.url + "/journal/")
    ana.get_by_role("link", name="About Sundays").click()
    visit(ana)
    expect(ana.get_by_text("Ben read this")).to_be_visible()
    expect(ana.locator(".reply strong")).to_have_text("you")
    ana.screenshot(path=str(SHOTS / "journal-reply-390.png"), full_page=True)

    # Ana withdraws it: Ben is told, without the words.
    ana.get_by_role("button", name="Make private again").click()
    ben.goto(mend.url + "/journal/")
    expect(ben.get_by_text("withdrew an entry they had shared")).to_be_visible()
    expect(ben.get_by_text("Sunday walks")).to_have_count(0)

    # Appreciation from home; Ben sees it on the story page.
    ana.goto(mend.url + "/")
    ana.get_by_label(
        "Something you appreciate about your partner, or are grateful for"
    ).fill("Thank you for the tea this morning 🌷")
    ana.get_by_role("button", name="Send").click()
    expect(ana.get_by_text("Sent. Thank you for noticing.")).to_be_visible()

    # What we stand for: Ana proposes, Ben affirms, Ana confirms.
    ana.goto(mend.url + "/story/")
    visit(ana)
    ana.get_by_role("link", name="Start drafting").click()
    ana.get_by_label("Our values").fill("Honesty, kindness, time together")
    ana.get_by_label("A year from now, we hope…").fill("Easy Sunday mornings.")
    ana.get_by_role("button", name="Propose these words").click()
    ben.goto(mend.url + "/story/")
    ben.get_by_label("Type “I agree” to affirm these words").fill("I agree")
    ben.get_by_role("button", name="Affirm").click()
    ana.goto(mend.url + "/story/")
    ana.get_by_role("button", name="Confirm these words").click()
    expect(ana.get_by_text("agreed by you both")).to_be_visible()

    # A ritual, marked by Ben.
    ana.get_by_role("link", name="Add a ritual").click()
    visit(ana)
    ana.get_by_label("What will you do together?").fill("Morning breath together")
    ana.get_by_role("button", name="Add").click()
    ben.goto(mend.url + "/story/")
    expect(ben.get_by_text("From Ana")).to_be_visible()
    ben.get_by_role("button", name="We did it today").click()
    expect(ben.get_by_text("Done together 1 time so far.")).to_be_visible()
    visit(ben)
    ben.screenshot(path=str(SHOTS / "story-390.png"), full_page=True)
