import datetime as dt

from mend.accounts.models import User
from mend.checkins import actions
from mend.checkins.models import CheckIn
from mend.couples.models import Space
from mend.lib.recurrence import DAILY, Schedule

# 21:00 in Berlin, where every persona lives: the day's 20:00 check-in has come.
NOW = dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC)
TODAYS = dt.datetime(2026, 11, 26, 19, 0, tzinfo=dt.UTC)  # 20:00 in Berlin
TOMORROWS = TODAYS + dt.timedelta(days=1)


def daily(space: Space, by: User, name: str = "Evening") -> CheckIn:
    return actions.add_check_in(
        space,
        by,
        kind="daily",
        name=name,
        schedule=Schedule(
            starts_on=dt.date(2026, 11, 1),
            at=dt.time(20, 0),
            zone="Europe/Berlin",
            frequency=DAILY,
        ),
    )


def form(**answers: str) -> dict[str, str]:
    """Return the daily check-in's answer form: p0-p2 sliders, p3-p4 text."""
    return {"occurs_at": TODAYS.isoformat(), **answers}
