from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User
from mend.couples.models import Space
from mend.lib.pace import check_pace
from mend.live.actions import partner_reminder, record_event
from mend.live.models import Event
from mend.notify.models import notify_on_commit
from mend.safety.models import Signal, Trigger


@transaction.atomic
def send_signal(
    space: Space,
    sender: User,
    *,
    kind: str,
    minutes: int,
    return_at: datetime | None = None,
) -> Signal:
    """Send a pause, slow-down or stop.

    Rule: it never shortens, replaces or hides the partner's running signal; both
    run. It takes the place of the sender's own running one, which is theirs to end.
    """
    signal = Signal.new(space.pk, sender, kind, minutes, return_at)
    check_pace(
        sender,
        Signal.objects.filter(sender=sender),
        limit=settings.SIGNALS_PER_MINUTE,
        message=_(
            "You've sent several signals in the last minute, and your partner has "
            "them. Please wait a moment before sending another."
        ),
    )
    Signal.objects.filter(space=space).give_way(sender)
    signal.save()
    record_event(space.pk, sender, Event.Types.SIGNAL, signal.code, kind)
    # Reaches a locked phone only if the partner turned Web Push on (notify); whom
    # to tell is found after the commit, off the pause's own path.
    key = f"signal:{signal.code}"
    notify_on_commit(lambda: partner_reminder(space.pk, sender, "pause", key))
    return signal


def _lock(signal: Signal) -> None:
    # Read again under a row lock: a double click or both partners at once are
    # decided one after the other, on what the first one wrote.
    signal.refresh_from_db(from_queryset=Signal.objects.select_for_update())


@transaction.atomic
def extend_signal(signal: Signal, by: User, minutes: int) -> Signal:
    _lock(signal)
    signal.extend(by, minutes)
    signal.save()
    record_event(signal.space_id, by, Event.Types.SIGNAL, signal.code, "extended")
    return signal


@transaction.atomic
def say_ready(signal: Signal, by: User) -> Signal:
    """Tell the sender BY is ready when they are; they see it live and decide."""
    _lock(signal)
    if signal.say_ready(by):
        signal.save(update_fields=["ready_at", "ready_by"])
        record_event(signal.space_id, by, Event.Types.SIGNAL, signal.code, "ready")
    return signal


@transaction.atomic
def end_signal(signal: Signal, by: User) -> Signal:
    _lock(signal)
    signal.end(by)
    signal.save()
    record_event(signal.space_id, by, Event.Types.SIGNAL, signal.code, "ended")
    return signal


@transaction.atomic
def note_trigger(
    space: Space, author: User, key: bytes | None, *, share: bool, **content: str
) -> Trigger:
    trigger = Trigger(space=space, author=author, is_shared=share)
    trigger.set_content(key, content)
    if share:
        trigger.shared_at = trigger.updated_at
    trigger.save()
    return trigger
