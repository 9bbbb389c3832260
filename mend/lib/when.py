"""One way to show a date or a time, in the person's language and time zone.

Every template has these filters without loading them (settings.TEMPLATES builtins):
`day` for a date, `moment` for a date and time (`moment_short` in a table's narrow
column), `moment_zoned` where the zone matters (a time two people meet by), `clock` for a
time in the next day or so, zone named. The formats themselves live in
mend/formats/<language>/formats.py.
"""

from datetime import date, datetime, time

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext

register = template.Library()


def _local(value: datetime) -> datetime:
    # The zone active for the request: the signed-in person's own (accounts middleware).
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def day(value: date | None) -> str:
    """Return VALUE as a date, "1 December 2026"; a datetime in the person's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return date_format(value, "DATE_FORMAT")


@register.filter
def moment(value: datetime | None) -> str:
    """Return VALUE as "1 December 2026, 9:44 PM", in the person's zone."""
    if value is None:
        return ""
    return date_format(_local(value), "DATETIME_FORMAT")


@register.filter
def moment_short(value: datetime | None) -> str:
    """Return VALUE as "1 Dec 2026, 9:44 PM", in the person's zone: for table rows."""
    if value is None:
        return ""
    return date_format(_local(value), "SHORT_DATETIME_FORMAT")


def _zone(value: datetime) -> str:
    # "CET", or "+03" where a zone has no letters: short, and says which clock.
    return date_format(value, "T")


@register.filter
def moment_zoned(value: datetime | None) -> str:
    """Return VALUE as "1 December 2026, 9:44 PM CET": the zone named."""
    if value is None:
        return ""
    local = _local(value)
    return pgettext("a date and time, then its time zone", "{moment} {zone}").format(
        moment=date_format(local, "DATETIME_FORMAT"), zone=_zone(local)
    )


@register.filter
def clock(value: datetime | None) -> str:
    """Return VALUE as "Tuesday 9:44 PM CET", for a time within the next day or so."""
    if value is None:
        return ""
    local = _local(value)
    return pgettext("weekday, time, time zone", "{weekday} {time} {zone}").format(
        weekday=date_format(local, "l"),
        time=date_format(local, "TIME_FORMAT"),
        zone=_zone(local),
    )


@register.filter
def month(value: date | None) -> str:
    """Return VALUE's month, "December 2026"."""
    if value is None:
        return ""
    return date_format(value, "YEAR_MONTH_FORMAT")


@register.filter
def hour(value: time | None) -> str:
    """Return a time of day (no date, no zone: a schedule's own clock), "9:44 PM"."""
    if value is None:
        return ""
    return time_format(value, "TIME_FORMAT")


@register.filter
def iso_day(value: date | None) -> str:
    """Return VALUE as 2026-12-01: for a date field's value, never for reading."""
    return value.isoformat() if value is not None else ""
