"""A counselor: admitted by both partners, removed by either, sees only what both choose.

Rules enforced here:
- Anyone may say they are a counselor (Counselor, a flag on their account); that
  alone opens nothing. A counselor reads a couple only through an Admission that
  both active partners approved, each in words they typed (consent's affirmation
  rule), and that neither has ended. Admission.objects.serving(user) is the one
  scoping helper for the counselor's side: a removed counselor's next request is 404.
- Either partner removes the counselor alone, at once.
- A scope (a capability) is on only while both partners say yes; either saying no
  turns it off, clearing both yeses, so turning it on again needs both again.
- Private entries and the yes / no / maybe inventory are never readable here: the
  counselor reads only shared words (stored readable for the partner already) and
  is never handed the couple key or a partner's key (docs/security.md).
- With conversation records on, the counselor may follow a conversation live as a
  witness (reading.witnessed); removal, or either partner turning that scope off,
  wakes the counselor's open streams so they end at once (broker CHECK).
"""

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.consent.models import is_affirmation
from mend.couples.models import (
    Membership,
    Space,
    SpaceOwned,
    SpaceOwnedQuerySet,
    hash_invite_code,
)
from mend.lib import broker
from mend.lib.crypto import new_code
from mend.lib.errors import Refused, check_encodable

MAX_PRACTICE = 120


class Scope(models.TextChoices):
    AGREEMENTS = "agreements", gettext_lazy("Agreements and their history")
    REPORTS = "reports", gettext_lazy("Reports and repairs")
    CONVERSATIONS = "conversations", gettext_lazy("Conversation records")
    CHECKINS = "checkins", gettext_lazy("Shared check-in answers")
    COMMITMENTS = "commitments", gettext_lazy("Commitments and progress")
    JOURNAL = "journal", gettext_lazy("Shared journal entries")


def offered_scopes() -> list[str]:
    """Return the scopes a couple can turn on: those the counselor's pages can show."""
    return list(Scope.values)


class Counselor(models.Model):
    """Someone who said they are a counselor. One counselor serves many couples."""

    user = models.OneToOneField(User, models.CASCADE, related_name="counselor")
    practice = models.CharField(max_length=MAX_PRACTICE, blank=True)
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"counselor {self.user}"

    @classmethod
    def become(cls, user: User, practice: str = "") -> "Counselor":
        practice = check_encodable((practice or "").strip())
        if len(practice) > MAX_PRACTICE:
            raise Refused(
                _(
                    "The practice name can be at most %(max)d characters (this has %(n)d)."
                )
                % {"max": MAX_PRACTICE, "n": len(practice)}
            )
        found, _created = cls.objects.update_or_create(
            user=user, defaults={"practice": practice}
        )
        return found

    @staticmethod
    def is_counselor(user: Any) -> bool:
        return bool(
            isinstance(user, User)
            and user.is_authenticated
            and Counselor.objects.filter(user=user).exists()
        )


class CounselorInviteQuerySet(models.QuerySet["CounselorInvite"]):
    def open(self) -> "CounselorInviteQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class CounselorInvite(models.Model):
    """A single-use way in for a counselor; as with partner invites, only the hash."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = CounselorInviteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"counselor invite to {self.space}"

    @classmethod
    def issue(cls, space: Space, by: User) -> tuple["CounselorInvite", str]:
        """Return a new invite and its code; the couple's earlier open ones stop."""
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


class AdmissionQuerySet(SpaceOwnedQuerySet["Admission"]):
    def current(self) -> "AdmissionQuerySet":
        return self.filter(removed_at__isnull=True)

    def serving(self, user: Any) -> "AdmissionQuerySet":
        """Return the couples USER counsels now: both approved, neither removed.

        The counselor's one scoping helper; a removed counselor gets none.
        """
        if not (isinstance(user, User) and user.is_authenticated):
            return self.none()
        return self.filter(
            counselor=user, admitted_at__isnull=False, removed_at__isnull=True
        ).with_details()

    def with_details(self) -> "AdmissionQuerySet":
        return self.select_related("space", "counselor").prefetch_related(
            "space__memberships__user", "approvals__partner", "scope_yeses"
        )


class Admission(SpaceOwned):
    """A counselor's place with one couple, from the invite's use to removal."""

    counselor = models.ForeignKey(User, models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    admitted_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "Since the last session": set when the counselor says a session was held.
    last_session_at = models.DateTimeField(null=True, blank=True)

    objects = AdmissionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "counselor"],
                condition=Q(removed_at__isnull=True),
                name="one_current_admission_per_counselor_and_couple",
            )
        ]

    def __str__(self) -> str:
        return f"{self.counselor} for {self.space}"

    def since(self) -> Any:
        return self.last_session_at or self.admitted_at or self.created_at

    def partner_ids(self) -> set[int]:
        return {p.pk for p in self.space.partners()}

    def approved_by(self) -> set[int]:
        return {a.partner_id for a in self.approvals.all()}

    def is_admitted(self) -> bool:
        return self.admitted_at is not None and self.removed_at is None

    def status_label(self) -> str:
        if self.removed_at is not None:
            return str(gettext_lazy("Removed"))
        if self.admitted_at is not None:
            return str(gettext_lazy("Admitted by you both"))
        return str(gettext_lazy("Waiting for both of you to approve"))

    def scopes_on(self) -> set[str]:
        """Return the capabilities both current partners said yes to."""
        partners = self.partner_ids()
        yes: dict[str, set[int]] = {}
        for row in self.scope_yeses.all():
            yes.setdefault(row.scope, set()).add(row.partner_id)
        return {
            scope
            for scope, who in yes.items()
            if len(partners) == 2 and partners <= who
        }

    def scope_rows(self, viewer: User) -> list[dict[str, Any]]:
        """Return each scope with whether it is on and whether VIEWER said yes."""
        on = self.scopes_on()
        mine = {r.scope for r in self.scope_yeses.all() if r.partner_id == viewer.pk}
        return [
            {
                "value": value,
                "label": label,
                "is_on": value in on,
                "said_yes": value in mine,
            }
            for value, label in Scope.choices
            if value in offered_scopes()
        ]

    def _check_partner(self, by: User) -> None:
        if by.pk not in self.partner_ids():
            raise Refused(
                _("Only the two partners of this couple decide about their counselor."),
                status=404,
            )
        if self.removed_at is not None:
            raise Refused(_("This counselor was removed."), status=409)

    @transaction.atomic
    def approve(self, by: User, words: str) -> None:
        """Record BY's approval in words BY typed; both approvals admit the counselor."""
        Admission.objects.select_for_update().filter(pk=self.pk).first()
        self.refresh_from_db()
        self._check_partner(by)
        if Approval.objects.filter(admission=self, partner=by).exists():
            raise Refused(_("You have already approved this counselor."), status=409)
        if not is_affirmation(words):
            raise Refused(
                _(
                    'To approve, please type "I agree". If you are not sure, you '
                    "can simply leave it, or remove the counselor."
                )
            )
        Approval.objects.create(admission=self, partner=by, words=words.strip()[:60])
        approved = set(
            Approval.objects.filter(admission=self).values_list("partner_id", flat=True)
        )
        partners = self.partner_ids()
        if len(partners) == 2 and partners <= approved:
            self.admitted_at = timezone.now()
            self.save(update_fields=["admitted_at"])

    @transaction.atomic
    def remove(self, by: User) -> None:
        """End the counselor's access now; either partner alone may."""
        self._check_partner(by)
        self.removed_at = timezone.now()
        self.removed_by = by
        self.save(update_fields=["removed_at", "removed_by"])
        ScopeYes.objects.filter(admission=self).delete()
        # An open witness stream asks again now, and ends.
        broker.wake_streams_of(self.counselor_id)

    @transaction.atomic
    def set_scope(self, by: User, scope: str, *, on: bool) -> None:
        """BY says yes or no to SCOPE; a no from either turns it off for both."""
        self._check_partner(by)
        if scope not in offered_scopes():
            raise Refused(_("There is no such thing to share with a counselor."))
        if on:
            ScopeYes.objects.get_or_create(admission=self, partner=by, scope=scope)
        else:
            ScopeYes.objects.filter(admission=self, scope=scope).delete()
            broker.wake_streams_of(self.counselor_id)

    def mark_session(self, by: User) -> None:
        if by.pk != self.counselor_id:
            raise Refused(_("Only the counselor marks a session."), status=404)
        self.last_session_at = timezone.now()
        self.save(update_fields=["last_session_at"])


class Approval(models.Model):
    """One partner's yes to a counselor, in the words they typed."""

    admission = models.ForeignKey(Admission, models.CASCADE, related_name="approvals")
    partner = models.ForeignKey(User, models.CASCADE, related_name="+")
    words = models.CharField(max_length=60)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "partner"], name="one_approval_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"approval by {self.partner_id}"


class ScopeYes(models.Model):
    """One partner's yes to letting the counselor see one capability."""

    admission = models.ForeignKey(Admission, models.CASCADE, related_name="scope_yeses")
    partner = models.ForeignKey(User, models.CASCADE, related_name="+")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "partner", "scope"], name="one_yes_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} yes by {self.partner_id}"


def witnesses_of_space(space_id: int) -> list[str]:
    """Return the names of the counselors who may witness SPACE_ID's conversations:
    admitted, not removed, and both current partners said yes to conversation
    records. One query: the partners' conversation page says it on every load.

    Registered with conversations.models.on_witnesses (counselor/apps.py).
    """
    partners = Membership.objects.filter(
        space_id=space_id, left_at__isnull=True
    ).values("user")
    admissions = (
        Admission.objects.filter(
            space_id=space_id, admitted_at__isnull=False, removed_at__isnull=True
        )
        .annotate(
            yeses=Count(
                "scope_yeses",
                filter=Q(
                    scope_yeses__scope=Scope.CONVERSATIONS,
                    scope_yeses__partner__in=partners,
                ),
            )
        )
        .filter(yeses=2)
        .select_related("counselor")
        .order_by("pk")
    )
    return [str(a.counselor) for a in admissions]
