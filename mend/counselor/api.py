import datetime as dt
import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.models import User
from mend.conversations.api import (
    NoteOut,
    OutcomeOut,
    TopicOut,
    TurnOut,
    record_out,
)
from mend.conversations.models import Conversation
from mend.counselor import actions
from mend.counselor.models import Admission, Counselor
from mend.counselor.reading import couple_view, home_rows, witnessed
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused

router = Router(tags=["counselor"])


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _served(request: HttpRequest, code: uuid.UUID) -> Admission:
    return get_object_or_404(Admission.objects.serving(_me(request)), code=code)


def _partner_side(request: HttpRequest, code: uuid.UUID) -> Admission:
    return get_object_or_404(
        Admission.objects.for_member(_me(request)).current().with_details(),
        code=code,
    )


class BecomeIn(Schema):
    practice: str = ""


class CounselorOut(Schema):
    is_counselor: bool
    practice: str


@router.post("/profile", response=CounselorOut)
def become(request: HttpRequest, payload: BecomeIn) -> CounselorOut:
    """Say you are a counselor. This alone opens nothing of anyone's."""
    found = Counselor.become(_me(request), payload.practice)
    return CounselorOut(is_counselor=True, practice=found.practice)


class CodeIn(Schema):
    code: str


class InviteOut(Schema):
    code: str
    expires_at: dt.datetime


@router.post("/invites", response={201: InviteOut})
def invite(request: HttpRequest) -> Status[InviteOut]:
    """A partner invites a counselor: a code that works once, until it expires."""
    space = current_space(request)
    if space is None:
        raise Refused("You don't share a space yet.", status=404)
    found, secret = actions.invite(space, _me(request))
    return Status(201, InviteOut(code=secret, expires_at=found.expires_at))


class ScopeOut(Schema):
    scope: str
    is_on: bool
    said_yes: bool


class AdmissionOut(Schema):
    code: str
    counselor: str
    status: str
    is_admitted: bool
    approved_by_me: bool
    scopes: list[ScopeOut]


def _admission_out(a: Admission, user: User) -> AdmissionOut:
    return AdmissionOut(
        code=str(a.code),
        counselor=str(a.counselor),
        status=a.status_label(),
        is_admitted=a.is_admitted(),
        approved_by_me=user.pk in a.approved_by(),
        scopes=[
            ScopeOut(scope=r["value"], is_on=r["is_on"], said_yes=r["said_yes"])
            for r in a.scope_rows(user)
        ],
    )


@router.post("/join", response={201: AdmissionOut})
def join(request: HttpRequest, payload: CodeIn) -> Status[AdmissionOut]:
    """A counselor uses a couple's code; admitted once both partners approve."""
    user = _me(request)
    admission = actions.join(user, payload.code)
    return Status(201, _admission_out(admission, user))


@router.get("/admissions", response=list[AdmissionOut])
def admissions(request: HttpRequest) -> list[AdmissionOut]:
    """A partner's view: the couple's counselors, their status and the scopes."""
    user = _me(request)
    return [
        _admission_out(a, user)
        for a in Admission.objects.for_member(user)
        .current()
        .with_details()
        .order_by("created_at")
    ]


class WordsIn(Schema):
    words: str


@router.post("/admissions/{uuid:code}/approve", response=AdmissionOut)
@person_only(CONSENT)
def approve(request: HttpRequest, code: uuid.UUID, payload: WordsIn) -> AdmissionOut:
    user = _me(request)
    admission = _partner_side(request, code)
    admission.approve(user, payload.words)
    return _admission_out(_partner_side(request, code), user)


@router.post("/admissions/{uuid:code}/remove", response={204: None})
def remove(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    """Either partner removes the counselor alone, at once."""
    _partner_side(request, code).remove(_me(request))
    return Status(204, None)


class ScopeIn(Schema):
    scope: str
    on: bool


@router.post("/admissions/{uuid:code}/scopes", response=AdmissionOut)
@person_only(CONSENT)
def set_scope(request: HttpRequest, code: uuid.UUID, payload: ScopeIn) -> AdmissionOut:
    """Say yes or no to one scope; on only when both say yes, off when either says no."""
    user = _me(request)
    _partner_side(request, code).set_scope(user, payload.scope, on=payload.on)
    return _admission_out(_partner_side(request, code), user)


class ChangeOut(Schema):
    label: str
    count: int


class CoupleOut(Schema):
    code: str
    names: str
    since: dt.datetime
    scopes: list[str]
    changes: list[ChangeOut]


@router.get("/couples", response=list[CoupleOut])
def couples(request: HttpRequest) -> list[CoupleOut]:
    """The counselor's home: each couple and what changed since the last session."""
    user = _me(request)
    today = timezone.localdate(timezone.now(), user.tzinfo)
    return [
        CoupleOut(
            code=str(row.admission.code),
            names=row.names,
            since=row.admission.since(),
            scopes=sorted(row.admission.scopes_on()),
            changes=[ChangeOut(label=c.label, count=c.count) for c in row.changes],
        )
        for row in home_rows(Admission.objects.serving(user), today)
    ]


class ItemOut(Schema):
    kind: str
    code: str
    text: str
    at: dt.datetime | None = None


class CoupleDetailOut(Schema):
    code: str
    names: str
    scopes: list[str]
    items: list[ItemOut]


def _items(view: dict[str, object]) -> list[ItemOut]:
    out: list[ItemOut] = []
    for a in view.get("agreements", []):  # type: ignore[attr-defined]  # a list
        version = a.active_version()
        out.append(ItemOut(kind="agreement", code=str(a.code), text=version.text))
    for r in view.get("reports", []):  # type: ignore[attr-defined]  # a list
        out.append(
            ItemOut(
                kind="report", code=str(r.code), text=r.what_happened, at=r.created_at
            )
        )
    for answer, content in view.get("checkin_answers", []):  # type: ignore[attr-defined]  # a list
        text = " ".join(str(v) for v in content.values())
        out.append(ItemOut(kind="check-in answer", code=str(answer.code), text=text))
    for c in view.get("commitments", []):  # type: ignore[attr-defined]  # a list
        out.append(
            ItemOut(
                kind="commitment",
                code=str(c.code),
                text=f"{c.text} (kept {c.kept}, missed {c.missed})",
            )
        )
    for row in view.get("milestones", []):  # type: ignore[attr-defined]  # a list
        m = row["milestone"]
        out.append(
            ItemOut(
                kind="milestone",
                code=str(m.code),
                text=f"{m.name}: {row['current_days']} / {row['total']}",
            )
        )
    for g in view.get("goals", []):  # type: ignore[attr-defined]  # a list
        out.append(ItemOut(kind="goal", code=str(g.code), text=g.text, at=g.done_at))
    for s, content in view.get("slips", []):  # type: ignore[attr-defined]  # a list
        out.append(
            ItemOut(
                kind="slip",
                code=str(s.code),
                text=" ".join(str(v) for v in content.values()),
            )
        )
    for c in view.get("conversations", []):  # type: ignore[attr-defined]  # a list
        lines = [" · ".join(t.text for t in c.topic_list())]
        lines += [
            f"{m.by} {m.get_kind_display()}" + (f": {m.text}" if m.text else "")
            for t in c.turn_list()
            for m in t.move_list()
        ]
        lines += [f"{o.get_kind_display()}: {o.text}" for o in c.outcome_list()]
        out.append(
            ItemOut(
                kind="conversation",
                code=str(c.code),
                text="\n".join(lines),
                at=c.ended_at or c.started_at or c.created_at,
            )
        )
    for e, content in view.get("journal", []):  # type: ignore[attr-defined]  # a list
        out.append(
            ItemOut(
                kind="journal entry",
                code=str(e.code),
                text=f"{content.get('title', '')}\n{content.get('body', '')}",
                at=e.shared_at,
            )
        )
    return out


@router.get("/couples/{uuid:code}", response=CoupleDetailOut)
def couple(request: HttpRequest, code: uuid.UUID) -> CoupleDetailOut:
    """What the couple lets the counselor see; each view is in their access log."""
    admission = _served(request, code)
    view = couple_view(admission)
    return CoupleDetailOut(
        code=str(admission.code),
        names=" & ".join(str(p) for p in admission.space.partners()),
        scopes=sorted(admission.scopes_on()),
        items=_items(view),
    )


@router.get("/couples/{uuid:code}/brief", response=CoupleDetailOut)
def brief(request: HttpRequest, code: uuid.UUID) -> CoupleDetailOut:
    """The session brief: in-scope changes since the last session."""
    admission = _served(request, code)
    view = couple_view(admission, since=admission.since())
    return CoupleDetailOut(
        code=str(admission.code),
        names=" & ".join(str(p) for p in admission.space.partners()),
        scopes=sorted(admission.scopes_on()),
        items=_items(view),
    )


class AssignIn(Schema):
    text: str
    due_on: dt.date
    # A partner's code, or empty for both partners.
    assignee: str = ""


@router.post("/couples/{uuid:code}/assignments", response={201: ItemOut})
def assign(request: HttpRequest, code: uuid.UUID, payload: AssignIn) -> Status[ItemOut]:
    admission = _served(request, code)
    goal = actions.assign(
        admission,
        _me(request),
        text=payload.text,
        due_on=payload.due_on,
        assignee_code=payload.assignee,
    )
    return Status(201, ItemOut(kind="goal", code=str(goal.code), text=goal.text))


class WitnessedOut(Schema):
    code: str
    status: str
    floor: str | None
    topics: list[TopicOut]
    turns: list[TurnOut]
    outcomes: list[OutcomeOut]
    witness_notes: list[NoteOut]


def _witnessed(admission: Admission, code: uuid.UUID) -> Conversation:
    conversation = witnessed(admission, code)
    if conversation is None:
        raise Refused(
            _("This couple doesn't share this conversation with you."), status=404
        )
    return conversation


def _witnessed_out(c: Conversation) -> WitnessedOut:
    return WitnessedOut(
        code=str(c.code),
        status=c.status,
        floor=c.floor.display_name if c.is_live() and c.floor else None,
        **record_out(c, None, show_made=False),
    )


@router.get(
    "/couples/{uuid:code}/conversations/{uuid:conversation_code}", response=WitnessedOut
)
def witness(
    request: HttpRequest, code: uuid.UUID, conversation_code: uuid.UUID
) -> WitnessedOut:
    """Follow a conversation as a witness (conversation records on); logged."""
    admission = _served(request, code)
    return _witnessed_out(_witnessed(admission, conversation_code))


class NoteIn(Schema):
    # A plain string so an empty or over-long one gets our own plain-words refusal.
    text: str = ""


@router.post(
    "/couples/{uuid:code}/conversations/{uuid:conversation_code}/note",
    response={201: WitnessedOut},
)
def witness_note(
    request: HttpRequest,
    code: uuid.UUID,
    conversation_code: uuid.UUID,
    payload: NoteIn,
) -> Status[WitnessedOut]:
    """Leave your one note on a conversation that has ended."""
    admission = _served(request, code)
    found = _witnessed(admission, conversation_code)
    actions.add_witness_note(admission, _me(request), found, payload.text)
    return Status(201, _witnessed_out(_witnessed(admission, conversation_code)))
