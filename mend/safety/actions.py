import uuid
from datetime import datetime

from django.db import transaction

from mend.accounts.models import User
from mend.couples.models import Space
from mend.safety import stream
from mend.safety.models import Event, Signal, Trigger


def record_event(
    space_id: int, actor: User, type: str, subject: uuid.UUID, change: str = ""
) -> Event:
    """Keep the change as a row and tell open pages once the transaction commits."""
    event = Event.objects.create(
        space_id=space_id, actor=actor, type=type, subject=subject, change=change
    )
    stream.publish_on_commit(space_id, event.wire())
    return event


@transaction.atomic
def send_signal(
    space: Space,
    sender: User,
    *,
    kind: str,
    minutes: int,
    return_at: datetime | None = None,
) -> Signal:
    """Send a pause, slow-down or stop; it takes the place of any earlier one."""
    signal = Signal.new(space.pk, sender, kind, minutes, return_at)
    signal.save()
    record_event(space.pk, sender, Event.Types.SIGNAL, signal.code, kind)
    return signal


@transaction.atomic
def extend_signal(signal: Signal, by: User, minutes: int) -> Signal:
    signal.extend(by, minutes)
    signal.save()
    record_event(signal.space_id, by, Event.Types.SIGNAL, signal.code, "extended")
    return signal


@transaction.atomic
def end_signal(signal: Signal, by: User) -> Signal:
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
