from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.errors import Refused
from mend.privacy.models import PrivateContent, PrivateContentQuerySet

DEFAULT_MINUTES = 20
MIN_MINUTES = 5
MAX_MINUTES = 240
# The pause rule couples therapists teach: agree a return, never more than a day away.
MAX_RETURN = timedelta(hours=24)

TRIGGER_KIND = _("trigger note")


class Event(SpaceOwned):
    """One live change a couple's open pages should show.

    Its id orders a space's events and is the SSE event id, so a page that lost
    its stream asks for everything after the last id it saw and misses nothing.
    """

    class Types(models.TextChoices):
        SIGNAL = "signal"
        INTIMACY = "intimacy"

    type = models.CharField(max_length=20, choices=Types.choices)
    # The code of the thing that changed (a signal, a plan); pages re-fetch it.
    subject = models.UUIDField()
    change = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SpaceOwnedQuerySet["Event"].as_manager()

    class Meta:
        indexes = [models.Index(fields=["space", "id"])]

    def __str__(self) -> str:
        return f"{self.type} event {self.pk}"

    def wire(self) -> dict[str, Any]:
        """Return what the broker carries: tiny, and no content at all."""
        return {
            "id": self.pk,
            "type": self.type,
            "code": str(self.subject),
            "change": self.change,
            "actor": self.actor_id,
        }


class SignalQuerySet(SpaceOwnedQuerySet["Signal"]):
    def current(self) -> "Signal | None":
        """Return the couple's newest signal if nobody closed it, within a day.

        A newer signal takes the place of an older one, so only the newest counts.
        """
        signal = self.select_related("sender").order_by("-created_at", "-pk").first()
        if signal is None or signal.ended_at is not None:
            return None
        return signal if signal.created_at > timezone.now() - MAX_RETURN else None


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
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )

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

    def can_extend(self) -> bool:
        return self.ended_at is None and self.extended_at is None

    def extend(self, by: User, minutes: int) -> None:
        """Give the cooling-off more time, once per signal, by either partner."""
        if self.ended_at is not None:
            raise Refused(_("This pause has already ended."), status=409)
        if self.extended_at is not None:
            raise Refused(_("This pause has already been extended once."), status=409)
        self.check_minutes(minutes)
        now = timezone.now()
        latest = self.created_at + MAX_RETURN
        self.ends_at = min(max(now, self.ends_at) + timedelta(minutes=minutes), latest)
        self.return_at = min(max(self.return_at, self.ends_at), latest)
        self.extended_at = now
        self.extended_by = by

    def end(self, by: User) -> None:
        if self.ended_at is not None:
            raise Refused(_("This pause has already ended."), status=409)
        self.ended_at = timezone.now()
        self.ended_by = by


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
