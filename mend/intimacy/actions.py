import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.couples.models import Space
from mend.intimacy.models import (
    AfterCheckIn,
    Plan,
    Step,
    StepWording,
    default_steps,
)
from mend.lib.errors import Refused
from mend.lib.pace import check_pace
from mend.live.actions import record_event
from mend.live.models import Event


def plan_for(space: Space) -> Plan:
    """Return the couple's plan, seeding the default ladder the first time."""
    plan = (
        Plan.objects.filter(space=space)
        .select_related("current", "space")
        .prefetch_related(
            "steps__wordings", "readiness__step", "space__memberships__user"
        )
        .first()
    )
    if plan is not None:
        return plan
    with transaction.atomic():
        plan = Plan.objects.create(space=space)
        steps = Step.objects.bulk_create(
            [Step(space=space, plan=plan, **s) for s in default_steps()]
        )
        plan.current = steps[0]
        plan.save(update_fields=["current"])
    return plan_for(space)


# Per person, per minute (docs/security.md): every move is pushed live (#10).
MOVES_PER_MINUTE = 5


def _check_pace(by: User) -> None:
    moves = Event.objects.filter(actor=by, type=Event.Types.INTIMACY)
    check_pace(by, moves, limit=MOVES_PER_MINUTE)


def _changed(plan: Plan, by: User, change: str) -> None:
    record_event(plan.space_id, by, Event.Types.INTIMACY, plan.code, change)


@transaction.atomic
def say_ready(plan: Plan, by: User, couple_key: bytes) -> bool:
    _check_pace(by)
    moved = plan.say_ready(by, couple_key)
    if moved:
        plan.save()
        _changed(plan, by, "up")
    return moved


@transaction.atomic
def take_back_ready(plan: Plan, by: User, couple_key: bytes) -> None:
    plan.take_back_ready(by, couple_key)


@transaction.atomic
def move_to(plan: Plan, step: Step, by: User) -> None:
    _check_pace(by)
    before = plan.current_id
    plan.move_to(step, by)
    if plan.current_id != before:
        plan.save()
        _changed(plan, by, "down")


@transaction.atomic
def move_down(plan: Plan, by: User) -> None:
    _check_pace(by)
    plan.move_down(by)
    plan.save()
    _changed(plan, by, "down")


@transaction.atomic
def add_step(plan: Plan, by: User, title: str, notes: str) -> Step:
    step = plan.add_step(by, title, notes)
    _changed(plan, by, "edit")
    return step


@transaction.atomic
def propose_words(
    plan: Plan, step: Step, by: User, title: str, notes: str
) -> StepWording | None:
    """Propose new words for STEP; return the proposal, or None if they applied."""
    proposal = step.propose_words(plan, by, title, notes)
    _changed(plan, by, "edit")
    return proposal


@transaction.atomic
def affirm_words(plan: Plan, wording: StepWording, by: User, words: str) -> None:
    wording.affirm(by, words)
    _changed(plan, by, "edit")


@transaction.atomic
def remove_step(plan: Plan, step: Step, by: User) -> None:
    plan.remove_step(step)
    _changed(plan, by, "edit")


@transaction.atomic
def write_check_in(
    space: Space,
    author: User,
    key: bytes | None,
    *,
    answers: dict[str, str],
    on: dt.date | None,
    step: Step | None,
    share: bool,
) -> AfterCheckIn:
    if step is not None and step.space_id != space.pk:
        raise Refused(_("That step is not in your plan."), status=404)
    entry = AfterCheckIn(space=space, author=author, step=step, is_shared=share)
    entry.write(key, answers, on)
    if share:
        entry.shared_at = entry.updated_at
    entry.save()
    return entry
