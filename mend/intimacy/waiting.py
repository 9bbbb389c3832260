"""What the ladder asks of a member now, for home (mend/lib/waiting.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.intimacy.models import StepWording
from mend.lib.waiting import WaitingItem


def waiting_for(member: User) -> list[WaitingItem]:
    """Return new words for a ladder step waiting to be affirmed: one query.

    A partner's "ready" is never listed: it is sealed under the couple's key and
    shown only when both are ready, so it can't put pressure on anyone.
    """
    return [
        WaitingItem(
            kind="intimacy",
            title=(
                _("New words for a step on your ladder, to affirm")
                if wording.asks(member)
                else _("New words you proposed for a step on your ladder")
            ),
            url=reverse("intimacy:index"),
            at=wording.proposed_at,
            is_yours=wording.asks(member),
        )
        for wording in StepWording.objects.for_member(member)
        .waiting()
        .order_by("-proposed_at")[:50]
    ]
