import datetime as dt
from typing import Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.errors import Refused
from mend.privacy.export import entry
from mend.privacy.models import PrivateContent, PrivateContentQuerySet

# After sensate focus: the early steps leave intercourse out by design, and each one
# takes turns giving and receiving touch without a goal.
DEFAULT_LADDER = [
    (
        _("Time together"),
        _("Unhurried time side by side: a walk, a meal, a film. No touch expected."),
    ),
    (
        _("Holding hands"),
        _("Hold hands or sit close while you talk or rest."),
    ),
    (
        _("Hugs and cuddling, clothed"),
        _("Long hugs, leaning on each other, cuddling with clothes on."),
    ),
    (
        _("Non-genital touch, taking turns"),
        _(
            "Take turns giving and receiving touch, avoiding breasts and genitals. "
            "The one receiving can stop or redirect at any moment. There is no goal."
        ),
    ),
    (
        _("Touch that includes breasts and genitals, no intercourse"),
        _(
            "Still taking turns and still without a goal; intercourse stays off the "
            "table at this step."
        ),
    ),
    (
        _("Mutual touch, no intercourse"),
        _("Touching each other at the same time, going as slowly as either wishes."),
    ),
    (
        _("Intercourse, if you both want it"),
        _("Only when you both want it, and either of you can stop at any moment."),
    ),
]
MAX_STEPS = 20


class Plan(SpaceOwned):
    """A couple's staged return to closeness: ordered steps and where they are now.

    Rule: moving up needs both partners' explicit yes, given privately; moving down
    is one tap by either, needs no reason, and the other is told without detail.
    """

    current = models.ForeignKey(
        "Step", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_down_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SpaceOwnedQuerySet["Plan"].as_manager()

    def __str__(self) -> str:
        return f"intimacy plan {self.code}"

    def ordered_steps(self) -> list["Step"]:
        return sorted(self.steps.all(), key=lambda s: (s.position, s.pk))

    def next_step(self) -> "Step | None":
        steps = self.ordered_steps()
        if self.current is None:
            return steps[0] if steps else None
        later = [s for s in steps if s.position > self.current.position]
        return later[0] if later else None

    def previous_step(self) -> "Step | None":
        if self.current is None:
            return None
        earlier = [
            s for s in self.ordered_steps() if s.position < self.current.position
        ]
        return earlier[-1] if earlier else None

    def is_ready(self, user: User) -> bool:
        """Return whether USER said yes to the next step (shown to USER alone)."""
        return any(r.user_id == user.pk for r in self.readiness.all())

    def say_ready(self, by: User) -> bool:
        """Record BY's private yes to the next step; return True if both said yes."""
        step = self.next_step()
        if step is None:
            raise Refused(
                _("You are already at the last step of your plan."), status=409
            )
        Readiness.objects.update_or_create(
            plan=self, user=by, defaults={"step": step, "said_at": timezone.now()}
        )
        yeses = set(
            Readiness.objects.filter(plan=self, step=step).values_list(
                "user_id", flat=True
            )
        )
        partners = {
            m.user_id for m in self.space.memberships.all() if m.left_at is None
        }
        if len(partners) < 2 or not partners <= yeses:
            return False
        self._move(step)
        self.moved_down_by = None
        return True

    def take_back_ready(self, by: User) -> None:
        Readiness.objects.filter(plan=self, user=by).delete()

    def move_to(self, step: "Step", by: User) -> None:
        """Move to an earlier step. Moving up alone is refused: it needs both yeses."""
        if step.plan_id != self.pk:
            raise Refused(_("That step is not in your plan."), status=404)
        if self.current is not None and step.pk == self.current.pk:
            return
        if self.current is None or step.position > self.current.position:
            raise Refused(
                _(
                    "Moving up needs a yes from both of you. Say you're ready; when "
                    "your partner is too, you'll move up together."
                ),
                status=409,
            )
        self._move(step)
        self.moved_down_by = by

    def move_down(self, by: User) -> None:
        step = self.previous_step()
        if step is None:
            raise Refused(_("You are already at the gentlest step."), status=409)
        self.move_to(step, by)

    def _move(self, step: "Step") -> None:
        self.current = step
        self.moved_at = timezone.now()
        # Any earlier yes was for another step; nobody is carried along by it.
        Readiness.objects.filter(plan=self).delete()

    def add_step(self, by: User, title: str, notes: str = "") -> "Step":
        if len(self.ordered_steps()) >= MAX_STEPS:
            raise Refused(_("A plan can hold up to %s steps.") % MAX_STEPS)
        last = max((s.position for s in self.ordered_steps()), default=0)
        return Step.objects.create(
            space_id=self.space_id,
            plan=self,
            position=last + 1,
            title=title,
            notes=notes,
            added_by=by,
        )

    def remove_step(self, step: "Step") -> None:
        if self.current is not None and step.pk == self.current.pk:
            raise Refused(
                _("This is the step you are on; move to another before removing it."),
                status=409,
            )
        Readiness.objects.filter(plan=self, step=step).delete()
        step.delete()


class Step(SpaceOwned):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("step"), max_length=120)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SpaceOwnedQuerySet["Step"].as_manager()

    export_kind = _("Intimacy steps you added")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def export_entries(
        cls, user: User, key: bytes | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the steps USER added to their couple's ladder, in their words."""
        return [
            entry(user, title=step.title, at=None, fields={_("Notes"): step.notes})
            for step in cls.objects.filter(added_by=user).order_by("position")
        ], []

    def rename(self, title: str, notes: str) -> None:
        self.title = title
        self.notes = notes


class Readiness(models.Model):
    """One partner's private yes to the next step; never shown to the other."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="readiness")
    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    step = models.ForeignKey(Step, models.CASCADE, related_name="+")
    said_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="one_yes_per_person")
        ]

    def __str__(self) -> str:
        return f"ready for {self.step_id}"


def default_steps() -> list[dict[str, Any]]:
    return [
        {"position": i, "title": str(title), "notes": str(notes)}
        for i, (title, notes) in enumerate(DEFAULT_LADDER, start=1)
    ]


CHECK_IN_KIND = _("after-intimacy check-in")
# The three questions, in the order they are asked; each answer is optional.
QUESTIONS = {
    "felt_good": _("What felt good"),
    "felt_not_good": _("What didn't feel good"),
    "change_or_keep": _("What I'd like to change or keep"),
}
ANSWERS = tuple(QUESTIONS)
MAX_ANSWER = 2_000


def answered(content: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (question, answer) for each question answered in CONTENT."""
    return [
        (str(question), str(content[name]))
        for name, question in QUESTIONS.items()
        if content.get(name)
    ]


class AfterCheckInQuerySet(PrivateContentQuerySet["AfterCheckIn"]):
    """Rule (mutual reveal): a partner's shared check-in about a day shows only once
    the viewer has shared one about the same day, so neither answer shapes the other.
    A private check-in is never shown to anyone but its author.
    """

    def _viewer_shared_same_day(self, user: Any) -> Exists:
        return Exists(
            AfterCheckIn.objects.filter(
                author=user, is_shared=True, space=OuterRef("space"), on=OuterRef("on")
            )
        )

    def visible_to(self, user: Any) -> Self:
        """Return USER's own check-ins and their partner's revealed ones."""
        return self.for_member(user).filter(
            Q(author=user) | (Q(is_shared=True) & self._viewer_shared_same_day(user))
        )

    def waiting_for(self, user: Any) -> "models.QuerySet[AfterCheckIn, Any]":
        """Return (day, author name) of the partner's shared check-ins not yet revealed.

        Metadata only: no code and no content, so nothing of the answers can leak.
        """
        return (
            self.for_member(user)
            .exclude(author=user)
            .filter(is_shared=True)
            .exclude(self._viewer_shared_same_day(user))
            .values("on", "author__display_name")
            .distinct()
            .order_by("-on")
        )

    def newest_first(self) -> Self:
        return self.select_related("author", "step").order_by("-on", "-created_at")


class AfterCheckIn(PrivateContent):
    """One partner's check-in after time together: what felt good, what didn't, and
    what they'd like to change or keep. The answers are the sealed content; the day
    and the ladder step are plain, so the mutual reveal can match days.
    """

    step = models.ForeignKey(
        Step, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on = models.DateField(_("about the day"))

    export_labels = QUESTIONS

    objects = AfterCheckInQuerySet.as_manager()

    class Meta:
        verbose_name = "after-intimacy check-in"
        indexes = [models.Index(fields=["space", "on"])]

    def __str__(self) -> str:
        return f"after-intimacy check-in {self.code}"

    def write(
        self, key: bytes | None, answers: dict[str, str], on: dt.date | None
    ) -> None:
        """Set the answers and the day, refusing an empty check-in or a day to come."""
        cleaned = {name: (answers.get(name) or "").strip() for name in ANSWERS}
        if not any(cleaned.values()):
            raise Refused(
                str(_("Write at least one answer; any one of the three is enough."))
            )
        if any(len(answer) > MAX_ANSWER for answer in cleaned.values()):
            raise Refused(
                _("Each answer can be up to %(max)s characters.") % {"max": MAX_ANSWER}
            )
        today = timezone.localdate(timezone=self.author.tzinfo)
        if on is not None and on > today:
            raise Refused(
                str(
                    _(
                        "A check-in is about a day that has happened; pick today or "
                        "earlier."
                    )
                )
            )
        self.on = on or today
        self.set_content(key, cleaned)
