from django.utils.translation import gettext_lazy as _

from mend.privacy.models import PrivateContent, PrivateContentQuerySet

KIND = _("journal entry")


class JournalEntryQuerySet(PrivateContentQuerySet["JournalEntry"]):
    pass


class JournalEntry(PrivateContent):
    """A journal entry: private to its author unless they choose to share it."""

    objects = JournalEntryQuerySet.as_manager()

    export_labels = {"title": _("Title"), "body": _("Entry")}

    class Meta:
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"journal entry {self.code}"
