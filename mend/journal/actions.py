from django.db import transaction

from mend.accounts.models import User
from mend.couples.models import Space
from mend.journal.models import JournalEntry


@transaction.atomic
def write_entry(
    space: Space, author: User, key: bytes | None, *, title: str, body: str, share: bool
) -> JournalEntry:
    entry = JournalEntry(space=space, author=author, is_shared=share)
    entry.set_content(key, {"title": title, "body": body})
    if share:
        entry.shared_at = entry.updated_at
    entry.save()
    return entry
