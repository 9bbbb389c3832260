import uuid
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.agreements import actions
from mend.agreements.diff import word_diff
from mend.agreements.export import agreement_pdf
from mend.agreements.models import (
    DEFAULT_REVIEW_DAYS,
    MAX_TEXT,
    Agreement,
    AgreementEvent,
    AgreementVersion,
    CrossingReport,
    InventoryItem,
    Repair,
    RepairRound,
    record_reports_seen,
    record_rounds_seen,
)
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.lib.pagination import link_older, newest_first
from mend.privacy.models import SpaceKey

router = Router(tags=["agreements"])

TEXT = f"Plain words, at most {MAX_TEXT} characters."


class VersionOut(Schema):
    code: str
    number: int
    text: str
    why: str
    circle: str
    status: str
    proposed_by: str
    proposed_by_me: bool
    proposed_at: datetime
    affirmed_by: str | None
    affirmed_at: datetime | None
    affirmation_words: str
    confirmed_at: datetime | None
    superseded_at: datetime | None


class AgreementOut(Schema):
    code: str
    category: str
    circle: str
    state: str = Field(
        description="proposed, active, revision, reopened, retirement or retired."
    )
    text: str
    review_every_days: int
    review_on: date | None
    is_due: bool
    reopened_at: datetime | None
    retirement_proposed_at: datetime | None
    retirement_proposed_by_me: bool
    retired_at: datetime | None
    created_at: datetime
    active_version: str | None
    pending_version: str | None
    versions: list[VersionOut]


class AgreementIn(Schema):
    category: str = Field(
        description="dating, messages, touch, technology, social, money, disclosures or other."
    )
    text: str = Field(description=TEXT)
    why: str = Field("", description=TEXT)
    circle: str = Field("", description="'', inner, middle or outer.")
    review_every_days: int = DEFAULT_REVIEW_DAYS


class EditIn(Schema):
    text: str = Field(description=TEXT)
    why: str = ""
    circle: str | None = None


class AffirmIn(Schema):
    words: str = Field(description='Explicit words, such as "I agree" or "I affirm".')


class ReviewIn(Schema):
    review_on: date | None = Field(None, description="Today or later.")
    review_every_days: int = DEFAULT_REVIEW_DAYS


class DiffPiece(Schema):
    op: str = Field(description="same, ins or del.")
    text: str


class EventOut(Schema):
    kind: str
    by: str | None
    at: datetime
    version: int | None


class ReportIn(Schema):
    what_happened: str = Field(description=TEXT)
    how_it_felt: str = Field(description=TEXT)
    happened_on: date | None = None
    triggers: str = ""


class RepairIn(Schema):
    feelings: str
    view: str
    responsibility: str = Field(
        description="In your own words. There is no excuse field."
    )
    step: str
    talk_at: datetime = Field(description="A proposed time to talk, still ahead.")
    triggers: str = ""


class CloseIn(Schema):
    outcome: str = Field(description="heard or talk_more.")
    step: str


class RepairOut(Schema):
    code: str
    by: str
    feelings: str
    view: str
    triggers: str
    responsibility: str
    step: str
    talk_at: datetime
    created_at: datetime


class RoundEntryOut(Schema):
    step: str
    by: str
    is_mine: bool
    text: str
    sense: str = Field(
        description="for a summary: the part of the other's view that makes sense"
    )
    at: datetime


class RoundOut(Schema):
    code: str
    number: int
    entries: list[RoundEntryOut]


class RoundEntryIn(Schema):
    step: str = Field(
        "", description="feelings, view, summary, triggers, responsibility or plan"
    )
    text: str = ""
    sense: str = Field("", description="with a summary: a part that makes sense to you")


class ReportOut(Schema):
    code: str
    agreement: str | None = Field(description="null for an incident that crossed none")
    reporter: str
    reported_by_me: bool
    what_happened: str
    happened_on: date | None
    how_it_felt: str
    triggers: str
    step: str
    status: str
    created_at: datetime
    repair: RepairOut | None
    rounds: list[RoundOut]


class ItemOut(Schema):
    code: str
    group: str
    text: str
    my_answer: str | None = Field(description="Your own answer; never your partner's.")


class OverlapItem(Schema):
    code: str
    text: str


class InventoryOut(Schema):
    items: list[ItemOut]
    both_yes: list[OverlapItem]
    both_at_least_maybe: list[OverlapItem]


class AnswerIn(Schema):
    answer: str = Field(description="yes, maybe, not_now or no.")


class ItemIn(Schema):
    text: str = Field(max_length=200)


class DueOut(Schema):
    code: str
    text: str
    review_on: date | None
    is_reopened: bool


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _space(request: HttpRequest) -> Space:
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    return space


def _name(user: User | None) -> str:
    return str(user) if user is not None else ""


def _version_out(v: AgreementVersion, me: User) -> VersionOut:
    return VersionOut(
        code=str(v.code),
        number=v.number,
        text=v.text,
        why=v.why,
        circle=v.circle,
        status=v.status_label(),
        proposed_by=_name(v.proposed_by),
        proposed_by_me=v.proposed_by_id == me.pk,
        proposed_at=v.proposed_at,
        affirmed_by=_name(v.affirmed_by) if v.affirmed_by_id else None,
        affirmed_at=v.affirmed_at,
        affirmation_words=v.affirmation_words,
        confirmed_at=v.confirmed_at,
        superseded_at=v.superseded_at,
    )


def _out(a: Agreement, me: User, history: bool = True) -> AgreementOut:
    active, pending = a.active_version(), a.pending_version()
    return AgreementOut(
        code=str(a.code),
        category=a.category,
        circle=a.circle,
        state=a.state.value,
        text=a.text,
        review_every_days=a.review_every_days,
        review_on=a.review_on,
        is_due=a.is_due(),
        reopened_at=a.reopened_at,
        retirement_proposed_at=a.retirement_proposed_at,
        retirement_proposed_by_me=a.retirement_proposed_by_id == me.pk,
        retired_at=a.retired_at,
        created_at=a.created_at,
        active_version=str(active.code) if active else None,
        pending_version=str(pending.code) if pending else None,
        versions=[
            _version_out(v, me) for v in (a.all_versions() if history else a.live())
        ],
    )


def _agreement(request: HttpRequest, code: uuid.UUID) -> Agreement:
    return get_object_or_404(
        Agreement.objects.for_member(_me(request)).with_versions(), code=code
    )


def _fresh(request: HttpRequest, agreement: Agreement) -> AgreementOut:
    return _out(_agreement(request, agreement.code), _me(request))


@router.get("", response=list[AgreementOut])
def list_agreements(
    request: HttpRequest, response: HttpResponse, retired: bool = False
) -> list[AgreementOut]:
    """Items not retired, or with `retired=true` retired ones, 50 at a time, newest
    first (a `Link: <...>; rel="next"` header leads to older ones).

    Each item carries its live wordings only (in force, and one waiting); the full
    history of wordings is at GET /api/agreements/{code}.
    """
    me = _me(request)
    mine = Agreement.objects.for_member(me).with_live_versions()
    if not retired:
        items = list(mine.current().order_by("category", "created_at"))
    else:
        page = newest_first(mine.retired(), "retired_at", request.GET.get("before"))
        link_older(request, response, page)
        items = page.items
    return [_out(a, me, history=False) for a in items]


@router.post("", response={201: AgreementOut})
def propose_agreement(
    request: HttpRequest, payload: AgreementIn
) -> Status[AgreementOut]:
    agreement = Agreement.propose(_space(request), _me(request), **payload.dict())
    return Status(201, _fresh(request, agreement))


@router.get("/due", response=list[DueOut])
def due_agreements(request: HttpRequest) -> list[DueOut]:
    return [
        DueOut(
            code=str(a.code),
            text=a.active_text,  # type: ignore[attr-defined]  # annotated by due()
            review_on=a.review_on,
            is_reopened=a.reopened_at is not None,
        )
        for a in Agreement.objects.for_member(_me(request)).due(timezone.localdate())
    ]


@router.get("/export.pdf", response={200: None})
def export_pdf(request: HttpRequest) -> HttpResponse:
    """Return the items in force as a PDF, with both affirmation dates."""
    space = _space(request)
    agreements = [
        a
        for a in Agreement.objects.for_member(_me(request))
        .current()
        .with_versions()
        .order_by("category", "created_at")
        if a.is_in_force()
    ]
    response = HttpResponse(
        agreement_pdf(space, agreements, timezone.localdate()),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="our-agreement.pdf"'
    return response


@router.get("/inventory", response=InventoryOut)
def get_inventory(request: HttpRequest) -> InventoryOut:
    """Return your own answers and the overlaps; nothing else of your partner's."""
    me, space = _me(request), _space(request)
    couple_key = SpaceKey.for_partner(space, me, personal_key(request))
    mine = actions.my_answers(space, me, couple_key)
    items = list(InventoryItem.objects.for_member(me))
    both_yes, both_maybe = actions.overlaps(space, couple_key, items)
    return InventoryOut(
        items=[
            ItemOut(
                code=str(i.code), group=i.group, text=i.label, my_answer=mine.get(i.pk)
            )
            for i in items
        ],
        both_yes=[OverlapItem(code=str(i.code), text=i.label) for i in both_yes],
        both_at_least_maybe=[
            OverlapItem(code=str(i.code), text=i.label) for i in both_maybe
        ],
    )


@router.put("/inventory/{uuid:item_code}", response=InventoryOut)
@person_only(CONSENT)
def answer_inventory_item(
    request: HttpRequest, item_code: uuid.UUID, payload: AnswerIn
) -> InventoryOut:
    me, space = _me(request), _space(request)
    item = get_object_or_404(InventoryItem.objects.for_member(me), code=item_code)
    couple_key = SpaceKey.for_partner(space, me, personal_key(request))
    actions.set_answer(space, me, couple_key, item, payload.answer)
    return get_inventory(request)


@router.post("/inventory/items", response={201: ItemOut})
def add_inventory_item(request: HttpRequest, payload: ItemIn) -> Status[ItemOut]:
    item = InventoryItem.add(_space(request), _me(request), payload.text)
    return Status(
        201,
        ItemOut(code=str(item.code), group=item.group, text=item.label, my_answer=None),
    )


def _report_out(report: CrossingReport, me: User) -> ReportOut:
    repair: Repair | None = report.get_repair()
    return ReportOut(
        code=str(report.code),
        agreement=str(report.agreement.code) if report.agreement else None,
        reporter=_name(report.reporter),
        reported_by_me=report.reporter_id == me.pk,
        what_happened=report.what_happened,
        happened_on=report.happened_on,
        how_it_felt=report.how_it_felt,
        triggers=report.triggers,
        step=report.step,
        status=report.status,
        created_at=report.created_at,
        repair=RepairOut(
            code=str(repair.code),
            by=_name(repair.by),
            feelings=repair.feelings,
            view=repair.view,
            triggers=repair.triggers,
            responsibility=repair.responsibility,
            step=repair.step,
            talk_at=repair.talk_at,
            created_at=repair.created_at,
        )
        if repair
        else None,
        rounds=[
            RoundOut(
                code=str(r.code),
                number=r.number,
                entries=[
                    RoundEntryOut(
                        step=e.step,
                        by=_name(e.by),
                        is_mine=e.by_id == me.pk,
                        text=e.text,
                        sense=e.sense,
                        at=e.at,
                    )
                    for e in r.entry_list()
                ],
            )
            for r in report.round_list()
        ],
    )


def _report(request: HttpRequest, code: uuid.UUID) -> CrossingReport:
    me = _me(request)
    report = get_object_or_404(
        CrossingReport.objects.for_member(me).with_rounds(), code=code
    )
    record_reports_seen(me, [report], with_repairs=True)
    record_rounds_seen(me, [report])
    return report


@router.get("/reports/{uuid:code}", response=ReportOut)
def get_report(request: HttpRequest, code: uuid.UUID) -> ReportOut:
    return _report_out(_report(request, code), _me(request))


@router.post("/reports/{uuid:code}/repair", response={201: ReportOut})
def answer_report(
    request: HttpRequest, code: uuid.UUID, payload: RepairIn
) -> Status[ReportOut]:
    report = _report(request, code)
    report.answer(_me(request), **payload.dict())
    return Status(201, get_report(request, code))


@router.post("/incidents", response={201: ReportOut})
def file_incident(request: HttpRequest, payload: ReportIn) -> Status[ReportOut]:
    """Share a regrettable incident that crossed no agreement; the same steps follow."""
    report = CrossingReport.file_incident(
        _space(request), _me(request), **payload.dict()
    )
    return Status(201, get_report(request, report.code))


@router.post("/reports/{uuid:code}/rounds", response={201: ReportOut})
def open_round(request: HttpRequest, code: uuid.UUID) -> Status[ReportOut]:
    """Start a new round of the five steps, walked by both; earlier rounds stay."""
    _report(request, code).open_round(_me(request))
    return Status(201, get_report(request, code))


@router.post(
    "/reports/{uuid:code}/rounds/{uuid:round_code}/entries", response={201: ReportOut}
)
def write_round_entry(
    request: HttpRequest, code: uuid.UUID, round_code: uuid.UUID, payload: RoundEntryIn
) -> Status[ReportOut]:
    report = _report(request, code)
    the_round = get_object_or_404(
        RepairRound.objects.for_member(_me(request)).filter(report=report),
        code=round_code,
    )
    the_round.write(_me(request), payload.step, payload.text, payload.sense)
    return Status(201, get_report(request, code))


@router.post("/reports/{uuid:code}/reply", response=ReportOut)
def close_report(request: HttpRequest, code: uuid.UUID, payload: CloseIn) -> ReportOut:
    report = _report(request, code)
    report.close(_me(request), outcome=payload.outcome, step=payload.step)
    return get_report(request, code)


@router.get("/{uuid:code}", response=AgreementOut)
def get_agreement(request: HttpRequest, code: uuid.UUID) -> AgreementOut:
    return _out(_agreement(request, code), _me(request))


@router.get("/{uuid:code}/history", response=list[EventOut])
def agreement_history(request: HttpRequest, code: uuid.UUID) -> list[EventOut]:
    agreement = _agreement(request, code)
    return [
        EventOut(
            kind=e.kind,
            by=_name(e.by) if e.by_id else None,
            at=e.at,
            version=e.version.number if e.version else None,
        )
        for e in AgreementEvent.objects.for_member(_me(request)).about(agreement)
    ]


@router.get("/{uuid:code}/diff", response=list[DiffPiece])
def version_diff(
    request: HttpRequest, code: uuid.UUID, old: int, new: int
) -> list[DiffPiece]:
    """Return the word-level difference between version numbers OLD and NEW."""
    versions = {v.number: v for v in _agreement(request, code).all_versions()}
    if old not in versions or new not in versions:
        raise Refused(_("There is no version with that number."), status=404)
    return [
        DiffPiece(op=p.op, text=p.text)
        for p in word_diff(versions[old].text, versions[new].text)
    ]


@router.post("/{uuid:code}/edits", response={201: AgreementOut})
def propose_edit(
    request: HttpRequest, code: uuid.UUID, payload: EditIn
) -> Status[AgreementOut]:
    agreement = _agreement(request, code)
    agreement.propose_edit(_me(request), payload.text, payload.why, payload.circle)
    return Status(201, _fresh(request, agreement))


def _version(
    request: HttpRequest, code: uuid.UUID, version_code: uuid.UUID
) -> AgreementVersion:
    return get_object_or_404(
        AgreementVersion.objects.for_member(_me(request)).select_related("agreement"),
        code=version_code,
        agreement__code=code,
    )


@router.post("/{uuid:code}/versions/{uuid:version_code}/affirm", response=AgreementOut)
@person_only(CONSENT)
def affirm_version(
    request: HttpRequest, code: uuid.UUID, version_code: uuid.UUID, payload: AffirmIn
) -> AgreementOut:
    """Affirm the wording with this version code; refused if it is no longer current."""
    item = _version(request, code, version_code)
    item.affirm(_me(request), payload.words)
    return _fresh(request, item.agreement)


@router.post("/{uuid:code}/versions/{uuid:version_code}/confirm", response=AgreementOut)
@person_only(CONSENT)
def confirm_version(
    request: HttpRequest, code: uuid.UUID, version_code: uuid.UUID
) -> AgreementOut:
    item = _version(request, code, version_code)
    item.confirm(_me(request))
    return _fresh(request, item.agreement)


@router.post("/{uuid:code}/reopen", response=AgreementOut)
def reopen_agreement(request: HttpRequest, code: uuid.UUID) -> AgreementOut:
    agreement = _agreement(request, code)
    agreement.reopen(_me(request))
    return _fresh(request, agreement)


@router.put("/{uuid:code}/review", response=AgreementOut)
def set_review(
    request: HttpRequest, code: uuid.UUID, payload: ReviewIn
) -> AgreementOut:
    agreement = _agreement(request, code)
    agreement.set_review(_me(request), payload.review_on, payload.review_every_days)
    return _fresh(request, agreement)


@router.post("/{uuid:code}/retirement", response=AgreementOut)
def propose_retirement(request: HttpRequest, code: uuid.UUID) -> AgreementOut:
    agreement = _agreement(request, code)
    agreement.propose_retirement(_me(request))
    return _fresh(request, agreement)


@router.post("/{uuid:code}/retirement/agree", response=AgreementOut)
@person_only(CONSENT)
def agree_retirement(request: HttpRequest, code: uuid.UUID) -> AgreementOut:
    agreement = _agreement(request, code)
    agreement.agree_retirement(_me(request))
    return _fresh(request, agreement)


@router.delete("/{uuid:code}/retirement", response=AgreementOut)
def withdraw_retirement(request: HttpRequest, code: uuid.UUID) -> AgreementOut:
    agreement = _agreement(request, code)
    agreement.withdraw_retirement(_me(request))
    return _fresh(request, agreement)


@router.get("/{uuid:code}/reports", response=list[ReportOut])
def list_reports(request: HttpRequest, code: uuid.UUID) -> list[ReportOut]:
    me = _me(request)
    agreement = _agreement(request, code)
    reports = list(CrossingReport.objects.for_member(me).with_rounds().about(agreement))
    record_reports_seen(me, reports, with_repairs=True)
    record_rounds_seen(me, reports)
    return [_report_out(r, me) for r in reports]


@router.post("/{uuid:code}/reports", response={201: ReportOut})
def file_report(
    request: HttpRequest, code: uuid.UUID, payload: ReportIn
) -> Status[ReportOut]:
    report = CrossingReport.file(
        _agreement(request, code), _me(request), **payload.dict()
    )
    return Status(201, _report_out(report, _me(request)))
