"""Couples with a check-in just due, and a reminder runner, in their own process.

Run by test_runner_processes.py against a SQLite file in MEND_VAR_DIR: `setup N`
makes N couples whose daily check-in came two minutes ago, every partner with an
e-mail address and daily reminders on; `run` sends what is due once and prints
"sent <count>".
"""

import os
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402  # after django.setup()

from mend.accounts.actions import sign_up  # noqa: E402
from mend.calendar.reminders import run_once  # noqa: E402
from mend.checkins.actions import add_check_in  # noqa: E402
from mend.couples import actions as couples  # noqa: E402
from mend.lib.recurrence import DAILY, Schedule  # noqa: E402
from mend.notify.models import set_email  # noqa: E402

PASSWORD = "a long enough passphrase 1"
ZONE = "Europe/Berlin"


def setup(couples_count: int) -> None:
    came = (timezone.now() - timedelta(minutes=2)).astimezone(ZoneInfo(ZONE))
    for number in range(couples_count):
        people = []
        for side in ("a", "b"):
            user, _key, _code = sign_up(
                username=f"p{number}{side}",
                password=PASSWORD,
                display_name=f"P{number}{side}",
                time_zone=ZONE,
            )
            user.email = f"p{number:02d}{side}@example.org"
            user.save(update_fields=["email"])
            set_email(user, "checkin-daily", True)
            people.append(user)
        space = couples.create_space(people[0], roles_answer="unsaid")
        _invite, code = couples.issue_invite(space, people[0])
        couples.join(people[1], code)
        add_check_in(
            space,
            people[0],
            kind="daily",
            name="Evening",
            schedule=Schedule(
                starts_on=came.date() - timedelta(days=1),
                at=came.time().replace(second=0, microsecond=0),
                zone=ZONE,
                frequency=DAILY,
            ),
        )


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]))
    else:
        print(f"sent {run_once()}", flush=True)  # noqa: T201  # read by the test
