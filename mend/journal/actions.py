from django.db import transaction
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.couples.models import Space
from mend.journal.models import REPLY_KIND, JournalEntry, JournalReply
from mend.lib.errors import Refused
from mend.privacy.models import record_views


@transaction.atomic
def write_entry(
    space: Space,
    author: User,
    key: bytes | None,
    *,
    title: str,
    body: str,
    share: bool,
    is_question: bool = False,
) -> JournalEntry:
    if is_question and not share:
        raise Refused(_("A question is for your partner to read: share the entry too."))
    entry = JournalEntry(
        space=space, author=author, is_shared=share, is_question=is_question
    )
    entry.set_content(key, {"title": title, "body": body})
    if share:
        entry.shared_at = entry.updated_at
    entry.save()
    if share:
        entry._tell(
            author, "asked" if is_question else "shared", waits_on_partner=is_question
        )
    return entry


def log_reply_views(viewer: User, entry: JournalEntry) -> None:
    """The author reading the partner's replies is a partner's words read: log it."""
    record_views(
        viewer,
        [(r.space_id, r.author_id, r.code) for r in entry.shown_replies()],
        REPLY_KIND,
    )


@transaction.atomic
def answer_entry(
    entry: JournalEntry, by: User, kind: str, text: str = ""
) -> JournalReply:
    locked = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    return locked.answer(by, kind, text)
