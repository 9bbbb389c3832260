"""Neutral calendar items: what a feature puts on the couple calendar.

Each feature that has dates exposes `calendar_items(member) -> list[CalendarItem]`
(mend/checkins/models.py, mend/agreements/models.py); the calendar app above the
features gathers them for its page and feed. Rule: an item carries only a neutral
title ("Check-in", "Agreement review"), never what anyone wrote, because phones show
calendars to others.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from mend.lib.recurrence import Schedule


@dataclass(frozen=True)
class CalendarItem:
    uid: str  # stable across feeds: "<kind>-<code>"
    title: str  # neutral, e.g. "Check-in"
    path: str  # where in Mend it is, e.g. "/checkins/"
    schedule: Schedule | None = None  # a timed, maybe recurring, event
    on: date | None = None  # an all-day event on one day
    minutes: int = 15

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Return the item's moments in [START, END) as aware UTC date-times.

        An all-day item counts from midnight UTC of its day.
        """
        if self.schedule is not None:
            return self.schedule.between(start, end)
        if self.on is not None:
            moment = datetime.combine(self.on, time(), tzinfo=UTC)
            return [moment] if start <= moment < end else []
        return []
