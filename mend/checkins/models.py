"""Check-ins: the couple's rhythm of short questions, each partner answering alone.

Rules enforced here:
- A check-in belongs to the couple; either partner may edit its prompts and its
  schedule, which runs on the clock of the partner who set it.
- An answer is about one scheduled occurrence that has come (never one to come).
- Answers follow the mutual reveal (mend/privacy/models.py MutualReveal): hidden
  from the partner until both have shared theirs about the same occurrence, or the
  writer shows theirs early; a private answer stays sealed under its author's key.
"""

from datetime import date, datetime, time, timedelta
from typing import Any, Self
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.agenda import CalendarItem
from mend.lib.dates import check_day
from mend.lib.errors import Refused
from mend.lib.recurrence import DAILY, WEEKLY, Schedule, ScheduleError, known_zone
from mend.live.actions import record_event
from mend.live.models import Event
from mend.notify.models import Reminder
from mend.privacy.models import (
    MutualReveal,
    MutualRevealQuerySet,
    open_entries_counting,
)

KIND = _("check-in answer")
# The answers a trend reads at most: about two years of daily check-ins for two.
MAX_TREND_ANSWERS = 2_500
SLIDER_MIN, SLIDER_MAX = 0, 10
MAX_PROMPTS = 12
MAX_PROMPT = 200
MAX_ANSWER = 2_000
MAX_NAME = 80
# How far back an occurrence can still be answered, and reminded of.
ANSWER_WINDOW = timedelta(days=8)
# A reminder of an occurrence still goes out this long after its time (a restart).
REMIND_WINDOW = timedelta(hours=12)


def _p(text: Any, slider: bool = False) -> dict[str, Any]:
    return {"text": str(text), "is_slider": slider}


class Kind(models.TextChoices):
    DAILY = "daily", _("Daily check-in")
    WEEKLY = "weekly", _("Weekly review")
    TRANSPARENCY = "transparency", _("Transparency window")
    OWN = "own", _("Our own")


def preset_prompts(kind: str) -> list[dict[str, Any]]:
    """Return the prompts a new check-in of KIND starts with; the couple can edit them."""
    if kind == Kind.DAILY:
        return [
            _p(_("How safe do I feel today?"), slider=True),
            _p(_("How much do I trust us today?"), slider=True),
            _p(_("How close do I feel today?"), slider=True),
            _p(_("One thing I appreciated")),
            _p(_("One thing I need")),
        ]
    if kind == Kind.WEEKLY:
        return [
            _p(_("What went well this week")),
            _p(_("What was hard")),
            _p(_("Commitments and agreements that are due")),
            _p(_("Questions still open")),
        ]
    if kind == Kind.TRANSPARENCY:
        return [
            _p(_("Money")),
            _p(_("Contacts")),
            _p(_("Temptations")),
            _p(_("Boundaries")),
        ]
    return [_p(_("How am I doing?"))]


def preset_frequency(kind: str) -> str:
    return DAILY if kind == Kind.DAILY else WEEKLY


def clean_prompts(prompts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return PROMPTS tidied, or raise Refused saying what is wrong."""
    cleaned = [
        _p((p.get("text") or "").strip(), bool(p.get("is_slider"))) for p in prompts
    ]
    cleaned = [p for p in cleaned if p["text"]]
    if not cleaned:
        raise Refused(_("Write at least one prompt."))
    if len(cleaned) > MAX_PROMPTS:
        raise Refused(
            _("A check-in can have up to %(max)s prompts.") % {"max": MAX_PROMPTS}
        )
    if any(len(p["text"]) > MAX_PROMPT for p in cleaned):
        raise Refused(
            _("Each prompt can be up to %(max)s characters.") % {"max": MAX_PROMPT}
        )
    if len({p["text"] for p in cleaned}) != len(cleaned):
        raise Refused(_("Two prompts have the same words; make each one different."))
    return cleaned


class CheckInQuerySet(SpaceOwnedQuerySet["CheckIn"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def with_answers_since(self, since: datetime) -> Self:
        """Prefetch answers to recent occurrences (as recent_answers), author too."""
        return self.prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(occurs_at__gte=since).select_related(
                    "author"
                ),
                to_attr="recent_answers",
            )
        )


class CheckIn(SpaceOwned):
    """A recurring check-in the couple keeps: its name, prompts and schedule."""

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OWN)
    name = models.CharField(_("name"), max_length=MAX_NAME)
    prompts = models.JSONField(default=list)
    # The schedule (mend/lib/recurrence.py), on the clock of whoever set it.
    frequency = models.CharField(max_length=10, default=DAILY)
    starts_on = models.DateField()
    at = models.TimeField()
    zone = models.CharField(max_length=64)
    weekdays = models.JSONField(default=list, blank=True)
    interval = models.PositiveSmallIntegerField(default=1)
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["space", "is_active"])]

    def __str__(self) -> str:
        return f"check-in {self.code}"

    def schedule(self) -> Schedule:
        # A zone this server no longer knows (a tzdata change, a row written by hand)
        # reads as UTC, as a person's own time zone does (accounts.User.tzinfo).
        zone = self.zone if known_zone(self.zone) else "UTC"
        return Schedule(
            starts_on=self.starts_on,
            at=self.at,
            zone=zone,
            frequency=self.frequency,
            weekdays=tuple(self.weekdays or ()),
            interval=self.interval,
            ends_on=self.ends_on,
        )

    def set_schedule(self, schedule: Schedule) -> None:
        """Set the schedule, refusing one that never happens (ScheduleError -> Refused).

        A new start may lie at most a year back: the rule is expanded from its start.
        """
        if schedule.at.tzinfo is not None:
            raise Refused(_("Give the time without a time zone: it is on your clock."))
        check_day(schedule.starts_on)
        if schedule.ends_on is not None:
            check_day(schedule.ends_on)
        if schedule.starts_on != getattr(self, "starts_on", None):
            today = timezone.now().date()
            if schedule.starts_on < today - timedelta(days=366):
                raise Refused(_("Please start the check-in at most a year back."))
        try:
            schedule.validate()
        except ScheduleError as e:
            raise Refused(str(e)) from e
        self.frequency = schedule.frequency
        self.starts_on = schedule.starts_on
        self.at = schedule.at
        self.zone = schedule.zone
        self.weekdays = sorted(set(schedule.weekdays))
        self.interval = schedule.interval
        self.ends_on = schedule.ends_on

    def set_prompts(self, prompts: list[dict[str, Any]]) -> None:
        self.prompts = clean_prompts(prompts)

    def rename(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise Refused(_("Give the check-in a name."))
        if len(name) > MAX_NAME:
            raise Refused(
                _("A name can be up to %(max)s characters.") % {"max": MAX_NAME}
            )
        self.name = name

    def stop(self) -> None:
        """Stop the check-in (either partner); its earlier answers stay."""
        self.is_active = False
        self.save(update_fields=["is_active"])

    def latest_occurrence(self, now: datetime) -> datetime | None:
        """Return the last occurrence that has come, within ANSWER_WINDOW."""
        found = self.schedule().between(now - ANSWER_WINDOW, now + timedelta(seconds=1))
        return found[-1] if found else None

    def next_occurrence(self, now: datetime) -> datetime | None:
        found = self.schedule().between(
            now + timedelta(seconds=1), now + timedelta(days=7 * 53)
        )
        return found[0] if found else None

    def check_occurrence(self, at: datetime, now: datetime) -> datetime:
        """Return AT if it is an occurrence that has come, or raise Refused."""
        if timezone.is_naive(at):
            raise Refused(_("Please give the time with its time zone."))
        if at > now:
            raise Refused(
                _("That check-in hasn't come yet; answer it once its time has come.")
            )
        if not self.schedule().between(at, at + timedelta(seconds=1)):
            raise Refused(_("This check-in isn't scheduled at that time."))
        if at < now - ANSWER_WINDOW:
            raise Refused(
                _("That check-in is more than a week ago; answer a newer one.")
            )
        return at

    def clean_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Return ANSWERS keyed by prompt, in prompt order, or raise Refused.

        Sliders take whole numbers from 0 to 10; text up to MAX_ANSWER characters.
        """
        known = {p["text"]: p for p in self.prompts}
        unknown = [name for name in answers if name not in known]
        if unknown:
            raise Refused(_("Answer the check-in's own prompts."))
        cleaned: dict[str, Any] = {}
        for prompt in self.prompts:
            value = answers.get(prompt["text"])
            if value is None or value == "":
                continue
            if prompt["is_slider"]:
                if isinstance(value, bool) or not isinstance(value, int | str):
                    raise Refused(_("A slider takes a whole number from 0 to 10."))
                try:
                    number = int(value)
                except ValueError as e:
                    raise Refused(
                        _("A slider takes a whole number from 0 to 10.")
                    ) from e
                if not SLIDER_MIN <= number <= SLIDER_MAX:
                    raise Refused(_("A slider takes a whole number from 0 to 10."))
                cleaned[prompt["text"]] = number
            else:
                text = str(value).strip()
                if len(text) > MAX_ANSWER:
                    raise Refused(
                        _("Each answer can be up to %(max)s characters.")
                        % {"max": MAX_ANSWER}
                    )
                if text:
                    cleaned[prompt["text"]] = text
        if not cleaned:
            raise Refused(_("Answer at least one prompt; any one is enough."))
        return cleaned

    def calendar_item(self) -> CalendarItem:
        return CalendarItem(
            uid=f"checkin-{self.code}",
            title=str(_("Check-in")),
            path="/checkins/",
            schedule=self.schedule(),
        )


class AnswerQuerySet(MutualRevealQuerySet["Answer"]):
    def newest_first(self) -> Self:
        return self.select_related("author", "check_in").order_by(
            "-occurs_at", "-created_at"
        )


class Answer(MutualReveal):
    """One partner's answers to one occurrence of a check-in (sealed while private)."""

    check_in = models.ForeignKey(CheckIn, models.CASCADE, related_name="answers")
    occurs_at = models.DateTimeField()
    occurrence_fields = ("check_in", "occurs_at")

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["check_in", "occurs_at", "author"],
                name="one_answer_per_occurrence_per_person",
            )
        ]
        indexes = [models.Index(fields=["space", "occurs_at"])]

    def __str__(self) -> str:
        return f"check-in answer {self.code}"

    def set_shared(self, key: bytes | None, by: User, *, share: bool) -> dict[str, Any]:
        was_shared = self.is_shared
        content = super().set_shared(key, by, share=share)
        if share != was_shared:
            self.tell(by, "shared" if share else "withdrawn")
        return content

    def tell(self, by: User, change: str) -> None:
        """Tell the couple's open pages (home's "Waiting for you") that this shared
        answer changed. A private answer tells nobody anything, not even that it
        exists."""
        record_event(self.space_id, by, Event.Types.CHECKIN, self.code, change)


def due_for(member: User, now: datetime | None = None) -> list[dict[str, Any]]:
    """Return the check-ins due for MEMBER and not answered yet, for home to show.

    Each is {"check_in", "occurs_at", "is_partner_waiting"}: is_partner_waiting says
    the partner has shared their answer and waits for MEMBER's. Two queries.
    """
    now = now or timezone.now()
    check_ins = list(
        CheckIn.objects.for_member(member)
        .active()
        .with_answers_since(now - ANSWER_WINDOW)
        .order_by("created_at")[:50]
    )
    due = []
    for check_in in check_ins:
        at = check_in.latest_occurrence(now)
        if at is None:
            continue
        answers = [a for a in check_in.recent_answers if a.occurs_at == at]  # type: ignore[attr-defined]  # the prefetch's to_attr
        if any(a.author_id == member.pk for a in answers):
            continue
        due.append(
            {
                "check_in": check_in,
                "occurs_at": at,
                "is_partner_waiting": any(
                    a.is_shared and a.author_id != member.pk for a in answers
                ),
            }
        )
    return due


def calendar_items(member: User) -> list[CalendarItem]:
    """Return MEMBER's couple's active check-ins as neutral calendar items."""
    return [
        c.calendar_item()
        for c in CheckIn.objects.for_member(member).active().order_by("created_at")[:50]
    ]


def default_start(member: User, now: datetime | None = None) -> tuple[date, time]:
    """Return today and 20:00 on MEMBER's clock, a gentle default for a new check-in."""
    now = now or timezone.now()
    return now.astimezone(member.tzinfo).date(), time(20, 0)


def due_reminders(member: User, now: datetime) -> list[Reminder]:
    """Return a reminder for each check-in of MEMBER's whose time came lately and
    that they have not answered. The key names the occurrence, so it goes once.
    """
    reminders = []
    for item in due_for(member, now):
        check_in, at = item["check_in"], item["occurs_at"]
        if at < now - REMIND_WINDOW:
            continue
        reminders.append(
            Reminder(
                user=member,
                topic=f"checkin-{check_in.kind}",
                key=f"checkin:{check_in.code}:{at.isoformat()}",
                path="/checkins/",
            )
        )
    return reminders


def trend_for(
    member: User, key: bytes | None, weeks: int
) -> tuple[list[dict[str, Any]], int]:
    """Return MEMBER's couple's slider trend over the last WEEKS weeks (see trend)
    and how many of MEMBER's private answers KEY could not open."""
    entries = (
        Answer.objects.visible_to(member)
        .filter(occurs_at__gte=timezone.now() - timedelta(weeks=weeks))
        .newest_first()[:MAX_TREND_ANSWERS]
    )
    opened, left_out = open_entries_counting(list(entries), member, key, KIND)
    return trend(opened, member.tzinfo), left_out


def trend(
    opened: list[tuple[Answer, dict[str, Any]]], zone: ZoneInfo
) -> list[dict[str, Any]]:
    """Return each person's weekly average of each 0-10 prompt in OPENED.

    Rule: a trend is of a person's own answers about themselves, by week; never a
    score of one partner by the other, never a ranking. Only answers the viewer may
    read are in OPENED, so a partner's unrevealed answers add nothing.
    """
    sums: dict[tuple[str, str, date], list[int]] = {}
    for entry, content in opened:
        day = entry.occurs_at.astimezone(zone).date()
        week = day - timedelta(days=day.weekday())
        for prompt, value in content.items():
            if isinstance(value, int) and not isinstance(value, bool):
                key = (str(entry.author), prompt, week)
                sums.setdefault(key, []).append(value)
    return [
        {
            "person": person,
            "prompt": prompt,
            "week_of": week,
            "average": round(sum(values) / len(values), 1),
            "answers": len(values),
        }
        for (person, prompt, week), values in sorted(sums.items())
    ]
