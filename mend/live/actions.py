import uuid
from datetime import datetime, timedelta

from mend.accounts.models import User
from mend.couples.models import Membership
from mend.live import stream
from mend.live.models import Event
from mend.notify.models import Reminder, notify_on_commit


def record_event(
    space_id: int,
    actor: User,
    type: str,
    subject: uuid.UUID,
    change: str = "",
    *,
    waits_on_partner: bool = False,
) -> Event:
    """Keep the change as a row and tell open pages once the transaction commits.

    WAITS_ON_PARTNER: the change now asks something of the actor's partner, so it
    reaches their locked phone too, in neutral words, only if they turned Web Push
    on (notify). Whom to tell is found after the commit, off the request's path.
    """
    event = Event.objects.create(
        space_id=space_id, actor=actor, type=type, subject=subject, change=change
    )
    stream.publish_on_commit(space_id, event.wire())
    if waits_on_partner:
        key = f"{type}:{subject}:{event.pk}"
        notify_on_commit(lambda: partner_reminder(space_id, actor, "waiting", key))
    return event


def partner_reminder(
    space_id: int, actor: User, topic: str, key: str
) -> Reminder | None:
    """Return the reminder for ACTOR's partner in the space (None: nobody to tell).

    Called after the commit, on the notify thread, so it costs the request nothing.
    """
    partner = (
        Membership.objects.filter(space_id=space_id, left_at__isnull=True)
        .exclude(user=actor)
        .select_related("user")
        .first()
    )
    if partner is None:
        return None
    return Reminder(user=partner.user, topic=topic, key=key, path="/")


# A page away longer than this fetches what it shows again (stream.REPLAY_LIMIT); a
# change kept longer would only say who did what, and when.
KEEP_EVENTS = timedelta(days=7)


def prune_events(now: datetime) -> int:
    """Delete live events older than KEEP_EVENTS; return how many went."""
    deleted, _ = Event.objects.filter(created_at__lt=now - KEEP_EVENTS).delete()
    return deleted
