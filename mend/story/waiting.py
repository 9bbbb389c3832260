"""What shared meaning asks of a member now, for home (mend/lib/waiting.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.lib.waiting import WaitingItem
from mend.story.models import StandForWording


def waiting_for(member: User) -> list[WaitingItem]:
    """Return words of what you stand for waiting to be affirmed or confirmed: one query."""
    items = []
    for wording in (
        StandForWording.objects.for_member(member)
        .waiting()
        .order_by("-proposed_at")[:5]
    ):
        mine = wording.asks(member)
        if wording.affirmed_at is None:
            title = (
                _("What you stand for together, to affirm")
                if mine
                else _("What you stand for together, as you proposed it")
            )
        else:
            title = (
                _("What you stand for together, affirmed, to confirm")
                if mine
                else _("What you stand for together, affirmed by you, to be confirmed")
            )
        items.append(
            WaitingItem(
                kind="story",
                title=title,
                url=reverse("story:index") + "#stand-for",
                at=wording.affirmed_at or wording.proposed_at,
                is_yours=mine,
            )
        )
    return items
