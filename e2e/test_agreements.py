"""Two partners propose, affirm, edit and repair an agreement, each in their own browser."""

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


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def two_partners(
    mend: MendServer, new_context: Callable[..., BrowserContext], suffix: str = "agrees"
) -> tuple[Page, Page]:
    return couple(mend, new_context, suffix, viewport=SMALL)


def open_item(page: Page, mend: MendServer, text: str) -> None:
    page.goto(mend.url + "/agreements/")
    page.get_by_role("link", name=text).first.click()


def test_two_partners_agree_edit_and_repair(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana, ben = two_partners(mend, new_context)

    # Ana proposes.
    ana.goto(mend.url + "/")
    ana.get_by_role("link", name="Agreements").click()
    visit(ana)
    ana.get_by_role("link", name="Propose an agreement").click()
    visit(ana)
    ana.get_by_label("What is it about?").select_option("disclosures")
    ana.get_by_label("The agreement, in plain words").fill(
        "We tell each other the same day if an ex gets in touch."
    )
    ana.get_by_label("Why this matters to me (optional)").fill("Surprises hurt.")
    ana.get_by_role("button", name="Propose").click()
    expect(
        ana.get_by_text("Waiting for your partner to read and affirm it.")
    ).to_be_visible()
    visit(ana)

    # Ben affirms in his own typed words.
    open_item(ben, mend, "We tell each other the same day")
    visit(ben)
    ben.get_by_label("Type “I agree” to affirm this wording").fill("ok")
    ben.get_by_role("button", name="Affirm").click()
    expect(ben.get_by_text('please type "I agree"')).to_be_visible()
    ben.get_by_label("Type “I agree” to affirm this wording").fill("I agree")
    ben.get_by_role("button", name="Affirm").click()
    expect(ben.get_by_text("Affirmed.")).to_be_visible()

    # Ana confirms the final wording; it is in force.
    open_item(ana, mend, "We tell each other the same day")
    ana.get_by_role("button", name="Confirm the final wording").click()
    expect(ana.get_by_role("heading", name="In force")).to_be_visible()
    visit(ana)

    # Ben suggests new wording; both see the difference while the old one holds.
    open_item(ben, mend, "We tell each other the same day")
    ben.get_by_role("link", name="Suggest new wording").click()
    visit(ben)
    ben.get_by_label("New wording").fill(
        "We tell each other within the hour if an ex gets in touch."
    )
    ben.get_by_role("button", name="Propose this wording").click()
    open_item(ana, mend, "We tell each other the same day")
    expect(ana.locator(".diff ins").first).to_have_text("within ")
    expect(ana.locator(".diff del").first).to_have_text("same day")
    expect(ana.get_by_role("heading", name="In force")).to_be_visible()
    visit(ana)
    ana.get_by_role("link", name="Every version and step").click()
    expect(ana.get_by_role("heading", name="Version 2")).to_be_visible()
    visit(ana)

    # Ana shares that the agreement felt crossed.
    open_item(ana, mend, "We tell each other the same day")
    ana.get_by_role("link", name="This felt crossed").click()
    visit(ana)
    ana.get_by_label("What happened, as you saw it").fill(
        "An old friend wrote and I heard about it days later."
    )
    ana.get_by_label("How it felt: “I felt ...”").fill("I felt shut out.")
    ana.get_by_role("button", name="Share with my partner").click()
    expect(ana.get_by_text("Your partner will answer with a repair.")).to_be_visible()
    visit(ana)

    # Ben answers with the structured repair.
    ben.goto(mend.url + "/agreements/")
    ben.get_by_role("link", name="An old friend wrote").click()
    visit(ben)
    ben.get_by_label("1. Your feelings").fill("I felt ashamed.")
    ben.get_by_label("2. Your own view of what happened").fill(
        "I didn't think it mattered, and I see now why it did."
    )
    ben.get_by_label("4. Your part, in your own words").fill(
        "I chose to wait. I'm sorry I kept you out."
    )
    ben.get_by_label("5. One concrete step").fill("I'll tell you that evening.")
    ben.get_by_label("A time to talk it through together").fill("2030-01-05T19:00")
    ben.get_by_role("button", name="Share my repair").click()
    expect(ben.get_by_text("Your repair is shared.")).to_be_visible()
    visit(ben)

    # Ana reads it and says she feels heard.
    ana.reload()
    expect(
        ana.get_by_text("I chose to wait. I'm sorry I kept you out.")
    ).to_be_visible()
    ana.get_by_label("One concrete step you'll take").fill("I'll ask, not assume.")
    ana.get_by_label("I feel heard").check()
    ana.get_by_role("button", name="Send my reply").click()
    expect(ana.get_by_text("Heard", exact=True)).to_be_visible()
    visit(ana)

    # The other pages a couple visits here are calm and accessible too.
    for path in (
        "/agreements/inventory/",
        "/agreements/circles/",
        "/agreements/print/",
    ):
        ana.goto(mend.url + path)
        visit(ana)
    ana.goto(mend.url + "/privacy/log/")
    expect(ana.get_by_text("crossed-boundary report")).to_be_visible()


def test_the_inventory_explains_overlaps_and_never_shows_a_no(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana, ben = two_partners(mend, new_context, suffix="answers")
    for page in (ana, ben):
        page.goto(mend.url + "/agreements/inventory/")
    explained = ana.locator("#what-overlaps-show")
    # Said plainly before anyone answers, above the answers themselves.
    expect(explained).to_contain_text("If your partner answers yes to everything")
    expect(explained).to_contain_text(
        "No, not now and not answered yet look exactly the same"
    )
    visit(ana)
    ana.screenshot(path=str(Path(mend.env["MEND_VAR_DIR"]) / "inventory-360.png"))

    # Ben says no to one thing, with a double click on save.
    ben.get_by_role("group", name="Kissing").get_by_label("No", exact=True).check()
    ben.get_by_role("button", name="Save my answers").dblclick()
    expect(ben.get_by_text("Saved. Only you can see your answers.")).to_be_visible()

    # Ana says yes to everything: she sees what Ben said yes or maybe to, never his no.
    for radio in ana.get_by_label("Yes", exact=True).all():
        radio.check()
    ana.get_by_role("button", name="Save my answers").click()
    both_yes = ana.get_by_role("region", name="You both said yes", exact=True)
    expect(both_yes).to_contain_text("Nothing shared here yet.")

    # Ben changes his mind while Ana looks again: only then does it show.
    ben.get_by_role("group", name="Kissing").get_by_label("Yes", exact=True).check()
    ben.get_by_role("button", name="Save my answers").click()
    ana.reload()
    expect(both_yes).to_contain_text("Kissing")

    # Ana flips many answers back at once: Ben sees that in the access log.
    ben.goto(mend.url + "/privacy/log/")
    expect(ben.get_by_text("after changing many answers")).to_have_count(0)
    for radio in ana.get_by_label("No", exact=True).all()[:6]:
        radio.check()
    ana.get_by_role("button", name="Save my answers").click()
    expect(ana.get_by_text("Saved. Only you can see your answers.")).to_be_visible()
    ben.reload()
    expect(
        ben.get_by_text("yes / no / maybe overlaps, after changing many answers")
    ).to_be_visible()
    visit(ben)
