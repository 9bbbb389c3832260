import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.intimacy import actions
from mend.intimacy.models import CHECK_IN_KIND, AfterCheckIn, Plan, Step
from mend.lib.errors import Refused
from mend.privacy.models import LEFT_OUT_HEADER, open_entries_counting, open_entry

router = Router(tags=["intimacy"])


class StepOut(Schema):
    code: str
    title: str
    notes: str
    is_current: bool


class PlanOut(Schema):
    code: str
    current: str | None
    steps: list[StepOut]
    # Only the asker's own yes: the other partner's is never shown.
    i_am_ready: bool
    moved_up: bool = False


class MoveIn(Schema):
    step: uuid.UUID


class StepIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    notes: str = Field("", max_length=500)


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _plan(request: HttpRequest) -> Plan:
    space = current_space(request)
    if space is None:
        raise Refused("You don't share a space yet.", status=404)
    return actions.plan_for(space)


def _out(request: HttpRequest, moved_up: bool = False) -> PlanOut:
    plan = _plan(request)
    return PlanOut(
        code=str(plan.code),
        current=str(plan.current.code) if plan.current else None,
        steps=[
            StepOut(
                code=str(s.code),
                title=s.title,
                notes=s.notes,
                is_current=s.pk == plan.current_id,
            )
            for s in plan.ordered_steps()
        ],
        i_am_ready=plan.is_ready(_me(request)),
        moved_up=moved_up,
    )


def _step(request: HttpRequest, code: uuid.UUID) -> Step:
    return get_object_or_404(Step.objects.for_member(_me(request)), code=code)


@router.get("/plan", response=PlanOut)
def get_plan(request: HttpRequest) -> PlanOut:
    return _out(request)


@router.post("/plan/ready", response=PlanOut)
@person_only(CONSENT)
def say_ready(request: HttpRequest) -> PlanOut:
    moved = actions.say_ready(_plan(request), _me(request))
    return _out(request, moved_up=moved)


@router.post("/plan/not-yet", response=PlanOut)
def take_back_ready(request: HttpRequest) -> PlanOut:
    actions.take_back_ready(_plan(request), _me(request))
    return _out(request)


@router.post("/plan/down", response=PlanOut)
def move_down(request: HttpRequest) -> PlanOut:
    actions.move_down(_plan(request), _me(request))
    return _out(request)


@router.post("/plan/step", response=PlanOut)
def move_to(request: HttpRequest, payload: MoveIn) -> PlanOut:
    """Go back to an earlier step; moving up this way is refused (it needs both yeses)."""
    actions.move_to(_plan(request), _step(request, payload.step), _me(request))
    return _out(request)


@router.post("/steps", response={201: PlanOut})
def add_step(request: HttpRequest, payload: StepIn) -> Status[PlanOut]:
    actions.add_step(_plan(request), _me(request), payload.title, payload.notes)
    return Status(201, _out(request))


@router.put("/steps/{uuid:code}", response=PlanOut)
def edit_step(request: HttpRequest, code: uuid.UUID, payload: StepIn) -> PlanOut:
    step = _step(request, code)
    actions.rename_step(
        _plan(request), step, _me(request), payload.title, payload.notes
    )
    return _out(request)


@router.delete("/steps/{uuid:code}", response=PlanOut)
def remove_step(request: HttpRequest, code: uuid.UUID) -> PlanOut:
    actions.remove_step(_plan(request), _step(request, code), _me(request))
    return _out(request)


class CheckInIn(Schema):
    # Lengths and "at least one answer" are checked by AfterCheckIn.write, so the
    # page and the API refuse the same things with the same plain words (a 400).
    felt_good: str = ""
    felt_not_good: str = ""
    change_or_keep: str = ""
    on: dt.date | None = None
    step: uuid.UUID | None = None
    share: bool = False


class CheckInOut(Schema):
    code: str
    author: str
    is_mine: bool
    is_shared: bool
    on: dt.date
    step: str | None
    step_title: str | None
    created_at: dt.datetime
    felt_good: str
    felt_not_good: str
    change_or_keep: str


class WaitingOut(Schema):
    on: dt.date
    author: str


def _check_in_out(
    entry: AfterCheckIn, content: dict[str, str], user: User
) -> CheckInOut:
    return CheckInOut(
        code=str(entry.code),
        author=str(entry.author),
        is_mine=entry.author_id == user.pk,
        is_shared=entry.is_shared,
        on=entry.on,
        step=str(entry.step.code) if entry.step else None,
        step_title=entry.step.title if entry.step else None,
        created_at=entry.created_at,
        felt_good=content.get("felt_good", ""),
        felt_not_good=content.get("felt_not_good", ""),
        change_or_keep=content.get("change_or_keep", ""),
    )


@router.get("/after", response=list[CheckInOut])
def list_check_ins(request: HttpRequest, response: HttpResponse) -> list[CheckInOut]:
    """Your after-intimacy check-ins and those your partner shared.

    Private check-ins this request cannot open are left out; the
    Mend-Private-Left-Out header says how many.
    """
    user = _me(request)
    entries = AfterCheckIn.objects.visible_to(user).newest_first()[:200]
    opened, left_out = open_entries_counting(
        list(entries), user, personal_key(request), str(CHECK_IN_KIND)
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    return [_check_in_out(e, c, user) for e, c in opened]


@router.get("/after/waiting", response=list[WaitingOut])
def waiting_check_ins(request: HttpRequest) -> list[WaitingOut]:
    """List the days your partner shared a check-in about and you have not yet."""
    return [
        WaitingOut(on=w["on"], author=w["author__display_name"])
        for w in AfterCheckIn.objects.waiting_for(_me(request))[:50]
    ]


@router.post("/after", response={201: CheckInOut})
def create_check_in(request: HttpRequest, payload: CheckInIn) -> Status[CheckInOut]:
    user = _me(request)
    space = current_space(request)
    if space is None:
        raise Refused("You don't share a space yet.", status=404)
    step = _step(request, payload.step) if payload.step else None
    answers = {
        "felt_good": payload.felt_good,
        "felt_not_good": payload.felt_not_good,
        "change_or_keep": payload.change_or_keep,
    }
    entry = actions.write_check_in(
        space,
        user,
        personal_key(request),
        answers=answers,
        on=payload.on,
        step=step,
        share=payload.share,
    )
    return Status(
        201, _check_in_out(entry, entry.content(personal_key(request), user), user)
    )


@router.get("/after/{uuid:code}", response=CheckInOut)
def get_check_in(request: HttpRequest, code: uuid.UUID) -> CheckInOut:
    user = _me(request)
    entry = get_object_or_404(
        AfterCheckIn.objects.visible_to(user).newest_first(), code=code
    )
    content = open_entry(entry, user, personal_key(request), str(CHECK_IN_KIND))
    return _check_in_out(entry, content, user)


@router.post("/after/{uuid:code}/share", response=CheckInOut)
@person_only(CONSENT)
def share_check_in(request: HttpRequest, code: uuid.UUID) -> CheckInOut:
    user = _me(request)
    entry = get_object_or_404(AfterCheckIn.objects.mine(user).newest_first(), code=code)
    content = entry.set_shared(personal_key(request), user, share=True)
    return _check_in_out(entry, content, user)


@router.post("/after/{uuid:code}/unshare", response=CheckInOut)
def unshare_check_in(request: HttpRequest, code: uuid.UUID) -> CheckInOut:
    user = _me(request)
    entry = get_object_or_404(AfterCheckIn.objects.mine(user).newest_first(), code=code)
    content = entry.set_shared(personal_key(request), user, share=False)
    return _check_in_out(entry, content, user)


@router.delete("/after/{uuid:code}", response={204: None})
def delete_check_in(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    entry = get_object_or_404(AfterCheckIn.objects.mine(_me(request)), code=code)
    entry.delete()
    return Status(204, None)
