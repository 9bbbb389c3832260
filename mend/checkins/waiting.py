"""What check-ins ask of a member now, for home (mend/lib/waiting.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mend.accounts.models import User
from mend.checkins.models import Answer, due_for
from mend.lib.waiting import PathTotal, WaitingItem


def waiting_for(member: User) -> list[WaitingItem]:
    """Return the check-ins due for MEMBER and not answered yet: two queries.

    A partner's unanswered check-in is theirs to keep in their own time, so it is
    not listed as waiting on them.
    """
    return [
        WaitingItem(
            kind="checkins",
            title=(
                _("A check-in is due; your partner shared theirs")
                if due["is_partner_waiting"]
                else _("A check-in is due")
            ),
            url=reverse("checkins:answer_check_in", args=[due["check_in"].code]),
            at=due["occurs_at"],
            is_yours=True,
            about=due["check_in"].name,
        )
        for due in due_for(member)
    ]


def path_totals(member: User) -> list[PathTotal]:
    """Return the check-ins kept that MEMBER can see: one query.

    Their own answers and those their partner revealed; a partner's private answer
    is not counted, so the total says nothing they didn't choose to show.
    """
    kept = Answer.objects.visible_to(member).count()
    return [
        PathTotal(
            kind="checkins",
            label=ngettext("%(n)d check-in kept", "%(n)d check-ins kept", kept)
            % {"n": kept},
            count=kept,
        )
    ]
