import datetime as dt
import json
from typing import Any, Self

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User
from mend.consent.models import Wording, WordingQuerySet, words_digest
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.crypto import SealError
from mend.lib.dates import check_day
from mend.lib.errors import Refused
from mend.privacy.export import entry
from mend.privacy.models import (
    MutualReveal,
    MutualRevealQuerySet,
    seal_with,
    unseal_with,
)

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
MAX_TITLE = 120
MAX_NOTES = 500
# Every sealed readiness is padded to this many bytes before sealing, so its length
# says nothing about whether anyone said ready.
READINESS_BYTES = 512
# How long both partners see that a step's words changed and any earlier yes was cleared.
CHANGE_NOTICE_DAYS = 7


class Plan(SpaceOwned):
    """A couple's staged return to closeness: ordered steps and where they are now.

    Rules:
    - Moving up needs both partners' explicit yes, given privately; moving down is
      one tap by either, needs no reason, and the other is told without detail.
    - A yes belongs to the exact words of the step it was given for: it is bound to
      their digest and counts only while the step still reads the same.
    - Nobody's yes is readable at rest: the yeses are sealed together under the
      couple key (privacy.SpaceKey), padded to one length, in sealed_readiness.
    """

    current = models.ForeignKey(
        "Step", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_down_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {user id: "step code:words digest"} as JSON, padded, sealed under the couple key.
    sealed_readiness = models.BinaryField(null=True, blank=True, editable=False)

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

    def recently_reworded(self) -> list["Step"]:
        """Return steps above the current one whose words changed in the last days.

        Both partners see these, whether or not anyone had said ready, so the notice
        itself reveals nobody's yes.
        """
        since = timezone.now() - dt.timedelta(days=CHANGE_NOTICE_DAYS)
        return [
            s
            for s in self.ordered_steps()
            if s.words_changed_at is not None
            and s.words_changed_at >= since
            and (self.current is None or s.position > self.current.position)
        ]

    def _lock(self) -> None:
        """Lock this plan and reload it, so two partners cannot race a yes or a move."""
        Plan.objects.select_for_update().filter(pk=self.pk).values_list("pk").first()
        self.refresh_from_db()

    def _where(self) -> str:
        return f"intimacy.plan:{self.code}:readiness"

    def yeses(self, couple_key: bytes) -> dict[str, str]:
        """Return each partner's yes, as {user id: what it was given to}."""
        yeses: dict[str, str] = {}
        if self.sealed_readiness is not None:
            try:
                text = unseal_with(
                    couple_key, bytes(self.sealed_readiness), self._where()
                )
                yeses = dict(json.loads(text))
            except (SealError, ValueError):
                # Sealed under a couple key nobody holds any more: no yes counts.
                yeses = {}
        # A yes given before yeses were sealed (v0.1) still counts, for the step's
        # words as they read when it is first opened; storing folds it in.
        for legacy in self.readiness.all():
            yeses.setdefault(str(legacy.user_id), legacy.step.bound())
        return yeses

    def _store_yeses(self, couple_key: bytes, yeses: dict[str, str]) -> None:
        text = json.dumps(yeses).ljust(READINESS_BYTES)
        if len(text) > READINESS_BYTES:
            raise Refused(_("Too many yeses to keep; please try again."), status=409)
        self.sealed_readiness = seal_with(couple_key, text, self._where())
        self.save(update_fields=["sealed_readiness"])
        Readiness.objects.filter(plan=self).delete()

    def fold_legacy_yeses(self, couple_key: bytes) -> None:
        """Seal any yes still stored readably (from v0.1) and delete its row."""
        if self.readiness.all():
            with transaction.atomic():
                self._lock()
                self._store_yeses(couple_key, self.yeses(couple_key))

    def is_ready(self, user: User, couple_key: bytes) -> bool:
        """Return whether USER said yes to the next step as it reads now (USER alone)."""
        step = self.next_step()
        return step is not None and self.yeses(couple_key).get(str(user.pk)) == (
            step.bound()
        )

    def say_ready(self, by: User, couple_key: bytes) -> bool:
        """Record BY's private yes to the next step; return True if both said yes."""
        self._lock()
        step = self.next_step()
        if step is None:
            raise Refused(
                _("You are already at the last step of your plan."), status=409
            )
        bound = step.bound()
        # A yes for other words or another step no longer counts: drop it.
        yeses = {u: b for u, b in self.yeses(couple_key).items() if b == bound}
        yeses[str(by.pk)] = bound
        partners = {str(p.pk) for p in self.space.partners()}
        if len(partners) < 2 or not partners <= set(yeses):
            self._store_yeses(couple_key, yeses)
            return False
        self._move(step)
        self.moved_down_by = None
        return True

    def take_back_ready(self, by: User, couple_key: bytes) -> None:
        self._lock()
        step = self.next_step()
        bound = step.bound() if step else None
        yeses = {
            u: b
            for u, b in self.yeses(couple_key).items()
            if b == bound and u != str(by.pk)
        }
        self._store_yeses(couple_key, yeses)

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
        self.sealed_readiness = None
        Readiness.objects.filter(plan=self).delete()

    def add_step(self, by: User, title: str, notes: str = "") -> "Step":
        title, notes = clean_words(title, notes)
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


def clean_words(title: str, notes: str) -> tuple[str, str]:
    """Return a step's TITLE and NOTES trimmed, or raise Refused saying what to fix."""
    title, notes = (title or "").strip(), (notes or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise Refused(
            _("Give the step a name (up to %(max)s characters).") % {"max": MAX_TITLE}
        )
    if len(notes) > MAX_NOTES:
        raise Refused(
            _("The notes can be up to %(max)s characters.") % {"max": MAX_NOTES}
        )
    return title, notes


class Step(SpaceOwned):
    """One rung of the ladder. Its words in force are title and notes.

    Rule: the step the couple is on, and every step above it, changes words only
    with both (StepWording); a step below can be reworded by either alone.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("step"), max_length=MAX_TITLE)
    notes = models.CharField(_("notes"), max_length=MAX_NOTES, blank=True)
    added_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    words_changed_at = models.DateTimeField(null=True, blank=True)

    objects = SpaceOwnedQuerySet["Step"].as_manager()

    export_kind = _("Intimacy steps you added")

    def __str__(self) -> str:
        return self.title

    def bound(self) -> str:
        """Return what a yes to this step is given to: the step and its exact words."""
        return f"{self.code}:{words_digest(self.title, self.notes)}"

    def proposal(self) -> "StepWording | None":
        """Return the new words waiting for the partner's affirmation, if any."""
        waiting = [w for w in self.wordings.all() if w.is_waiting()]
        return max(waiting, key=lambda w: w.number) if waiting else None

    def needs_both(self, plan: Plan) -> bool:
        return plan.current is None or self.position >= plan.current.position

    @transaction.atomic
    def propose_words(
        self, plan: Plan, by: User, title: str, notes: str
    ) -> "StepWording | None":
        """Propose new words; return the proposal, or None if they apply at once.

        At or above the current step the words in force stand until the partner
        affirms; below it, either partner changes them alone.
        """
        title, notes = clean_words(title, notes)
        plan._lock()
        self.refresh_from_db()
        if (title, notes) == (self.title, self.notes):
            raise Refused(_("These are already the step's words."), status=409)
        now = timezone.now()
        self.wordings.waiting().update(superseded_at=now)
        if not self.needs_both(plan):
            self.set_words(title, notes, now)
            return None
        last = self.wordings.order_by("-number").values_list("number", flat=True)
        return StepWording.objects.create(
            space_id=self.space_id,
            step=self,
            number=(last.first() or 0) + 1,
            title=title,
            notes=notes,
            proposed_by=by,
            proposed_at=now,
        )

    def set_words(self, title: str, notes: str, now: dt.datetime) -> None:
        # The yes bound to the old words (Step.bound) stops counting from here on.
        self.title, self.notes, self.words_changed_at = title, notes, now
        self.save(update_fields=["title", "notes", "words_changed_at"])

    @classmethod
    def export_entries(
        cls, user: User, key: bytes | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the steps USER added to their couple's ladder, in their words."""
        return [
            entry(user, title=step.title, at=None, fields={_("Notes"): step.notes})
            for step in cls.objects.filter(added_by=user).order_by("position")
        ], []


class StepWordingQuerySet(WordingQuerySet["StepWording"]):
    pass


class StepWording(Wording):
    """Proposed new words for a ladder step, in force once the partner affirms them."""

    confirmed_by_proposer = False

    step = models.ForeignKey(Step, models.CASCADE, related_name="wordings")
    title = models.CharField(max_length=MAX_TITLE)
    notes = models.CharField(max_length=MAX_NOTES, blank=True)

    objects = StepWordingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["step", "number"], name="one_number_per_step_wording"
            )
        ]

    def __str__(self) -> str:
        return f"wording {self.number} of step {self.step_id}"

    def lock_subject(self) -> None:
        Plan.objects.select_for_update().filter(pk=self.step.plan_id).first()
        self.step.refresh_from_db()

    def come_into_force(self, now: dt.datetime) -> None:
        self.step.set_words(self.title, self.notes, now)


class Readiness(models.Model):
    """A yes given before yeses were sealed (v0.1), kept only until folded in.

    Plan.fold_legacy_yeses seals it under the couple key and deletes this row the
    first time either partner opens the ladder.
    """

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


class AfterCheckInQuerySet(MutualRevealQuerySet["AfterCheckIn"]):
    """The mutual reveal (mend/privacy/models.py), matched on the day."""

    def newest_first(self) -> Self:
        return self.select_related("author", "step").order_by("-on", "-created_at")


class AfterCheckIn(MutualReveal):
    """One partner's check-in after time together: what felt good, what didn't, and
    what they'd like to change or keep. The answers are the sealed content; the day
    and the ladder step are plain, so the mutual reveal can match days.
    """

    step = models.ForeignKey(
        Step, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on = models.DateField(_("about the day"))
    occurrence_fields = ("on",)

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
        if on is not None and check_day(on) > today:
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
