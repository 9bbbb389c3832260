import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.intimacy import actions
from mend.intimacy.models import Plan, Step
from mend.lib.errors import Refused

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
