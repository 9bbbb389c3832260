"""Journal entries, and what the partner answers on the ones shared with them.

Rules enforced here:
- An entry is private to its author unless they share it (mend/privacy/models.py).
- On a shared entry the partner may reply briefly or say "I read this"; the author
  sees both. An entry shared as "a question for you" stays on the partner's list
  until they reply.
- Making a shared entry private again (withdrawing it) leaves the partner a
  "withdrawn" notice where it was, never its words and never a silent gap. Deleting
  an entry the partner could see (shared, or withdrawn already) does the same: its
  words go, the notice stays.
- Search finds a person's own entries and what was shared with them. Private text is
  never indexed: the author's private entries are opened with their key, in the
  request, and scanned there (docs/security.md).
"""

import re
import unicodedata
from typing import Any, Self

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.errors import Refused, check_encodable
from mend.live.actions import record_event
from mend.live.models import Event
from mend.privacy.models import (
    KeyLocked,
    PrivateContent,
    PrivateContentQuerySet,
    scrub_after_commit,
)

KIND = gettext_lazy("journal entry")
REPLY_KIND = gettext_lazy("reply to a journal entry")
MAX_REPLY = 2_000
MAX_QUERY = 200
# Search answers with at most this many entries, newest first.
MAX_HITS = 50


def clean_reply(text: str) -> str:
    text = check_encodable((text or "").strip())
    if not text:
        raise Refused(_("Please write a few words to reply."))
    if len(text) > MAX_REPLY:
        raise Refused(
            _("A reply can be at most %(max)d characters (this one has %(n)d).")
            % {"max": MAX_REPLY, "n": len(text)}
        )
    return text


def search_words(query: str) -> list[str]:
    """Return the words of QUERY, normalised as entries are (NFKC, case-folded)."""
    query = check_encodable((query or "").strip())
    if len(query) > MAX_QUERY:
        raise Refused(
            _("Please search for at most %(max)d characters (this has %(n)d).")
            % {"max": MAX_QUERY, "n": len(query)}
        )
    return [w for w in normalise(query).split() if w]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold())


def matches(content: dict[str, Any], words: list[str]) -> bool:
    # Words hold no spaces, so the text needs no whitespace folding to be matched.
    text = unicodedata.normalize(
        "NFKC", f"{content.get('title', '')} {content.get('body', '')}"
    ).casefold()
    return all(w in text for w in words)


class JournalEntryQuerySet(PrivateContentQuerySet["JournalEntry"]):
    def with_replies(self) -> Self:
        return self.select_related("author").prefetch_related(
            models.Prefetch(
                "replies",
                queryset=JournalReply.objects.select_related("author").order_by(
                    "created_at"
                ),
            )
        )

    def listed(self, user: Any) -> Self:
        """What USER's journal lists: visible entries and the partner's withdrawn ones.

        Chain after for_member(user), the scoping helper.
        """
        return self.filter(
            Q(author=user, is_deleted=False)
            | Q(is_shared=True)
            | (Q(withdrawn_at__isnull=False, is_shared=False) & ~Q(author=user))
        )

    def visible_to(self, user: Any) -> Self:
        return super().visible_to(user).exclude(author=user, is_deleted=True)

    def mine(self, user: Any) -> Self:
        return super().mine(user).filter(is_deleted=False)

    def questions_for(self, user: Any) -> Self:
        """Shared questions from USER's partner that USER has not yet replied to.

        Chain after visible_to(user).
        """
        answered = JournalReply.objects.filter(
            entry=OuterRef("pk"), author=user, kind=JournalReply.Kind.REPLY
        )
        return (
            self.exclude(author=user)
            .filter(is_shared=True, is_question=True)
            .exclude(Exists(answered))
        )

    def shared_matching(self, user: Any, words: list[str]) -> Self:
        """Shared entries USER can see whose title or body holds every word.

        The database filters shared text only; private text never reaches a query.
        """
        found = self.visible_to(user).filter(is_shared=True)
        for word in words:
            found = found.filter(
                Q(shared_content__title__icontains=word)
                | Q(shared_content__body__icontains=word)
            )
        return found


class JournalEntry(PrivateContent):
    """A journal entry: private to its author unless they choose to share it."""

    is_question = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author after the partner could see it: no words are kept, only
    # the "withdrawn" notice the partner sees where it was.
    is_deleted = models.BooleanField(default=False)

    objects = JournalEntryQuerySet.as_manager()

    export_labels = {"title": gettext_lazy("Title"), "body": gettext_lazy("Entry")}

    class Meta:
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["space", "-created_at"])]

    def __str__(self) -> str:
        return f"journal entry {self.code}"

    def is_withdrawn_for(self, viewer: User) -> bool:
        return (
            viewer.pk != self.author_id
            and not self.is_shared
            and self.withdrawn_at is not None
        )

    def content(self, key: bytes | None, viewer: User) -> dict[str, Any]:
        if self.is_deleted:
            return {}
        return super().content(key, viewer)

    @transaction.atomic
    def remove(self, by: User) -> bool:
        """Delete it (author only). Return whether the partner keeps a notice.

        An entry the partner never saw goes without a trace. One they could see
        (shared, or already withdrawn) keeps no words, only the "withdrawn" notice
        where it was, so nothing they read vanishes without a word.
        """
        if by.pk != self.author_id:
            raise Refused(
                _("Only the person who wrote this can delete it."), status=403
            )
        if not self.is_shared and self.withdrawn_at is None:
            self.delete()
            return False
        was_shared = self.is_shared
        self.is_deleted = True
        self.is_shared = False
        self.is_question = False
        self.shared_at = None
        self.withdrawn_at = self.withdrawn_at or timezone.now()
        self.shared_content = None
        self.sealed = None
        self.save()
        scrub_after_commit()
        if was_shared:
            self._tell(by, "withdrawn")
        return True

    def unshare(self, key: bytes | None, by: User) -> None:
        was_shared = self.is_shared
        super().unshare(key, by)
        if was_shared:
            self.withdrawn_at = timezone.now()
            # A question withdrawn is no longer waiting on the partner.
            self.is_question = False

    def set_shared(self, key: bytes | None, by: User, *, share: bool) -> dict[str, Any]:
        was_shared = self.is_shared
        content = super().set_shared(key, by, share=share)
        if share != was_shared:
            self._tell(by, "shared" if share else "withdrawn")
        return content

    def _tell(self, by: User, change: str, *, waits_on_partner: bool = False) -> None:
        """Tell the couple's open pages (home's "Waiting for you") it changed.

        Only for what the partner can see: a private entry tells nobody anything.
        """
        record_event(
            self.space_id,
            by,
            Event.Types.JOURNAL,
            self.code,
            change,
            waits_on_partner=waits_on_partner,
        )

    def mark_question(self, by: User, *, is_question: bool) -> None:
        if by.pk != self.author_id:
            raise Refused(_("Only the person who wrote this can ask it."), status=403)
        if is_question and not self.is_shared:
            raise Refused(
                _("Share the entry first: a question is for your partner to read."),
                status=409,
            )
        changed = self.is_question != is_question
        self.is_question = is_question
        self.save(update_fields=["is_question"])
        if changed:
            self._tell(
                by, "asked" if is_question else "unasked", waits_on_partner=is_question
            )

    def answer(self, by: User, kind: str, text: str = "") -> "JournalReply":
        """Record BY's reply or "I read this" on this shared entry."""
        if by.pk == self.author_id:
            raise Refused(
                _("Your partner replies here; you can add to your entry instead."),
                status=409,
            )
        if not self.is_shared:
            raise Refused(_("This entry is no longer shared."), status=409)
        if kind == JournalReply.Kind.READ:
            found = JournalReply.objects.filter(
                entry=self, author=by, kind=JournalReply.Kind.READ
            ).first()
            if found is not None:
                return found
            text = ""
        elif kind == JournalReply.Kind.REPLY:
            text = clean_reply(text)
        else:
            raise Refused(_("Reply with words or say you read it."))
        reply = JournalReply.objects.create(
            space_id=self.space_id, entry=self, author=by, kind=kind, text=text
        )
        self._tell(by, kind)
        return reply

    def shown_replies(self) -> list["JournalReply"]:
        """Replies in order (uses the prefetch from with_replies())."""
        return list(self.replies.all())


class JournalReplyQuerySet(SpaceOwnedQuerySet["JournalReply"]):
    pass


class JournalReply(SpaceOwned):
    """The partner's answer on a shared entry: a few words, or "I read this".

    Written to the entry's author, so it is shared by nature (not sealed).
    """

    class Kind(models.TextChoices):
        REPLY = "reply", gettext_lazy("reply")
        READ = "read", gettext_lazy("I read this")

    entry = models.ForeignKey(JournalEntry, models.CASCADE, related_name="replies")
    author = models.ForeignKey(User, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = JournalReplyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "journal replies"

    def __str__(self) -> str:
        return f"journal reply {self.code}"


def search(
    user: User, key: bytes | None, query: str
) -> tuple[list[tuple[JournalEntry, dict[str, Any]]], bool]:
    """Return USER's entries matching QUERY, newest first, and whether some were locked.

    Shared text is filtered by the database. USER's private entries are opened with
    their KEY here, in this request, and scanned in memory: nothing about their words
    is stored anywhere to be searched (docs/security.md gives the cost).
    """
    words = search_words(query)
    if not words:
        raise Refused(_("Please type a word to search for."))
    shared = list(
        JournalEntry.objects.shared_matching(user, words)
        .select_related("author")
        .order_by("-created_at")[:MAX_HITS]
    )
    hits: list[tuple[JournalEntry, dict[str, Any]]] = [
        (e, e.content(key, user)) for e in shared
    ]
    locked = False
    private = JournalEntry.objects.mine(user).filter(is_shared=False)
    if key is None:
        locked = private.exists()
    else:
        rows = private.only(
            "code",
            "space",
            "author",
            "is_shared",
            "sealed",
            "shared_content",
            "created_at",
            "is_question",
            "withdrawn_at",
            "is_deleted",  # read by content(): deferred, it would cost a query a row
        ).order_by("-created_at")
        for entry in rows.iterator(chunk_size=500):
            entry.author = user  # their own: no join, no query
            try:
                content = entry.content(key, user)
            except KeyLocked:
                locked = True
                break
            except Refused:
                continue  # sealed under a key that no longer opens
            if matches(content, words):
                hits.append((entry, content))
    hits.sort(key=lambda hit: hit[0].created_at, reverse=True)
    return hits[:MAX_HITS], locked
