import uuid

from mend.accounts.models import User
from mend.live import stream
from mend.live.models import Event


def record_event(
    space_id: int, actor: User, type: str, subject: uuid.UUID, change: str = ""
) -> Event:
    """Keep the change as a row and tell open pages once the transaction commits."""
    event = Event.objects.create(
        space_id=space_id, actor=actor, type=type, subject=subject, change=change
    )
    stream.publish_on_commit(space_id, event.wire())
    return event
