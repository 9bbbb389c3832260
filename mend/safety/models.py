from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.dates import check_moment
from mend.lib.errors import Refused
from mend.live.actions import record_event
from mend.live.models import Event
from mend.privacy.models import PrivateContent, PrivateContentQuerySet

DEFAULT_MINUTES = 20
MIN_MINUTES = 5
MAX_MINUTES = 240
# The pause rule couples therapists teach: agree a return, never more than a day away.
MAX_RETURN = timedelta(hours=24)

TRIGGER_KIND = _("trigger note")


class SignalQuerySet(SpaceOwnedQuerySet["Signal"]):
    def give_way(self, sender: User) -> int:
        """End SENDER's own running signals in one statement, as they sent a new one.

        The same ending as Signal.end by its sender; the partner's signals are left
        running (both run side by side). Returns how many ended.
        """
        now = timezone.now()
        return self.filter(
            sender=sender, ended_at__isnull=True, return_at__gt=now
        ).update(ended_at=now, ended_by=sender, ended_how=Signal.Endings.SENDER)

    def running(self) -> "SignalQuerySet":
        """Return the signals still running (not ended, before their time), oldest first.

        A signal from one partner never hides the other's: both can run at once.
        """
        return (
            self.filter(ended_at__isnull=True, return_at__gt=timezone.now())
            .select_related("sender", "ready_by")
            .order_by("created_at", "pk")
        )


class Signal(SpaceOwned):
    """A pause, slow-down or stop: absolute, and never asks for a reason."""

    author_field = "sender"
    export_labels = {
        "kind": _("Signal"),
        "minutes": _("Cooling-off minutes"),
        "ends_at": _("Cooling-off until"),
        "return_at": _("Back to talk at"),
        "extended_at": _("Extended"),
        "ended_at": _("Ended"),
    }

    class Kinds(models.TextChoices):
        PAUSE = "pause", _("Pause: I need a break")
        SLOW = "slow", _("Slow down")
        STOP = "stop", _("Stop")

    class Endings(models.TextChoices):
        SENDER = "sender", _("Ended by its sender")
        TIME = "time", _("Ended at its time")
        LEFT = "left", _("Ended when its sender left the space")
        # Only rows from before the pause rule was enforced (#10) can say this.
        PARTNER = "partner", _("Ended by the partner")

    sender = models.ForeignKey(User, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kinds.choices)
    minutes = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    return_at = models.DateTimeField()
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The partner's "I'm ready when you are": the sender is told, and decides.
    ready_at = models.DateTimeField(null=True, blank=True)
    ready_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_how = models.CharField(max_length=10, choices=Endings.choices, blank=True)

    objects = SignalQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.kind} signal {self.code}"

    @staticmethod
    def check_minutes(minutes: int) -> None:
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise Refused(
                _("Choose a cooling-off time between %(low)s and %(high)s minutes.")
                % {"low": MIN_MINUTES, "high": MAX_MINUTES}
            )

    @classmethod
    def new(
        cls,
        space_id: int,
        sender: User,
        kind: str,
        minutes: int,
        return_at: datetime | None,
    ) -> "Signal":
        """Return an unsaved signal, or refuse it in plain words."""
        if kind not in cls.Kinds.values:
            raise Refused(_("Choose pause, slow down or stop."))
        cls.check_minutes(minutes)
        now = timezone.now()
        ends_at = now + timedelta(minutes=minutes)
        if return_at is None:
            return_at = ends_at
        return_at = check_moment(return_at)
        if return_at < ends_at - timedelta(seconds=60):
            raise Refused(_("Choose a return time after the cooling-off time."))
        if return_at > now + MAX_RETURN:
            raise Refused(_("Choose a return time within the next 24 hours."))
        return cls(
            space_id=space_id,
            sender=sender,
            kind=kind,
            minutes=minutes,
            created_at=now,
            ends_at=ends_at,
            return_at=max(return_at, ends_at),
        )

    def is_cooling(self) -> bool:
        return timezone.now() < self.ends_at

    def is_running(self) -> bool:
        return self.ended_at is None and timezone.now() < self.return_at

    def how_it_ended(self) -> str:
        """Return sender, time, left (or partner, on old rows); "" while it runs."""
        if self.ended_at is not None:
            return self.ended_how
        return "" if self.is_running() else self.Endings.TIME

    def when_it_ended(self) -> datetime | None:
        if self.ended_at is not None:
            return self.ended_at
        return None if self.is_running() else self.return_at

    def how_it_ended_label(self) -> str:
        how = self.how_it_ended()
        return str(self.Endings(how).label) if how else ""

    def _refuse_unless_sender(self, by: User, message: StrOrPromise) -> None:
        if by.pk != self.sender_id:
            raise Refused(message, status=403)

    def _refuse_if_over(self) -> None:
        if not self.is_running():
            raise Refused(_("This pause has already ended."), status=409)

    def can_extend(self) -> bool:
        return self.is_running() and self.extended_at is None

    def extend(self, by: User, minutes: int) -> None:
        """Give the cooling-off more time, once per signal.

        Rule: a signal belongs to its sender, so only they change its time. A partner
        who needs longer sends a signal of their own, which runs beside this one.
        """
        self._refuse_unless_sender(
            by,
            _(
                "Only the person who asked for this pause can change its time. "
                "If you need longer, you can ask for a pause of your own."
            ),
        )
        self._refuse_if_over()
        if self.extended_at is not None:
            raise Refused(_("This pause has already been extended once."), status=409)
        self.check_minutes(minutes)
        now = timezone.now()
        latest = self.created_at + MAX_RETURN
        self.ends_at = min(max(now, self.ends_at) + timedelta(minutes=minutes), latest)
        self.return_at = min(max(self.return_at, self.ends_at), latest)
        self.extended_at = now
        self.extended_by = by

    def say_ready(self, by: User) -> bool:
        """Tell the sender BY is ready when they are; return False if already said.

        Rule: this never ends the signal. The sender is told, and decides.
        """
        if by.pk == self.sender_id:
            raise Refused(
                _("This is your own pause: you can end it whenever you are ready."),
                status=409,
            )
        self._refuse_if_over()
        if self.ready_at is not None:
            return False
        self.ready_at = timezone.now()
        self.ready_by = by
        return True

    def end(self, by: User) -> None:
        """End the signal early. Rule: only its sender can; otherwise it ends at its time."""
        self._refuse_unless_sender(
            by,
            _(
                "Only the person who asked for this pause can end it early. "
                "You can tell them you're ready when they are."
            ),
        )
        self._refuse_if_over()
        self.ended_at = timezone.now()
        self.ended_by = by
        self.ended_how = self.Endings.SENDER

    @classmethod
    def end_for_leaver(cls, user: User, space_id: int) -> list["Signal"]:
        """End USER's running signals in the space they are leaving; return them.

        Registered with privacy.leaving (safety/apps.py), which leave_space calls:
        privacy cannot import the features above it. The partner's pages are told.
        """
        ended = list(cls.objects.filter(space_id=space_id, sender=user).running())
        now = timezone.now()
        for signal in ended:
            signal.ended_at = now
            signal.ended_by = user
            signal.ended_how = cls.Endings.LEFT
            signal.save(update_fields=["ended_at", "ended_by", "ended_how"])
            record_event(space_id, user, Event.Types.SIGNAL, signal.code, "ended")
        return ended


class TriggerQuerySet(PrivateContentQuerySet["Trigger"]):
    pass


class Trigger(PrivateContent):
    """A note about a trigger: what, when, how strong, what helped. Private by default."""

    export_labels = {
        "what": _("What happened, or what it touched"),
        "when": _("When"),
        "intensity": _("How strong, from 1 to 10"),
        "helped": _("What helped"),
    }

    objects = TriggerQuerySet.as_manager()

    def __str__(self) -> str:
        return f"trigger note {self.code}"
