import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.intimacy import actions
from mend.intimacy.models import CHECK_IN_KIND, AfterCheckIn, Plan, Step, StepWording
from mend.lib.errors import Refused
from mend.privacy.models import (
    LEFT_OUT_HEADER,
    SpaceKey,
    open_entries_counting,
    open_entry,
)

router = Router(tags=["intimacy"])


class ProposalOut(Schema):
    code: str
    title: str
    notes: str
    proposed_by_me: bool
    proposed_at: dt.datetime


class StepOut(Schema):
    code: str
    title: str
    notes: str
    is_current: bool
    # New words waiting for the partner's affirmation; title and notes stay in force.
    proposal: ProposalOut | None
    words_changed_at: dt.datetime | None


class PlanOut(Schema):
    code: str
    current: str | None
    steps: list[StepOut]
    # Only the asker's own yes: the other partner's is never shown. Null when the
    # asker's key is locked (a bearer token): yeses are sealed under the couple key.
    i_am_ready: bool | None
    moved_up: bool = False


class AffirmIn(Schema):
    words: str = Field(max_length=200)


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
        raise Refused(_("You don't share a space yet."), status=404)
    return actions.plan_for(space)


def _couple_key(request: HttpRequest, plan: Plan) -> bytes:
    return SpaceKey.for_partner(plan.space, _me(request), personal_key(request))


def _proposal(wording: StepWording | None, me: User) -> ProposalOut | None:
    if wording is None:
        return None
    return ProposalOut(
        code=str(wording.code),
        title=wording.title,
        notes=wording.notes,
        proposed_by_me=wording.proposed_by_id == me.pk,
        proposed_at=wording.proposed_at,
    )


def _out(request: HttpRequest, moved_up: bool = False) -> PlanOut:
    plan = _plan(request)
    me = _me(request)
    i_am_ready: bool | None = None
    try:
        couple_key = _couple_key(request, plan)
    except Refused:
        pass  # Locked (a token) or no copy of the couple key yet: unknown, not "no".
    else:
        plan.fold_legacy_yeses(couple_key)
        i_am_ready = plan.is_ready(me, couple_key)
    return PlanOut(
        code=str(plan.code),
        current=str(plan.current.code) if plan.current else None,
        steps=[
            StepOut(
                code=str(s.code),
                title=s.title,
                notes=s.notes,
                is_current=s.pk == plan.current_id,
                proposal=_proposal(s.proposal(), me),
                words_changed_at=s.words_changed_at,
            )
            for s in plan.ordered_steps()
        ],
        i_am_ready=i_am_ready,
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
    plan = _plan(request)
    moved = actions.say_ready(plan, _me(request), _couple_key(request, plan))
    return _out(request, moved_up=moved)


@router.post("/plan/not-yet", response=PlanOut)
def take_back_ready(request: HttpRequest) -> PlanOut:
    plan = _plan(request)
    actions.take_back_ready(plan, _me(request), _couple_key(request, plan))
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
    """Propose new words. At or above the current step they wait for the partner.

    The words in force stay until the partner affirms (see the step's proposal);
    below the current step they apply at once.
    """
    step = _step(request, code)
    actions.propose_words(
        _plan(request), step, _me(request), payload.title, payload.notes
    )
    return _out(request)


@router.post("/steps/{uuid:code}/words/{uuid:wording_code}/affirm", response=PlanOut)
def affirm_words(
    request: HttpRequest, code: uuid.UUID, wording_code: uuid.UUID, payload: AffirmIn
) -> PlanOut:
    """Affirm your partner's proposed words, typing "I agree"; they come into force."""
    proposal = get_object_or_404(
        StepWording.objects.for_member(_me(request)), code=wording_code, step__code=code
    )
    actions.affirm_words(_plan(request), proposal, _me(request), payload.words)
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


class WithdrawnOut(Schema):
    on: dt.date
    author: str
    withdrawn_at: dt.datetime


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
        list(entries), user, personal_key(request), CHECK_IN_KIND
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


@router.get("/after/withdrawn", response=list[WithdrawnOut])
def withdrawn_check_ins(request: HttpRequest) -> list[WithdrawnOut]:
    """List your partner's check-ins withdrawn after they had opened yours."""
    return [
        WithdrawnOut(
            on=w["on"], author=w["author__display_name"], withdrawn_at=w["withdrawn_at"]
        )
        for w in AfterCheckIn.objects.withdrawn_for(_me(request))[:50]
    ]


@router.post("/after", response={201: CheckInOut})
def create_check_in(request: HttpRequest, payload: CheckInIn) -> Status[CheckInOut]:
    user = _me(request)
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
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
    content = open_entry(entry, user, personal_key(request), CHECK_IN_KIND)
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
    entry.remove(_me(request))
    return Status(204, None)
