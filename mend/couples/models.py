import hashlib
import uuid
from datetime import timedelta
from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User
from mend.lib import broker
from mend.lib.crypto import new_code, normalise_code

M = TypeVar("M", bound=models.Model)


def _is_person(user: Any) -> bool:
    return isinstance(user, User) and user.is_authenticated


class SpaceQuerySet(models.QuerySet["Space"]):
    def for_member(self, user: Any) -> "SpaceQuerySet":
        """Return the spaces USER is an active partner of (at most one)."""
        if not _is_person(user):
            return self.none()
        return self.filter(memberships__user=user, memberships__left_at__isnull=True)


class Space(models.Model):
    """One couple's shared area: everything a couple writes belongs to one."""

    class Roles(models.TextChoices):
        UNSAID = "unsaid", _("We'd rather not say")
        ONE = "one", _("One of us")
        BOTH = "both", _("Both of us")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name of your space"), max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Used only for gentle defaults and wording; never shown as a label of blame.
    roles = models.CharField(max_length=10, choices=Roles.choices, default=Roles.UNSAID)
    hurt_partner_joins_later = models.BooleanField(default=False)

    objects = SpaceQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name or str(self.code)

    def active_memberships(self) -> list["Membership"]:
        # Uses the prefetch from with_partners() when there is one.
        return [m for m in self.memberships.all() if m.left_at is None]

    def partners(self) -> list[User]:
        return [
            m.user for m in sorted(self.active_memberships(), key=lambda m: m.joined_at)
        ]

    def partner_of(self, user: User) -> User | None:
        return next((p for p in self.partners() if p.pk != user.pk), None)

    def former_partners(self) -> list["Membership"]:
        """Return the memberships of partners who left, for a neutral notice."""
        return sorted(
            (m for m in self.memberships.all() if m.left_at is not None),
            key=lambda m: m.left_at or m.joined_at,
        )

    def is_full(self) -> bool:
        return len(self.active_memberships()) >= 2

    def hurt_partner(self) -> User | None:
        """Return whose trust was broken, when the couple said it was one of them."""
        if self.roles != self.Roles.ONE:
            return None
        return next(
            (m.user for m in self.active_memberships() if m.is_hurt_partner), None
        )

    def set_roles(self, by: User, answer: str) -> None:
        """Record the answer to "whose trust was broken?" as seen by BY."""
        memberships = self.active_memberships()
        if answer == "mine":
            self.roles = self.Roles.ONE
            hurt = {by.pk}
        elif answer == "theirs":
            self.roles = self.Roles.ONE
            hurt = {m.user_id for m in memberships if m.user_id != by.pk}
        else:
            self.roles = self.Roles.BOTH if answer == "both" else self.Roles.UNSAID
            hurt = set()
        # Said before the partner joined: they are marked when they join.
        self.hurt_partner_joins_later = self.roles == self.Roles.ONE and not hurt
        self.save(update_fields=["roles", "hurt_partner_joins_later"])
        for m in memberships:
            m.is_hurt_partner = m.user_id in hurt
            m.save(update_fields=["is_hurt_partner"])

    def roles_answer_for(self, user: User) -> str:
        if self.roles == self.Roles.ONE:
            hurt = self.hurt_partner()
            if hurt is not None and hurt.pk == user.pk:
                return "mine"
            return "theirs"
        return "both" if self.roles == self.Roles.BOTH else "unsaid"


class SpaceOwnedQuerySet(models.QuerySet[M]):
    """The one scoping helper: every couple-owned query starts from for_member."""

    def for_member(self, user: Any) -> Self:
        if not _is_person(user):
            return self.none()
        return self.filter(
            space__memberships__user=user, space__memberships__left_at__isnull=True
        )


class SpaceOwned(models.Model):
    """Base for every record a couple writes: it belongs to one space."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Membership(models.Model):
    space = models.ForeignKey(Space, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    is_hurt_partner = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(left_at__isnull=True),
                name="one_active_space_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.space}"

    def leave(self) -> None:
        """End this partner's membership now; no consent from anyone else is needed."""
        if self.left_at is None:
            self.left_at = timezone.now()
            self.save(update_fields=["left_at"])
            # Their open live streams end at once, as a sign-out's do.
            broker.wake_streams_of(self.user_id)

    def shown_name(self) -> str:
        return self.user.display_name or str(_("Your partner"))


def hash_invite_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


class InviteQuerySet(models.QuerySet["Invite"]):
    def for_member(self, user: Any) -> "InviteQuerySet":
        return self.filter(space__in=Space.objects.for_member(user))

    def open(self) -> "InviteQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invite(models.Model):
    """A single-use way in for the partner; only the code's hash is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, models.CASCADE, related_name="invites")
    created_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InviteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"invite to {self.space}"

    @classmethod
    def issue(cls, space: Space, by: User) -> tuple["Invite", str]:
        """Return a new invite and its short code; earlier open invites stop working."""
        now = timezone.now()
        cls.objects.filter(space=space).open().update(expires_at=now)
        secret = new_code(groups=2, size=5)
        invite = cls.objects.create(
            space=space,
            created_by=by,
            code_hash=hash_invite_code(secret),
            created_at=now,
            expires_at=now + timedelta(hours=settings.INVITE_HOURS),
        )
        return invite, secret

    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
