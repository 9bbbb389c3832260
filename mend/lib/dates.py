"""Bounds for the dates and times people type, and fields that read far-future rows safely.

Python holds dates up to 9999-12-31. A time typed near that end (year 9999 with a
time-zone offset) overflows when converted to UTC, shown in a clock east of UTC, or
moved by a few days, and PostgreSQL stores what Python can't read back. So a date a
person types must lie in EARLIEST..LATEST, and a row written before that rule (or by
hand) is read back no later than FAR_FUTURE, which stays safe for a year of arithmetic
in any time zone.
"""

from datetime import UTC, date, datetime, time
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.lib.errors import Refused

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
FAR_FUTURE = date(9998, 12, 31)
FAR_FUTURE_AT = datetime.combine(FAR_FUTURE, time(), tzinfo=UTC)


def check_day(value: date) -> date:
    """Return VALUE, or raise Refused when it lies outside EARLIEST..LATEST."""
    if not EARLIEST <= value <= LATEST:
        raise Refused(
            _("Please choose a date between %(first)s and %(last)s.")
            % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
        )
    return value


def check_moment(value: datetime) -> datetime:
    """Return VALUE in UTC, or raise Refused when it has no time zone or is out of range."""
    if timezone.is_naive(value):
        raise Refused(_("Please give the time with its time zone."))
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        value = FAR_FUTURE_AT
    check_day(value.date())
    return value


class BoundedDateField(models.DateField[Any, Any]):
    """A DateField that reads a far-future row as FAR_FUTURE instead of overflowing."""

    def from_db_value(self, value: date | None, *_args: Any) -> date | None:
        return min(value, FAR_FUTURE) if value is not None else None


class BoundedDateTimeField(models.DateTimeField[Any, Any]):
    """A DateTimeField that reads a far-future row as FAR_FUTURE_AT, not an overflow."""

    def from_db_value(self, value: datetime | None, *_args: Any) -> datetime | None:
        if value is None or timezone.is_naive(value):
            return value
        return min(value, FAR_FUTURE_AT)
