import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.agreements.models import Agreement, Repair
from mend.commitments import actions
from mend.commitments.models import (
    ANSWER_KIND,
    COMMITMENT_KIND,
    DISCLOSURE_KIND,
    GRAPHIC_NOTE,
    MAX_LONG,
    MAX_NOTE,
    MAX_TEXT,
    MILESTONE_KIND,
    QUESTION_KIND,
    SLIP_KIND,
    Answer,
    Commitment,
    CommitmentWording,
    Disclosure,
    Goal,
    Mark,
    Milestone,
    Question,
    Slip,
    Words,
    asks_for_graphic_detail,
    today_for,
)
from mend.commitments.progress import progress_for
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.privacy.models import LEFT_OUT_HEADER, open_entries_counting

router = Router(tags=["commitments"])
PAGE = 20
RECENT_DAYS = 7


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _space(request: HttpRequest) -> Space:
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    return space


class PageIn(Schema):
    page: int = Field(1, ge=1, le=10_000, description="1 is the newest page")


def _page(rows: Any, page: int) -> list[Any]:
    start = (page - 1) * PAGE
    return list(rows[start : start + PAGE])


# Commitments -------------------------------------------------------------------------


class WordsIn(Schema):
    text: str = Field(max_length=MAX_TEXT * 2)
    frequency: Literal["once", "daily", "weekly", "weekdays"] = "once"
    weekdays: list[int] = Field(
        default_factory=list, max_length=7, description="0 = Monday, for weekdays"
    )
    interval: int = Field(1, description="every INTERVAL days or weeks, 1 to 52")
    at: dt.time = Field(dt.time(9, 0), description="local time, the maker's clock")
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    def words(self) -> Words:
        return Words(
            text=self.text,
            frequency=self.frequency,
            weekdays=tuple(self.weekdays),
            interval=self.interval,
            at=self.at,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


class CommitmentIn(WordsIn):
    agreement: uuid.UUID | None = Field(None, description="the agreement it came from")
    repair: uuid.UUID | None = Field(None, description="the repair it came from")


class MarkOut(Schema):
    on: dt.date
    due_at: dt.datetime | None
    status: str | None = Field(description="kept or missed, as its maker saw it")
    note: str
    partner_view: str = Field(description="confirmed, differently, or empty")
    partner_note: str


class ChangeOut(Schema):
    code: str
    number: int
    is_ending: bool
    text: str
    frequency: str
    weekdays: list[int]
    interval: int
    at: dt.time
    starts_on: dt.date
    ends_on: dt.date | None
    proposed_by_me: bool
    status: str
    is_waiting: bool


class CommitmentOut(Schema):
    code: str
    text: str
    frequency: str
    weekdays: list[int]
    interval: int
    at: dt.time
    time_zone: str
    starts_on: dt.date
    ends_on: dt.date | None
    is_mine: bool
    made_by: str
    created_at: dt.datetime
    ended_at: dt.datetime | None
    agreement: str | None
    repair: str | None
    next_at: dt.datetime | None
    recent: list[MarkOut] = Field(
        description="the last week's occurrences, newest first"
    )
    waiting_change: ChangeOut | None


def _change_out(change: CommitmentWording, user: User) -> ChangeOut:
    words = change.words()
    assert words.starts_on is not None
    return ChangeOut(
        code=str(change.code),
        number=change.number,
        is_ending=change.is_ending,
        text=words.text,
        frequency=words.frequency,
        weekdays=list(words.weekdays),
        interval=words.interval,
        at=words.at,
        starts_on=words.starts_on,
        ends_on=words.ends_on,
        proposed_by_me=change.proposed_by_id == user.pk,
        status=change.status_label(),
        is_waiting=change.is_waiting(),
    )


def _mark_out(on: dt.date, due: dt.datetime | None, mark: Mark | None) -> MarkOut:
    return MarkOut(
        on=on,
        due_at=due if mark is None else mark.due_at,
        status=mark.status if mark else None,
        note=mark.note if mark else "",
        partner_view=mark.partner_view if mark else "",
        partner_note=mark.partner_note if mark else "",
    )


def _out(item: Commitment, user: User) -> CommitmentOut:
    words = item.words()
    assert words.starts_on is not None
    change = item.waiting_change()
    return CommitmentOut(
        code=str(item.code),
        text=words.text,
        frequency=words.frequency,
        weekdays=list(words.weekdays),
        interval=words.interval,
        at=words.at,
        time_zone=item.zone(),
        starts_on=words.starts_on,
        ends_on=words.ends_on,
        is_mine=item.made_by_id == user.pk,
        made_by=str(item.made_by) if item.made_by else "",
        created_at=item.created_at,
        ended_at=item.ended_at,
        agreement=str(item.agreement.code) if item.agreement else None,
        repair=str(item.repair.code) if item.repair else None,
        next_at=item.next_occurrence(),
        recent=[
            _mark_out(o["on"], o["at"], o["mark"])
            for o in item.recent_occurrences(RECENT_DAYS)
        ],
        waiting_change=_change_out(change, user) if change else None,
    )


def _since(user: User) -> dt.date:
    return today_for(user) - dt.timedelta(days=RECENT_DAYS + 1)


def _commitment(request: HttpRequest, code: uuid.UUID) -> Commitment:
    return get_object_or_404(
        Commitment.objects.for_member(_me(request)).with_details(_since(_me(request))),
        code=code,
    )


@router.get("/", response=list[CommitmentOut])
def list_commitments(request: HttpRequest, query: Query[PageIn]) -> list[CommitmentOut]:
    """Both partners' commitments, ongoing first, newest first, 20 a page."""
    user = _me(request)
    rows = Commitment.objects.for_member(user).with_details(_since(user)).newest_first()
    items = _page(rows, query.page)
    actions.record_seen(user, items, "made_by", COMMITMENT_KIND)
    return [_out(c, user) for c in items]


@router.post("/", response={201: CommitmentOut})
def make_commitment(
    request: HttpRequest, payload: CommitmentIn
) -> Status[CommitmentOut]:
    user = _me(request)
    space = _space(request)
    agreement = (
        get_object_or_404(Agreement.objects.for_member(user), code=payload.agreement)
        if payload.agreement
        else None
    )
    repair = (
        get_object_or_404(Repair.objects.for_member(user), code=payload.repair)
        if payload.repair
        else None
    )
    item = Commitment.make(
        space, user, payload.words(), agreement=agreement, repair=repair
    )
    return Status(201, _out(_commitment(request, item.code), user))


class OccurrenceOut(Schema):
    code: str
    title: str
    starts_at: dt.datetime
    on: dt.date
    is_mine: bool


class WindowIn(Schema):
    start: dt.datetime
    end: dt.datetime


@router.get("/occurrences", response=list[OccurrenceOut])
def occurrences(request: HttpRequest, query: Query[WindowIn]) -> list[OccurrenceOut]:
    """Every occurrence in [start, end) (up to 400 days), with a neutral title."""
    user = _me(request)
    found = Commitment.objects.for_member(user).occurrences_between(
        query.start, query.end
    )
    return [
        OccurrenceOut(
            code=o.code,
            title=o.title,
            starts_at=o.starts_at,
            on=o.on,
            is_mine=o.made_by_id == user.pk,
        )
        for o in found
    ]


@router.get("/{uuid:code}", response=CommitmentOut)
def get_commitment(request: HttpRequest, code: uuid.UUID) -> CommitmentOut:
    user = _me(request)
    item = _commitment(request, code)
    actions.record_seen(user, [item], "made_by", COMMITMENT_KIND)
    return _out(item, user)


class MarkIn(Schema):
    on: dt.date = Field(description="the maker's local day of the occurrence")
    kept: bool
    note: str = Field("", max_length=MAX_NOTE * 2)


@router.post("/{uuid:code}/marks", response=MarkOut)
def mark_occurrence(request: HttpRequest, code: uuid.UUID, payload: MarkIn) -> MarkOut:
    """Mark an occurrence of your own commitment kept or missed, once it has come."""
    mark = _commitment(request, code).mark(
        _me(request), payload.on, kept=payload.kept, note=payload.note
    )
    return _mark_out(mark.on, mark.due_at, mark)


class RespondIn(Schema):
    on: dt.date
    agrees: bool = Field(description="true confirms; false says you saw it differently")
    note: str = Field(
        "", max_length=MAX_NOTE * 2, description="needed when not agreeing"
    )


@router.post("/{uuid:code}/responses", response=MarkOut)
def respond_occurrence(
    request: HttpRequest, code: uuid.UUID, payload: RespondIn
) -> MarkOut:
    """Confirm your partner's mark, or say in a sentence how you saw it."""
    mark = _commitment(request, code).respond(
        _me(request), payload.on, agrees=payload.agrees, note=payload.note
    )
    return _mark_out(mark.on, mark.due_at, mark)


@router.post("/{uuid:code}/changes", response={201: ChangeOut})
def propose_change(
    request: HttpRequest, code: uuid.UUID, payload: WordsIn
) -> Status[ChangeOut]:
    """Propose new words; the words in force stand until your partner affirms."""
    change = _commitment(request, code).propose_change(_me(request), payload.words())
    return Status(201, _change_out(change, _me(request)))


@router.post("/{uuid:code}/end", response={201: ChangeOut})
def propose_end(request: HttpRequest, code: uuid.UUID) -> Status[ChangeOut]:
    """Propose ending it; it goes on until your partner affirms."""
    change = _commitment(request, code).propose_end(_me(request))
    return Status(201, _change_out(change, _me(request)))


class AffirmIn(Schema):
    words: str = Field(max_length=200, description='type "I agree"')


@router.post("/changes/{uuid:code}/affirm", response=ChangeOut)
@person_only(CONSENT)
def affirm_change(
    request: HttpRequest, code: uuid.UUID, payload: AffirmIn
) -> ChangeOut:
    """Agree to your partner's proposed change; it comes into force."""
    change = get_object_or_404(
        CommitmentWording.objects.for_member(_me(request)).select_related(
            "commitment__made_by"
        ),
        code=code,
    )
    change.affirm(_me(request), payload.words)
    return _change_out(change, _me(request))


# Disclosures -------------------------------------------------------------------------


class DisclosureIn(Schema):
    what: str = Field(max_length=MAX_LONG * 2)
    kind: Literal["contact", "temptation", "slip", "money", "correction", "other"] = (
        "other"
    )
    happened_at: dt.datetime
    told_in_person: bool = False
    told_at: dt.datetime | None = Field(
        None, description="when it was told in person; now if left out"
    )
    late_addition: bool = Field(
        False, description="it adds to or changes something told before"
    )


class DisclosureOut(Schema):
    code: str
    is_mine: bool
    author: str
    kind: str
    what: str
    happened_at: dt.datetime
    told_at: dt.datetime
    delay_hours: float
    is_told_in_person: bool
    is_late_addition: bool
    response: str
    responded_at: dt.datetime | None
    thanked_at: dt.datetime | None


def _disclosure_out(d: Disclosure, user: User) -> DisclosureOut:
    return DisclosureOut(
        code=str(d.code),
        is_mine=d.author_id == user.pk,
        author=str(d.author),
        kind=d.kind,
        what=d.what,
        happened_at=d.happened_at,
        told_at=d.told_at,
        delay_hours=round(d.delay_hours(), 2),
        is_told_in_person=d.is_told_in_person,
        is_late_addition=d.is_late_addition,
        response=d.response,
        responded_at=d.responded_at,
        thanked_at=d.thanked_at,
    )


@router.get("/disclosures", response=list[DisclosureOut])
def list_disclosures(request: HttpRequest, query: Query[PageIn]) -> list[DisclosureOut]:
    user = _me(request)
    items = _page(Disclosure.objects.for_member(user).newest_first(), query.page)
    actions.record_seen(user, items, "author", DISCLOSURE_KIND)
    return [_disclosure_out(d, user) for d in items]


@router.post("/disclosures", response={201: DisclosureOut})
def make_disclosure(
    request: HttpRequest, payload: DisclosureIn
) -> Status[DisclosureOut]:
    user = _me(request)
    d = Disclosure.log(
        _space(request),
        user,
        what=payload.what,
        kind=payload.kind,
        happened_at=payload.happened_at,
        told_at=payload.told_at if payload.told_in_person else None,
        told_in_person=payload.told_in_person,
        late_addition=payload.late_addition,
    )
    return Status(201, _disclosure_out(d, user))


def _disclosure(request: HttpRequest, code: uuid.UUID) -> Disclosure:
    return get_object_or_404(
        Disclosure.objects.for_member(_me(request)).select_related("author"), code=code
    )


class ResponseIn(Schema):
    response: str = Field(max_length=MAX_LONG * 2)


@router.post("/disclosures/{uuid:code}/response", response=DisclosureOut)
def respond_disclosure(
    request: HttpRequest, code: uuid.UUID, payload: ResponseIn
) -> DisclosureOut:
    """Say how it landed for you (the partner who was told)."""
    d = _disclosure(request, code)
    d.respond(_me(request), payload.response)
    return _disclosure_out(d, _me(request))


@router.post("/disclosures/{uuid:code}/thanks", response=DisclosureOut)
def thank_disclosure(request: HttpRequest, code: uuid.UUID) -> DisclosureOut:
    d = _disclosure(request, code)
    d.thank(_me(request))
    return _disclosure_out(d, _me(request))


# Questions ---------------------------------------------------------------------------


class QuestionIn(Schema):
    text: str = Field(max_length=MAX_LONG * 2)
    topic: Literal["timeline", "scope", "meaning", "secrecy", "what_now", "other"] = (
        "other"
    )


class AnswerOut(Schema):
    number: int
    is_mine: bool
    text: str
    is_for_talk: bool
    created_at: dt.datetime


class QuestionOut(Schema):
    code: str
    is_mine: bool
    is_sent: bool
    topic: str
    text: str
    gentle_note: str | None = Field(
        description="a suggestion when the question asks for sexual detail; never a block"
    )
    created_at: dt.datetime
    sent_at: dt.datetime | None
    answers: list[AnswerOut] = Field(description="newest first; earlier ones stay")


def _question_out(q: Question, content: dict[str, Any], user: User) -> QuestionOut:
    text = str(content.get("text", ""))
    return QuestionOut(
        code=str(q.code),
        is_mine=q.author_id == user.pk,
        is_sent=q.is_shared,
        topic=q.topic,
        text=text,
        gentle_note=str(GRAPHIC_NOTE) if asks_for_graphic_detail(text) else None,
        created_at=q.created_at,
        sent_at=q.shared_at,
        answers=[
            AnswerOut(
                number=a.number,
                is_mine=a.author_id == user.pk,
                text=a.text,
                is_for_talk=a.is_for_talk,
                created_at=a.created_at,
            )
            for a in q.answers_newest_first()
        ],
    )


@router.get("/questions", response=list[QuestionOut])
def list_questions(
    request: HttpRequest, response: HttpResponse, query: Query[PageIn]
) -> list[QuestionOut]:
    """Your questions (sent or not) and those your partner sent you."""
    user = _me(request)
    rows = (
        Question.objects.visible_to(user)
        .prefetch_related("answers")
        .order_by("is_shared", "-shared_at", "-created_at")
    )
    opened, left_out = open_entries_counting(
        _page(rows, query.page), user, personal_key(request), QUESTION_KIND
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    actions.record_seen(
        user, [a for q, _c in opened for a in q.answers.all()], "author", ANSWER_KIND
    )
    return [_question_out(q, c, user) for q, c in opened]


@router.post("/questions", response={201: QuestionOut})
def draft_question(request: HttpRequest, payload: QuestionIn) -> Status[QuestionOut]:
    """Keep a question privately, sealed under your key, until you send it."""
    user = _me(request)
    q = Question.draft(
        _space(request),
        user,
        personal_key(request),
        text=payload.text,
        topic=payload.topic,
    )
    return Status(201, _question_out(q, {"text": payload.text.strip()}, user))


@router.post("/questions/{uuid:code}/send", response=QuestionOut)
@person_only(CONSENT)
def send_question(request: HttpRequest, code: uuid.UUID) -> QuestionOut:
    """Send your question to your partner (a choice only you make)."""
    user = _me(request)
    q = get_object_or_404(Question.objects.mine(user), code=code)
    content = q.set_shared(personal_key(request), user, share=True)
    return _question_out(q, content, user)


@router.delete("/questions/{uuid:code}", response={204: None})
def delete_question(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    """Delete a question you haven't sent."""
    q = get_object_or_404(
        Question.objects.mine(_me(request)).filter(is_shared=False), code=code
    )
    q.delete()
    return Status(204, None)


class AnswerIn(Schema):
    text: str = Field("", max_length=MAX_LONG * 2)
    for_talk: bool = Field(
        False,
        description="let's talk about this with our counselor / in a conversation",
    )


@router.post("/questions/{uuid:code}/answers", response={201: AnswerOut})
def answer_question(
    request: HttpRequest, code: uuid.UUID, payload: AnswerIn
) -> Status[AnswerOut]:
    """Answer a question your partner sent; a new answer keeps the earlier ones."""
    user = _me(request)
    q = get_object_or_404(Question.objects.visible_to(user), code=code)
    a = Answer.give(q, user, text=payload.text, for_talk=payload.for_talk)
    return Status(
        201,
        AnswerOut(
            number=a.number,
            is_mine=True,
            text=a.text,
            is_for_talk=a.is_for_talk,
            created_at=a.created_at,
        ),
    )


# Slips -------------------------------------------------------------------------------


class SlipIn(Schema):
    kind: Literal["missed", "relapse", "middle", "other"] = "other"
    on: dt.date | None = None
    led_to: str = Field("", max_length=MAX_LONG * 2)
    learned: str = Field("", max_length=MAX_LONG * 2)
    step: str = Field("", max_length=MAX_LONG * 2)
    make_commitment: bool = Field(False, description="make the step a commitment")
    milestone: uuid.UUID | None = Field(
        None, description="a relapse: start a new run of this milestone of yours"
    )


class SlipOut(Schema):
    code: str
    is_mine: bool
    is_shared: bool
    kind: str
    on: dt.date
    led_to: str
    learned: str
    step: str
    step_commitment: str | None


def _slip_out(s: Slip, content: dict[str, Any], user: User) -> SlipOut:
    return SlipOut(
        code=str(s.code),
        is_mine=s.author_id == user.pk,
        is_shared=s.is_shared,
        kind=s.kind,
        on=s.on,
        led_to=str(content.get("led_to", "")),
        learned=str(content.get("learned", "")),
        step=str(content.get("step", "")),
        step_commitment=str(s.step_commitment.code) if s.step_commitment else None,
    )


@router.get("/slips", response=list[SlipOut])
def list_slips(
    request: HttpRequest, response: HttpResponse, query: Query[PageIn]
) -> list[SlipOut]:
    """Your slips and those your partner shared."""
    user = _me(request)
    rows = (
        Slip.objects.visible_to(user)
        .select_related("step_commitment")
        .order_by("-on", "-created_at")
    )
    opened, left_out = open_entries_counting(
        _page(rows, query.page), user, personal_key(request), SLIP_KIND
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    return [_slip_out(s, c, user) for s, c in opened]


@router.post("/slips", response={201: SlipOut})
def record_slip(request: HttpRequest, payload: SlipIn) -> Status[SlipOut]:
    """Record a slip privately (sealed under your key)."""
    user = _me(request)
    milestone = (
        get_object_or_404(Milestone.objects.for_member(user), code=payload.milestone)
        if payload.milestone
        else None
    )
    slip = actions.record_slip(
        _space(request),
        user,
        personal_key(request),
        kind=payload.kind,
        on=payload.on,
        led_to=payload.led_to,
        learned=payload.learned,
        step=payload.step,
        make_commitment=payload.make_commitment,
        milestone=milestone,
    )
    return Status(
        201,
        _slip_out(
            slip,
            {
                "led_to": payload.led_to,
                "learned": payload.learned,
                "step": payload.step,
            },
            user,
        ),
    )


@router.post("/slips/{uuid:code}/share", response=SlipOut)
@person_only(CONSENT)
def share_slip(request: HttpRequest, code: uuid.UUID) -> SlipOut:
    user = _me(request)
    slip = get_object_or_404(Slip.objects.mine(user), code=code)
    return _slip_out(
        slip, slip.set_shared(personal_key(request), user, share=True), user
    )


@router.post("/slips/{uuid:code}/unshare", response=SlipOut)
def unshare_slip(request: HttpRequest, code: uuid.UUID) -> SlipOut:
    user = _me(request)
    slip = get_object_or_404(Slip.objects.mine(user), code=code)
    return _slip_out(
        slip, slip.set_shared(personal_key(request), user, share=False), user
    )


@router.delete("/slips/{uuid:code}", response={204: None})
def delete_slip(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    get_object_or_404(Slip.objects.mine(_me(request)), code=code).delete()
    return Status(204, None)


# Milestones and goals ----------------------------------------------------------------


class MilestoneIn(Schema):
    name: str = Field(max_length=MAX_TEXT * 2)
    started_on: dt.date
    unit: Literal["days", "weeks"] = "days"


class RunOut(Schema):
    started_on: dt.date
    ended_on: dt.date | None
    days: int


class MilestoneOut(Schema):
    code: str
    name: str
    unit: str
    is_mine: bool
    current_days: int
    total_days: int = Field(description="every run together; never reset")
    longest_days: int
    runs: list[RunOut]


def _milestone_out(m: Milestone, user: User) -> MilestoneOut:
    today = today_for(user)
    return MilestoneOut(
        code=str(m.code),
        name=m.name,
        unit=m.unit,
        is_mine=m.created_by_id == user.pk,
        current_days=m.current_days(today),
        total_days=m.total_days(today),
        longest_days=m.longest_days(today),
        runs=[
            RunOut(started_on=r.started_on, ended_on=r.ended_on, days=r.days(today))
            for r in m.runs_in_order()
        ],
    )


@router.get("/milestones", response=list[MilestoneOut])
def list_milestones(request: HttpRequest, query: Query[PageIn]) -> list[MilestoneOut]:
    user = _me(request)
    items = _page(
        Milestone.objects.for_member(user).with_runs().order_by("-created_at"),
        query.page,
    )
    actions.record_seen(user, items, "created_by", MILESTONE_KIND)
    return [_milestone_out(m, user) for m in items]


@router.post("/milestones", response={201: MilestoneOut})
def start_milestone(request: HttpRequest, payload: MilestoneIn) -> Status[MilestoneOut]:
    user = _me(request)
    m = Milestone.start(
        _space(request),
        user,
        name=payload.name,
        started_on=payload.started_on,
        unit=payload.unit,
    )
    m = Milestone.objects.for_member(user).with_runs().get(pk=m.pk)
    return Status(201, _milestone_out(m, user))


class RunIn(Schema):
    on: dt.date = Field(description="the day of the relapse; the new run starts there")


@router.post("/milestones/{uuid:code}/runs", response={201: MilestoneOut})
def new_run(
    request: HttpRequest, code: uuid.UUID, payload: RunIn
) -> Status[MilestoneOut]:
    """After a relapse: start a new run; every earlier run and the total stay."""
    user = _me(request)
    m = get_object_or_404(Milestone.objects.for_member(user), code=code)
    m.new_run(user, payload.on)
    m = Milestone.objects.for_member(user).with_runs().get(pk=m.pk)
    return Status(201, _milestone_out(m, user))


class GoalIn(Schema):
    text: str = Field(max_length=MAX_TEXT * 2)
    due_on: dt.date


class GoalOut(Schema):
    code: str
    text: str
    due_on: dt.date
    done_at: dt.datetime | None
    is_mine: bool
    # A task from the couple's counselor; is_for_me says whether the caller marks it.
    is_assignment: bool
    is_for_me: bool


def _goal_out(g: Goal, user: User) -> GoalOut:
    return GoalOut(
        code=str(g.code),
        text=g.text,
        due_on=g.due_on,
        done_at=g.done_at,
        is_mine=g.created_by_id == user.pk,
        is_assignment=g.assigned_by_id is not None,
        is_for_me=g.is_for(user),
    )


@router.get("/goals", response=list[GoalOut])
def list_goals(request: HttpRequest, query: Query[PageIn]) -> list[GoalOut]:
    user = _me(request)
    items = _page(Goal.objects.for_member(user).newest_first(), query.page)
    actions.record_seen(user, items, "created_by", MILESTONE_KIND)
    return [_goal_out(g, user) for g in items]


@router.post("/goals", response={201: GoalOut})
def set_goal(request: HttpRequest, payload: GoalIn) -> Status[GoalOut]:
    user = _me(request)
    g = Goal.set(_space(request), user, text=payload.text, due_on=payload.due_on)
    return Status(201, _goal_out(g, user))


@router.post("/goals/{uuid:code}/done", response=GoalOut)
def goal_done(request: HttpRequest, code: uuid.UUID) -> GoalOut:
    user = _me(request)
    g = get_object_or_404(Goal.objects.for_member(user), code=code)
    g.mark_done(user)
    return _goal_out(g, user)


# Progress ----------------------------------------------------------------------------


class ChartOut(Schema):
    slug: str
    title: str
    summary: str


class ProgressOut(Schema):
    weeks: int
    charts: list[ChartOut]
    milestones: list[str] = Field(description="one sentence per milestone")


@router.get("/progress", response=ProgressOut)
def progress(request: HttpRequest) -> ProgressOut:
    """Trends over the last 12 weeks, as sentences; never a score of anyone."""
    data = progress_for(_me(request))
    return ProgressOut(
        weeks=data["weeks"],
        charts=[
            ChartOut(slug=c.slug, title=c.title, summary=c.summary)
            for c in data["charts"]
        ],
        milestones=[row["summary"] for row in data["milestones"]],
    )
