"""Recurring schedules on a person's own clock, with dateutil's rrule (RFC 5545).

Rule: an occurrence falls at the schedule's local time on each local day the rule
gives, in the time zone of the person who made it, across daylight-saving changes.
The rule is expanded on naive local date-times, and each is then placed in the zone:
so "daily at 8:00" stays 8:00 by the wall clock in March and in November. A local
time that does not exist on a spring-forward day comes out an hour later by the wall
clock (zoneinfo's reading of the gap); one that happens twice is the first.

Bad schedules raise ScheduleError with a sentence a person can read: an end before
the start, no weekday chosen, or a rule that never occurs.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule
from django.utils.translation import gettext as _

ONCE = "once"
DAILY = "daily"
WEEKLY = "weekly"
WEEKDAYS = "weekdays"  # chosen weekdays
FREQUENCIES = (ONCE, DAILY, WEEKLY, WEEKDAYS)
RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL = 52


def known_zone(name: str) -> ZoneInfo | None:
    """Return the zone NAME, or None when this server does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: some names ("a b") reach the tzdata files and are not there.
        return None


def zone_or_utc(name: str) -> ZoneInfo:
    """The zone NAME, or UTC for one this server no longer knows (a tzdata change,
    a row written by hand): a page shows times in UTC rather than fail."""
    return known_zone(name) or ZoneInfo("UTC")


class ScheduleError(ValueError):
    """A schedule that cannot be kept: the message says why, for a person."""


@dataclass(frozen=True)
class Schedule:
    starts_on: date
    at: time
    zone: str  # an IANA name, e.g. "Europe/Madrid"
    frequency: str = ONCE
    weekdays: tuple[int, ...] = field(default=())  # 0 = Monday, for WEEKDAYS
    interval: int = 1  # every INTERVAL days / weeks
    ends_on: date | None = None

    def validate(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ScheduleError(
                _("Choose how often: once, daily, weekly or on chosen days.")
            )
        if known_zone(self.zone) is None:
            raise ScheduleError(_("That time zone is not one Mend knows."))
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise ScheduleError(_("Repeat every 1 to 52 days or weeks."))
        if self.frequency == WEEKDAYS:
            if not self.weekdays:
                raise ScheduleError(_("Choose at least one day of the week."))
            if any(not 0 <= d <= 6 for d in self.weekdays):
                raise ScheduleError(_("Choose days of the week from Monday to Sunday."))
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ScheduleError(_("The end date is before the start date."))
        if self.first() is None:
            raise ScheduleError(
                _(
                    "This schedule never happens: no chosen day falls between its start and end."
                )
            )

    def _rule(self) -> rrule.rrule:
        start = datetime.combine(self.starts_on, self.at)
        until = datetime.combine(self.ends_on, self.at) if self.ends_on else None
        if self.frequency == ONCE:
            return rrule.rrule(rrule.DAILY, dtstart=start, count=1)
        if self.frequency == DAILY:
            return rrule.rrule(
                rrule.DAILY, dtstart=start, interval=self.interval, until=until
            )
        if self.frequency == WEEKLY:
            return rrule.rrule(
                rrule.WEEKLY, dtstart=start, interval=self.interval, until=until
            )
        days = [RRULE_DAYS[d] for d in sorted(set(self.weekdays))]
        return rrule.rrule(
            rrule.WEEKLY,
            dtstart=start,
            interval=self.interval,
            byweekday=days,
            until=until,
        )

    def _place(self, local: datetime) -> datetime:
        return local.replace(tzinfo=zone_or_utc(self.zone)).astimezone(UTC)

    def first(self) -> datetime | None:
        local = self._rule().after(datetime.combine(self.starts_on, self.at), inc=True)
        return self._place(local) if local else None

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Every occurrence in [START, END), as aware UTC date-times."""
        zone = zone_or_utc(self.zone)
        # A day of slack each side: the rule runs on local wall-clock time.
        local_start = start.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
        local_end = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
        placed = (
            self._place(local)
            for local in self._rule().between(local_start, local_end, inc=True)
        )
        return [moment for moment in placed if start <= moment < end]

    def local_day(self, moment: datetime) -> date:
        """The day MOMENT falls on for the schedule's maker."""
        return moment.astimezone(zone_or_utc(self.zone)).date()

    def ical_rule(self) -> dict[str, object] | None:
        """The rule as iCalendar RRULE parts (for the icalendar library), or None if once."""
        if self.frequency == ONCE:
            return None
        parts: dict[str, object] = {
            "FREQ": "DAILY" if self.frequency == DAILY else "WEEKLY"
        }
        if self.interval != 1:
            parts["INTERVAL"] = self.interval
        if self.frequency == WEEKDAYS:
            parts["BYDAY"] = [ICAL_DAYS[d] for d in sorted(set(self.weekdays))]
        if self.ends_on:
            parts["UNTIL"] = self._place(datetime.combine(self.ends_on, self.at))
        return parts
