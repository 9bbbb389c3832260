"""Shared meaning: appreciation, what the couple stands for, and rituals of connection.

Rules enforced here:
- An appreciation is a one-line note from one partner to the other. The partner reads
  them in a gentle feed (each read is in the access log); a monthly recap gathers what
  each appreciated. Never a count per person, never a comparison.
- "What we stand for" (values, commitments, a vision for a year from now) is worded
  through mend/consent: one proposes, the other affirms in words they type, and only
  and the proposer confirms is it current. New words replace a proposal still waiting (a yes to the old
  words does not carry over), and the words in force stay until both agree to new
  ones. Every version stays; it is due to be reread on a schedule.
- A ritual of connection recurs on a schedule (mend/lib/recurrence.py). Either
  partner marks "we did it" for a day; the count of days done never resets.
"""

import datetime as dt
from typing import Any, Self

from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.consent.models import Wording, WordingQuerySet
from mend.couples.models import Space, SpaceOwned, SpaceOwnedQuerySet
from mend.lib.agenda import CalendarItem
from mend.lib.dates import BoundedDateField, check_day
from mend.lib.errors import Refused, check_encodable
from mend.lib.pace import check_pace
from mend.lib.recurrence import FREQUENCIES, Schedule, ScheduleError
from mend.live.actions import record_event
from mend.live.models import Event
from mend.privacy.export import entry

MAX_NOTE = 280
MAX_WORDS = 4_000
MAX_TITLE = 120
DEFAULT_REVISIT_DAYS = 90
MAX_REVISIT_DAYS = 365
NOTES_PER_MINUTE = 10
RITUALS_PER_MINUTE = 10
APPRECIATION_KIND = gettext_lazy("appreciation note")
# What a calendar shows for a ritual: neutral, whoever looks over a shoulder.
NEUTRAL_TITLE = gettext_lazy("Ritual")


def clean_line(value: str, label: str, limit: int, *, required: bool = True) -> str:
    """Return VALUE trimmed, or raise Refused when it is empty or too long."""
    value = check_encodable((value or "").strip())
    if required and not value:
        raise Refused(_("Please write the %(label)s.") % {"label": label})
    if len(value) > limit:
        raise Refused(
            _("The %(label)s can be at most %(max)d characters (this one has %(n)d).")
            % {"label": label, "max": limit, "n": len(value)}
        )
    return value


# Appreciation


class AppreciationQuerySet(SpaceOwnedQuerySet["Appreciation"]):
    def newest(self) -> Self:
        """Newest first (mend/lib/pagination.py pages them)."""
        return self.select_related("author").order_by("-created_at")

    def in_month(self, year: int, month: int, zone: Any) -> Self:
        start = dt.datetime(year, month, 1, tzinfo=zone)
        end = (
            dt.datetime(year + 1, 1, 1, tzinfo=zone)
            if month == 12
            else dt.datetime(year, month + 1, 1, tzinfo=zone)
        )
        return self.filter(created_at__gte=start, created_at__lt=end)


class Appreciation(SpaceOwned):
    """One line of appreciation or gratitude, from its author to their partner."""

    author = models.ForeignKey(User, models.CASCADE, related_name="+")
    text = models.CharField(max_length=MAX_NOTE)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppreciationQuerySet.as_manager()

    export_labels = {"text": gettext_lazy("Appreciation")}

    class Meta:
        indexes = [models.Index(fields=["space", "-created_at"])]

    def __str__(self) -> str:
        return f"appreciation {self.code}"

    @classmethod
    def write(cls, space: Space, author: User, text: str) -> "Appreciation":
        text = clean_line(text, str(_("note")), MAX_NOTE)
        check_pace(
            author,
            cls.objects.filter(author=author),
            limit=NOTES_PER_MINUTE,
        )
        return cls.objects.create(space=space, author=author, text=text)


def recap(
    space_notes: AppreciationQuerySet, year: int, month: int, zone: Any
) -> list[tuple[User, list[Appreciation]]]:
    """Return what each partner appreciated in the month: notes grouped by author.

    Grouped, in the order each first wrote; never counted against each other.
    """
    grouped: dict[int, tuple[User, list[Appreciation]]] = {}
    for note in (
        space_notes.in_month(year, month, zone)
        .select_related("author")
        .order_by("created_at")
    ):
        grouped.setdefault(note.author_id, (note.author, []))[1].append(note)
    return list(grouped.values())


# What we stand for


class StandForQuerySet(SpaceOwnedQuerySet["StandFor"]):
    def with_wordings(self) -> Self:
        return self.prefetch_related(
            Prefetch(
                "wordings",
                queryset=StandForWording.objects.filter(superseded_at__isnull=True)
                .select_related("proposed_by", "affirmed_by")
                .order_by("number"),
                to_attr="live_wordings",
            )
        )


class StandFor(SpaceOwned):
    """The couple's statement of what they stand for; its words live in wordings."""

    revisit_every_days = models.PositiveSmallIntegerField(default=DEFAULT_REVISIT_DAYS)
    revisit_on = BoundedDateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StandForQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space"], name="one_statement_per_space")
        ]

    def __str__(self) -> str:
        return f"what we stand for {self.code}"

    @classmethod
    def of(cls, space: Space) -> "StandFor":
        found, _created = cls.objects.get_or_create(space=space)
        return found

    def _live(self) -> list["StandForWording"]:
        live = getattr(self, "live_wordings", None)
        if live is None:
            live = list(
                self.wordings.filter(superseded_at__isnull=True)
                .select_related("proposed_by", "affirmed_by")
                .order_by("number")
            )
        return list(live)

    def current(self) -> "StandForWording | None":
        """The words both affirmed, in force; None until both have."""
        return next((w for w in self._live() if w.confirmed_at is not None), None)

    def waiting(self) -> "StandForWording | None":
        return next((w for w in self._live() if w.is_waiting()), None)

    def is_due(self, today: dt.date) -> bool:
        return self.revisit_on is not None and self.revisit_on <= today

    @transaction.atomic
    def propose(
        self,
        by: User,
        *,
        values: str,
        commitments: str,
        vision: str,
        revisit_every_days: int | None = None,
    ) -> "StandForWording":
        """Propose new words. Until the partner affirms them, the words in force stand."""
        values = clean_line(values, str(_("values")), MAX_WORDS, required=False)
        commitments = clean_line(
            commitments, str(_("commitments")), MAX_WORDS, required=False
        )
        vision = clean_line(vision, str(_("vision")), MAX_WORDS, required=False)
        if not (values or commitments or vision):
            raise Refused(
                _("Please write at least one of: values, commitments, a vision.")
            )
        if revisit_every_days is not None and not (
            1 <= revisit_every_days <= MAX_REVISIT_DAYS
        ):
            raise Refused(
                _("Reread it every 1 to %(max)d days.") % {"max": MAX_REVISIT_DAYS}
            )
        StandFor.objects.select_for_update().filter(pk=self.pk).first()
        now = timezone.now()
        # A newer proposal replaces the one waiting: a yes to those words is void.
        self.wordings.waiting().update(superseded_at=now)
        last = self.wordings.order_by("-number").values_list("number", flat=True)
        wording = StandForWording.objects.create(
            space_id=self.space_id,
            stand_for=self,
            number=(last.first() or 0) + 1,
            values=values,
            commitments=commitments,
            vision=vision,
            revisit_every_days=revisit_every_days or self.revisit_every_days,
            proposed_by=by,
            proposed_at=now,
        )
        wording.changed(by, "proposed")
        return wording


class StandForWordingQuerySet(WordingQuerySet["StandForWording"]):
    pass


class StandForWording(Wording):
    """One version of what the couple stands for.

    Current only once both said yes: the partner affirms in words they type, then the
    proposer confirms the final wording (as agreements do).
    """

    stand_for = models.ForeignKey(StandFor, models.CASCADE, related_name="wordings")
    values = models.TextField(blank=True)
    commitments = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    revisit_every_days = models.PositiveSmallIntegerField(default=DEFAULT_REVISIT_DAYS)

    objects = StandForWordingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stand_for", "number"], name="one_number_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"what we stand for, version {self.number}"

    def changed(self, by: User, change: str) -> None:
        """Tell open pages (home's "Waiting for you"); proposed and affirmed words
        wait on the partner, so a push may reach them too."""
        record_event(
            self.space_id,
            by,
            Event.Types.STORY,
            self.code,
            change,
            waits_on_partner=change in ("proposed", "affirmed"),
        )

    @classmethod
    def export_entries(
        cls, user: User, key: bytes | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the words of what you stand for that USER proposed, every version."""
        return [
            entry(
                user,
                title=_("What we stand for, version %(n)d") % {"n": w.number},
                at=w.proposed_at,
                fields={
                    _("Our values"): w.values,
                    _("Our commitments"): w.commitments,
                    _("A year from now"): w.vision,
                    _("Status"): w.status_label(),
                },
                shared=True,
            )
            for w in cls.objects.filter(proposed_by=user).order_by("number")
        ], []

    def lock_subject(self) -> None:
        StandFor.objects.select_for_update().filter(pk=self.stand_for_id).first()

    def come_into_force(self, now: Any) -> None:
        # The words in force before these are kept, as replaced.
        StandForWording.objects.filter(
            stand_for_id=self.stand_for_id, confirmed_at__isnull=False
        ).exclude(pk=self.pk).update(superseded_at=now)
        StandFor.objects.filter(pk=self.stand_for_id).update(
            revisit_every_days=self.revisit_every_days,
            revisit_on=timezone.localdate(now)
            + dt.timedelta(days=self.revisit_every_days),
        )


# Rituals of connection


class RitualQuerySet(SpaceOwnedQuerySet["Ritual"]):
    def ongoing(self) -> Self:
        return self.filter(stopped_at__isnull=True)

    def with_count(self) -> Self:
        return self.annotate(times_done=Count("days_done"))


class Ritual(SpaceOwned):
    """A small recurring thing the couple chose to do together."""

    title = models.CharField(max_length=MAX_TITLE)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    starts_on = BoundedDateField()
    at = models.TimeField()
    zone = models.CharField(max_length=64)
    frequency = models.CharField(max_length=10)
    weekdays = models.CharField(max_length=20, blank=True)  # "0,2,4"
    interval = models.PositiveSmallIntegerField(default=1)
    ends_on = BoundedDateField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = RitualQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["space", "stopped_at"])]

    def __str__(self) -> str:
        return f"ritual {self.code}"

    def schedule(self) -> Schedule:
        return Schedule(
            starts_on=self.starts_on,
            at=self.at,
            zone=self.zone,
            frequency=self.frequency,
            weekdays=tuple(int(d) for d in self.weekdays.split(",") if d),
            interval=self.interval,
            ends_on=self.ends_on,
        )

    @classmethod
    def start(
        cls,
        space: Space,
        by: User,
        *,
        title: str,
        starts_on: dt.date,
        at: dt.time,
        frequency: str,
        weekdays: list[int] | tuple[int, ...] = (),
        interval: int = 1,
        ends_on: dt.date | None = None,
    ) -> "Ritual":
        title = clean_line(title, str(_("ritual")), MAX_TITLE)
        check_day(starts_on)
        if ends_on is not None:
            check_day(ends_on)
        if frequency not in FREQUENCIES:
            raise Refused(_("Choose how often: once, daily, weekly or on chosen days."))
        ritual = cls(
            space=space,
            created_by=by,
            title=title,
            starts_on=starts_on,
            at=at,
            zone=by.time_zone,
            frequency=frequency,
            weekdays=",".join(str(d) for d in sorted(set(weekdays))),
            interval=interval,
            ends_on=ends_on,
        )
        try:
            ritual.schedule().validate()
        except ScheduleError as e:
            raise Refused(str(e)) from e
        check_pace(by, cls.objects.filter(created_by=by), limit=RITUALS_PER_MINUTE)
        ritual.save()
        return ritual

    def count(self) -> int:
        """How many days it was done: only ever grows (uses with_count())."""
        annotated = getattr(self, "times_done", None)
        return int(annotated) if annotated is not None else self.days_done.count()

    @transaction.atomic
    def mark_done(self, by: User, on: dt.date | None = None) -> "RitualDone":
        """Either partner marks "we did it" for a day; a second mark that day is the same."""
        if self.stopped_at is not None:
            raise Refused(_("This ritual was set aside."), status=409)
        on = check_day(on or timezone.localdate(timezone.now(), by.tzinfo))
        if on > timezone.localdate(timezone.now(), by.tzinfo):
            raise Refused(_("You can mark it done today or on a day before."))
        Ritual.objects.select_for_update().filter(pk=self.pk).first()
        done, _created = RitualDone.objects.get_or_create(
            ritual=self, on=on, defaults={"space_id": self.space_id, "by": by}
        )
        return done

    def stop(self, by: User) -> None:
        """Set the ritual aside (either partner); its count stays."""
        if self.stopped_at is None:
            self.stopped_at = timezone.now()
            self.save(update_fields=["stopped_at"])


class RitualDoneQuerySet(SpaceOwnedQuerySet["RitualDone"]):
    pass


class RitualDone(SpaceOwned):
    """One day a ritual was done, marked by either partner."""

    ritual = models.ForeignKey(Ritual, models.CASCADE, related_name="days_done")
    by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    on = BoundedDateField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = RitualDoneQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ritual", "on"], name="one_mark_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.ritual} done on {self.on}"


def calendar_items(member: User) -> list[CalendarItem]:
    """MEMBER's couple's ongoing rituals as calendar items (mend/calendar's SOURCES).

    Titled "Ritual" whoever looks: phones show calendars to others; the couple's
    own words stay on the story page.
    """
    return [
        CalendarItem(
            uid=f"ritual-{ritual.code}",
            title=str(NEUTRAL_TITLE),
            path="/story/",
            schedule=ritual.schedule(),
        )
        for ritual in Ritual.objects.for_member(member)
        .ongoing()
        .order_by("created_at")[:50]
    ]
