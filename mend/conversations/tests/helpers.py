from datetime import UTC, datetime

from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.models import Conversation
from mend.couples.models import Space

WHEN = datetime(2026, 6, 1, 19, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true"}
JSON = "application/json"


def proposed(space: Space, by: User, topics: list[str] | None = None) -> Conversation:
    return actions.propose(
        space,
        by,
        topics=topics or ["The weekend", "Money"],
        minutes=30,
        starts_at=WHEN,
    )


def running(space: Space, ana: User, ben: User) -> Conversation:
    """Return a conversation Ana proposed, Ben accepted, and Ana started."""
    conversation = proposed(space, ana)
    actions.accept(conversation, ben)
    return actions.start(conversation, ana)
