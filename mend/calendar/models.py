"""The couple calendar: every feature's dates on one page and in one feed per person.

This app composes the features (it imports them; none imports it). A feature joins
the calendar with one function, `calendar_items(member) -> list[CalendarItem]`
(mend/lib/agenda.py), added to SOURCES; and the reminder runner with one more,
`due_reminders(member, now) -> list[Reminder]`, added to REMINDER_SOURCES.

Rules enforced here:
- Each person has at most one secret feed address; only its hash is stored. It can
  be revoked or made anew at once; a revoked or unknown address answers 410 or
  404, never the feed.
- Events carry neutral titles only ("Check-in"), never what anyone wrote: phones
  show calendars to others.
"""

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from icalendar import Calendar, Event

from mend.accounts.models import User
from mend.agreements import models as agreements
from mend.checkins import models as checkins
from mend.commitments import models as commitments
from mend.conversations import models as conversations
from mend.lib.agenda import CalendarItem
from mend.notify.models import Reminder
from mend.story import models as story

SOURCES: list[Callable[[User], list[CalendarItem]]] = [
    checkins.calendar_items,
    agreements.calendar_items,
    story.calendar_items,
    commitments.calendar_items,
    conversations.calendar_items,
]
REMINDER_SOURCES: list[Callable[[User, datetime], list[Reminder]]] = [
    checkins.due_reminders,
    agreements.due_reminders,
]


def items_for(member: User) -> list[CalendarItem]:
    return [item for source in SOURCES for item in source(member)]


def upcoming(
    member: User, now: datetime, days: int = 14
) -> list[tuple[datetime, CalendarItem]]:
    """Return (moment, item) for the next DAYS, soonest first (at most 100)."""
    end = now + timedelta(days=days)
    start = now - timedelta(hours=12)
    found = [
        (moment, item)
        for item in items_for(member)
        for moment in item.between(start, end)
    ]
    return sorted(found, key=lambda pair: pair[0])[:100]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class FeedQuerySet(models.QuerySet["Feed"]):
    def live(self) -> "FeedQuerySet":
        return self.filter(revoked_at__isnull=True)


class Feed(models.Model):
    """One person's secret calendar address (only its hash is kept)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_feed_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed {self.code}"

    @classmethod
    @transaction.atomic
    def issue(cls, user: User) -> tuple["Feed", str]:
        """Return a new feed and its secret; the person's earlier address stops."""
        revoke(user)
        secret = secrets.token_urlsafe(32)
        feed = cls.objects.create(user=user, secret_hash=hash_secret(secret))
        return feed, secret

    @classmethod
    def find(cls, secret: str) -> "Feed | None":
        return (
            cls.objects.select_related("user")
            .filter(secret_hash=hash_secret(secret))
            .first()
        )


def revoke(user: User) -> int:
    return Feed.objects.filter(user=user).live().update(revoked_at=timezone.now())


def feed_url(secret: str) -> str:
    return f"{settings.SITE_URL}/calendar/feed/{secret}.ics"


def ical(member: User) -> bytes:
    """Return MEMBER's calendar as iCalendar: one event (or series) per item."""
    cal = Calendar()
    cal.add("prodid", "-//Mend//couple calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Mend")
    stamp = timezone.now()
    for item in items_for(member):
        event = Event()
        event.add("uid", f"{item.uid}@mend")
        event.add("summary", item.title)
        event.add("dtstamp", stamp)
        event.add("url", f"{settings.SITE_URL}{item.path}")
        if item.schedule is not None:
            schedule = item.schedule
            first = schedule.first()
            if first is None:
                continue
            start = first.astimezone(ZoneInfo(schedule.zone))
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=item.minutes))
            rule = schedule.ical_rule()
            if rule is not None:
                event.add("rrule", rule)
        elif item.on is not None:
            event.add("dtstart", item.on)
            event.add("dtend", item.on + timedelta(days=1))
        else:
            continue
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
