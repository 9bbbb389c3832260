"""Accountability as two partners: a commitment kept and confirmed, a disclosure and
its response, a question and its answer, and the progress page with its charts."""

import datetime as dt
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


def test_two_partners_keep_tell_ask_and_see_progress(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    ana, ben = couple(mend, new_context, "commit")
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)

    # Ben makes a daily commitment that began two days ago, and marks one kept.
    ben.goto(mend.url + "/commitments/new/")
    visit(ben)
    ben.get_by_label("What I commit to").fill("Answer messages within two hours")
    ben.get_by_label("How often").select_option("daily")
    ben.get_by_label("At what time").fill("00:00")
    ben.get_by_label("Starting on").fill(two_days_ago.date().isoformat())
    ben.get_by_role("button", name="Make this commitment").click()
    expect(ben.locator(".messages")).to_contain_text("Your commitment is made")
    card = ben.locator("article.commitment").first
    card.locator("li.occurrence").nth(1).get_by_role("button", name="Kept").click()
    expect(ben.locator("li.occurrence").nth(1)).to_contain_text("you: kept")

    # Ana sees it and confirms; both views stay side by side.
    ana.goto(mend.url + "/commitments/")
    visit(ana)
    marked = ana.locator("li.occurrence").nth(1)
    expect(marked).to_contain_text("Ben: kept")
    marked.get_by_role("button", name="Confirm").click()
    expect(ana.locator("li.occurrence").nth(1)).to_contain_text("The other: confirmed")
    ana.screenshot(path=str(SHOTS / "commitments-390.png"), full_page=True)

    # Ben tells something; Ana answers how it landed, and thanks him.
    ben.goto(mend.url + "/commitments/disclosures/")
    visit(ben)
    ben.get_by_text("Tell something").click()
    ben.get_by_label("It is about").select_option("contact")
    ben.get_by_label("What happened").fill("An old friend wrote to me; I didn't reply.")
    ben.get_by_label("When it happened").fill(two_days_ago.strftime("%Y-%m-%dT%H:%M"))
    ben.get_by_role("button", name="Tell", exact=True).click()
    expect(ben.locator(".messages")).to_contain_text("Thank you for telling")
    ana.goto(mend.url + "/commitments/disclosures/")
    visit(ana)
    told = ana.locator("article.disclosure").first
    expect(told).to_contain_text("An old friend wrote to me")
    told.get_by_label("How it landed for you").fill(
        "It stung, and I'm glad you told me."
    )
    told.get_by_role("button", name="Send").click()
    ana.locator("article.disclosure").first.get_by_role(
        "button", name="Thank you for telling me"
    ).click()
    expect(ana.locator("article.disclosure").first).to_contain_text(
        "Thanked for telling"
    )

    # Ana asks a question, privately first, then sends it; Ben answers.
    ana.goto(mend.url + "/commitments/questions/")
    ana.get_by_text("Write a question").click()
    ana.get_by_label("It is about").select_option("timeline")
    ana.get_by_label("Your question").fill("When did the messages start?")
    ana.get_by_role("button", name="Keep it privately").click()
    expect(ana.locator("article.question").first).to_contain_text("Not sent yet")
    ana.get_by_role("button", name="Send to my partner").click()
    ben.goto(mend.url + "/commitments/questions/")
    visit(ben)
    asked = ben.locator("article.question").first
    expect(asked).to_contain_text("When did the messages start?")
    asked.get_by_label("Your answer").fill("In March, after the conference.")
    asked.get_by_role("button", name="Answer").click()
    ana.goto(mend.url + "/commitments/questions/")
    expect(ana.locator("article.question").first).to_contain_text(
        "In March, after the conference."
    )

    # Ben counts his days; reaching thirty shows quietly on home.
    ben.goto(mend.url + "/commitments/milestones/")
    ben.get_by_text("Count something").click()
    ben.get_by_label("What you count").fill("days sober")
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    ben.get_by_label("Since").fill(since.date().isoformat())
    ben.get_by_role("button", name="Start counting").click()
    expect(ben.locator("article.milestone")).to_contain_text("days sober")
    visit(ben)
    ben.screenshot(path=str(SHOTS / "milestones-390.png"), full_page=True)
    ben.goto(mend.url + "/")
    expect(ben.locator("section.reached")).to_contain_text("days sober: 30 days")

    # The progress page: charts drawn on the server, each with words to read.
    ana.goto(mend.url + "/commitments/progress/")
    visit(ana)
    # Three trends, and Ben's milestone with its runs.
    charts = ana.locator("figure.chart svg[role=img]")
    expect(charts).to_have_count(4)
    expect(ana.locator("#milestones-title + figure")).to_contain_text(
        "days sober: 31 days in all, in 1 run"
    )
    expect(ana.locator("#commitments-summary")).to_contain_text("marked 1 kept")
    expect(ana.locator("#commitments-summary")).to_contain_text("confirmed 1")
    expect(ana.locator("#questions-summary")).to_contain_text("1 question was sent")
    expect(ana.get_by_text("score", exact=False)).to_contain_text("not a score")
    ana.screenshot(path=str(SHOTS / "progress-390.png"), full_page=True)
