"""Live events: the changes a couple's open pages are told about, kept as rows.

A mechanism below the features (pause signals, the ladder, conversations): they
record events here, and the one stream (stream.py) carries them to open pages.
"""

from typing import Any

from django.db import models
from django.utils import timezone

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet


class Event(SpaceOwned):
    """One live change a couple's open pages should show.

    Its id orders a space's events and is the SSE event id, so a page that lost
    its stream asks for everything after the last id it saw and misses nothing.
    """

    class Types(models.TextChoices):
        SIGNAL = "signal"
        AGREEMENT = "agreement"
        INTIMACY = "intimacy"
        CONVERSATION = "conversation"
        # What home's "Waiting for you" lists from the rest of the daily loop.
        COMMITMENT = "commitment"
        CHECKIN = "checkin"
        JOURNAL = "journal"
        STORY = "story"

    type = models.CharField(max_length=20, choices=Types.choices)
    # The code of the thing that changed (a signal, a plan); pages re-fetch it.
    subject = models.UUIDField()
    change = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SpaceOwnedQuerySet["Event"].as_manager()

    class Meta:
        # Named as when this model lived in safety: the index moved with the table.
        indexes = [
            models.Index(fields=["space", "id"], name="safety_even_space_i_3011b6_idx"),
            # What live.actions.prune_events looks for, every minute.
            models.Index(fields=["created_at"], name="live_event_created_idx"),
        ]

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
