"""A counselor admitted by both, seeing what they chose, removed by one (#17)."""

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone, sign_up
from e2e.test_agreements import open_item, two_partners

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp/mend-counselor-shots"))  # noqa: S108  # a scratch place for a look
PHONE = {"width": 390, "height": 844}


def visit(page: Page) -> None:
    check_accessibility(page)
    check_fits_phone(page)


def say_yes(page: Page, mend: MendServer, scope: str) -> None:
    page.goto(mend.url + "/counselor/")
    page.locator("ul.scopes li", has_text=scope).get_by_role(
        "button", name="Say yes"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Saved.")


def test_ana_invites_ben_approves_and_ben_removes_the_counselor(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ana, ben = two_partners(mend, new_context, suffix="counsel")
    ana.set_viewport_size(PHONE)
    ben.set_viewport_size(PHONE)

    # An agreement in force, and a commitment of Ben's with one occurrence kept.
    ana.goto(mend.url + "/agreements/")
    ana.get_by_role("link", name="Propose an agreement").click()
    ana.get_by_label("What is it about?").select_option("disclosures")
    ana.get_by_label("The agreement, in plain words").fill(
        "We tell each other the same day if an ex gets in touch."
    )
    ana.get_by_role("button", name="Propose").click()
    open_item(ben, mend, "We tell each other the same day")
    ben.get_by_label("Type “I agree” to affirm this wording").fill("I agree")
    ben.get_by_role("button", name="Affirm").click()
    open_item(ana, mend, "We tell each other the same day")
    ana.get_by_role("button", name="Confirm the final wording").click()
    expect(ana.get_by_role("heading", name="In force")).to_be_visible()
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    ben.goto(mend.url + "/commitments/new/")
    ben.get_by_label("What I commit to").fill("Answer messages within two hours")
    ben.get_by_label("How often").select_option("daily")
    ben.get_by_label("At what time").fill("00:00")
    ben.get_by_label("Starting on").fill(two_days_ago.date().isoformat())
    ben.get_by_role("button", name="Make this commitment").click()
    ben.locator("article.commitment").first.locator("li.occurrence").nth(1).get_by_role(
        "button", name="Kept"
    ).click()

    # Cleo signs up and says she is a counselor.
    cleo = new_context(viewport=PHONE).new_page()
    cleo.goto(mend.url + "/accounts/signup/")
    sign_up(cleo, "cleo-counsel", "Cleo")
    cleo.get_by_role("link", name="I've saved it, continue").click()
    cleo.goto(mend.url + "/counselor/")
    visit(cleo)
    cleo.get_by_text("I am a counselor").first.click()
    cleo.get_by_role("button", name="I am a counselor").click()
    expect(cleo.locator(".messages")).to_contain_text("listed as a counselor")

    # Ana invites; Cleo joins with the link.
    ana.goto(mend.url + "/counselor/")
    visit(ana)
    ana.get_by_role("button", name="Invite a counselor").click()
    link = ana.locator("code").inner_text().strip()
    cleo.goto(link)
    cleo.get_by_role("button", name="Join").click()
    expect(cleo.locator(".messages")).to_contain_text("both partners have approved")

    # Ana approves; until Ben does, Cleo sees no couple.
    ana.goto(mend.url + "/counselor/")
    ana.get_by_label("To approve, type").fill("I agree")
    ana.get_by_role("button", name="Approve").click()
    expect(ana.get_by_text("You approved. Waiting for your partner.")).to_be_visible()
    cleo.goto(mend.url + "/counselor/")
    expect(cleo.get_by_role("link", name="Ana & Ben")).to_have_count(0)
    ben.goto(mend.url + "/counselor/")
    visit(ben)
    ben.get_by_label("To approve, type").fill("I agree")
    ben.get_by_role("button", name="Approve").click()
    expect(ben.get_by_text("Admitted by you both")).to_be_visible()

    # Both say yes to agreements and to commitments.
    for person in (ana, ben):
        say_yes(person, mend, "Agreements and their history")
        say_yes(person, mend, "Commitments and progress")
    ben.screenshot(path=str(SHOTS / "partner-counselor-390.png"), full_page=True)

    # Cleo sees the agreement and the progress, and sets Ana a task.
    cleo.goto(mend.url + "/counselor/")
    visit(cleo)
    cleo.screenshot(path=str(SHOTS / "counselor-home-390.png"), full_page=True)
    cleo.get_by_role("link", name="Ana & Ben").click()
    visit(cleo)
    expect(cleo.get_by_text("We tell each other the same day")).to_be_visible()
    expect(cleo.get_by_text("Answer messages within two hours")).to_be_visible()
    expect(cleo.get_by_text("kept 1, missed 0")).to_be_visible()
    couple_url = cleo.url
    cleo.get_by_text("Assign a task").click()
    cleo.get_by_label("The task").fill("Write what you appreciate")
    cleo.get_by_label("Due on").fill(
        (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).date().isoformat()
    )
    cleo.get_by_label("For").select_option(label="Ana")
    cleo.get_by_role("button", name="Assign").click()
    expect(cleo.locator(".messages")).to_contain_text("Task set.")
    cleo.get_by_role("link", name="Session brief").click()
    visit(cleo)
    expect(cleo.get_by_text("Write what you appreciate")).to_be_visible()
    cleo.screenshot(path=str(SHOTS / "session-brief-390.png"), full_page=True)
    pdf = cleo.request.get(cleo.url.removesuffix("/") + ".pdf")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")

    # The task appears for Ana with her goals; she marks it done.
    ana.goto(mend.url + "/commitments/milestones/")
    visit(ana)
    task = ana.locator("article.goal", has_text="Write what you appreciate")
    expect(task).to_contain_text("A task from your counselor")
    task.get_by_role("button", name="Mark done").click()
    cleo.goto(couple_url)
    expect(cleo.locator("ul.goals")).to_contain_text("done (Ana)")

    # Ben removes Cleo alone; her next page and API request get nothing.
    ben.goto(mend.url + "/counselor/")
    ben.get_by_role("button", name="Remove this counselor").click()
    expect(ben.locator(".messages")).to_contain_text("no longer sees anything")
    response = cleo.goto(couple_url)
    assert response is not None and response.status == 404
    code = re.search(r"/couples/([0-9a-f-]+)/", couple_url)
    assert code is not None
    api = cleo.request.get(f"{mend.url}/api/counselor/couples/{code.group(1)}")
    assert api.status == 404
    assert cleo.request.get(f"{mend.url}/api/counselor/couples").json() == []


def counselor_for(
    mend: MendServer, new_context: Callable[..., BrowserContext], ana: Page, ben: Page
) -> Page:
    """Return Cleo's page: a counselor Ana invited and both admitted."""
    cleo = new_context(viewport=PHONE).new_page()
    cleo.goto(mend.url + "/accounts/signup/")
    sign_up(cleo, "cleo-witness", "Cleo")
    cleo.get_by_role("link", name="I've saved it, continue").click()
    cleo.goto(mend.url + "/counselor/")
    cleo.get_by_text("I am a counselor").first.click()
    cleo.get_by_role("button", name="I am a counselor").click()
    expect(cleo.locator(".messages")).to_contain_text("listed as a counselor")
    ana.goto(mend.url + "/counselor/")
    ana.get_by_role("button", name="Invite a counselor").click()
    cleo.goto(ana.locator("code").inner_text().strip())
    cleo.get_by_role("button", name="Join").click()
    expect(cleo.locator(".messages")).to_contain_text("both partners have approved")
    for partner in (ana, ben):
        partner.goto(mend.url + "/counselor/")
        partner.get_by_label("To approve, type").fill("I agree")
        partner.get_by_role("button", name="Approve").click()
    expect(ben.get_by_text("Admitted by you both")).to_be_visible()
    return cleo


def test_the_counselor_witnesses_a_conversation_live_and_leaves_a_note(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    ana, ben = two_partners(mend, new_context, suffix="witness")
    ana.set_viewport_size(PHONE)
    ben.set_viewport_size(PHONE)
    cleo = counselor_for(mend, new_context, ana, ben)
    for person in (ana, ben):
        say_yes(person, mend, "Conversation records")

    # Ana proposes, Ben says yes, Ana starts; their page says Cleo can witness it.
    ana.goto(mend.url + "/conversations/new/")
    ana.get_by_label("Agenda: one topic a line").fill("Sundays")
    ana.get_by_role("button", name="Propose").click()
    conversation_url = ana.url
    ben.goto(conversation_url)
    ben.get_by_role("button", name="Yes, let's talk").click()
    ana.get_by_role("button", name="Start now").click()
    expect(ben.locator("#conversation")).to_contain_text("Ana holds the floor")
    expect(ana.locator(".witnessed")).to_contain_text(
        "Cleo can follow this conversation quietly, as a witness"
    )
    visit(ana)

    # Cleo opens it from the couple's page, and watches without reloading.
    cleo.goto(mend.url + "/counselor/")
    cleo.get_by_role("link", name="Ana & Ben").click()
    expect(cleo.locator(".counselor-conversation")).to_contain_text("Under way")
    visit(cleo)
    cleo.get_by_role("link", name="Sundays").click()
    witness_url = cleo.url
    expect(cleo.locator("#witness")).to_contain_text("Ana holds the floor")
    visit(cleo)
    cleo.evaluate("window.notReloaded = true")
    ana.get_by_label("Your point, in a sentence or two").fill(
        "I feel lonely on Sundays, and I need an afternoon together."
    )
    ana.get_by_role("button", name="Say it").click()
    expect(cleo.locator("#witness .record")).to_contain_text("I feel lonely on Sundays")
    ben.get_by_label("Reflect it back in your own words").fill(
        "If I got it, Sundays feel lonely."
    )
    ben.get_by_role("button", name="Reflect back").click()
    expect(cleo.locator("#witness .record")).to_contain_text("Sundays feel lonely")
    # Nothing to post while it runs: no form, no floor.
    expect(cleo.locator("#witness textarea")).to_have_count(0)
    expect(cleo.locator("#witness")).to_contain_text("once the conversation has ended")
    cleo.screenshot(path=str(SHOTS / "witness-390.png"), full_page=True)

    # Ana ends it; Cleo's page offers the note, still without a reload.
    ana.get_by_role("button", name="End the conversation").click()
    note = cleo.get_by_label(re.compile("Your note for them both"))
    expect(note).to_be_visible()
    assert cleo.evaluate("window.notReloaded") is True
    visit(cleo)
    note.fill("You both slowed down and listened. Bring Sundays to our next session.")
    cleo.get_by_role("button", name="Leave the note").click()
    expect(cleo.locator(".messages")).to_contain_text("Your note is kept.")
    expect(cleo.locator("#witness textarea")).to_have_count(0)

    # Ana's open page shows it live, as her counselor's note.
    mine = ana.locator(".witness-note")
    expect(mine).to_contain_text("A note from your counselor, Cleo")
    expect(mine).to_contain_text("You both slowed down and listened.")
    visit(ana)

    # Ben turns conversation records off: Cleo's conversation page is gone.
    ben.goto(mend.url + "/counselor/")
    ben.locator("ul.scopes li", has_text="Conversation records").get_by_role(
        "button", name="Stop showing"
    ).click()
    expect(ben.locator(".messages")).to_contain_text("no longer sees this")
    response = cleo.goto(witness_url)
    assert response is not None and response.status == 404
    ana.goto(conversation_url)
    expect(ana.locator(".witnessed")).to_have_count(0)
