"""Private content, the couple key and the access log: the rules every feature keeps.

Rules enforced here:
- A private entry is sealed under its author's own data key; only the author, signed
  in, can open it. Sharing is the author's choice alone and can be undone alone.
- Whenever someone other than the author opens an entry, the access log records it,
  and both partners can read that log.
"""

import json
import uuid
from datetime import timedelta
from typing import Any, Self, TypeVar

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from mend.accounts.models import Keyring, User
from mend.couples.models import Space, SpaceOwned, SpaceOwnedQuerySet
from mend.lib.crypto import SealError, new_key, seal, seal_to, unseal, unseal_from
from mend.lib.errors import Refused

P = TypeVar("P", bound=models.Model)


def scrub_after_commit() -> None:
    """Once this transaction commits, leave no copy of what it erased in SQLite's files.

    secure_delete (mend/settings.py) zeroes deleted text in the database's own pages,
    but the write-ahead log still holds earlier images of those pages until a
    checkpoint; TRUNCATE copies the log back and empties it. PostgreSQL keeps dead
    rows until VACUUM reuses them; docs/security.md says so.
    """
    if connection.vendor == "sqlite":
        transaction.on_commit(_checkpoint)


def _checkpoint() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class KeyLocked(Refused):
    """The signed-in person's data key is not available in this session."""

    status = 403

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Your private entries are locked in this session. Sign out and in "
                "again with your password to open them."
            )
        )


class PrivateContentQuerySet(SpaceOwnedQuerySet[P]):
    def visible_to(self, user: Any) -> Self:
        """Return what USER may see: their own entries and what their partner shared."""
        return self.for_member(user).filter(Q(author=user) | Q(is_shared=True))

    def mine(self, user: Any) -> Self:
        return self.for_member(user).filter(author=user)


class PrivateContent(SpaceOwned):
    """Base for entries that are private by default and shareable by their author.

    While private, every field of the content is sealed together under the author's
    data key; the database holds no plaintext of it. Once shared, the content is kept
    readable by the server so the partner can see it (docs/security.md says so).
    """

    author = models.ForeignKey(User, models.CASCADE, related_name="+")
    is_shared = models.BooleanField(default=False)
    sealed = models.BinaryField(null=True, blank=True, editable=False)
    shared_content = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def _where(self) -> str:
        return f"{self._meta.label_lower}:{self.code}:content"

    def set_content(self, key: bytes | None, content: dict[str, Any]) -> None:
        """Store CONTENT: sealed under the author's KEY while private, plain once shared."""
        self.updated_at = timezone.now()
        if self.is_shared:
            self.shared_content = content
            self.sealed = None
            return
        if key is None:
            raise KeyLocked()
        self.sealed = seal(key, json.dumps(content).encode(), self._where())
        self.shared_content = None

    def content(self, key: bytes | None, viewer: User) -> dict[str, Any]:
        """Return the content for VIEWER; only the author opens a private entry."""
        if self.is_shared and self.shared_content is not None:
            return dict(self.shared_content)
        if viewer.pk != self.author_id:
            raise Refused(_("This entry is private."), status=404)
        if key is None:
            raise KeyLocked()
        try:
            return dict(json.loads(unseal(key, self.sealed or b"", self._where())))
        except SealError as e:
            raise Refused(
                _(
                    "This entry was locked with a key that no longer opens: it was "
                    "written before a password reset without the recovery code."
                ),
                status=410,
            ) from e

    def share(self, key: bytes | None, by: User) -> None:
        if by.pk != self.author_id:
            raise Refused(_("Only the person who wrote this can share it."), status=403)
        if self.is_shared:
            return
        content = self.content(key, by)
        self.is_shared = True
        self.shared_at = timezone.now()
        self.set_content(key, content)

    def set_shared(self, key: bytes | None, by: User, *, share: bool) -> dict[str, Any]:
        """Share or make private again (author only), save, and return the content."""
        if share:
            self.share(key, by)
        else:
            self.unshare(key, by)
        self.save()
        if not share:
            scrub_after_commit()
        return self.content(key, by)

    def unshare(self, key: bytes | None, by: User) -> None:
        if by.pk != self.author_id:
            raise Refused(
                _("Only the person who wrote this can make it private."), status=403
            )
        if not self.is_shared:
            return
        if key is None:
            raise KeyLocked()
        content = self.content(key, by)
        self.is_shared = False
        self.shared_at = None
        self.set_content(key, content)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        scrub_after_commit()
        return deleted


# Any kind of private entry. Bound to the class itself, defined above: P binds only
# models.Model because a forward reference to PrivateContent crashed mypy.
E = TypeVar("E", bound=PrivateContent)


class MutualRevealQuerySet(PrivateContentQuerySet[P]):
    """Rule (mutual reveal): a partner's shared answer about one occurrence shows only
    once the viewer has shared theirs about the same occurrence, so neither answer
    shapes the other; or at once if its writer chose to show it early. A private
    answer is never shown to anyone but its author.

    Which fields name "the same occurrence" is the model's OCCURRENCE_FIELDS: the day
    of an after-intimacy check-in, or a check-in and its scheduled time.
    """

    def _occurrence(self) -> tuple[str, ...]:
        return tuple(getattr(self.model, "occurrence_fields", ()))

    def _viewer_shared_same(self, user: Any) -> Exists:
        return Exists(
            self.model._default_manager.filter(
                author=user,
                is_shared=True,
                space=OuterRef("space"),
                **{name: OuterRef(name) for name in self._occurrence()},
            )
        )

    def visible_to(self, user: Any) -> Self:
        """Return USER's own answers and their partner's revealed ones."""
        return self.for_member(user).filter(
            (Q(author=user) & Q(is_deleted=False))
            | (
                Q(is_shared=True)
                & (Q(is_shown_early=True) | self._viewer_shared_same(user))
            )
        )

    def mine(self, user: Any) -> Self:
        return super().mine(user).filter(is_deleted=False)

    def withdrawn_for(self, user: Any) -> "models.QuerySet[P, Any]":
        """Return (occurrence, author name, when) of the partner's withdrawn answers.

        Only those withdrawn after they had opened USER's: the partner read USER's
        answers, so USER is told rather than left with a silent gap.
        """
        fields = self._occurrence()
        return (
            self.for_member(user)
            .exclude(author=user)
            .filter(withdrawn_at__isnull=False, is_shared=False)
            .values(*fields, "author__display_name", "withdrawn_at")
            .order_by(*(f"-{name}" for name in fields), "-withdrawn_at")
        )

    def waiting_for(self, user: Any) -> "models.QuerySet[P, Any]":
        """Return (occurrence, author name) of the partner's shared answers not yet
        revealed to USER.

        Metadata only: no code and no content, so nothing of the answers can leak.
        """
        fields = self._occurrence()
        return (
            self.for_member(user)
            .exclude(author=user)
            .filter(is_shared=True, is_shown_early=False)
            .exclude(self._viewer_shared_same(user))
            .values(*fields, "author__display_name")
            .distinct()
            .order_by(*(f"-{name}" for name in fields))
        )


class MutualReveal(PrivateContent):
    """Base for answers two partners give alone about the same occurrence.

    Subclasses set OCCURRENCE_FIELDS, the plain (unsealed) fields that say which
    occurrence an answer is about, so the mutual reveal can match them.
    """

    occurrence_fields: tuple[str, ...] = ()

    # The writer's choice to show a shared answer before the partner has answered.
    is_shown_early = models.BooleanField(default=False)
    # Set when the author made it private or deleted it after it had opened the
    # partner's answer about the same occurrence; the partner sees it as withdrawn.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # A deleted answer that had opened the partner's: the words are gone, the
    # occurrence, author and withdrawn_at stay so the partner sees it was withdrawn.
    is_deleted = models.BooleanField(default=False)

    class Meta:
        abstract = True

    def same_occurrence(self) -> dict[str, Any]:
        """Return the filter for answers about this one's occurrence."""
        fields = (self._meta.get_field(name) for name in self.occurrence_fields)
        return {f.attname: getattr(self, f.attname) for f in fields}  # type: ignore[union-attr]  # concrete fields only

    def has_opened_partners(self) -> bool:
        """Return whether this shared answer reveals the partner's about its occurrence."""
        return (
            self.is_shared
            and type(self)
            ._default_manager.filter(space_id=self.space_id, **self.same_occurrence())
            .filter(is_shared=True)
            .exclude(author_id=self.author_id)
            .exists()
        )

    def content(self, key: bytes | None, viewer: User) -> dict[str, Any]:
        if self.is_deleted:
            return {}
        return super().content(key, viewer)

    def share(self, key: bytes | None, by: User) -> None:
        super().share(key, by)
        self.withdrawn_at = None

    def unshare(self, key: bytes | None, by: User) -> None:
        """Make it private; if it had opened the partner's, they see it withdrawn."""
        if by.pk == self.author_id and (
            self.has_opened_partners() or self.is_shown_early
        ):
            self.withdrawn_at = timezone.now()
        self.is_shown_early = False
        super().unshare(key, by)

    @transaction.atomic
    def remove(self, by: User) -> None:
        """Delete it (author only); if it had opened the partner's, keep a mark.

        Rule: once an answer has revealed the partner's, withdrawing it is shown to
        the partner, so a throwaway answer cannot be used to read theirs unseen.
        """
        if by.pk != self.author_id:
            raise Refused(
                _("Only the person who wrote this can delete it."), status=403
            )
        if not self.has_opened_partners():
            self.delete()
            return
        self.is_deleted = True
        self.is_shared = False
        self.is_shown_early = False
        self.withdrawn_at = timezone.now()
        self.shared_content = None
        self.sealed = None
        self.save()


class SpaceKey(models.Model):
    """The couple key, sealed to one partner's public key.

    Used only where Mend must compute from both partners' answers (the yes/no/maybe
    inventory). The database alone opens nothing; a partner who hosts the server and
    holds their own key could in principle read what is sealed under it.
    """

    space = models.ForeignKey(Space, models.CASCADE, related_name="+")
    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"], name="one_couple_key_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"couple key of {self.user} in {self.space}"

    @staticmethod
    def _where(space: Space, user: User) -> str:
        return f"spacekey:{space.code}:{user.code}"

    @classmethod
    @transaction.atomic
    def for_partner(cls, space: Space, user: User, key: bytes | None) -> bytes:
        """Return the couple key of SPACE, opened by USER with their data KEY.

        The first partner to need it creates it; whoever holds it seals it to a
        partner who has no copy yet, so nobody has to be online at the same time.
        """
        if key is None:
            raise KeyLocked()
        Space.objects.select_for_update().filter(pk=space.pk).first()
        partners = space.partners()
        rings = {r.user_id: r for r in Keyring.objects.filter(user__in=partners)}
        copies = {k.user_id: k for k in cls.objects.filter(space=space)}
        mine = copies.get(user.pk)
        if mine is None and copies:
            raise Refused(
                _(
                    "Your partner needs to open this page once before your shared "
                    "answers can be compared."
                ),
                status=409,
            )
        if mine is None:
            couple_key = new_key()
        else:
            try:
                private = rings[user.pk].private_key(key)
                couple_key = unseal_from(private, mine.wrapped, cls._where(space, user))
            except SealError as e:
                # After a reset without the recovery code, the old copy no longer opens.
                raise Refused(
                    _(
                        "Your copy of the key you share with your partner can't be "
                        "opened any more (after a password reset without the recovery "
                        "code). Your shared answers stay sealed."
                    ),
                    status=409,
                ) from e
        for partner in partners:
            if partner.pk not in copies and partner.pk in rings:
                cls.objects.create(
                    space=space,
                    user=partner,
                    wrapped=seal_to(
                        bytes(rings[partner.pk].public_key),
                        couple_key,
                        cls._where(space, partner),
                    ),
                )
        return couple_key


def seal_with(couple_key: bytes, value: str, where: str) -> bytes:
    return seal(couple_key, value.encode(), where)


def unseal_with(couple_key: bytes, sealed: bytes, where: str) -> str:
    return unseal(couple_key, sealed, where).decode()


class AccessLogQuerySet(SpaceOwnedQuerySet["AccessLog"]):
    def recent(self, viewer: User, codes: list[uuid.UUID]) -> "AccessLogQuerySet":
        """Return VIEWER's views of CODES within VIEW_WINDOW (served by an index)."""
        return self.filter(
            viewer=viewer,
            object_code__in=codes,
            viewed_at__gte=timezone.now() - VIEW_WINDOW,
        )


class AccessLog(SpaceOwned):
    """One view by a partner or counselor of something another person wrote."""

    class Role(models.TextChoices):
        PARTNER = "partner", gettext_lazy("partner")
        COUNSELOR = "counselor", gettext_lazy("counselor")

    viewer = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    viewer_name = models.CharField(max_length=60)
    viewer_role = models.CharField(
        max_length=10, choices=Role.choices, default=Role.PARTNER
    )
    author = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=60)
    object_code = models.UUIDField()
    viewed_at = models.DateTimeField(default=timezone.now)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["space", "-viewed_at"]),
            # record_views' check for a repeat, run on every view of a partner's entry.
            models.Index(
                fields=["viewer", "object_code", "viewed_at"],
                name="access_log_repeat_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_name} viewed {self.kind}"


# Repeated opens of the same thing in a short while (a page refresh) are one view.
VIEW_WINDOW = timedelta(minutes=10)


def in_english(words: StrOrPromise) -> str:
    """Return WORDS (marked for translation) as written in the source, in English."""
    with translation.override("en"):
        return str(words)


def record_views(
    viewer: User,
    items: list[tuple[int, int | None, uuid.UUID]],
    kind: StrOrPromise,
    role: str = AccessLog.Role.PARTNER,
) -> None:
    """Log that VIEWER opened ITEMS, each (space id, author id, object code).

    The author's own views are not logged; neither is a repeat within VIEW_WINDOW.
    Two queries however many items there are.
    """
    others = [item for item in items if item[1] != viewer.pk]
    if not others:
        return
    recent = set(
        AccessLog.objects.recent(viewer, [code for _s, _a, code in others]).values_list(
            "object_code", flat=True
        )
    )
    AccessLog.objects.bulk_create(
        AccessLog(
            space_id=space_id,
            viewer=viewer,
            viewer_name=str(viewer)[:60],
            viewer_role=role,
            author_id=author_id,
            # Kept in English, the words' msgid: each reader sees them in their own language.
            kind=in_english(kind)[:60],
            object_code=code,
        )
        for space_id, author_id, code in others
        if code not in recent
    )


def record_view(
    viewer: User, obj: SpaceOwned, author_id: int | None, kind: StrOrPromise
) -> None:
    """Log that VIEWER opened OBJ, written by AUTHOR_ID (reports, answers, ...)."""
    record_views(viewer, [(obj.space_id, author_id, obj.code)], kind)


# API lists name how many of the caller's own private entries they could not open.
LEFT_OUT_HEADER = "Mend-Private-Left-Out"


def open_entries_counting(
    entries: list[E], viewer: User, key: bytes | None, kind: StrOrPromise
) -> tuple[list[tuple[E, dict[str, Any]]], int]:
    """Return each entry with its content for VIEWER, and how many were locked.

    The one way any feature reads entries someone else may have written; views of
    others' entries are logged. Entries that cannot be opened (private to someone
    else, or locked) are left out; the count is of VIEWER's own locked ones only.
    """
    opened: list[tuple[E, dict[str, Any]]] = []
    locked = 0
    for entry in entries:
        try:
            opened.append((entry, entry.content(key, viewer)))
        except KeyLocked:
            locked += 1
        except Refused:
            continue
    record_views(viewer, [(e.space_id, e.author_id, e.code) for e, _c in opened], kind)
    return opened, locked


def open_entries(
    entries: list[E], viewer: User, key: bytes | None, kind: StrOrPromise
) -> list[tuple[E, dict[str, Any]]]:
    """Return each entry with its content for VIEWER (see open_entries_counting)."""
    return open_entries_counting(entries, viewer, key, kind)[0]


def open_entry(
    entry: E, viewer: User, key: bytes | None, kind: StrOrPromise
) -> dict[str, Any]:
    """Return ENTRY's content for VIEWER (or raise Refused), logging the view."""
    content = entry.content(key, viewer)
    record_views(viewer, [(entry.space_id, entry.author_id, entry.code)], kind)
    return content
