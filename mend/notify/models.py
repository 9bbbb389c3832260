"""Reminders: the one notify function every reminder goes through, and its records.

Rules enforced here:
- Reminders are off by default: a person turns them on per kind (topic), and one
  click on the link in any reminder turns that kind off again.
- What leaves Mend is neutral: a reminder says only that something is waiting in
  Mend and where; never what anyone wrote or what the check-in is about.
- Web Push is opt-in twice over: an operator can turn it off (MEND_PUSH=0), and it
  reaches only the browsers a person subscribed themselves, for each kind they did
  not turn off. A subscription is its person's alone: never shown to the partner.
- A reminder (a key: what, which occurrence) reaches one person on one channel at
  most once, however many runners run at once: the runner that inserts its
  Delivery row first owns it. A claim whose runner died before sending is taken
  over after LEASE by a conditional UPDATE that only one runner can win.
"""

import logging
import os
import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, close_old_connections, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.lib.errors import Refused
from mend.notify import push

log = logging.getLogger(__name__)

EMAIL = "email"
PUSH = "push"
# A claim not marked sent after this long was left by a runner that stopped.
LEASE = timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
MAX_ATTEMPTS = 5
SIGNING_SALT = "mend.notify.stop"

# Kinds of reminder a person can turn on or off. The labels are neutral too: the
# opt-out page may be read by someone else.
TOPICS = {
    "checkin-daily": gettext_lazy("Daily check-ins"),
    "checkin-weekly": gettext_lazy("Weekly reviews"),
    "checkin-transparency": gettext_lazy("Transparency windows"),
    "checkin-own": gettext_lazy("Your own check-ins"),
    "agreement-review": gettext_lazy("Agreement reviews"),
}


# Kinds only Web Push carries: a partner's act, as it happens, not on a schedule.
PUSH_ONLY_TOPICS = {
    "pause": gettext_lazy("Pause signals from your partner"),
    "waiting": gettext_lazy("Something from your partner that waits for you"),
}
PUSH_TOPICS = {**PUSH_ONLY_TOPICS, **TOPICS}
MAX_DEVICE_NAME = 60
MAX_DEVICES = 10


def email_is_configured() -> bool:
    return bool(settings.EMAIL_HOST)


class ReminderChoice(models.Model):
    """A person's choice to get reminders of one TOPIC by e-mail (absent: off)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    topic = models.CharField(max_length=40)
    is_email_on = models.BooleanField(default=False)
    # None: as the person's push choice says (on once they subscribe a browser);
    # False: they turned this kind off for push.
    is_push_on = models.BooleanField(null=True, default=None)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="one_reminder_choice_per_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.topic} e-mail={self.is_email_on}"


def set_email(user: User, topic: str, on: bool) -> None:
    if topic not in TOPICS:
        raise Refused(_("There is no such kind of reminder."), status=404)
    ReminderChoice.objects.update_or_create(
        user=user,
        topic=topic,
        defaults={"is_email_on": on, "changed_at": timezone.now()},
    )


def set_push(user: User, topic: str, on: bool) -> None:
    if topic not in PUSH_TOPICS:
        raise Refused(_("There is no such kind of reminder."), status=404)
    ReminderChoice.objects.update_or_create(
        user=user,
        topic=topic,
        defaults={"is_push_on": on, "changed_at": timezone.now()},
    )


def push_topics(user: User) -> set[str]:
    """Return the kinds USER gets pushed: all of them but those turned off."""
    off = ReminderChoice.objects.filter(user=user, is_push_on=False).values_list(
        "topic", flat=True
    )
    return set(PUSH_TOPICS) - set(off)


def email_topics(user: User) -> set[str]:
    return set(
        ReminderChoice.objects.filter(user=user, is_email_on=True).values_list(
            "topic", flat=True
        )
    )


def stop_token(user: User, topic: str) -> str:
    """Return the signed token of the one-click opt-out link for USER and TOPIC."""
    return signing.dumps([str(user.code), topic], salt=SIGNING_SALT, compress=True)


def read_stop_token(token: str) -> tuple[User, str] | None:
    try:
        code, topic = signing.loads(token, salt=SIGNING_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(code=code).first()
    if user is None or topic not in TOPICS:
        return None
    return user, topic


class PushSubscriptionQuerySet(models.QuerySet["PushSubscription"]):
    def for_member(self, user: User) -> "PushSubscriptionQuerySet":
        """Only the person's own: a partner never sees or lists another's browsers."""
        return self.filter(user=user)


class PushSubscription(models.Model):
    """One browser one person subscribed to Web Push, by a name they chose.

    Nothing about the device is kept: only what the browser's push service needs
    (where to POST, and the keys the payload is encrypted to) and the chosen name.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    name = models.CharField(max_length=MAX_DEVICE_NAME)
    endpoint = models.TextField()
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "endpoint"], name="one_push_subscription_per_browser"
            )
        ]

    def __str__(self) -> str:
        return f"push subscription {self.code}"


def push_is_configured() -> bool:
    return bool(settings.PUSH)


def subscribe(
    user: User, name: str, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Keep (or rename) USER's subscription of one browser; refuse what can't work."""
    if not push_is_configured():
        raise Refused(_("Notifications are turned off on this server."), status=403)
    name = name.strip()
    if not name:
        raise Refused(_("Please give this device a name you will recognise."))
    if len(name) > MAX_DEVICE_NAME:
        raise Refused(
            _("Please keep the name to %(max)d characters (it has %(n)d).")
            % {"max": MAX_DEVICE_NAME, "n": len(name)}
        )
    # Only a secure push service address; nothing else is ever called.
    if not endpoint.startswith("https://") or len(endpoint) > 2000:
        raise Refused(_("This browser's notification address can't be used."))
    if not (0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        raise Refused(_("This browser's notification keys can't be used."))
    mine = PushSubscription.objects.for_member(user)
    if not mine.filter(endpoint=endpoint).exists() and mine.count() >= MAX_DEVICES:
        raise Refused(
            _("You have %(max)d devices with notifications; turn one off first.")
            % {"max": MAX_DEVICES}
        )
    subscription, _created = PushSubscription.objects.update_or_create(
        user=user,
        endpoint=endpoint,
        defaults={"name": name, "p256dh": p256dh, "auth": auth},
    )
    return subscription


def unsubscribe(user: User, code: uuid.UUID) -> bool:
    deleted, _kinds = (
        PushSubscription.objects.for_member(user).filter(code=code).delete()
    )
    return deleted > 0


class Delivery(models.Model):
    """One reminder KEY to one person on one channel: claimed once, sent once."""

    key = models.CharField(max_length=200)
    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20, default=EMAIL)
    claimed_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "user", "channel"], name="one_delivery_per_reminder"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.key} to {self.user_id}"


def claim(user: User, channel: str, key: str, runner: str) -> Delivery | None:
    """Return the Delivery RUNNER now owns for KEY, or None if another has it.

    Insert first: the unique constraint lets exactly one runner in. A row left
    unsent past LEASE is taken over by one conditional UPDATE, which one runner wins.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                key=key, user=user, channel=channel, claimed_at=now, claimed_by=runner
            )
    except IntegrityError:
        pass
    taken = Delivery.objects.filter(
        key=key,
        user=user,
        channel=channel,
        sent_at__isnull=True,
        claimed_at__lt=now - LEASE,
        attempts__lt=MAX_ATTEMPTS,
    ).update(claimed_at=now, claimed_by=runner, attempts=F("attempts") + 1)
    if taken != 1:
        return None
    return Delivery.objects.get(key=key, user=user, channel=channel)


@dataclass(frozen=True)
class Reminder:
    """What a feature asks to remind: neutral words and where in Mend to go."""

    user: User
    topic: str
    key: str  # what and which occurrence, e.g. "checkin:<code>:<iso time>"
    path: str  # e.g. "/checkins/"


def _send_email(reminder: Reminder, delivery: Delivery) -> None:
    with translation.override(reminder.user.speaks):
        _compose_email(reminder, delivery).send(fail_silently=False)


def _compose_email(reminder: Reminder, delivery: Delivery) -> EmailMessage:
    user = reminder.user
    stop = f"{settings.SITE_URL}/reminders/stop/{stop_token(user, reminder.topic)}/"
    body = _(
        "Hello,\n\nSomething in your shared space is ready when you are:\n%(link)s\n\n"
        "To stop these e-mails, open:\n%(stop)s\n"
    ) % {"link": f"{settings.SITE_URL}{reminder.path}", "stop": stop}
    return EmailMessage(
        subject=_("A reminder from Mend"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            # Mail clients show an "unsubscribe" button that opens the stop page.
            "List-Unsubscribe": f"<{stop}>",
            # The same reminder keeps the same id, so a retry is recognisable.
            "Message-ID": f"<{delivery.pk}.{delivery.key.replace(':', '.')}@mend>",
        },
    )


def _send_push(reminder: Reminder, delivery: Delivery) -> None:
    """Push to each of the person's browsers; a gone one (404/410) is removed.

    The words are the same for every kind, so a locked screen says nothing; they
    are in the recipient's language, as the e-mail is.
    """
    title = "Mend"
    with translation.override(reminder.user.speaks):
        body = _("Something in Mend is waiting for you")
    failed = 0
    subscriptions = list(PushSubscription.objects.for_member(reminder.user))
    for subscription in subscriptions:
        try:
            status = push.send(
                subscription.endpoint,
                subscription.p256dh,
                subscription.auth,
                title,
                body,
            )
        except Exception:  # any network failure: that browser misses this one
            log.warning("push %s not sent", subscription.code, exc_info=True)
            failed += 1
            continue
        if status in push.GONE:
            subscription.delete()
        elif status >= 300:
            log.warning("push %s refused: %s", subscription.code, status)
            failed += 1
    if subscriptions and failed == len(subscriptions):
        raise OSError("no push service took the message")


Channel = Callable[[Reminder, Delivery], None]
CHANNELS: dict[str, Channel] = {EMAIL: _send_email, PUSH: _send_push}


def channels_for(reminder: Reminder, chosen: set[str] | None = None) -> list[str]:
    """Return the channels REMINDER goes out on: those its person chose (CHOSEN, the
    e-mail topics, read here when not given) that this server has.

    Cheapest check first: a pause notifies after every signal, and a person with no
    e-mail and no subscribed browser costs one query (#12).
    """
    found = []
    if reminder.user.email and email_is_configured():
        if chosen is None:
            chosen = email_topics(reminder.user)
        if reminder.topic in chosen:
            found.append(EMAIL)
    if (
        push_is_configured()
        and PushSubscription.objects.for_member(reminder.user).exists()
        and reminder.topic in push_topics(reminder.user)
    ):
        found.append(PUSH)
    return found


def notify(reminder: Reminder, runner: str, chosen: set[str] | None = None) -> int:
    """Send REMINDER on each channel its person chose; return how many went out.

    Each (key, person, channel) goes out at most once across runners (see claim).
    A send that fails leaves the claim unsent, to be tried again after LEASE.
    """
    sent = 0
    for channel in channels_for(reminder, chosen):
        delivery = claim(reminder.user, channel, reminder.key, runner)
        if delivery is None:
            continue
        try:
            CHANNELS[channel](reminder, delivery)
        except Exception:  # any SMTP or network failure: retry later
            log.warning("reminder %s not sent; will retry", delivery.pk, exc_info=True)
            continue
        Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _notify_now(reminder: "Reminder | Callable[[], Reminder | None]") -> None:
    found = reminder() if callable(reminder) else reminder
    if found is not None:
        notify(found, f"web:{os.getpid()}")


_jobs: "queue.SimpleQueue[Reminder | Callable[[], Reminder | None]]" = (
    queue.SimpleQueue()
)
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _work() -> None:
    """Serve every notification of this process, one after another, for its life.

    One thread with one database connection (kept as CONN_MAX_AGE says): a thread
    and a new connection per write cost the pause its p99 (9 ms -> 243 ms at 50/s).
    """
    while True:
        job = _jobs.get()
        close_old_connections()
        try:
            _notify_now(job)
        except Exception:  # a bug here must not end the worker: log, go on
            log.exception("notification not sent")


def _in_background(job: "Reminder | Callable[[], Reminder | None]") -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="mend-notify", daemon=True)
            _worker.start()
    _jobs.put(job)


def notify_on_commit(reminder: "Reminder | Callable[[], Reminder | None]") -> None:
    """Notify once the write that calls for it is committed (a partner's act).

    On the process's one notify thread, so the partner's page never waits for a push
    service. REMINDER may be a function that makes it there (None: nobody to tell),
    so finding whom to tell costs the request nothing either (the pause, #12).
    """

    def later() -> None:
        if settings.PUSH_IN_BACKGROUND:
            _in_background(reminder)
        else:
            _notify_now(reminder)

    transaction.on_commit(later)
