"""Living agreements: boundaries both partners affirm, revisit and repair.

Rules enforced here:
- An agreement item changes only by both: one proposes wording, the other affirms it
  in explicit words, the proposer confirms the final wording. Until then the earlier
  wording stays in force.
- Nothing is overwritten or deleted: every version, event, report and repair stays.
  Retiring an item needs both partners, and the record stays.
- The state (proposed, active, revision pending, reopened, retirement proposed,
  retired) is derived from the versions and dates, never stored twice.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.consent.models import Wording, WordingQuerySet
from mend.couples.models import Space, SpaceOwned, SpaceOwnedQuerySet
from mend.lib.agenda import CalendarItem
from mend.lib.crypto import SealError
from mend.lib.dates import (
    BoundedDateField,
    BoundedDateTimeField,
    check_day,
    check_moment,
)
from mend.lib.errors import Refused
from mend.lib.pace import check_pace
from mend.live.actions import record_event
from mend.live.models import Event
from mend.notify.models import Reminder, notify_on_commit
from mend.privacy.export import entry, moment
from mend.privacy.models import KeyLocked, SpaceKey, record_views, unseal_with

MAX_TEXT = 2_000
MAX_WHY = 2_000
DEFAULT_REVIEW_DAYS = 30
MAX_REVIEW_DAYS = 365
# Per person, per minute (docs/security.md): more than anyone writes by hand (#10).
REPORTS_PER_MINUTE = 5
ITEMS_PER_MINUTE = 10
# How reports and repairs are named in the access log.
REPORT_KIND = gettext_lazy("crossed-boundary report")
REPAIR_KIND = gettext_lazy("repair")
ROUND_KIND = gettext_lazy("repair step")
SWEEP_KIND = gettext_lazy("yes / no / maybe overlaps, after changing many answers")


def clean_text(value: str, label: str, *, required: bool = True) -> str:
    """Return VALUE trimmed, or raise Refused when it is empty or too long."""
    value = (value or "").strip()
    if required and not value:
        raise Refused(
            _("Please write the %(label)s in a few words.") % {"label": label}
        )
    if len(value) > MAX_TEXT:
        raise Refused(
            _("The %(label)s can be at most %(max)d characters (this one has %(n)d).")
            % {"label": label, "max": MAX_TEXT, "n": len(value)}
        )
    return value


class Category(models.TextChoices):
    DATING = "dating", gettext_lazy("Dating and contact with others")
    MESSAGES = "messages", gettext_lazy("Sexting and messages")
    TOUCH = "touch", gettext_lazy("Physical touch")
    TECHNOLOGY = "technology", gettext_lazy("Technology and devices")
    SOCIAL = "social", gettext_lazy("Social situations")
    MONEY = "money", gettext_lazy("Money")
    DISCLOSURES = "disclosures", gettext_lazy("Disclosures")
    # A new couple's first agreement (mend/home's first run): how either stops a talk.
    PAUSE = "pause", gettext_lazy("Pausing when it gets too much")
    OTHER = "other", gettext_lazy("Other")


class Circle(models.TextChoices):
    NONE = "", gettext_lazy("No circle")
    INNER = "inner", gettext_lazy("Inner circle: behaviours to stop")
    MIDDLE = "middle", gettext_lazy("Middle circle: warning signs")
    OUTER = "outer", gettext_lazy("Outer circle: healthy behaviours")


class State(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("Proposed")
    ACTIVE = "active", gettext_lazy("In force")
    REVISION = "revision", gettext_lazy("In force, a change is proposed")
    REOPENED = "reopened", gettext_lazy("In force, being revisited")
    RETIREMENT = "retirement", gettext_lazy("In force, retiring it is proposed")
    RETIRED = "retired", gettext_lazy("Retired")


class AgreementQuerySet(SpaceOwnedQuerySet["Agreement"]):
    def with_versions(self) -> "AgreementQuerySet":
        return self.select_related(
            "reopened_by", "retirement_proposed_by", "retired_by"
        ).prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.select_related(
                    "proposed_by", "affirmed_by"
                ).order_by("number"),
            )
        )

    def with_live_versions(self) -> "AgreementQuerySet":
        """Prefetch only the wordings not replaced: the one in force and one waiting.

        Lists need no history, so their cost stays flat however many times an item
        was reworded (#12). Every item has at least one such wording.
        """
        return self.select_related(
            "reopened_by", "retirement_proposed_by", "retired_by"
        ).prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.filter(superseded_at__isnull=True)
                .select_related("proposed_by", "affirmed_by")
                .order_by("number"),
                to_attr="live_versions",
            )
        )

    def current(self) -> "AgreementQuerySet":
        return self.filter(retired_at__isnull=True)

    def retired(self) -> "AgreementQuerySet":
        return self.filter(retired_at__isnull=False)

    def due(self, today: date) -> "AgreementQuerySet":
        """Return items in force whose review date has come, or that were reopened.

        Each carries the wording in force as active_text, in the same query.
        """
        in_force = AgreementVersion.objects.filter(
            agreement=OuterRef("pk"), confirmed_at__isnull=False
        ).order_by("-number")
        return (
            self.current()
            .filter(Q(review_on__lte=today) | Q(reopened_at__isnull=False))
            .annotate(active_text=Subquery(in_force.values("text")[:1]))
            .filter(active_text__isnull=False)
            .order_by("review_on", "created_at")
        )


class Agreement(SpaceOwned):
    """One agreement item; its words live in its versions."""

    category = models.CharField(max_length=20, choices=Category.choices)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    review_every_days = models.PositiveSmallIntegerField(default=DEFAULT_REVIEW_DAYS)
    review_on = BoundedDateField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retirement_proposed_at = models.DateTimeField(null=True, blank=True)
    retirement_proposed_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["space", "review_on"])]

    def __str__(self) -> str:
        return f"agreement {self.code}"

    # Reading: these use the prefetch from with_versions() or with_live_versions()
    # when there is one, and work each answer out once per prefetch (#12).

    def all_versions(self) -> list["AgreementVersion"]:
        return sorted(self.versions.all(), key=lambda v: v.number)

    def _live(
        self,
    ) -> tuple[
        "AgreementVersion | None", "AgreementVersion | None", "AgreementVersion"
    ]:
        """Return (the wording in force, the one waiting, the one shown)."""
        source: Any = self.__dict__.get("live_versions")
        if source is None:
            source = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        memo = self.__dict__.get("_live_memo")
        if source is not None and memo is not None and memo[0] is source:
            return memo[1]  # type: ignore[no-any-return]  # set just below
        versions = (
            sorted(source, key=lambda v: v.number)
            if isinstance(source, list)
            else self.all_versions()
        )
        active = next(
            (v for v in reversed(versions) if v.confirmed_at is not None), None
        )
        pending = next(
            (
                v
                for v in reversed(versions)
                if v.confirmed_at is None and v.superseded_at is None
            ),
            None,
        )
        answer = (active, pending, active or pending or versions[-1])
        if source is not None:
            self.__dict__["_live_memo"] = (source, answer)
        return answer

    def active_version(self) -> "AgreementVersion | None":
        return self._live()[0]

    def live(self) -> list["AgreementVersion"]:
        """Return the wording in force and the one waiting, those that exist, oldest first."""
        active, pending, _shown = self._live()
        return [v for v in (active, pending) if v is not None]

    def pending_version(self) -> "AgreementVersion | None":
        """Return the wording waiting for both partners, if any."""
        return self._live()[1]

    def shown_version(self) -> "AgreementVersion":
        return self._live()[2]

    @property
    def text(self) -> str:
        return self.shown_version().text

    @property
    def circle(self) -> str:
        return self.shown_version().circle

    def circle_label(self) -> str:
        return str(Circle(self.circle).label) if self.circle else ""

    @property
    def state(self) -> State:
        if self.retired_at is not None:
            return State.RETIRED
        if self.active_version() is None:
            return State.PROPOSED
        if self.retirement_proposed_at is not None:
            return State.RETIREMENT
        if self.pending_version() is not None:
            return State.REVISION
        if self.reopened_at is not None:
            return State.REOPENED
        return State.ACTIVE

    def state_label(self) -> str:
        return str(self.state.label)

    def is_in_force(self) -> bool:
        return self.retired_at is None and self.active_version() is not None

    def is_due(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_in_force() and (
            self.reopened_at is not None
            or (self.review_on is not None and self.review_on <= today)
        )

    def category_label(self) -> str:
        return str(Category(self.category).label)

    export_kind = gettext_lazy("Agreements")

    @classmethod
    def export_entries(
        cls, user: User, key: bytes | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the wordings USER proposed and the words they affirmed with.

        A wording the partner proposed is theirs, so only the affirmation is here.
        """
        versions = (
            AgreementVersion.objects.filter(Q(proposed_by=user) | Q(affirmed_by=user))
            .select_related("agreement")
            .order_by("agreement__created_at", "agreement_id", "number")
        )
        entries = []
        for v in versions:
            title = v.agreement.category_label()
            if v.proposed_by_id == user.pk:
                entries.append(
                    entry(
                        user,
                        title=title,
                        at=v.proposed_at,
                        fields={
                            _("Wording"): v.text,
                            _("Why it matters"): v.why,
                            _("Circle"): Circle(v.circle).label if v.circle else "",
                            _("Version"): v.number,
                            _("Where it stands"): v.status_label(),
                        },
                    )
                )
            if v.affirmed_by_id == user.pk:
                entries.append(
                    entry(
                        user,
                        title=_("Your affirmation: %(item)s") % {"item": title},
                        at=v.affirmed_at,
                        fields={
                            _("Your words"): v.affirmation_words,
                            _("Version"): v.number,
                        },
                    )
                )
        return entries, []

    # Writing: each verb locks the row, checks, changes, and records an event.

    def _lock(self) -> None:
        """Lock this agreement and reload it, so two partners cannot race a change."""
        fresh = Agreement.objects.select_for_update().get(pk=self.pk)
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("versions", None)
        self.__dict__.pop("live_versions", None)

    def _refuse_if_retired(self) -> None:
        if self.retired_at is not None:
            raise Refused(
                _("This agreement was retired; its record stays but it can't change."),
                status=409,
            )

    def _event(
        self,
        kind: str,
        by: User | None,
        version: "AgreementVersion | None" = None,
        note: str = "",
    ) -> "AgreementEvent":
        event = AgreementEvent.objects.create(
            space_id=self.space_id,
            agreement=self,
            kind=kind,
            by=by,
            version=version,
            note=note[:200],
        )
        partner = (
            self.space.partner_of(by)
            if kind in AgreementEvent.WAITING and by is not None
            else None
        )
        if by is not None:
            # Open pages (home's "Waiting for you") follow it live; no words travel.
            record_event(self.space_id, by, Event.Types.AGREEMENT, self.code, kind)
        if partner is not None:
            # Reaches the partner's locked phone only if they turned Web Push on.
            key = f"agreement:{self.code}:{event.pk}"
            notify_on_commit(Reminder(user=partner, topic="waiting", key=key, path="/"))
        return event

    @classmethod
    @transaction.atomic
    def propose(
        cls,
        space: Space,
        by: User,
        *,
        category: str,
        text: str,
        why: str = "",
        circle: str = "",
        review_every_days: int = DEFAULT_REVIEW_DAYS,
    ) -> "Agreement":
        """Return a new agreement item with its first wording, proposed by BY."""
        if category not in Category.values:
            raise Refused(_("Please choose one of the categories."))
        if circle not in Circle.values:
            raise Refused(_("Please choose one of the circles, or none."))
        text = clean_text(text, _("agreement"))
        why = clean_text(why, _("why it matters"), required=False)
        _check_every(review_every_days)
        agreement = cls.objects.create(
            space=space,
            category=category,
            created_by=by,
            review_every_days=review_every_days,
        )
        version = AgreementVersion.objects.create(
            space=space,
            agreement=agreement,
            number=1,
            text=text,
            why=why,
            circle=circle,
            proposed_by=by,
        )
        agreement._event(AgreementEvent.Kind.PROPOSED, by, version)
        return agreement

    @transaction.atomic
    def propose_edit(
        self, by: User, text: str, why: str = "", circle: str | None = None
    ) -> "AgreementVersion":
        """Propose new wording; the wording in force stays until both agree on it.

        A proposal still waiting is replaced (and kept in the history as replaced).
        """
        text = clean_text(text, _("agreement"))
        why = clean_text(why, _("why it matters"), required=False)
        if circle is not None and circle not in Circle.values:
            raise Refused(_("Please choose one of the circles, or none."))
        self._lock()
        self._refuse_if_retired()
        versions = list(self.versions.order_by("number"))
        now = timezone.now()
        self.versions.waiting().update(superseded_at=now)
        version = AgreementVersion.objects.create(
            space_id=self.space_id,
            agreement=self,
            number=versions[-1].number + 1 if versions else 1,
            text=text,
            why=why,
            circle=versions[-1].circle if circle is None and versions else circle or "",
            proposed_by=by,
            proposed_at=now,
        )
        self._event(AgreementEvent.Kind.EDIT_PROPOSED, by, version)
        return version

    @transaction.atomic
    def reopen(self, by: User) -> None:
        """Mark the item as needing a conversation; it stays in force meanwhile."""
        self._lock()
        self._refuse_if_retired()
        if not self.versions.filter(confirmed_at__isnull=False).exists():
            raise Refused(
                _("There is nothing to revisit yet: this item hasn't been agreed."),
                status=409,
            )
        if self.reopened_at is not None:
            return
        self.reopened_at = timezone.now()
        self.reopened_by = by
        self.save(update_fields=["reopened_at", "reopened_by"])
        self._event(AgreementEvent.Kind.REOPENED, by)

    @transaction.atomic
    def set_review(self, by: User, review_on: date | None, every_days: int) -> None:
        _check_every(every_days)
        if review_on is not None and check_day(review_on) < timezone.localdate():
            raise Refused(_("Please choose a review date from today onwards."))
        self._lock()
        self._refuse_if_retired()
        self.review_every_days = every_days
        if review_on is not None:
            self.review_on = review_on
        self.save(update_fields=["review_every_days", "review_on"])
        self._event(
            AgreementEvent.Kind.REVIEW_SET,
            by,
            note=self.review_on.isoformat() if self.review_on else "",
        )

    @transaction.atomic
    def propose_retirement(self, by: User) -> None:
        self._lock()
        self._refuse_if_retired()
        if self.retirement_proposed_at is not None:
            raise Refused(_("Retiring this item is already proposed."), status=409)
        self.retirement_proposed_at = timezone.now()
        self.retirement_proposed_by = by
        self.save(update_fields=["retirement_proposed_at", "retirement_proposed_by"])
        self._event(AgreementEvent.Kind.RETIREMENT_PROPOSED, by)

    @transaction.atomic
    def agree_retirement(self, by: User) -> None:
        """Retire the item: the partner who didn't propose it agrees."""
        self._lock()
        self._refuse_if_retired()
        if self.retirement_proposed_at is None:
            raise Refused(_("Nobody has proposed retiring this item."), status=409)
        if self.retirement_proposed_by_id == by.pk:
            raise Refused(
                _("You proposed retiring it; your partner's agreement is needed too."),
                status=409,
            )
        self.retired_at = timezone.now()
        self.retired_by = by
        self.save(update_fields=["retired_at", "retired_by"])
        self._event(AgreementEvent.Kind.RETIRED, by)

    @transaction.atomic
    def withdraw_retirement(self, by: User) -> None:
        """Keep the item: either partner may take a retirement proposal off the table."""
        self._lock()
        self._refuse_if_retired()
        if self.retirement_proposed_at is None:
            raise Refused(_("Nobody has proposed retiring this item."), status=409)
        self.retirement_proposed_at = None
        self.retirement_proposed_by = None
        self.save(update_fields=["retirement_proposed_at", "retirement_proposed_by"])
        self._event(AgreementEvent.Kind.RETIREMENT_WITHDRAWN, by)


def _check_every(days: int) -> None:
    if not 1 <= days <= MAX_REVIEW_DAYS:
        raise Refused(
            _("Please choose a review rhythm between 1 and %(max)d days.")
            % {"max": MAX_REVIEW_DAYS}
        )


class AgreementVersionQuerySet(WordingQuerySet["AgreementVersion"]):
    pass


class AgreementVersion(Wording):
    """One wording of an agreement item, with who proposed and who affirmed it.

    Propose, affirm and confirm are the shared consent rules (mend/consent); this
    adds the words and what coming into force means for an agreement.
    """

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="versions")
    text = models.TextField(max_length=MAX_TEXT)
    why = models.TextField(max_length=MAX_WHY, blank=True)
    circle = models.CharField(
        max_length=10, choices=Circle.choices, blank=True, default=""
    )

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_number_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"version {self.number} of {self.agreement_id}"

    def lock_subject(self) -> None:
        self.agreement._lock()
        self.agreement._refuse_if_retired()

    def own_why(self, user: User) -> str:
        """Return the reason for USER to start an edit from: only ever their own.

        A reason is the words of whoever proposed the wording; a new wording by the
        other partner must not carry it as theirs.
        """
        return self.why if self.proposed_by_id == user.pk else ""

    def come_into_force(self, now: datetime) -> None:
        agreement = self.agreement
        agreement.versions.filter(
            confirmed_at__isnull=False, superseded_at__isnull=True
        ).exclude(pk=self.pk).update(superseded_at=now)
        agreement.reopened_at = None
        agreement.reopened_by = None
        agreement.review_on = timezone.localdate() + timedelta(
            days=agreement.review_every_days
        )
        agreement.save(update_fields=["reopened_at", "reopened_by", "review_on"])

    def changed(self, by: User, change: str) -> None:
        # Affirmed or confirmed: a step in the agreement's history, told live.
        kind = {
            "affirmed": AgreementEvent.Kind.AFFIRMED,
            "confirmed": AgreementEvent.Kind.CONFIRMED,
        }[change]
        self.agreement._event(kind, by, self)


class AgreementEventQuerySet(SpaceOwnedQuerySet["AgreementEvent"]):
    def about(self, agreement: "Agreement") -> "AgreementEventQuerySet":
        return (
            self.filter(agreement=agreement)
            .select_related("by", "version")
            .order_by("at", "pk")
        )


class AgreementEvent(SpaceOwned):
    """One step in an agreement's history; events are only ever added."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", gettext_lazy("proposed this item")
        EDIT_PROPOSED = "edit_proposed", gettext_lazy("proposed new wording")
        AFFIRMED = "affirmed", gettext_lazy("affirmed the wording")
        CONFIRMED = "confirmed", gettext_lazy("confirmed the final wording")
        REOPENED = "reopened", gettext_lazy("asked to revisit this item")
        REVIEW_SET = "review_set", gettext_lazy("set the review date")
        RETIREMENT_PROPOSED = (
            "retirement_proposed",
            gettext_lazy("proposed retiring this item"),
        )
        RETIREMENT_WITHDRAWN = (
            "retirement_withdrawn",
            gettext_lazy("kept the item in force"),
        )
        RETIRED = "retired", gettext_lazy("agreed to retire this item")
        REPORTED = "reported", gettext_lazy("shared that this felt crossed")
        REPAIRED = "repaired", gettext_lazy("answered with a repair")
        HEARD = "heard", gettext_lazy("marked the repair as heard")
        TALK_MORE = "talk_more", gettext_lazy("asked to talk more")

    # What one partner does that then waits for the other (a push, if they chose it).
    WAITING = frozenset(
        {
            Kind.PROPOSED,
            Kind.EDIT_PROPOSED,
            Kind.AFFIRMED,
            Kind.RETIREMENT_PROPOSED,
            Kind.REPORTED,
            Kind.REPAIRED,
        }
    )

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    version = models.ForeignKey(
        AgreementVersion, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    objects = AgreementEventQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.kind} on {self.agreement_id}"

    @property
    def from_conversation(self) -> str:
        """Return the code of the conversation this proposal came from, or ""."""
        prefix = "conversation:"
        return self.note.removeprefix(prefix) if self.note.startswith(prefix) else ""


class CrossingReportQuerySet(SpaceOwnedQuerySet["CrossingReport"]):
    def with_repair(self) -> "CrossingReportQuerySet":
        return self.select_related(
            "reporter", "agreement", "repair", "repair__by"
        ).prefetch_related(
            Prefetch(
                "agreement__versions",
                queryset=AgreementVersion.objects.filter(superseded_at__isnull=True)
                .select_related("proposed_by", "affirmed_by")
                .order_by("number"),
                to_attr="live_versions",
            ),
        )

    def with_rounds(self) -> "CrossingReportQuerySet":
        """Also fetch every round of the steps and its entries, two queries in all."""
        # One Prefetch a call: django-stubs can't type a mix of querysets in one.
        return (
            self.with_repair()
            .prefetch_related(Prefetch("rounds", queryset=RepairRound.objects.all()))
            .prefetch_related(
                Prefetch(
                    "rounds__entries", queryset=RoundEntry.objects.select_related("by")
                )
            )
        )

    def about(self, agreement: "Agreement") -> "CrossingReportQuerySet":
        return self.filter(agreement=agreement).order_by("-created_at")

    def unfinished(self) -> "CrossingReportQuerySet":
        """Return reports still waiting for a repair, a reply, or another talk."""
        return self.exclude(status="heard").order_by("-created_at")


class CrossingReport(SpaceOwned):
    """A partner's account that an agreement felt crossed.

    Shared with the partner by nature, so stored readable by the server
    (docs/security.md); every view by the partner goes into the access log.
    """

    # Whose contribution this is, for export and erasure (privacy/actions.py).
    author_field = "reporter"
    export_labels = {
        "what_happened": gettext_lazy("What happened"),
        "happened_on": gettext_lazy("When it happened"),
        "how_it_felt": gettext_lazy("How it felt"),
        "triggers": gettext_lazy("What it touched"),
        "step": gettext_lazy("Your step"),
        "status": gettext_lazy("Where it stands"),
        "closed_at": gettext_lazy("Closed"),
    }

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Waiting for a repair")
        ANSWERED = "answered", gettext_lazy("Repair offered")
        HEARD = "heard", gettext_lazy("Heard")
        TALK_MORE = "talk_more", gettext_lazy("We'll talk more")

    # None for a regrettable incident that crossed no agreement (a fight, a remark).
    agreement = models.ForeignKey(
        Agreement, models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(User, models.CASCADE, related_name="+")
    what_happened = models.TextField(max_length=MAX_TEXT)
    happened_on = models.DateField(null=True, blank=True)
    how_it_felt = models.TextField(max_length=MAX_TEXT)
    triggers = models.TextField(max_length=MAX_TEXT, blank=True)
    step = models.TextField(max_length=MAX_TEXT, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default="open")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CrossingReportQuerySet.as_manager()

    def __str__(self) -> str:
        return f"report {self.code}"

    def get_repair(self) -> "Repair | None":
        try:
            return self.repair
        except Repair.DoesNotExist:
            return None

    def _event(self, kind: str, by: User) -> None:
        # An incident that crossed no agreement has no agreement history to add to.
        if self.agreement is not None:
            self.agreement._event(kind, by)

    @classmethod
    @transaction.atomic
    def file_incident(
        cls,
        space: Space,
        by: User,
        *,
        what_happened: str,
        how_it_felt: str,
        happened_on: date | None = None,
        triggers: str = "",
    ) -> "CrossingReport":
        """Share a regrettable incident that crossed no agreement: same steps after."""
        what_happened = clean_text(what_happened, _("what happened"))
        how_it_felt = clean_text(how_it_felt, _("how it felt"))
        triggers = clean_text(triggers, _("what it touched"), required=False)
        if happened_on is not None and check_day(happened_on) > timezone.localdate():
            raise Refused(_("The date it happened can't be in the future."))
        check_pace(by, cls.objects.filter(reporter=by), limit=REPORTS_PER_MINUTE)
        return cls.objects.create(
            space=space,
            reporter=by,
            what_happened=what_happened,
            happened_on=happened_on,
            how_it_felt=how_it_felt,
            triggers=triggers,
        )

    def round_list(self) -> list["RepairRound"]:
        return sorted(self.rounds.all(), key=lambda r: r.number)

    @transaction.atomic
    def open_round(self, by: User) -> "RepairRound":
        """Start a new round of the five steps, walked by both; earlier rounds stay.

        "Talk more" leads here (or to a conversation): nothing is overwritten.
        """
        CrossingReport.objects.select_for_update().get(pk=self.pk)
        last = self.rounds.order_by("-number").first()
        if last is not None and not last.entries.exists():
            raise Refused(
                _("The newest round is still empty: start there."), status=409
            )
        check_pace(
            by,
            RepairRound.objects.filter(opened_by=by),
            limit=REPORTS_PER_MINUTE,
        )
        return RepairRound.objects.create(
            space_id=self.space_id,
            report=self,
            number=last.number + 1 if last else 1,
            opened_by=by,
        )

    @classmethod
    @transaction.atomic
    def file(
        cls,
        agreement: Agreement,
        by: User,
        *,
        what_happened: str,
        how_it_felt: str,
        happened_on: date | None = None,
        triggers: str = "",
    ) -> "CrossingReport":
        what_happened = clean_text(what_happened, _("what happened"))
        how_it_felt = clean_text(how_it_felt, _("how it felt"))
        triggers = clean_text(triggers, _("what it touched"), required=False)
        if happened_on is not None and check_day(happened_on) > timezone.localdate():
            raise Refused(_("The date it happened can't be in the future."))
        agreement._lock()
        if not agreement.is_in_force():
            raise Refused(
                _("Only an agreement that is in force can be reported as crossed."),
                status=409,
            )
        check_pace(by, cls.objects.filter(reporter=by), limit=REPORTS_PER_MINUTE)
        report = cls.objects.create(
            space_id=agreement.space_id,
            agreement=agreement,
            reporter=by,
            what_happened=what_happened,
            happened_on=happened_on,
            how_it_felt=how_it_felt,
            triggers=triggers,
        )
        agreement._event(AgreementEvent.Kind.REPORTED, by)
        return report

    @transaction.atomic
    def answer(
        self,
        by: User,
        *,
        feelings: str,
        view: str,
        responsibility: str,
        step: str,
        talk_at: datetime,
        triggers: str = "",
    ) -> "Repair":
        """Record the partner's repair: feelings, view, triggers, responsibility, step."""
        values = {
            "feelings": clean_text(feelings, _("feelings")),
            "view": clean_text(view, _("your view of what happened")),
            "triggers": clean_text(triggers, _("what it touched"), required=False),
            "responsibility": clean_text(responsibility, _("responsibility")),
            "step": clean_text(step, _("step")),
        }
        if check_moment(talk_at) <= timezone.now():
            raise Refused(_("Please propose a time to talk that is still ahead."))
        CrossingReport.objects.select_for_update().get(pk=self.pk)
        if by.pk == self.reporter_id:
            raise Refused(
                _("Your partner answers this with a repair; you'll see it here."),
                status=409,
            )
        if Repair.objects.filter(report=self).exists():
            raise Refused(_("A repair was already offered for this."), status=409)
        repair = Repair.objects.create(
            space_id=self.space_id, report=self, by=by, talk_at=talk_at, **values
        )
        self.status = self.Status.ANSWERED
        self.save(update_fields=["status"])
        self._event(AgreementEvent.Kind.REPAIRED, by)
        return repair

    @transaction.atomic
    def close(self, by: User, *, outcome: str, step: str) -> None:
        """The reporter names their own step and says whether they feel heard."""
        step = clean_text(step, _("step"))
        if outcome not in (self.Status.HEARD, self.Status.TALK_MORE):
            raise Refused(_('Please choose "heard" or "talk more".'))
        CrossingReport.objects.select_for_update().get(pk=self.pk)
        if by.pk != self.reporter_id:
            raise Refused(
                _("The person who shared this says whether they feel heard."),
                status=409,
            )
        if not Repair.objects.filter(report=self).exists():
            raise Refused(_("There is no repair to answer yet."), status=409)
        self.step = step
        self.status = outcome
        self.closed_at = timezone.now()
        self.save(update_fields=["step", "status", "closed_at"])
        self._event(
            AgreementEvent.Kind.HEARD
            if outcome == self.Status.HEARD
            else AgreementEvent.Kind.TALK_MORE,
            by,
        )


class RepairQuerySet(SpaceOwnedQuerySet["Repair"]):
    pass


class Repair(SpaceOwned):
    """The partner's structured answer to a report. There is no excuse field."""

    author_field = "by"
    export_labels = {
        "feelings": gettext_lazy("Feelings"),
        "view": gettext_lazy("Your view of what happened"),
        "triggers": gettext_lazy("What it touched"),
        "responsibility": gettext_lazy("Responsibility"),
        "step": gettext_lazy("Your step"),
        "talk_at": gettext_lazy("Time to talk"),
    }

    report = models.OneToOneField(CrossingReport, models.CASCADE, related_name="repair")
    by = models.ForeignKey(User, models.CASCADE, related_name="+")
    feelings = models.TextField(max_length=MAX_TEXT)
    view = models.TextField(max_length=MAX_TEXT)
    triggers = models.TextField(max_length=MAX_TEXT, blank=True)
    responsibility = models.TextField(max_length=MAX_TEXT)
    step = models.TextField(max_length=MAX_TEXT)
    talk_at = BoundedDateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = RepairQuerySet.as_manager()

    def __str__(self) -> str:
        return f"repair {self.code}"


class RepairRoundQuerySet(SpaceOwnedQuerySet["RepairRound"]):
    pass


class RepairRound(SpaceOwned):
    """One walk through the five steps by both partners, about one report.

    Rules: each partner describes their own view; each summarises the other's view
    and names a part of it that makes sense, only after the other has written it;
    no plan until both have done both. Each step is written once a round: saying it
    again is a new round, so every earlier round stays as it was.
    """

    report = models.ForeignKey(CrossingReport, models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    # Not CASCADE: the round holds the other partner's words too.
    opened_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RepairRoundQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="one_round_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"round {self.code}"

    def entry_list(self) -> list["RoundEntry"]:
        return sorted(self.entries.all(), key=lambda e: (e.at, e.pk))

    def written(self) -> set[tuple[int, str]]:
        return {(e.by_id, e.step) for e in self.entries.all()}

    def for_person(self, user_id: int) -> dict[str, "RoundEntry"]:
        return {e.step: e for e in self.entries.all() if e.by_id == user_id}

    def realities_done(self, partner_ids: list[int]) -> bool:
        done = self.written()
        return all(
            (pid, step) in done
            for pid in partner_ids
            for step in (RoundEntry.Step.VIEW, RoundEntry.Step.SUMMARY)
        )

    @transaction.atomic
    def write(self, by: User, step: str, text: str, sense: str = "") -> "RoundEntry":
        """Add BY's words for STEP (and, for a summary, the part that makes sense)."""
        if step not in RoundEntry.Step.values:
            raise Refused(_("Please choose one of the steps."))
        text = clean_text(text, RoundEntry.Step(step).label.lower())
        RepairRound.objects.select_for_update().get(pk=self.pk)
        space = Space.objects.prefetch_related("memberships__user").get(
            pk=self.space_id
        )
        partner = space.partner_of(by)
        if partner is None:
            raise Refused(_("This needs your partner in the space."), status=409)
        done = set(RoundEntry.objects.filter(round=self).values_list("by_id", "step"))
        if (by.pk, step) in done:
            raise Refused(
                _(
                    "You already wrote this step in this round. To say it again, "
                    "start a new round: this one stays as it is."
                ),
                status=409,
            )
        if step == RoundEntry.Step.SUMMARY:
            if (partner.pk, RoundEntry.Step.VIEW) not in done:
                raise Refused(
                    _(
                        "Your partner hasn't described their view yet. Their words "
                        "come first; then you summarise them."
                    ),
                    status=409,
                )
            sense = clean_text(sense, _("part that makes sense to you"))
        elif step == RoundEntry.Step.PLAN:
            needed = {
                (pid, s)
                for pid in (by.pk, partner.pk)
                for s in (RoundEntry.Step.VIEW, RoundEntry.Step.SUMMARY)
            }
            if not needed <= done:
                raise Refused(
                    _(
                        "Plans come after understanding: first each of you "
                        "describes your view and summarises the other's."
                    ),
                    status=409,
                )
        check_pace(
            by,
            RoundEntry.objects.filter(by=by),
            limit=ITEMS_PER_MINUTE,
            field="at",
        )
        return RoundEntry.objects.create(
            space_id=self.space_id,
            round=self,
            by=by,
            step=step,
            text=text,
            sense=sense if step == RoundEntry.Step.SUMMARY else "",
        )


class RoundEntryQuerySet(SpaceOwnedQuerySet["RoundEntry"]):
    pass


class RoundEntry(SpaceOwned):
    """One partner's words for one step of a round. Shared by nature, like a repair."""

    author_field = "by"
    export_labels = {
        "step": gettext_lazy("Step"),
        "text": gettext_lazy("Words"),
        "sense": gettext_lazy("A part that makes sense"),
    }

    class Step(models.TextChoices):
        FEELINGS = "feelings", gettext_lazy("Feelings")
        VIEW = "view", gettext_lazy("My view of what happened")
        SUMMARY = "summary", gettext_lazy("My partner's view, in my words")
        TRIGGERS = "triggers", gettext_lazy("What it touched")
        RESPONSIBILITY = "responsibility", gettext_lazy("Responsibility")
        PLAN = "plan", gettext_lazy("One plan for next time")

    round = models.ForeignKey(RepairRound, models.CASCADE, related_name="entries")
    by = models.ForeignKey(User, models.CASCADE, related_name="+")
    step = models.CharField(max_length=16, choices=Step.choices)
    text = models.TextField(max_length=MAX_TEXT)
    sense = models.TextField(max_length=MAX_TEXT, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = RoundEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "by", "step"], name="one_entry_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.code}"


def record_reports_seen(
    viewer: User, reports: list[CrossingReport], *, with_repairs: bool
) -> None:
    """Log that VIEWER saw REPORTS (and their repairs, WITH_REPAIRS) by the other.

    Reports and repairs are shared by nature, so every place that shows their words
    (a page, an API answer, a line of a list) logs the view here; the author's own
    views are not logged. Two queries per kind however many reports there are.
    """
    record_views(
        viewer, [(r.space_id, r.reporter_id, r.code) for r in reports], REPORT_KIND
    )
    if with_repairs:
        repairs = [r for r in (report.get_repair() for report in reports) if r]
        record_views(
            viewer, [(r.space_id, r.by_id, r.code) for r in repairs], REPAIR_KIND
        )


def record_rounds_seen(viewer: User, reports: list[CrossingReport]) -> None:
    """Log that VIEWER saw the other's words in the rounds of REPORTS (with_rounds)."""
    entries = [
        e for report in reports for r in report.round_list() for e in r.entries.all()
    ]
    if entries:
        record_views(
            viewer, [(e.space_id, e.by_id, e.code) for e in entries], ROUND_KIND
        )


class Answer(models.TextChoices):
    YES = "yes", gettext_lazy("Yes")
    MAYBE = "maybe", gettext_lazy("Maybe")
    NOT_NOW = "not_now", gettext_lazy("Not now")
    NO = "no", gettext_lazy("No")


class InventoryItemQuerySet(models.QuerySet["InventoryItem"]):
    def for_member(self, user: Any) -> "InventoryItemQuerySet":
        """Return the built-in items and those the person's couple added."""
        return self.filter(
            Q(space__isnull=True) | Q(space__in=Space.objects.for_member(user))
        )


class InventoryItem(models.Model):
    """One activity or context on the yes / no / maybe list.

    Built-in items (no space) come from a data migration; a couple can add its own.
    """

    class Group(models.TextChoices):
        CLOSENESS = "closeness", gettext_lazy("Closeness")
        INTIMACY = "intimacy", gettext_lazy("Intimacy")
        CONTEXTS = "contexts", gettext_lazy("How and when")
        OURS = "ours", gettext_lazy("Added by us")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(
        Space, models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.CharField(max_length=12, choices=Group.choices)
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = InventoryItemQuerySet.as_manager()

    class Meta:
        ordering = ["group", "order", "created_at"]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        """The wording to show: built-in items in the reader's language, ours as typed."""
        return _(self.text) if self.space_id is None else self.text

    @classmethod
    @transaction.atomic
    def add(cls, space: Space, by: User, text: str) -> "InventoryItem":
        text = (text or "").strip()
        if not text:
            raise Refused(_("Please name the activity or context in a few words."))
        if len(text) > 200:
            raise Refused(_("Please keep it to 200 characters."))
        check_pace(by, cls.objects.filter(added_by=by), limit=ITEMS_PER_MINUTE)
        return cls.objects.create(
            space=space, group=cls.Group.OURS, text=text, added_by=by
        )


class InventoryAnswerQuerySet(SpaceOwnedQuerySet["InventoryAnswer"]):
    pass


class InventoryAnswer(SpaceOwned):
    """One partner's private answer, sealed under the couple key.

    Rule: nothing about the other partner's answers leaves the server except the
    two overlap lists (both yes; both at least maybe). See overlaps(). The partner
    holds the couple key, so answers go with their author when they leave or erase
    their account, whatever else they keep.
    """

    erased_on_leaving = True

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    item = models.ForeignKey(InventoryItem, models.CASCADE, related_name="+")
    sealed = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)
    # When an earlier answer was last changed (not first given): to spot a sweep.
    changed_at = models.DateTimeField(null=True, blank=True)

    objects = InventoryAnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user", "item"], name="one_answer_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.code}"

    @staticmethod
    def where(item: InventoryItem, user: User) -> str:
        return f"inventory:{item.code}:{user.code}"

    export_kind = gettext_lazy("Yes / no / maybe answers")

    @classmethod
    def export_entries(
        cls, user: User, key: bytes | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return USER's answers, opened with the couple key, and items they added.

        An answer sealed under a couple key USER can no longer open (they left the
        space, or the session is locked) is listed as locked, never dropped.
        """
        entries, locked = [], []
        answers = cls.objects.filter(user=user).select_related("item", "space", "user")
        keys: dict[int, bytes | Refused] = {}
        answered = set()
        for answer in answers.order_by("space_id", "item__group", "item__order"):
            if answer.space_id not in keys:
                try:
                    keys[answer.space_id] = SpaceKey.for_partner(
                        answer.space, user, key
                    )
                except Refused as e:
                    keys[answer.space_id] = e
            couple_key = keys[answer.space_id]
            value = None
            if isinstance(couple_key, bytes):
                try:
                    where = cls.where(answer.item, user)
                    value = unseal_with(couple_key, bytes(answer.sealed), where)
                except SealError:
                    couple_key = KeyLocked()
            if value is None:
                locked.append(
                    {
                        "kind": str(cls.export_kind),
                        "written_at": moment(user, answer.updated_at),
                        "reason": str(couple_key),
                    }
                )
                continue
            answered.add(answer.item_id)
            entries.append(
                entry(
                    user,
                    title=answer.item.label,
                    at=answer.updated_at,
                    fields={
                        _("Your answer"): Answer(value).label,
                        _("You added this item"): answer.item.added_by_id == user.pk,
                    },
                )
            )
        added = InventoryItem.objects.filter(added_by=user).exclude(pk__in=answered)
        for item in added.order_by("created_at"):
            entries.append(
                entry(
                    user,
                    title=item.label,
                    at=item.created_at,
                    fields={_("You added this item"): True},
                )
            )
        return entries, locked


def calendar_items(member: User) -> list[CalendarItem]:
    """Return each review date of MEMBER's couple's agreements as a neutral item."""
    return [
        CalendarItem(
            uid=f"agreement-review-{code}",
            title=str(gettext_lazy("Agreement review")),
            path="/agreements/",
            on=review_on,
        )
        for code, review_on in Agreement.objects.for_member(member)
        .current()
        .filter(review_on__isnull=False)
        .order_by("review_on")
        .values_list("code", "review_on")[:100]
    ]


def due_reminders(member: User, now: datetime) -> list[Reminder]:
    """Return a reminder for each agreement whose review is today on MEMBER's clock."""
    today = now.astimezone(member.tzinfo).date()
    return [
        Reminder(
            user=member,
            topic="agreement-review",
            key=f"agreement-review:{code}:{today.isoformat()}",
            path="/agreements/",
        )
        for code in Agreement.objects.for_member(member)
        .current()
        .filter(review_on=today)
        .values_list("code", flat=True)[:100]
    ]
