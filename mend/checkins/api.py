import datetime as dt
import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictInt, StrictStr

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.checkins import actions
from mend.checkins.models import (
    ANSWER_WINDOW,
    KIND,
    MAX_NAME,
    Answer,
    CheckIn,
    Kind,
    due_for,
    trend_for,
)
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.lib.recurrence import DAILY, Schedule
from mend.privacy.models import LEFT_OUT_HEADER, open_entries_counting, open_entry

router = Router(tags=["checkins"])
# Three check-ins a day for both partners for a year stays within this.


class PromptIo(Schema):
    text: str
    is_slider: bool = False


class ScheduleIn(Schema):
    # Checked by Schedule.validate, so the page and the API refuse the same things.
    frequency: str = DAILY
    starts_on: dt.date
    at: dt.time
    weekdays: list[int] = []
    interval: int = 1
    ends_on: dt.date | None = None

    def schedule(self, user: User) -> Schedule:
        return Schedule(
            starts_on=self.starts_on,
            at=self.at,
            zone=user.time_zone,
            frequency=self.frequency,
            weekdays=tuple(self.weekdays),
            interval=self.interval,
            ends_on=self.ends_on,
        )


class CheckInIn(Schema):
    kind: Kind = Kind.OWN
    name: str = Field(min_length=1, max_length=MAX_NAME)
    schedule: ScheduleIn
    # Empty: the kind's usual prompts.
    prompts: list[PromptIo] | None = None


class CheckInPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    schedule: ScheduleIn | None = None
    prompts: list[PromptIo] | None = None


class CheckInOut(Schema):
    code: str
    kind: str
    name: str
    prompts: list[PromptIo]
    frequency: str
    starts_on: dt.date
    at: dt.time
    zone: str
    weekdays: list[int]
    interval: int
    ends_on: dt.date | None
    is_active: bool


class DueOut(Schema):
    check_in: str
    name: str
    occurs_at: dt.datetime
    is_partner_waiting: bool


class AnswerIn(Schema):
    occurs_at: dt.datetime
    # Prompt -> a 0-10 whole number (sliders) or text; checked by CheckIn.clean_answers.
    answers: dict[str, StrictInt | StrictStr]
    share: bool = False
    show_early: bool = False


class AnswerOut(Schema):
    code: str
    check_in: str
    occurs_at: dt.datetime
    author: str
    is_mine: bool
    is_shared: bool
    is_shown_early: bool
    answers: dict[str, Any]


class TrendOut(Schema):
    person: str
    prompt: str
    week_of: dt.date
    average: float
    answers: int


class WaitingOut(Schema):
    check_in: str
    occurs_at: dt.datetime
    author: str


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _space(request: HttpRequest) -> Space:
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    return space


def _check_in_out(c: CheckIn) -> CheckInOut:
    return CheckInOut(
        code=str(c.code),
        kind=c.kind,
        name=c.name,
        prompts=[PromptIo(**p) for p in c.prompts],
        frequency=c.frequency,
        starts_on=c.starts_on,
        at=c.at,
        zone=c.zone,
        weekdays=list(c.weekdays or []),
        interval=c.interval,
        ends_on=c.ends_on,
        is_active=c.is_active,
    )


def _answer_out(entry: Answer, content: dict[str, Any], user: User) -> AnswerOut:
    return AnswerOut(
        code=str(entry.code),
        check_in=str(entry.check_in.code),
        occurs_at=entry.occurs_at,
        author=str(entry.author),
        is_mine=entry.author_id == user.pk,
        is_shared=entry.is_shared,
        is_shown_early=entry.is_shown_early,
        answers=content,
    )


def _check_in(request: HttpRequest, code: uuid.UUID) -> CheckIn:
    return get_object_or_404(CheckIn.objects.for_member(_me(request)), code=code)


@router.get("/", response=list[CheckInOut])
def list_check_ins(request: HttpRequest) -> list[CheckInOut]:
    """The couple's check-ins in use (at most 50)."""
    return [
        _check_in_out(c)
        for c in CheckIn.objects.for_member(_me(request))
        .active()
        .order_by("created_at")[:50]
    ]


@router.post("/", response={201: CheckInOut})
def create_check_in(request: HttpRequest, payload: CheckInIn) -> Status[CheckInOut]:
    """Add a check-in; its time is on your own clock (your time zone)."""
    user = _me(request)
    check_in = actions.add_check_in(
        _space(request),
        user,
        kind=payload.kind,
        name=payload.name,
        schedule=payload.schedule.schedule(user),
        prompts=[p.dict() for p in payload.prompts] if payload.prompts else None,
    )
    return Status(201, _check_in_out(check_in))


@router.patch("/{uuid:code}", response=CheckInOut)
def edit_check_in(
    request: HttpRequest, code: uuid.UUID, payload: CheckInPatch
) -> CheckInOut:
    user = _me(request)
    check_in = actions.edit_check_in(
        _check_in(request, code),
        name=payload.name,
        schedule=payload.schedule.schedule(user) if payload.schedule else None,
        prompts=[p.dict() for p in payload.prompts]
        if payload.prompts is not None
        else None,
    )
    return _check_in_out(check_in)


@router.post("/{uuid:code}/stop", response=CheckInOut)
def stop_check_in(request: HttpRequest, code: uuid.UUID) -> CheckInOut:
    """Stop a check-in; its earlier answers stay."""
    check_in = _check_in(request, code)
    check_in.stop()
    return _check_in_out(check_in)


@router.get("/due", response=list[DueOut])
def due(request: HttpRequest) -> list[DueOut]:
    """Check-ins whose time has come and that you have not answered yet."""
    return [
        DueOut(
            check_in=str(d["check_in"].code),
            name=d["check_in"].name,
            occurs_at=d["occurs_at"],
            is_partner_waiting=d["is_partner_waiting"],
        )
        for d in due_for(_me(request))
    ]


@router.post("/{uuid:code}/answers", response={201: AnswerOut})
def answer(
    request: HttpRequest, code: uuid.UUID, payload: AnswerIn
) -> Status[AnswerOut]:
    """Answer one occurrence that has come (`occurs_at`, from /due).

    Shared answers are shown to your partner once they have answered the same
    occurrence; `show_early` shows yours at once.
    """
    user = _me(request)
    entry = actions.answer(
        _check_in(request, code),
        user,
        personal_key(request),
        occurs_at=payload.occurs_at,
        answers=dict(payload.answers),
        share=payload.share or payload.show_early,
        show_early=payload.show_early,
    )
    return Status(
        201, _answer_out(entry, entry.content(personal_key(request), user), user)
    )


@router.get("/answers", response=list[AnswerOut])
def list_answers(request: HttpRequest, response: HttpResponse) -> list[AnswerOut]:
    """Your answers of the last week and your partner's revealed ones (at most 100).

    Private answers this request cannot open are left out; the
    Mend-Private-Left-Out header says how many.
    """
    user = _me(request)
    entries = (
        Answer.objects.visible_to(user)
        .filter(occurs_at__gte=timezone.now() - ANSWER_WINDOW)
        .newest_first()[:100]
    )
    opened, left_out = open_entries_counting(
        list(entries), user, personal_key(request), KIND
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    return [_answer_out(e, c, user) for e, c in opened]


@router.get("/answers/waiting", response=list[WaitingOut])
def waiting(request: HttpRequest) -> list[WaitingOut]:
    """Occurrences your partner has answered and you have not yet (no content)."""
    rows = Answer.objects.waiting_for(_me(request))[:50]
    codes = dict(
        CheckIn.objects.for_member(_me(request))
        .filter(pk__in={r["check_in"] for r in rows})
        .values_list("pk", "code")
    )
    return [
        WaitingOut(
            check_in=str(codes[r["check_in"]]),
            occurs_at=r["occurs_at"],
            author=r["author__display_name"],
        )
        for r in rows
    ]


def _mine(request: HttpRequest, code: uuid.UUID) -> Answer:
    return get_object_or_404(
        Answer.objects.mine(_me(request)).newest_first(), code=code
    )


@router.get("/answers/{uuid:code}", response=AnswerOut)
def get_answer(request: HttpRequest, code: uuid.UUID) -> AnswerOut:
    user = _me(request)
    entry = get_object_or_404(Answer.objects.visible_to(user).newest_first(), code=code)
    return _answer_out(
        entry, open_entry(entry, user, personal_key(request), KIND), user
    )


@router.post("/answers/{uuid:code}/share", response=AnswerOut)
@person_only(CONSENT)
def share_answer(request: HttpRequest, code: uuid.UUID) -> AnswerOut:
    user = _me(request)
    entry = _mine(request, code)
    return _answer_out(
        entry, entry.set_shared(personal_key(request), user, share=True), user
    )


@router.post("/answers/{uuid:code}/show-early", response=AnswerOut)
@person_only(CONSENT)
def show_answer_early(request: HttpRequest, code: uuid.UUID) -> AnswerOut:
    """Show your answer to your partner now, before they answer theirs."""
    user = _me(request)
    entry = actions.show_early(_mine(request, code), personal_key(request), user)
    return _answer_out(entry, entry.content(personal_key(request), user), user)


@router.post("/answers/{uuid:code}/unshare", response=AnswerOut)
def unshare_answer(request: HttpRequest, code: uuid.UUID) -> AnswerOut:
    user = _me(request)
    entry = _mine(request, code)
    return _answer_out(
        entry, entry.set_shared(personal_key(request), user, share=False), user
    )


@router.delete("/answers/{uuid:code}", response={204: None})
def delete_answer(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    entry = get_object_or_404(Answer.objects.mine(_me(request)), code=code)
    entry.remove(_me(request))
    return Status(204, None)


@router.get("/trend", response=list[TrendOut])
def slider_trend(
    request: HttpRequest,
    response: HttpResponse,
    weeks: Annotated[int, Field(ge=1, le=52)] = 12,
) -> list[TrendOut]:
    """Each person's weekly average of each 0-10 prompt, over the last WEEKS weeks.

    A trend of each person's answers about themselves, never a score of one partner
    by the other. Your partner's answers count only once revealed to you; private
    answers this request cannot open are left out (Mend-Private-Left-Out header).
    """
    user = _me(request)
    rows, left_out = trend_for(user, personal_key(request), weeks)
    response[LEFT_OUT_HEADER] = str(left_out)
    return [TrendOut(**row) for row in rows]
