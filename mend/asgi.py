import gc
import os
import sys

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")

django.setup(set_prefix=False)

from mend.accounts import throttle  # noqa: E402  # needs the app registry
from mend.calendar import reminders  # noqa: E402  # needs the app registry
from mend.handler import Handler  # noqa: E402

if not settings.TESTING:
    # Counts of failed sign-ins go once their pause is over, even if nobody signs
    # in again; in each worker, after it started (throttle.start_purging).
    throttle.start_purging()
    # Due reminders go out from every worker; each is claimed once (notify.claim).
    reminders.start_runner()

# What start-up made lives as long as the process: move it out of the collector's
# reach so a full collection (a pause of tens of ms with many open streams) stays short.
gc.freeze()
# The event loop delivering live signals shares the GIL with those threads; hand it
# over sooner than Python's default 5 ms so a pause is not held up behind a page.
sys.setswitchinterval(0.001)
application = Handler(settings.SERVE_THREADS)
