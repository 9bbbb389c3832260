"""Recurring schedules land on the maker's local day, across daylight saving (#13, #14)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from mend.lib.recurrence import DAILY, ONCE, WEEKDAYS, WEEKLY, Schedule, ScheduleError

MADRID = "Europe/Madrid"
NEW_YORK = "America/New_York"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_it_keeps_the_wall_clock_time_across_daylight_saving() -> None:
    daily = Schedule(date(2026, 3, 27), time(8, 0), MADRID, DAILY)
    moments = daily.between(utc(2026, 3, 27), utc(2026, 3, 31))
    local = [m.astimezone(ZoneInfo(MADRID)) for m in moments]
    assert [(m.day, m.hour, m.minute) for m in local] == [
        (27, 8, 0),
        (28, 8, 0),
        (29, 8, 0),
        (30, 8, 0),
    ]
    # Clocks went forward on the 29th: the UTC hour moved, the local one did not.
    assert [m.hour for m in moments] == [7, 7, 6, 6]


def test_it_places_each_partner_in_their_own_zone() -> None:
    ana = Schedule(date(2026, 11, 2), time(21, 30), MADRID, WEEKLY)
    ben = Schedule(date(2026, 11, 2), time(21, 30), NEW_YORK, WEEKLY)
    (a,) = ana.between(utc(2026, 11, 2), utc(2026, 11, 4))
    (b,) = ben.between(utc(2026, 11, 2), utc(2026, 11, 4))
    assert a == utc(2026, 11, 2, 20, 30)
    assert b == utc(2026, 11, 3, 2, 30)
    # The same moment is Ben's Monday evening, though it is Tuesday in UTC.
    assert ben.local_day(b) == date(2026, 11, 2)


def test_it_repeats_on_chosen_weekdays_until_the_end() -> None:
    schedule = Schedule(
        date(2026, 12, 1),
        time(19, 0),
        MADRID,
        WEEKDAYS,
        weekdays=(0, 3),
        ends_on=date(2026, 12, 14),
    )
    days = [
        schedule.local_day(m)
        for m in schedule.between(utc(2026, 11, 1), utc(2027, 1, 1))
    ]
    assert days == [
        date(2026, 12, 3),
        date(2026, 12, 7),
        date(2026, 12, 10),
        date(2026, 12, 14),
    ]


def test_it_happens_once_when_asked_once() -> None:
    once = Schedule(date(2026, 12, 5), time(10, 0), MADRID, ONCE)
    assert len(once.between(utc(2026, 1, 1), utc(2028, 1, 1))) == 1
    assert once.ical_rule() is None


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (
            Schedule(
                date(2026, 12, 5), time(10), MADRID, DAILY, ends_on=date(2026, 12, 1)
            ),
            "before the start",
        ),
        (Schedule(date(2026, 12, 5), time(10), MADRID, WEEKDAYS), "at least one day"),
        # Starts on a Tuesday, ends the next day; only Fridays chosen: never happens.
        (
            Schedule(
                date(2026, 12, 1),
                time(10),
                MADRID,
                WEEKDAYS,
                weekdays=(4,),
                ends_on=date(2026, 12, 2),
            ),
            "never happens",
        ),
        (Schedule(date(2026, 12, 5), time(10), "Mars/Olympus", DAILY), "time zone"),
        (Schedule(date(2026, 12, 5), time(10), MADRID, "hourly"), "how often"),
        (
            Schedule(date(2026, 12, 5), time(10), MADRID, DAILY, interval=0),
            "every 1 to 52",
        ),
    ],
)
def test_it_refuses_a_schedule_that_cannot_be_kept(
    schedule: Schedule, message: str
) -> None:
    with pytest.raises(ScheduleError, match=message):
        schedule.validate()


def test_it_gives_the_rule_for_icalendar() -> None:
    schedule = Schedule(
        date(2026, 12, 1),
        time(19, 0),
        MADRID,
        WEEKDAYS,
        weekdays=(3, 0),
        interval=2,
        ends_on=date(2027, 1, 31),
    )
    assert schedule.ical_rule() == {
        "FREQ": "WEEKLY",
        "INTERVAL": 2,
        "BYDAY": ["MO", "TH"],
        "UNTIL": utc(2027, 1, 31, 18, 0),
    }
