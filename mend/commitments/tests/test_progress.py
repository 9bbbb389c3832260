"""Progress figures from a known fixture: what the charts and sentences say."""

import datetime as dt

import time_machine

from mend.accounts.models import User
from mend.commitments.models import Commitment, Disclosure, Milestone, Words
from mend.commitments.progress import (
    disclosure_chart,
    human_delay,
    milestone_rows,
    progress_for,
    week_starts,
)
from mend.couples.models import Space

# A Wednesday; the twelve weeks run from Monday 24 August to this week.
TODAY = dt.datetime(2026, 11, 11, 18, tzinfo=dt.UTC)


def test_it_counts_weeks_from_monday() -> None:
    starts = week_starts(dt.date(2026, 11, 11))
    assert starts[-1] == dt.date(2026, 11, 9)
    assert starts[0] == dt.date(2026, 8, 24)
    assert len(starts) == 12


def test_it_shows_commitments_as_each_partner_saw_them(
    space: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC), tick=False):
        item = Commitment.make(
            space,
            ben,
            Words(text="Check in at lunch", frequency="daily", at=dt.time(5, 0)),
        )
    with time_machine.travel(TODAY, tick=False):
        # Last week: 3 kept (2 confirmed, 1 seen differently), 1 missed.
        for day, kept in ((2, True), (3, True), (4, True), (5, False)):
            item.mark(ben, dt.date(2026, 11, day), kept=kept)
        item.respond(ana, dt.date(2026, 11, 2), agrees=True)
        item.respond(ana, dt.date(2026, 11, 3), agrees=True)
        item.respond(ana, dt.date(2026, 11, 4), agrees=False, note="It was late")
        # This week: 1 kept, confirmed.
        item.mark(ben, dt.date(2026, 11, 10), kept=True)
        item.respond(ana, dt.date(2026, 11, 10), agrees=True)
        data = progress_for(ana)
    chart = data["charts"][0]
    assert "5 times were marked" in chart.summary
    assert "marked 4 kept" in chart.summary
    assert "confirmed 3 of those" in chart.summary
    assert "saw 1 differently" in chart.summary
    assert "This week: 1 kept, 1 confirmed" in chart.summary
    # One bar per series with a value in the two weeks that have any.
    assert len([b for b in chart.bars if b["height"] > 0]) == 5
    assert "score" not in chart.summary.lower()
    # The same page for both partners: nobody is ranked against the other.
    with time_machine.travel(TODAY, tick=False):
        assert progress_for(ben)["charts"][0].summary == chart.summary


def test_it_shows_disclosure_delay_shrinking(
    space: Space, ana: User, ben: User
) -> None:
    for told_on, hours in ((dt.date(2026, 8, 26), 72), (dt.date(2026, 11, 3), 2)):
        told_at = dt.datetime.combine(told_on, dt.time(12), tzinfo=dt.UTC)
        with time_machine.travel(told_at, tick=False):
            Disclosure.log(
                space, ben, what="x", happened_at=told_at - dt.timedelta(hours=hours)
            )
    with time_machine.travel(TODAY, tick=False):
        chart = disclosure_chart(ana, week_starts(dt.date(2026, 11, 11)))
    assert "2 disclosures" in chart.summary
    assert "3 days in the first six weeks, 2 hours in the last six" in chart.summary
    assert [b["label"].split(": ")[-1] for b in chart.bars] == ["72 h", "2 h"]


def test_it_says_a_delay_in_hours_then_days() -> None:
    assert human_delay(1) == "1 hour"
    assert human_delay(47) == "47 hours"
    assert human_delay(72) == "3 days"


def test_it_draws_every_run_of_a_milestone_and_says_the_total(
    space: Space, ben: User, ana: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        sober = Milestone.start(
            space, ben, name="days sober", started_on=dt.date(2026, 1, 1)
        )
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        sober.new_run(ben, dt.date(2026, 3, 2))
    (row,) = milestone_rows(ana, dt.date(2026, 3, 12))
    assert row["summary"] == (
        "days sober: 70 days in all, over 2 runs; the longest run 60 days; this run "
        "10 days so far."
    )
    assert [bar["css"] for bar in row["bars"]] == ["series-b", "series-a"]


def test_it_draws_each_persons_check_in_trend_once_revealed(
    space: Space, ana: User, ben: User
) -> None:
    """#14: the check-ins' 0-10 answers feed the progress charts, a trend per person,
    each of their own answers; the partner's count only once revealed."""
    from conftest import signed_in
    from mend.checkins.tests.helpers import NOW, daily, form

    with time_machine.travel(NOW, tick=False):
        check_in = daily(space, ana)
        a, b = signed_in(ana), signed_in(ben)
        url = f"/checkins/{check_in.code}/answer/"
        a.post(url, form(p0="7", p1="6", share="on"))
        # Ben has not answered: Ana's answer is not revealed to him yet.
        page = b.get("/commitments/progress/").content.decode()
        assert "Check-ins:" not in page and "Ana 7" not in page
        b.post(url, form(p0="4", share="on"))
        page = b.get("/commitments/progress/").content.decode()
        assert "Check-ins: How safe do I feel today? (0 to 10)" in page
        assert "Latest: Ana 7, Ben 4." in page
        own = a.get("/commitments/progress/").content.decode()
        assert "Latest: Ana 7, Ben 4." in own
