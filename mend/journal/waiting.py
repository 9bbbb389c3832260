"""What the journal asks of a member now, for home (mend/lib/waiting.py)."""

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.journal.models import JournalEntry, JournalReply
from mend.lib.waiting import WaitingItem


def waiting_for(member: User) -> list[WaitingItem]:
    """Return shared "a question for you" entries not yet replied to: one query.

    Only entries their author chose to share as a question; a private entry is
    never counted, for either partner.
    """
    replied = JournalReply.objects.filter(
        entry=OuterRef("pk"), kind=JournalReply.Kind.REPLY
    ).exclude(author=OuterRef("author"))
    entries = (
        JournalEntry.objects.for_member(member)
        .filter(is_shared=True, is_question=True)
        .annotate(is_replied=Exists(replied))
        .filter(is_replied=False)
        .only("code", "author_id", "shared_at", "created_at")
        .order_by(F("shared_at").desc(nulls_last=True), "-created_at")[:50]
    )
    return [
        WaitingItem(
            kind="journal",
            title=(
                _("A question for you in your partner's journal")
                if entry.author_id != member.pk
                else _("A question you asked in your journal")
            ),
            url=reverse("journal:entry", args=[entry.code]),
            at=entry.shared_at or entry.created_at,
            is_yours=entry.author_id != member.pk,
        )
        for entry in entries
    ]
