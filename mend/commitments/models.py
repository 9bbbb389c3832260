"""Accountability: commitments kept, disclosures made early, questions answered,
slips that teach, and milestones that never reset.

Rules enforced here:
- A commitment is made by one partner to the other. Only its maker marks an
  occurrence kept or missed, and only once it has come; the other partner confirms
  or says in a sentence how they saw it, and both views stay side by side.
- Changing or ending a commitment needs both: one proposes, the other affirms in
  words they type (mend/consent). Until then the words in force stand.
- Every disclosure is written by its discloser; nothing here watches anyone. A
  disclosure is never told before it happened.
- A question is private (sealed under its asker's key) until its asker sends it; it
  is answered only by the other partner, and an edited answer keeps every earlier
  version.
- A slip's reflections are private by default, sealed like a journal entry.
- A relapse starts a new run of a milestone; every earlier run and the total stay.
  Nothing here counts failures or resets anyone to zero.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any, Self

from django.db import models, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.agreements.models import Agreement, Repair
from mend.consent.models import Wording, WordingQuerySet
from mend.couples.models import Space, SpaceOwned, SpaceOwnedQuerySet
from mend.lib.agenda import CalendarItem
from mend.lib.dates import (
    BoundedDateField,
    BoundedDateTimeField,
    check_day,
    check_moment,
)
from mend.lib.errors import Refused
from mend.lib.recurrence import (
    DAILY,
    ONCE,
    WEEKDAYS,
    WEEKLY,
    Schedule,
    ScheduleError,
)
from mend.live.actions import record_event
from mend.live.models import Event
from mend.privacy.models import PrivateContent, PrivateContentQuerySet

MAX_TEXT = 300
MAX_NOTE = 300
MAX_LONG = 2_000
# The longest window occurrences_between expands in one call (a calendar's year).
MAX_WINDOW = dt.timedelta(days=400)
# A milestone's run is celebrated, quietly, when it reaches one of these (days).
MARKS = (7, 30, 90, 180, 365, 730, 1095, 1825)
# How long the home page shows a milestone reached.
CELEBRATE_DAYS = 7

COMMITMENT_KIND = gettext_lazy("commitment")
DISCLOSURE_KIND = gettext_lazy("disclosure")
QUESTION_KIND = gettext_lazy("question")
ANSWER_KIND = gettext_lazy("answer to a question")
SLIP_KIND = gettext_lazy("slip")
MILESTONE_KIND = gettext_lazy("milestone or goal")


class Frequency(models.TextChoices):
    ONCE = ONCE, gettext_lazy("Once")
    DAILY = DAILY, gettext_lazy("Every day")
    WEEKLY = WEEKLY, gettext_lazy("Every week")
    WEEKDAYS = WEEKDAYS, gettext_lazy("On chosen days of the week")


WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)


def _tell(item: Any, by: User, change: str, *, waits_on_partner: bool = False) -> None:
    """Tell the couple's open pages (home's "Waiting for you") that ITEM changed."""
    record_event(
        item.space_id,
        by,
        Event.Types.COMMITMENT,
        item.code,
        change,
        waits_on_partner=waits_on_partner,
    )


def today_for(user: User | None) -> dt.date:
    """Return today's date on USER's own clock."""
    zone = user.tzinfo if user is not None else dt.UTC
    return timezone.localdate(timezone=zone)


def clean(value: str | None, label: str, limit: int, *, required: bool = True) -> str:
    """Return VALUE trimmed, or raise Refused saying what to fix (never cut it)."""
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("Please write the %(label)s.") % {"label": label})
    if len(value) > limit:
        raise Refused(
            _("The %(label)s can be at most %(max)d characters (this one has %(n)d).")
            % {"label": label, "max": limit, "n": len(value)}
        )
    return value


@dataclass(frozen=True)
class Words:
    """A commitment's words: what is promised and when it falls."""

    text: str
    frequency: str = ONCE
    weekdays: tuple[int, ...] = ()
    interval: int = 1
    at: dt.time = dt.time(9, 0)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    def cleaned(self, zone: str, today: dt.date) -> "Words":
        """Return these words checked, or raise Refused with a sentence saying why."""
        text = clean(self.text, _("commitment"), MAX_TEXT)
        if self.at.tzinfo is not None:
            raise Refused(
                _("Give the time of day without a time zone: it is on your own clock.")
            )
        starts_on = check_day(self.starts_on or today)
        if self.ends_on is not None:
            check_day(self.ends_on)
        words = Words(
            text=text,
            frequency=self.frequency,
            weekdays=tuple(sorted(set(self.weekdays)))
            if self.frequency == WEEKDAYS
            else (),
            interval=self.interval,
            at=self.at,
            starts_on=starts_on,
            ends_on=None if self.frequency == ONCE else self.ends_on,
        )
        try:
            words.schedule(zone).validate()
        except ScheduleError as e:
            raise Refused(str(e)) from e
        return words

    def schedule(self, zone: str) -> Schedule:
        assert self.starts_on is not None
        return Schedule(
            starts_on=self.starts_on,
            at=self.at,
            zone=zone,
            frequency=self.frequency,
            weekdays=self.weekdays,
            interval=self.interval,
            ends_on=self.ends_on,
        )

    def as_fields(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "frequency": self.frequency,
            "weekdays": ",".join(str(d) for d in self.weekdays),
            "interval": self.interval,
            "at": self.at,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
        }


def _weekdays(value: str) -> tuple[int, ...]:
    return tuple(int(d) for d in value.split(",") if d.strip().isdigit())


class WordsFields(models.Model):
    """The words of a commitment, in force or proposed."""

    text = models.CharField(gettext_lazy("commitment"), max_length=MAX_TEXT)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.ONCE
    )
    weekdays = models.CharField(max_length=20, blank=True)  # "0,2,4": Monday = 0
    interval = models.PositiveSmallIntegerField(default=1)
    at = models.TimeField(default=dt.time(9, 0))
    starts_on = BoundedDateField()
    ends_on = BoundedDateField(null=True, blank=True)

    class Meta:
        abstract = True

    def words(self) -> Words:
        return Words(
            text=self.text,
            frequency=self.frequency,
            weekdays=_weekdays(self.weekdays),
            interval=self.interval,
            at=self.at,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )

    def rhythm(self) -> str:
        """Return how often it falls, in words."""
        if self.frequency == WEEKDAYS:
            days = ", ".join(str(WEEKDAY_NAMES[d]) for d in _weekdays(self.weekdays))
            return _("on %(days)s") % {"days": days}
        label = str(Frequency(self.frequency).label)
        if self.frequency in (DAILY, WEEKLY) and self.interval > 1:
            unit = _("days") if self.frequency == DAILY else _("weeks")
            label = _("every %(n)d %(unit)s") % {"n": self.interval, "unit": unit}
        return label


@dataclass(frozen=True)
class Occurrence:
    """One time a commitment falls, for a calendar: neutral title, no words."""

    code: str  # the commitment's code
    title: str
    starts_at: dt.datetime  # aware, UTC
    on: dt.date  # the maker's local day
    made_by_id: int | None


class CommitmentQuerySet(SpaceOwnedQuerySet["Commitment"]):
    def active(self) -> Self:
        return self.filter(ended_at__isnull=True)

    def with_details(self, since: dt.date) -> "CommitmentQuerySet":
        """Fetch the maker, waiting changes and the marks from SINCE on, in one go."""
        return (
            self.select_related("made_by", "agreement", "repair")
            .prefetch_related(
                Prefetch(
                    "wordings",
                    queryset=CommitmentWording.objects.waiting().select_related(
                        "proposed_by"
                    ),
                    to_attr="waiting_wordings",
                )
            )
            .prefetch_related(
                Prefetch(
                    "marks",
                    queryset=Mark.objects.filter(on__gte=since).order_by("-on"),
                    to_attr="recent_marks",
                )
            )
        )

    def newest_first(self) -> Self:
        return self.order_by("ended_at", "-created_at", "-pk")

    def occurrences_between(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[Occurrence]:
        """Return every occurrence of these commitments in [START, END), by time.

        For a member's calendar: call it on Commitment.objects.for_member(user).
        Each occurrence has a neutral title ("Commitment"), never the commitment's
        words, so a calendar on a shared screen says nothing personal; its `on` is
        the day it falls for the person who made it, in their time zone, across
        daylight-saving changes. START and END must be aware; a window longer than
        MAX_WINDOW raises Refused. One query.
        """
        start, end = check_moment(start), check_moment(end)
        if end <= start or end - start > MAX_WINDOW:
            raise Refused(_("Please ask for a window of up to 400 days."))
        found: list[Occurrence] = []
        title = str(_("Commitment"))
        for item in self.select_related("made_by"):
            until = min(end, item.ended_at) if item.ended_at else end
            if until <= start:
                continue
            schedule = item.schedule()
            found += [
                Occurrence(
                    code=str(item.code),
                    title=title,
                    starts_at=moment,
                    on=schedule.local_day(moment),
                    made_by_id=item.made_by_id,
                )
                for moment in schedule.between(start, until)
            ]
        return sorted(found, key=lambda o: (o.starts_at, o.code))


class Commitment(WordsFields, SpaceOwned):
    """A promise one partner makes to the other; its words change only by both."""

    made_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Where it came from: an agreement or a repair (both exist below), or something
    # a feature built later names by its kind and code (a conversation): that feature
    # sets it and reads it; this app never imports it.
    agreement = models.ForeignKey(
        Agreement, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    repair = models.ForeignKey(
        Repair, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    came_from_kind = models.CharField(max_length=30, blank=True)
    came_from_code = models.UUIDField(null=True, blank=True)

    author_field = "made_by"
    export_labels = {"text": gettext_lazy("Commitment")}

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["space", "ended_at", "-created_at"])]

    def __str__(self) -> str:
        return f"commitment {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment", args=[self.code])

    def zone(self) -> str:
        return self.made_by.time_zone if self.made_by else "UTC"

    def schedule(self) -> Schedule:
        return self.words().schedule(self.zone())

    def is_ended(self) -> bool:
        return self.ended_at is not None

    def waiting_change(self) -> "CommitmentWording | None":
        """Return the change on the table, from with_details() when fetched there."""
        waiting = getattr(self, "waiting_wordings", None)
        if waiting is None:
            waiting = list(self.wordings.waiting().select_related("proposed_by"))
        return max(waiting, key=lambda w: w.number) if waiting else None

    @classmethod
    @transaction.atomic
    def make(
        cls,
        space: Space,
        by: User,
        words: Words,
        *,
        agreement: Agreement | None = None,
        repair: Repair | None = None,
        came_from: tuple[str, Any] | None = None,
    ) -> "Commitment":
        """Return a new commitment BY makes to their partner, its schedule checked."""
        for source in (agreement, repair):
            if source is not None and source.space_id != space.pk:
                raise Refused(_("That isn't one of your space's items."), status=404)
        words = words.cleaned(by.time_zone, today_for(by))
        kind, code = came_from or ("", None)
        return cls.objects.create(
            space=space,
            made_by=by,
            agreement=agreement,
            repair=repair,
            came_from_kind=kind,
            came_from_code=code,
            **words.as_fields(),
        )

    def _lock(self) -> None:
        Commitment.objects.select_for_update().filter(pk=self.pk).values_list(
            "pk"
        ).first()
        self.refresh_from_db()

    def _refuse_if_ended(self) -> None:
        if self.ended_at is not None:
            raise Refused(_("This commitment has ended."), status=409)

    # Occurrences -----------------------------------------------------------------

    def occurrence_on(self, on: dt.date) -> dt.datetime | None:
        """Return when this commitment falls on the maker's local day ON, if it does."""
        check_day(on)
        schedule = self.schedule()
        zone = self.made_by.tzinfo if self.made_by else dt.UTC
        start = dt.datetime.combine(on, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        found = schedule.between(start.astimezone(dt.UTC), end.astimezone(dt.UTC))
        found = [m for m in found if self.ended_at is None or m < self.ended_at]
        return found[0] if found else None

    def recent_days(self, days: int = 7) -> list[tuple[dt.date, dt.datetime]]:
        """Return (day, when) of the occurrences in the last DAYS, to today, newest first."""
        now = timezone.now()
        schedule = self.schedule()
        start = now - dt.timedelta(days=days)
        until = min(now, self.ended_at) if self.ended_at else now
        if until <= start:
            return []
        moments = schedule.between(start, until + dt.timedelta(seconds=1))
        return [(schedule.local_day(m), m) for m in reversed(moments)]

    def next_occurrence(self) -> dt.datetime | None:
        if self.ended_at is not None:
            return None
        now = timezone.now()
        found = self.schedule().between(now, now + dt.timedelta(days=400))
        return found[0] if found else None

    def marks_by_day(self) -> dict[dt.date, "Mark"]:
        marks = getattr(self, "recent_marks", None)
        if marks is None:
            marks = list(self.marks.all())
        return {m.on: m for m in marks}

    def recent_occurrences(self, days: int = 7) -> list[dict[str, Any]]:
        """Return the recent occurrences with their marks, for a page."""
        marks = self.marks_by_day()
        return [
            {"on": on, "at": at, "mark": marks.get(on)}
            for on, at in self.recent_days(days)
        ]

    @transaction.atomic
    def mark(self, by: User, on: dt.date, *, kept: bool, note: str = "") -> "Mark":
        """Record BY's own view of the occurrence on ON: kept or missed.

        Only the maker marks, and only an occurrence that has come. Changing a mark
        clears the partner's view of the earlier one: they saw something else.
        """
        if by.pk != self.made_by_id:
            raise Refused(
                _(
                    "Only the person who made this commitment marks it. You can "
                    "confirm their mark or say how you saw it."
                ),
                status=403,
            )
        note = clean(note, _("note"), MAX_NOTE, required=False)
        self._lock()
        due = self.occurrence_on(on)
        if due is None:
            raise Refused(_("This commitment doesn't fall on that day."))
        if due > timezone.now():
            raise Refused(
                _("That time hasn't come yet. You can mark it once it has passed.")
            )
        status = Mark.Status.KEPT if kept else Mark.Status.MISSED
        mark = Mark.objects.filter(commitment=self, on=on).first()
        if mark is None:
            return Mark.objects.create(
                space_id=self.space_id,
                commitment=self,
                on=on,
                due_at=due,
                status=status,
                marked_by=by,
                note=note,
            )
        if mark.status != status:
            mark.partner_view = ""
            mark.partner_note = ""
            mark.partner_at = None
        mark.status, mark.note, mark.marked_at = status, note, timezone.now()
        mark.save()
        return mark

    @transaction.atomic
    def respond(self, by: User, on: dt.date, *, agrees: bool, note: str = "") -> "Mark":
        """Record the partner's view of a marked occurrence, beside the maker's."""
        if by.pk == self.made_by_id:
            raise Refused(
                _("This is your own commitment: your partner confirms your mark."),
                status=403,
            )
        note = clean(note, _("sentence"), MAX_NOTE, required=not agrees)
        self._lock()
        mark = Mark.objects.filter(commitment=self, on=check_day(on)).first()
        if mark is None:
            raise Refused(
                _("Nothing to confirm yet: this day hasn't been marked."), status=409
            )
        mark.partner_view = Mark.View.CONFIRMED if agrees else Mark.View.DIFFERENTLY
        mark.partner_note = note
        mark.partner_at = timezone.now()
        mark.save(update_fields=["partner_view", "partner_note", "partner_at"])
        return mark

    # Changes (both partners) -----------------------------------------------------

    @transaction.atomic
    def propose_change(self, by: User, words: Words) -> "CommitmentWording":
        """Propose new words; the words in force stand until the partner affirms."""
        words = words.cleaned(self.zone(), today_for(self.made_by))
        self._lock()
        self._refuse_if_ended()
        if words == self.words():
            raise Refused(_("These are already the commitment's words."), status=409)
        return self._propose(by, words, is_ending=False)

    @transaction.atomic
    def propose_end(self, by: User) -> "CommitmentWording":
        """Propose ending it; it goes on until the partner agrees."""
        self._lock()
        self._refuse_if_ended()
        return self._propose(by, self.words(), is_ending=True)

    def _propose(
        self, by: User, words: Words, *, is_ending: bool
    ) -> "CommitmentWording":
        now = timezone.now()
        self.wordings.waiting().update(superseded_at=now)
        last = self.wordings.order_by("-number").values_list("number", flat=True)
        wording = CommitmentWording.objects.create(
            space_id=self.space_id,
            commitment=self,
            number=(last.first() or 0) + 1,
            proposed_by=by,
            proposed_at=now,
            is_ending=is_ending,
            **words.as_fields(),
        )
        # It waits for the partner's yes: home shows it live, a push may reach them.
        _tell(wording, by, "proposed", waits_on_partner=True)
        return wording


class CommitmentWordingQuerySet(WordingQuerySet["CommitmentWording"]):
    pass


class CommitmentWording(WordsFields, Wording):
    """A proposed change to a commitment (new words, or ending it).

    Proposing is the proposer's yes; the partner's typed affirmation is the second,
    which brings it into force (mend/consent).
    """

    confirmed_by_proposer = False

    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="wordings")
    is_ending = models.BooleanField(default=False)

    objects = CommitmentWordingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "number"], name="one_number_per_commitment_change"
            )
        ]

    def __str__(self) -> str:
        return f"change {self.number} of commitment {self.commitment_id}"

    def lock_subject(self) -> None:
        self.commitment._lock()
        self.commitment._refuse_if_ended()

    def changed(self, by: User, change: str) -> None:
        _tell(self, by, change)

    def come_into_force(self, now: dt.datetime) -> None:
        commitment = self.commitment
        if self.is_ending:
            commitment.ended_at = now
            commitment.save(update_fields=["ended_at"])
            return
        for name, value in self.words().as_fields().items():
            setattr(commitment, name, value)
        commitment.save()


class MarkQuerySet(SpaceOwnedQuerySet["Mark"]):
    pass


class Mark(SpaceOwned):
    """One occurrence as its maker saw it, and beside it as the partner saw it."""

    class Status(models.TextChoices):
        KEPT = "kept", gettext_lazy("kept")
        MISSED = "missed", gettext_lazy("missed")

    class View(models.TextChoices):
        NONE = "", gettext_lazy("not yet seen")
        CONFIRMED = "confirmed", gettext_lazy("confirmed")
        DIFFERENTLY = "differently", gettext_lazy("saw it differently")

    commitment = models.ForeignKey(Commitment, models.CASCADE, related_name="marks")
    on = BoundedDateField()
    due_at = BoundedDateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    marked_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=MAX_NOTE, blank=True)
    partner_view = models.CharField(
        max_length=12, choices=View.choices, blank=True, default=""
    )
    partner_note = models.CharField(max_length=MAX_NOTE, blank=True)
    partner_at = models.DateTimeField(null=True, blank=True)

    author_field = "marked_by"

    objects = MarkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "on"], name="one_mark_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["space", "on"])]

    def __str__(self) -> str:
        return f"mark {self.on} of {self.commitment_id}"

    def is_kept(self) -> bool:
        return self.status == self.Status.KEPT


# Disclosures -----------------------------------------------------------------------


class DisclosureQuerySet(SpaceOwnedQuerySet["Disclosure"]):
    def newest_first(self) -> Self:
        return self.select_related("author", "responded_by").order_by("-told_at", "-pk")


class Disclosure(SpaceOwned):
    """Something one partner tells the other, in their own words, when they choose."""

    class Kind(models.TextChoices):
        CONTACT = "contact", gettext_lazy("a contact")
        TEMPTATION = "temptation", gettext_lazy("a temptation")
        SLIP = "slip", gettext_lazy("a slip")
        MONEY = "money", gettext_lazy("money")
        CORRECTION = "correction", gettext_lazy("a lie corrected")
        OTHER = "other", gettext_lazy("something else")

    author = models.ForeignKey(User, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    what = models.TextField(gettext_lazy("what happened"), max_length=MAX_LONG)
    happened_at = BoundedDateTimeField()
    told_at = BoundedDateTimeField(default=timezone.now)
    is_told_in_person = models.BooleanField(default=False)
    # It adds to or changes something told before: shown as such, never punished.
    is_late_addition = models.BooleanField(default=False)
    response = models.TextField(max_length=MAX_LONG, blank=True)
    responded_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["space", "-told_at"])]

    def __str__(self) -> str:
        return f"disclosure {self.code}"

    def delay(self) -> dt.timedelta:
        """Return the time between when it happened and when it was told."""
        told_at: dt.datetime = self.told_at
        happened_at: dt.datetime = self.happened_at
        return told_at - happened_at

    def delay_hours(self) -> float:
        return self.delay().total_seconds() / 3600

    @classmethod
    def log(
        cls,
        space: Space,
        by: User,
        *,
        what: str,
        happened_at: dt.datetime,
        kind: str = "other",
        told_at: dt.datetime | None = None,
        told_in_person: bool = False,
        late_addition: bool = False,
    ) -> "Disclosure":
        """Return a new disclosure BY makes; refuse one told before it happened."""
        if kind not in cls.Kind.values:
            raise Refused(_("Please choose what it is about."))
        what = clean(what, _("disclosure"), MAX_LONG)
        now = timezone.now()
        happened_at = check_moment(happened_at)
        told_at = check_moment(told_at) if told_at is not None else now
        if told_at > now:
            raise Refused(_("The time it was told can't be in the future."))
        if happened_at > told_at:
            raise Refused(
                _("It can't have been told before it happened. Please check the times.")
            )
        return cls.objects.create(
            space=space,
            author=by,
            kind=kind,
            what=what,
            happened_at=happened_at,
            told_at=told_at,
            is_told_in_person=told_in_person,
            is_late_addition=late_addition,
        )

    def _refuse_author(self, by: User) -> None:
        if by.pk == self.author_id:
            raise Refused(
                _("This is your own disclosure: your partner answers it."), status=403
            )

    def respond(self, by: User, response: str) -> None:
        """Record how it landed for the partner who was told."""
        self._refuse_author(by)
        self.response = clean(response, _("response"), MAX_LONG)
        self.responded_by, self.responded_at = by, timezone.now()
        self.save(update_fields=["response", "responded_by", "responded_at"])

    def thank(self, by: User) -> None:
        self._refuse_author(by)
        if self.thanked_at is None:
            self.thanked_at = timezone.now()
            self.save(update_fields=["thanked_at"])


# Questions -------------------------------------------------------------------------

# Words that ask for graphic sexual detail. A gentle suggestion, never a block: the
# question goes if its asker sends it.
GRAPHIC_WORDS = (
    "graphic",
    "in detail",
    "every detail",
    "position",
    "positions",
    "oral",
    "orgasm",
    "naked",
    "undress",
    "what did it feel like",
    "how was the sex",
    "was the sex",
    "better in bed",
    "how big",
    "what did you do in bed",
    "describe the sex",
)


def asks_for_graphic_detail(text: str) -> bool:
    lowered = f" {' '.join((text or '').lower().split())} "
    return any(f" {w} " in lowered or f" {w}?" in lowered for w in GRAPHIC_WORDS)


GRAPHIC_NOTE = gettext_lazy(
    "This question may ask for sexual detail. Answers to questions like this often "
    "leave pictures that are hard to put down, and tend to deepen the hurt rather "
    "than heal it. You might ask what it meant, or what has changed, instead. It's "
    "your choice: you can still send it as it is."
)


class QuestionQuerySet(PrivateContentQuerySet["Question"]):
    pass


class Question(PrivateContent):
    """A question for the other partner: sealed under its asker's key until sent."""

    class Topic(models.TextChoices):
        TIMELINE = "timeline", gettext_lazy("timeline")
        SCOPE = "scope", gettext_lazy("scope")
        MEANING = "meaning", gettext_lazy("meaning")
        SECRECY = "secrecy", gettext_lazy("secrecy")
        WHAT_NOW = "what_now", gettext_lazy("what now")
        OTHER = "other", gettext_lazy("something else")

    topic = models.CharField(max_length=10, choices=Topic.choices, default=Topic.OTHER)

    export_labels = {"text": gettext_lazy("Question")}

    objects = QuestionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"question {self.code}"

    @classmethod
    def draft(
        cls, space: Space, by: User, key: bytes | None, *, text: str, topic: str
    ) -> "Question":
        if topic not in cls.Topic.values:
            raise Refused(_("Please choose what the question is about."))
        question = cls(space=space, author=by, topic=topic)
        question.set_content(key, {"text": clean(text, _("question"), MAX_LONG)})
        question.save()
        return question

    def answers_newest_first(self) -> list["Answer"]:
        return sorted(self.answers.all(), key=lambda a: -a.number)

    def set_shared(self, key: bytes | None, by: User, *, share: bool) -> dict[str, Any]:
        """Send the question (or take it back); the partner's home shows it live."""
        was_shared = self.is_shared
        content = super().set_shared(key, by, share=share)
        if share != was_shared:
            _tell(self, by, "sent" if share else "withdrawn", waits_on_partner=share)
        return content


class Answer(SpaceOwned):
    """One answer to a question; a later edit is a new one, the earlier stays."""

    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    author = models.ForeignKey(User, models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=MAX_LONG, blank=True)
    # "Let's talk about this with our counselor / in a conversation."
    is_for_talk = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SpaceOwnedQuerySet["Answer"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="one_number_per_answer"
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.number} to {self.question_id}"

    @classmethod
    @transaction.atomic
    def give(
        cls, question: Question, by: User, *, text: str, for_talk: bool = False
    ) -> "Answer":
        """Answer QUESTION as BY, the partner it was sent to; earlier answers stay."""
        if by.pk == question.author_id:
            raise Refused(
                _("You asked this question: your partner is the one to answer it."),
                status=403,
            )
        if not question.is_shared:
            raise Refused(_("This question hasn't been sent."), status=404)
        text = clean(text, _("answer"), MAX_LONG, required=not for_talk)
        Question.objects.select_for_update().filter(pk=question.pk).first()
        last = cls.objects.filter(question=question).order_by("-number").first()
        answer = cls.objects.create(
            space_id=question.space_id,
            question=question,
            author=by,
            number=(last.number if last else 0) + 1,
            text=text,
            is_for_talk=for_talk,
        )
        _tell(question, by, "answered")
        return answer


# Slips -----------------------------------------------------------------------------


class SlipQuerySet(PrivateContentQuerySet["Slip"]):
    pass


class Slip(PrivateContent):
    """A slip recorded to learn from: what led to it, what was learned, one step.

    Private by default (sealed under the author's key); shared only if they choose.
    """

    class Kind(models.TextChoices):
        MISSED = "missed", gettext_lazy("a missed commitment")
        RELAPSE = "relapse", gettext_lazy("a relapse")
        MIDDLE = "middle", gettext_lazy("a crossed middle-circle line")
        OTHER = "other", gettext_lazy("something else")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    on = BoundedDateField(gettext_lazy("the day"))
    step_commitment = models.ForeignKey(
        Commitment, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A relapse can start a new run of one of the author's milestones.
    milestone = models.ForeignKey(
        "Milestone", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    export_labels = {
        "led_to": gettext_lazy("What led to it"),
        "learned": gettext_lazy("What I learned"),
        "step": gettext_lazy("One step"),
    }

    objects = SlipQuerySet.as_manager()

    def __str__(self) -> str:
        return f"slip {self.code}"


# Milestones and goals --------------------------------------------------------------


class MilestoneQuerySet(SpaceOwnedQuerySet["Milestone"]):
    def with_runs(self) -> "MilestoneQuerySet":
        return self.select_related("created_by").prefetch_related(
            Prefetch("runs", queryset=Run.objects.order_by("started_on", "pk"))
        )


class Milestone(SpaceOwned):
    """A streak the couple chooses ("days sober"); it is made of runs, all kept."""

    class Unit(models.TextChoices):
        DAYS = "days", gettext_lazy("days")
        WEEKS = "weeks", gettext_lazy("weeks")

    created_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    name = models.CharField(max_length=MAX_TEXT)
    unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.DAYS)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MilestoneQuerySet.as_manager()

    def __str__(self) -> str:
        return f"milestone {self.code}"

    @classmethod
    @transaction.atomic
    def start(
        cls,
        space: Space,
        by: User,
        *,
        name: str,
        started_on: dt.date,
        unit: str = "days",
    ) -> "Milestone":
        if unit not in cls.Unit.values:
            raise Refused(_("Please count in days or weeks."))
        name = clean(name, _("name"), MAX_TEXT)
        if check_day(started_on) > today_for(by):
            raise Refused(_("A streak starts today or earlier."))
        milestone = cls.objects.create(space=space, created_by=by, name=name, unit=unit)
        Run.objects.create(space=space, milestone=milestone, started_on=started_on)
        return milestone

    def runs_in_order(self) -> list["Run"]:
        return sorted(self.runs.all(), key=lambda r: (r.started_on, r.pk))

    def current_run(self) -> "Run | None":
        runs = self.runs_in_order()
        return runs[-1] if runs and runs[-1].ended_on is None else None

    def current_days(self, today: dt.date) -> int:
        run = self.current_run()
        return run.days(today) if run else 0

    def total_days(self, today: dt.date) -> int:
        return sum(run.days(today) for run in self.runs_in_order())

    def longest_days(self, today: dt.date) -> int:
        return max((run.days(today) for run in self.runs_in_order()), default=0)

    def in_unit(self, days: int) -> int:
        return days // 7 if self.unit == self.Unit.WEEKS else days

    def reached(self, today: dt.date) -> int | None:
        """Return the mark (in days) the current run reached in the last few days."""
        run = self.current_run()
        if run is None:
            return None
        days = run.days(today)
        recent = [m for m in MARKS if days - CELEBRATE_DAYS < m <= days]
        return recent[-1] if recent else None

    @transaction.atomic
    def new_run(self, by: User, on: dt.date) -> "Run":
        """After a relapse on ON: end the current run there and start a new one.

        Every earlier run stays, and so does the total: nothing resets to zero.
        """
        if by.pk != self.created_by_id:
            raise Refused(
                _("Only the person who set this streak starts a new run of it."),
                status=403,
            )
        Milestone.objects.select_for_update().filter(pk=self.pk).first()
        current = self.current_run()
        if check_day(on) > today_for(by):
            raise Refused(_("A new run starts today or earlier."))
        if current is not None and on < current.started_on:
            raise Refused(_("A new run can't start before the current one did."))
        if current is not None:
            current.ended_on = on
            current.save(update_fields=["ended_on"])
        run = Run.objects.create(space_id=self.space_id, milestone=self, started_on=on)
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("runs", None)
        return run


class Run(SpaceOwned):
    """One unbroken run of a milestone: from its start to a relapse (or to today)."""

    milestone = models.ForeignKey(Milestone, models.CASCADE, related_name="runs")
    started_on = BoundedDateField()
    ended_on = BoundedDateField(null=True, blank=True)

    objects = SpaceOwnedQuerySet["Run"].as_manager()

    def __str__(self) -> str:
        return f"run of {self.milestone_id} from {self.started_on}"

    def days(self, today: dt.date) -> int:
        started_on: dt.date = self.started_on
        return max(0, ((self.ended_on or today) - started_on).days)


class GoalQuerySet(SpaceOwnedQuerySet["Goal"]):
    def newest_first(self) -> Self:
        return self.select_related("created_by", "assignee").order_by(
            "done_at", "due_on", "pk"
        )


class Goal(SpaceOwned):
    """A measurable, time-bound goal ("finish the therapy module by 15 March")."""

    created_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    text = models.CharField(max_length=MAX_TEXT)
    due_on = BoundedDateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # An assignment: set by someone outside the couple (their counselor) for one
    # partner (assignee) or both (no assignee). Whoever it is for marks it done.
    assigned_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Not CASCADE: erasing an account never deletes a row of the couple's by a
    # key other than its own author's (mend/privacy/tests/test_erase.py).
    assignee = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GoalQuerySet.as_manager()

    def __str__(self) -> str:
        return f"goal {self.code}"

    @classmethod
    def set(cls, space: Space, by: User, *, text: str, due_on: dt.date) -> "Goal":
        text = clean(text, _("goal"), MAX_TEXT)
        if check_day(due_on) < today_for(by):
            raise Refused(_("Please choose a date from today onwards."))
        return cls.objects.create(space=space, created_by=by, text=text, due_on=due_on)

    @classmethod
    def assign(
        cls,
        space: Space,
        by: User,
        *,
        text: str,
        due_on: dt.date,
        assignee: User | None = None,
    ) -> "Goal":
        """Set a task for ASSIGNEE (or both partners) from BY, who is not a partner.

        Who may assign is the caller's rule (the counselor app checks BY serves
        SPACE); this checks only that the task is for someone in the couple.
        """
        text = clean(text, _("task"), MAX_TEXT)
        if assignee is not None and assignee.pk not in {p.pk for p in space.partners()}:
            raise Refused(
                _("A task can be for either partner of this couple, or both.")
            )
        if check_day(due_on) < today_for(by):
            raise Refused(_("Please choose a date from today onwards."))
        return cls.objects.create(
            space=space,
            created_by=by,
            assigned_by=by,
            assignee=assignee,
            text=text,
            due_on=due_on,
        )

    def is_for(self, user: User) -> bool:
        """Return whether USER marks this done: the goal's setter, or an assignee."""
        if self.assigned_by_id is None:
            return user.pk == self.created_by_id
        return self.assignee_id is None or user.pk == self.assignee_id

    def mark_done(self, by: User) -> None:
        if not self.is_for(by):
            raise Refused(
                _("The person this is for marks it done.")
                if self.assigned_by_id
                else _("The person who set this goal marks it done."),
                status=403,
            )
        if self.done_at is None:
            self.done_at = timezone.now()
            self.done_by = by
            self.save(update_fields=["done_at", "done_by"])


def calendar_items(member: User) -> list[CalendarItem]:
    """MEMBER's couple's commitments in force as calendar items (mend/calendar's
    SOURCES): titled "Commitment", never their words, on their maker's clock."""
    return [
        CalendarItem(
            uid=f"commitment-{item.code}",
            title=str(_("Commitment")),
            path=f"/commitments/{item.code}/",
            schedule=item.schedule(),
        )
        for item in Commitment.objects.for_member(member)
        .active()
        .select_related("made_by")
        .order_by("created_at")[:50]
    ]
