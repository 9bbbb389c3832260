import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from mend.lib.when import clock, day, moment, moment_short, moment_zoned

AT = datetime(2026, 12, 1, 20, 44, tzinfo=UTC)


def test_it_shows_a_date() -> None:
    assert day(date(2026, 3, 5)) == "5 March 2026"
    assert day(None) == ""


def test_it_shows_a_moment_in_the_persons_zone() -> None:
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert moment(AT) == "1 December 2026, 9:44 PM"
        assert moment_short(AT) == "1 Dec 2026, 9:44 PM"
        assert day(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == "2 December 2026"
    with timezone.override(ZoneInfo("America/New_York")):
        assert moment(AT) == "1 December 2026, 3:44 PM"


def test_it_names_the_zone_where_it_matters() -> None:
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert moment_zoned(AT) == "1 December 2026, 9:44 PM CET"
        assert clock(AT) == "Tuesday 9:44 PM CET"
    with timezone.override(ZoneInfo("Asia/Kolkata")):
        assert clock(AT) == "Wednesday 2:14 AM IST"


def test_every_template_has_the_filters_without_loading_them() -> None:
    with timezone.override(ZoneInfo("Europe/Berlin")):
        rendered = Template("{{ at|moment }} · {{ at|day }} · {{ at|clock }}").render(
            Context({"at": AT})
        )
    assert (
        rendered == "1 December 2026, 9:44 PM · 1 December 2026 · Tuesday 9:44 PM CET"
    )


def test_no_template_formats_a_date_itself() -> None:
    root = Path(__file__).resolve().parent.parent / "mend"
    for path in root.rglob("*.html"):
        text = path.read_text()
        # |timesince and |timeuntil say how long, not when: they stay.
        assert not re.search(r"\|(date|time)\b", text), path
