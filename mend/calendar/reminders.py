"""The reminder runner: no extra service, in each `mend serve` worker (or from cron).

Each pass asks every feature (REMINDER_SOURCES) what is due for each person who
turned some reminder on (by e-mail, or Web Push on a browser), and hands each to notify(), which claims it in the database
first: so two workers, or a runner restarted mid-pass, never send one twice, and a
pass after a restart sends what the stopped one had not. The one gap left: a runner
stopped after the SMTP server accepted a message and before its claim was marked
sent sends it again after the lease (at least once, never lost); docs/security.md.
"""

import logging
import os
import socket
import threading
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from mend.accounts.models import User
from mend.calendar.models import REMINDER_SOURCES
from mend.live.actions import prune_events
from mend.notify.models import (
    Delivery,
    PushSubscription,
    ReminderChoice,
    notify,
    push_is_configured,
)

log = logging.getLogger(__name__)
KEEP_DELIVERIES = timedelta(days=14)


def runner_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def run_once(now: datetime | None = None, runner: str | None = None) -> int:
    """Send every reminder due now; return how many went out."""
    now = now or timezone.now()
    runner = runner or runner_name()
    chosen: dict[int, set[str]] = defaultdict(set)
    people: dict[int, User] = {}
    for choice in ReminderChoice.objects.filter(is_email_on=True).select_related(
        "user"
    ):
        chosen[choice.user_id].add(choice.topic)
        people[choice.user_id] = choice.user
    if push_is_configured():
        for subscription in PushSubscription.objects.select_related("user"):
            people.setdefault(subscription.user_id, subscription.user)
    # Sources remind of the last hours only, so an old record can never be needed
    # again; keeping none says less about when anyone was reminded.
    Delivery.objects.filter(claimed_at__lt=now - KEEP_DELIVERIES).delete()
    # The one job that runs every minute also lets old live events go.
    prune_events(now)
    sent = 0
    for pk, person in people.items():
        for source in REMINDER_SOURCES:
            for reminder in source(person, now):
                # notify() sends each on the channels its person chose, if any.
                sent += notify(reminder, runner, chosen[pk])
    return sent


def run_every(seconds: float, stop: threading.Event) -> None:
    while True:
        try:
            run_once()
        except DatabaseError:
            log.exception("Could not send reminders; trying again later.")
        finally:
            connections.close_all()
        if stop.wait(seconds):
            return


def start_runner() -> None:
    """Run reminders in the background of this worker, every REMINDER_SECONDS.

    Started by each worker once it is running (mend/asgi.py), like the throttle's
    purge; several workers at once are safe (notify claims each reminder).
    """
    if settings.REMINDER_SECONDS <= 0:
        return
    threading.Thread(
        target=run_every,
        args=(settings.REMINDER_SECONDS, threading.Event()),
        name="mend-reminders",
        daemon=True,
    ).start()
