"""What conversations ask of a member now, for home (mend/lib/waiting.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.conversations.models import Conversation
from mend.lib.waiting import WaitingItem


def waiting_for(member: User) -> list[WaitingItem]:
    """Return proposed conversations still waiting for a yes: one query.

    The one who hasn't said yes to the agenda as it stands is asked; either may say
    "not this time", and nothing then waits on anyone.
    """
    items = []
    proposed = (
        Conversation.objects.for_member(member)
        .filter(status=Conversation.Status.PROPOSED)
        .order_by("-created_at")[:50]
    )
    for conversation in proposed:
        mine = not conversation.has_said_yes(member)
        items.append(
            WaitingItem(
                kind="conversations",
                title=(
                    _("A conversation to say yes to")
                    if mine
                    else _("A conversation you said yes to")
                ),
                url=reverse("conversations:conversation", args=[conversation.code]),
                at=conversation.created_at,
                is_yours=mine,
            )
        )
    return items
